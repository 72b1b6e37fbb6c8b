"""The thrift:// backend's edges: URLs, failures with their likely cause,
reconnecting, and the test map and shell over a served store."""
import json
import os
import socket
import subprocess
import sys
import time

import pytest

from stave.errors import CounterError, StoreError, StoreOpenError, TableNotFoundError
from stave.store import connect
from stave.store.thrift.connection import ThriftConnectionError
from stave.store.thrift.errors import RemoteArgumentError, from_wire
from stave.thriftserver.server import ThriftServer
from thrift_serving import ROOT, Served

pytestmark = pytest.mark.slow


def free_port():
    with socket.socket() as probe:
        probe.bind(('127.0.0.1', 0))
        return probe.getsockname()[1]


@pytest.fixture
def server(tmp_path):
    """The Thrift server in this process, over a fresh store file."""
    store_url = 'sqlite:///' + str(tmp_path / 'store.db')
    running = ThriftServer(lambda: connect(store_url), port=0)
    running.start()
    yield running
    running.stop()


@pytest.mark.parametrize('url, complaint', [
    ('thrift://127.0.0.1:9090?transport=http', 'transport=http'),
    ('thrift://127.0.0.1:9090?protocol=json', 'protocol=json'),
    ('thrift://127.0.0.1:9090?compat=0.99', 'compat=0.99'),
    ('thrift://127.0.0.1:9090?timeout=soon', 'timeout=soon'),
    ('thrift://127.0.0.1:9090?colour=blue', 'colour'),
    ('thrift://127.0.0.1:http', 'HOST:PORT'),
])
def test_bad_urls_are_refused_before_connecting(url, complaint):
    with pytest.raises(StoreOpenError) as caught:
        connect(url)
    assert complaint in str(caught.value)


def test_nothing_listening_names_the_server():
    port = free_port()
    with pytest.raises(ThriftConnectionError) as caught:
        connect('thrift://127.0.0.1:%d' % port)
    assert '127.0.0.1:%d' % port in str(caught.value)
    assert 'stave serve' in str(caught.value)


def test_the_wrong_transport_is_reported_with_the_likely_cause(tmp_path):
    store_url = 'sqlite:///' + str(tmp_path / 'store.db')
    pinned = ThriftServer(lambda: connect(store_url), port=0, transport='framed', protocol='binary')
    pinned.start()
    try:
        store = connect('thrift://127.0.0.1:%d?transport=buffered' % pinned.port)
        with pytest.raises(ThriftConnectionError) as caught:
            store.tables()
        assert 'transport or protocol' in str(caught.value)
        assert connect('thrift://127.0.0.1:%d?transport=framed' % pinned.port).tables() == []
    finally:
        pinned.stop()


def test_a_silent_server_times_out_as_the_url_says():
    with socket.socket() as silent:
        silent.bind(('127.0.0.1', 0))
        silent.listen(1)  # accepts, never answers
        store = connect('thrift://127.0.0.1:%d?timeout=300' % silent.getsockname()[1])
        started = time.time()
        with pytest.raises(ThriftConnectionError) as caught:
            store.tables()
        assert time.time() - started < 10
        assert 'timed out' in str(caught.value)


def test_the_next_call_reconnects_after_the_server_restarts(tmp_path):
    store_url = 'sqlite:///' + str(tmp_path / 'store.db')
    first = ThriftServer(lambda: connect(store_url), port=0)
    first.start()
    port = first.port
    store = connect('thrift://127.0.0.1:%d' % port)
    store.create_table('t', {'f': {}})
    first.stop()
    with pytest.raises(ThriftConnectionError):
        store.tables()
    second = ThriftServer(lambda: connect(store_url), port=port)
    second.start()
    try:
        assert store.tables() == [b't']
    finally:
        store.close()
        second.stop()


def test_server_errors_become_stave_errors(server):
    store = connect('thrift://127.0.0.1:%d' % server.port)
    with pytest.raises(TableNotFoundError) as caught:
        store.table('missing').row(b'r')
    assert 'missing' in str(caught.value)
    with pytest.raises(ValueError):
        store.create_table('bad name!', {'f': {}})
    store.create_table('t', {'f': {}})
    with store.transaction():  # accepted, and a no-op: HBase has no cross-row transactions
        store.table('t').put(b'r', {b'f:q': b'v'})
    assert store.table('t').row(b'r') == {b'f:q': b'v'}


