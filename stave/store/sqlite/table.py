"""The embedded store's Table: reads, writes, scans and counters over an engine."""
from __future__ import absolute_import, division, print_function, unicode_literals

from stave.store import arguments, contract
from stave.store.families import describe
from stave.store.filters import parse_filter
from stave.store.names import bytes_increment
from stave.store.reading import (
    RowReader, check_reverse_filter, group_rows, latest_row, latest_rows, make_row, ttl_cutoffs)
from stave.store.sqlite.batch import Batch
from stave.store.table_info import now_ms


class Table(contract.Table):
    """contract.Table over an embedded engine: the engine reads and writes
    cells; versions, time-to-live, filters and result shapes are applied here
    (stave.store.reading)."""

    def __init__(self, name, connection):
        contract.Table.__init__(self, name, connection)
        self._engine = connection._engine

    # -- schema ----------------------------------------------------------------

    def families(self):
        """{family: options} of this table, as happybase returns them."""
        info = self._engine.table_info(self.name)
        return dict((family, describe(family, options)) for family, options in info.families.items())

    def regions(self):
        """The table's regions: an embedded table is one region spanning all keys."""
        info = self._engine.table_info(self.name)
        return [{
            'start_key': b'', 'end_key': b'', 'id': info.id,
            'name': self.name + b',,' + str(info.id).encode('ascii'),
            'version': 1, 'server_name': b'localhost', 'port': 0,
        }]

    # -- reads -------------------------------------------------------------------

    def row(self, row, columns=None, timestamp=None, include_timestamp=False):
        """The newest value of each column of `row`: {b'f:q': value}, {} if absent."""
        info, columns = self._read_args(columns, timestamp)
        cells = self._engine.read_row(info, arguments.row_key(row), columns, timestamp)
        return latest_row(cells, _cutoffs(info), include_timestamp)

    def rows(self, rows, columns=None, timestamp=None, include_timestamp=False):
        """[(row, data)] for the rows of `rows` that exist, in the order asked;
        {} for no keys at all, as happybase answers."""
        keys = arguments.row_keys(rows)
        if not keys:
            return {}
        info, columns = self._read_args(columns, timestamp)
        found = dict(latest_rows(self._engine.read_rows(info, keys, columns, timestamp), _cutoffs(info),
                                 include_timestamp))
        return [(key, found[key]) for key in keys if key in found]

    def qualifiers(self, rows, family):
        """[(row, [qualifiers])] of `family` in the rows of `rows` that have
        cells in it, straight from the stored groups; through rows() for a
        family with a time to live (its cells' ages count)."""
        info = self._engine.table_info(self.name)
        if _cutoffs(info).get(family) is not None or not isinstance(family, bytes) or b':' in family:
            return contract.Table.qualifiers(self, rows, family)
        keys = arguments.row_keys(rows)
        info, _ = self._table_info([(family, None)])
        found = self._engine.read_qualifiers(info, keys, family)
        return [(key, found[key]) for key in keys if key in found]

    def cells(self, row, column, versions=None, timestamp=None, include_timestamp=False):
        """The versions of one cell, newest first: [value] or [(value, ts)]."""
        versions = arguments.versions(versions)
        info, columns = self._read_args([column], timestamp)
        cells = self._engine.read_row(info, arguments.row_key(row), columns, timestamp)
        reader = RowReader(info.families, now_ms(), versions=versions)
        kept = reader.visible(cells)[:versions]
        return [(value, ts) if include_timestamp else value for _, _, ts, value in kept]

    def scan(self, row_start=None, row_stop=None, row_prefix=None, columns=None, filter=None,
             timestamp=None, include_timestamp=False, batch_size=1000, scan_batching=None,
             limit=None, sorted_columns=False, reverse=False):
        options = arguments.scan_options(row_start, row_stop, row_prefix, columns, filter, timestamp,
                                         batch_size, scan_batching, limit)
        low, high = _key_range(options, reverse)
        row_filter = parse_filter(options.filter, reverse=reverse) if options.filter is not None else None
        info, columns = self._table_info(options.columns)
        if reverse and row_filter is not None:
            check_reverse_filter(row_filter, info.families, columns)
        cells = self._engine.read_range(info, low, high, reverse, columns, timestamp)
        if row_filter is None and scan_batching is None:
            results = latest_rows(cells, _cutoffs(info), include_timestamp, sorted_columns)
        else:
            rows = RowReader(info.families, now_ms(), row_filter=row_filter).rows(group_rows(cells))
            results = _split_rows(rows, include_timestamp, sorted_columns, scan_batching)
        return results if limit is None else _limited(results, limit)

    def _read_args(self, columns, timestamp):
        """Check the common read arguments; return (table info, columns)."""
        return self._table_info(arguments.read_columns(columns, timestamp))

    def _table_info(self, columns):
        """(TableInfo, columns) of an enabled table that has the families of `columns`."""
        info = self._engine.table_info(self.name)
        info.require_enabled()
        if columns:
            info.require_families(family for family, _ in columns)
        return info, columns

    # -- writes ------------------------------------------------------------------

    def batch(self, timestamp=None, batch_size=None, transaction=False, wal=True):
        """A new Batch for this table (see stave.store.sqlite.batch.Batch)."""
        return Batch(self, timestamp=timestamp, batch_size=batch_size, transaction=transaction, wal=wal)

    # -- counters ------------------------------------------------------------------

    def counter_inc(self, row, column, value=1):
        row, family, qualifier = arguments.counter(row, column, value)
        return self._engine.increment(self.name, row, family, qualifier, value, now_ms())


def _key_range(options, reverse):
    """The key range [low, high) of a scan's checked bounds (low b'' and high
    None leave that end open)."""
    if options.row_prefix is not None:
        return options.row_prefix, bytes_increment(options.row_prefix)
    start = options.row_start if options.row_start is not None else b''
    stop = options.row_stop
    if not reverse:
        return start, stop
    # Reverse: start is the inclusive upper end, stop the exclusive lower end.
    # For byte strings, k + b'\0' is the smallest key after k, so (stop, start]
    # is [stop + b'\0', start + b'\0').
    return (stop + b'\x00' if stop else b''), (start + b'\x00' if start else None)


def _cutoffs(info):
    """The TTL cutoffs of the table's families, if any family has a TTL."""
    return ttl_cutoffs(info.families, now_ms())


def _split_rows(rows, include_timestamp, sorted_columns, scan_batching):
    """Shape (row, cells) as happybase results, splitting wide rows by scan_batching."""
    for row, cells in rows:
        step = scan_batching or len(cells)
        for offset in range(0, len(cells), step):
            yield row, make_row(cells[offset:offset + step], include_timestamp, sorted_columns)


def _limited(results, limit):
    """At most `limit` results (a split row counts once per part, as in happybase)."""
    for count, result in enumerate(results, 1):
        yield result
        if count >= limit:
            return
