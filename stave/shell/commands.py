"""The shell's command objects: ``c`` -> table -> row, over any store.

They speak the happybase-shaped store API only, take text or bytes
(text is encoded as UTF-8), and return result objects (stave.shell.results).

    c.table('myTable').create(families=['aFamily:'])
    c.table('myTable').row('aRow').put('aFamily', 'aColumn', 'hello world!')
    c.table('myTable').row('aRow').get('aFamily', 'aColumn')     # 'hello world!'
    list(c.table('myTable').scan())
"""
from __future__ import absolute_import, division, print_function, unicode_literals

import time

from stave.compat import iteritems, native_str, string_types, to_bytes as encode
from stave.shell import display
from stave.shell.results import Description, Names, Number, Row, ScanResult, Status, Value
from stave.store import arguments

#: Families created from the shell keep one version, as in the HBase shell.
SHELL_FAMILY_DEFAULTS = {'max_versions': 1}


class Command(object):
    """Base of command objects: completion lists only their commands."""

    commands = ()

    def __dir__(self):
        return sorted(self.commands)


class StoreCommands(Command):
    """``c``: the store's tables. `confirm` asks the user before destructive
    commands (None: scripts, which do not ask)."""

    commands = ('list_tables', 'tables', 'table')

    def __init__(self, store, confirm=None):
        self._store = store
        self._confirm = confirm

    def __repr__(self):
        return native_str('<stave commands on %s: %s>' % (self._store.url, ', '.join(self.commands)))

    def list_tables(self):
        """The names of the store's tables."""
        started = time.time()
        return Names(self._store.tables(), 'TABLE', started)

    tables = list_tables

    def table(self, name):
        """The commands of table `name` (which need not exist yet: see create())."""
        return TableCommands(self._store, encode(name, 'table name'), self._confirm)


class TableCommands(Command):
    """Commands on one table: DDL, scans, gets and puts."""

    commands = ('create', 'exists', 'enable', 'disable', 'is_enabled', 'drop', 'delete', 'truncate',
                'describe', 'list_families', 'count', 'scan', 'row', 'put', 'get')

    def __init__(self, store, name, confirm=None):
        self._store = store
        self.name = name
        self._confirm = confirm
        self._table = store.table(name)

    def __repr__(self):
        return native_str('<table %s>' % display.show_bytes(self.name))

    def _label(self):
        return display.show_bytes(self.name)

    # -- administration ----------------------------------------------------------------

    def create(self, families):
        """Create the table. `families`: names (['f1', 'f2:']) or {'f1': {'max_versions': 3}}.

        Families given by name keep one version, as in the HBase shell.
        """
        started = time.time()
        if isinstance(families, string_types):
            families = [families]
        if isinstance(families, dict):
            spec = dict((name, dict(SHELL_FAMILY_DEFAULTS, **(options or {}))) for name, options in iteritems(families))
        elif isinstance(families, (list, tuple)):
            spec = dict((name, dict(SHELL_FAMILY_DEFAULTS)) for name in families)
        else:
            raise TypeError("families must be a list of names or a dict of {name: options}")
        self._store.create_table(self.name, spec)
        return Status('Created table %s' % self._label(), started)

    def exists(self):
        """True if the table exists."""
        return self.name in self._store.tables()

    def enable(self):
        """Enable the table."""
        started = time.time()
        self._store.enable_table(self.name)
        return Status('', started)

    def disable(self):
        """Disable the table: it then refuses reads and writes."""
        started = time.time()
        self._store.disable_table(self.name)
        return Status('', started)

    def is_enabled(self):
        """True if the table is enabled."""
        return self._store.is_table_enabled(self.name)

    def drop(self):
        """Delete the table and all its data (disabling it first); asks first at the prompt."""
        started = time.time()
        self._store.is_table_enabled(self.name)  # a missing table fails before the question
        if self._confirm and not self._confirm('Drop table %s and all its data?' % self._label()):
            return Status('Not dropped', started)
        self._store.delete_table(self.name, disable=True)
        return Status('Dropped table %s' % self._label(), started)

    delete = drop

    def truncate(self):
        """Delete every row, keeping the table and its families (disable, drop, create)."""
        started = time.time()
        families = self._table.families()
        if self._confirm and not self._confirm('Delete every row of %s?' % self._label()):
            return Status('Not truncated', started)
        self._store.delete_table(self.name, disable=True)
        self._store.create_table(self.name, dict(
            (name, dict((k, v) for k, v in options.items() if k != 'name')) for name, options in families.items()))
        return Status('Truncated table %s' % self._label(), started)

    def describe(self):
        """The table's state and its families with their options."""
        started = time.time()
        families = self._table.families()
        return Description(self.name, self._store.is_table_enabled(self.name), families, started)

    def list_families(self):
        """The names of the table's families."""
        started = time.time()
        return Names(sorted(self._table.families()), 'FAMILY', started)

    def count(self):
        """The number of rows (reads only the first cell of each)."""
        started = time.time()
        total = sum(1 for _ in self._table.scan(filter='FirstKeyOnlyFilter() AND KeyOnlyFilter()'))
        return Number(total, started)

    # -- data ----------------------------------------------------------------------

    def scan(self, start_row=None, end_row=None, filter=None, row_start=None, row_stop=None,
             row_prefix=None, columns=None, limit=None, reverse=False, timestamp=None, versions=1):
        """Rows from start_row (inclusive) to end_row (exclusive), or with a row_prefix.

        Also takes happybase's names (row_start, row_stop), `columns`
        (['f', 'f:q']), an HBase `filter` string, `limit`, `reverse`, a read
        `timestamp` (exclusive) and `versions` per cell to show.
        """
        started = time.time()
        options = dict(row_start=_key(start_row if start_row is not None else row_start),
                       row_stop=_key(end_row if end_row is not None else row_stop),
                       row_prefix=_key(row_prefix), filter=filter, limit=limit, reverse=reverse,
                       timestamp=timestamp, include_timestamp=True, sorted_columns=True,
                       columns=_columns(columns))
        versions = arguments.versions(versions)
        # The store checks the arguments now, not at the first row; that first
        # scanner serves the first iteration, and later iterations scan again.
        pending = [self._table.scan(**options)]

        def rows():
            scanner = pending.pop() if pending else self._table.scan(**options)
            for key, data in scanner:
                yield Row(key, self._cells(key, data, versions, timestamp))
        return ScanResult(rows, started)

    def _cells(self, key, data, versions, timestamp):
        """(column, ts, value) for display; more versions are read per column when asked."""
        if versions == 1:
            return [(column, ts, value) for column, (value, ts) in data.items()]
        cells = []
        for column in data:
            for value, ts in self._table.cells(key, column, versions=versions, timestamp=timestamp,
                                               include_timestamp=True):
                cells.append((column, ts, value))
        return cells

    def row(self, name):
        """The commands of one row of this table."""
        return RowCommands(self, self._table, encode(name, 'row'))

    def put(self, row, column, value, timestamp=None):
        """Store `value` in `column` ('family:qualifier') of `row`."""
        started = time.time()
        self._table.put(encode(row, 'row'), {encode(column, 'column'): encode(value, 'value')},
                        timestamp=timestamp)
        return Status('', started)

    def get(self, row, columns=None, timestamp=None, versions=1):
        """A row's cells (all columns, or `columns`: 'f', 'f:q' or a list of them)."""
        started = time.time()
        key = encode(row, 'row')
        data = self._table.row(key, columns=_columns(columns), timestamp=timestamp, include_timestamp=True)
        return Row(key, self._cells(key, dict(sorted(data.items())), arguments.versions(versions), timestamp), started)


