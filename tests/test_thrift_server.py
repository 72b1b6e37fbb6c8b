"""`stave serve` over the wire: happybase and raw Thrift clients against a real
subprocess on a loopback port, then the store file checked directly."""
import os
import random
import socket
import struct
import subprocess
import sys
import threading
import time

import happybase
import pytest
import thriftpy2
from thriftpy2.rpc import make_client
from thriftpy2.thrift import TApplicationException
from thriftpy2.transport import TBufferedTransportFactory, TFramedTransportFactory, TTransportException
from thriftpy2.protocol import TBinaryProtocolFactory, TCompactProtocolFactory

from Hbase_thrift import (  # loaded by happybase
    AlreadyExists, BatchMutation, ColumnDescriptor, Hbase, IllegalArgument, IOError as HbaseIOError,
    Mutation, TAppend, TIncrement, TScan)
from stave.store import connect
from thrift_serving import Served

pytestmark = pytest.mark.slow

PAIRS = [('buffered', 'binary'), ('buffered', 'compact'), ('framed', 'binary'), ('framed', 'compact')]


@pytest.fixture
def served(tmp_path):
    server = Served(tmp_path)
    yield server
    assert server.stop() == 0, server.log()


def raw_client(port, transport='buffered', protocol='binary'):
    """thriftpy2's own client for the Hbase service, to call what happybase never does."""
    return make_client(Hbase, '127.0.0.1', port, timeout=20000,
                       trans_factory={'buffered': TBufferedTransportFactory(),
                                      'framed': TFramedTransportFactory()}[transport],
                       proto_factory={'binary': TBinaryProtocolFactory(decode_response=False),
                                      'compact': TCompactProtocolFactory(decode_response=False)}[protocol])


def stored_rows(server, table):
    """The rows of `table` read straight from the served store file."""
    with connect('sqlite:///' + server.store_path) as store:
        return dict(store.table(table).scan())


@pytest.mark.parametrize('transport,protocol', PAIRS)
def test_one_port_serves_every_transport_and_protocol(served, transport, protocol):
    connection = happybase.Connection('127.0.0.1', served.port, transport=transport, protocol=protocol)
    name = '%s_%s' % (transport, protocol)
    connection.create_table(name, {'f': {'max_versions': 2}})
    table = connection.table(name)
    table.put(b'r1', {b'f:a': b'1', b'f:b': b'2'})
    table.put(b'r2', {b'f:a': b'3'})
    assert table.row(b'r1') == {b'f:a': b'1', b'f:b': b'2'}
    assert list(table.scan(row_prefix=b'r', columns=[b'f:a'])) == [(b'r1', {b'f:a': b'1'}), (b'r2', {b'f:a': b'3'})]
    assert table.counter_inc(b'c', b'f:n', 5) == 5
    table.delete(b'r2')
    connection.close()
    assert stored_rows(served, name) == {b'r1': {b'f:a': b'1', b'f:b': b'2'}, b'c': {b'f:n': struct.pack('>q', 5)}}


