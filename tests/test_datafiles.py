"""Data files: the files tests read, recorded per test (stave.collect.datafiles) and selected
for when they change (rule 9). pytest --stave and stave select run for real on a throwaway
project in a git repository; the audit hook's filter and the combining tracer are also
checked in this process."""
import json
import os
import subprocess
import sys
import textwrap

import pytest

from stave.collect import CombinedTracer, FileFilter, make_tracer
from stave.collect.datafiles import DataFileRecorder, is_data_path, reads_only
from stave.collect.sink import MapSink
from stave.store import connect
from stave.testmap import MapWriter, TestMap
from stave.testmap.blobs import file_blob
from stave.testmap.selection import parse_diff, select_tests
from test_collector import ROOT, at, interpreters, pytest_run

TESTS = textwrap.dedent('''\
    import importlib.resources
    import json
    import os
    import pathlib

    HERE = os.path.dirname(os.path.abspath(__file__))


    def test_open_relative():
        assert open('tests/data/words.txt').read().split() == ['alpha', 'beta']


    def test_json_load():
        assert json.load(open(os.path.join(HERE, 'data', 'users.json')))['users'] == ['ann']


    def test_pathlib():
        assert pathlib.Path(HERE, 'data', 'table.csv').read_text().startswith('a,b')


    def test_resources():
        assert importlib.resources.files('app').joinpath('greeting.txt').read_text() == 'hello\\n'


    def test_os_open():
        fd = os.open(os.path.join(HERE, 'data', 'pixel.bin'), os.O_RDONLY)
        assert os.read(fd, 2) == b'\\x89P'
        os.close(fd)


    def test_gone():
        assert open(os.path.join(HERE, 'data', 'gone.txt')).read() == 'soon gone\\n'


    def test_moved():
        with open(os.path.join(HERE, 'data', 'moved.txt'), 'rb') as handle:
            assert handle.read() == b'moving\\n'


    def test_reads_nothing_recorded():
        os.makedirs('build', exist_ok=True)
        with open('build/out.txt', 'w') as handle:
            handle.write('out')
        open('build/out.txt', 'r+').close()
        assert open(os.environ['OUTSIDE_FILE']).read() == 'outside\\n'
        assert 'LIMIT' in open(os.path.join(HERE, '..', 'app', 'calc.py')).read()
        os.close(os.open(os.path.join(HERE, 'data'), os.O_RDONLY))
        try:
            open('tests/data/missing.txt')
        except FileNotFoundError:
            pass


    def test_no_data():
        assert 1 + 1 == 2
''')

CASES_TESTS = textwrap.dedent('''\
    import json
    import os

    import pytest

    CASES = json.load(open(os.path.join(os.path.dirname(__file__), 'data', 'cases.json')))


    @pytest.mark.parametrize('case', CASES)
    def test_case(case):
        assert case > 0
''')

DATA = {
    'tests/data/words.txt': b'alpha\nbeta\n',
    'tests/data/users.json': b'{\n  "users": [\n    "ann"\n  ],\n  "admins": []\n}\n',
    'tests/data/table.csv': b'a,b\n1,2\n',
    'tests/data/pixel.bin': b'\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR',
    'tests/data/gone.txt': b'soon gone\n',
    'tests/data/moved.txt': b'moving\n',
    'tests/data/cases.json': b'[1, 2]\n',
    'app/greeting.txt': b'hello\n',
}

READS = {  # test -> the data file it reads
    'test_open_relative': 'tests/data/words.txt',
    'test_json_load': 'tests/data/users.json',
    'test_pathlib': 'tests/data/table.csv',
    'test_resources': 'app/greeting.txt',
    'test_os_open': 'tests/data/pixel.bin',
    'test_gone': 'tests/data/gone.txt',
    'test_moved': 'tests/data/moved.txt',
}


def git(project, *args):
    return subprocess.run(['git', '-c', 'user.email=t@t', '-c', 'user.name=t'] + list(args), cwd=str(project),
                          check=True, capture_output=True, text=True).stdout


