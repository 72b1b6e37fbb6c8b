"""stave's command line: the shell, scripts, one-liners and store information.

    stave [--store URL] [--debug]                 the interactive shell
    stave shell [--store URL] [--debug]           the same
    stave run SCRIPT.py [ARGS...]                 a script with the shell's namespace
    stave -c 'CODE'                               one-liner; a lone expression is shown
    stave info [--format text|json|csv]           the store's tables and families
    stave import FILE... | export | query ... | select --diff REV     the test map
    stave serve [--host H] [--port P]              the store as an HBase Thrift1 server
    stave web [--host H] [--port P]                the test map in a browser
    stave record [--every S] -- SCRIPT.py [ARGS]    run a program with the recorder on

The store is --store, else $STAVE_STORE, else `store` in [tool.stave] of the
project's pyproject.toml, else .stave/stave.db in the project root.
Exit status (stave.exit_status): 0 success, 1 an error reported to the user
(for query, select and export: no result), 2 usage or bad input.
"""
from __future__ import absolute_import, division, print_function, unicode_literals

import argparse
import sys

import stave
from stave.errors import StaveError
from stave.exit_status import EXIT_ERROR, EXIT_OK, EXIT_USAGE

_STORE_HELP = ('store URL, e.g. sqlite:///path/stave.db (default: $STAVE_STORE, else [tool.stave] '
               'store in pyproject.toml, else .stave/stave.db in the project root)')


class _NoCommand(Exception):
    """Python 2's argparse (Jython) insists on a subcommand; stave's is optional."""


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        if message == 'too few arguments':  # only Python 2 says this, for a missing command
            raise _NoCommand()
        argparse.ArgumentParser.error(self, message)


