"""pytest --stave and --stave-select, run for real on a sample project."""
import os
import re
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


#: The Pythons the collector supports beside this one (sys.monitoring's).
OTHER_PYTHONS = ('3.12.1', '3.13.0')


def interpreters():
    """(version, python) of this Python and of each of OTHER_PYTHONS. One that
    is missing (not under pyenv, or without pytest and stave) is a visible
    skip here, and a failure under CI=true: .ci/run installs stave's test
    extras into each."""
    found = [('%d.%d' % sys.version_info[:2], sys.executable)]
    for version in OTHER_PYTHONS:
        python = python_with_pytest(version)
        if python == sys.executable:
            continue
        if python is not None:
            found.append((version, python))
        elif os.environ.get('CI'):
            found.append(pytest.param(version, None, marks=pytest.mark.missing_python(version)))  # conftest.py
        else:
            found.append(pytest.param(version, None, marks=pytest.mark.skip(
                reason='no Python %s with pytest and stave here: pyenv install %s, then pip install -e .[test] '
                       'with it (.ci/run does)' % (version, version))))
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


def pytest_run(python, project, *args, **environ):
    env = dict(os.environ, PYTHONPATH=ROOT + os.pathsep + str(project), **environ)
    env.pop('STAVE_STORE', None)
    return subprocess.run([python, '-m', 'pytest', '-p', 'no:cacheprovider', '-q'] + list(args),
                          cwd=str(project), env=env, capture_output=True, text=True, timeout=300)


def recorded(project, store_file=None):
    with connect('sqlite:///' + str(store_file or project / '.stave' / 'stave.db')) as store:
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
    said = sorted(stave_lines(result.stdout))  # each worker's summary, on the controller
    assert [line.split(' recorded ')[0] for line in said] == ['stave: [gw0]', 'stave: [gw1]'], said
    assert sum(int(line.split(' recorded ')[1].split()[0]) for line in said) == 8
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
    result = pytest_run(sys.executable, project, '--stave-select', '-vvv')  # -vv after pytest_run's -q
    out = result.stdout
    assert 'test_clamp_high PASSED' in out                 # ran line 10, which changed
    assert 'test_brand_new PASSED' in out                  # never seen by the map
    assert 'test_failing FAILED' in out                    # failed last time
    assert 'test_add PASSED' not in out and 'test_fixture PASSED' not in out
    assert 'stave: 3 of 9 test(s) selected, 6 deselected' in out
    # -v says why each test runs, -vv also why each deselected one does not.
    assert re.search(r'stave: runs tests/test_calc.py::test_clamp_high: rule 1, app/calc.py:\d+ changed', out)
    assert 'stave: runs tests/test_new.py::test_brand_new: new to the map' in out
    assert re.search(r'stave: runs tests/\S+::test_failing: failed last time', out)
    assert 'stave: leaves out tests/test_calc.py::test_add: it ran no changed line or file' in out


CONFTEST_A = textwrap.dedent('''\
    import pytest

    from app.calc import add


    @pytest.fixture(scope='module')
    def db():
        return add(1, 1)
''')

CONFTEST_B = CONFTEST_A.replace('import add', 'import clamp').replace('add(1, 1)', 'clamp(50)')
CONFTEST_ROOT = CONFTEST_A.replace('import add', 'import clamp').replace('add(1, 1)', 'clamp(4)')
# Overrides the root's db and asks for it: its tests use both definitions.
CONFTEST_C = CONFTEST_A.replace('from app.calc import add\n\n', '').replace(
    'def db():\n    return add(1, 1)', 'def db(db):\n    return db + 1')


