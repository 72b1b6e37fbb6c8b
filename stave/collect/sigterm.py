"""SIGTERM in a recorded subprocess: flush the recorder, then end as SIGTERM
would have ended the program without stave, and never lose the signal.

stave's handler is installed only where the program has none of its own
(the disposition is SIG_DFL), from the main thread (stave.collect.child).

A Python-level handler runs in the main thread, when the interpreter next
looks for signals. A signal that arrives just before the main thread blocks
(a multiprocessing pool's worker about to wait for its next task when
Pool.terminate() sends SIGTERM) is noted by CPython's C handler and never
looked at: the thread sleeps on, and the process that SIGTERM would have
ended lives on, and the pool's terminate() waits for it for ever. So a
backstop: the C handler also writes the signal's number to the wakeup fd
(signal.set_wakeup_fd), a thread of stave's reads it, and while the handler
has not run it sends SIGTERM again to the main thread alone
(signal.pthread_kill), which interrupts what it sleeps in. A program that
sets a wakeup fd of its own keeps it; it then has no backstop.
"""
import os
import signal
import threading
import time

from stave.collect import process

#: How long the main thread has to run the handler before it is sent SIGTERM again, in seconds.
GRACE = 0.05

# A SIGTERM that arrives while the main thread is inside the recorder (a
# flush, or the stop on the way out by os._exit) must not run the recorder
# again from the signal handler: it would wait for a lock its own thread
# holds. It is held back until the recorder is left, then carried out.
_state = {'busy': 0, 'terminate': False, 'handled': False, 'pipe': None}


def install():
    """Handle SIGTERM in this process if the program does not (call from the main thread)."""
    if signal.getsignal(signal.SIGTERM) == signal.SIG_DFL:
        signal.signal(signal.SIGTERM, _on_sigterm)
    if signal.getsignal(signal.SIGTERM) is _on_sigterm:  # or inherited over a fork
        _state.update(handled=False, terminate=False)
        _start_backstop()


def guarded(action):
    """Run `action` (the recorder's flush or stop), quietly: the program's own
    work goes on whatever happens to stave's."""
    main = threading.current_thread() is threading.main_thread()
    if main:
        _state['busy'] += 1
    try:
        action()
    except Exception:  # a session gone takes its lines with it
        pass
    finally:
        if main:
            _state['busy'] -= 1
            if _state['terminate'] and not _state['busy']:
                _terminate()


def _on_sigterm(signum, frame):
    _state['handled'] = True
    if _state['busy']:
        _state['terminate'] = True
        return
    recorder = process.current()
    if recorder is not None:
        guarded(recorder.stop)
    _terminate()


def _terminate():
    """End the process as SIGTERM would have without stave."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    os.kill(os.getpid(), signal.SIGTERM)


def _start_backstop():
    inherited = _state['pipe']  # a forked child's copy of its parent's: that reader thread is not here
    reader, writer = os.pipe()
    os.set_blocking(writer, False)
    previous = signal.set_wakeup_fd(writer, warn_on_full_buffer=False)
    if previous != -1 and (inherited is None or previous != inherited[1]):
        signal.set_wakeup_fd(previous)  # the program's own
        os.close(reader)
        os.close(writer)
        return
    if inherited is not None:
        for fd in inherited:
            os.close(fd)
    _state['pipe'] = (reader, writer)
    main = threading.main_thread().ident
    process.start_helper_thread(lambda: _watch(reader, main), 'stave-sigterm')


def _watch(reader, main):
    """Read the signals' numbers; after a SIGTERM, send it again to the main
    thread until the handler runs (or is no longer stave's)."""
    while True:
        try:
            numbers = os.read(reader, 512)
        except OSError:
            return
        if not numbers:
            return
        if signal.SIGTERM not in bytearray(numbers):
            continue
        time.sleep(GRACE)
        while not _state['handled'] and signal.getsignal(signal.SIGTERM) is _on_sigterm:
            signal.pthread_kill(main, signal.SIGTERM)
            time.sleep(GRACE)
