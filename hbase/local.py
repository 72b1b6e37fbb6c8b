#!/usr/bin/env python3
"""A throwaway standalone HBase on this machine: master, region server and
ZooKeeper in one JVM, plus HBase's own Thrift1 servers, all on free loopback
ports, for stave's tests, benchmarks and a first try on a laptop.

    python3 hbase/local.py start [--dir build/hbase] [--thrift MODE]...
    python3 hbase/local.py stop  [--dir build/hbase]
    python3 hbase/local.py run   [--dir build/hbase] [--thrift MODE]...   (foreground, Ctrl-C stops)

`start` returns once ZooKeeper answers `ruok` and every Thrift server answers
a real call (getTableNames, which goes through the master), and prints one
store URL a line, the Thrift ones first and the hbase:// one last; the same
lines go to DIR/urls. MODE is `buffered-binary` (the default, happybase's
default) or `framed-compact`; several --thrift start one server each.
`stop` ends every process the directory's pid files name (SIGTERM, then
SIGKILL), and removes the data and the pid files; the logs stay in DIR/logs.

The jars come from `ant hbase-jars` (hbase/pom.xml) into build/hbase-jars.
Needs a JDK 11 to 22 (Hadoop's user code breaks on 23+) and runs with the
flags HBase's own bin/hbase passes on JDK 11+. Exit status: 0 ready or
stopped, 1 could not start (the reason and the master's last log lines on
stderr), 2 bad usage. CPython only; stdlib plus happybase (stave's own
dependency) for the readiness call.
"""
import argparse
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_DIR = os.path.join(ROOT, 'build', 'hbase')
JARS = os.environ.get('STAVE_HBASE_JARS') or os.path.join(ROOT, 'build', 'hbase-jars')
LOG_CONFIG = os.path.join(ROOT, 'hbase', 'log4j2.properties')

THRIFT_MODES = {
    # mode: (happybase transport, protocol, ThriftServer flags)
    'buffered-binary': ('buffered', 'binary', []),
    'framed-compact': ('framed', 'compact', ['-f', '-c']),
}

# What bin/hbase adds on JDK 11+ (HBase 2.6): netty, Hadoop and the WAL reach into the JDK.
JDK_FLAGS = [
    '-Dorg.apache.hbase.thirdparty.io.netty.tryReflectionSetAccessible=true',
    '--add-modules', 'jdk.unsupported',
    '--add-opens', 'java.base/java.io=ALL-UNNAMED',
    '--add-opens', 'java.base/java.nio=ALL-UNNAMED',
    '--add-opens', 'java.base/sun.nio.ch=ALL-UNNAMED',
    '--add-opens', 'java.base/java.lang=ALL-UNNAMED',
    '--add-opens', 'java.base/jdk.internal.ref=ALL-UNNAMED',
    '--add-opens', 'java.base/java.lang.reflect=ALL-UNNAMED',
    '--add-exports', 'java.base/jdk.internal.misc=ALL-UNNAMED',
    '--add-exports', 'java.security.jgss/sun.security.krb5=ALL-UNNAMED',
    '--add-exports', 'java.base/sun.net.dns=ALL-UNNAMED',
    '--add-exports', 'java.base/sun.net.util=ALL-UNNAMED',
]
MASTER_HEAP = os.environ.get('STAVE_HBASE_HEAP', '1g')
THRIFT_HEAP = '384m'
READY_LINE = 'Master has completed initialization'
START_TIMEOUT = float(os.environ.get('STAVE_HBASE_START_TIMEOUT', '180'))


class StartError(Exception):
    """HBase could not start; the message says why."""


def free_port():
    """A port free on 127.0.0.1 now (the JVM binds it a moment later; a lost
    race shows as a port-in-use failure, and start tries again)."""
    sock = socket.socket()
    try:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]
    finally:
        sock.close()


