"""The test map on a real HBase, through its Thrift server (thrift:// on CPython):
recording with pytest --stave, importing all three trace formats, queries,
selection, export and import between the embedded store and HBase, and a
writer killed at every point of a flush (HBase has no cross-row transactions).

The hbase:// side of the same runs under Jython (tests/hbase_checks.py).
"""
import json
import os
import signal
import subprocess
import sys
import textwrap

import pytest

from hbase_server import LOCAL, drop_all_tables
from stave.store import connect
from stave.testmap import MapWriter, TestMap
from stave.testmap.blobs import file_blob
from stave.testmap.selection import parse_diff, select_tests
from test_collector import EXPECTED, project, pytest_run  # noqa: F401 (project is a fixture)
from test_testmap_import import make_coverage_data, stave, write_lines
from thrift_kills import KILL_AT_CALL

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
pytestmark = [pytest.mark.hbase, pytest.mark.slow]


@pytest.fixture
def hbase():
    """The thrift:// URL of the suite's HBase, left without tables afterwards."""
    url = LOCAL.url('buffered-binary')
    drop_all_tables(url)
    yield url
    drop_all_tables(url)


def whole_map(url):
    """{test: {path: [lines]}} and {path: ({line: [tests]}, {test: blob})} of the
    map at `url`: the same map read from both sides."""
    with connect(url) as store:
        test_map = TestMap(store)
        by_test = dict((t, dict(test_map.lines_for(t))) for t in test_map.tests() + ['<import>'])
        paths = set(p for files in by_test.values() for p in files) | set(test_map.files())
        by_line = dict((p, (dict(test_map.tests_for_file(p)), test_map.blobs_for_file(p))) for p in paths)
    return by_test, by_line


def test_pytest_stave_records_into_hbase(project, hbase):
    result = pytest_run(sys.executable, project, '--stave', '--stave-store', hbase)
    assert result.returncode == 1, result.stdout + result.stderr  # test_failing fails, as it should
    by_test, _ = whole_map(hbase)
    for test, files in EXPECTED.items():
        assert by_test[test] == files, test
    # The same run on the embedded store gives the same map.
    pytest_run(sys.executable, project, '--stave')
    assert whole_map('sqlite:///' + str(project / '.stave' / 'stave.db')) == whole_map(hbase)


def test_all_three_formats_import_into_hbase_and_answer_queries(project, hbase):
    (project / 'app' / 'mod.py').write_text('A = 1\n\n\ndef f(x):\n    if x:\n        return 1\n    return 2\n')
    trace = write_lines(project / 'in.jsonl', [
        {'format': 'stave-trace', 'version': 1},
        {'test': 't::a', 'path': 'app/mod.py', 'lines': [4, 5], 'outcome': 'passed', 'duration': 0.5},
        {'test': 't::b', 'path': 'app/mod.py', 'lines': [5, 7]},
    ])
    cov = make_coverage_data(project, project / '.coverage')
    cov.json_report(outfile=str(project / 'coverage.json'), show_contexts=True)
    for path, kind in ((trace, 'stave-trace'), (str(project / '.coverage'), 'coverage-data'),
                       (str(project / 'coverage.json'), 'coverage-json')):
        on_hbase = stave('--store', hbase, 'import', path, cwd=str(project))
        assert on_hbase.returncode == 0, on_hbase.stderr
        assert kind in on_hbase.stdout
        embedded = 'sqlite:///' + str(project / 'embedded.db')
        assert stave('--store', embedded, 'import', path, cwd=str(project)).returncode == 0
    assert whole_map(hbase) == whole_map('sqlite:///' + str(project / 'embedded.db'))
    for url in (hbase, 'sqlite:///' + str(project / 'embedded.db')):
        query = stave('--store', url, 'query', 'tests-for', 'app/mod.py', '5', '--format', 'json', cwd=str(project))
        assert query.returncode == 0, query.stderr
        assert json.loads(query.stdout) == ['t::a', 't::b', 'tests/test_mod.py::test_false',
                                            'tests/test_mod.py::test_true']


