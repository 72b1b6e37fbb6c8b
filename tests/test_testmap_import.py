"""Importing and exporting trace files, through the library and the command line."""
import json
import os
import subprocess
import sys

import pytest

from stave.store import connect
from stave.testmap import TestMap
from stave.testmap.importers import detect, read_traces
from stave.testmap.traces import TraceFormatError

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def stave(*args, cwd=None):
    env = dict(os.environ, PYTHONPATH=ROOT)
    env.pop('STAVE_STORE', None)
    return subprocess.run([sys.executable, os.path.join(ROOT, 'stave.py')] + list(args), cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)


def write_lines(path, records):
    path.write_text(''.join(json.dumps(r) + '\n' for r in records))
    return str(path)


@pytest.fixture
def project(tmp_path):
    """A small project with a module whose lines get measured."""
    (tmp_path / 'pyproject.toml').write_text('')
    (tmp_path / 'app').mkdir()
    (tmp_path / 'app' / 'mod.py').write_text('A = 1\n\n\ndef f(x):\n    if x:\n        return 1\n    return 2\n')
    return tmp_path


def test_stave_trace_file_round_trip_through_export(project):
    traces = write_lines(project / 'in.jsonl', [
        {'format': 'stave-trace', 'version': 2},
        {'path': 'app/mod.py', 'blob': 'ff' * 20},
        {'test': 't::a', 'path': 'app/mod.py', 'lines': [4, 5], 'outcome': 'passed', 'duration': 0.5},
        {'test': 't::a', 'path': 'app/mod.py', 'lines': [6]},
        {'test': 't::b', 'path': 'app/mod.py', 'lines': [7], 'blob': 'ee' * 20, 'time': 1700000000.5},
        {'test': 't::skip', 'outcome': 'skipped'},  # ran no line
    ])
    first = 'sqlite:///' + str(project / 'first.db')
    result = stave('--store', first, 'import', traces, cwd=str(project))
    assert result.returncode == 0, result.stderr
    assert result.stdout == '%s: 3 tests, 4 lines (stave-trace)\n' % traces
    exported = stave('--store', first, 'export', cwd=str(project))
    assert exported.returncode == 0
    (project / 'out.jsonl').write_text(exported.stdout)
    second = 'sqlite:///' + str(project / 'second.db')
    assert stave('--store', second, 'import', str(project / 'out.jsonl'), cwd=str(project)).returncode == 0
    with connect(first) as a, connect(second) as b:
        for test_map in (TestMap(a), TestMap(b)):
            assert dict(test_map.tests_for_file('app/mod.py')) == {4: ['t::a'], 5: ['t::a'], 6: ['t::a'], 7: ['t::b']}
            assert test_map.files() == {'app/mod.py': 'ff' * 20}
            assert dict(test_map.recorded_files('t::a')) == {'app/mod.py': ('ff' * 20, [4, 5, 6])}
            assert dict(test_map.recorded_files('t::b')) == {'app/mod.py': ('ee' * 20, [7])}
            assert test_map.blobs_for_file('app/mod.py') == {'t::a': 'ff' * 20, 't::b': 'ee' * 20}
            assert test_map.test_info('t::a')['outcome'] == 'passed'
            assert test_map.test_info('t::b')['time'] == 1700000000.5
            assert test_map.test_info('t::skip')['outcome'] == 'skipped'
            assert test_map.tests() == ['t::a', 't::b', 't::skip']


def test_a_version_1_file_imports_with_its_content_unknown(project):
    traces = write_lines(project / 'in.jsonl', [
        {'format': 'stave-trace', 'version': 1},
        {'path': 'app/mod.py', 'sha1': 'ff' * 20},
        {'test': 't::a', 'path': 'app/mod.py', 'lines': [4, 5]},
    ])
    url = 'sqlite:///' + str(project / 'm.db')
    assert stave('--store', url, 'import', traces, cwd=str(project)).returncode == 0
    with connect(url) as store:
        assert dict(TestMap(store).recorded_files('t::a')) == {'app/mod.py': (None, [4, 5])}


def test_export_filters(project):
    url = 'sqlite:///' + str(project / 'm.db')
    traces = write_lines(project / 'in.jsonl', [{'test': 't::a', 'path': 'app/mod.py', 'lines': [4]},
                                                {'test': 'u::b', 'path': 'lib/x.py', 'lines': [1]}])
    stave('--store', url, 'import', traces, cwd=str(project))
    records = [json.loads(l) for l in stave('--store', url, 'export', '--test', 't::*', cwd=str(project)).stdout.splitlines()]
    assert [r.get('test') for r in records[1:]] == ['t::a']
    records = [json.loads(l) for l in stave('--store', url, 'export', '--path', 'lib/', cwd=str(project)).stdout.splitlines()]
    assert [r.get('path') for r in records[1:]] == ['lib/x.py']