def site_xml(directory, zk_port):
    """hbase-site.xml for a standalone HBase that keeps to 127.0.0.1 and DIR."""
    data = os.path.join(directory, 'data')
    props = [
        ('hbase.cluster.distributed', 'false'),
        ('hbase.rootdir', 'file://' + os.path.join(data, 'root')),
        ('hbase.tmp.dir', os.path.join(data, 'tmp')),
        ('hbase.zookeeper.property.dataDir', os.path.join(data, 'zk')),
        ('hbase.zookeeper.quorum', '127.0.0.1'),
        ('hbase.zookeeper.property.clientPort', str(zk_port)),
        ('hbase.zookeeper.property.clientPortAddress', '127.0.0.1'),
        # The local file system has no hflush/hsync; the async WAL reflects into netty internals.
        ('hbase.unsafe.stream.capability.enforce', 'false'),
        ('hbase.wal.provider', 'filesystem'),
        ('hbase.wal.meta_provider', 'filesystem'),
        # Master and region server RPC on free ports, bound to and advertised as loopback.
        ('hbase.localcluster.assign.random.ports', 'true'),
        ('hbase.master.ipc.address', '127.0.0.1'),
        ('hbase.regionserver.ipc.address', '127.0.0.1'),
        ('hbase.master.hostname', 'localhost'),
        ('hbase.unsafe.regionserver.hostname', 'localhost'),
        # No web UIs.
        ('hbase.master.info.port', '-1'),
        ('hbase.regionserver.info.port', '-1'),
        ('hbase.thrift.info.port', '-1'),
        # Fail fast: HBase's client (the Thrift servers' too) retries 15 times with
        # back-off by default, about two minutes before a write to a disabled table fails.
        ('hbase.client.retries.number', '4'),
    ]
    body = ''.join('  <property><name>%s</name><value>%s</value></property>\n' % p for p in props)
    return '<?xml version="1.0"?>\n<configuration>\n%s</configuration>\n' % body


def java_command(directory, heap, main, args):
    conf = os.path.join(directory, 'conf')
    classpath = conf + os.pathsep + os.path.join(JARS, '*')
    return ([java_binary(), '-Xms64m', '-Xmx' + heap, '-XX:+UseG1GC', '-Djava.net.preferIPv4Stack=true',
             '-Dlog4j.configurationFile=' + LOG_CONFIG, '-Dstave.hbase.dir=' + directory]
            + JDK_FLAGS + ['-cp', classpath, main] + args)


def java_binary():
    home = os.environ.get('JAVA_HOME')
    java = os.path.join(home, 'bin', 'java') if home else shutil.which('java')
    if not java or not os.access(java, os.X_OK):
        raise StartError('no Java: install a JDK 17 (apt-get install default-jdk-headless) or set JAVA_HOME')
    return java


def check_java():
    out = subprocess.run([java_binary(), '-version'], capture_output=True, text=True).stderr
    match = re.search(r'version "(\d+)(?:\.(\d+))?', out)
    major = int(match.group(1)) if match else 0
    major = int(match.group(2)) if major == 1 else major
    if not 11 <= major <= 22:
        raise StartError('Java %s found (%s); HBase 2.6 with Hadoop 3 runs on JDK 11 to 22 (17 is tested): '
                         'set JAVA_HOME' % (major or '?', java_binary()))


def check_jars():
    if not os.path.isdir(JARS) or not any(n.startswith('hbase-thrift-') for n in os.listdir(JARS)):
        raise StartError('no HBase jars in %s: run `ant hbase-jars` (needs Maven: apt-get install maven)' % JARS)


def last_lines(path, count=25):
    try:
        with open(path, errors='replace') as log:
            lines = log.read().splitlines()
    except OSError:
        return '(no log at %s)' % path
    keep = [line for line in lines if not line.startswith('\tat ')]  # stack frames say little here
    return '\n'.join('    ' + line for line in keep[-count:])


def spawn(directory, name, command):
    """Start one JVM in its own session (a Ctrl-C meant for the caller does not
    reach it), output to DIR/logs/NAME.log, pid to DIR/pids/NAME."""
    log_path = os.path.join(directory, 'logs', name + '.log')
    with open(log_path, 'wb') as log:
        process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                                   start_new_session=True, cwd=directory)
    with open(os.path.join(directory, 'pids', name), 'w') as pid_file:
        pid_file.write('%d\n' % process.pid)
    return process, log_path


