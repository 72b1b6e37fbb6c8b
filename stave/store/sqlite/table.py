"""happybase's Table over an embedded engine: reads, writes, scans and counters."""
from __future__ import absolute_import, division, print_function, unicode_literals

import struct

from stave.compat import is_integer, to_bytes
from stave.store.sqlite.batch import Batch
from stave.store.table_info import now_ms
from stave.store.families import describe
from stave.store.filters import parse_filter
from stave.store.names import bytes_increment, split_column
from stave.store.reading import (
    RowReader, check_reverse_filter, group_rows, latest_row, latest_rows, make_row, reverse_within_rows,
    ttl_cutoffs)

_COUNTER = struct.Struct('>q')
#: versions=None in cells(): HBase's largest version count.
_ALL_VERSIONS = 2 ** 31 - 1


class Table(object):
    """One table of a store, with happybase's Table methods and return shapes.

    Keys, columns and values are bytes; text is accepted and encoded as UTF-8.
    Get instances from Connection.table(); like happybase's, a Table does not
    check that the table exists until it is used.
    """

    def __init__(self, name, connection):
        self.name = name
        self.connection = connection
        self._engine = connection._engine

    def __repr__(self):
        return '<%s.%s name=%r>' % (__name__, self.__class__.__name__, self.name)

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
        info, columns, timestamp = self._read_args(columns, timestamp)
        cells = self._engine.read_row(info, to_bytes(row, 'row'), columns, timestamp)
        return latest_row(cells, _cutoffs(info), include_timestamp)

    def rows(self, rows, columns=None, timestamp=None, include_timestamp=False):
        """[(row, data)] for the rows of `rows` that exist, in the order asked;
        {} for no keys at all, as happybase answers."""
        keys = row_keys(rows)
        if not keys:
            return {}
        info, columns, timestamp = self._read_args(columns, timestamp)
        found = dict(latest_rows(self._engine.read_rows(info, keys, columns, timestamp), _cutoffs(info),
                                 include_timestamp))
        return [(key, found[key]) for key in keys if key in found]

    def cells(self, row, column, versions=None, timestamp=None, include_timestamp=False):
        """The versions of one cell, newest first: [value] or [(value, ts)]."""
        versions = check_versions(versions)
        info, columns, timestamp = self._read_args([column], timestamp)
        cells = self._engine.read_row(info, to_bytes(row, 'row'), columns, timestamp)
        reader = RowReader(info.families, now_ms(), versions=versions)
        kept = reader.visible(cells)[:versions]
        return [(value, ts) if include_timestamp else value for _, _, ts, value in kept]

    def scan(self, row_start=None, row_stop=None, row_prefix=None, columns=None, filter=None,
             timestamp=None, include_timestamp=False, batch_size=1000, scan_batching=None,
             limit=None, sorted_columns=False, reverse=False):
        """Iterate over (row, data) for the rows in a range, in key order.

        As in happybase: `row_start` is inclusive, `row_stop` exclusive (for
        `reverse`, start is the larger key), `row_prefix` replaces both, and
        `filter` is an HBase filter string. Arguments are checked at once,
        not when iteration starts.
        """
        check_scan_sizes(batch_size, scan_batching, limit)
        low, high = scan_range(row_start, row_stop, row_prefix, reverse)
        row_filter = parse_filter(filter, reverse=reverse) if filter is not None else None
        info, columns, timestamp = self._read_args(columns, timestamp)
        if reverse and row_filter is not None:
            check_reverse_filter(row_filter, info.families, columns)
        cells = self._engine.read_range(info, low, high, reverse, columns, timestamp)
        if reverse:
            cells = reverse_within_rows(cells)
        if row_filter is None and scan_batching is None:
            results = latest_rows(cells, _cutoffs(info), include_timestamp, sorted_columns)
        else:
            rows = RowReader(info.families, now_ms(), row_filter=row_filter).rows(group_rows(cells))
            results = _split_rows(rows, include_timestamp, sorted_columns, scan_batching)
        return results if limit is None else _limited(results, limit)

    def _read_args(self, columns, timestamp):
        """Check the common read arguments; return (table info, columns, timestamp)."""
        columns = read_columns(columns, timestamp)
        info = self._engine.table_info(self.name)
        info.require_enabled()
        if columns:
            info.require_families(family for family, _ in columns)
        return info, columns, timestamp

    # -- writes ------------------------------------------------------------------

    def put(self, row, data, timestamp=None, wal=True):
        """Store `data` ({b'f:q': value}) in `row`, atomically."""
        with self.batch(timestamp=timestamp, wal=wal) as batch:
            batch.put(row, data)

    def delete(self, row, columns=None, timestamp=None, wal=True):
        """Delete the whole row, or `columns` (b'f' for a family, b'f:q' for a column);
        with `timestamp`, only the versions up to and including it."""
        with self.batch(timestamp=timestamp, wal=wal) as batch:
            batch.delete(row, columns)

    def batch(self, timestamp=None, batch_size=None, transaction=False, wal=True):
        """A new Batch for this table (see stave.store.sqlite.batch.Batch)."""
        return Batch(self, timestamp=timestamp, batch_size=batch_size, transaction=transaction, wal=wal)

    # -- counters ------------------------------------------------------------------

    def counter_get(self, row, column):
        """The counter's value; a missing counter is created as 0, as in happybase."""
        return self.counter_inc(row, column, value=0)

    def counter_set(self, row, column, value=0):
        """Store `value` as an 8-byte big-endian signed long."""
        self.put(row, {column: _COUNTER.pack(value)})

    def counter_inc(self, row, column, value=1):
        """Atomically add `value` to the counter and return the new value."""
        row, family, qualifier = counter_args(row, column, value)
        return self._engine.increment(self.name, row, family, qualifier, value, now_ms())

    def counter_dec(self, row, column, value=1):
        """Atomically subtract `value` from the counter and return the new value."""
        return self.counter_inc(row, column, -value)


