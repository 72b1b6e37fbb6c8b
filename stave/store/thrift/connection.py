"""happybase's Connection, Table and Batch, with stave's errors and extensions.

Every Thrift call happybase makes goes through ``Connection.client``; wrapping
that one object turns the IDL's exceptions and transport failures into stave
errors on every path (tables, batches, scanners, pools). The Table subclass
adds what stave's own API promises beyond happybase: scans that check their
arguments at once, exact reverse prefix scans, and the bulk writer's
``put_cells``. HBase has no cross-row transactions, so ``transaction()`` is a
no-op here.

What a real HBase's Thrift server leaves to the client is checked here, so
every backend answers alike: table and family names at create_table, a
column without a qualifier at put (the server fails those with a bare
"Internal error"), and a batch's families against the table's before
anything is sent (HBase applies a batch row by row: the rows before a bad
one would be written). A write to a disabled or missing table fails on
HBase with "retries exhausted"; the table's state then says why.
"""
import contextlib
import itertools
import socket

import happybase
from thriftpy2.thrift import TApplicationException, TType
from thriftpy2.transport import TTransportException

from stave.errors import StoreError, TableNotEnabledError, TableNotFoundError
from stave.store.sqlite.batch import checked_columns
from stave.store.table_info import TableInfo
from stave.store.families import table_families
from stave.store.filters import parse_filter
from stave.store.names import check_table_name, no_qualifier_error
from stave.store.reading import check_reverse_filter
from stave.store.sqlite.table import read_columns
from stave.store.thrift.errors import from_wire

# The IDL's exception structs, loaded by happybase as the module Hbase_thrift.
from Hbase_thrift import AlreadyExists, BatchMutation, Hbase, IllegalArgument, IOError as HbaseIOError  # noqa: E402


class ThriftConnectionError(StoreError):
    """The Thrift server could not be reached or dropped the connection."""


class Connection(happybase.Connection):
    """happybase.Connection whose calls raise stave errors.

    After a transport failure (the server went away, or closed an idle
    connection) the next call reconnects, so a long shell session survives a
    server restart or idle timeout with one reported error.
    """

    def __init__(self, url, **kwargs):
        self.url = url
        self._broken = False
        happybase.Connection.__init__(self, **kwargs)

    def _refresh_thrift_client(self):
        happybase.Connection._refresh_thrift_client(self)
        self.client = _TranslatingClient(self.client, self)

    def __repr__(self):
        return '<%s.%s url=%r>' % (__name__, self.__class__.__name__, self.url)

    def open(self):
        """Open the transport, with a stave error naming the server if that fails."""
        try:
            happybase.Connection.open(self)
        except (TTransportException, socket.error) as exc:
            raise self.transport_error(exc, 'connect')
        self._broken = False

    def reopen_if_broken(self):
        """Reconnect after an earlier transport failure."""
        if self._broken:
            self.transport.close()
            self.open()

    def transport_error(self, exc, doing):
        """The ThriftConnectionError for `exc`, with the likely causes."""
        self._broken = True
        where = '%s:%s' % (self.host, self.port)
        if doing == 'connect':
            hint = 'is an HBase Thrift server or `stave serve` running at %s?' % where
        else:
            hint = ('the server may be down, may speak another transport or protocol (this '
                    'connection uses %s/%s; the server must use the same), or closed an idle '
                    'connection (HBase does after hbase.thrift.server.socket.read.timeout); the '
                    'next call reconnects' % (self._transport_class.__name__, self._protocol_class.__name__))
        return ThriftConnectionError('Thrift %s %s failed: %s' % (doing, where, exc or type(exc).__name__),
                                     hint=hint)

    def create_table(self, name, families):
        """happybase's create_table, with the names and options checked as every backend checks them."""
        check_table_name(self._table_name(name))
        table_families(families)
        happybase.Connection.create_table(self, name, families)

    def table(self, name, use_prefix=True):
        """A Table with stave's extensions (see module docstring)."""
        if use_prefix:
            name = self._table_name(name)
        return Table(name, self)

    def transaction(self):
        """A no-op: HBase has no cross-row transactions. Each batch sent is
        applied row by row, as HBase does."""
        return contextlib.nullcontext()

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc_value, traceback):
        self.close()


