"""The hbase:// backend from CPython: its URLs, and the clear errors where it cannot run.

The backend itself runs on the JVM: `ant test` runs the store conformance
suite and tests/hbase_checks.py against it there, with the fake HBase client
of tests/fake_hbase (no HBase jar exists on these machines).
"""
import os
import subprocess

import pytest

from stave.errors import StoreOpenError
from stave.store import connect, parse_store_url
from stave.store.hbase import configuration
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
    assert 'hbase' not in classpath.lower()  # this machine has no HBase jars
    result = subprocess.run(['java'] + JVM_FLAGS + ['-cp', classpath, 'org.python.util.jython',
                                                    os.path.join(ROOT, 'stave.py'), '--store', 'hbase://127.0.0.1:2181',
                                                    '-c', 'c.tables()'],
                            capture_output=True, text=True, timeout=300, cwd=str(tmp_path))
    assert result.returncode == 1
    assert 'org.apache.hadoop.hbase.client.ConnectionFactory' in result.stderr
    assert 'HBASE_HOME' in result.stderr and 'Traceback' not in result.stderr
