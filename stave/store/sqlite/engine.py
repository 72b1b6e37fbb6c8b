"""The embedded store: HBase-shaped tables of cells in one SQLite file.

Each store table is one SQLite table (stave.store.sqlite.schema) holding
one record per group of cells that one write put into one family of one row
(packed by stave.store.sqlite.cellpack), found through an index on (row key,
family, timestamp). Reads unpack the groups of a row and merge them into
HBase's cell order; a write at a timestamp that already has a group merges
into it.

Concurrency: the file is in WAL mode, so readers never block the writer.
Every write is one ``BEGIN IMMEDIATE`` transaction: a writer that finds the
store busy waits (up to the timeout) for the lock instead of failing, and a
crash mid-batch leaves the previous state. Table metadata is cached per
connection and reloaded when another connection commits (PRAGMA data_version).

Deletes remove cells at once and leave a delete marker (stave_deletes) that
hides later puts at or below its timestamp until a major compaction drops
it, as in HBase; versions beyond a family's max_versions are hidden on read
and removed by compaction.
"""
from __future__ import absolute_import, division, print_function, unicode_literals

import json
import os
import struct
from collections import OrderedDict
from contextlib import contextmanager
from operator import attrgetter, itemgetter

from stave.compat import JYTHON, iteritems, to_text
from stave.errors import (
    CounterError, SchemaVersionError, StoreOpenError, TableExistsError, TableNotDisabledError,
    TableNotEnabledError, TableNotFoundError)
from stave.store.sqlite.cellstore import CellStore
from stave.store.table_info import TableInfo, now_ms
from stave.store.families import DEFAULTS
from stave.store.reading import ttl_cutoffs
from stave.store.sqlite import schema
from stave.store.sqlite.cellpack import CellGroup, pack_cells, unpack_cells, unpack_qualifiers

_SQLITE_HEADER = b'SQLite format 3\x00'
_COUNTER = struct.Struct('>q')
_CHUNK = 500  # keys per IN (...) lookup, well below SQLite's limit on parameters
# The column types of the queries of cell groups, for the drivers' typed reads.
_GROUP_TYPES = ('blob', 'int', 'blob')  # family, ts, cells
_KEYED_GROUP_TYPES = ('blob',) + _GROUP_TYPES  # key, family, ts, cells
_QUALIFIER_TYPES = ('blob', 'blob')  # key, cells

# Per-connection settings, measured with bench/store_bench.py: NORMAL sync is
# crash-safe in WAL mode; checkpointing every 10,000 pages instead of 1,000
# (fewer syncs) gives bulk writes 20-30%; a 32 MB page cache keeps the upper
# B-tree levels of a large store in memory for point reads.
_CONNECTION_PRAGMAS = (
    'PRAGMA synchronous=NORMAL',
    'PRAGMA wal_autocheckpoint=10000',
    'PRAGMA cache_size=-32768',
)


def open_engine(path, timeout=60.0, driver_class=None):
    """Open (creating if needed) the store file at `path` and return its engine."""
    if path != ':memory:':
        _check_file(path)
    return SqliteCellStore((driver_class or default_driver())(path, timeout), path)