class _TranslatingClient(object):
    """Wraps thriftpy2's client: each call's exceptions become stave errors."""

    def __init__(self, client, connection):
        self._client = client
        self._connection = connection

    def __getattr__(self, name):
        method = getattr(self._client, name)
        spec = getattr(Hbase, name + '_args').thrift_spec
        connection = self._connection

        def call(*args):
            args = [_encoded(arg, spec[index + 1], spec[index + 1][1]) for index, arg in enumerate(args)]
            connection.reopen_if_broken()
            try:
                return method(*args)
            except HbaseIOError as exc:
                raise from_wire(_text(exc.message))
            except IllegalArgument as exc:
                raise from_wire(_text(exc.message), illegal_argument=True)
            except AlreadyExists as exc:
                raise from_wire('org.apache.hadoop.hbase.TableExistsException: ' + _text(exc.message))
            except TApplicationException as exc:
                raise StoreError('the Thrift server failed %s(): %s' % (name, _text(exc.message)),
                                 hint='an older server may lack this call; try compat=0.90 or 0.92')
            except (TTransportException, socket.error, EOFError) as exc:
                raise connection.transport_error(exc, name + '()')
            except Exception:
                # An argument thriftpy2 could not serialize: the transport may hold half a
                # message, which would corrupt the next call. Start afresh then.
                connection._broken = True
                raise
        call.__name__ = name
        setattr(self, name, call)  # built once per method: later calls skip __getattr__
        return call


class Table(happybase.Table):
    """happybase.Table with stave's eager scans, exact reverse prefix scans and put_cells."""

    _family_names = None

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
            raise TableNotEnabledError('table %s is disabled' % _text(self.name), hint='enable_table() it first')

    def scan(self, row_start=None, row_stop=None, row_prefix=None, columns=None, filter=None,
             timestamp=None, include_timestamp=False, batch_size=1000, scan_batching=None,
             limit=None, sorted_columns=False, reverse=False):
        """happybase's scan, but the scanner is opened at once, so a missing table or a bad
        filter raises here as on the embedded store, not at the first iteration."""
        if columns is not None and not isinstance(columns, (tuple, list)):
            raise TypeError("'columns' must be a tuple or list")
        sent_filter, prefix = filter, None
        if reverse and row_prefix:
            # happybase scans (prefix, increment(prefix)] backwards: that includes the
            # row equal to increment(prefix) and misses the row equal to the prefix.
            # Thrift1 has no exclusive start row: scan down from increment(prefix)
            # to below the prefix and stop at the first row outside it. If the row
            # increment(prefix) exists, a PrefixFilter on the server skips it
            # instead (so that a limit or a PageFilter does not count it).
            prefix = _encoded(row_prefix, TType.BINARY, 'row_prefix')
            row_start, row_stop, row_prefix = happybase.util.bytes_increment(prefix), prefix[:-1] or None, None
            if row_start is not None and happybase.Table.row(self, row_start):
                sent_filter = b"PrefixFilter('" + prefix.replace(b"'", b"''") + b"')"
                if filter is not None:
                    # HBase would accept a missing ')' at the end, and would no longer
                    # refuse a filter that leaves a family non-essential: check as the
                    # embedded store does.
                    check_reverse_filter(parse_filter(filter, reverse=True), self.families(),
                                         read_columns(columns, None))
                    sent_filter = b'(' + _encoded(filter, TType.BINARY, 'filter') + b') AND ' + sent_filter
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
            parse_filter(filter)
            raise

    def batch(self, timestamp=None, batch_size=None, transaction=False, wal=True):
        """A Batch with put_cells."""
        return Batch(self, timestamp=timestamp, batch_size=batch_size, transaction=transaction, wal=wal)


