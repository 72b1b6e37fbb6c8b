"""Flaky tests, for real: a throwaway project whose test_flip passes and fails in
turn with no code change (it counts its runs in a file the map cannot see),
and whose test_double fails because its code changed; recorded with pytest
--stave into a real store file, then read with `stave query flaky`, judged in
a shadow run, and run by --stave-select --stave-run-flaky. The history's
encoding and the judgment are unit-tested at the end, and imported outcomes
(which carry no fingerprint) are shown never to make a test flaky."""
import json
import os
import subprocess
import sys
import textwrap

import pytest

from stave.store import connect
from stave.testmap import TestMap
from stave.testmap.outcomes import (HISTORY_SIZE, decode_history, fingerprint, flaky_tests, is_flaky,
                                    recent_outcomes, updated_history)
from test_collector import ROOT, pytest_run
from test_shadow import git, shadow_runs, store_url

FLIP = textwrap.dedent('''\
    import os

    COUNTER = os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, 'counter.txt')


    def test_flip():
        """Passes on even runs, fails on odd ones: the counter is omitted from the recording."""
        runs = 0
        if os.path.exists(COUNTER):
            with open(COUNTER) as handle:
                runs = int(handle.read())
        with open(COUNTER, 'w') as handle:
            handle.write(str(runs + 1))
        assert runs % 2 == 0
''')

CALC = 'def double(x):\n    return x * 2\n'
DOUBLE = 'from app.calc import double\n\n\ndef test_double():\n    assert double(2) == 4\n'
FLIPPER, DOUBLER = 'tests/test_flip.py::test_flip', 'tests/test_double.py::test_double'


def record(project, expect):
    result = pytest_run(sys.executable, project, '--stave')
    assert expect in result.stdout, result.stdout + result.stderr
    return result


@pytest.fixture
def project(tmp_path):
    """Recorded three times: test_flip passed, failed and passed with nothing changed; test_double
    passed twice, then failed because app/calc.py changed (the change is left uncommitted)."""
    # The counter is left out of the recording: the map cannot see what test_flip depends on.
    (tmp_path / 'pyproject.toml').write_text('[tool.pytest.ini_options]\nstave_omit = ["counter.txt"]\n')
    (tmp_path / 'app').mkdir()
    (tmp_path / 'app' / '__init__.py').write_text('')
    (tmp_path / 'app' / 'calc.py').write_text(CALC)
    (tmp_path / 'tests').mkdir()
    (tmp_path / 'tests' / 'test_flip.py').write_text(FLIP)
    (tmp_path / 'tests' / 'test_double.py').write_text(DOUBLE)
    git(tmp_path, 'init', '-q')
    git(tmp_path, 'add', '-A')
    git(tmp_path, 'commit', '-qm', 'base')
    record(tmp_path, '2 passed')
    record(tmp_path, '1 failed, 1 passed')
    (tmp_path / 'app' / 'calc.py').write_text(CALC.replace('x * 2', 'x * 3'))
    record(tmp_path, '1 failed, 1 passed')
    return tmp_path


def query(project, *args):
    env = dict(os.environ, PYTHONPATH=ROOT)
    return subprocess.run([sys.executable, os.path.join(ROOT, 'stave.py'), '--store', store_url(project), 'query']
                          + list(args), cwd=str(project), env=env, capture_output=True, text=True, timeout=120)


@pytest.mark.slow
def test_a_test_that_flips_with_nothing_changed_is_flaky_and_one_whose_code_changed_is_not(project):
    result = query(project, 'flaky', '--format', 'json')
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [{'test': FLIPPER, 'recent': ['passed', 'failed', 'passed']}]
    assert query(project, 'flaky').stdout == '%s\tpassed failed passed\n' % FLIPPER
    with connect(store_url(project)) as store:
        test_map = TestMap(store)
        assert flaky_tests(test_map) == [FLIPPER]
        flips, doubles = recent_outcomes(test_map, FLIPPER), recent_outcomes(test_map, DOUBLER)
        assert [e['outcome'] for e in flips] == ['passed', 'failed', 'passed']
        assert len(set(e['run'] for e in flips)) == 3 and flips[0]['run'] == test_map.test_info(FLIPPER)['run']
        assert len(set(e['fingerprint'] for e in flips)) == 1  # its files never changed
        assert [e['outcome'] for e in doubles] == ['failed', 'passed', 'passed']
        assert doubles[0]['fingerprint'] != doubles[1]['fingerprint'] == doubles[2]['fingerprint']
        assert [e['run'] for e in doubles] == [e['run'] for e in flips]
        assert 'history' not in test_map.test_info(FLIPPER)
    shown = query(project, 'outcomes', DOUBLER, '--format', 'json')
    assert [e['outcome'] for e in json.loads(shown.stdout)] == ['failed', 'passed', 'passed']