def default_driver():
    """CPython's sqlite3, or sqlite-jdbc on the JVM (same files, same methods)."""
    if JYTHON:
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
                                 hint='point the store URL (stave --store, pytest --stave-store) at a stave store, '
                                      'or at a new file')
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
                hint='stave leaves this file alone; give the store URL (stave --store, '
                     'pytest --stave-store) a new file')
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
                self._forget()  # what it knew of tables may have been rolled back
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
            self.db.execute('DELETE FROM stave_deletes WHERE table_id = ?', (info.id,))
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
            where.append('key >= ?')
            params.append(low)
        if high is not None:
            where.append('key < ?')
            params.append(high)
        return self._read_groups(info, where, params, columns, before, reverse)

    def read_rows(self, info, rows, columns, before):
        keys = sorted(set(rows))
        for start in range(0, len(keys), _CHUNK):
            chunk = keys[start:start + _CHUNK]
            for cell in self._read_groups(info, ['key IN (%s)' % ', '.join('?' * len(chunk))], chunk,
                                          columns, before, False):
                yield cell

    def _read_groups(self, info, where, params, columns, before, reverse):
        """The cell stream of the rows that `where` picks, read through the key
        index in order (backwards for reverse, with no sorting)."""
        wanted = _restrict(where, params, columns, before)
        # Backwards, the index gives each row's groups in the opposite of HBase's
        # order; _range_cells turns them round, a row at a time.
        order = 'key DESC, family DESC, ts ASC' if reverse else 'key, family, ts DESC'
        sql = 'SELECT key, family, ts, cells FROM %s%s ORDER BY %s' % (
            schema.cells_table(info.id), _where(where), order)
        return _range_cells(self.db.iterate(sql, params, _KEYED_GROUP_TYPES), wanted, reverse)

    def read_qualifiers(self, info, rows, family):
        """{row: sorted qualifiers} of `family` in the rows of `rows` that have
        cells in it: every group's (a deleted cell is gone from its group, and
        a put a delete marker hides was never stored)."""
        found = {}
        keys = sorted(set(rows))
        table = schema.cells_table(info.id)
        for start in range(0, len(keys), _CHUNK):
            chunk = keys[start:start + _CHUNK]
            for key, packed in self.db.iterate('SELECT key, cells FROM %s WHERE key IN (%s) AND family = ?'
                                               % (table, ', '.join('?' * len(chunk))), chunk + [family],
                                               _QUALIFIER_TYPES):
                found.setdefault(key, []).append(unpack_qualifiers(packed))
        return dict((key, groups[0] if len(groups) == 1 else sorted(set().union(*groups)))
                    for key, groups in iteritems(found))

    def read_row(self, info, row, columns, before):
        where, params = ['key = ?'], [row]
        wanted = _restrict(where, params, columns, before)
        sql = 'SELECT family, ts, cells FROM %s%s ORDER BY family, ts DESC' % (
            schema.cells_table(info.id), _where(where))
        return _row_cells(list(self.db.iterate(sql, params, _GROUP_TYPES)), wanted)

    # -- writes ----------------------------------------------------------------

    def mutate(self, name, puts, deletes, timestamp, groups=()):
        with self.transaction():
            info = self._writable(name)
            named = set(map(itemgetter(1), puts))
            named.update(map(itemgetter(1), groups))
            named.update(family for _, family, _ in deletes if family is not None)
            info.require_families(named)
            if puts or groups:
                self._put(info, _group_puts(puts, groups), int(timestamp))
            if deletes:
                self._delete(info, deletes, timestamp)

    def _put(self, info, groups, ts):
        """Write `groups` (CellGroups, one per row and family) at timestamp `ts`,
        merging into the groups already written at `ts` (a cell written again
        at the same timestamp takes the new value, as in HBase). Cells a
        delete marker hides are not written."""
        groups = self._unmasked(info, groups, ts)
        # Writing in key order keeps SQLite's B-tree writes local.
        groups.sort(key=attrgetter('row'))
        blob = self.db.blob
        families = dict((family, blob(family)) for family in set(map(attrgetter('family'), groups)))
        records = []
        append = records.append
        for group in groups:  # runs once per row written
            append((blob(group.row), families[group.family], blob(group.pack())))
        table = schema.cells_table(info.id)
        # Nearly every write is at a new timestamp: insert without looking
        # first, and only if a group was already there merge into it. (The
        # timestamp goes into the statement as a literal: an int, so safe.)
        inserted = self.db.execute_many('INSERT OR IGNORE INTO %s (key, family, ts, cells) VALUES (?, ?, %d, ?)'
                                        % (table, ts), records)
        if inserted != len(records):
            self._merge_groups(table, groups, [record[2] for record in records], ts)

    def _merge_groups(self, table, groups, packed_groups, ts):
        """Merge `groups` into the groups of the same row and family that were
        written at `ts` before them (those an INSERT OR IGNORE left alone);
        `packed_groups` are their packed values, as just written."""
        written = dict(((group.row, group.family), (group, packed))
                       for group, packed in zip(groups, packed_groups))
        keys = sorted(set(map(attrgetter('row'), groups)))
        for start in range(0, len(keys), _CHUNK):
            chunk = keys[start:start + _CHUNK]
            for row, family, stored in self.db.execute(
                    'SELECT key, family, cells FROM %s WHERE ts = %d AND key IN (%s)'
                    % (table, ts, ', '.join('?' * len(chunk))), chunk):
                group, packed = written.get((row, family), (None, None))
                # Not in this write, or the group this write inserted (or one
                # equal to it, which merging would leave as it is).
                if group is None or stored == packed:
                    continue
                self.db.execute('UPDATE %s SET cells = ? WHERE key = ? AND family = ? AND ts = ?' % table,
                                (group.merged_into(stored), row, family, ts))

    def _unmasked(self, info, groups, ts):
        """`groups` without the cells that a delete marker at `ts` or above hides
        (HBase's delete markers mask later puts with older timestamps until a
        major compaction; a hidden cell never shows, so it is not stored)."""
        if not self.db.execute('SELECT 1 FROM stave_deletes WHERE table_id = ? AND ts >= ? LIMIT 1',
                               (info.id, ts)):
            return groups  # the usual case: every marker is older than this write
        keys = sorted(set(map(attrgetter('row'), groups)))
        markers = set()
        for start in range(0, len(keys), _CHUNK):
            chunk = keys[start:start + _CHUNK]
            for key, kind, family, qualifier in self.db.execute(
                    'SELECT key, kind, family, qualifier FROM stave_deletes WHERE table_id = ? AND ts >= ? '
                    'AND key IN (%s)' % ', '.join('?' * len(chunk)), [info.id, ts] + chunk):
                markers.add((key, family if kind else None, qualifier if kind == schema.COLUMN_DELETE else None))
        kept = []
        for group in groups:
            row, family = group.row, group.family
            if (row, None, None) in markers or (row, family, None) in markers:
                continue
            cells = dict((q, v) for q, v in iteritems(group.cell_dict()) if (row, family, q) not in markers)
            if cells:
                kept.append(CellGroup(row, family, cells=cells))
        return kept

    def _delete(self, info, deletes, timestamp):
        """Remove the versions <= `timestamp` of whole rows, families and columns,
        and keep a delete marker for each (see _unmasked)."""
        self.db.execute_many(
            'INSERT INTO stave_deletes VALUES (%d, ?, ?, ?, ?, %d) ON CONFLICT (table_id, key, kind, family, '
            'qualifier) DO UPDATE SET ts = max(ts, excluded.ts)' % (info.id, timestamp),
            [_marker(row, family, qualifier) for row, family, qualifier in deletes])
        table = schema.cells_table(info.id)
        columns = {}
        for row, family, qualifier in deletes:
            if family is None:
                self.db.execute('DELETE FROM %s WHERE key = ? AND ts <= ?' % table, (row, timestamp))
            elif qualifier is None:
                self.db.execute('DELETE FROM %s WHERE key = ? AND family = ? AND ts <= ?' % table,
                                (row, family, timestamp))
            else:
                columns.setdefault((row, family), set()).add(qualifier)
        for (row, family), qualifiers in iteritems(columns):
            groups = self.db.execute('SELECT ts, cells FROM %s WHERE key = ? AND family = ? AND ts <= ?'
                                     % table, (row, family, timestamp))
            for ts, packed in groups:
                self._rewrite_group(table, row, family, ts, packed,
                                    lambda cells: [cell for cell in cells if cell[0] not in qualifiers])

    def _rewrite_group(self, table, row, family, ts, packed, keep):
        """Replace a group by keep(its cells), or delete it when nothing is left."""
        cells = unpack_cells(packed)
        kept = keep(cells)
        if len(kept) == len(cells):
            return
        if kept:
            self.db.execute('UPDATE %s SET cells = ? WHERE key = ? AND family = ? AND ts = ?' % table,
                            (pack_cells(kept), row, family, ts))
        else:
            self.db.execute('DELETE FROM %s WHERE key = ? AND family = ? AND ts = ?' % table,
                            (row, family, ts))

    def increment(self, name, row, family, qualifier, amount, now_ms):
        with self.transaction():
            info = self._writable(name)
            info.require_families([family])
            found = self._latest(info, row, family, qualifier)
            cutoff = ttl_cutoffs(info.families, now_ms).get(family)
            current, ts = 0, now_ms
            if found and (cutoff is None or found[0] >= cutoff):
                old_ts, value = found
                if len(value) != _COUNTER.size:
                    raise CounterError(
                        "Attempted to increment field that isn't 64 bits wide: %s column %s:%s in row %r "
                        "holds %d bytes" % (to_text(name), to_text(family), to_text(qualifier), row, len(value)))
                # HBase 2 writes the new value at max(now, old + 1): an increment of
                # a cell written in the future adds a version just above it. Within
                # the old value's millisecond (timing: HBase's round trips rarely
                # stay in one) stave overwrites it at now instead, so that quick
                # increments do not run ahead of the clock and out of reach of a
                # delete made just after them.
                current = _COUNTER.unpack(value)[0]
                ts = old_ts + 1 if old_ts > now_ms else now_ms
            result = _wrap64(current + amount)
            self._put(info, [CellGroup(row, family, cells={qualifier: _COUNTER.pack(result)})], ts)
            return result

    def _latest(self, info, row, family, qualifier):
        """(ts, value) of the newest version of one cell, or None."""
        for ts, packed in self.db.execute('SELECT ts, cells FROM %s WHERE key = ? AND family = ? ORDER BY ts DESC'
                                          % schema.cells_table(info.id), (row, family)):
            for found, value in unpack_cells(packed):
                if found == qualifier:
                    return ts, value
        return None

    def compact(self, name, now_ms, major=False):
        with self.transaction():
            info = self.table_info(name)
            table = schema.cells_table(info.id)
            if major:
                self.db.execute('DELETE FROM stave_deletes WHERE table_id = ?', (info.id,))
            cutoffs = ttl_cutoffs(info.families, now_ms)
            for family, options in info.families.items():
                if family in cutoffs:
                    self.db.execute('DELETE FROM %s WHERE family = ? AND ts < ?' % table, (family, cutoffs[family]))
                self._drop_excess_versions(table, family, options['max_versions'])

    def _drop_excess_versions(self, table, family, max_versions):
        """Remove the versions of each column of `family` beyond the newest `max_versions`."""
        # Only a row with more groups in the family than max_versions can hold
        # an excess version.
        crowded = [row for row, in self.db.execute(
            'SELECT key FROM %s WHERE family = ? GROUP BY key HAVING count(*) > ?' % table,
            (family, max_versions))]
        for row in crowded:
            seen = {}

            def keep(cells):
                kept = []
                for cell in cells:
                    seen[cell[0]] = seen.get(cell[0], 0) + 1
                    if seen[cell[0]] <= max_versions:
                        kept.append(cell)
                return kept
            for ts, packed in self.db.execute('SELECT ts, cells FROM %s WHERE key = ? AND family = ? '
                                              'ORDER BY ts DESC' % table, (row, family)):
                self._rewrite_group(table, row, family, ts, packed, keep)

    def _writable(self, name):
        info = self.table_info(name)
        info.require_enabled()
        return info

    def close(self):
        self.db.close()