def wait_for(what, process, log_path, check, deadline):
    """Poll check() until it returns true; fail at once if the JVM died."""
    while True:
        error = None
        try:
            if check():
                return
        except PortTaken:
            raise
        except Exception as exc:  # not up yet: refused, reset, HBase's own "not ready"
            error = exc
        if process.poll() is not None:
            raise StartError('%s exited with status %s before it was ready; the last lines of %s:\n%s'
                             % (what, process.returncode, log_path, last_lines(log_path)))
        if time.monotonic() > deadline:
            raise StartError('%s not ready after %.0f s (last answer: %s); the last lines of %s:\n%s'
                             % (what, START_TIMEOUT, error or 'none', log_path, last_lines(log_path)))
        time.sleep(0.25)


def master_ready(log_path):
    def check():
        with open(log_path, errors='replace') as log:
            text = log.read()
        if 'Could not start ZK' in text or 'Address already in use' in text:
            raise PortTaken(text)
        return READY_LINE in text
    return check


class PortTaken(Exception):
    """A port chosen free was taken before the JVM bound it."""


def zookeeper_ok(port):
    def check():
        with socket.create_connection(('127.0.0.1', port), timeout=2) as sock:
            sock.sendall(b'ruok')
            return sock.recv(4) == b'imok'
    return check


def thrift_ok(port, mode):
    def check():
        import happybase
        transport, protocol, _ = THRIFT_MODES[mode]
        connection = happybase.Connection('127.0.0.1', port, timeout=10000, transport=transport,
                                          protocol=protocol, autoconnect=True)
        try:
            connection.tables()  # getTableNames: answered by the master through the Thrift server
            return True
        finally:
            connection.close()
    return check


def thrift_url(port, mode):
    transport, protocol, _ = THRIFT_MODES[mode]
    url = 'thrift://127.0.0.1:%d' % port
    if mode != 'buffered-binary':
        url += '?transport=%s&protocol=%s' % (transport, protocol)
    return url


def running_pids(directory):
    """{name: pid} of the pid files in DIR whose process is still this HBase's JVM."""
    pids = {}
    pid_dir = os.path.join(directory, 'pids')
    for name in sorted(os.listdir(pid_dir)) if os.path.isdir(pid_dir) else ():
        try:
            with open(os.path.join(pid_dir, name)) as pid_file:
                pid = int(pid_file.read())
            with open('/proc/%d/cmdline' % pid, 'rb') as cmdline:
                # A recycled pid belongs to someone else: only a JVM started for DIR is ours.
                if ('-Dstave.hbase.dir=%s\0' % directory).encode() in cmdline.read():
                    pids[name] = pid
        except (OSError, ValueError):
            pass
    return pids


def start(directory, modes):
    """Start master and Thrift servers; return the URLs. Stops what it started on failure."""
    directory = os.path.abspath(directory)
    check_jars()
    check_java()
    if running_pids(directory):
        raise StartError('an HBase already runs from %s (pids %s): `ant hbase-stop` first, or use another --dir'
                         % (directory, ', '.join(map(str, running_pids(directory).values()))))
    for attempt in range(3):
        try:
            return _start_once(directory, modes)
        except PortTaken:
            stop(directory, quiet=True)
    raise StartError('ports chosen free were taken three times in a row; the last lines of %s:\n%s'
                     % (os.path.join(directory, 'logs', 'master.log'),
                        last_lines(os.path.join(directory, 'logs', 'master.log'))))