def test_select_on_hbase_picks_the_tests_of_the_changed_line(project, hbase):
    subprocess.run(['git', 'init', '-q'], cwd=str(project), check=True)
    commit = ['git', '-c', 'user.email=t@t', '-c', 'user.name=t']
    subprocess.run(commit + ['add', '-A'], cwd=str(project), check=True)
    subprocess.run(commit + ['commit', '-qm', 'base'], cwd=str(project), check=True)
    pytest_run(sys.executable, project, '--stave', '--stave-store', hbase)
    calc = project / 'app' / 'calc.py'
    calc.write_text(calc.read_text().replace('        return LIMIT\n', '        return LIMIT + 0\n'))
    result = stave('--store', hbase, 'select', '--diff', 'HEAD', '--format', 'json', cwd=str(project))
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == ['tests/test_calc.py::test_clamp_high']


def test_export_and_import_between_the_embedded_store_and_hbase(project, hbase):
    pytest_run(sys.executable, project, '--stave')
    embedded = 'sqlite:///' + str(project / '.stave' / 'stave.db')
    exported = stave('--store', embedded, 'export', '-o', str(project / 'map.jsonl'), cwd=str(project))
    assert exported.returncode == 0, exported.stderr
    assert stave('--store', hbase, 'import', str(project / 'map.jsonl'), cwd=str(project)).returncode == 0
    assert whole_map(hbase) == whole_map(embedded)
    back = stave('--store', hbase, 'export', '-o', str(project / 'back.jsonl'), cwd=str(project))
    assert back.returncode == 0, back.stderr
    again = 'sqlite:///' + str(project / 'again.db')
    assert stave('--store', again, 'import', str(project / 'back.jsonl'), cwd=str(project)).returncode == 0
    assert whole_map(again) == whole_map(embedded)


# -- a writer killed mid-flush ----------------------------------------------------

OLD = {'t::%02d' % n: {'app/a.py': set(range(1, 40)), 'app/b.py': {n + 1}} for n in range(6)}
NEW = dict((t, {'app/a.py': set(range(20, 60)), 'app/c.py': {7}}) for t in OLD)
OLD_BLOBS = {'app/a.py': 'a1' * 20, 'app/b.py': 'b1' * 20}
NEW_BLOBS = {'app/a.py': 'a2' * 20, 'app/c.py': 'c2' * 20}  # a.py changed in between: its numbering too

# Runs MapWriter.write(NEW) over OLD, and SIGKILLs itself at the start of the
# Nth Thrift call that writes (mutateRow(s)): a real kill at a real boundary.
KILLER = KILL_AT_CALL + textwrap.dedent('''\
    with connect(sys.argv[1]) as store:
        MapWriter(store).write(%r, blobs=%r)
    print(calls[0])
''')


def killed_writer(url, kill_at):
    code = KILLER % (dict((t, dict((p, sorted(ls)) for p, ls in files.items())) for t, files in NEW.items()),
                     NEW_BLOBS)
    return subprocess.run([sys.executable, '-c', code, url, str(kill_at)], env=dict(os.environ, PYTHONPATH=ROOT),
                          capture_output=True, text=True, timeout=120)


def test_a_writer_killed_at_any_point_of_a_flush_leaves_no_half_written_test(hbase):
    with connect(hbase) as store:
        MapWriter(store).write(OLD, blobs=OLD_BLOBS)
    old_map = whole_map(hbase)
    whole = killed_writer(hbase, kill_at=0)  # never killed: counts the writing calls
    assert whole.returncode == 0, whole.stderr
    new_map = whole_map(hbase)
    calls = int(whole.stdout)
    assert calls >= 5  # mark, rows, lines, rows, keys, unmark: each a boundary to die at
    change = parse_diff('--- a/app/a.py\n+++ b/app/a.py\n@@ -5 +5 @@\n-x\n+y\n')
    for kill_at in range(1, calls + 1):
        drop_all_tables(hbase)
        with connect(hbase) as store:
            MapWriter(store).write(OLD, blobs=OLD_BLOBS)
        result = killed_writer(hbase, kill_at)
        assert result.returncode == -signal.SIGKILL, (kill_at, result.stderr)
        seen = whole_map(hbase)
        with connect(hbase) as store:
            test_map = TestMap(store)
            unfinished = set(test_map.tests_being_written())
            selected = select_tests(test_map, change).tests
        # Each test reads wholly as before or wholly as after: never a mix.
        for test in OLD:
            if test in unfinished:
                assert test not in seen[0], (kill_at, test)
                assert all(test not in tests for lines, _ in seen[1].values() for tests in lines.values())
                assert all(test not in blobs for _, blobs in seen[1].values())
            else:
                assert seen[0][test] in (old_map[0][test], new_map[0][test]), (kill_at, test)
                blobs = dict((path, blobs[test]) for path, (_, blobs) in seen[1].items() if test in blobs)
                assert blobs in (dict((p, OLD_BLOBS[p]) for p in old_map[0][test]),
                                 dict((p, NEW_BLOBS[p]) for p in new_map[0][test])), (kill_at, test, blobs)
        # Selection stays safe: a test being written is selected, whatever it ran.
        assert unfinished <= selected
        assert set(t for t in seen[0] if 5 in seen[0][t].get('app/a.py', [])) <= selected
        # The next recording repairs the map: exactly NEW, no stale line.
        with connect(hbase) as store:
            MapWriter(store).write(dict((t, dict(f)) for t, f in NEW.items()), blobs=NEW_BLOBS)
            assert TestMap(store).tests_being_written() == []
        assert whole_map(hbase) == new_map, kill_at


