"""Starting a process's recorder in the subprocesses of a recording session,
and flushing it on every way out.

A session puts the directory of stave/collect/child_hook on PYTHONPATH and
its channel in STAVE_RECORD (stave.collect.session). A Python subprocess
then imports that directory's sitecustomize, which calls start() when
STAVE_RECORD is set. The session puts it on the path only while it records;
found there with STAVE_RECORD unset, it costs one environment lookup and the
search for the sitecustomize it hides (which it runs). A child forked by a recording process (multiprocessing's
fork and forkserver, os.fork) starts its own recorder after the fork.

The recorder's lines are flushed every `every` seconds, at a normal exit,
before os._exit (multiprocessing's children end so), on SIGTERM (when the
program has no handler of its own: stave.collect.sigterm) and before
os.exec*: a child killed by SIGKILL loses at most its last interval, and no
flush is ever half-written.
"""
import atexit
import json
import os
import sys
import threading

from stave.collect import process, sigterm
from stave.collect.session import ENV

HOOK_DIRECTORY = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'child_hook')


def process_name():
    """A short name of this program for its pseudo-test: the module of -m, or
    the script's file name (read from the command line itself: when a child
    starts recording, python has not yet set sys.argv for -m)."""
    args = list(getattr(sys, 'orig_argv', None) or sys.argv)[1:]
    while args:
        arg = args.pop(0)
        if arg == '-m' and args:
            return args[0]
        if arg.startswith('-m') and len(arg) > 2:
            return arg[2:]
        if arg == '-c':
            return '-c'
        if arg in ('-W', '-X', '-Q') and args:
            args.pop(0)  # an option's value
        elif not arg.startswith('-'):
            return os.path.basename(arg)
    return 'python'


def start(config=None):
    """Start this process's recorder from STAVE_RECORD (or `config`); None if
    stave is not recording here, or it already does."""
    if process.current() is not None:
        return None
    if config is None:
        value = os.environ.get(ENV)
        if not value:
            return None
        config = json.loads(value)
    recorder = process.ProcessRecorder(config['root'], process_name(), sessions=[config['session']],
                                       include=config.get('include', ()), omit=config.get('omit', ()))
    recorder.start()
    process.set_current(recorder)
    _install_exits(recorder, float(config.get('every') or 1.0))
    follow_forks()
    return recorder


def _install_exits(recorder, every):
    """Flush periodically and on each way out of the process."""
    def periodically():
        while not stopping.wait(every):
            _flush_quietly(recorder)
    stopping = threading.Event()
    process.start_helper_thread(periodically, 'stave-flush')
    atexit.register(_stop_quietly, recorder)
    _wrap_os(recorder)
    if threading.current_thread() is threading.main_thread():
        sigterm.install()


def _flush_quietly(recorder):
    sigterm.guarded(recorder.flush)


def _stop_quietly(recorder):
    sigterm.guarded(recorder.stop)


_originals = {}


def _wrap_os(recorder):
    """os._exit and os.execv/execve flush first (the other exec functions call these)."""
    if _originals:
        return
    for name in ('_exit', 'execv', 'execve'):
        _originals[name] = getattr(os, name)

    def _exit(status):
        _stop_quietly(process.current() or recorder)
        _originals['_exit'](status)

    def execv(path, args):
        _flush_quietly(process.current() or recorder)
        _originals['execv'](path, args)

    def execve(path, args, env):
        _flush_quietly(process.current() or recorder)
        _originals['execve'](path, args, env)
    os._exit, os.execv, os.execve = _exit, execv, execve


_fork_hook = {}


def follow_forks(stop_parent_tracer=None):
    """Make a child forked by this process record for itself: it drops what
    the parent recorded (the inherited ProcessRecorder's tracer, or the one
    `stop_parent_tracer()` stops, the pytest session's) and starts its own
    recorder from STAVE_RECORD. Registered with os.register_at_fork once."""
    if stop_parent_tracer is not None:
        _fork_hook['stop_parent_tracer'] = stop_parent_tracer
    if _fork_hook.get('registered'):
        return
    _fork_hook['registered'] = True

    def after_in_child():
        inherited = process.current()
        process.set_current(None)
        try:
            if inherited is not None:
                inherited.abandon()
            elif _fork_hook.get('stop_parent_tracer'):
                _fork_hook.pop('stop_parent_tracer')()
        except Exception:  # the child runs on; it records what it can
            pass
        start()
    os.register_at_fork(after_in_child=after_in_child)


def forget_parent_tracer():
    """The session that gave follow_forks() its tracer has ended: a later fork has nothing to stop."""
    _fork_hook.pop('stop_parent_tracer', None)
