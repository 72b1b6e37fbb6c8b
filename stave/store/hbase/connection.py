"""happybase's Connection over the HBase 2.x Java client (Jython only).

The administration half (tables, families, enabled state) is an "admin
engine" under stave's own Connection front, so table prefixes and argument
checks are shared with the embedded store; tables are stave.store.hbase.table.
Every Java exception is turned into a stave error at this edge (errors.py).
"""
from __future__ import absolute_import, division, print_function, unicode_literals

import contextlib
from collections import OrderedDict

from stave.compat import to_text
from stave.errors import StoreOpenError
from stave.store.table_info import TableInfo
from stave.store.sqlite.connection import Connection as StoreConnection
from stave.store.families import DEFAULTS
from stave.store.hbase.errors import from_java

try:
    from java.lang import Exception as JavaException
    from org.apache.hadoop.hbase import HBaseConfiguration, TableName
    from org.apache.hadoop.hbase.client import (
        ColumnFamilyDescriptorBuilder, ConnectionFactory, TableDescriptorBuilder)
    from org.apache.hadoop.hbase.io.compress import Compression
    from org.apache.hadoop.hbase.regionserver import BloomType
except ImportError as exc:  # no HBase client jars on the class path
    raise StoreOpenError('the HBase Java client (org.apache.hadoop.hbase.client.ConnectionFactory and its '
                         'jars) is not on the JVM class path: %s' % exc,
                         hint='install HBase and put `hbase` on PATH or set HBASE_HOME (./classpath adds '
                              'its jars; in a checkout, `ant hbase-jars` is enough), or name the client '
                              'jars in STAVE_CLASSPATH')


def table_name(name):
    """The Java TableName of a table name (bytes)."""
    return TableName.valueOf(to_text(name))


def java_bytes(array):
    """A Java byte[] (Jython shows it as array('b')) as bytes."""
    return array.tostring()


class Connection(StoreConnection):
    """A connection to an HBase cluster, with happybase's Connection methods.

    Opens the Java connection at once (HBase 2's client asks ZooKeeper for
    the cluster id then). Not thread-safe, like happybase's.
    """

    def __init__(self, url, properties, table_prefix=None, table_prefix_separator=b'_'):
        admin = ClusterAdmin(url, properties)
        StoreConnection.__init__(self, admin, url, table_prefix=table_prefix,
                                 table_prefix_separator=table_prefix_separator)

    def table(self, name, use_prefix=True):
        """A Table object for `name` (not checked for existence, as in happybase)."""
        from stave.store.hbase.table import Table
        table = StoreConnection.table(self, name, use_prefix)
        return Table(table.name, self)

    @property
    def java(self):
        """The Java org.apache.hadoop.hbase.client.Connection."""
        return self._engine.java


class ClusterAdmin(object):
    """The administration calls stave's Connection front makes on an engine
    (see stave.store.sqlite.cellstore.CellStore), through HBase's Admin."""

    def __init__(self, url, properties):
        self.url = url
        self.where = '%s:%s' % (properties['hbase.zookeeper.quorum'],
                                properties['hbase.zookeeper.property.clientPort'])
        conf = HBaseConfiguration.create()
        for name, value in sorted(properties.items()):
            conf.set(name, value)
        self.java = self.call('connect', ConnectionFactory.createConnection, conf)
        self._admin = None
        self._opened = OrderedDict()  # (method, table name) -> Java Table or BufferedMutator

    def call(self, doing, method, *args):
        """Call a Java method; a Java exception becomes a stave error naming `doing`."""
        try:
            return method(*args)
        except JavaException as exc:
            raise from_java(exc, doing, self.where)

    def opened(self, doing, java_name, method):
        """`method(java_name)`: a Java Table or BufferedMutator, made once per table
        and closed with the connection (each mutator holds a thread pool)."""
        key = (method.__name__, java_name.getNameAsString())
        if key not in self._opened:
            self._opened[key] = self.call('%s of table %s' % (doing, key[1]), method, java_name)
        return self._opened[key]

    @property
    def admin(self):
        if self._admin is None:
            self._admin = self.call('open the HBase Admin', self.java.getAdmin)
        return self._admin

    def table_names(self):
        names = self.call('list tables', self.admin.listTableNames)
        return sorted(java_bytes(name.getName()) for name in names)

    def table_info(self, name):
        java_name = table_name(name)
        descriptor = self.call('describe table %s' % to_text(name), self.admin.getDescriptor, java_name)
        enabled = self.call('check table %s' % to_text(name), self.admin.isTableEnabled, java_name)
        families = OrderedDict((java_bytes(family.getName()), family_options(family))
                               for family in descriptor.getColumnFamilies())
        return TableInfo(name, None, enabled, families)

    def create_table(self, name, families):
        builder = TableDescriptorBuilder.newBuilder(table_name(name))
        for family, options in families.items():
            builder.setColumnFamily(family_descriptor(family, options))
        self.call('create table %s' % to_text(name), self.admin.createTable, builder.build())

    def delete_table(self, name):
        self.call('delete table %s' % to_text(name), self.admin.deleteTable, table_name(name))

    def set_enabled(self, name, enabled):
        method = self.admin.enableTable if enabled else self.admin.disableTable
        self.call('%s table %s' % ('enable' if enabled else 'disable', to_text(name)), method, table_name(name))

    def compact(self, name, now_ms, major=False):
        # On a cluster this asks for a compaction, region by region, and returns.
        method = self.admin.majorCompact if major else self.admin.compact
        self.call('compact table %s' % to_text(name), method, table_name(name))

    def transaction(self):
        """A no-op: HBase has no cross-row transactions."""
        return _no_transaction()

    def close(self):
        try:
            for closeable in list(self._opened.values()) + [self._admin]:
                if closeable is not None:
                    self.call('close', closeable.close)
        finally:
            self.call('close the connection', self.java.close)


@contextlib.contextmanager
def _no_transaction():
    yield


def family_descriptor(family, options):
    """An HBase ColumnFamilyDescriptor from happybase's family options (families.py)."""
    builder = ColumnFamilyDescriptorBuilder.newBuilder(family)
    builder.setMaxVersions(options['max_versions'])
    builder.setTimeToLive(options['time_to_live'])
    builder.setInMemory(options['in_memory'])
    builder.setBlockCacheEnabled(options['block_cache_enabled'])
    builder.setBloomFilterType(BloomType.valueOf(options['bloom_filter_type']))
    builder.setCompressionType(Compression.Algorithm.valueOf(options['compression']))
    return builder.build()


def family_options(descriptor):
    """happybase's family options from an HBase ColumnFamilyDescriptor."""
    options = OrderedDict(DEFAULTS)
    options.update([
        ('max_versions', descriptor.getMaxVersions()),
        ('compression', descriptor.getCompressionType().name()),
        ('in_memory', bool(descriptor.isInMemory())),
        ('bloom_filter_type', descriptor.getBloomFilterType().name()),
        ('block_cache_enabled', bool(descriptor.isBlockCacheEnabled())),
        ('time_to_live', descriptor.getTimeToLive()),
    ])
    return options
