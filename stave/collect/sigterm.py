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
(signal.set_wakeup_fd; here a datagram socket, whose reader learns each
sender's pid), a thread of stave's reads it, and while the handler has not
run it sends SIGTERM again to the main thread alone (signal.pthread_kill),
which interrupts what it sleeps in. A program that sets a wakeup fd of its
own keeps it; it then has no backstop, nor has a process off Linux.
"""
import os
import signal
import socket
import struct
import threading
import time

from stave.collect import process

#: How long the main thread has to run the handler before it is sent SIGTERM again, in seconds.
GRACE = 0.05

# A SIGTERM that arrives while the main thread is inside the recorder (a
# flush, or the stop on the way out by os._exit) must not run the recorder
# again from the signal handler: it would wait for a lock its own thread
# holds. It is held back until the recorder is left, then carried out.
_state = {'busy': 0, 'terminate': False, 'handled': False, 'sockets': None}
#: struct ucred: the sender's pid, uid and gid.
_CREDENTIALS = struct.Struct('3i')


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
    if not hasattr(socket, 'SO_PASSCRED'):
        return  # no telling this process's signals from a forked child's (Linux only)
    inherited = _state['sockets']  # a forked child's copies of its parent's: that thread is not here
    reader, writer = socket.socketpair(socket.AF_UNIX, socket.SOCK_DGRAM)
    reader.setsockopt(socket.SOL_SOCKET, socket.SO_PASSCRED, 1)
    writer.setblocking(False)
    previous = signal.set_wakeup_fd(writer.fileno(), warn_on_full_buffer=False)
    if previous != -1 and (inherited is None or previous != inherited[1].fileno()):
        signal.set_wakeup_fd(previous)  # the program's own
        reader.close()
        writer.close()
        return
    for end in inherited or ():
        end.close()
    _state['sockets'] = (reader, writer)
    pid, main = os.getpid(), threading.main_thread().ident
    process.start_helper_thread(lambda: _watch(reader, pid, main), 'stave-sigterm')


def _watch(reader, pid, main):
    """Read the numbers of the signals this process takes; after a SIGTERM,
    send it again to the main thread until the handler runs (or is no longer
    stave's). A child forked by this process writes to the same socket until
    it has its own (or for ever, if it records nothing): the sender's pid,
    which the kernel gives with each datagram, tells its signals apart."""
    room = socket.CMSG_SPACE(_CREDENTIALS.size)
    while True:
        try:
            numbers, ancillary, _, _ = reader.recvmsg(64, room)
        except OSError:
            return
        senders = [_CREDENTIALS.unpack(data)[0] for level, kind, data in ancillary
                   if (level, kind) == (socket.SOL_SOCKET, socket.SCM_CREDENTIALS)]
        if senders != [pid] or signal.SIGTERM not in bytearray(numbers):
            continue
        time.sleep(GRACE)
        while not _state['handled'] and signal.getsignal(signal.SIGTERM) is _on_sigterm:
            try:
                signal.pthread_kill(main, signal.SIGTERM)
            except OSError:  # no main thread any more: nothing to wake
                return
            time.sleep(GRACE)