@pytest.fixture
def project(tmp_path):
    """A committed project whose tests read data files in several ways, and a file outside it."""
    root = tmp_path / 'project'
    (root / 'app').mkdir(parents=True)
    (root / 'tests' / 'data').mkdir(parents=True)
    (root / 'pyproject.toml').write_text('[tool.pytest.ini_options]\nstave_flush_every = 2\n')
    (root / '.gitignore').write_text('.stave/\nbuild/\n__pycache__/\n')
    (root / 'app' / '__init__.py').write_text('')
    (root / 'app' / 'calc.py').write_text('LIMIT = 10\n')
    (root / 'tests' / 'test_data.py').write_text(TESTS)
    (root / 'tests' / 'test_cases.py').write_text(CASES_TESTS)
    for path, content in DATA.items():
        (root / path).write_bytes(content)
    (tmp_path / 'outside.txt').write_text('outside\n')
    git(root, 'init', '-q')
    git(root, 'add', '-A')
    git(root, 'commit', '-qm', 'base')
    return root


def record(project, python=sys.executable):
    result = pytest_run(python, project, '--stave', OUTSIDE_FILE=str(project.parent / 'outside.txt'))
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def stave(project, *args):
    env = dict(os.environ, PYTHONPATH=ROOT)
    env.pop('STAVE_STORE', None)
    return subprocess.run([sys.executable, os.path.join(ROOT, 'stave.py')] + list(args), cwd=str(project), env=env,
                          capture_output=True, text=True)


def open_map(project):
    return connect('sqlite:///' + str(project / '.stave' / 'stave.db'))


def node_id(name):
    return 'tests/test_data.py::' + name


@pytest.mark.slow
@pytest.mark.parametrize('version, python', interpreters())
def test_each_test_records_the_data_files_it_reads_as_their_line_1(project, version, python):
    record(project, python)
    with open_map(project) as store:
        test_map = TestMap(store)
        for name, path in READS.items():
            body = TESTS.split('def %s():\n' % name)[1].split('\n\n')[0]
            assert dict(test_map.lines_for(node_id(name))) == {
                'tests/test_data.py': at(TESTS, *[line.strip() for line in body.splitlines()]), path: [1]
            }, (version, name)
        # Written, read-write, outside the root, a Python source, a directory, a missing file: none recorded.
        assert list(test_map.lines_for(node_id('test_reads_nothing_recorded'))) == ['tests/test_data.py']
        assert list(test_map.lines_for(node_id('test_no_data'))) == ['tests/test_data.py']
        for name, path in READS.items():
            assert test_map.tests_for_file(path) == {1: [node_id(name)]}
        assert test_map.tests_for_file('tests/data/cases.json') == {1: ['<import>']}  # read at collection
        assert test_map.data_files() == sorted(set(READS.values()) | {'tests/data/cases.json'})
        # The recorder's own hashing of the files it flushes is no test's read: '<import>' read cases.json only.
        assert [p for p in test_map.lines_for('<import>') if p in DATA] == ['tests/data/cases.json']
        assert test_map.files()['tests/data/users.json'] == file_blob(str(project / 'tests/data/users.json'))
    query = stave(project, 'query', 'tests-for-file', 'tests/data/users.json', '--format', 'json')
    assert query.returncode == 0, query.stderr
    assert json.loads(query.stdout) == {'1': [node_id('test_json_load')]}


@pytest.mark.slow
def test_select_picks_the_readers_of_each_changed_deleted_or_renamed_data_file(project):
    record(project)
    users = project / 'tests' / 'data' / 'users.json'
    users.write_text(users.read_text().replace('"admins": []', '"admins": ["bob"]'))  # line 5 of a data file
    (project / 'tests' / 'data' / 'gone.txt').unlink()
    git(project, 'mv', 'tests/data/moved.txt', 'tests/data/elsewhere.txt')  # staged, not committed
    (project / 'tests' / 'data' / 'pixel.bin').write_bytes(DATA['tests/data/pixel.bin'] + b'\x00')  # binary
    result = stave(project, 'select', '--diff', 'HEAD', '--explain', '--format', 'json')
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [
        {'test': node_id('test_gone'), 'rule': 9, 'because': 'tests/data/gone.txt deleted (a data file)'},
        {'test': node_id('test_json_load'), 'rule': 9, 'because': 'tests/data/users.json changed (a data file)'},
        {'test': node_id('test_moved'), 'rule': 9,
         'because': 'tests/data/moved.txt renamed to tests/data/elsewhere.txt (a data file)'},
        {'test': node_id('test_os_open'), 'rule': 9, 'because': 'tests/data/pixel.bin changed (a data file)'},
    ]
    run = pytest_run(sys.executable, project, '--stave-select', '-vvv',
                     OUTSIDE_FILE=str(project.parent / 'outside.txt'))
    assert 'stave: runs tests/test_data.py::test_json_load: rule 9, tests/data/users.json changed (a data file)' \
        in run.stdout, run.stdout + run.stderr
    assert 'stave: leaves out tests/test_data.py::test_no_data' in run.stdout
    assert 'stave: leaves out tests/test_data.py::test_pathlib' in run.stdout