def test_importing_twice_changes_nothing(project):
    url = 'sqlite:///' + str(project / 'm.db')
    traces = write_lines(project / 'in.jsonl', [{'test': 't::a', 'path': 'app/mod.py', 'lines': [4, 5]}])
    stave('--store', url, 'import', traces, cwd=str(project))
    with connect(url) as store:
        before = list(store.table(b'tm_lines').scan())
    stave('--store', url, 'import', traces, cwd=str(project))
    with connect(url) as store:
        assert [(k, sorted(d)) for k, d in store.table(b'tm_lines').scan()] == [(k, sorted(d)) for k, d in before]


@pytest.mark.parametrize('record, words', [
    ('{"test": "t::a", "path": "x.py", "lines": [1]', 'not valid JSON'),
    ('{"test": "t::a", "path": "x.py", "lines": [1]} {"test": "t::b"}', 'not valid JSON: extra data'),
    ('{"test": "t::a", "path": "x.py", "lines": [1, true]}', '"lines" must be a list of line numbers'),
    ('{"test": "t::a", "path": "x.py", "lines": ["3"]}', '"lines" must be a list of line numbers'),
    ('{"test": "", "path": "x.py", "lines": [1]}', '"test" must be a non-empty string'),
    ('{"test": "t::a", "lines": [1]}', '"path" must be a non-empty string'),
    ('["t::a"]', 'expected a JSON object'),
    ('{"format": "stave-trace", "version": 9}', 'unsupported format'),
])
def test_malformed_file_names_the_record_writes_nothing_and_others_import(project, record, words):
    good = write_lines(project / 'good.jsonl', [{'test': 't::good', 'path': 'app/mod.py', 'lines': [4]}])
    bad = project / 'bad.jsonl'
    bad.write_text(json.dumps({'test': 't::bad', 'path': 'app/mod.py', 'lines': [5]}) + '\n' + record + '\n')
    url = 'sqlite:///' + str(project / 'm.db')
    result = stave('--store', url, 'import', str(bad), good, cwd=str(project))
    assert result.returncode == 2
    assert '%s, record 2 (line 2)' % bad in result.stderr and words in result.stderr
    with connect(url) as store:
        test_map = TestMap(store)
        assert test_map.tests() == ['t::good']  # nothing from the bad file, the good one imported


def make_coverage_data(project, data_file):
    """A real .coverage with per-test contexts, as pytest --cov --cov-context=test writes it."""
    import coverage
    sys.path.insert(0, str(project))
    try:
        cov = coverage.Coverage(data_file=str(data_file), include=[str(project / 'app') + '/*'])
        cov.start()
        import app.mod as mod
        cov.switch_context('tests/test_mod.py::test_true|run')
        mod.f(True)
        cov.switch_context('tests/test_mod.py::test_true|teardown')
        cov.switch_context('tests/test_mod.py::test_false|run')
        mod.f(False)
        cov.stop()
        cov.save()
        return cov
    finally:
        sys.path.remove(str(project))
        sys.modules.pop('app.mod', None)
        sys.modules.pop('app', None)


def test_coverage_data_file_with_contexts(project):
    data_file = project / '.coverage'
    make_coverage_data(project, data_file)
    assert detect(str(data_file)) == 'coverage-data'
    kind, traces = read_traces(str(data_file), str(project))
    assert traces.lines['tests/test_mod.py::test_true'] == {'app/mod.py': {5, 6}}
    assert traces.lines['tests/test_mod.py::test_false'] == {'app/mod.py': {5, 7}}
    assert traces.lines['<import>'] == {'app/mod.py': {1, 4}}
    assert set(traces.blobs) == {'app/mod.py'}


def test_coverage_json_report_with_contexts(project):
    cov = make_coverage_data(project, project / '.coverage')
    report = project / 'coverage.json'
    cov.json_report(outfile=str(report), show_contexts=True)
    assert detect(str(report)) == 'coverage-json'
    url = 'sqlite:///' + str(project / 'm.db')
    result = stave('--store', url, 'import', str(report), cwd=str(project))
    assert result.returncode == 0, result.stderr
    assert 'coverage-json' in result.stdout
    with connect(url) as store:
        assert TestMap(store).tests_for('app/mod.py', 7) == ['tests/test_mod.py::test_false']


def test_broken_coverage_json_names_the_byte(project):
    report = project / 'coverage.json'
    report.write_text('{"meta": {}, "files": {"app/mod.py": {"contexts": {"5": ["a"]}}, "x": [}')
    with pytest.raises(TraceFormatError, match='near byte'):
        read_traces(str(report), str(project))


def test_unknown_file_kind_is_refused(project):
    junk = project / 'junk.bin'
    junk.write_bytes(b'\x00\x01binary')
    with pytest.raises(TraceFormatError, match='not a coverage.py data file'):
        detect(str(junk))