def test_connection_pool_with_many_threads_and_random_disconnects(served):
    # As happybase's own pool test: 10 threads x 50 iterations, some connections dropped.
    happybase.Connection('127.0.0.1', served.port).create_table('pool', {'f': {}})
    pool = happybase.ConnectionPool(size=3, host='127.0.0.1', port=served.port)
    failures = []

    def work(worker):
        rng = random.Random(worker)
        try:
            for i in range(50):
                with pool.connection() as connection:
                    table = connection.table('pool')
                    table.put(('%02d-%02d' % (worker, i)).encode(), {b'f:w': str(worker).encode()})
                    assert table.row(('%02d-%02d' % (worker, i)).encode()) == {b'f:w': str(worker).encode()}
                    if rng.random() < 0.1:
                        connection.transport.close()  # the pool must notice and reconnect
                        connection.open()
        except Exception as exc:  # reported below, with the worker
            failures.append((worker, exc))

    threads = [threading.Thread(target=work, args=(n,)) for n in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert failures == []
    with pool.connection() as connection:
        assert len(list(connection.table('pool').scan())) == 500


def test_the_calls_happybase_never_makes(served):
    client = raw_client(served.port)
    happybase.Connection('127.0.0.1', served.port).create_table('t', {'f': {'max_versions': 3}, 'g': {}})
    client.mutateRowTs(b't', b'r', [Mutation(column=b'f:q', value=b'v1')], 100, {})
    client.mutateRowTs(b't', b'r', [Mutation(column=b'f:q', value=b'v2')], 200, {})
    client.mutateRow(b't', b'r', [Mutation(column=b'g:x', value=b'x'), Mutation(column=b'f:p', value=b'p')], {})
    client.mutateRow(b't', b's', [Mutation(column=b'f:q', value=b's')], {})

    assert [c.value for c in client.get(b't', b'r', b'f:q', {})] == [b'v2']
    assert [(c.value, c.timestamp) for c in client.getVerTs(b't', b'r', b'f:q', 200, 5, {})] == [(b'v1', 100)]
    assert sorted(c.value for c in client.get(b't', b'r', b'f', {})) == [b'p', b'v2']  # a family: each column
    (row,) = client.getRow(b't', b'r', {})
    assert row.row == b'r' and sorted(row.columns) == [b'f:p', b'f:q', b'g:x']
    (old,) = client.getRowTs(b't', b'r', 150, {})  # timestamps are exclusive upper bounds
    assert {k: v.value for k, v in old.columns.items()} == {b'f:q': b'v1'}
    assert [r.row for r in client.getRows(b't', [b's', b'missing', b'r'], {})] == [b's', b'r']
    assert [r.row for r in client.getRowsTs(b't', [b'r', b's'], 150, {})] == [b'r']
    assert client.getRow(b't', b'missing', {}) == []

    client.increment(TIncrement(table=b't', row=b'c', column=b'f:n', ammount=2))
    client.incrementRows([TIncrement(table=b't', row=b'c', column=b'f:n', ammount=3),
                          TIncrement(table=b't', row=b'd', column=b'f:n', ammount=1)])
    assert client.atomicIncrement(b't', b'c', b'f:n', 0) == 5
    appended = client.append(TAppend(table=b't', row=b's', columns=[b'f:q', b'f:new'], values=[b'+', b'n']))
    assert [c.value for c in appended] == [b's+', b'n']
    assert client.checkAndPut(b't', b's', b'f:q', b's+', Mutation(column=b'f:ok', value=b'1'), {}) is True
    assert client.checkAndPut(b't', b's', b'f:q', b'wrong', Mutation(column=b'f:no', value=b'1'), {}) is False
    assert client.checkAndPut(b't', b's', b'f:absent', None, Mutation(column=b'f:absent', value=b'a'), {}) is True
    assert client.checkAndPut(b't', b's', b'f:absent', None, Mutation(column=b'f:again', value=b'a'), {}) is False

    scanner = client.scannerOpenWithPrefix(b't', b's', [b'f:q'], {})
    assert [(r.row, r.columns[b'f:q'].value) for r in client.scannerGet(scanner)] == [(b's', b's+')]
    assert client.scannerGet(scanner) == []
    client.scannerClose(scanner)
    for scanner in (client.scannerOpen(b't', b'd', None, {}),
                    client.scannerOpenWithStop(b't', b'c', b's', None, {}),
                    client.scannerOpenTs(b't', b'r', [b'f:q'], 150, {}),
                    client.scannerOpenWithStopTs(b't', b'r', b'rz', [b'f:q'], 150, {})):
        rows = [r.row for r in client.scannerGetList(scanner, 10)]
        client.scannerClose(scanner)
        assert rows in ([b'd', b'r', b's'], [b'c', b'd', b'r'], [b'r'])

    assert [c.value for c in client.getRowOrBefore(b't', b'rz', b'g')] == [b'x']
    assert [c.value for c in client.getRowOrBefore(b't', b'r', b'f:')] == [b'p', b'v2']
    region = client.getRegionInfo(b't,r,99999999999999')
    assert region.startKey == b'' and region.endKey == b'' and region.name.startswith(b't,')
    with pytest.raises(HbaseIOError):
        client.getRegionInfo(b'nope,r,99999999999999')
    assert [r.name for r in client.getTableRegions(b't')] == [region.name]
    descriptors = client.getColumnDescriptors(b't')
    assert sorted(descriptors) == [b'f:', b'g:'] and descriptors[b'f:'].maxVersions == 3

    client.deleteAllTs(b't', b'r', b'f:q', 100, {})
    assert [c.value for c in client.getVer(b't', b'r', b'f:q', 5, {})] == [b'v2']
    client.deleteAll(b't', b'r', b'g:x', {})
    client.deleteAllRowTs(b't', b's', 1, {})  # older than every cell: nothing goes
    assert client.getRow(b't', b's', {}) != []
    client.deleteAllRow(b't', b's', {})
    assert client.getRow(b't', b's', {}) == []
    client.compact(b't')
    client.majorCompact(region.name)
    client.close()
    rows = stored_rows(served, 't')
    assert rows[b'r'] == {b'f:p': b'p', b'f:q': b'v2'} and b's' not in rows


def test_errors_reach_the_client_as_the_idl_declares_and_the_connection_stays(served):
    client = raw_client(served.port, 'framed', 'compact')
    with pytest.raises(HbaseIOError) as caught:
        client.getRow(b'nope', b'r', {})
    assert b'TableNotFoundException' in caught.value.message
    client.createTable(b't', [ColumnDescriptor(name=b'f:')])
    with pytest.raises(AlreadyExists):
        client.createTable(b't', [ColumnDescriptor(name=b'f:')])
    with pytest.raises(IllegalArgument):
        client.createTable(b'bad name!', [ColumnDescriptor(name=b'f:')])
    with pytest.raises(HbaseIOError) as caught:
        client.mutateRows(b't', [BatchMutation(row=b'r', mutations=[Mutation(column=b'nope:q', value=b'v')])], {})
    assert b'NoSuchColumnFamilyException' in caught.value.message
    with pytest.raises(IllegalArgument):
        client.scannerGetList(12345, 1)
    with pytest.raises(HbaseIOError) as caught:
        client.scannerOpenWithScan(b't', TScan(filterString=b"PrefixFilter('a'"), {})
    assert b'FilterSyntaxError' in caught.value.message
    client.mutateRow(b't', b'r', [Mutation(column=b'f:q', value=b'still here')], {})
    assert client.get(b't', b'r', b'f:q', {})[0].value == b'still here'


def test_an_unknown_method_is_a_tapplicationexception(served, tmp_path):
    idl = tmp_path / 'other.thrift'
    idl.write_text('service Hbase { void noSuchMethod() }\n')
    other = thriftpy2.load(str(idl), module_name='other_thrift')
    client = make_client(other.Hbase, '127.0.0.1', served.port, timeout=20000)
    for _ in range(2):  # the connection survives the first
        with pytest.raises(TApplicationException) as caught:
            client.noSuchMethod()
        assert caught.value.type == TApplicationException.UNKNOWN_METHOD


def test_bad_clients_leave_the_server_serving_and_the_store_intact(served):
    connection = happybase.Connection('127.0.0.1', served.port)
    connection.create_table('t', {'f': {}})
    connection.table('t').put(b'kept', {b'f:q': b'v'})

    def garbage(payload, reset=False):
        sock = socket.create_connection(('127.0.0.1', served.port))
        sock.sendall(payload)
        if reset:  # an abrupt close: RST instead of FIN
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack('ii', 1, 0))
        sock.close()

    garbage(b'GET / HTTP/1.1\r\nHost: x\r\n\r\n')
    garbage(bytes(random.Random(1).getrandbits(8) for _ in range(4096)))
    garbage(b'\x80\x01\x00\x01\x00\x00\x00\x06getRow', reset=True)  # half a message
    garbage(b'\x00\x00\x00\x40\x80\x01\x00\x01' + b'\xff' * 56)  # a frame of nonsense
    garbage(b'\x80\x01\x00\x01\x7f\xff\xff\xff', reset=True)  # a name "2 GB long"

    # A client killed in the middle of a streaming scan.
    with connection.table('t').batch() as batch:
        for i in range(2000):
            batch.put(b'row%05d' % i, {b'f:q': b'x' * 100})
    script = ('import happybase, os, signal\n'
              'c = happybase.Connection("127.0.0.1", %d)\n'
              'for i, row in enumerate(c.table("t").scan(batch_size=10)):\n'
              '    if i == 50: os.kill(os.getpid(), signal.SIGKILL)\n' % served.port)
    killed = subprocess.run([sys.executable, '-c', script], timeout=60)
    assert killed.returncode == -9

    # Many clients at once, while the others misbehaved.
    errors = []

    def client(n):
        try:
            own = happybase.Connection('127.0.0.1', served.port, transport=PAIRS[n % 4][0],
                                       protocol=PAIRS[n % 4][1])
            for i in range(20):
                own.table('t').put(b'c%d-%d' % (n, i), {b'f:q': b'%d' % i})
            assert len(list(own.table('t').scan(row_prefix=b'c%d-' % n))) == 20
            own.close()
        except Exception as exc:
            errors.append(exc)
    threads = [threading.Thread(target=client, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []

    assert connection.table('t').row(b'kept') == {b'f:q': b'v'}  # the first connection still works
    assert served.process.poll() is None
    assert 'are not a Thrift message' in served.log()
    connection.close()
    assert len(stored_rows(served, 't')) == 1 + 2000 + 8 * 20


def test_idle_connections_are_kept(served):
    # thriftpy2's own server would drop a connection idle for 3 s.
    connection = happybase.Connection('127.0.0.1', served.port)
    connection.create_table('t', {'f': {}})
    time.sleep(4)
    assert connection.tables() == [b't']


def test_sigterm_stops_the_server_with_clients_connected(tmp_path):
    server = Served(tmp_path)
    connection = happybase.Connection('127.0.0.1', server.port)
    connection.create_table('t', {'f': {}})
    connection.table('t').put(b'r', {b'f:q': b'v'})
    scan = connection.table('t').scan(batch_size=1)
    next(scan)  # a scanner open on the server
    assert server.stop() == 0
    assert 'Traceback' not in server.log()
    with pytest.raises(TTransportException):
        scan.close()  # the client learns the server is gone when it next talks to it
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(('127.0.0.1', server.port), timeout=5)
    assert stored_rows(server, 't') == {b'r': {b'f:q': b'v'}}


def test_a_pinned_transport_refuses_others_and_says_so(tmp_path):
    server = Served(tmp_path, '--transport', 'framed', '--protocol', 'compact')
    try:
        good = happybase.Connection('127.0.0.1', server.port, transport='framed', protocol='compact')
        assert good.tables() == []
        bad = happybase.Connection('127.0.0.1', server.port)
        with pytest.raises(Exception):
            bad.tables()
        deadline = time.time() + 10
        while 'speaks buffered/binary, this server only framed/compact' not in server.log():
            assert time.time() < deadline, server.log()
            time.sleep(0.05)
    finally:
        assert server.stop() == 0


def test_serve_refuses_a_memory_store_and_a_busy_port(tmp_path):
    env = dict(os.environ, PYTHONPATH=os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    stave_py = os.path.join(env['PYTHONPATH'], 'stave.py')
    memory = subprocess.run([sys.executable, stave_py, 'serve', '--store', 'sqlite:///:memory:'],
                            capture_output=True, text=True, env=env, timeout=60)
    assert memory.returncode == 1
    assert ':memory:' in memory.stderr and 'Traceback' not in memory.stderr
    with socket.socket() as busy:
        busy.bind(('127.0.0.1', 0))
        busy.listen(1)
        port = busy.getsockname()[1]
        taken = subprocess.run([sys.executable, stave_py, 'serve', '--store', 'sqlite:///s.db', '--port', str(port)],
                               capture_output=True, text=True, env=env, cwd=str(tmp_path), timeout=60)
    assert taken.returncode == 1
    assert 'cannot listen on 127.0.0.1:%d' % port in taken.stderr and 'Traceback' not in taken.stderr


def test_the_handler_implements_every_method_of_the_service():
    from stave.thriftserver.handler import Handler
    assert len(Hbase.thrift_services) == 45
    assert [name for name in Hbase.thrift_services if not callable(getattr(Handler, name, None))] == []
