"""The HBase Java client backend's Connection (Jython only): tables and their
administration through HBase's Admin; tables are stave.store.hbase.table.

Every Java exception is turned into a stave error at this edge (errors.py).
"""
from __future__ import absolute_import, division, print_function, unicode_literals

import contextlib
from collections import OrderedDict

from stave.compat import to_text
from stave.errors import StoreOpenError
from stave.store import arguments, contract
from stave.store.families import DEFAULTS
from stave.store.table_info import TableInfo
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


class Connection(contract.Connection):
    """contract.Connection to an HBase cluster through its Java client.

    Opens the Java connection at once (HBase 2's client asks ZooKeeper for
    the cluster id then). Java Tables and BufferedMutators are opened once per
    table and closed with the connection.
    """

    def __init__(self, url, properties, table_prefix=None, table_prefix_separator=b'_'):
        contract.Connection.__init__(self, url, table_prefix, table_prefix_separator)
        self.where = '%s:%s' % (properties['hbase.zookeeper.quorum'],
                                properties['hbase.zookeeper.property.clientPort'])
        conf = HBaseConfiguration.create()
        for name, value in sorted(properties.items()):
            conf.set(name, value)
        #: The Java org.apache.hadoop.hbase.client.Connection.
        self.java = self.call('connect', ConnectionFactory.createConnection, conf)
        self._admin = None
        self._opened = OrderedDict()  # (method, table name) -> Java Table or BufferedMutator
        self._closed = False

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
        """The Java Admin, opened at first use."""
        if self._admin is None:
            self._admin = self.call('open the HBase Admin', self.java.getAdmin)
        return self._admin

    def open(self):
        """The Java connection opens at connect(): nothing to do."""

    def close(self):
        if self._closed:
            return
        self._closed = True
        try:
            for closeable in list(self._opened.values()) + [self._admin]:
                if closeable is not None:
                    self.call('close', closeable.close)
        finally:
            self.call('close the connection', self.java.close)

    def table(self, name, use_prefix=True):
        from stave.store.hbase.table import Table
        return Table(self._table_name(name, use_prefix), self)

    def tables(self):
        names = self.call('list tables', self.admin.listTableNames)
        return self._without_prefix(sorted(java_bytes(name.getName()) for name in names))

    def table_info(self, name):
        """The TableInfo (families, enabled) of the table with full name `name`."""
        java_name = table_name(name)
        descriptor = self.call('describe table %s' % to_text(name), self.admin.getDescriptor, java_name)
        enabled = self.call('check table %s' % to_text(name), self.admin.isTableEnabled, java_name)
        families = OrderedDict((java_bytes(family.getName()), family_options(family))
                               for family in descriptor.getColumnFamilies())
        return TableInfo(name, None, enabled, families)

    def create_table(self, name, families):
        name, families = arguments.new_table(self._table_name(name), families)
        builder = TableDescriptorBuilder.newBuilder(table_name(name))
        for family, options in families.items():
            builder.setColumnFamily(family_descriptor(family, options))
        self.call('create table %s' % to_text(name), self.admin.createTable, builder.build())

    def delete_table(self, name, disable=False):
        if disable and self.is_table_enabled(name):
            self.disable_table(name)
        name = self._table_name(name)
        self.call('delete table %s' % to_text(name), self.admin.deleteTable, table_name(name))

    def enable_table(self, name):
        name = self._table_name(name)
        self.call('enable table %s' % to_text(name), self.admin.enableTable, table_name(name))

    def disable_table(self, name):
        name = self._table_name(name)
        self.call('disable table %s' % to_text(name), self.admin.disableTable, table_name(name))

    def is_table_enabled(self, name):
        return self.table_info(self._table_name(name)).enabled

    def compact_table(self, name, major=False):
        # On a cluster this asks for a compaction, region by region, and returns.
        name = self._table_name(name)
        method = self.admin.majorCompact if major else self.admin.compact
        self.call('compact table %s' % to_text(name), method, table_name(name))

    def transaction(self):
        """A no-op: HBase has no cross-row transactions."""
        return _no_transaction()


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
