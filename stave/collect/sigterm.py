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
(signal.pthread_kill), which interrupts what it sleeps in.

The wakeup fd is one per process, so stave holds it only while the program
does not: signal.set_wakeup_fd is wrapped, a program setting one takes it
(and is told there was none before), and a program giving its own up
(-1: asyncio closing its loop, a forkserver's child) gives it back to
stave. It is a datagram socket whose reader learns each sender's pid: a
child forked by this process writes to it until it has its own, and a
child's SIGTERM must never end its parent. On Linux only (SO_PASSCRED).
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
#: The lowest fd number of the wakeup socket. A program that closes every fd
#: it inherited (a daemon) and opens new ones is unlikely to get this number
#: back, so the C handler's byte is unlikely to land in one of its files.
HIGH_FD = 512

# A SIGTERM that arrives while the main thread is inside the recorder (a
# flush, or the stop on the way out by os._exit) must not run the recorder
# again from the signal handler: it would wait for a lock its own thread
# holds. It is held back until the recorder is left, then carried out.
_state = {'busy': 0, 'terminate': False, 'handled': False,
          'pid': None, 'sockets': None,  # the wakeup socket pair, and the process it was made in
          'program': None}                # (fd, warn_on_full_buffer) the program set, if it has one
#: struct ucred: the sender's pid, uid and gid.
_CREDENTIALS = struct.Struct('3i')


def install():
    """Handle SIGTERM in this process if the program does not (call from the main thread)."""
    if signal.getsignal(signal.SIGTERM) == signal.SIG_DFL:
        signal.signal(signal.SIGTERM, _on_sigterm)
    if signal.getsignal(signal.SIGTERM) is not _on_sigterm:
        return
    _state.update(busy=0, handled=False, terminate=False)  # inherited over a fork: the parent's
    if hasattr(socket, 'SO_PASSCRED'):
        if signal.set_wakeup_fd is not _set_wakeup_fd:
            _original['set_wakeup_fd'], signal.set_wakeup_fd = signal.set_wakeup_fd, _set_wakeup_fd
        _take_wakeup_fd()


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


_original = {}


def _set_wakeup_fd(fd, warn_on_full_buffer=True):
    """signal.set_wakeup_fd, as the program sees it while stave may hold the wakeup fd."""
    stave_fds = _stave_fds()
    previous = _original['set_wakeup_fd'](fd, warn_on_full_buffer=warn_on_full_buffer)
    if fd == -1:
        _state['program'] = None
        if signal.getsignal(signal.SIGTERM) is _on_sigterm:
            _take_wakeup_fd()
    else:
        _state['program'] = (fd, warn_on_full_buffer)
    return -1 if previous in stave_fds else previous


def _take_wakeup_fd():
    """Make the wakeup fd this process's socket of stave's, unless the program
    has one (from the main thread)."""
    set_fd = _original['set_wakeup_fd']
    current = set_fd(-1)
    if current != -1 and current not in _stave_fds():
        program = _state['program'] if _state['program'] and _state['program'][0] == current else (current, True)
        set_fd(program[0], warn_on_full_buffer=program[1])
        return
    set_fd(_own_sockets()[1].fileno(), warn_on_full_buffer=False)


def _stave_fds():
    return [end.fileno() for end in _state['sockets'] or ()]


def _own_sockets():
    """This process's wakeup socket pair and the thread that reads it, made on
    first use (a forked child's copies of its parent's are closed: that thread
    is not here)."""
    if _state['pid'] == os.getpid():
        return _state['sockets']
    for end in _state['sockets'] or ():
        end.close()
    reader, writer = socket.socketpair(socket.AF_UNIX, socket.SOCK_DGRAM)
    reader.setsockopt(socket.SOL_SOCKET, socket.SO_PASSCRED, 1)
    writer = _moved_high(writer)
    writer.setblocking(False)
    pid, main = os.getpid(), threading.main_thread().ident
    _state.update(pid=pid, sockets=(reader, writer))
    process.start_helper_thread(lambda: _watch(reader, pid, main), 'stave-sigterm')
    return reader, writer


def _moved_high(sock):
    import fcntl  # only where SO_PASSCRED is: Linux
    try:
        number = fcntl.fcntl(sock.fileno(), fcntl.F_DUPFD_CLOEXEC, HIGH_FD)
    except OSError:  # fewer open files allowed than that: it stays where it is
        return sock
    moved = socket.socket(fileno=number)
    sock.close()
    return moved


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
        # A SIGTERM the program's own handler took (stave's put back since) is not stave's to wake for.
        if senders != [pid] or signal.SIGTERM not in bytearray(numbers) or \
                signal.getsignal(signal.SIGTERM) is not _on_sigterm:
            continue
        time.sleep(GRACE)
        while not _state['handled'] and signal.getsignal(signal.SIGTERM) is _on_sigterm:
            try:
                signal.pthread_kill(main, signal.SIGTERM)
            except OSError:  # no main thread any more: nothing to wake
                return
            time.sleep(GRACE)
