"""The store backends the conformance suite runs against.

Each provider starts whatever its backend needs in a temporary directory and
returns a store URL; a provider that cannot run on this machine says why, and
its test class is skipped with that reason. Later backends (Thrift, HBase,
Bigtable) add a provider here and run the same suite unchanged.
"""
from __future__ import absolute_import, division, print_function, unicode_literals

import os
import sys


class SqliteProvider(object):
    """The embedded store: a fresh SQLite file per test."""

    name = 'Sqlite'

    def unavailable_reason(self):
        return None

    def start(self, directory):
        return 'sqlite:///' + os.path.join(directory, 'store.db')

    def stop(self):
        pass


PROVIDERS = [SqliteProvider()]


class ThriftProvider(object):
    """stave's HBase Thrift1 server (what `stave serve` runs) on a free loopback
    port over a fresh embedded store, reached through the thrift:// backend,
    that is happybase over real sockets. The server accepts only the
    transport and protocol under test, so the client is proven to use them."""

    def __init__(self, transport, protocol):
        self.transport, self.protocol = transport, protocol
        self.name = 'Thrift%s%s' % (transport.title(), protocol.title())
        self.server = None

    def unavailable_reason(self):
        return _thrift_unavailable()

    def start(self, directory):
        from stave.store import connect
        from stave.thriftserver.server import ThriftServer
        store_url = 'sqlite:///' + os.path.join(directory, 'store.db')
        self.server = ThriftServer(lambda: connect(store_url), host='127.0.0.1', port=0,
                                   transport=self.transport, protocol=self.protocol)
        self.server.start()
        return 'thrift://127.0.0.1:%d?transport=%s&protocol=%s' % (self.server.port, self.transport, self.protocol)

    def stop(self):
        self.server.stop()


class ExternalThriftProvider(object):
    """An HBase Thrift server you run, named by STAVE_TEST_THRIFT=host:port[?options].
    It must be a scratch instance with no tables: each test drops every table after it."""

    name = 'ExternalThrift'
    variable = 'STAVE_TEST_THRIFT'

    def unavailable_reason(self):
        if not os.environ.get(self.variable):
            return ('set %s=host:port to run the conformance suite against an HBase Thrift server '
                    '(an empty scratch instance)' % self.variable)
        return _thrift_unavailable()

    def start(self, directory):
        from stave.store import connect
        self.url = 'thrift://' + os.environ[self.variable]
        store = connect(self.url)
        try:
            tables = store.tables()
        finally:
            store.close()
        if tables:
            raise RuntimeError('%s=%s has tables (%s): the suite needs an empty scratch instance'
                               % (self.variable, os.environ[self.variable], b', '.join(tables)))
        return self.url

    def stop(self):
        from stave.store import connect
        store = connect(self.url)
        try:
            for name in store.tables():
                store.delete_table(name, disable=True)
        finally:
            store.close()


def _thrift_unavailable():
    if sys.platform.startswith('java'):
        return 'the Thrift backend is CPython-only'
    try:
        import happybase  # noqa: F401
    except ImportError as exc:
        return 'happybase is not installed (%s)' % exc
    return None


PROVIDERS.extend([ThriftProvider('buffered', 'binary'), ThriftProvider('framed', 'compact'),
                  ExternalThriftProvider()])
