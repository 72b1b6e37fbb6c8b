"""The Hbase Thrift1 service over a stave store: a translation, nothing more.

One Handler serves one client connection with its own store connection and
its own scanners. Each method turns Thrift structs into a call on stave's
happybase-shaped store API and the result back into structs; the semantics
(versions, timestamps, deletes, filters, counters) live in the store, once.
Errors go back as the IDL's IOError, IllegalArgument or AlreadyExists, their
message starting with the class name HBase would give (see
stave.store.thrift.errors), so a client never sees a dropped connection.
"""
import functools
import itertools
import logging
import threading

import happybase  # noqa: F401  (loads the IDL as the module Hbase_thrift)
from happybase.util import pep8_to_camel_case, thrift_type_to_dict
from Hbase_thrift import (
    AlreadyExists, BatchMutation, ColumnDescriptor, Hbase, IllegalArgument, IOError, TCell, TColumn, TRegionInfo,
    TRowResult)

from stave.errors import StaveError, TableExistsError
from stave.store.table_info import now_ms
from stave.store.families import DEFAULTS
from stave.store.thrift.errors import wire_message

log = logging.getLogger(__name__)

#: Scanner ids are unique across the server, as in HBase.
_scanner_ids = itertools.count(1)
_scanner_ids_lock = threading.Lock()


def _declared(method):
    """The exception classes the IDL declares for `method`."""
    spec = getattr(Hbase, method + '_result').thrift_spec
    return tuple(entry[2] for key, entry in spec.items() if entry[1] != 'success')


def _reports_errors(name, method):
    """Wrap a handler method so every failure reaches the client as a declared exception."""
    declared = _declared(name)

    @functools.wraps(method)
    def call(self, *args):
        try:
            return method(self, *args)
        except (IOError, IllegalArgument, AlreadyExists):
            raise
        except TableExistsError as exc:
            if AlreadyExists in declared:
                raise AlreadyExists(message=wire_message(exc))
            raise IOError(message=wire_message(exc))
        except (TypeError, ValueError) as exc:
            if IllegalArgument in declared:
                raise IllegalArgument(message=wire_message(exc))
            raise IOError(message=wire_message(exc))
        except StaveError as exc:
            raise IOError(message=wire_message(exc))
        except Exception as exc:  # a bug: keep serving, tell the client and the log
            log.exception('%s failed', name)
            raise IOError(message=wire_message(exc))
    return call


class _Reporting(type):
    """Metaclass: every public method named in the IDL reports errors as the IDL declares."""

    def __new__(mcs, name, bases, namespace):
        for key, value in list(namespace.items()):
            if key in Hbase.thrift_services:
                namespace[key] = _reports_errors(key, value)
        return type.__new__(mcs, name, bases, namespace)


def _row_result(row, data, ordered=False):
    """A TRowResult from a happybase row dict with timestamps."""
    # Positional arguments: this runs once per row scanned, and keywords cost twice as much.
    if ordered:
        return TRowResult(row, None, [TColumn(column, TCell(value, ts)) for column, (value, ts) in data.items()])
    return TRowResult(row, {column: TCell(value, ts) for column, (value, ts) in data.items()})


def _family(name):
    """A family as Thrift names it, 'f' or 'f:', as the store names it: 'f'."""
    return name[:-1] if name.endswith(b':') else name


def _table_of(region_or_table):
    """The table name in a region name ('table,start,id') or a table name."""
    return region_or_table.split(b',', 1)[0]