def build_parser():
    """The argument parser; --store and --debug work before or after the command."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument('--store', metavar='URL', default=argparse.SUPPRESS, help=_STORE_HELP)
    common.add_argument('--debug', action='store_true', default=argparse.SUPPRESS,
                        help='show tracebacks and the process bus log')
    parser = _Parser(
        prog='stave', parents=[common],
        description='stave: which tests exercise which lines, in an HBase-shaped store. '
                    'Without a command, starts the interactive shell.',
        epilog='Exit status: 0 success, 1 an error reported to the user (for query, select and export: '
               'no result), 2 usage or bad input.')
    parser.add_argument('--version', action='version', version='stave %s' % stave.__version__)
    parser.add_argument('-c', dest='code', metavar='CODE',
                        help="run CODE with the shell's names (c, store, tm, help); a lone expression's "
                             'result is printed')
    commands = parser.add_subparsers(dest='command', metavar='COMMAND')
    commands.add_parser('shell', parents=[common], help='the interactive shell (the default)',
                        description="A Python shell whose names c, store and help command the store.")
    run = commands.add_parser('run', parents=[common], help="run a Python script with the shell's names",
                              description="Run SCRIPT as __main__ with the shell's names (c, store, "
                                          "help) and sys.argv = [SCRIPT, ARGS...]; its exit status "
                                          "is stave's.")
    run.add_argument('script', metavar='SCRIPT.py')
    run.add_argument('args', nargs=argparse.REMAINDER, metavar='ARGS')
    info = commands.add_parser('info', parents=[common], help="describe the store: its tables and families",
                               description='Open the store (creating the embedded one if it is new) and '
                                           'list its tables, their state and families. JSON and CSV give '
                                           "each family's options, as the shell's describe() does.")
    info.add_argument('--format', choices=('text', 'json', 'csv'), default='text')
    from stave.cli.testmap_commands import add_commands
    add_commands(commands, common)
    from stave.cli import record_command, serve_command, web_command
    serve_command.add_command(commands, common)
    web_command.add_command(commands, common)
    record_command.add_command(commands, common)
    return parser


def main(argv=None):
    """Run the command line; return the exit status."""
    parser = build_parser()
    argv = sys.argv[1:] if argv is None else list(argv)
    try:
        args = parser.parse_args(argv)
    except _NoCommand:
        args = parser.parse_args(argv + ['shell'])
        args.command = None
    if args.code is not None and args.command:
        parser.error('give either -c CODE or a command, not both')
    debug = getattr(args, 'debug', False)
    try:
        from stave.store import resolve_store_url
        url = resolve_store_url(args.out if args.command == 'merge' else getattr(args, 'store', None))
    except StaveError as exc:
        sys.stderr.write('stave: error: %s\n' % exc)
        return EXIT_ERROR
    if args.command in ('serve', 'web', 'record'):
        return run_server(args, url, debug)
    return build_bus(url, choose_job(args, url, debug), debug).run()


def choose_job(args, url, debug):
    """The main job of the command: a function of the open store returning the exit status."""
    from stave.shell.namespace import build_namespace
    if args.code is not None:
        from stave.shell.scripts import run_code
        return lambda store: run_code(args.code, build_namespace(store), debug=debug)
    if args.command == 'run':
        from stave.shell.scripts import run_script
        return lambda store: run_script(args.script, args.args, build_namespace(store), debug=debug)
    if args.command == 'info':
        return lambda store: run_info(store, url, sys.stdout, args.format)
    from stave.cli.testmap_commands import job_for
    return job_for(args) or (lambda store: run_shell(store, url, debug))


def build_bus(url, job, debug):
    """A StaveBus with the plugins every command needs: logging, signals, the store, the job."""
    from stave.bus import StaveBus
    from stave.bus.plugins import JobPlugin, LoggingPlugin, SignalPlugin, StorePlugin
    from stave.store import connect
    bus = StaveBus()
    LoggingPlugin(bus, debug=debug).subscribe()
    SignalPlugin(bus).subscribe()
    store = StorePlugin(bus, url, connect)
    store.subscribe()
    JobPlugin(bus, store, job).subscribe()
    return bus


def run_server(args, url, debug):
    """`stave serve`, `stave web` and `stave record`: the bus with the command's
    plugin; the job waits for a signal (or, for record, runs the program)."""
    if args.command == 'serve':
        from stave.cli.serve_command import ServeCommand as Command
    elif args.command == 'web':
        from stave.cli.web_command import WebCommand as Command
    else:
        from stave.cli.record_command import RecordCommand as Command
    command = Command(args, url)
    bus = build_bus(url, command.job, debug)
    try:
        command.subscribe(bus)
    except StaveError as exc:
        sys.stderr.write('stave: error: %s\n' % exc)
        return EXIT_ERROR
    except ValueError as exc:
        sys.stderr.write('stave: error: %s\n' % exc)
        return EXIT_USAGE
    return bus.run()


def run_shell(store, url, debug):
    """The interactive shell (or a piped session when stdin is not a terminal)."""
    from stave.shell.console import StaveConsole, ask, history_path
    from stave.shell.namespace import build_namespace
    from stave.jvm import stdin_is_terminal
    interactive = stdin_is_terminal()
    namespace = build_namespace(store, confirm=ask if interactive else None)
    banner = ('stave %s shell on %s\n'
              "c: the store's commands, store: the store itself, help(): how to use them. "
              'Ctrl-D exits.' % (stave.__version__, url))
    console = StaveConsole(namespace, interactive, debug=debug, history_path=history_path())
    return console.session(banner)


def run_info(store, url, out, fmt='text'):
    """Print the store's URL and each table with its state and families; as JSON or
    CSV, each table's description as the shell's describe() renders it."""
    from stave.formatting import render
    tables = describe_tables(store)
    if fmt != 'text':
        out.write(render(tables, fmt))
        return EXIT_OK
    out.write('store: %s\n' % url)
    out.write('%d table(s)\n' % len(tables.value))
    for table in tables.value:
        families = ', '.join('%s(max_versions=%d)' % (name, options['max_versions'])
                             for name, options in sorted(table['families'].items()))
        out.write('  %s  %s  %s\n' % (table['table'], 'enabled' if table['enabled'] else 'disabled', families))
    return EXIT_OK


def describe_tables(store):
    """The store's tables described as the shell's describe() does, as one Answer:
    its JSON the list of their descriptions, its CSV their rows under one header."""
    import time
    from stave.formatting import Answer
    from stave.shell.results import Description
    started = time.time()
    described = [Description(name, store.is_table_enabled(name), store.table(name).families(), started)
                 for name in store.tables()]
    return Answer(Description.header, [row for table in described for row in table.to_rows()],
                  [table.to_python() for table in described])
