"""The interactive console: Python's own REPL (the `code` module) with stave's manners.

- results show in the HBase shell's layout (streamed, so Ctrl-C stops a long scan);
- a StaveError prints one line (cause and hint); `debug` shows tracebacks;
- Tab completes names and the commands of command objects; history persists;
- Ctrl-C cancels the line or the running command, Ctrl-D exits;
- on the JVM the lines come from JLine through stave.shell.jline (Jython's
  readline emulation loses completion and Ctrl-C there), CPython uses readline;
- with stdin not a terminal there is no banner and no prompt, and the exit
  status says whether any statement failed.
"""
from __future__ import absolute_import, division, print_function, unicode_literals

import code
import os
import sys
import traceback

from stave.compat import JYTHON, PY2, read_line
from stave.errors import StaveError
from stave.exit_status import EXIT_ERROR, EXIT_OK
from stave.shell.display import show

try:
    import readline
except ImportError:  # pragma: no cover - readline-less platforms
    readline = None

#: Where the shell keeps its history (override with $STAVE_HISTORY).
DEFAULT_HISTORY = os.path.join('~', '.stave_history')
HISTORY_LENGTH = 10000

#: The JVM console's line reader while an interactive session runs: ask() reads through it.
_jvm_reader = None


class StaveConsole(code.InteractiveConsole):
    """A Python REPL over a namespace of stave command objects."""

    def __init__(self, namespace, interactive, debug=False, stdin=None, stdout=None, stderr=None,
                 history_path=None):
        code.InteractiveConsole.__init__(self, namespace, filename='<stave>')
        self.interactive = interactive
        self.debug = debug
        self.stdin = stdin or sys.stdin
        self.stdout = stdout or sys.stdout
        self.stderr = stderr or sys.stderr
        self.history_path = history_path
        self.failures = 0
        self._at_end = False
        self._before_input = False
        self._line_reader = None  # on the JVM: stave.shell.jline.LineReader
        self._interrupts = None  # on the JVM: stave.shell.jline.Interrupts

    # -- the session -----------------------------------------------------------------

    def session(self, banner=''):
        """Run until end of input; return the exit status (1 if a piped statement failed)."""
        saved_hook = sys.displayhook
        sys.displayhook = self.displayhook
        if self.interactive:
            self._start_readline()
        banner = banner if self.interactive else ''
        # Python 2's interact() writes an empty banner as a newline: drop it like the last one.
        self._before_input = PY2 and not banner
        try:
            options = {} if PY2 else {'exitmsg': ''}
            self.interact(banner=banner, **options)
        finally:
            sys.displayhook = saved_hook
            if self.interactive:
                self._save_history()
                self._stop_jvm_console()
        return EXIT_ERROR if self.failures and not self.interactive else EXIT_OK

    def raw_input(self, prompt=''):
        self._before_input = False
        if self.interactive:
            if self._line_reader is not None:
                return self._line_reader.read_line(prompt)
            return read_line(prompt)
        line = self.stdin.readline()
        if not line:
            self._at_end = True
            raise EOFError
        return line.rstrip('\n')

    def write(self, data):
        # interact() ends a session with a newline, for the terminal's sake only.
        if not ((self._at_end or self._before_input) and data == '\n'):
            self.stderr.write(data)

    # -- running and showing ---------------------------------------------------------

    def runcode(self, compiled):
        if self._interrupts is not None:
            return self._runcode_on_jvm(compiled)
        try:
            exec(compiled, self.locals)
        except SystemExit:
            raise
        except KeyboardInterrupt:
            self.stderr.write('\nInterrupted\n')
        except BaseException:
            self.showtraceback()

    def _runcode_on_jvm(self, compiled):
        # Ctrl-C is a signal handled on another thread there (see stave.shell.jline).
        pressed = False
        self._interrupts.start()
        try:
            try:
                exec(compiled, self.locals)
            finally:
                pressed = self._interrupts.stop()
        except SystemExit:
            raise
        except KeyboardInterrupt:
            self.stderr.write('\nInterrupted\n')
        except:  # noqa: E722 - Java exceptions too, which `except BaseException` misses on Jython
            if pressed:  # an interrupted Java wait can surface as another exception
                self.stderr.write('\nInterrupted\n')
            else:
                self.showtraceback()

    def displayhook(self, value):
        """Show a result: stave results in the HBase shell's layout, the rest with repr()."""
        if value is not None:
            self.locals['_'] = value
            show(value, self.stdout, self._interrupts.check if self._interrupts is not None else None)

    def showtraceback(self):
        self.failures += 1
        error = sys.exc_info()[1]
        if isinstance(error, StaveError) and not self.debug:
            self.stderr.write('error: %s\n' % error)
        elif self.debug:
            code.InteractiveConsole.showtraceback(self)
        else:
            # Drop the console's own frame; show the user's code and stave's frames.
            kind, value, tb = sys.exc_info()
            self.stderr.write(''.join(traceback.format_exception(kind, value, tb.tb_next if tb else tb)))

    def showsyntaxerror(self, filename=None, **kwargs):
        self.failures += 1
        code.InteractiveConsole.showsyntaxerror(self, filename)

    # -- readline: completion and history --------------------------------------------

    def _start_readline(self):
        if JYTHON and self._start_jvm_console():
            return
        if readline is None:
            return
        import rlcompleter
        readline.set_completer(rlcompleter.Completer(self.locals).complete)
        readline.parse_and_bind('tab: complete')
        readline.parse_and_bind('set show-all-if-ambiguous on')  # one Tab lists the choices
        readline.set_history_length(HISTORY_LENGTH)
        if self.history_path and os.path.exists(self.history_path):
            try:
                readline.read_history_file(self.history_path)
            except (IOError, OSError):
                pass

    def _start_jvm_console(self):
        """JLine's reader, stave's completer and history, Ctrl-C handling; False if JLine fails."""
        global _jvm_reader
        try:
            from stave.shell.jline import Interrupts, LineReader
            self._line_reader = LineReader(self.locals, self.history_path, HISTORY_LENGTH)
            self._interrupts = Interrupts(self.filename, self.stderr, before_exit=self._save_history)
            self._interrupts.install()
        except:  # noqa: E722 - a JVM without a usable JLine (Java errors included)
            self.stderr.write('stave: no line editing (JLine: %s)\n' % (sys.exc_info()[1],))
            self._line_reader = self._interrupts = None
            return False
        _jvm_reader = self._line_reader
        return True

    def _stop_jvm_console(self):
        global _jvm_reader
        if self._interrupts is not None:
            self._interrupts.uninstall()
        self._interrupts = None
        _jvm_reader = None

    def _save_history(self):
        if self._line_reader is not None:
            problem = self._line_reader.save_history()
            if problem:
                self.stderr.write('stave: could not save history to %s: %s\n' % (self.history_path, problem))
            return
        if readline is None or not self.history_path:
            return
        try:
            readline.write_history_file(self.history_path)
        except (IOError, OSError) as exc:
            self.stderr.write('stave: could not save history to %s: %s\n' % (self.history_path, exc))


def history_path(environ=None):
    """The history file: $STAVE_HISTORY, else ~/.stave_history."""
    environ = os.environ if environ is None else environ
    return os.path.expanduser(environ.get('STAVE_HISTORY') or DEFAULT_HISTORY)


def ask(question, read=None, write=None):
    """Ask a yes/no question at the prompt; only 'y' or 'yes' means yes."""
    read = read or (_jvm_reader.read_line if _jvm_reader is not None else read_line)
    try:
        answer = read('%s [y/N] ' % question)
    except (EOFError, KeyboardInterrupt):
        (write or sys.stdout.write)('\n')
        return False
    return answer.strip().lower() in ('y', 'yes')