def _restrict(where, params, columns, before):
    """Add the SQL for a read timestamp and the families of a column list to a
    WHERE clause. Returns what the SQL cannot select inside the packed groups:
    {family: set of qualifiers, or None for all}, or None when every cell is
    wanted."""
    wanted = None
    if columns:
        # As HBase's Get/Scan addFamily and addColumn, in the order given: a
        # family asks for all of it, and a column of a family asked before
        # narrows it to the columns named after it (HBase's Thrift server
        # calls them in the order of the list).
        wanted = {}
        for family, qualifier in columns:
            if qualifier is None:
                wanted[family] = None
            else:
                qualifiers = wanted.get(family)
                if qualifiers is None:
                    qualifiers = wanted[family] = set()
                qualifiers.add(qualifier)
        # The unary + keeps SQLite from planning around this term: it filters
        # the key index's entries, and the index order serves ORDER BY (with a
        # plain `family IN (?)` SQLite sorts each row's part).
        where.append('+family IN (%s)' % ', '.join('?' * len(wanted)))
        params.extend(sorted(wanted))
        if all(qualifiers is None for qualifiers in wanted.values()):
            wanted = None
    if before is not None:
        where.append('ts < ?')
        params.append(before)
    return wanted


def _where(terms):
    return ' WHERE ' + ' AND '.join(terms) if terms else ''


