"""The store backends the conformance suite runs against.

Each provider starts whatever its backend needs in a temporary directory and
returns a store URL; a provider that cannot run on this machine says why, and
its test class (test_store_conformance.py) is skipped with that reason.
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


class HBaseThriftProvider(object):
    """A real HBase 2.6 through its own Thrift1 server (hbase_server.py starts
    one per test process, with a server in each mode), reached through the
    thrift:// backend. Each test starts and ends with no tables."""

    real_hbase = True

    def __init__(self, mode):
        self.mode = mode
        self.name = 'HBaseThrift' + ''.join(word.title() for word in mode.split('-'))

    def unavailable_reason(self):
        return _thrift_unavailable()

    def start(self, directory):
        from hbase_server import LOCAL, drop_all_tables
        self.url = LOCAL.url(self.mode)
        drop_all_tables(self.url)  # what an interrupted earlier test may have left
        return self.url

    def stop(self):
        from hbase_server import drop_all_tables
        drop_all_tables(self.url)


def _thrift_unavailable():
    if sys.platform.startswith('java'):
        return 'the Thrift backend is CPython-only'
    try:
        import happybase  # noqa: F401
    except ImportError as exc:
        return 'happybase is not installed (%s)' % exc
    return None


class HBaseJavaProvider(HBaseThriftProvider):
    """A real HBase 2.6 (hbase_server.py) through its Java client: the hbase://
    backend under Jython, with the jars `ant hbase-jars` resolves on the class
    path (./classpath adds them). Each test starts and ends with no tables.

    The client retries 4 times, as the local HBase's own Thrift servers do
    (hbase/local.py), unless the URL says otherwise: with HBase's default of 15,
    each write to a disabled table takes about 150 s to fail (a BufferedMutator
    does not check the table's state; it retries NotServingRegionException)."""

    RETRIES = 'hbase.client.retries.number'

    def __init__(self):
        HBaseThriftProvider.__init__(self, 'hbase')
        self.name = 'HBaseJava'

    def unavailable_reason(self):
        if not sys.platform.startswith('java'):
            return 'the hbase:// backend runs on the JVM (ant test runs it there)'
        return None

    def start(self, directory):
        from hbase_server import LOCAL, drop_all_tables
        self.url = with_retries(LOCAL.url(self.mode))
        drop_all_tables(self.url)  # what an interrupted earlier test may have left
        return self.url


def with_retries(url, retries=4):
    """An hbase:// URL with `hbase.client.retries.number` set, unless it sets it already."""
    if HBaseJavaProvider.RETRIES + '=' in url:
        return url
    if '?' not in url:
        return '%s/?%s=%d' % (url.rstrip('/'), HBaseJavaProvider.RETRIES, retries)
    return '%s&%s=%d' % (url, HBaseJavaProvider.RETRIES, retries)