@pytest.mark.slow
def test_a_data_file_read_outside_any_test_selects_every_test(project):
    record(project)
    (project / 'tests' / 'data' / 'cases.json').write_text('[1, 2, 3]\n')
    result = stave(project, 'select', '--diff', 'HEAD', '--explain', '--format', 'json')
    assert result.returncode == 0, result.stderr
    explained = json.loads(result.stdout)
    with open_map(project) as store:
        assert [e['test'] for e in explained] == TestMap(store).tests()
    assert len(explained) == len(READS) + 4  # and the two cases
    assert set((e['rule'], e['because']) for e in explained) == {
        (9, 'tests/data/cases.json changed (a data file read outside any test)')}
    assert 'tests/data/cases.json changed: a data file read outside any test: every test' in result.stderr


# -- the audit hook's filter, the recorder and the combining tracer, in this process --------------

def test_an_open_reads_only_by_its_mode_or_else_its_flags():
    assert reads_only('r', os.O_RDONLY) and reads_only('rb', 0)
    assert not reads_only('r+', os.O_RDWR) and not reads_only('w', os.O_WRONLY) and not reads_only('a', 0)
    assert reads_only(None, os.O_RDONLY | os.O_CLOEXEC)
    assert not reads_only(None, os.O_WRONLY | os.O_CREAT) and not reads_only(None, os.O_RDWR)


def test_python_sources_and_tools_state_are_no_data_files():
    assert is_data_path('tests/data/users.json') and is_data_path('app/templates/page.html')
    assert is_data_path('bin/tool') and is_data_path('data/.hidden') and is_data_path('py.typed')
    for path in ('app/calc.py', 'app/calc.PY', 'app/__pycache__/calc.cpython-311.pyc', 'app/old.pyo', 'app/w.pyw',
                 'app/stub.pyi', 'app/ext.so', 'app/ext.pyd', 'app/__pycache__/notes.txt', '.pytest_cache/v/x',
                 '.git/HEAD', 'a/.hypothesis/examples/x', '.stave/stave.db', '.tox/py/log.txt'):
        assert not is_data_path(path), path


@pytest.fixture
def files(tmp_path):
    """A project root with a data file, a source, a subdirectory; and a file outside it."""
    root = tmp_path / 'root'
    (root / 'data').mkdir(parents=True)
    (root / 'data' / 'a.txt').write_text('a')
    (root / 'data' / 'b.txt').write_text('b')
    (root / 'mod.py').write_text('X = 1\n')
    (tmp_path / 'outside.txt').write_text('o')
    return root


def test_the_recorder_records_reads_under_the_running_label(files, monkeypatch):
    recorder = DataFileRecorder(FileFilter(str(files)), 'first')
    recorder.start()
    try:
        open(str(files / 'data' / 'a.txt')).close()
        monkeypatch.chdir(str(files / 'data'))
        open('b.txt').close()  # relative to the working directory at the open
        recorder.switch('second')
        os.close(os.open('a.txt', os.O_RDONLY))
        open('new.txt', 'w').close()
        open(str(files / 'mod.py')).close()
        open(str(files.parent / 'outside.txt')).close()
        os.close(os.open(str(files / 'data'), os.O_RDONLY))
        with pytest.raises(IOError):
            open('missing.txt')
        file_blob(str(files / 'data' / 'b.txt'))  # stave's own read
        recorder.switch(None)
        open('b.txt').close()  # no label: not recorded
        recorder.switch('third')
        assert recorder.harvest() == {'first': {'data/a.txt': {1}, 'data/b.txt': {1}},
                                      'second': {'data/a.txt': {1}}}
    finally:
        recorder.stop()
    open('b.txt').close()  # stopped: the hook stays, silent
    recorder.switch('fourth')
    assert recorder.harvest() == {}
    assert recorder.data_files == {'data/a.txt', 'data/b.txt'}