# -- the same map through hbase:// on the JVM ----------------------------------------

def jython_stave(*args, cwd=None):
    """`stave ARGS` on Jython, with HBase's jars on the class path (./classpath adds them)."""
    from stave.jvm import JVM_FLAGS, SITE
    from test_jvm import jvm_classpath
    classpath, problem = jvm_classpath()
    assert classpath is not None, problem  # .ci/run installs Jython; this test needs it
    assert os.path.isdir(SITE), 'run `ant deps` first (.ci/run does)'
    return subprocess.run(['java'] + JVM_FLAGS + ['-cp', classpath, 'org.python.util.jython',
                                                  os.path.join(ROOT, 'stave.py')] + list(args),
                          cwd=cwd, capture_output=True, text=True, timeout=300)


def test_import_query_select_and_export_through_the_java_client(project, hbase):
    # The JVM reads no coverage.py files (coverage.py is CPython's): stave's own format there.
    java_url = LOCAL.url('hbase')
    trace = write_lines(project / 'in.jsonl', [
        {'format': 'stave-trace', 'version': 2},
        {'path': 'app/calc.py', 'blob': file_blob(str(project / 'app' / 'calc.py'))},
        {'test': 't::a', 'path': 'app/calc.py', 'lines': [4, 5], 'outcome': 'passed', 'duration': 0.5},
        {'test': 't::b', 'path': 'app/calc.py', 'lines': [5, 9, 10]},
        {'test': 't::skip', 'outcome': 'skipped'},
    ])
    imported = jython_stave('--store', java_url, 'import', trace, cwd=str(project))
    assert (imported.returncode, imported.stdout) == (0, '%s: 3 tests, 5 lines (stave-trace)\n' % trace), \
        imported.stderr
    embedded = 'sqlite:///' + str(project / 'embedded.db')
    assert stave('--store', embedded, 'import', trace, cwd=str(project)).returncode == 0
    assert whole_map(hbase) == whole_map(embedded)  # written by the Java client, read over Thrift

    query = jython_stave('--store', java_url, 'query', 'tests-for', 'app/calc.py', '5', '--format', 'csv',
                         cwd=str(project))
    assert query.returncode == 0, query.stderr
    assert query.stdout.split() == stave('--store', embedded, 'query', 'tests-for', 'app/calc.py', '5',
                                         '--format', 'csv', cwd=str(project)).stdout.split()
    (project / 'change.diff').write_text('--- a/app/calc.py\n+++ b/app/calc.py\n@@ -10 +10 @@\n'
                                         '-        return LIMIT\n+        return LIMIT + 0\n')
    select = jython_stave('--store', java_url, 'select', '--patch', 'change.diff', cwd=str(project))
    assert (select.returncode, select.stdout) == (0, 't::b\n'), select.stderr

    exported = jython_stave('--store', java_url, 'export', '-o', str(project / 'out.jsonl'), cwd=str(project))
    assert exported.returncode == 0, exported.stderr
    again = 'sqlite:///' + str(project / 'again.db')
    assert stave('--store', again, 'import', str(project / 'out.jsonl'), cwd=str(project)).returncode == 0
    assert whole_map(again) == whole_map(embedded)
