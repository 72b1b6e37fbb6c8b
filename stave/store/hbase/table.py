"""The HBase Java client backend's Table (Jython only).

Reads are Gets and Scans, filter strings go to HBase's own ParseFilter,
counters go through incrementColumnValue, batches (stave.store.hbase.batch)
through a BufferedMutator. Arguments are checked by stave.store.arguments and
rows shaped by stave.store.reading, as on every backend.
"""
from __future__ import absolute_import, division, print_function, unicode_literals

import jarray

from stave.compat import to_text
from stave.errors import FilterSyntaxError
from stave.store import arguments, contract
from stave.store.families import describe
from stave.store.filters import parse_filter
from stave.store.hbase.batch import Batch
from stave.store.hbase.connection import java_bytes, table_name
from stave.store.names import bytes_increment
from stave.store.reading import make_row

from java.lang import Exception as JavaException
from org.apache.hadoop.hbase import CellUtil
from org.apache.hadoop.hbase.client import Get, Scan
from org.apache.hadoop.hbase.filter import ParseFilter


class Table(contract.Table):
    """contract.Table over one HBase table."""

    def __init__(self, name, connection):
        contract.Table.__init__(self, name, connection)
        self._java_name = table_name(name)
        self._families = None  # cached family names, for checking batches before they are sent

    def _call(self, doing, method, *args):
        return self.connection.call('%s of table %s' % (doing, to_text(self.name)), method, *args)

    @property
    def java(self):
        """The Java org.apache.hadoop.hbase.client.Table."""
        return self.connection.opened('open', self._java_name, self.connection.java.getTable)

    @property
    def mutator(self):
        """The Java BufferedMutator of this table."""
        return self.connection.opened('open a BufferedMutator', self._java_name,
                                      self.connection.java.getBufferedMutator)

    # -- schema ----------------------------------------------------------------

    def regions(self):
        """The table's regions, as happybase lists them."""
        locator = self._call('locate regions', self.connection.java.getRegionLocator, self._java_name)
        locations = self._call('locate regions', locator.getAllRegionLocations)
        if not locations:
            self.connection.table_info(self.name)  # HBase lists no regions for a missing table: say so
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

    def families(self):
        return dict((family, describe(family, options))
                    for family, options in self.connection.table_info(self.name).families.items())

    def family_names(self, refresh=False):
        """The table's column family names (cached; `refresh` asks HBase again)."""
        if self._families is None or refresh:
            self._families = set(self.connection.table_info(self.name).families)
        return self._families

    # -- reads -------------------------------------------------------------------

    def row(self, row, columns=None, timestamp=None, include_timestamp=False):
        get = _get(arguments.row_key(row), arguments.read_columns(columns, timestamp), timestamp)
        return make_row(_cells(self._call('get', self.java.get, get)), include_timestamp)

    def rows(self, rows, columns=None, timestamp=None, include_timestamp=False):
        keys = arguments.row_keys(rows)
        columns = arguments.read_columns(columns, timestamp)
        if not keys:
            return {}
        results = self._call('get', self.java.get, [_get(key, columns, timestamp) for key in keys])
        return [(key, make_row(_cells(result), include_timestamp))
                for key, result in zip(keys, results) if not result.isEmpty()]

    def cells(self, row, column, versions=None, timestamp=None, include_timestamp=False):
        versions = arguments.versions(versions)
        get = _get(arguments.row_key(row), arguments.read_columns([column], timestamp), timestamp, versions)
        cells = _cells(self._call('get', self.java.get, get))
        return [(value, ts) if include_timestamp else value for _, _, ts, value in cells]

    def scan(self, row_start=None, row_stop=None, row_prefix=None, columns=None, filter=None,
             timestamp=None, include_timestamp=False, batch_size=1000, scan_batching=None,
             limit=None, sorted_columns=False, reverse=False):
        options = arguments.scan_options(row_start, row_stop, row_prefix, columns, filter, timestamp,
                                         batch_size, scan_batching, limit)
        scan = _scan_range(options, reverse)
        _add_columns(scan, options.columns)
        if timestamp is not None:
            scan.setTimeRange(0, timestamp)
        scan.setCaching(batch_size)
        if options.filter is not None:
            java_filter = self._parse_filter(options.filter)
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

    def _parse_filter(self, raw):
        """HBase's own Filter for a filter string (bytes). When HBase refuses it,
        stave's parser is asked too, for an error that points at the mistake."""
        try:
            # As a byte[]: a str would pick the String overload, and HBase would
            # re-encode it (a filter on the byte \xff would look for U+00FF).
            return ParseFilter().parseFilterString(jarray.array(raw, 'b'))
        except JavaException as exc:  # IllegalArgumentException mostly; an empty stack for ''
            parse_filter(raw)  # raises FilterSyntaxError with the position, if stave sees one
            raise FilterSyntaxError('HBase refused the filter: %s' % (exc.getMessage() or exc), to_text(raw), 0)

    # -- writes ------------------------------------------------------------------

    def batch(self, timestamp=None, batch_size=None, transaction=False, wal=True):
        """A new Batch for this table (see stave.store.hbase.batch.Batch)."""
        return Batch(self, timestamp=timestamp, batch_size=batch_size, transaction=transaction, wal=wal)

    def counter_inc(self, row, column, value=1):
        row, family, qualifier = arguments.counter(row, column, value)
        return int(self._call('increment', self.java.incrementColumnValue, row, family, qualifier, value))


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


def _scan_range(options, reverse):
    """A Java Scan over a scan's checked bounds (for `reverse`, start is the larger key)."""
    scan = Scan()
    scan.setReversed(reverse)
    if options.row_prefix is not None:
        prefix = options.row_prefix
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
    if options.row_start is not None:
        scan.withStartRow(options.row_start)
    if options.row_stop:
        scan.withStopRow(options.row_stop)
    return scan


def _cells(result):
    """(family, qualifier, ts, value) of a Java Result's cells, in HBase order
    (int(): a Java long arrives as a Python 2 long, which prints as '5L')."""
    return [(java_bytes(CellUtil.cloneFamily(cell)), java_bytes(CellUtil.cloneQualifier(cell)),
             int(cell.getTimestamp()), java_bytes(CellUtil.cloneValue(cell))) for cell in result.rawCells()]