def _row_cells(groups, wanted):
    """One row's cells [(family, qualifier, ts, value)] in HBase order, from its
    groups (family, ts, packed) ordered by family and newest first."""
    cells = []
    for family, ts, packed in groups:
        qualifiers = wanted.get(family) if wanted else None
        for qualifier, value in unpack_cells(packed):
            if qualifiers is None or qualifier in qualifiers:
                cells.append((family, qualifier, ts, value))
    if len(groups) > 1:
        # A stable sort by column keeps each column's versions newest first.
        cells.sort(key=itemgetter(0, 1))
    return cells


def _range_cells(records, wanted, reverse):
    """The cell stream (row, family, qualifier, ts, value) of a range read, as
    CellStore.read_range promises it, from its groups (key, family, ts,
    packed) in key order, or for `reverse` in exactly the opposite order."""
    current, groups = None, []
    for key, family, ts, packed in records:
        if key != current:
            if groups:
                for cell in _emit(current, groups, wanted, reverse):
                    yield cell
            current, groups = key, []
        groups.append((family, ts, packed))
    if groups:
        for cell in _emit(current, groups, wanted, reverse):
            yield cell


def _emit(key, groups, wanted, reverse):
    """The cells of one row, in HBase order, from its groups as read."""
    if reverse:
        groups.reverse()  # the groups of a reversed read come in the opposite order
    return [(key,) + cell for cell in _row_cells(groups, wanted)]