@pytest.mark.slow
def test_two_recordings_make_a_flip_flaky(tmp_path):
    # The counter is left out of the recording: the map cannot see what test_flip depends on.
    (tmp_path / 'pyproject.toml').write_text('[tool.pytest.ini_options]\nstave_omit = ["counter.txt"]\n')
    (tmp_path / 'tests').mkdir()
    (tmp_path / 'tests' / 'test_flip.py').write_text(FLIP)
    record(tmp_path, '1 passed')
    assert query(tmp_path, 'flaky').returncode == 1  # one outcome: nothing to compare
    record(tmp_path, '1 failed')
    assert query(tmp_path, 'flaky').stdout == '%s\tfailed passed\n' % FLIPPER


@pytest.mark.slow
def test_shadow_runs_count_misses_of_flaky_tests_apart(project):
    # test_flip fails now (its 4th run) and selection would leave it out (nothing it ran changed,
    # it passed last time); test_double fails too, but selection runs it (it failed last time).
    result = pytest_run(sys.executable, project, '--stave-shadow')
    assert result.returncode == 1 and '2 failed' in result.stdout
    assert ('missed 1 of 2 failures (1 flaky): %s (flaky);' % FLIPPER) in result.stdout
    (project / 'counter.txt').write_text('1')  # its next run fails again
    flaky_run = pytest_run(sys.executable, project, '--stave-shadow', '--stave-run-flaky')
    assert flaky_run.returncode == 1 and '2 failed' in flaky_run.stdout
    runs = shadow_runs(project)
    assert [(r['selected'], r['failed'], r['missed'], r['missed_flaky']) for r in runs] == [
        (2, 2, [], []),  # with --stave-run-flaky it runs the flaky test: no miss
        (1, 2, [], [FLIPPER])]


@pytest.mark.slow
def test_select_runs_flaky_tests_when_told_to(project):
    plain = pytest_run(sys.executable, project, '--stave-select', '-vvv')
    assert 'test_double FAILED' in plain.stdout
    assert 'test_flip PASSED' not in plain.stdout and 'test_flip FAILED' not in plain.stdout
    assert 'stave: leaves out %s' % FLIPPER in plain.stdout
    assert 'stave: 1 of 2 test(s) selected, 1 deselected' in plain.stdout
    told = pytest_run(sys.executable, project, '--stave-select', '--stave-run-flaky', '-vvv')
    assert 'stave: runs %s: flaky' % FLIPPER in told.stdout
    assert 'test_flip FAILED' in told.stdout  # its 4th run
    assert 'stave: 2 of 2 test(s) selected, 0 deselected (1 by the change, 0 new to the map, 1 failed last time, ' \
           '1 flaky)' in told.stdout
    (project / 'pyproject.toml').write_text('[tool.pytest.ini_options]\nstave_run_flaky = true\n')
    git(project, 'commit', '-qm', 'run flaky tests', 'pyproject.toml')  # else rule 5 selects every test
    by_ini = pytest_run(sys.executable, project, '--stave-select', '-vvv')
    assert 'stave: runs %s: flaky' % FLIPPER in by_ini.stdout
    assert 'test_flip PASSED' in by_ini.stdout  # its 5th run


def trace_file(path, outcome):
    records = [{'format': 'stave-trace', 'version': 1}, {'path': 'app.py', 'sha1': 'a' * 40},
               {'test': 't::x', 'path': 'app.py', 'lines': [1, 2], 'outcome': outcome}]
    path.write_text(''.join(json.dumps(r) + '\n' for r in records))
    return str(path)


