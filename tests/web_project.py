"""A throwaway project, its map recorded by `pytest --stave`, and `stave web`
serving it as a real subprocess on a free loopback port: what the web tests
(HTTP and browser) share."""
import os
import re
import signal
import subprocess
import sys
import textwrap
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

CALC = textwrap.dedent('''\
    def add(a, b):
        return a + b


    def sub(a, b):
        return a - b


    def mul(a, b):
        return a * b


    def unused():
        return 0
''')

PAGE = textwrap.dedent('''\
    TEMPLATE = "<script>alert('from the source')</script>"


    def render(value):
        return TEMPLATE + value
''')

TESTS = textwrap.dedent('''\
    import pytest

    from app.calc import add, sub
    from app.page import render


    def test_add():
        assert add(1, 2) == 3


    def test_sub():
        assert sub(3, 2) == 1


    def test_fails():
        assert add(1, 1) == 3


    @pytest.mark.parametrize('value', ['<b>'], ids=["<script>alert('id')</script>"])
    def test_render(value):
        assert render(value).endswith('<b>')
''')

MANY = textwrap.dedent('''\
    import pytest

    from app.calc import mul


    @pytest.mark.parametrize('n', range(150))
    def test_mul(n):
        assert mul(n, 1) == n
''')

#: The tests the project records, by id.
ADD, SUB, FAILS = 'tests/test_calc.py::test_add', 'tests/test_calc.py::test_sub', 'tests/test_calc.py::test_fails'
RENDER = "tests/test_calc.py::test_render[<script>alert('id')</script>]"
MUL = ['tests/test_many.py::test_mul[%d]' % n for n in range(150)]


def run(command, cwd, **kwargs):
    env = dict(os.environ, PYTHONPATH=ROOT, GIT_AUTHOR_NAME='t', GIT_AUTHOR_EMAIL='t@t',
               GIT_COMMITTER_NAME='t', GIT_COMMITTER_EMAIL='t@t')
    env.pop('STAVE_STORE', None)
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, **kwargs)


def make_project(directory):
    """Write the project, commit it, record its map; return the store URL."""
    files = {'app/__init__.py': '', 'app/calc.py': CALC, 'app/page.py': PAGE,
             'tests/test_calc.py': TESTS, 'tests/test_many.py': MANY, 'pyproject.toml': '[project]\nname = "p"\n'}
    for path, text in files.items():
        full = os.path.join(directory, path)
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, 'w') as handle:
            handle.write(text)
    run(['git', 'init', '-q'], directory)
    run(['git', 'add', '-A'], directory)
    run(['git', 'commit', '-qm', 'project'], directory)
    url = 'sqlite:///' + os.path.join(directory, 'map.db')
    recorded = run([sys.executable, '-m', 'pytest', '-q', '-p', 'no:cacheprovider', '--stave',
                    '--stave-store', url], directory)
    assert '1 failed, 153 passed' in recorded.stdout, recorded.stdout + recorded.stderr
    return url


class WebServer(object):
    """`stave web --port 0` as a subprocess; stop() sends SIGTERM and returns its exit status."""

    def __init__(self, url, root, *extra):
        self.process = subprocess.Popen(
            [sys.executable, os.path.join(ROOT, 'stave.py'), '--store', url, 'web', '--port', '0',
             '--root', str(root)] + list(extra),
            env=dict(os.environ, PYTHONPATH=ROOT), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.announcement = self.process.stderr.readline()
        found = re.search(r'http://([\d.]+):(\d+)/', self.announcement)
        if not found:
            self.process.kill()
            raise AssertionError('stave web did not start: %r %s' % (self.announcement, self.process.stderr.read()))
        self.host, self.port = found.group(1), int(found.group(2))
        self.base = 'http://%s:%d' % (self.host, self.port)

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            status = self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            raise
        self.errors = self.process.stderr.read()
        self.process.stderr.close()
        self.process.stdout.close()
        return status


def wait_for(predicate, timeout=60, every=0.2):
    """Poll `predicate` until it returns a true value (returned) or `timeout` passes (AssertionError)."""
    deadline = time.time() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.time() > deadline:
            raise AssertionError('gave up waiting after %s s' % timeout)
        time.sleep(every)
