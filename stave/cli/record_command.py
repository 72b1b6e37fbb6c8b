"""`stave record`: run a Python program with the recorder on (a server, a long job).

While a `pytest --stave` session of the same project runs, the program's
lines go to the test running at the time (stave.collect.process); lines run
while no test runs, and everything when no session runs, go to the
pseudo-test '<process NAME>', added to the map.
"""
from __future__ import absolute_import, division, print_function, unicode_literals

import sys

from stave.exit_status import EXIT_ERROR, EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE


def add_command(commands, common):
    """Add `record` to the CLI's subparsers."""
    record = commands.add_parser(
        'record', parents=[common], help='run a Python program with the recorder on (a server, a long job)',
        description='Run SCRIPT.py (or -m MODULE) as __main__ with stave recording the lines it runs: '
                    'for the test running at the time in a pytest --stave session of this project, else '
                    'under the pseudo-test <process NAME>. The lines are written every --every seconds '
                    'and at the end: the program\'s exit, SIGTERM or Ctrl-C.',
        usage='stave record [--store URL] [--every SECONDS] [--name NAME] [--root DIR] -- '
              '(SCRIPT.py | -m MODULE) [ARGS...]')
    record.add_argument('--every', type=float, default=5.0, metavar='SECONDS',
                        help='write what was recorded every SECONDS (default 5)')
    record.add_argument('--name', help='the name of its pseudo-test <process NAME> (default: the script or module)')
    record.add_argument('--root', help='project root: only files under it are recorded (default: the project root)')
    record.add_argument('program', nargs='+', metavar='PROGRAM',
                        help='SCRIPT.py [ARGS...] or -m MODULE [ARGS...], after --')


class RecordCommand(object):
    """The recorder plugin and the main job of `stave record`, for parsed `args`."""

    def __init__(self, args, url, err=None):
        self.args, self.url = args, url
        self.err = err or sys.stderr
        program = list(args.program)
        self.module = program[1] if program[0] == '-m' and len(program) > 1 else None
        self.argv = program[1:] if self.module else program
        self.store = None

    def subscribe(self, bus):
        """Subscribe the recorder plugin to `bus`; ValueError for a bad --every
        or a program that is not there."""
        import os
        from stave.collect.child import follow_forks
        from stave.collect.process import ProcessRecorder, set_current
        from stave.collect.record_plugin import RecordPlugin
        from stave.store.url import find_project_root
        if not self.args.every > 0:
            raise ValueError('--every must be a number of seconds above 0, not %s' % self.args.every)
        self._check_program()
        name = self.args.name or self.module or os.path.basename(self.argv[0])
        self.root = os.path.abspath(self.args.root or find_project_root())
        recorder = ProcessRecorder(self.root, name,
                                   write_map=self._write, find_sessions=True)
        set_current(recorder)  # for stave.collect.http in the program
        # A child the program forks drops its copy of this recorder. It is not
        # recorded itself: with no session's channel to write to, it has nowhere to.
        follow_forks()
        RecordPlugin(bus, recorder, self.args.every).subscribe()

    def _check_program(self):
        import os
        if self.module:
            # Only the top-level package is looked up here: finding a submodule
            # imports its packages, before the recorder could see them run.
            # A missing submodule is refused when the job runs it.
            import importlib.util
            top = self.module.partition('.')[0]
            sys.path.insert(0, os.getcwd())  # where python -m looks first
            try:
                found = importlib.util.find_spec(top)
            except (ImportError, ValueError):
                found = None
            finally:
                sys.path.pop(0)
            if found is None:
                raise ValueError('no module named %s' % top)
        elif not os.path.isfile(self.argv[0]):
            raise ValueError('no such file: %s' % self.argv[0])

    def _write(self, tests, data_files):
        """Add what the program ran to the map (when no pytest session is live)."""
        from stave.testmap import MapWriter
        from stave.testmap.blobs import blob_ids
        writer = MapWriter(self.store)
        paths = set(path for files in tests.values() for path in files)
        writer.mark_data_files(sorted(set(data_files).intersection(paths)))
        writer.add(tests, blob_ids(self.root, paths))

    def job(self, store):
        """Run the program as __main__; its exit status is stave's."""
        import os
        import runpy
        self.store = store
        saved = sys.argv, list(sys.path)
        sys.argv = list(self.argv)  # for -m, runpy puts the module's file first
        # As python does: the script's directory first on the path, or for -m the working directory.
        sys.path.insert(0, os.getcwd() if self.module else os.path.dirname(os.path.abspath(self.argv[0])))
        try:
            if self.module:
                runpy.run_module(self.module, run_name='__main__', alter_sys=True)
            else:
                runpy.run_path(self.argv[0], run_name='__main__')
        except SystemExit as exc:  # the program's exit, or SIGTERM through the signal plugin
            if isinstance(exc.code, int) or exc.code is None:
                return exc.code or EXIT_OK
            self.err.write('%s\n' % (exc.code,))  # sys.exit('message'), as python shows it
            return EXIT_ERROR
        except KeyboardInterrupt:
            return EXIT_INTERRUPTED
        except ImportError as exc:
            if self.module and _only_runpy(sys.exc_info()[2]):  # the module itself is not there
                self.err.write('stave: error: cannot run -m %s: %s\n' % (self.module, exc))
                return EXIT_USAGE
            _print_program_traceback(self.err)
            return EXIT_ERROR
        except Exception:  # the program's own error: its traceback, as python shows it
            _print_program_traceback(self.err)
            return EXIT_ERROR
        finally:
            sys.argv, sys.path[:] = saved
        return EXIT_OK


def _only_runpy(tb):
    """True if the traceback `tb` never reached the program's own code."""
    import traceback
    return all('runpy' in frame.filename or frame.filename.endswith('record_command.py')
               for frame in traceback.extract_tb(tb))


def _print_program_traceback(err):
    """The traceback of the exception being handled, without runpy's and stave's frames."""
    import traceback
    kind, value, tb = sys.exc_info()
    frames = [frame for frame in traceback.extract_tb(tb)
              if 'runpy' not in frame.filename and not frame.filename.endswith('record_command.py')]
    err.write('Traceback (most recent call last):\n')
    err.write(''.join(traceback.format_list(frames)))
    err.write(''.join(traceback.format_exception_only(kind, value)))