@pytest.mark.parametrize('message, error', [
    # What HBase 2's Thrift gateway sends: the Java class name, then a stack trace.
    ('org.apache.hadoop.hbase.TableNotFoundException: t\n\tat org.apache...', TableNotFoundError),
    ('org.apache.hadoop.hbase.DoNotRetryIOException: Field is not a long, it\'s 3 bytes wide\n\tat x',
     CounterError),
    ('java.lang.IllegalArgumentException: Row length is 0', RemoteArgumentError),
    ('something else went wrong', StoreError),
])
def test_hbase_messages_map_onto_stave_errors(message, error):
    assert type(from_wire(message)) is error
    assert '\tat ' not in str(from_wire(message))


def run_stave(*args, cwd):
    env = dict(os.environ, PYTHONPATH=ROOT)
    env.pop('STAVE_STORE', None)
    return subprocess.run([sys.executable, os.path.join(ROOT, 'stave.py')] + list(args), cwd=str(cwd), env=env,
                          capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)


def test_the_test_map_and_the_shell_over_thrift(tmp_path):
    served = Served(tmp_path)
    try:
        url = served.url(transport='buffered', protocol='binary')
        trace = tmp_path / 'trace.jsonl'
        trace.write_text('\n'.join(json.dumps(record) for record in [
            {'test': 'tests/test_db.py::test_save', 'path': 'app/db.py', 'lines': [10, 11, 12],
             'outcome': 'passed', 'duration': 0.5},
            {'test': 'tests/test_db.py::test_load', 'path': 'app/db.py', 'lines': [11, 20]},
        ]) + '\n')
        imported = run_stave('--store', url, 'import', str(trace), cwd=tmp_path)
        assert imported.returncode == 0, imported.stderr
        query = run_stave('--store', url, 'query', 'tests-for', 'app/db.py', '11', '--format', 'json', cwd=tmp_path)
        assert query.returncode == 0, query.stderr
        assert sorted(json.loads(query.stdout)) == ['tests/test_db.py::test_load', 'tests/test_db.py::test_save']
        shell = run_stave('--store', url, '-c', "sorted(tm.tests_for('app/db.py', 20))", cwd=tmp_path)
        assert shell.returncode == 0, shell.stderr
        assert 'test_load' in shell.stdout and 'test_save' not in shell.stdout
        exported = run_stave('--store', url, 'export', cwd=tmp_path)
        assert exported.returncode == 0, exported.stderr
    finally:
        assert served.stop() == 0
    # What went over the wire is in the served file, and moves back unchanged.
    local = run_stave('--store', 'sqlite:///' + served.store_path, 'export', cwd=tmp_path)
    assert local.returncode == 0, local.stderr
    assert sorted(local.stdout.splitlines()) == sorted(exported.stdout.splitlines())
    assert len(local.stdout.splitlines()) == 3  # a header and two records


def test_a_large_batch_goes_in_parts_of_whole_rows(server, monkeypatch):
    from stave.store.thrift import batch as thrift_batch
    monkeypatch.setattr(thrift_batch, 'SEND_CELLS', 10)
    with connect('thrift://127.0.0.1:%d' % server.port) as store:
        store.create_table('t', {'f': {}})
        table = store.table('t')
        calls = []
        mutate_rows = store.client.mutateRows
        monkeypatch.setattr(store.client, 'mutateRows', lambda *args: calls.append(args[1]) or mutate_rows(*args))
        with table.batch() as batch:
            for n in range(30):
                batch.put(b'r%02d' % n, {b'f:q': b'v'})
            batch.put_columns(b'wide', b'f', [b'c%02d' % n for n in range(25)])
        assert [len(part) for part in calls] == [10, 10, 10, 1]  # the wide row is not split
        assert sum(len(m.mutations) for m in calls[-1]) == 25
        assert len(list(table.scan())) == 31
        assert len(table.row(b'wide')) == 25
