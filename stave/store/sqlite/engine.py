"""The embedded store: HBase-shaped tables of cells in one SQLite file.

Concurrency: the file is in WAL mode, so readers never block the writer.
Every write is one ``BEGIN IMMEDIATE`` transaction: a writer that finds the
store busy waits (up to the timeout) for the lock instead of failing, and a
crash mid-batch leaves the previous state. Table metadata is cached per
connection and reloaded when another connection commits (PRAGMA data_version).

Deletes remove cells at once, and versions beyond a family's max_versions
are hidden on read and removed by compaction: the behaviour HBase shows after
a major compaction (and with NEW_VERSION_BEHAVIOR), without delete markers
that mask later puts.
"""
from __future__ import absolute_import, division, print_function, unicode_literals

import json
import os
import struct
import sys
from collections import OrderedDict
from contextlib import contextmanager
from operator import itemgetter

from stave.compat import to_text
from stave.errors import (
    CounterError, SchemaVersionError, StoreOpenError, TableExistsError, TableNotDisabledError,
    TableNotEnabledError, TableNotFoundError)
from stave.store.cellstore import CellStore, TableInfo, now_ms
from stave.store.families import DEFAULTS
from stave.store.reading import ttl_cutoffs
from stave.store.sqlite import schema

_SQLITE_HEADER = b'SQLite format 3\x00'
_COUNTER = struct.Struct('>q')

# Per-connection settings, measured with bench/store_bench.py: NORMAL sync is
# crash-safe in WAL mode; checkpointing every 10,000 pages instead of 1,000
# (fewer syncs) gives bulk writes 20-30%; a 32 MB page cache keeps the upper
# B-tree levels of a large store in memory for point reads.
_CONNECTION_PRAGMAS = (
    'PRAGMA synchronous=NORMAL',
    'PRAGMA wal_autocheckpoint=10000',
    'PRAGMA cache_size=-32768',
)


def open_sqlite_store(path, timeout=60.0, driver_class=None):
    """Open (creating if needed) the store file at `path` and return its engine."""
    if path != ':memory:':
        _check_file(path)
    return SqliteCellStore((driver_class or default_driver())(path, timeout), path)


def default_driver():
    """CPython's sqlite3, or sqlite-jdbc on the JVM (same files, same methods)."""
    if sys.platform.startswith('java'):
        from stave.store.sqlite.jdbc_driver import JdbcDriver
        return JdbcDriver
    from stave.store.sqlite.driver import Sqlite3Driver
    return Sqlite3Driver


def _check_file(path):
    """Refuse, before SQLite touches it, a file that is not an SQLite database."""
    if os.path.isdir(path):
        raise StoreOpenError('%s is a directory, not a store file' % path)
    if os.path.exists(path) and os.path.getsize(path) > 0:
        with open(path, 'rb') as handle:
            header = handle.read(len(_SQLITE_HEADER))
        if header != _SQLITE_HEADER:
            raise StoreOpenError('%s is not a stave store: the file is not an SQLite database' % path,
                                 hint='point --store at a stave store, or at a new file')
    else:
        directory = os.path.dirname(os.path.abspath(path))
        if not os.path.isdir(directory):
            os.makedirs(directory)