@pytest.mark.slow
@pytest.mark.parametrize('version, python', interpreters())
def test_fixtures_of_one_name_in_two_conftests_keep_their_own_lines(project, version, python):
    """Two module-scoped fixtures `db`, in tests/a/conftest.py and tests/b/conftest.py: each test
    gets the lines of the one it uses, not the other's (they were pooled by name once). Both override
    a `db` in tests/conftest.py, which only the tests under tests/c use, through an override there
    that asks for it; and tests/c runs first."""
    (project / 'tests' / 'conftest.py').write_text(CONFTEST_ROOT)
    for name, conftest in (('a', CONFTEST_A), ('b', CONFTEST_B), ('c', CONFTEST_C)):
        (project / 'tests' / name).mkdir()
        (project / 'tests' / name / 'conftest.py').write_text(conftest)
        (project / 'tests' / name / ('test_%s.py' % name)).write_text(
            'def test_%s_first(db):\n    assert db\n\n\ndef test_%s_again(db):\n    assert db\n' % (name, name))
    result = pytest_run(python, project, '--stave', 'tests/c', 'tests/a', 'tests/b')
    assert result.returncode == 0, result.stdout + result.stderr
    a = ['tests/a/test_a.py::test_a_again', 'tests/a/test_a.py::test_a_first']
    b = ['tests/b/test_b.py::test_b_again', 'tests/b/test_b.py::test_b_first']
    c = ['tests/c/test_c.py::test_c_again', 'tests/c/test_c.py::test_c_first']
    with connect('sqlite:///' + str(project / '.stave' / 'stave.db')) as store:
        test_map = TestMap(store)
        assert test_map.tests() == a + b + c
        assert test_map.tests_for('tests/a/conftest.py', at(CONFTEST_A, 'return add(1, 1)')[0]) == a
        assert test_map.tests_for('tests/b/conftest.py', at(CONFTEST_B, 'return clamp(50)')[0]) == b
        assert test_map.tests_for('tests/c/conftest.py', at(CONFTEST_C, 'return db + 1')[0]) == c
        assert test_map.tests_for('tests/conftest.py', at(CONFTEST_ROOT, 'return clamp(4)')[0]) == c
        assert test_map.tests_for('app/calc.py', at(CALC, 'return a + b')[0]) == a
        assert test_map.tests_for('app/calc.py', at(CALC, 'return x')[0]) == c
        assert test_map.tests_for('app/calc.py', at(CALC, 'return LIMIT')[0]) == b
        assert test_map.tests_for('app/calc.py', at(CALC, 'if x > LIMIT')[0]) == b + c
        assert dict(test_map.lines_for(b[0])) == {'app/calc.py': at(CALC, 'if x > LIMIT', 'return LIMIT'),
                                                  'tests/b/conftest.py': at(CONFTEST_B, 'return clamp(50)'),
                                                  'tests/b/test_b.py': [6]}
        assert dict(test_map.lines_for(c[1])) == {'app/calc.py': at(CALC, 'if x > LIMIT', 'return x'),
                                                  'tests/c/conftest.py': at(CONFTEST_C, 'return db + 1'),
                                                  'tests/conftest.py': at(CONFTEST_ROOT, 'return clamp(4)'),
                                                  'tests/c/test_c.py': [2]}


# Holds the store's write lock from another process until a line comes on its stdin.
LOCKER = textwrap.dedent('''\
    import sqlite3, sys
    db = sqlite3.connect(sys.argv[1], isolation_level=None)
    db.execute('BEGIN EXCLUSIVE')
    print('locked', flush=True)
    sys.stdin.readline()
    db.execute('COMMIT')
''')

LOCKED_TESTS = textwrap.dedent('''\
    import os
    import subprocess
    import sys

    from app.calc import add, clamp

    LOCKER = %r
    lockers = []


    def test_1_lock():
        locker = subprocess.Popen([sys.executable, '-c', LOCKER, os.environ['LOCK_THIS']],
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        assert locker.stdout.readline() == 'locked\\n'
        lockers.append(locker)


    def test_2():
        assert add(1, 2) == 3


    def test_3():
        assert clamp(50) == 10


    def test_4():
        assert clamp(3) == 3


    def test_5_release():
        locker = lockers.pop()
        locker.communicate('\\n')
        assert locker.returncode == 0


    def test_6():
        assert add(2, 2) == 4


    def test_7():
        assert clamp(11) == 10


    def test_8():
        assert add(0, 0) == 0
''') % LOCKER


class Locker:
    """Another process holding the store file's write lock (BEGIN EXCLUSIVE) until released."""

    def __init__(self, path):
        self.process = subprocess.Popen([sys.executable, '-c', LOCKER, str(path)], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, text=True)
        assert self.process.stdout.readline() == 'locked\n'

    def release(self):
        self.process.communicate('\n', timeout=60)
        assert self.process.returncode == 0


def stave_lines(output):
    return [line for line in output.splitlines() if line.startswith('stave:')]