class Handler(metaclass=_Reporting):
    """The Hbase service for one client connection, over `open_store()`'s store."""

    def __init__(self, open_store, server_name=b'127.0.0.1', port=0):
        self._open_store = open_store
        self._store = None
        self._scanners = {}
        self._next_read = None
        self._server_name = server_name
        self._port = port

    @property
    def store(self):
        """This connection's store, opened at the first call."""
        if self._store is None:
            self._store = self._open_store()
        return self._store

    def close(self):
        """Drop the scanners and close the store (the client went away)."""
        self._scanners.clear()
        self._next_read = None
        if self._store is not None:
            self._store.close()
            self._store = None

    def _table(self, name):
        return self.store.table(name, use_prefix=False)

    # -- administration ----------------------------------------------------------

    def enableTable(self, tableName):
        self.store.enable_table(tableName)

    def disableTable(self, tableName):
        self.store.disable_table(tableName)

    def isTableEnabled(self, tableName):
        return self.store.is_table_enabled(tableName)

    def compact(self, tableNameOrRegionName):
        self.store.compact_table(_table_of(tableNameOrRegionName))

    def majorCompact(self, tableNameOrRegionName):
        self.store.compact_table(_table_of(tableNameOrRegionName), major=True)

    def getTableNames(self):
        return self.store.tables()

    def getColumnDescriptors(self, tableName):
        # The descriptor's fields are happybase's option names in camel case, as happybase maps them.
        return dict((family + b':', ColumnDescriptor(name=family + b':', **dict(
            (pep8_to_camel_case(option), options[option]) for option in DEFAULTS)))
            for family, options in self._table(tableName).families().items())

    def getTableRegions(self, tableName):
        return [TRegionInfo(startKey=region['start_key'], endKey=region['end_key'], id=region['id'],
                            name=region['name'], version=region['version'],
                            serverName=self._server_name, port=self._port)
                for region in self._table(tableName).regions()]

    def getRegionInfo(self, row):
        # `row` is a row of hbase:meta, 'table,key,id': each stave table is one region.
        table = _table_of(row)
        if table not in self.store.tables():
            raise IOError(message='Cannot find row in hbase:meta, row=%r' % row)
        return self.getTableRegions(table)[0]

    def createTable(self, tableName, columnFamilies):
        families = {}
        for descriptor in columnFamilies or ():
            options = thrift_type_to_dict(descriptor)
            families[_family(options.pop('name') or b'')] = options
        if len(families) != len(columnFamilies or ()):
            raise ValueError('column family given twice')
        self.store.create_table(tableName, families)

    def deleteTable(self, tableName):
        self.store.delete_table(tableName)

    # -- reads -----------------------------------------------------------------------

    def get(self, tableName, row, column, attributes=None):
        return self.getVerTs(tableName, row, column, None, 1)

    def getVer(self, tableName, row, column, numVersions, attributes=None):
        return self.getVerTs(tableName, row, column, None, numVersions)

    def getVerTs(self, tableName, row, column, timestamp, numVersions, attributes=None):
        table = self._table(tableName)
        if b':' in column:
            columns = [column]
        else:  # a family: the versions of each of its columns
            columns = sorted(table.row(row, [column], timestamp=timestamp))
        return [TCell(value=value, timestamp=ts) for name in columns
                for value, ts in table.cells(row, name, versions=numVersions, timestamp=timestamp,
                                             include_timestamp=True)]

    def getRow(self, tableName, row, attributes=None):
        return self.getRowsWithColumnsTs(tableName, [row], None, None)

    def getRowWithColumns(self, tableName, row, columns, attributes=None):
        return self.getRowsWithColumnsTs(tableName, [row], columns, None)

    def getRowTs(self, tableName, row, timestamp, attributes=None):
        return self.getRowsWithColumnsTs(tableName, [row], None, timestamp)

    def getRowWithColumnsTs(self, tableName, row, columns, timestamp, attributes=None):
        return self.getRowsWithColumnsTs(tableName, [row], columns, timestamp)

    def getRows(self, tableName, rows, attributes=None):
        return self.getRowsWithColumnsTs(tableName, rows, None, None)

    def getRowsWithColumns(self, tableName, rows, columns, attributes=None):
        return self.getRowsWithColumnsTs(tableName, rows, columns, None)

    def getRowsTs(self, tableName, rows, timestamp, attributes=None):
        return self.getRowsWithColumnsTs(tableName, rows, None, timestamp)

    def getRowsWithColumnsTs(self, tableName, rows, columns, timestamp, attributes=None):
        found = self._table(tableName).rows(list(rows or ()), columns=columns or None, timestamp=timestamp,
                                            include_timestamp=True)
        return [_row_result(row, data) for row, data in found]

    def getRowOrBefore(self, tableName, row, family):
        before = self._table(tableName).scan(row_start=row, columns=[_family(family)], include_timestamp=True,
                                             reverse=True, limit=1, sorted_columns=True)
        for _, data in before:
            return [TCell(value=value, timestamp=ts) for value, ts in data.values()]
        return []

    # -- writes ------------------------------------------------------------------------

    def mutateRow(self, tableName, row, mutations, attributes=None):
        self.mutateRowsTs(tableName, [BatchMutation(row=row, mutations=mutations)], None)

    def mutateRowTs(self, tableName, row, mutations, timestamp, attributes=None):
        self.mutateRowsTs(tableName, [BatchMutation(row=row, mutations=mutations)], timestamp)

    def mutateRows(self, tableName, rowBatches, attributes=None):
        self.mutateRowsTs(tableName, rowBatches, None)

    def mutateRowsTs(self, tableName, rowBatches, timestamp, attributes=None):
        with self._table(tableName).batch(timestamp=timestamp) as batch:
            puts = []
            for row_batch in rowBatches or ():
                row = row_batch.row
                for mutation in row_batch.mutations or ():
                    if mutation.isDelete:
                        batch.delete(row, [mutation.column])
                    else:
                        puts.append((row, mutation.column, mutation.value or b''))
            batch.put_cells(puts)

    def deleteAll(self, tableName, row, column, attributes=None):
        self._table(tableName).delete(row, [column])

    def deleteAllTs(self, tableName, row, column, timestamp, attributes=None):
        self._table(tableName).delete(row, [column], timestamp=timestamp)

    def deleteAllRow(self, tableName, row, attributes=None):
        self._table(tableName).delete(row)

    def deleteAllRowTs(self, tableName, row, timestamp, attributes=None):
        self._table(tableName).delete(row, timestamp=timestamp)

    def atomicIncrement(self, tableName, row, column, value):
        return self._table(tableName).counter_inc(row, column, value)

    def increment(self, increment):
        self.incrementRows([increment])

    def incrementRows(self, increments):
        with self.store.transaction():
            for each in increments or ():
                self._table(each.table).counter_inc(each.row, each.column, each.ammount or 0)

    def append(self, append):
        table, row = self._table(append.table), append.row
        timestamp = now_ms()
        with self.store.transaction():
            current = table.row(row, append.columns)
            data = dict((column, current.get(column, b'') + (value or b''))
                        for column, value in zip(append.columns or (), append.values or ()))
            table.put(row, data, timestamp=timestamp)
        return [TCell(value=data[column], timestamp=timestamp) for column in append.columns or ()]

    def checkAndPut(self, tableName, row, column, value, mput, attributes=None):
        table = self._table(tableName)
        with self.store.transaction():
            current = table.row(row, [column]).get(column)
            # As in HBase: a missing or empty expected value checks that the cell is absent or empty.
            matched = current == value if value else not current
            if not matched:
                return False
            table.put(row, {mput.column: mput.value or b''})
            return True

    # -- scanners ----------------------------------------------------------------------

    def scannerOpenWithScan(self, tableName, scan, attributes=None):
        rows = self._table(tableName).scan(
            row_start=scan.startRow or None, row_stop=scan.stopRow or None, columns=scan.columns or None,
            filter=scan.filterString or None, timestamp=scan.timestamp, include_timestamp=True,
            scan_batching=scan.batchSize or None, sorted_columns=bool(scan.sortColumns),
            reverse=bool(scan.reversed))
        return self._open_scanner(rows, bool(scan.sortColumns))

    def scannerOpen(self, tableName, startRow, columns, attributes=None):
        return self.scannerOpenWithStopTs(tableName, startRow, None, columns, None)

    def scannerOpenWithStop(self, tableName, startRow, stopRow, columns, attributes=None):
        return self.scannerOpenWithStopTs(tableName, startRow, stopRow, columns, None)

    def scannerOpenTs(self, tableName, startRow, columns, timestamp, attributes=None):
        return self.scannerOpenWithStopTs(tableName, startRow, None, columns, timestamp)

    def scannerOpenWithStopTs(self, tableName, startRow, stopRow, columns, timestamp, attributes=None):
        rows = self._table(tableName).scan(row_start=startRow or None, row_stop=stopRow or None,
                                           columns=columns or None, timestamp=timestamp,
                                           include_timestamp=True)
        return self._open_scanner(rows)

    def scannerOpenWithPrefix(self, tableName, startAndPrefix, columns, attributes=None):
        rows = self._table(tableName).scan(row_prefix=startAndPrefix or b'', columns=columns or None,
                                           include_timestamp=True)
        return self._open_scanner(rows)

    def _open_scanner(self, rows, ordered=False):
        with _scanner_ids_lock:
            scanner_id = next(_scanner_ids) & 0x7fffffff  # an i32 on the wire
        self._scanners[scanner_id] = _Scanner(rows, ordered)
        return scanner_id

    def scannerGet(self, id):
        return self.scannerGetList(id, 1)

    def scannerGetList(self, id, nbRows):
        scanner = self._scanner(id)
        self._next_read = (scanner, nbRows)
        return scanner.take(nbRows)

    def read_ahead(self):
        """Called once a reply has been sent: prepare the next scannerGetList's rows
        while the client decodes this one's (see _Scanner)."""
        if self._next_read is not None:
            scanner, count = self._next_read
            self._next_read = None
            scanner.fill(count)

    def scannerClose(self, id):
        self._scanner(id)
        del self._scanners[id]
        self._next_read = None

    def _scanner(self, scanner_id):
        try:
            return self._scanners[scanner_id]
        except KeyError:
            raise IllegalArgument(message='scanner ID %r is invalid (closed, or opened on another '
                                          'connection)' % (scanner_id,))


class _Scanner(object):
    """A scan's rows, handed out in batches as TRowResults.

    A client asks for a batch, decodes it, then asks for the next: with one
    thread each, client and server would take turns. So once a batch has been
    sent, the server reads the next one ahead (fill) while the client decodes.
    Like an HBase scanner, it does not promise to see writes made after it
    opened. An error met while reading ahead is raised by the take() that
    reaches it, after the rows read before it.
    """

    __slots__ = ('_rows', '_ordered', '_ready', '_error')

    def __init__(self, rows, ordered):
        self._rows = rows
        self._ordered = ordered
        self._ready = []
        self._error = None

    def take(self, count):
        """The next `count` (or fewer, at the end) rows."""
        self.fill(count)
        if not self._ready and self._error is not None:
            error, self._error = self._error, None
            raise error
        taken, self._ready = self._ready[:count], self._ready[count:]
        return taken

    def fill(self, count):
        """Make `count` rows ready, if the scan has that many."""
        missing = count - len(self._ready)
        if missing <= 0 or self._error is not None:
            return
        ordered = self._ordered
        try:
            for row, data in itertools.islice(self._rows, missing):
                self._ready.append(_row_result(row, data, ordered))
        except Exception as exc:  # kept for the take() that reaches it
            self._error = exc