class SqliteCellStore(CellStore):
    """CellStore over one SQLite database (see the module docstring)."""

    def __init__(self, driver, path):
        self.db = driver
        self.path = path
        self._depth = 0
        self._infos = {}
        self._data_version = None
        self._ensure_schema()

    # -- schema ------------------------------------------------------------

    def _ensure_schema(self):
        for pragma in _CONNECTION_PRAGMAS:
            self.db.execute(pragma)
        if not self._existing_tables():
            # A new file: larger pages make the bulk writes of test maps about 15%
            # faster. The page size is fixed once the file has content (and WAL is on).
            self.db.execute('PRAGMA page_size=%d' % schema.PAGE_SIZE)
            if self.path != ':memory:':
                self.db.execute('PRAGMA journal_mode=WAL')
            with self.transaction():
                if not self._existing_tables():  # another process may have won the race
                    for statement in schema.CREATE_SCHEMA:
                        self.db.execute(statement)
                    self.db.execute('INSERT INTO stave_meta VALUES (?, ?)',
                                    ('schema_version', to_text(str(schema.SCHEMA_VERSION))))
                    self.db.execute('PRAGMA application_id=%d' % schema.APPLICATION_ID)
        tables = self._existing_tables()
        if 'stave_meta' not in tables:
            raise StoreOpenError(
                '%s is an SQLite database but not a stave store (it holds tables: %s)'
                % (self.path, ', '.join(sorted(tables))),
                hint='stave leaves this file alone; give --store a new file')
        found = self.db.execute("SELECT value FROM stave_meta WHERE key = 'schema_version'")
        version = int(found[0][0]) if found else None
        if version != schema.SCHEMA_VERSION:
            newer = version is not None and version > schema.SCHEMA_VERSION
            raise SchemaVersionError(
                'the store %s has layout version %s; this stave reads version %d'
                % (self.path, version, schema.SCHEMA_VERSION),
                hint='upgrade stave to read it' if newer else
                'export it with the stave that wrote it; the file was left untouched')

    def _existing_tables(self):
        return set(row[0] for row in self.db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
                   if not row[0].startswith('sqlite_'))

    @contextmanager
    def transaction(self):
        """One write transaction; nested uses join the outermost one."""
        if self._depth == 0:
            self.db.execute('BEGIN IMMEDIATE')
        self._depth += 1
        try:
            yield
        except BaseException:
            self._depth -= 1
            if self._depth == 0:
                self.db.execute('ROLLBACK')
            raise
        self._depth -= 1
        if self._depth == 0:
            self.db.execute('COMMIT')

    # -- tables ------------------------------------------------------------

    def table_names(self):
        return [row[0] for row in self.db.execute('SELECT name FROM stave_tables ORDER BY name')]

    def table_info(self, name):
        version = self.db.execute('PRAGMA data_version')[0][0]
        if version != self._data_version:
            self._infos.clear()
            self._data_version = version
        info = self._infos.get(name)
        if info is None:
            info = self._infos[name] = self._load_info(name)
        return info

    def _load_info(self, name):
        found = self.db.execute('SELECT id, enabled FROM stave_tables WHERE name = ?', (name,))
        if not found:
            raise TableNotFoundError('table %s does not exist' % to_text(name),
                                     hint='check the name against the list of tables')
        table_id, enabled = found[0]
        families = OrderedDict()
        for family, options in self.db.execute(
                'SELECT name, options FROM stave_families WHERE table_id = ? ORDER BY name', (table_id,)):
            loaded = json.loads(options)
            families[family] = OrderedDict((key, loaded[key]) for key in DEFAULTS)
        return TableInfo(name, table_id, bool(enabled), families)

    def _forget(self):
        self._infos.clear()

    def create_table(self, name, families):
        with self.transaction():
            if self.db.execute('SELECT 1 FROM stave_tables WHERE name = ?', (name,)):
                raise TableExistsError('table %s already exists' % to_text(name))
            self.db.execute('INSERT INTO stave_tables (name, enabled, created) VALUES (?, 1, ?)',
                            (name, now_ms()))
            table_id = self.db.execute('SELECT id FROM stave_tables WHERE name = ?', (name,))[0][0]
            self.db.execute_many(
                'INSERT INTO stave_families VALUES (?, ?, ?, ?, ?)',
                [(table_id, family, options['max_versions'], options['time_to_live'], to_text(json.dumps(options)))
                 for family, options in families.items()])
            for statement in schema.create_table_statements(table_id):
                self.db.execute(statement)
        self._forget()

    def delete_table(self, name):
        with self.transaction():
            info = self._load_info(name)
            if info.enabled:
                raise TableNotDisabledError('table %s is enabled; disable it before deleting it' % to_text(name),
                                            hint='delete_table(name, disable=True) does both')
            self.db.execute('DROP TABLE %s' % schema.cells_table(info.id))
            self.db.execute('DROP TABLE %s' % schema.rows_table(info.id))
            self.db.execute('DELETE FROM stave_families WHERE table_id = ?', (info.id,))
            self.db.execute('DELETE FROM stave_tables WHERE id = ?', (info.id,))
        self._forget()

    def set_enabled(self, name, enabled):
        with self.transaction():
            info = self._load_info(name)
            if info.enabled == enabled:
                error = TableNotDisabledError if enabled else TableNotEnabledError
                raise error('table %s is already %s' % (to_text(name), 'enabled' if enabled else 'disabled'))
            self.db.execute('UPDATE stave_tables SET enabled = ? WHERE id = ?', (int(enabled), info.id))
        self._forget()

    # -- reads ---------------------------------------------------------------

    def read_range(self, info, low, high, reverse, columns, before):
        where, params = [], []
        if low:
            where.append('r.key >= ?')
            params.append(low)
        if high is not None:
            where.append('r.key < ?')
            params.append(high)
        _restrict(where, params, columns, before, 'c.')
        order = ('r.key DESC, c.family DESC, c.qualifier DESC, c.ts ASC' if reverse
                 else 'r.key, c.family, c.qualifier, c.ts DESC')
        # CROSS JOIN keeps the row keys as the outer loop: a walk of both primary
        # keys in order, with no sorting.
        sql = ('SELECT r.key, c.family, c.qualifier, c.ts, c.value FROM %s AS r CROSS JOIN %s AS c '
               'ON c.row_id = r.id%s ORDER BY %s' % (
                   schema.rows_table(info.id), schema.cells_table(info.id), _where(where), order))
        return self.db.iterate(sql, params, cells=True)

    def read_row(self, info, row, columns, before):
        where, params = ['row_id = (SELECT id FROM %s WHERE key = ?)' % schema.rows_table(info.id)], [row]
        _restrict(where, params, columns, before, '')
        sql = 'SELECT family, qualifier, ts, value FROM %s%s ORDER BY family, qualifier, ts DESC' % (
            schema.cells_table(info.id), _where(where))
        return list(self.db.iterate(sql, params, cells=True))

    def _row_ids(self, info, keys, create):
        """{row key: row id} for `keys`; with `create`, new keys get new ids.
        Must run inside a write transaction."""
        keys, rows = sorted(set(keys)), schema.rows_table(info.id)
        if create and keys and self._after_last_key(rows, keys[0]):
            ids, missing = {}, keys  # a bulk load appending: none of the keys exists yet
        else:
            ids = {}
            for start in range(0, len(keys), 500):
                chunk = keys[start:start + 500]
                ids.update(self.db.execute('SELECT key, id FROM %s WHERE key IN (%s)'
                                           % (rows, ', '.join('?' * len(chunk))), chunk))
            missing = [key for key in keys if key not in ids]
        if create and missing:
            first = self.db.execute('SELECT next_row FROM stave_tables WHERE id = ?', (info.id,))[0][0]
            new = [(key, first + n) for n, key in enumerate(missing)]
            self.db.execute_many('INSERT INTO %s (key, id) VALUES (?, ?)' % rows, new)
            self.db.execute('UPDATE stave_tables SET next_row = ? WHERE id = ?', (first + len(new), info.id))
            ids.update(new)
        return ids

    def _after_last_key(self, rows, key):
        """True if `key` sorts after every key of the rows table (one B-tree seek)."""
        last = self.db.execute('SELECT max(key) FROM %s' % rows)[0][0]
        return last is None or key > last

    # -- writes ----------------------------------------------------------------

    def mutate(self, name, puts, deletes, timestamp):
        with self.transaction():
            info = self._writable(name)
            table = schema.cells_table(info.id)
            named = set(map(itemgetter(1), puts))
            named.update(family for _, family, _ in deletes if family is not None)
            info.require_families(named)
            if puts:
                # Inserting in key order keeps SQLite's B-tree writes local; the
                # batch's one timestamp goes into the statement as a literal (an
                # int, so safe).
                ids = self._row_ids(info, map(itemgetter(0), puts), create=True)
                self.db.execute_many(
                    'INSERT INTO %s (row_id, family, qualifier, ts, value) VALUES (?, ?, ?, %d, ?) ON CONFLICT DO UPDATE SET value = excluded.value'
                    % (table, int(timestamp)),
                    sorted((ids[row], family, qualifier, value) for row, family, qualifier, value in puts))
            if deletes:
                ids = self._row_ids(info, (d[0] for d in deletes), create=False)
                for parts, keys in _group_deletes(deletes).items():
                    where = ['row_id = ?', 'family = ?', 'qualifier = ?'][:parts] + ['ts <= ?']
                    self.db.execute_many('DELETE FROM %s WHERE %s' % (table, ' AND '.join(where)),
                                         [(ids[key[0]],) + key[1:] + (timestamp,) for key in keys if key[0] in ids])

    def increment(self, name, row, family, qualifier, amount, now_ms):
        with self.transaction():
            info = self._writable(name)
            info.require_families([family])
            table = schema.cells_table(info.id)
            row_id = self._row_ids(info, [row], create=True)[row]
            found = self.db.execute(
                'SELECT ts, value FROM %s WHERE row_id = ? AND family = ? AND qualifier = ? '
                'ORDER BY ts DESC LIMIT 1' % table, (row_id, family, qualifier))
            cutoff = ttl_cutoffs(info.families, now_ms).get(family)
            current, ts = 0, now_ms
            if found and (cutoff is None or found[0][0] >= cutoff):
                old_ts, value = found[0]
                if len(value) != _COUNTER.size:
                    raise CounterError(
                        "Attempted to increment field that isn't 64 bits wide: %s column %s:%s in row %r "
                        "holds %d bytes" % (to_text(name), to_text(family), to_text(qualifier), row, len(value)))
                current, ts = _COUNTER.unpack(value)[0], max(now_ms, old_ts)
            result = _wrap64(current + amount)
            self.db.execute('INSERT OR REPLACE INTO %s (row_id, family, qualifier, ts, value) '
                            'VALUES (?, ?, ?, ?, ?)' % table, (row_id, family, qualifier, ts, _COUNTER.pack(result)))
            return result

    def compact(self, name, now_ms):
        with self.transaction():
            info = self.table_info(name)
            table = schema.cells_table(info.id)
            cutoffs = ttl_cutoffs(info.families, now_ms)
            for family, options in info.families.items():
                if family in cutoffs:
                    self.db.execute('DELETE FROM %s WHERE family = ? AND ts < ?' % table, (family, cutoffs[family]))
                self.db.execute(
                    'DELETE FROM {t} WHERE family = ? AND (row_id, family, qualifier, ts) IN ('
                    ' SELECT row_id, family, qualifier, ts FROM ('
                    '  SELECT row_id, family, qualifier, ts, ROW_NUMBER() OVER ('
                    '   PARTITION BY row_id, family, qualifier ORDER BY ts DESC) AS n'
                    '  FROM {t} WHERE family = ?) WHERE n > ?)'.format(t=table),
                    (family, family, options['max_versions']))
            self.db.execute('DELETE FROM {r} WHERE NOT EXISTS (SELECT 1 FROM {t} WHERE row_id = {r}.id)'.format(
                r=schema.rows_table(info.id), t=table))

    def _writable(self, name):
        info = self.table_info(name)
        info.require_enabled()
        return info

    def close(self):
        self.db.close()


def _restrict(where, params, columns, before, alias):
    """Add the SQL for a column list and a read timestamp to a WHERE clause
    (`alias` prefixes the cell columns, as 'c.')."""
    if columns:
        terms = []
        for family, qualifier in columns:
            if qualifier is None:
                terms.append('%sfamily = ?' % alias)
                params.append(family)
            else:
                terms.append('(%sfamily = ? AND %squalifier = ?)' % (alias, alias))
                params.extend((family, qualifier))
        where.append('(%s)' % ' OR '.join(terms))
    if before is not None:
        where.append('%sts < ?' % alias)
        params.append(before)


def _where(terms):
    return ' WHERE ' + ' AND '.join(terms) if terms else ''


def _group_deletes(deletes):
    """{number of key parts: [key tuples]} for row, family and column deletes."""
    groups = {}
    for row, family, qualifier in deletes:
        key = (row,) if family is None else (row, family) if qualifier is None else (row, family, qualifier)
        groups.setdefault(len(key), []).append(key)
    return groups


def _wrap64(value):
    """Wrap to a signed 64-bit long, as HBase's Java increment does."""
    return (value + (1 << 63)) % (1 << 64) - (1 << 63)


