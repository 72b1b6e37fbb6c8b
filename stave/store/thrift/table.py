"""The Thrift backend's Table: happybase's reads and counters, with stave's
argument checks first, scans that open at once and exact reverse prefix
scans. CPython only."""
import itertools

import happybase

from stave.errors import StoreError, TableNotEnabledError, TableNotFoundError
from stave.store import arguments, contract
from stave.store.filters import parse_filter
from stave.store.reading import check_reverse_filter
from stave.store.table_info import TableInfo
from stave.store.thrift.batch import Batch
from stave.store.thrift.wire import text


class Table(contract.Table, happybase.Table):
    """contract.Table over happybase.Table (the contract's methods come first;
    each checks its arguments, then calls happybase's)."""

    _family_names = None

    def families(self):
        return happybase.Table.families(self)

    def regions(self):
        return happybase.Table.regions(self)

    def row(self, row, columns=None, timestamp=None, include_timestamp=False):
        arguments.read_columns(columns, timestamp)
        return happybase.Table.row(self, arguments.row_key(row), columns, timestamp, include_timestamp)

    def rows(self, rows, columns=None, timestamp=None, include_timestamp=False):
        keys = arguments.row_keys(rows)
        arguments.read_columns(columns, timestamp)
        return happybase.Table.rows(self, keys, columns, timestamp, include_timestamp)

    def cells(self, row, column, versions=None, timestamp=None, include_timestamp=False):
        versions = arguments.versions(versions)
        arguments.read_columns([column], timestamp)
        return happybase.Table.cells(self, arguments.row_key(row), column, versions, timestamp, include_timestamp)

    def scan(self, row_start=None, row_stop=None, row_prefix=None, columns=None, filter=None,
             timestamp=None, include_timestamp=False, batch_size=1000, scan_batching=None,
             limit=None, sorted_columns=False, reverse=False):
        options = arguments.scan_options(row_start, row_stop, row_prefix, columns, filter, timestamp,
                                         batch_size, scan_batching, limit)
        row_start, row_stop, row_prefix = options.row_start, options.row_stop, options.row_prefix
        sent_filter, prefix = options.filter, None
        if reverse and row_prefix:
            # happybase scans (prefix, increment(prefix)] backwards: that includes the
            # row equal to increment(prefix) and misses the row equal to the prefix.
            # Thrift1 has no exclusive start row: scan down from increment(prefix)
            # to below the prefix and stop at the first row outside it. If the row
            # increment(prefix) exists, a PrefixFilter on the server skips it
            # instead (so that a limit or a PageFilter does not count it).
            prefix = row_prefix
            row_start, row_stop, row_prefix = happybase.util.bytes_increment(prefix), prefix[:-1] or None, None
            if row_start is not None and happybase.Table.row(self, row_start):
                sent_filter = b"PrefixFilter('" + prefix.replace(b"'", b"''") + b"')"
                if options.filter is not None:
                    # HBase would accept a missing ')' at the end, and would no longer
                    # refuse a filter that leaves a family non-essential: check as the
                    # embedded store does.
                    check_reverse_filter(parse_filter(options.filter, reverse=True), self.families(),
                                         options.columns)
                    sent_filter = b'(' + options.filter + b') AND ' + sent_filter
        rows = happybase.Table.scan(
            self, row_start=row_start, row_stop=row_stop, row_prefix=row_prefix, columns=columns,
            filter=sent_filter, timestamp=timestamp, include_timestamp=include_timestamp,
            batch_size=batch_size, scan_batching=scan_batching, limit=limit,
            sorted_columns=sorted_columns, reverse=reverse)
        if prefix is not None:
            rows = _within_prefix(rows, prefix)
        try:
            return _opened(rows)
        except StoreError:
            if filter is None:
                raise
            # HBase's server fails a filter its ParseFilter refuses with a bare
            # "Internal error": stave's parser points at the mistake, if it sees one.
            parse_filter(options.filter)
            raise

    def batch(self, timestamp=None, batch_size=None, transaction=False, wal=True):
        return Batch(self, timestamp=timestamp, batch_size=batch_size, transaction=transaction, wal=wal)

    def counter_inc(self, row, column, value=1):
        row, _, _ = arguments.counter(row, column, value)
        return happybase.Table.counter_inc(self, row, column, value)

    # -- for the Batch -------------------------------------------------------------

    def require_families(self, families):
        """Raise NoSuchColumnFamilyError, listing the table's families, if one of
        `families` is not the table's (TableNotFoundError if there is no table).
        The families are asked once per Table, and again when one is not found."""
        if self._family_names is None or not families <= self._family_names:
            known = self.families()
            self._family_names = set(known)
            TableInfo(self.name, None, True, sorted(known)).require_families(families)

    def explain_write_failure(self):
        """After a write failed: raise TableNotEnabledError if the table is disabled
        (TableNotFoundError if it is missing); return if neither explains it."""
        try:
            enabled = self.connection.client.isTableEnabled(self.name)
        except TableNotFoundError:
            raise
        except StoreError:
            return  # the check failed too: the write's own error says more
        if not enabled:
            raise TableNotEnabledError('table %s is disabled' % text(self.name), hint='enable_table() it first')


def _opened(rows):
    """Start the generator `rows` now; return an iterator over all its items."""
    try:
        first = next(rows)
    except StopIteration:
        return iter(())
    return itertools.chain([first], rows)


def _within_prefix(rows, prefix):
    """The rows of a reverse scan that start with `prefix`: it starts at or above
    the prefix and ends at the first row below it."""
    for row in rows:
        if row[0].startswith(prefix):
            yield row
        elif row[0] < prefix:
            rows.close()  # closes the server's scanner now
            return
