"""The interactive console's JVM side: JLine 2 instead of GNU readline (Jython only).

Jython's own readline emulation falls short at a terminal: `set_completer`
adds a completer after the rlcompleter Jython preloads for __main__ (JLine
asks only the first), a line read after Ctrl-C at the prompt comes back with
thousands of NUL bytes in front, and Ctrl-C during a command ends the JVM. So
on the JVM the console reads its lines from JLine's ConsoleReader itself:

- `LineReader` reads a line (terminal set up before, restored after, so a
  running command sees an ordinary terminal), with stave's completer and a
  FileHistory at stave's history path; Ctrl-C at the prompt reaches JLine as
  a key (`setHandleUserInterrupt`) and comes back as KeyboardInterrupt;
- `Interrupts` handles SIGINT while a command runs (JLine lets the terminal
  send it then): it raises KeyboardInterrupt in the command, through a trace
  function on its Python frames, an interrupt of the main Java thread if it
  waits (a sleep), and `check()`, which the result display calls between
  lines, so a long scan stops at once.

Imported only on the JVM (`stave.compat.JYTHON`); the Java imports are below.
"""
from __future__ import absolute_import, division, print_function, unicode_literals

import rlcompleter
import signal
import sys
import threading

from java.io import File, FileDescriptor, FileInputStream, FileOutputStream, IOException
from java.lang import InterruptedException, System, Thread, Throwable
from jline.console import ConsoleReader, UserInterruptException
from jline.console.completer import Completer
from jline.console.history import FileHistory, MemoryHistory

from stave.exit_status import EXIT_INTERRUPTED

#: What ends a word for completion: GNU readline's default set, less '.', as Python's REPL.
DELIMITERS = ' \t\n`~!@#$%^&*()-=+[{]}\\|;:\'",<>/?'
MAX_CANDIDATES = 1000
#: What a Java call raises: Jython's `except Exception` does not catch it.
ERRORS = (Exception, Throwable)
#: Ctrl-C presses during one command after which the shell gives up on it and exits.
GIVE_UP_AFTER = 3


class PythonCompleter(Completer):
    """A JLine completer over rlcompleter: names, attributes and commands of `namespace`."""

    def __init__(self, namespace):
        self.rlcompleter = rlcompleter.Completer(namespace)

    def complete(self, buffer, cursor, candidates):
        """Add the candidates for the word before `cursor`; return where that word starts."""
        before = (buffer or '')[:cursor]
        start = len(before)
        while start > 0 and before[start - 1] not in DELIMITERS:
            start -= 1
        word = before[start:]
        if not before.strip():
            candidates.add('    ')  # Tab at the start of a line indents, as in Python 3's REPL
            return cursor
        matches = []
        try:
            for state in range(MAX_CANDIDATES):
                match = self.rlcompleter.complete(word, state)
                if match is None:
                    break
                if match not in matches:  # Jython's rlcompleter repeats some
                    matches.append(match)
        except ERRORS:  # a completer must never break the prompt (a property that raises)
            pass
        for match in matches:
            candidates.add(match)
        return start if matches else -1


class LineReader(object):
    """Reads the console's lines through JLine's ConsoleReader."""

    def __init__(self, namespace, history_path=None, history_length=10000):
        self.reader = _console_reader()
        self.reader.setHandleUserInterrupt(True)  # Ctrl-C at the prompt: UserInterruptException
        self.reader.setExpandEvents(False)  # '!' is Python, not a history event
        self.reader.setBellEnabled(False)
        _remove_completers(self.reader)
        self.completer = PythonCompleter(namespace)
        self.reader.addCompleter(self.completer)
        handler = self.reader.getCompletionHandler()
        if hasattr(handler, 'setPrintSpaceAfterFullCompletion'):
            handler.setPrintSpaceAfterFullCompletion(False)  # 'c.list_tables(', as readline has it
        self.history = None
        self.history_problem = None
        if history_path:
            try:
                self.history = FileHistory(File(history_path))  # reads the file if it exists
            except IOException as exc:
                self.history_problem = exc.getMessage()
        history = self.history if self.history is not None else MemoryHistory()
        history.setMaxSize(history_length)
        self.reader.setHistory(history)  # not Jython's own ~/.jline-jython.history

    def read_line(self, prompt=''):
        """The next line; EOFError at Ctrl-D, KeyboardInterrupt at Ctrl-C."""
        sys.stdout.flush()
        sys.stderr.flush()
        Thread.interrupted()  # a Ctrl-C that came as a command ended must not break JLine's own waits
        terminal = self.reader.getTerminal()
        try:
            terminal.init()  # raw mode: JLine edits the line
        except ERRORS:
            pass
        try:
            line = self.reader.readLine(prompt)
        except UserInterruptException:
            line = KeyboardInterrupt
        except InterruptedException:
            line = KeyboardInterrupt
        finally:
            try:
                self.reader.flush()
                terminal.restore()  # the command runs in the terminal's own mode: Ctrl-C is SIGINT
            except ERRORS:
                pass
        if line is KeyboardInterrupt:
            raise KeyboardInterrupt
        if line is None:
            raise EOFError
        return line

    def save_history(self):
        """Write the history file; returns an error message, or None."""
        if self.history is None:
            return self.history_problem
        try:
            self.history.flush()
        except ERRORS as exc:
            return getattr(exc, 'message', None) or str(exc)
        return None


