"""pytest --stave-shadow, run for real: a throwaway project in a git repository,
its map recorded with pytest --stave into a real store file, a change that
breaks one test the map can see and one it cannot, then a shadow run (alone,
with --stave, under xdist) and its figures read back with `stave query shadow`.
The figures' arithmetic and the summary line are unit-tested at the end."""
import csv
import io
import json
import os
import subprocess
import sys
import textwrap

import pytest

from stave.store import connect
from stave.testmap import TestMap
from stave.testmap.shadow import shadow_record, summary_line
from test_collector import CALC, ROOT, pytest_run

TESTS = textwrap.dedent('''\
    import os

    from app.calc import add, clamp

    GREETING = os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, 'app', 'greeting.txt')


    def test_add():
        assert add(1, 2) == 3


    def test_clamp_high():
        assert clamp(50) == 10


    def test_clamp_low():
        assert clamp(3) == 3


    def test_greeting():
        with open(GREETING) as handle:  # omitted from the recording: the map cannot see it
            assert handle.read() == 'hello\\n'
''')

ADD, HIGH, LOW, GREETING = ('tests/test_calc.py::test_' + name for name in ('add', 'clamp_high', 'clamp_low',
                                                                              'greeting'))


def git(project, *args):
    return subprocess.run(['git', '-c', 'user.email=t@t', '-c', 'user.name=t'] + list(args), cwd=str(project),
                          check=True, capture_output=True, text=True).stdout


@pytest.fixture
def project(tmp_path):
    """A committed project whose map is recorded: four tests, all passing."""
    # --stave writes each test as it finishes: a shadow run that read the map late would see them.
    # The greeting is left out of the recording, so the map cannot see what test_greeting depends on.
    (tmp_path / 'pyproject.toml').write_text(
        '[tool.pytest.ini_options]\nstave_flush_every = 1\nstave_omit = ["app/greeting.txt"]\n')
    (tmp_path / 'app').mkdir()
    (tmp_path / 'app' / '__init__.py').write_text('')
    (tmp_path / 'app' / 'calc.py').write_text(CALC)
    (tmp_path / 'app' / 'greeting.txt').write_text('hello\n')
    (tmp_path / 'tests').mkdir()
    (tmp_path / 'tests' / 'test_calc.py').write_text(TESTS)
    git(tmp_path, 'init', '-q')
    git(tmp_path, 'add', '-A')
    git(tmp_path, 'commit', '-qm', 'base')
    recorded = pytest_run(sys.executable, tmp_path, '--stave')
    assert recorded.returncode == 0, recorded.stdout + recorded.stderr
    return tmp_path


def break_two(project):
    """Break test_clamp_high through a line it ran (selection runs it) and
    test_greeting through a data file the map cannot see (selection misses it)."""
    calc = project / 'app' / 'calc.py'
    calc.write_text(calc.read_text().replace('        return LIMIT\n', '        return LIMIT + 1\n'))
    (project / 'app' / 'greeting.txt').write_text('bye\n')


def store_url(project):
    return 'sqlite:///' + str(project / '.stave' / 'stave.db')


def query(project, *args):
    env = dict(os.environ, PYTHONPATH=ROOT)
    return subprocess.run([sys.executable, os.path.join(ROOT, 'stave.py'), '--store', store_url(project), 'query']
                          + list(args), cwd=str(project), env=env, capture_output=True, text=True, timeout=120)


def shadow_runs(project, *args):
    result = query(project, 'shadow', *(args + ('--format', 'json')))
    assert result.returncode in (0, 1), result.stderr
    return json.loads(result.stdout)


def figures(run):
    return dict((k, run[k]) for k in ('tests', 'selected', 'failed', 'missed', 'missed_flaky'))


MODES = {'alone': [], 'with --stave': ['--stave'], 'xdist': ['-n', '2'], 'xdist with --stave': ['--stave', '-n', '2']}