def _group_puts(puts, groups):
    """The CellGroups, one per row and family, of a batch's put_columns groups
    [(row, family, qualifiers, value)] and then its single puts [(row,
    family, qualifier, value)] (Batch keeps every group ahead of every single
    put, so a later write of a cell wins)."""
    grouped = {}
    for row, family, qualifiers, value in groups:  # runs once per row of a bulk write
        group = CellGroup(row, family, qualifiers, value)
        first = grouped.setdefault((row, family), group)
        if first is not group:  # the same row and family again: one group of both
            first.writable_cells().update(group.cell_dict())
    current = cells = None
    for row, family, qualifier, value in puts:  # runs once per cell
        if (row, family) != current:  # a put's cells come together: one lookup for them
            current = (row, family)
            group = grouped.get(current)
            if group is None:
                group = grouped[current] = CellGroup(row, family, cells={})
            cells = group.writable_cells()
        cells[qualifier] = value
    return list(grouped.values())


def _marker(row, family, qualifier):
    """(key, kind, family, qualifier) of the delete marker of one delete."""
    if family is None:
        return (row, schema.ROW_DELETE, b'', b'')
    if qualifier is None:
        return (row, schema.FAMILY_DELETE, family, b'')
    return (row, schema.COLUMN_DELETE, family, qualifier)


def _wrap64(value):
    """Wrap to a signed 64-bit long, as HBase's Java increment does."""
    return (value + (1 << 63)) % (1 << 64) - (1 << 63)