def _start_once(directory, modes):
    remove_data(directory)
    for sub in ('conf', 'logs', 'pids', 'data'):
        os.makedirs(os.path.join(directory, sub), exist_ok=True)
    zk_port = free_port()
    with open(os.path.join(directory, 'conf', 'hbase-site.xml'), 'w') as site:
        site.write(site_xml(directory, zk_port))
    deadline = time.monotonic() + START_TIMEOUT
    try:
        master, master_log = spawn(directory, 'master', java_command(
            directory, MASTER_HEAP, 'org.apache.hadoop.hbase.master.HMaster', ['start']))
        wait_for('the HBase master', master, master_log, master_ready(master_log), deadline)
        wait_for('ZooKeeper on port %d' % zk_port, master, master_log, zookeeper_ok(zk_port), deadline)
        urls = []
        servers = []
        for mode in modes:
            port = free_port()
            name = 'thrift-' + mode
            process, log_path = spawn(directory, name, java_command(
                directory, THRIFT_HEAP, 'org.apache.hadoop.hbase.thrift.ThriftServer',
                ['-b', '127.0.0.1', '-p', str(port), '--infoport', '-1', '-threadpool']
                + THRIFT_MODES[mode][2] + ['start']))
            servers.append((mode, port, process, log_path))
        for mode, port, process, log_path in servers:
            wait_for('the Thrift server (%s, port %d)' % (mode, port), process, log_path,
                     thrift_ok(port, mode), deadline)
            urls.append(thrift_url(port, mode))
    except BaseException:
        stop(directory, quiet=True, keep_data=True)
        raise
    urls.append('hbase://127.0.0.1:%d' % zk_port)
    with open(os.path.join(directory, 'urls'), 'w') as out:
        out.write(''.join(url + '\n' for url in urls))
    return urls


def stop(directory, quiet=False, keep_data=False):
    """Stop every process DIR names: Thrift servers first, then the master
    (which takes ZooKeeper with it); SIGKILL what is left after 30 s."""
    directory = os.path.abspath(directory)
    pids = running_pids(directory)
    order = sorted(pids, key=lambda name: name == 'master')
    for name in order:
        _signal(pids[name], signal.SIGTERM)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and any(_alive(pids[name]) for name in order):
        time.sleep(0.2)
    for name in order:
        if _alive(pids[name]):
            if not quiet:
                print('local.py: %s (pid %d) ignored SIGTERM for 30 s: killed' % (name, pids[name]), file=sys.stderr)
            _signal(pids[name], signal.SIGKILL)
    shutil.rmtree(os.path.join(directory, 'pids'), ignore_errors=True)
    if not keep_data:
        remove_data(directory)
    return sorted(pids.values())


def remove_data(directory):
    for sub in ('data', 'conf'):
        shutil.rmtree(os.path.join(directory, sub), ignore_errors=True)
    try:
        os.remove(os.path.join(directory, 'urls'))
    except OSError:
        pass


def _signal(pid, number):
    try:
        os.killpg(pid, number)  # the JVM leads its own session: its group is just it
    except OSError:
        pass


def _alive(pid):
    try:
        os.kill(pid, 0)
    except OSError:
        return False
    # A zombie child of ours (in run mode) counts as gone.
    try:
        with open('/proc/%d/stat' % pid) as stat:
            return stat.read().split(')')[-1].split()[0] != 'Z'
    except OSError:
        return False


def main(argv=None):
    parser = argparse.ArgumentParser(prog='hbase/local.py', description=__doc__.split('\n\n')[0])
    parser.add_argument('action', choices=['start', 'stop', 'run'])
    parser.add_argument('--dir', default=DEFAULT_DIR, help='where data, logs, pids and urls live (default %(default)s)')
    parser.add_argument('--thrift', action='append', choices=sorted(THRIFT_MODES),
                        help='a Thrift server in this mode (repeatable; default buffered-binary)')
    args = parser.parse_args(argv)
    modes = args.thrift or ['buffered-binary']
    if args.action == 'stop':
        stopped = stop(args.dir)
        print('stopped %s' % (', '.join(map(str, stopped)) if stopped else 'nothing (no HBase ran from %s)' % args.dir))
        return 0
    try:
        urls = start(args.dir, modes)
    except StartError as exc:
        print('local.py: HBase did not start: %s' % exc, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    print('\n'.join(urls), flush=True)
    if args.action == 'run':
        print('HBase runs from %s; Ctrl-C stops it' % os.path.abspath(args.dir), file=sys.stderr, flush=True)
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
        try:
            while running_pids(os.path.abspath(args.dir)).get('master'):
                time.sleep(1)
            print('local.py: the HBase master exited; the last lines of its log:\n%s'
                  % last_lines(os.path.join(args.dir, 'logs', 'master.log')), file=sys.stderr)
            return 1
        except KeyboardInterrupt:
            pass
        finally:
            stop(args.dir)
    return 0


if __name__ == '__main__':
    sys.exit(main())
