"""What the shell, `stave run` scripts and `stave -c` code see: c, store, tm and help."""
from __future__ import absolute_import, division, print_function, unicode_literals

import sys

from stave.compat import native_str
from stave.shell.commands import Command, StoreCommands

OVERVIEW = """\
stave shell: Python, with these names
  c        the store's commands:
             c.list_tables()
             c.table('t').create(families=['f'])        also {'f': {'max_versions': 3}}
             c.table('t').put('row', 'f:q', 'value')
             c.table('t').row('row').put('f', 'q', 'value')
             c.table('t').row('row').get('f', 'q')       the newest value, or None
             c.table('t').get('row')                     the whole row
             c.table('t').scan(row_prefix='a', filter="KeyOnlyFilter()", limit=10)
             c.table('t').describe(), .count(), .disable(), .enable(), .truncate(), .drop()
  store    the store itself (happybase's Connection API: store.table('t').scan(...))
  tm       the test map: tm.tests_for('app/db.py', 212), tm.lines_for(test), tm.tests_for_file(path),
           tm.tests(), tm.files(), tm.stats(), tm.hot_lines(10)
  help     help(c.table('t')) lists a command object's commands; help(x) is Python's help

Results print like the HBase shell; in code they are plain Python values:
list(c.table('t').scan()) gives [(row, {column: value})], and values compare
equal to text. Text is stored as UTF-8. Tab completes; Ctrl-C cancels; Ctrl-D exits.
"""


class StaveHelp(object):
    """help(): stave's overview; help(command object): its commands; help(x): Python's help."""

    def __init__(self, out=None):
        self._out = out

    def __repr__(self):
        return native_str("Type help() for stave's commands, or help(object) for help about object.")

    def __call__(self, subject=None):
        out = self._out or sys.stdout
        if subject is None:
            out.write(OVERVIEW)
        elif isinstance(subject, Command):
            out.write('%r\n' % subject)
            for name in subject.commands:
                doc = (getattr(type(subject), name).__doc__ or '').strip().split('\n')[0]
                out.write('  %-14s %s\n' % (name, doc))
        else:
            import pydoc  # 15 ms: only when asked for
            pydoc.help(subject)


def build_namespace(store, confirm=None):
    """The names a session starts with; `confirm` asks before destructive commands."""
    from stave.testmap import TestMap
    return {
        '__name__': '__stave__',
        'c': StoreCommands(store, confirm=confirm),
        'store': store,
        'tm': TestMap(store),
        'help': StaveHelp(),
    }
