"""The Thrift backend's Connection: a real HBase (or `stave serve`) through
happybase. CPython only.

Every Thrift call happybase makes goes through ``Connection.client``; wrapping
that one object turns the IDL's exceptions and transport failures into stave
errors on every path (tables, batches, scanners). Arguments are checked at
the call by stave.store.arguments, as on every backend, before happybase
sees them; what a real HBase's Thrift server leaves to the client is checked
here too (table and family names at create_table: the server fails those with
a bare "Internal error"). HBase has no cross-row transactions, so
``transaction()`` is a no-op here.
"""
import contextlib
import socket

import happybase
from thriftpy2.thrift import TApplicationException
from thriftpy2.transport import TTransportException

from stave.errors import StoreError
from stave.store import arguments, contract
from stave.store.thrift.errors import from_wire
from stave.store.thrift.table import Table
from stave.store.thrift.wire import encoded, text

# The IDL's exception structs, loaded by happybase as the module Hbase_thrift.
from Hbase_thrift import AlreadyExists, Hbase, IllegalArgument, IOError as HbaseIOError  # noqa: E402


class ThriftConnectionError(StoreError):
    """The Thrift server could not be reached or dropped the connection."""


class Connection(contract.Connection, happybase.Connection):
    """contract.Connection over happybase.Connection (which holds the Thrift
    client and transport; the contract's methods come first).

    After a transport failure (the server went away, or closed an idle
    connection) the next call reconnects, so a long shell session survives a
    server restart or idle timeout with one reported error.
    """

    def __init__(self, url, table_prefix=None, table_prefix_separator=b'_', **options):
        self._broken = False
        happybase.Connection.__init__(self, table_prefix=table_prefix,
                                      table_prefix_separator=table_prefix_separator, **options)
        contract.Connection.__init__(self, url, table_prefix, table_prefix_separator)

    def _refresh_thrift_client(self):
        happybase.Connection._refresh_thrift_client(self)
        self.client = _TranslatingClient(self.client, self)

    def open(self):
        """Open the transport, with a stave error naming the server if that fails."""
        try:
            happybase.Connection.open(self)
        except (TTransportException, socket.error) as exc:
            raise self.transport_error(exc, 'connect')
        self._broken = False

    def close(self):
        happybase.Connection.close(self)

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

    def table(self, name, use_prefix=True):
        return Table(self._table_name(name, use_prefix), self)

    def tables(self):
        return happybase.Connection.tables(self)

    def create_table(self, name, families):
        arguments.new_table(self._table_name(name), families)
        happybase.Connection.create_table(self, name, families)

    def delete_table(self, name, disable=False):
        happybase.Connection.delete_table(self, name, disable)

    def enable_table(self, name):
        happybase.Connection.enable_table(self, name)

    def disable_table(self, name):
        happybase.Connection.disable_table(self, name)

    def is_table_enabled(self, name):
        return happybase.Connection.is_table_enabled(self, name)

    def compact_table(self, name, major=False):
        happybase.Connection.compact_table(self, name, major)

    def transaction(self):
        """A no-op: HBase has no cross-row transactions. Each batch sent is
        applied row by row, as HBase does."""
        return contextlib.nullcontext()


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
            args = [encoded(arg, spec[index + 1], spec[index + 1][1]) for index, arg in enumerate(args)]
            connection.reopen_if_broken()
            try:
                return method(*args)
            except HbaseIOError as exc:
                raise from_wire(text(exc.message))
            except IllegalArgument as exc:
                raise from_wire(text(exc.message), illegal_argument=True)
            except AlreadyExists as exc:
                raise from_wire('org.apache.hadoop.hbase.TableExistsException: ' + text(exc.message))
            except TApplicationException as exc:
                raise StoreError('the Thrift server failed %s(): %s' % (name, text(exc.message)),
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
