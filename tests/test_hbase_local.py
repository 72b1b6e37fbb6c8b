"""hbase/local.py and its Ant targets: a real standalone HBase started and
stopped by the project's own files, and start-up failures that say why."""
import os
import signal
import socket
import subprocess
import sys

import happybase
import pytest

from hbase_server import LAUNCHER, LOCAL

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def launcher(*args, env=None, timeout=300):
    return subprocess.run([sys.executable, LAUNCHER] + list(args), capture_output=True, text=True,
                          env=dict(os.environ, **(env or {})), timeout=timeout)


def processes_of(directory):
    """The pids of processes started for `directory` (none may be left)."""
    mark = ('-Dstave.hbase.dir=%s\0' % directory).encode()
    found = []
    for pid in filter(str.isdigit, os.listdir('/proc')):
        try:
            with open('/proc/%s/cmdline' % pid, 'rb') as cmdline:
                if mark in cmdline.read():
                    found.append(int(pid))
        except OSError:
            pass
    return found


def test_no_jars_says_how_to_get_them(tmp_path):
    result = launcher('start', '--dir', str(tmp_path / 'h'), env={'STAVE_HBASE_JARS': str(tmp_path / 'none')})
    assert result.returncode == 1
    assert 'no HBase jars in %s: run `ant hbase-jars`' % (tmp_path / 'none') in result.stderr


def test_no_java_says_so(tmp_path):
    result = launcher('start', '--dir', str(tmp_path / 'h'), env={'JAVA_HOME': str(tmp_path / 'no-jdk')})
    assert result.returncode == 1
    assert 'no Java: install a JDK 17' in result.stderr


@pytest.mark.hbase
def test_a_master_that_dies_is_reported_with_its_last_log_lines(tmp_path):
    directory = tmp_path / 'h'
    result = launcher('start', '--dir', str(directory), env={'STAVE_HBASE_HEAP': '1k'})  # the JVM refuses it
    assert result.returncode == 1
    assert 'the HBase master exited with status 1 before it was ready' in result.stderr
    assert 'Initial heap size set to a larger value' in result.stderr  # the JVM's words, from the master's log
    assert processes_of(str(directory)) == []


@pytest.mark.hbase
@pytest.mark.slow
def test_ant_hbase_start_and_stop_beside_another_hbase(tmp_path):
    LOCAL.url('buffered-binary')  # the suite's own HBase runs meanwhile: two at once
    directory = str(tmp_path / 'h')
    start = subprocess.run(['ant', '-q', '-emacs', 'hbase-start', '-Dhbase.dir=' + directory], cwd=ROOT,
                           capture_output=True, text=True, timeout=600)
    try:
        assert start.returncode == 0, start.stdout + start.stderr
        with open(os.path.join(directory, 'urls')) as urls:
            thrift, zookeeper = urls.read().split()
        assert thrift.startswith('thrift://127.0.0.1:') and zookeeper.startswith('hbase://127.0.0.1:')
        assert thrift in start.stdout and zookeeper in start.stdout
        port = int(thrift.rsplit(':', 1)[1])
        connection = happybase.Connection('127.0.0.1', port)
        connection.create_table('t', {'f': {}})
        assert connection.tables() == [b't']
        connection.close()
        assert _listening_beyond_loopback(processes_of(directory)) == []
    finally:
        stop = subprocess.run(['ant', '-q', 'hbase-stop', '-Dhbase.dir=' + directory], cwd=ROOT,
                              capture_output=True, text=True, timeout=120)
    assert stop.returncode == 0, stop.stdout + stop.stderr
    assert processes_of(directory) == []
    assert sorted(os.listdir(directory)) == ['logs']  # data, conf, pids and urls removed


@pytest.mark.hbase
@pytest.mark.slow
def test_run_serves_in_the_foreground_until_ctrl_c(tmp_path):
    directory = str(tmp_path / 'h')
    process = subprocess.Popen([sys.executable, LAUNCHER, 'run', '--dir', directory],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        thrift = process.stdout.readline().strip()
        assert thrift.startswith('thrift://127.0.0.1:'), process.stderr.read()
        connection = happybase.Connection('127.0.0.1', int(thrift.rsplit(':', 1)[1]))
        assert connection.tables() == []
        connection.close()
        assert len(processes_of(directory)) == 2  # master, Thrift server
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=120) == 0
    finally:
        if process.poll() is None:
            process.kill()
            launcher('stop', '--dir', directory)
    assert processes_of(directory) == []
    assert not os.path.exists(os.path.join(directory, 'data'))


def _listening_beyond_loopback(pids):
    """The TCP listening sockets of `pids` bound to anything but 127.0.0.1."""
    inodes = set()
    for pid in pids:
        fd_dir = '/proc/%d/fd' % pid
        for fd in os.listdir(fd_dir):
            try:
                target = os.readlink(os.path.join(fd_dir, fd))
            except OSError:
                continue
            if target.startswith('socket:['):
                inodes.add(target[8:-1])
    wide = []
    for table in ('/proc/net/tcp', '/proc/net/tcp6'):
        with open(table) as sockets:
            for line in list(sockets)[1:]:
                fields = line.split()
                local, state, inode = fields[1], fields[3], fields[9]
                if state == '0A' and inode in inodes and not _is_loopback(local):
                    wide.append(local)
    return wide


def _is_loopback(address):
    host = address.split(':')[0]
    if len(host) == 8:  # IPv4, little-endian hex: 0100007F is 127.0.0.1
        return host.endswith('7F')
    # IPv6: ::1, or ::ffff:127.x.x.x (IPv4-mapped)
    return host == '00000000000000000000000001000000' or (host[:24] == '0000000000000000FFFF0000'
                                                         and host.endswith('7F'))


@pytest.mark.hbase
@pytest.mark.slow
def test_a_port_taken_before_zookeeper_binds_it_is_retried(tmp_path, monkeypatch):
    sys.path.insert(0, ROOT)
    from hbase import local
    taken = socket.socket()
    taken.bind(('127.0.0.1', 0))
    taken.listen(1)
    ports = [taken.getsockname()[1]]  # the first port start chooses for ZooKeeper is in use
    real_free_port = local.free_port
    monkeypatch.setattr(local, 'free_port', lambda: ports.pop() if ports else real_free_port())
    attempts, real_start_once = [], local._start_once
    monkeypatch.setattr(local, '_start_once', lambda *args: attempts.append(args) or real_start_once(*args))
    directory = str(tmp_path / 'h')
    try:
        urls = local.start(directory, ['buffered-binary'])
        assert len(attempts) == 2  # the master gave up on the taken port; the second try got new ones
        assert urls[1].startswith('hbase://127.0.0.1:') and not urls[1].endswith(':%d' % taken.getsockname()[1])
        connection = happybase.Connection('127.0.0.1', int(urls[0].rsplit(':', 1)[1]))
        assert connection.tables() == []
        connection.close()
    finally:
        local.stop(directory)
        taken.close()
    assert processes_of(directory) == []