# -- argument checks, shared with the HBase Java client's Table -------------------------

def read_columns(columns, timestamp):
    """Check a read's `columns` and `timestamp`; return [(family, qualifier or None)] or None."""
    if columns is not None and not isinstance(columns, (tuple, list)):
        raise TypeError("'columns' must be a tuple or list")
    if timestamp is not None and not is_integer(timestamp):
        raise TypeError("'timestamp' must be an integer")
    if not columns:
        return None
    return [split_column(to_bytes(column, 'column')) for column in columns]


def row_keys(rows):
    """rows()'s `rows` argument as a list of bytes keys."""
    if not isinstance(rows, (tuple, list)):
        raise TypeError("'rows' must be a tuple or list")
    return [to_bytes(row, 'row') for row in rows]


def check_versions(versions):
    """cells()'s `versions`: a number >= 1, or None for all of them."""
    if versions is None:
        return _ALL_VERSIONS
    if not is_integer(versions):
        raise TypeError("'versions' argument must be a number or None")
    if versions < 1:
        raise ValueError("'versions' argument must be at least 1 (or None)")
    return versions


def check_scan_sizes(batch_size, scan_batching, limit):
    """Check scan()'s size arguments."""
    if not is_integer(batch_size) or batch_size < 1:
        raise ValueError("'batch_size' must be >= 1")
    if limit is not None and (not is_integer(limit) or limit < 1):
        raise ValueError("'limit' must be >= 1")
    if scan_batching is not None and (not is_integer(scan_batching) or scan_batching < 1):
        raise ValueError("'scan_batching' must be >= 1")


def counter_args(row, column, value):
    """Check a counter call; return (row, family, qualifier) as bytes."""
    if not is_integer(value):
        raise TypeError("'value' must be an integer")
    family, qualifier = split_column(to_bytes(column, 'column'))
    return to_bytes(row, 'row'), family, qualifier or b''


def scan_range(row_start, row_stop, row_prefix, reverse):
    """Translate happybase's scan bounds into a key range [low, high)."""
    if row_prefix is not None:
        if row_start is not None or row_stop is not None:
            raise TypeError("'row_prefix' cannot be combined with 'row_start' or 'row_stop'")
        prefix = to_bytes(row_prefix, 'row_prefix')
        return prefix, bytes_increment(prefix)
    start = to_bytes(row_start, 'row_start') if row_start is not None else b''
    stop = to_bytes(row_stop, 'row_stop') if row_stop else None
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
