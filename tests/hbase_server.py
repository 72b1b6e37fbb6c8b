"""The real HBase the suite runs against: one standalone HBase 2.6 per test
process, started by hbase/local.py on the first test that needs it, with
two Thrift1 servers (buffered/binary and framed/compact), and stopped when
the process ends.

STAVE_TEST_THRIFT=host:port[?options] and STAVE_TEST_HBASE=zk[:port][/?options]
point the suite at servers you run instead (scratch instances with no tables:
each test drops every table after it). If HBase cannot start, every test that
needs it fails with the launcher's reason; `pytest -m "not hbase"` leaves them out.

Portable (Python 2.7/3 subset): `ant test` runs it under Jython, where the
launcher still runs on CPython (STAVE_PYTHON, default python3).
"""
from __future__ import absolute_import, division, print_function, unicode_literals

import atexit
import os
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LAUNCHER = os.path.join(ROOT, 'hbase', 'local.py')
MODES = ('buffered-binary', 'framed-compact')


class HBaseUnavailable(RuntimeError):
    """The suite's HBase could not start; the message is the launcher's reason."""


class LocalHBase(object):
    """Starts at most once per process; a failed start is remembered, so each
    later test fails at once with the same reason instead of waiting again."""

    def __init__(self):
        self.directory = None
        self.urls = None
        self.failure = None

    def url(self, kind):
        """The store URL of `kind`: a Thrift mode (buffered-binary, framed-compact) or 'hbase'."""
        external = self._external(kind)
        if external:
            return external
        if self.urls is None:
            self._start()
        return self.urls[kind]

    @staticmethod
    def _external(kind):
        if kind == 'hbase' and os.environ.get('STAVE_TEST_HBASE'):
            return 'hbase://' + os.environ['STAVE_TEST_HBASE']
        if kind != 'hbase' and os.environ.get('STAVE_TEST_THRIFT'):
            return 'thrift://' + os.environ['STAVE_TEST_THRIFT']
        return None

    def _start(self):
        if self.failure:
            raise HBaseUnavailable(self.failure)
        self.directory = tempfile.mkdtemp(prefix='stave-hbase-')
        command = [os.environ.get('STAVE_PYTHON') or _cpython(), LAUNCHER, 'start', '--dir', self.directory]
        for mode in MODES:
            command += ['--thrift', mode]
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        out, err = process.communicate()
        if process.returncode != 0:
            self.failure = ('the suite\'s HBase did not start (%s exited with %s):\n%s'
                            % (' '.join(command[1:3]), process.returncode, err.decode('utf-8', 'replace')))
            raise HBaseUnavailable(self.failure)
        lines = out.decode('utf-8').split()
        self.urls = dict(zip(MODES + ('hbase',), lines))

    def stop(self):
        """Stop this process's HBase, if it started one, and remove its folder."""
        if self.directory is None:
            return
        directory, self.directory, self.urls = self.directory, None, None
        with open(os.devnull, 'w') as quiet:
            subprocess.call([os.environ.get('STAVE_PYTHON') or _cpython(), LAUNCHER, 'stop', '--dir', directory],
                            stdout=quiet)
        shutil.rmtree(directory, ignore_errors=True)


def _cpython():
    return 'python3' if sys.platform.startswith('java') else sys.executable


def drop_all_tables(url):
    """Leave the server as a test found it: no tables."""
    from stave.store import connect
    store = connect(url)
    try:
        for name in store.tables():
            store.delete_table(name, disable=True)
    finally:
        store.close()


LOCAL = LocalHBase()
atexit.register(LOCAL.stop)