@pytest.mark.slow
@pytest.mark.parametrize('mode', sorted(MODES))
def test_a_shadow_run_records_the_failures_selection_would_have_missed(project, mode):
    if 'xdist' in mode:
        pytest.importorskip('xdist')
    break_two(project)
    result = pytest_run(sys.executable, project, '--stave-shadow', *MODES[mode])
    out = result.stdout + result.stderr
    assert result.returncode == 1, out
    assert '2 failed, 2 passed' in result.stdout
    runs = shadow_runs(project)
    assert len(runs) == 1, runs
    run = runs[0]
    # Selected from the map as it was before the run: test_clamp_high ran the changed line; with
    # --stave the map is written during the run, yet nothing "failed last time" is selected.
    assert figures(run) == {'tests': 4, 'selected': 1, 'failed': 2, 'missed': [GREETING], 'missed_flaky': []}
    assert 0 < run['saved'] < run['total']
    assert run['commit'] == git(project, 'rev-parse', 'HEAD').strip()
    assert isinstance(run['started'], float)
    assert ('stave shadow: selection would have run 1 of 4 tests, missed 1 of 2 failures (0 flaky): %s; saved '
            % GREETING) in result.stdout
    with connect(store_url(project)) as store:
        test_map = TestMap(store)
        info = test_map.test_info(GREETING)
        if '--stave' in MODES[mode]:
            assert info['outcome'] == 'failed'  # the same run recorded the map
            if 'xdist' in mode:  # each worker records its own run; the shadow figures are the controller's
                assert run['run'] not in set(test_map.test_info(t)['run'] for t in (ADD, HIGH, LOW, GREETING))
            else:  # the recorder's run
                assert run['run'] == info['run'] == test_map.test_info(ADD)['run']
                assert test_map.stats()['last_run']['tests'] == '4'
        else:
            assert info['outcome'] == 'passed'  # a shadow run alone records no test
            assert run['run'] != info['run']


@pytest.mark.slow
def test_a_failure_the_selection_runs_is_no_miss_and_runs_come_newest_first(project):
    break_two(project)
    first = pytest_run(sys.executable, project, '--stave-shadow', '--stave')  # records both failures
    assert first.returncode == 1
    # Now both failed last time, and app/calc.py was recorded as changed: selection runs all four.
    second = pytest_run(sys.executable, project, '--stave-shadow')
    assert second.returncode == 1
    assert ('stave shadow: selection would have run 4 of 4 tests, missed 0 of 2 failures (0 flaky); saved 0.0 s '
            'of ') in second.stdout
    runs = shadow_runs(project)
    assert [figures(run) for run in runs] == [
        {'tests': 4, 'selected': 4, 'failed': 2, 'missed': [], 'missed_flaky': []},
        {'tests': 4, 'selected': 1, 'failed': 2, 'missed': [GREETING], 'missed_flaky': []}]
    assert runs[0]['saved'] == 0.0 and runs[1]['saved'] > 0
    assert runs[0]['started'] > runs[1]['started']
    assert shadow_runs(project, '1') == runs[:1]
    text = query(project, 'shadow')
    assert text.returncode == 0
    assert [line.split('\t')[0] for line in text.stdout.splitlines()] == [run['run'] for run in runs]
    assert text.stdout.splitlines()[1].split('\t')[3:8] == ['4', '1', '2', '1', '0']
    table = list(csv.reader(io.StringIO(query(project, 'shadow', '--format', 'csv').stdout)))
    assert table[0] == ['run', 'commit', 'started', 'tests', 'selected', 'failed', 'missed', 'missed_flaky',
                        'saved', 'total', 'missed_ids']
    assert [row[-1] for row in table[1:]] == ['', GREETING]


@pytest.mark.slow
def test_no_shadow_run_yet_is_no_result(project):
    result = query(project, 'shadow')
    assert (result.returncode, result.stdout) == (1, '')


@pytest.mark.slow
def test_shadow_and_select_together_are_a_usage_error(project):
    result = pytest_run(sys.executable, project, '--stave-shadow', '--stave-select')
    assert result.returncode == 4
    assert '--stave-shadow runs every test' in result.stderr


def results(**outcomes):
    """{test: result} with each test taking 1.5 s."""
    return dict((test, {'outcome': outcome, 'duration': 1.5}) for test, outcome in outcomes.items())


def test_shadow_record_counts_misses_flaky_ones_apart_and_the_time_left_out():
    run = results(a='passed', b='failed', c='failed', d='skipped', e='error')
    record = shadow_record(run, lambda test: test in ('a', 'b'), flaky={'c', 'a'})
    assert record == {'tests': 5, 'selected': 2, 'failed': 3, 'missed': ['e'], 'missed_flaky': ['c'],
                      'saved': 4.5, 'total': 7.5}
    assert summary_line(record) == ('stave shadow: selection would have run 2 of 5 tests, missed 2 of 3 failures '
                                    '(1 flaky): e, c (flaky); saved 4.5 s of 7.5 s')


def test_summary_line_names_ten_missed_tests_at_most():
    run = results(**dict(('t%02d' % n, 'failed') for n in range(12)))
    line = summary_line(shadow_record(run, lambda test: False, flaky=set()))
    assert 'missed 12 of 12 failures (0 flaky): t00, t01, t02, t03, t04, t05, t06, t07, t08, t09 and 2 more;' in line