class Interrupts(object):
    """SIGINT while a command runs, turned into a KeyboardInterrupt in the main thread.

    The handler runs on the JVM's signal thread. If the main thread is waiting
    (a sleep, an event, a queue) it interrupts it: Jython raises
    KeyboardInterrupt out of the wait. Otherwise it notes the press for
    `check()` and sets a trace function on the command's Python frames, so the
    next line any of them runs raises KeyboardInterrupt, as CPython would. A
    running thread is never interrupted: a Java interrupt closes the I/O
    channel it is using, stdout included. A command that still does not stop
    (a long call into Java) is given up at the third press: the shell exits
    with status 130.
    """

    def __init__(self, filename, stderr=None, before_exit=None):
        self.filename = filename  # the console's code: the command's outermost frame
        self.main = Thread.currentThread()
        self.main_ident = threading.current_thread().ident
        self.stderr = stderr or sys.stderr
        self.before_exit = before_exit
        self.pending = False
        self.presses = 0
        self.running = False
        self.previous = None

    def install(self):
        self.previous = signal.signal(signal.SIGINT, self._handle)

    def uninstall(self):
        if self.previous is not None:
            signal.signal(signal.SIGINT, self.previous)
            self.previous = None

    def start(self):
        """A command starts: forget earlier presses."""
        self.pending = False
        self.presses = 0
        Thread.interrupted()
        self.running = True

    def stop(self):
        """The command ended (one way or another); returns True if Ctrl-C was pressed during it."""
        self.running = False
        pressed = self.presses > 0
        self.pending = False
        self.presses = 0
        Thread.interrupted()  # a press that came too late must not break the next wait
        return pressed

    def check(self):
        """Raise KeyboardInterrupt if Ctrl-C was pressed: cheap, for long loops to call."""
        if self.pending and self.running:
            self.pending = False
            raise KeyboardInterrupt

    def _trace(self, frame, event, arg):
        self.check()
        return None  # this frame is not traced any more

    def _handle(self, signum, frame):
        if not self.running:
            return  # between the prompt and the command: nothing to stop
        self.presses += 1
        if self.presses >= GIVE_UP_AFTER:
            self.stderr.write('\nstave: the command does not stop; exiting\n')
            self.stderr.flush()
            if self.before_exit is not None:
                self.before_exit()
            System.exit(EXIT_INTERRUPTED)
        if self.presses == GIVE_UP_AFTER - 1:
            self.stderr.write('\nstave: still running; Ctrl-C again exits the shell\n')
            self.stderr.flush()
        if self.main.getState() in (Thread.State.WAITING, Thread.State.TIMED_WAITING):
            self.main.interrupt()  # the wait ends in KeyboardInterrupt: that is the one
            return
        self.pending = True
        for command_frame in self._command_frames():
            command_frame.f_trace = self._trace

    def _command_frames(self):
        """The main thread's Python frames from the innermost out to the command's own."""
        frame = sys._current_frames().get(self.main_ident)
        found = []
        while frame is not None:
            found.append(frame)
            if frame.f_code.co_filename == self.filename:
                return found
            frame = frame.f_back
        return []  # not in a command (the console's own code): leave it alone


def _remove_completers(reader):
    """Empty the reader's completer list. Jython's readline put a Python function there
    (JLine asks the completers in turn and stops at the first that answers, and that
    one always does); removeCompleter cannot match it (Jython hands back the function,
    not the proxy JLine holds), so the list itself is cleared."""
    try:
        field = reader.getClass().getDeclaredField('completers')
        field.setAccessible(True)
        field.get(reader).clear()
    except Exception:
        for completer in list(reader.getCompleters()):
            reader.removeCompleter(completer)


def _console_reader():
    """Jython's own ConsoleReader when it set one up (python.console=JLineConsole), else a new one."""
    console = getattr(sys, '_jy_console', None)
    reader = getattr(console, 'reader', None)
    if isinstance(reader, ConsoleReader):
        return reader
    stdin = getattr(FileDescriptor, 'in')  # a keyword in Python
    return ConsoleReader(FileInputStream(stdin), FileOutputStream(FileDescriptor.out))