@pytest.mark.slow
def test_a_store_locked_during_the_run_gets_every_test_once_it_is_free(project):
    """The project's first test locks the store from another process, its fifth releases it. The
    flushes that meet the lock (after 2 and 4 tests) fail; the tests are kept, one line says so, and
    a later flush writes them: the map ends as a run on a free store leaves it."""
    (project / 'tests' / 'test_locked.py').write_text(LOCKED_TESTS)
    store_file = project / 'locked.db'
    url = 'sqlite:///%s?timeout=0.2' % store_file
    result = pytest_run(sys.executable, project, '--stave', '--stave-store', url, 'tests/test_locked.py',
                        LOCK_THIS=str(store_file))
    out = result.stdout + result.stderr
    assert result.returncode == 0, out
    assert '8 passed' in result.stdout
    assert 'INTERNALERROR' not in out and 'Traceback' not in out
    said = stave_lines(result.stdout)
    assert len(said) == 3, said
    assert said[0].startswith('stave: cannot write the test map to %s: the store ' % url)
    assert 'stayed locked by another process for 0.2 s' in said[0] and 'keeping 2 test(s)' in said[0]
    assert said[1] == 'stave: wrote the test map to %s after 2 failed attempt(s); nothing was lost' % url
    assert said[2] == ('stave: recorded 8 test(s) into %s (2 attempt(s) to write failed on the way; their '
                       'tests were kept and written later)' % url)

    free_file = project / 'free.db'  # the same run, its locker on a file nobody writes
    free = pytest_run(sys.executable, project, '--stave', '--stave-store', 'sqlite:///%s' % free_file,
                      'tests/test_locked.py', LOCK_THIS=str(project / 'unused.db'))
    assert free.returncode == 0 and stave_lines(free.stdout) == [
        'stave: recorded 8 test(s) into sqlite:///%s' % free_file]
    lines, info = recorded(project, store_file)
    free_lines, free_info = recorded(project, free_file)
    assert len(lines) == 9 and lines == free_lines  # 8 tests and '<import>'
    assert dict((t, i['outcome']) for t, i in info.items()) == dict((t, i['outcome']) for t, i in free_info.items())
    assert lines['tests/test_locked.py::test_3'] == {'app/calc.py': at(CALC, 'if x > LIMIT', 'return LIMIT'),
                                                     'tests/test_locked.py': at(LOCKED_TESTS, 'clamp(50) == 10')}
    with connect('sqlite:///%s' % store_file) as store:
        assert TestMap(store).tests_being_written() == []
        assert TestMap(store).stats()['last_run']['tests'] == '8'


@pytest.mark.slow
def test_a_store_locked_to_the_end_costs_no_test_result(project):
    """Another process holds the store's lock through the whole run: the tests run and report as
    always (one fails on purpose), pytest's exit status is theirs, and the end says clearly that
    the map was not written, why, and what is lost; the map keeps its earlier recording."""
    first = pytest_run(sys.executable, project, '--stave')
    assert first.returncode == 1, first.stdout + first.stderr
    before, _ = recorded(project)
    store_file = project / '.stave' / 'stave.db'
    url = 'sqlite:///%s?timeout=0.2' % store_file
    calc = project / 'app' / 'calc.py'
    calc.write_text(calc.read_text().replace('return a + b', 'return b + a'))
    locker = Locker(store_file)
    try:
        result = pytest_run(sys.executable, project, '--stave', '--stave-store', url)
    finally:
        locker.release()
    out = result.stdout + result.stderr
    assert result.returncode == 1, out  # the tests' verdict: test_failing fails
    assert '1 failed, 6 passed, 1 skipped' in result.stdout
    assert 'INTERNALERROR' not in out and 'Traceback' not in out
    said = stave_lines(result.stdout)
    assert len(said) == 3, said
    assert said[0].startswith('stave: cannot write the test map to %s: the store ' % url)
    assert said[1].startswith('stave: the test map was NOT fully written to %s: the store %s stayed locked '
                              'by another process for 0.2 s (hint: ' % (url, store_file))
    assert said[2] == ('stave: 0 test(s) were written, 8 recorded test(s) could not be and are lost; record '
                       'them again with --stave once the store works')
    after, _ = recorded(project)
    assert after == before