class RowCommands(Command):
    """Commands on one row: put, get, cells, delete and counters."""

    commands = ('put', 'get', 'cells', 'delete', 'incr', 'counter')

    def __init__(self, table_commands, store_table, key):
        self._commands = table_commands
        self._table = store_table
        self.key = key

    def __repr__(self):
        return native_str('<row %s of table %s>' % (display.show_bytes(self.key),
                                                    display.show_bytes(self._commands.name)))

    def put(self, family, column, value, timestamp=None):
        """Store `value` in family:column of this row."""
        return self._commands.put(self.key, _column(family, column), value, timestamp=timestamp)

    def get(self, family=None, column=None):
        """get(family, column): the newest value, None if absent; get(): the whole row."""
        if family is None:
            return self._commands.get(self.key)
        if column is None:
            return self._commands.get(self.key, columns=[encode(family, 'family')])
        name = _column(family, column)
        data = self._table.row(self.key, columns=[name])
        return Value(data[name]) if name in data else None

    def cells(self, family, column, versions=None):
        """The stored versions of one cell, newest first, with their timestamps."""
        started = time.time()
        name = _column(family, column)
        found = self._table.cells(self.key, name, versions=versions, include_timestamp=True)
        return Row(self.key, [(name, ts, value) for value, ts in found], started)

    def delete(self, family=None, column=None):
        """Delete the whole row, a family, or one column (every version)."""
        started = time.time()
        if family is None:
            self._table.delete(self.key)
        elif column is None:
            self._table.delete(self.key, columns=[encode(family, 'family')])
        else:
            self._table.delete(self.key, columns=[_column(family, column)])
        return Status('', started)

    def incr(self, family, column, by=1):
        """Add `by` to a counter (8-byte big-endian); return its new value."""
        started = time.time()
        value = self._table.counter_inc(self.key, _column(family, column), by)
        return Number(value, started, label='COUNTER VALUE = %d')

    def counter(self, family, column):
        """The value of a counter (a missing one starts at 0)."""
        started = time.time()
        value = self._table.counter_get(self.key, _column(family, column))
        return Number(value, started, label='COUNTER VALUE = %d')


def _key(value):
    return None if value is None else encode(value, 'row key')


def _column(family, column):
    family = encode(family, 'family')
    if family.endswith(b':'):
        family = family[:-1]
    return family + b':' + encode(column, 'column')


def _columns(columns):
    if columns is None:
        return None
    if isinstance(columns, string_types):
        columns = [columns]
    return [encode(column, 'column') for column in columns]
