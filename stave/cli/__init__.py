"""stave's command line.

Exit status: 0 success, 1 an error reported to the user, 2 usage or bad input.
"""
from __future__ import absolute_import, division, print_function, unicode_literals

import argparse
import sys

import stave
from stave.errors import StaveError
from stave.store import connect, resolve_store_url

EXIT_OK, EXIT_ERROR, EXIT_USAGE = 0, 1, 2


def build_parser():
    parser = argparse.ArgumentParser(
        prog='stave', description='Which tests exercise which lines: a test map in an HBase-shaped store.',
        epilog='Exit status: 0 success, 1 error, 2 usage or bad input.')
    parser.add_argument('--version', action='version', version='stave %s' % stave.__version__)
    commands = parser.add_subparsers(dest='command', metavar='COMMAND')
    info = commands.add_parser(
        'info', help="describe the store: location, layout version, tables and families",
        description='Open the store (creating the embedded one if it is new) and describe it.')
    info.add_argument('--store', metavar='URL',
                      help='store URL (default: $STAVE_STORE, else .stave/stave.db in this project)')
    info.set_defaults(run=run_info)
    return parser


def run_info(args, out):
    """Print the store's URL and each table with its state and families."""
    url = resolve_store_url(args.store)
    with connect(url) as store:
        names = store.tables()
        out.write('store: %s\n' % url)
        out.write('%d table(s)\n' % len(names))
        for name in names:
            table = store.table(name)
            state = 'enabled' if store.is_table_enabled(name) else 'disabled'
            families = ', '.join(
                '%s(max_versions=%d)' % (family.decode('utf-8', 'replace'), options['max_versions'])
                for family, options in sorted(table.families().items()))
            out.write('  %s  %s  %s\n' % (name.decode('utf-8', 'replace'), state, families))
    return EXIT_OK


def main(argv=None, out=None, err=None):
    """Run the command line; return the exit status."""
    out, err = out or sys.stdout, err or sys.stderr
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, 'run', None):
        parser.print_help(out)
        return EXIT_USAGE
    try:
        return args.run(args, out)
    except StaveError as exc:
        err.write('stave: error: %s\n' % exc)
        return EXIT_ERROR
