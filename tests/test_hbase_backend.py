"""The hbase:// backend from CPython: its URLs, and the clear errors where it cannot run.

The backend itself runs on the JVM: `ant test` runs the store conformance
suite and tests/hbase_checks.py against it there, on a real standalone HBase
(tests/hbase_server.py) with the client jars of build/hbase-jars.
"""
import os
import subprocess

import pytest

from stave.errors import (
    CounterError, NoSuchColumnFamilyError, StoreError, StoreOpenError, TableNotEnabledError, TableNotFoundError)
from stave.store import connect, parse_store_url
from stave.store.hbase import configuration
from stave.store.hbase.errors import from_java
from test_jvm import ROOT, jvm_classpath


def props(url):
    return configuration(parse_store_url(url))


def test_quorum_and_port():
    assert props('hbase://zk1,zk2,zk3:2182') == {
        'hbase.zookeeper.quorum': 'zk1,zk2,zk3', 'hbase.zookeeper.property.clientPort': '2182'}


def test_port_defaults_to_zookeepers_and_may_be_given_per_host():
    assert props('hbase://zk1/')['hbase.zookeeper.property.clientPort'] == '2181'
    assert props('hbase://zk1:2181,zk2:2182')['hbase.zookeeper.quorum'] == 'zk1:2181,zk2:2182'


def test_short_options_and_hbase_properties_pass_through():
    got = props('hbase://zk:2181/?znode=/hbase-unsecure&timeout=5000&hbase.client.retries.number=3')
    assert got['zookeeper.znode.parent'] == '/hbase-unsecure'
    assert got['hbase.rpc.timeout'] == got['hbase.client.operation.timeout'] == '5000'
    assert got['hbase.client.retries.number'] == '3'


@pytest.mark.parametrize('url, words', [
    ('hbase://', 'names no ZooKeeper quorum'),
    ('hbase://zk:99999', 'not a TCP port'),
    ('hbase://zk?timeout=soon', 'timeout=soon'),
    ('hbase://zk?znode=hbase', 'znode=hbase'),
    ('hbase://zk?retries=3', 'unknown option retries'),
])
def test_bad_urls_are_refused_with_what_is_wrong(url, words):
    with pytest.raises(StoreOpenError, match=words):
        props(url)


class JavaClass(object):
    """Test double: what from_java reads of a java.lang.Class."""

    def __init__(self, name, superclass=None):
        self.name, self.superclass = name, superclass

    def getName(self):
        return self.name

    def getSuperclass(self):
        return self.superclass


class JavaException(object):
    """Test double: what from_java reads of a Java exception (messages, causes)."""

    def __init__(self, cls, message, cause=None, remote_class=None):
        self.cls, self.message, self.cause = cls, message, cause
        if remote_class:
            self.getClassName = lambda: remote_class

    def getClass(self):
        return self.cls

    def getMessage(self):
        return self.message

    def getCause(self):
        return self.cause


IO = JavaClass('java.io.IOException')
DO_NOT_RETRY = JavaClass('org.apache.hadoop.hbase.DoNotRetryIOException', JavaClass('java.io.IOException', IO))


@pytest.mark.parametrize('exc, error, hint', [
    # A server exception the client rebuilt: its class, anywhere in the cause chain.
    (JavaException(IO, 'wrapped', JavaException(
        JavaClass('org.apache.hadoop.hbase.TableNotFoundException', DO_NOT_RETRY), 't')), TableNotFoundError, False),
    # One it could not rebuild: a RemoteException naming the class.
    (JavaException(JavaClass('org.apache.hadoop.ipc.RemoteException', IO), 'x is disabled.',
                   remote_class='org.apache.hadoop.hbase.TableNotEnabledException'), TableNotEnabledError, False),
    # Only the message names it.
    (JavaException(IO, 'org.apache.hadoop.hbase.regionserver.NoSuchColumnFamilyException: Column family '
                       'g does not exist\n\tat ...'), NoSuchColumnFamilyError, False),
    (JavaException(DO_NOT_RETRY, "Field is not a long, it's 3 bytes wide"), CounterError, False),
    # Refused by HBase: no hint about reaching the cluster; unreachable: the hint.
    (JavaException(DO_NOT_RETRY, 'Compression algorithm snappy previously failed test'), StoreError, False),
    (JavaException(IO, 'Connection refused'), StoreError, True),
])
def test_java_exceptions_become_stave_errors(exc, error, hint):
    got = from_java(exc, 'scan of table t', 'zk:2181')
    assert type(got) is error
    assert (got.hint is not None) == hint
    assert '\tat' not in str(got)


def test_cpython_points_to_the_jvm_and_to_thrift():
    with pytest.raises(StoreOpenError) as caught:
        connect('hbase://127.0.0.1:2181')
    assert 'runs on the JVM' in str(caught.value) and 'thrift://' in str(caught.value)


@pytest.mark.slow
def test_the_jvm_without_hbase_jars_names_what_is_missing(tmp_path):
    classpath, problem = jvm_classpath()
    if classpath is None:
        pytest.skip('no Jython here: %s' % problem)
    from stave.jvm import JVM_FLAGS
    # ./classpath adds HBase's jars where it finds them (build/hbase-jars here): leave them out.
    classpath = ':'.join(entry for entry in classpath.split(':') if 'hbase' not in entry.lower())
    result = subprocess.run(['java'] + JVM_FLAGS + ['-cp', classpath, 'org.python.util.jython',
                                                    os.path.join(ROOT, 'stave.py'), '--store', 'hbase://127.0.0.1:2181',
                                                    '-c', 'c.tables()'],
                            capture_output=True, text=True, timeout=300, cwd=str(tmp_path))
    assert result.returncode == 1
    assert 'org.apache.hadoop.hbase.client.ConnectionFactory' in result.stderr
    assert 'HBASE_HOME' in result.stderr and 'Traceback' not in result.stderr
