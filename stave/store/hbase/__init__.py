"""The HBase Java client backend: a real HBase cluster through its own 2.x client API.

    hbase://ZK_QUORUM[:PORT][/?znode=/hbase&timeout=MS&hbase.some.property=value]

Runs on the JVM (`jython stave.py`), with HBase's client jars on the class
path (./classpath adds `hbase classpath`, or $HBASE_HOME/lib, or a checkout's
build/hbase-jars from `ant hbase-jars`). On CPython,
reach the same cluster through HBase's Thrift server with thrift://.
This module only reads URLs; stave.store.hbase.connection holds the Java side.
"""
from __future__ import absolute_import, division, print_function, unicode_literals

from stave.errors import StoreOpenError
from stave.store.url import MILLISECONDS, absolute_path, read_options

DEFAULT_PORT = 2181

#: URL options with a short name -> the HBase configuration properties they set.
SHORT_OPTIONS = {
    'znode': ('zookeeper.znode.parent',),
    'timeout': ('hbase.rpc.timeout', 'hbase.client.operation.timeout'),
}
_OPTIONS = {'znode': absolute_path('a ZooKeeper path such as /hbase'), 'timeout': MILLISECONDS}

# Any other option must look like a Hadoop property name (dotted), and is passed through.
_PROPERTIES = 'any HBase property name such as hbase.client.retries.number'


def configuration(url):
    """The HBase client configuration properties ({name: text}) of a parsed hbase:// URL."""
    location = url.location.rstrip('/')
    if not location:
        raise StoreOpenError('store URL %r names no ZooKeeper quorum' % url.text,
                             hint='write hbase://zk1,zk2,zk3:2181')
    hosts, _, port = location.rpartition(':')
    if not hosts or ':' in hosts or not port.isdigit():
        hosts, port = location, str(DEFAULT_PORT)  # no port, or one per host (zk1:2181,zk2:2181)
    if not 0 < int(port) < 65536:
        raise StoreOpenError('port %s in store URL %r is not a TCP port' % (port, url.text))
    properties = {'hbase.zookeeper.quorum': hosts, 'hbase.zookeeper.property.clientPort': port}
    for name, value in read_options(url, _OPTIONS, dotted=_PROPERTIES).items():
        properties.update((prop, '%s' % value) for prop in SHORT_OPTIONS.get(name, (name,)))
    return properties


def open_store(url, table_prefix=None, table_prefix_separator=b'_'):
    """Connect to the cluster named by the parsed StoreURL `url` (JVM only)."""
    properties = configuration(url)
    from stave.compat import JYTHON
    if not JYTHON:
        raise StoreOpenError('hbase:// uses the HBase Java client, which runs on the JVM',
                             hint='run `jython stave.py --store %s`, or reach the cluster from CPython '
                                  'through its Thrift server: --store thrift://HOST:9090' % url.text)
    from stave.store.hbase.connection import Connection
    return Connection(url.text, properties, table_prefix=table_prefix,
                      table_prefix_separator=table_prefix_separator)
