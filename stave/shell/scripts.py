"""Running code with the shell's namespace: `stave run SCRIPT.py` and `stave -c CODE`.

Each returns the exit status (stave.exit_status); a lone expression's value
is shown by stave.shell.display.show, as at the prompt.
"""
from __future__ import absolute_import, division, print_function, unicode_literals

import io
import sys
import traceback

from stave.errors import StaveError
from stave.exit_status import EXIT_ERROR, EXIT_INTERRUPTED, EXIT_OK, EXIT_USAGE
from stave.shell.display import show


def run_script(path, args, namespace, stderr=None, debug=False):
    """Run the file at `path` as __main__ with sys.argv = [path] + args; return its exit status."""
    stderr = stderr or sys.stderr
    try:
        with io.open(path, 'rb') as handle:
            source = handle.read()
    except (IOError, OSError) as exc:
        stderr.write('stave: cannot read script %s: %s\n' % (path, exc.strerror or exc))
        return EXIT_USAGE
    namespace.update({'__name__': '__main__', '__file__': path})
    saved_argv = sys.argv
    sys.argv = [path] + list(args)
    try:
        return _execute(source, path, 'exec', namespace, stderr, debug)
    finally:
        sys.argv = saved_argv


def run_code(source, namespace, stdout=None, stderr=None, debug=False):
    """Run `source` like python -c; a lone expression's result is shown, as at the prompt."""
    try:
        compile(source, '<stave -c>', 'eval')
        mode = 'eval'
    except SyntaxError:
        mode = 'exec'
    return _execute(source, '<stave -c>', mode, namespace, stderr or sys.stderr, debug,
                    stdout or sys.stdout)


def _execute(source, filename, mode, namespace, stderr, debug, stdout=None):
    try:
        compiled = compile(source, filename, mode)
    except SyntaxError:
        stderr.write(''.join(traceback.format_exception_only(*sys.exc_info()[:2])))
        return EXIT_USAGE
    try:
        if mode == 'eval':
            show(eval(compiled, namespace), stdout)
        else:
            exec(compiled, namespace)
    except SystemExit as exc:
        return _exit_status(exc.code, stderr)
    except StaveError as exc:
        if debug:
            traceback.print_exc(file=stderr)
        else:
            stderr.write('stave: error: %s\n' % exc)
        return EXIT_ERROR
    except KeyboardInterrupt:
        stderr.write('Interrupted\n')
        return EXIT_INTERRUPTED
    except Exception:
        kind, value, tb = sys.exc_info()
        stderr.write(''.join(traceback.format_exception(kind, value, tb.tb_next)))
        return EXIT_ERROR
    return EXIT_OK


def _exit_status(code, stderr):
    """sys.exit() semantics: None is 0, an int is itself, anything else is printed and 1."""
    if code is None:
        return EXIT_OK
    if isinstance(code, int):
        return code
    stderr.write('%s\n' % (code,))
    return EXIT_ERROR