def test_imported_outcomes_never_make_a_test_flaky(tmp_path):
    env = dict(os.environ, PYTHONPATH=ROOT)
    url = 'sqlite:///' + str(tmp_path / 'map.db')
    for outcome in ('passed', 'failed', 'passed'):
        imported = subprocess.run([sys.executable, os.path.join(ROOT, 'stave.py'), '--store', url, 'import',
                                   trace_file(tmp_path / ('%s.jsonl' % outcome), outcome), '--root', str(tmp_path)],
                                  env=env, capture_output=True, text=True, timeout=120)
        assert imported.returncode == 0, imported.stderr
    with connect(url) as store:
        test_map = TestMap(store)
        assert [(e['outcome'], e['fingerprint']) for e in recent_outcomes(test_map, 't::x')] == [
            ('passed', None), ('failed', None), ('passed', None)]
        assert flaky_tests(test_map) == []


def test_the_recorder_fingerprints_each_test_by_every_file_it_ran_whichever_flush_hashed_it(tmp_path):
    from functools import partial
    from stave.collect.sink import MapSink
    from stave.testmap.blobs import blob_ids
    (tmp_path / 'a.py').write_text('A = 1\n')
    (tmp_path / 'b.py').write_text('B = 1\n')
    url = 'sqlite:///' + str(tmp_path / 'map.db')
    sink = MapSink(url, partial(blob_ids, str(tmp_path)), print, run_id='run-1')
    for test in ('t::1', 't::2'):
        sink.report(test, 'call', 'passed', 0.1)
    sink.write({'t::1': {'a.py': {1}, 'b.py': {1}}})
    sink.write({'t::2': {'a.py': {1}, 'b.py': {1}}})  # its files were hashed at the first write
    sink.close()
    with connect(url) as store:
        prints = [recent_outcomes(TestMap(store), test)[0]['fingerprint'] for test in ('t::1', 't::2')]
    assert prints[0] == prints[1] == fingerprint(blob_ids(str(tmp_path), ['a.py', 'b.py']))


# -- the encoding and the judgment ----------------------------------------------------

def entry(outcome, digest='f1'):
    return {'outcome': outcome, 'run': 'r-%s-%s' % (outcome, digest), 'fingerprint': digest}


def test_fingerprint_names_the_files_content_in_any_order():
    one = fingerprint({'a.py': 'a' * 40, 'b.py': 'b' * 40})
    assert one == fingerprint(dict([('b.py', 'b' * 40), ('a.py', 'a' * 40)])) and len(one) == 12
    assert one != fingerprint({'a.py': 'a' * 40, 'b.py': 'c' * 40})  # content changed
    assert one != fingerprint({'a.py': 'a' * 40})  # another set of files
    assert one != fingerprint({'a.py': 'a' * 40, 'b.py': None})  # a file gone


def test_history_keeps_the_newest_outcomes_first_one_per_run():
    data = None
    for n in range(HISTORY_SIZE + 2):
        data = updated_history(data, 'passed' if n % 2 else 'failed', 'run-%02d' % n, 'f%d' % n)
    entries = decode_history(data)
    assert [e['run'] for e in entries] == ['run-%02d' % n for n in range(HISTORY_SIZE + 1, 1, -1)]
    assert entries[0] == {'outcome': 'passed', 'run': 'run-11', 'fingerprint': 'f11'}
    again = decode_history(updated_history(data, 'failed', 'run-11', None))  # the same run written again
    assert again[0] == {'outcome': 'failed', 'run': 'run-11', 'fingerprint': None}
    assert [e['run'] for e in again] == [e['run'] for e in entries]


def test_unreadable_history_reads_as_none():
    assert decode_history(None) == decode_history(b'') == decode_history(b'{not json') == []
    assert decode_history(b'{"a": 1}') == decode_history(b'[[1, 2]]') == []


def test_a_pass_and_a_failure_with_one_fingerprint_are_flaky():
    assert is_flaky([entry('passed'), entry('failed')])
    assert is_flaky([entry('error'), entry('skipped'), entry('passed', 'f2'), entry('passed')])
    assert not is_flaky([entry('passed', 'f1'), entry('failed', 'f2')])  # the code changed
    assert not is_flaky([entry('skipped'), entry('failed'), entry('failed')])  # skips say nothing
    assert not is_flaky([entry('passed', None), entry('failed', None)])  # no fingerprint: imported
    assert not is_flaky([])
