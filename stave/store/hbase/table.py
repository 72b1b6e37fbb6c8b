"""happybase's Table and Batch over the HBase 2.x Java client (Jython only).

Reads are Gets and Scans, filter strings go to HBase's own ParseFilter,
batches go through a BufferedMutator, counters through
incrementColumnValue. Argument checks and result shapes are the embedded
store's (stave.store.sqlite.table), so both backends answer alike.
"""
from __future__ import absolute_import, division, print_function, unicode_literals

import jarray

from stave.compat import to_bytes, to_text
from stave.errors import FilterSyntaxError, StoreError, TableNotEnabledError
from stave.store.sqlite import table as front
from stave.store.sqlite.batch import Batch as StoreBatch
from stave.store.filters import parse_filter
from stave.store.hbase.connection import java_bytes, table_name
from stave.store.names import bytes_increment
from stave.store.reading import make_row

from java.lang import Exception as JavaException
from org.apache.hadoop.hbase import CellUtil
from org.apache.hadoop.hbase.client import Delete, Get, Put, Scan
from org.apache.hadoop.hbase.filter import ParseFilter


class Table(front.Table):
    """One HBase table, with happybase's Table methods and return shapes."""

    def __init__(self, name, connection):
        front.Table.__init__(self, name, connection)
        self._cluster = connection._engine  # the ClusterAdmin: Java connection and error mapping
        self._java_name = table_name(name)
        self._families = None  # cached family names, for checking batches before they are sent

    def _call(self, doing, method, *args):
        return self._cluster.call('%s of table %s' % (doing, to_text(self.name)), method, *args)

    @property
    def java(self):
        """The Java org.apache.hadoop.hbase.client.Table."""
        return self._cluster.opened('open', self._java_name, self._cluster.java.getTable)

    @property
    def mutator(self):
        """The Java BufferedMutator of this table."""
        return self._cluster.opened('open a BufferedMutator', self._java_name, self._cluster.java.getBufferedMutator)

    # -- schema ----------------------------------------------------------------

    def regions(self):
        """The table's regions, as happybase lists them."""
        locator = self._call('locate regions', self._cluster.java.getRegionLocator, self._java_name)
        locations = self._call('locate regions', locator.getAllRegionLocations)
        if not locations:
            self._cluster.table_info(self.name)  # HBase lists no regions for a missing table: say so
        regions = []
        for location in locations:
            region, server = location.getRegion(), location.getServerName()  # no server while in transition
            regions.append({
                'start_key': java_bytes(region.getStartKey()), 'end_key': java_bytes(region.getEndKey()),
                'id': int(region.getRegionId()), 'name': java_bytes(region.getRegionName()), 'version': 1,
                'server_name': server.getHostname().encode('utf-8') if server else b'',
                'port': server.getPort() if server else 0,
            })
        return regions

    def family_names(self, refresh=False):
        """The table's column family names (cached; `refresh` asks HBase again)."""
        if self._families is None or refresh:
            self._families = set(self._cluster.table_info(self.name).families)
        return self._families

    # -- reads -------------------------------------------------------------------

    def row(self, row, columns=None, timestamp=None, include_timestamp=False):
        """The newest value of each column of `row`: {b'f:q': value}, {} if absent."""
        get = _get(to_bytes(row, 'row'), front.read_columns(columns, timestamp), timestamp)
        return make_row(_cells(self._call('get', self.java.get, get)), include_timestamp)

    def rows(self, rows, columns=None, timestamp=None, include_timestamp=False):
        """[(row, data)] for the rows of `rows` that exist, in the order asked;
        {} for no keys at all, as happybase answers."""
        keys = front.row_keys(rows)
        columns = front.read_columns(columns, timestamp)
        if not keys:
            return {}
        results = self._call('get', self.java.get, [_get(key, columns, timestamp) for key in keys])
        return [(key, make_row(_cells(result), include_timestamp))
                for key, result in zip(keys, results) if not result.isEmpty()]

    def cells(self, row, column, versions=None, timestamp=None, include_timestamp=False):
        """The versions of one cell, newest first: [value] or [(value, ts)]."""
        versions = front.check_versions(versions)
        get = _get(to_bytes(row, 'row'), front.read_columns([column], timestamp), timestamp, versions)
        cells = _cells(self._call('get', self.java.get, get))
        return [(value, ts) if include_timestamp else value for _, _, ts, value in cells]

    def scan(self, row_start=None, row_stop=None, row_prefix=None, columns=None, filter=None,
             timestamp=None, include_timestamp=False, batch_size=1000, scan_batching=None,
             limit=None, sorted_columns=False, reverse=False):
        """Iterate over (row, data) for the rows in a range, as happybase's scan;
        the scanner opens at once, so a missing table or a bad filter raises here."""
        front.check_scan_sizes(batch_size, scan_batching, limit)
        scan = _scan_range(row_start, row_stop, row_prefix, reverse)
        _add_columns(scan, front.read_columns(columns, timestamp))
        if timestamp is not None:
            scan.setTimeRange(0, timestamp)
        scan.setCaching(batch_size)
        if filter is not None:
            java_filter = self._parse_filter(filter)
            if scan_batching is not None and java_filter.hasFilterRow():
                # The region server would fail the scan (IncompatibleFilterException).
                raise ValueError("'scan_batching' splits rows, and filter %r needs whole rows" % (filter,))
            scan.setFilter(java_filter)
        if scan_batching is not None:
            scan.setBatch(scan_batching)
        elif limit is not None:
            scan.setLimit(limit)  # without batching, HBase's row limit is happybase's
        scanner = self._call('scan', self.java.getScanner, scan)
        return self._results(scanner, include_timestamp, sorted_columns, limit)

    def _results(self, scanner, include_timestamp, sorted_columns, limit):
        """Yield happybase rows from a Java ResultScanner; closes it at the end,
        or when the caller stops iterating."""
        count = 0
        try:
            while limit is None or count < limit:
                result = self._call('scan', scanner.next)
                if result is None:
                    return
                count += 1
                yield java_bytes(result.getRow()), make_row(_cells(result), include_timestamp, sorted_columns)
        finally:
            scanner.close()

    def _parse_filter(self, text):
        """HBase's own Filter for a filter string. When HBase refuses it, stave's
        parser is asked too, for an error that points at the mistake."""
        raw = to_bytes(text, 'filter')
        try:
            # As a byte[]: a str would pick the String overload, and HBase would
            # re-encode it (a filter on the byte \xff would look for U+00FF).
            return ParseFilter().parseFilterString(jarray.array(raw, 'b'))
        except JavaException as exc:  # IllegalArgumentException mostly; an empty stack for ''
            parse_filter(raw)  # raises FilterSyntaxError with the position, if stave sees one
            raise FilterSyntaxError('HBase refused the filter: %s' % (exc.getMessage() or exc), to_text(raw), 0)

    # -- writes ------------------------------------------------------------------

    def batch(self, timestamp=None, batch_size=None, transaction=False, wal=True):
        """A new Batch for this table, sent through HBase's BufferedMutator."""
        return Batch(self, timestamp=timestamp, batch_size=batch_size, transaction=transaction, wal=wal)

    def counter_inc(self, row, column, value=1):
        """Atomically add `value` to the counter and return the new value."""
        row, family, qualifier = front.counter_args(row, column, value)
        return int(self._call('increment', self.java.incrementColumnValue, row, family, qualifier, value))


