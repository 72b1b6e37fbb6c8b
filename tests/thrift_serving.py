"""`stave serve` as a real subprocess on a free loopback port, for the tests."""
import os
import re
import signal
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
_SERVING = re.compile(r'on 127\.0\.0\.1:(\d+) ')


class Served(object):
    """A running `stave serve` over the store file `store_path`; its stderr goes
    to `log_path`. stop() sends SIGTERM and returns the exit status."""

    def __init__(self, directory, *options):
        self.store_path = os.path.join(str(directory), 'served.db')
        self.log_path = os.path.join(str(directory), 'serve.log')
        env = dict(os.environ, PYTHONPATH=ROOT)
        env.pop('STAVE_STORE', None)
        with open(self.log_path, 'w') as log:
            self.process = subprocess.Popen(
                [sys.executable, os.path.join(ROOT, 'stave.py'), 'serve', '--store',
                 'sqlite:///' + self.store_path, '--port', '0'] + list(options),
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=log, env=env, cwd=str(directory))
        self.port = self._wait_for_port()

    def _wait_for_port(self, timeout=30):
        deadline = time.time() + timeout
        while time.time() < deadline:
            found = _SERVING.search(self.log())
            if found:
                return int(found.group(1))
            if self.process.poll() is not None:
                raise AssertionError('stave serve exited with %s:\n%s' % (self.process.returncode, self.log()))
            time.sleep(0.05)
        self.process.kill()
        raise AssertionError('stave serve did not start:\n%s' % self.log())

    def log(self):
        with open(self.log_path) as handle:
            return handle.read()

    def url(self, **options):
        query = '&'.join('%s=%s' % item for item in sorted(options.items()))
        return 'thrift://127.0.0.1:%d%s' % (self.port, '?' + query if query else '')

    def stop(self, sig=signal.SIGTERM):
        if self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
                raise AssertionError('stave serve ignored %s:\n%s' % (sig, self.log()))
        return self.process.returncode
