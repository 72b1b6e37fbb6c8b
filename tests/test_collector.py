"""pytest --stave and --stave-select, run for real on a sample project."""
import os
import signal
import subprocess
import sys
import textwrap

import pytest

from stave.store import connect
from stave.testmap import TestMap

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

CALC = textwrap.dedent('''\
    LIMIT = 10


    def add(a, b):
        return a + b


    def clamp(x):
        if x > LIMIT:
            return LIMIT
        return x
''')

TESTS = textwrap.dedent('''\
    import threading

    import pytest

    from app.calc import add, clamp


    @pytest.fixture(scope='module')
    def shared():
        return add(2, 2)


    @pytest.fixture
    def resource():
        value = clamp(3)
        yield value
        add(0, 0)


    def test_add():
        assert add(1, 2) == 3


    def test_clamp_high():
        assert clamp(50) == 10


    def test_clamp_in_thread():
        out = []
        thread = threading.Thread(target=lambda: out.append(clamp(3)))
        thread.start()
        thread.join()
        assert out == [3]


    def test_fixture(resource):
        assert resource == 3


    @pytest.mark.skip
    def test_skipped():
        pass


    def test_failing():
        assert add(1, 1) == 3


    def test_shared_first(shared):
        assert 4 == shared


    def test_shared_again(shared):
        assert shared + 0 == 4
''')


def python_with_pytest(version):
    """An interpreter of `version` with stave and pytest installed, or None."""
    if version == '%d.%d' % sys.version_info[:2]:
        return sys.executable
    try:
        prefix = subprocess.run(['pyenv', 'prefix', version], capture_output=True, text=True).stdout.strip()
    except OSError:
        return None
    python = os.path.join(prefix, 'bin', 'python3')
    if not prefix or not os.path.exists(python):
        return None
    probe = subprocess.run([python, '-c', 'import pytest, stave.collect.plugin'], capture_output=True)
    return python if probe.returncode == 0 else None


def interpreters():
    found = [('%d.%d' % sys.version_info[:2], sys.executable)]
    for version in ('3.12.1', '3.13.0'):
        python = python_with_pytest(version)
        if python and python != sys.executable:
            found.append((version, python))
    return found


@pytest.fixture
def project(tmp_path):
    (tmp_path / 'pyproject.toml').write_text('[tool.pytest.ini_options]\nstave_flush_every = 2\n')
    (tmp_path / 'app').mkdir()
    (tmp_path / 'app' / '__init__.py').write_text('')
    (tmp_path / 'app' / 'calc.py').write_text(CALC)
    (tmp_path / 'tests').mkdir()
    (tmp_path / 'tests' / 'test_calc.py').write_text(TESTS)
    return tmp_path


def pytest_run(python, project, *args):
    env = dict(os.environ, PYTHONPATH=ROOT + os.pathsep + str(project))
    env.pop('STAVE_STORE', None)
    return subprocess.run([python, '-m', 'pytest', '-p', 'no:cacheprovider', '-q'] + list(args),
                          cwd=str(project), env=env, capture_output=True, text=True, timeout=300)


def recorded(project):
    with connect('sqlite:///' + str(project / '.stave' / 'stave.db')) as store:
        test_map = TestMap(store)
        return dict((t, dict(test_map.lines_for(t))) for t in test_map.tests() + ['<import>']), \
            dict((t, test_map.test_info(t)) for t in test_map.tests())


def at(source, *snippets):
    """The line numbers of the lines of `source` holding the snippets."""
    numbered = source.splitlines()
    return sorted(n for n, text in enumerate(numbered, 1) for snippet in snippets if snippet in text)


EXPECTED = {
    'tests/test_calc.py::test_add': {'app/calc.py': at(CALC, 'return a + b'),
                                     'tests/test_calc.py': at(TESTS, 'assert add(1, 2) == 3')},
    'tests/test_calc.py::test_clamp_high': {'app/calc.py': at(CALC, 'if x > LIMIT', 'return LIMIT'),
                                            'tests/test_calc.py': at(TESTS, 'assert clamp(50) == 10')},
    'tests/test_calc.py::test_clamp_in_thread': {  # the thread's lines count for the test
        'app/calc.py': at(CALC, 'if x > LIMIT', 'return x'),
        'tests/test_calc.py': at(TESTS, 'out = []', 'thread = threading', 'thread.start()', 'thread.join()',
                                 'assert out == [3]')},
    'tests/test_calc.py::test_fixture': {  # fixture setup and teardown count for the test
        'app/calc.py': at(CALC, 'return a + b', 'if x > LIMIT', 'return x'),
        'tests/test_calc.py': at(TESTS, 'value = clamp(3)', 'yield value', 'add(0, 0)', 'assert resource == 3')},
    'tests/test_calc.py::test_skipped': {},
    'tests/test_calc.py::test_failing': {'app/calc.py': at(CALC, 'return a + b'),
                                         'tests/test_calc.py': at(TESTS, 'assert add(1, 1) == 3')},
    # A module-scoped fixture runs once, but its lines count for both tests that use it.
    'tests/test_calc.py::test_shared_first': {'app/calc.py': at(CALC, 'return a + b'),
                                              'tests/test_calc.py': at(TESTS, 'return add(2, 2)',
                                                                       'assert 4 == shared')},
    'tests/test_calc.py::test_shared_again': {'app/calc.py': at(CALC, 'return a + b'),
                                              'tests/test_calc.py': at(TESTS, 'return add(2, 2)',
                                                                       'assert shared + 0 == 4')},
}