class Batch(StoreBatch):
    """stave's Batch, sent as Java Puts and Deletes through the table's BufferedMutator.

    HBase applies a batch row by row, not atomically; so that the commonest
    failure (a family the table lacks) writes nothing, families are checked
    against the table's before anything is sent.
    """

    def _reset(self):
        StoreBatch._reset(self)
        self._group_families = set()

    _check_each_qualifier = True

    def _group(self, row, family, qualifiers, value):
        """One put_columns call as one Java Put, built now (the bulk writer's
        path: no tuple per cell)."""
        put = Put(row) if self._timestamp is None else Put(row, self._timestamp)
        # Jython turns a str into a new byte[] at every call: once per row here.
        java_family, java_value = jarray.array(family, 'b'), jarray.array(value, 'b')
        for qualifier in qualifiers:
            put.addColumn(java_family, qualifier, java_value)
        self._group_families.add(family)
        return put

    def send(self):
        """Send the buffered mutations now: the groups of put_columns, the single
        puts, then the deletes, each flushed before the next (one flush may
        reorder a request's mutations)."""
        if not self._groups and not self._puts and not self._deletes:
            return
        table = self._table
        self._check_families(self._group_families | set(cell[1] for cell in self._puts)
                             | set(family for _, family, _ in self._deletes if family is not None))
        try:
            for mutations in (self._groups, _puts(self._puts, self._timestamp),
                              _deletes(self._deletes, self._timestamp)):
                if mutations:
                    # In slices: the client re-reads its whole queue for each request
                    # it sends, so one list far beyond its write buffer costs
                    # quadratic time (44% of a 2M-cell import's CPU).
                    for start in range(0, len(mutations), _MUTATE_SLICE):
                        table._call('write', table.mutator.mutate, mutations[start:start + _MUTATE_SLICE])
                    table._call('write', table.mutator.flush)
        except StoreError:
            # A disabled table's regions still have servers in hbase:meta, so a batch
            # fails with retries exhausted on NotServingRegionException: say why.
            if not table._call('check', table._cluster.admin.isTableEnabled, table._java_name):
                raise TableNotEnabledError('table %s is disabled' % to_text(table.name),
                                           hint='enable_table() it first')
            raise
        self._reset()

    def _check_families(self, families):
        table = self._table
        if families - table.family_names() and families - table.family_names(refresh=True):
            info = table._cluster.table_info(table.name)
            info.require_enabled()
            info.require_families(families)