def test_the_recorder_applies_the_line_tracers_omit_globs(files):
    recorder = DataFileRecorder(FileFilter(str(files), omit=['data/b*']), 'only')
    recorder.start()
    try:
        open(str(files / 'data' / 'a.txt')).close()
        open(str(files / 'data' / 'b.txt')).close()
        recorder.switch(None)
    finally:
        recorder.stop()
    assert recorder.harvest() == {'only': {'data/a.txt': {1}}}


class Lines:
    """A line tracer of fixed data, noting the calls it gets (the real ones run in the pytest runs above)."""

    def __init__(self, harvest):
        self.filter = None
        self.calls = []
        self.exclusive = set()
        self._harvest = harvest

    def start(self):
        self.calls.append('start')

    def stop(self):
        self.calls.append('stop')

    def switch(self, label):
        self.calls.append(label)

    def harvest(self):
        return self._harvest


def test_the_combined_tracer_merges_lines_and_data_files_per_label(files):
    lines = Lines({'t1': {'mod.py': {1}}, 't2': {'mod.py': {2}}})
    tracer = CombinedTracer(lines, DataFileRecorder(FileFilter(str(files)), 't1'))
    tracer.start()
    try:
        open(str(files / 'data' / 'a.txt')).close()
        tracer.switch('t3')
        open(str(files / 'data' / 'b.txt')).close()
        tracer.switch(None)
    finally:
        tracer.stop()
    assert lines.calls == ['start', 't3', None, 'stop']
    assert tracer.harvest() == {'t1': {'mod.py': {1}, 'data/a.txt': {1}}, 't2': {'mod.py': {2}},
                                't3': {'data/b.txt': {1}}}
    assert tracer.data_files == {'data/a.txt', 'data/b.txt'}
    assert tracer.exclusive is lines.exclusive


def test_make_tracer_joins_the_data_file_recorder(files):
    tracer = make_tracer(FileFilter(str(files)), 'x')
    assert isinstance(tracer, CombinedTracer) and isinstance(tracer.data, DataFileRecorder)
    assert tracer.data_files == set()


# -- the map's side: the sink marks data files, the writer stores their kind --------------------

def test_the_sink_marks_the_data_files_of_the_tests_it_writes(tmp_path):
    url = 'sqlite:///%s' % (tmp_path / 'map.db')
    sink = MapSink(url, lambda paths: {}, [].append, run_id='run-1')
    sink.data_files = {'data/a.json', 'data/c.json'}
    assert sink.write({'t1': {'app.py': {3}, 'data/a.json': {1}}, 't2': {'data/b.json': {1}}})
    assert sink.finish({}, '<import>', {'data/c.json': {1}, 'app.py': {1}})
    sink.close()
    with connect(url) as store:
        test_map = TestMap(store)
        assert test_map.data_files() == ['data/a.json', 'data/c.json']
        assert test_map.tests_for_file('data/a.json') == {1: ['t1']}
        assert list(test_map.files()) == ['data/a.json', 'data/c.json']  # no hash: the stub hashes nothing
        MapWriter(store).mark_data_files([])  # nothing to mark: nothing written
        assert test_map.data_files() == ['data/a.json', 'data/c.json']


# -- diffs: the changes a data file often makes, which have no hunk -----------------------------

def test_parse_diff_reads_gits_changes_without_hunks():
    diff = ('diff --git a/d/old.txt b/d/new.txt\nsimilarity index 100%\nrename from d/old.txt\nrename to d/new.txt\n'
            'diff --git a/d/p.bin b/d/p.bin\nindex 1..2 100644\nBinary files a/d/p.bin and b/d/p.bin differ\n'
            'diff --git a/d/gone.bin b/d/gone.bin\ndeleted file mode 100644\nindex 1..0\n'
            'Binary files a/d/gone.bin and /dev/null differ\n'
            'diff --git a/d/empty b/d/empty\nnew file mode 100644\nindex 0..e69de29\n'
            'diff --git a/d/a b.txt b/d/a b.txt\nold mode 100644\nnew mode 100755\n')
    assert [(c.old_path, c.new_path, sorted(c.lines)) for c in parse_diff(diff)] == [
        ('d/old.txt', 'd/new.txt', []), ('d/p.bin', 'd/p.bin', []), ('d/gone.bin', None, []),
        (None, 'd/empty', []), ('d/a b.txt', 'd/a b.txt', [])]


