"""What stave's exit status tells the program that ran it, defined once.

Every command returns one of these (`stave --help` and the README say the
same):

- EXIT_OK (0): the command did its job; a query or a selection answered.
- EXIT_ERROR (1): an error was reported to the user on stderr, in one line
  (a store that will not open, a script or one-liner that raised).
- EXIT_NO_RESULT (1): for query, select and export: the question was fine,
  the answer is empty (no test ran that line, no test is selected, the store
  holds no test map). It shares 1 with EXIT_ERROR, so that a script can test
  "did I get an answer?" with one comparison; the name says which one a
  command means.
- EXIT_USAGE (2): usage or bad input: a bad option (argparse exits 2 too), a
  script that cannot be read, a syntax error in -c code, a malformed trace
  file, diff or query argument.
- EXIT_INTERRUPTED (130): Ctrl-C stopped a script or one-liner (128 + SIGINT,
  what POSIX shells report).

A script run with `stave run` may also exit with its own status
(sys.exit(N)); stave passes it on.
"""
from __future__ import absolute_import, division, print_function, unicode_literals

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_NO_RESULT = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130