@pytest.mark.slow
@pytest.mark.parametrize('version, python', interpreters())
def test_records_each_tests_lines(project, version, python):
    result = pytest_run(python, project, '--stave')
    assert result.returncode == 1, result.stdout + result.stderr  # one test fails, on purpose
    assert 'stave: recorded 8 test(s)' in result.stdout
    lines, info = recorded(project)
    for test, files in EXPECTED.items():
        assert lines[test] == files, (version, test)
    # Module-level lines (imports, constants, def lines, decorators) are recorded outside tests.
    assert set(at(CALC, 'LIMIT = 10', 'def add', 'def clamp')) <= set(lines['<import>']['app/calc.py'])
    assert info['tests/test_calc.py::test_failing']['outcome'] == 'failed'
    assert info['tests/test_calc.py::test_skipped']['outcome'] == 'skipped'
    assert info['tests/test_calc.py::test_add']['outcome'] == 'passed'


@pytest.mark.slow
def test_both_tracers_agree_with_coverage_contexts(project):
    """The same (test, file, line) triples as pytest-cov's per-test contexts."""
    pytest.importorskip('pytest_cov')
    result = pytest_run(sys.executable, project, '--cov=app', '--cov-context=test', '--cov-report=')
    assert result.returncode == 1
    from stave.testmap.importers import read_traces
    _, traces = read_traces(str(project / '.coverage'), str(project))
    for version, python in interpreters():
        pytest_run(python, project, '--stave')
        lines, _ = recorded(project)
        for test, files in traces.lines.items():
            if test != '<import>':
                assert {'app/calc.py': sorted(files['app/calc.py'])} == {
                    'app/calc.py': lines[test].get('app/calc.py')}, (version, test)


@pytest.mark.slow
def test_xdist_workers_record_every_test(project):
    pytest.importorskip('xdist')
    result = pytest_run(sys.executable, project, '--stave', '-n', '2')
    assert result.returncode == 1, result.stdout + result.stderr
    assert 'database is locked' not in result.stdout + result.stderr
    lines, _ = recorded(project)
    assert set(lines) == set(EXPECTED) | {'<import>'}
    for test, files in EXPECTED.items():
        assert lines[test] == files


@pytest.mark.slow
def test_a_crash_keeps_the_flushed_tests_and_no_half_test(project):
    many = ''.join('\ndef test_n%02d():\n    assert clamp(%d) <= 10\n' % (n, n) for n in range(10))
    crash = '\ndef test_zz_crash():\n    import os, signal\n    clamp(99)\n    os.kill(os.getpid(), signal.SIGKILL)\n'
    (project / 'tests' / 'test_many.py').write_text('from app.calc import clamp\n' + many + crash)
    result = pytest_run(sys.executable, project, '--stave', 'tests/test_many.py')
    assert result.returncode == -signal.SIGKILL
    lines, _ = recorded(project)
    flushed = [t for t in lines if t != '<import>']
    assert flushed == ['tests/test_many.py::test_n%02d' % n for n in range(10)]  # every other pair flushed
    assert all(lines[t] for t in flushed)


@pytest.mark.slow
def test_select_runs_only_what_the_change_needs(project):
    subprocess.run(['git', 'init', '-q'], cwd=str(project), check=True)
    subprocess.run(['git', '-c', 'user.email=t@t', '-c', 'user.name=t', 'add', '-A'], cwd=str(project), check=True)
    subprocess.run(['git', '-c', 'user.email=t@t', '-c', 'user.name=t', 'commit', '-qm', 'base'],
                   cwd=str(project), check=True)
    pytest_run(sys.executable, project, '--stave')
    calc = project / 'app' / 'calc.py'
    calc.write_text(calc.read_text().replace('        return LIMIT\n', '        return LIMIT + 0\n'))
    (project / 'tests' / 'test_new.py').write_text('def test_brand_new():\n    pass\n')
    result = pytest_run(sys.executable, project, '--stave-select', '-vv')
    out = result.stdout
    assert 'test_clamp_high PASSED' in out                 # ran line 10, which changed
    assert 'test_brand_new PASSED' in out                  # never seen by the map
    assert 'test_failing FAILED' in out                    # failed last time
    assert 'test_add PASSED' not in out and 'test_fixture' not in out
    assert 'stave: 3 of 9 test(s) selected, 6 deselected' in out