class Batch(happybase.Batch):
    """happybase.Batch with stave's bulk put_cells."""

    def put(self, row, data, wal=None):
        """happybase's put; `data` must be a dict of b'family:qualifier' columns,
        as on the embedded store."""
        if not isinstance(data, dict):
            raise TypeError("'data' must be a dict of {column: value}")
        for column in data:
            if b':' not in _encoded(column, TType.BINARY, 'column'):
                raise no_qualifier_error(column)
        happybase.Batch.put(self, row, data, wal=wal)

    def send(self):
        """Send the buffered mutations, once their families are known to be the
        table's, in calls of at most SEND_CELLS cells (HBase's Thrift server
        decodes a whole call in memory: one call of two million cells runs its
        heap out); a write to a disabled table fails with TableNotEnabledError."""
        families = set(_family(mutation.column) for mutations in self._mutations.values()
                       for mutation in mutations if mutation.column)
        if families:
            self._table.require_families(families)
        client, name = self._table.connection.client, self._table.name
        try:
            for part in _parts(self._mutations, SEND_CELLS):
                if self._timestamp is None:
                    client.mutateRows(name, part, {})
                else:
                    client.mutateRowsTs(name, part, self._timestamp, {})
        except StoreError:
            self._table.explain_write_failure()
            raise
        self._reset_mutations()

    def put_cells(self, cells):
        """Store (row, b'family:qualifier', value) cells, as the embedded Batch does."""
        for row, column, value in cells:
            self.put(row, {column: value})

    def put_columns(self, row, family, qualifiers, value=b''):
        """Store `value` in each column `qualifiers` of one family of `row`, as the embedded Batch does."""
        qualifiers = checked_columns(row, family, qualifiers, value, each=True)
        self.put(row, dict((family + b':' + qualifier, value) for qualifier in qualifiers))


#: The most cells one mutateRows call carries.
SEND_CELLS = 20000


def _parts(mutations, size):
    """Lists of BatchMutations from {row: [Mutation]}, about `size` mutations each
    (a row is never split: HBase applies each row's mutations together)."""
    part, count = [], 0
    for row, row_mutations in mutations.items():
        part.append(BatchMutation(row, row_mutations))
        count += len(row_mutations)
        if count >= size:
            yield part
            part, count = [], 0
    if part:
        yield part


def _family(column):
    return _encoded(column, TType.BINARY, 'column').partition(b':')[0]


def _encoded(value, spec, where):
    """`value` for a Thrift field of type `spec`, with text encoded as UTF-8 and
    anything else where bytes belong refused with a TypeError naming the field
    (happybase leaves both to the protocol, which may write half a message)."""
    if value is None or type(value) is bytes:  # the common case, first: this runs per cell
        return value
    ttype = spec[0] if isinstance(spec, tuple) else spec
    if ttype in _BYTES:
        if isinstance(value, bytes):
            return value
        if isinstance(value, str):
            return value.encode('utf-8')
        raise TypeError('%s must be bytes or text, not %s' % (where, type(value).__name__))
    if ttype in (TType.LIST, TType.SET):
        inner = _inner(spec)
        return [_encoded(item, inner, where) for item in value]
    if ttype == TType.MAP:
        keys, values = _inner(spec)
        return dict((_encoded(k, keys, where), _encoded(v, values, where)) for k, v in value.items())
    if ttype == TType.STRUCT:
        for name, field in _fields_to_check(type(value)):
            setattr(value, name, _encoded(getattr(value, name), field, name))
    return value


_BYTES = (TType.BINARY, TType.STRING)
_CHECKED_TYPES = _BYTES + (TType.LIST, TType.SET, TType.MAP, TType.STRUCT)
_fields_by_struct = {}


def _fields_to_check(struct):
    """[(name, spec)] of the fields of a struct class that may hold bytes."""
    fields = _fields_by_struct.get(struct)
    if fields is None:
        fields = _fields_by_struct[struct] = [(spec[1], spec) for spec in struct.thrift_spec.values()
                                              if spec[0] in _CHECKED_TYPES]
    return fields


def _inner(spec):
    """The element type of a container: a field's spec is (type, name, inner, required),
    a nested container's (type, inner)."""
    return spec[2] if isinstance(spec[1], str) else spec[1]


def _text(message):
    """An exception message received as bytes (happybase does not decode) as text."""
    if isinstance(message, bytes):
        return message.decode('utf-8', 'replace')
    return message or ''


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