def test_parse_diff_counts_hunk_lines_so_a_removed_sql_comment_is_no_file_header():
    diff = ('diff --git a/s.sql b/s.sql\n--- a/s.sql\n+++ b/s.sql\n@@ -2,2 +2 @@\n--- a comment\n-++ b\n+x\n'
            '@@ -9 +8,0 @@\n-y\n'
            '--- a/t.txt\r\n+++ b/t.txt\r\n@@ -4 +4 @@\r\n-u\r\n+v\r\n-- \n2.39.5\n')
    assert [(c.old_path, c.new_path, sorted(c.changed)) for c in parse_diff(diff)] == [
        ('s.sql', 's.sql', [2, 3, 9]), ('t.txt', 't.txt', [4])]


def test_rule_9_comes_before_the_line_rules_and_knows_a_data_file_added_back(tmp_path):
    with connect('sqlite:///%s' % (tmp_path / 'map.db')) as store:
        writer = MapWriter(store)
        writer.mark_data_files(['d/x.json'])
        writer.write({'t::reads': {'d/x.json': {1}, 't.py': {4}}, 't::runs': {'app.py': {3}}})
        test_map = TestMap(store)
        changed = parse_diff('--- a/d/x.json\n+++ b/d/x.json\n@@ -3 +3 @@\n-  "a": 1\n+  "a": 2\n')
        assert select_tests(test_map, changed).explained() == [('t::reads', 9, 'd/x.json changed (a data file)')]
        added = parse_diff('diff --git a/d/x.json b/d/x.json\nnew file mode 100644\n--- /dev/null\n'
                           '+++ b/d/x.json\n@@ -0,0 +1 @@\n+{}\n')
        selection = select_tests(test_map, added)
        assert selection.explained() == [('t::reads', 9, 'd/x.json added back (a data file)')]
        assert selection.notes == []


def test_the_kind_survives_export_and_import_and_the_query_lists_data_files(tmp_path):
    """A map moved with stave export and import keeps its data files as data files."""
    source, target = 'sqlite:///' + str(tmp_path / 'a.db'), 'sqlite:///' + str(tmp_path / 'b.db')
    trace = tmp_path / 'trace.jsonl'
    trace.write_text('\n'.join(json.dumps(r) for r in [
        {'path': 'data/users.json', 'sha1': 'a' * 40, 'kind': 'data'},
        {'path': 'app/db.py', 'sha1': 'b' * 40},
        {'test': 't.py::test_a', 'path': 'data/users.json', 'lines': [1]},
        {'test': 't.py::test_a', 'path': 'app/db.py', 'lines': [3]}]) + '\n')

    def stave(url, *args):
        return subprocess.run([sys.executable, os.path.join(ROOT, 'stave.py'), '--store', url] + list(args),
                              cwd=str(tmp_path), env=dict(os.environ, PYTHONPATH=ROOT), capture_output=True, text=True)
    assert stave(source, 'import', str(trace)).returncode == 0
    exported = stave(source, 'export', '-o', str(tmp_path / 'out.jsonl'))
    assert exported.returncode == 0, exported.stderr
    assert '"kind": "data"' in (tmp_path / 'out.jsonl').read_text()
    assert stave(target, 'import', str(tmp_path / 'out.jsonl')).returncode == 0
    listed = stave(target, 'query', 'data-files', '--format', 'json')
    assert (listed.returncode, json.loads(listed.stdout)) == (0, ['data/users.json'])
    trace.write_text(json.dumps({'path': 'x', 'sha1': 'c' * 40, 'kind': 'source'}) + '\n')
    refused = stave(target, 'import', str(trace))
    assert refused.returncode == 2 and '"kind" must be "data"' in refused.stderr, refused.stderr