#: Mutations handed to the BufferedMutator at a time.
_MUTATE_SLICE = 500


def _get(row, columns, timestamp, versions=1):
    """A Java Get of one row."""
    get = Get(row)
    _add_columns(get, columns)
    if timestamp is not None:
        get.setTimeRange(0, timestamp)
    get.readVersions(versions)
    return get


def _add_columns(query, columns):
    """Limit a Get or Scan to [(family, qualifier or None)] (None: every column)."""
    for family, qualifier in columns or ():
        if qualifier is None:
            query.addFamily(family)
        else:
            query.addColumn(family, qualifier)


def _scan_range(row_start, row_stop, row_prefix, reverse):
    """A Java Scan over happybase's bounds (for `reverse`, start is the larger key)."""
    scan = Scan()
    scan.setReversed(reverse)
    if row_prefix is not None:
        if row_start is not None or row_stop is not None:
            raise TypeError("'row_prefix' cannot be combined with 'row_start' or 'row_stop'")
        prefix = to_bytes(row_prefix, 'row_prefix')
        after = bytes_increment(prefix)
        if not reverse:
            scan.withStartRow(prefix)
            if after is not None:
                scan.withStopRow(after)
        else:
            if after is not None:
                scan.withStartRow(after, False)
            scan.withStopRow(prefix, True)
        return scan
    if row_start is not None:
        scan.withStartRow(to_bytes(row_start, 'row_start'))
    if row_stop:
        scan.withStopRow(to_bytes(row_stop, 'row_stop'))
    return scan


def _cells(result):
    """(family, qualifier, ts, value) of a Java Result's cells, in HBase order
    (int(): a Java long arrives as a Python 2 long, which prints as '5L')."""
    return [(java_bytes(CellUtil.cloneFamily(cell)), java_bytes(CellUtil.cloneQualifier(cell)),
             int(cell.getTimestamp()), java_bytes(CellUtil.cloneValue(cell))) for cell in result.rawCells()]


def _puts(cells, timestamp):
    """One Java Put per row for [(row, family, qualifier, value)], in first-seen row order."""
    puts = {}
    order = []
    for row, family, qualifier, value in cells:
        put = puts.get(row)
        if put is None:
            put = puts[row] = Put(row) if timestamp is None else Put(row, timestamp)
            order.append(put)
        put.addColumn(family, qualifier, value)
    return order


def _deletes(deletes, timestamp):
    """Java Deletes for [(row, family or None, qualifier or None)]: a whole row,
    a family, or every version of a column (those up to `timestamp`, if given)."""
    result = []
    for row, family, qualifier in deletes:
        at = () if timestamp is None else (timestamp,)  # no timestamp: HBase's "now"
        delete = Delete(row, *at)
        if family is not None and qualifier is None:
            delete.addFamily(family, *at)
        elif family is not None:
            delete.addColumns(family, qualifier, *at)
        result.append(delete)
    return result
