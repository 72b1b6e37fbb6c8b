"""`stave import` in bounded memory, its refusals, its progress bar, and
`stave merge`: real files in temporary directories, `stave` run as a
subprocess, the stores compared table by table, stamps included."""
import json
import os
import random
import subprocess
import sys

import pexpect
import pytest

from stave.store import connect
from stave.testmap import TestMap
from thrift_serving import Served

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def stave(*args, **kwargs):
    env = dict(os.environ, PYTHONPATH=ROOT)
    env.pop('STAVE_STORE', None)
    return subprocess.run([sys.executable, os.path.join(ROOT, 'stave.py')] + list(args), env=env,
                          capture_output=True, text=True, timeout=600, **kwargs)


def snapshot(url):
    """Every table of the store and every cell, with its timestamp."""
    with connect(url) as store:
        return dict((name, [(row, sorted(data.items())) for row, data in
                            store.table(name).scan(include_timestamp=True)]) for name in store.tables())


def map_of(url):
    """The map as its questions see it: each test's files (blob, lines) and
    result, each file's tests by line."""
    with connect(url) as store:
        test_map = TestMap(store)
        tests = test_map.tests() + test_map.outside_labels()
        files = dict((path, dict(test_map.tests_for_file(path))) for path in test_map.files())
        return (dict((test, dict(test_map.recorded_files(test))) for test in tests),
                dict((test, test_map.test_info(test)) for test in tests), files)


def synthetic(path, tests=300, files=40, seed=1, split=False):
    """A trace file of `tests` tests over `files` files (about 60 triples per
    test and file touched). With `split`, each test's records are spread
    over the file, so chunks meet a test more than once. Returns the triples."""
    rng = random.Random(seed)
    records, triples = [], 0
    for number in range(files):
        records.append({'path': 'pkg/mod%03d.py' % number, 'blob': '%040x' % (number + 1)})
    tail = []
    for test in range(tests):
        name = 'tests/test_%02d.py::test_%04d' % (test % 7, test)
        for number in rng.sample(range(files), 5):
            lines = sorted(rng.sample(range(1, 400), 60))
            triples += len(lines)
            record = {'test': name, 'path': 'pkg/mod%03d.py' % number, 'lines': lines, 'outcome': 'passed',
                      'duration': 0.5, 'time': 1700000000.0 + test, 'run': 'ci-%d' % (test % 3)}
            (tail if split and number % 2 else records).append(record)
    with open(str(path), 'w') as out:
        out.write(json.dumps({'format': 'stave-trace', 'version': 2}) + '\n')
        for record in records + tail:
            out.write(json.dumps(record) + '\n')
    return triples


@pytest.mark.parametrize('split', [False, True])
def test_a_file_imported_in_small_chunks_gives_the_map_one_chunk_gives(tmp_path, split):
    trace = tmp_path / 'big.jsonl'
    triples = synthetic(trace, tests=2000, split=split)  # 600k triples: two chunks at --memory 200
    whole, chunked = 'sqlite:///' + str(tmp_path / 'whole.db'), 'sqlite:///' + str(tmp_path / 'chunked.db')
    result = stave('--store', whole, 'import', '--memory', '4000', str(trace))
    assert result.returncode == 0, result.stderr
    result = stave('--store', chunked, 'import', '--memory', '200', str(trace))
    assert result.returncode == 0, result.stderr
    assert result.stdout == '%s: 2000 tests, %d lines (stave-trace)\n' % (trace, triples)
    assert map_of(chunked) == map_of(whole)
    with connect(chunked) as store:  # one record per line row: the chunks' cells were merged before writing
        assert TestMap(store).stats()['cells'] == triples


def test_importing_a_large_file_twice_changes_no_line(tmp_path):
    trace, url = tmp_path / 'big.jsonl', 'sqlite:///' + str(tmp_path / 'm.db')
    synthetic(trace, tests=800, split=True)
    assert stave('--store', url, 'import', '--memory', '200', str(trace)).returncode == 0
    before = map_of(url)
    assert stave('--store', url, 'import', '--memory', '200', str(trace)).returncode == 0
    assert map_of(url) == before


BAD = [
    ('{"test": "t::x", "path": "a.py", "lines": [1]', 'not valid JSON'),
    ('{"test": "t::x", "path": "a.py", "lines": [0]}', '"lines" must be a list of line numbers (1 to 999999)'),
    ('{"test": "t::x", "path": "a.py", "lines": [1000000]}', '"lines" must be a list of line numbers'),
    ('{"test": "t::x", "path": "a.py", "lines": "1-3"}', '"lines" must be a list of line numbers'),
    ('{"test": 7, "path": "a.py", "lines": [1]}', '"test" must be a non-empty string'),
    ('{"test": "t::x", "path": "a.py", "lines": [1], "duration": -1}', '"duration" must be a number >= 0'),
    ('{"test": "t::x", "path": "a.py", "lines": [1], "duration": "fast"}', '"duration" must be a number >= 0'),
    ('{"test": "t::x", "path": "a.py", "lines": [1], "outcome": 1}', '"outcome" must be a non-empty string'),
    ('{"test": "t::x", "path": "a.py", "lines": [1], "time": "today"}', '"time" must be a number >= 0'),
    ('{"test": "t::x", "path": "a.py", "lines": [1], "time": NaN}', '"time" must be a number >= 0'),
    ('{"test": "t::x", "path": "a.py", "lines": [1], "duration": Infinity}', '"duration" must be a number >= 0'),
    ('{"test": "t::x", "path": "a\\u0000b.py", "lines": [1]}', '"path" must not hold a NUL character'),
    ('{"test": "t::x", "path": "a.py", "lines": [1], "blob": "abc"}', '"blob" must be a git blob id'),
    ('{"path": "a.py", "kind": "picture"}', '"kind" must be "data"'),
    ('{"path": "a.py"}', 'must give the file\'s "blob"'),
    ('{"format": "stave-trace", "version": 3}', 'unsupported format'),
    ('"just a string"', 'expected a JSON object'),
    (b'{"test": "t::x", "path": "\xff\xfe", "lines": [1]}', 'not valid JSON'),
]


def bad_file(path, record, at):
    """A valid trace of 2000 tests with `record` inserted as line `at` + 1 (the
    header is line 1); the records before it fill several chunks."""
    synthetic(path, tests=2000)
    with open(str(path), 'rb') as handle:
        lines = handle.read().split(b'\n')
    lines.insert(at, record if isinstance(record, bytes) else record.encode('utf-8'))
    with open(str(path), 'wb') as handle:
        handle.write(b'\n'.join(lines))


@pytest.fixture
def existing(tmp_path):
    """A store holding a map already."""
    url = 'sqlite:///' + str(tmp_path / 'm.db')
    trace = tmp_path / 'first.jsonl'
    synthetic(trace, tests=20, seed=7)
    assert stave('--store', url, 'import', str(trace)).returncode == 0
    return url


@pytest.mark.parametrize('record, words', BAD)
def test_a_bad_record_late_in_a_file_is_one_line_exit_2_and_the_store_is_as_it_was(tmp_path, existing, record,
                                                                                   words):
    bad = tmp_path / 'bad.jsonl'
    bad_file(bad, record, 9000)  # past the first chunks at --memory 200
    before = snapshot(existing)
    result = stave('--store', existing, 'import', '--memory', '200', str(bad))
    assert result.returncode == 2
    assert result.stderr.count('\n') == 1 and 'Traceback' not in result.stderr, result.stderr
    assert result.stderr.startswith('stave: error: %s, record 9001 (line 9001): ' % bad), result.stderr
    assert words in result.stderr
    assert snapshot(existing) == before  # no line, no file, no run record


def test_a_bad_file_into_an_empty_store_creates_no_table(tmp_path):
    bad, url = tmp_path / 'bad.jsonl', 'sqlite:///' + str(tmp_path / 'new.db')
    bad_file(bad, '{"test": "t::x", "path": "a.py", "lines": [0]}', 9000)
    result = stave('--store', url, 'import', '--memory', '200', str(bad))
    assert result.returncode == 2 and 'record 9001' in result.stderr
    assert snapshot(url) == {}


def test_a_truncated_file_says_so(tmp_path, existing):
    trace = tmp_path / 'cut.jsonl'
    synthetic(trace, tests=200)
    content = trace.read_bytes()
    trace.write_bytes(content[:len(content) - 25])  # cut inside the last record
    refused(existing, trace, 'the file ends inside this record: is it truncated?')


def refused(url, path, words):
    """Import `path` into `url`: one line holding `words`, exit status 2, the store as it was."""
    before = snapshot(url)
    result = stave('--store', url, 'import', str(path))
    assert result.returncode == 2 and result.stderr.count('\n') == 1 and 'Traceback' not in result.stderr
    assert words in result.stderr and str(path) in result.stderr
    assert snapshot(url) == before


@pytest.mark.parametrize('content', [b'\x1f\x8b\x08\x00compressed', b'\x89PNG\r\n\x1a\n', b'plain words\n'])
def test_a_foreign_file_is_refused_by_its_first_bytes(tmp_path, existing, content):
    foreign = tmp_path / 'foreign.bin'
    foreign.write_bytes(content)
    refused(existing, foreign, 'not a coverage.py data file, coverage.py JSON report or stave trace file')


@pytest.mark.parametrize('name, content, words', [
    ('cut.json', b'{"meta": {}, "files": {"a.py": {"contexts": {"5": ["t"]', 'near byte'),
    ('lines.json', b'{"meta": {}, "files": {"a.py": {"contexts": {"five": ["t"]}}}}', 'near byte'),
    ('contexts.json', b'{"meta": {}, "files": {"a.py": {"contexts": {"5": [7]}}}}', 'near byte'),
    ('none.json', b'{"meta": {}, "files": {"a.py": {"executed_lines": [1]}}}', 'has no contexts'),
    ('.coverage', b'SQLite format 3\x00' + b'\x01' * 200, 'cannot read this coverage.py data file'),
    ('store.db', b'SQLite format 3\x00' + b'\x00' * 52 + b'STAV' + b'\x02' * 200, 'store.db'),
])
def test_broken_coverage_files_and_stores_are_refused(tmp_path, existing, name, content, words):
    broken = tmp_path / name
    broken.write_bytes(content)
    refused(existing, broken, words)


@pytest.mark.parametrize('content', [b'', b'\n  \n', b'{"format": "stave-trace", "version": 2}\n'])
def test_an_empty_file_says_so_and_exits_1(tmp_path, existing, content):
    empty = tmp_path / 'empty.jsonl'
    empty.write_bytes(content)
    before = snapshot(existing)
    result = stave('--store', existing, 'import', str(empty))
    assert result.returncode == 1
    assert result.stderr == 'stave: %s: no traces in it (an empty stave-trace); nothing imported\n' % empty
    assert snapshot(existing) == before


def test_a_missing_file_and_a_bad_memory_setting(tmp_path, existing):
    result = stave('--store', existing, 'import', str(tmp_path / 'nowhere.jsonl'))
    assert result.returncode == 2 and 'cannot read' in result.stderr and 'nowhere.jsonl' in result.stderr
    result = stave('--store', existing, 'import', '--memory', '10', str(tmp_path / 'nowhere.jsonl'))
    assert result.returncode == 2 and '--memory must be at least 200' in result.stderr


def test_a_store_without_transactions_is_checked_before_it_is_written(tmp_path):
    """stave serve (HBase's Thrift API: no transactions): the file is read
    through once first, so a bad record late in it writes nothing."""
    served = Served(tmp_path)
    try:
        bad = tmp_path / 'bad.jsonl'
        bad_file(bad, '{"test": "t::x", "path": "a.py", "lines": [1], "duration": -2}', 9000)
        result = stave('--store', served.url(), 'import', '--memory', '200', str(bad))
        assert result.returncode == 2 and 'record 9001' in result.stderr
        with connect(served.url()) as store:
            assert not [name for name in store.tables() if name.startswith(b'tm_')]
        good = tmp_path / 'good.jsonl'
        triples = synthetic(good, tests=300)
        result = stave('--store', served.url(), 'import', '--memory', '200', str(good))
        assert result.returncode == 0, result.stderr
        local = 'sqlite:///' + str(tmp_path / 'local.db')
        assert stave('--store', local, 'import', str(good)).returncode == 0
        assert map_of(served.url()) == map_of(local)
        with connect(served.url()) as store:
            assert TestMap(store).stats()['cells'] == triples
    finally:
        assert served.stop() == 0


def test_progress_shows_on_a_terminal_and_not_in_a_pipe(tmp_path):
    trace, url = tmp_path / 'big.jsonl', 'sqlite:///' + str(tmp_path / 'm.db')
    synthetic(trace, tests=2000)
    piped = stave('--store', url, 'import', '--memory', '200', str(trace))
    assert piped.returncode == 0 and piped.stderr == ''
    child = pexpect.spawn(sys.executable, [os.path.join(ROOT, 'stave.py'), '--store', url, 'import', '--memory',
                                           '200', str(trace)], env=dict(os.environ, PYTHONPATH=ROOT), timeout=120,
                          encoding='utf-8', dimensions=(24, 160))
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    shown = child.before
    from tqdm import tqdm
    size = tqdm.format_sizeof(os.path.getsize(str(trace)), divisor=1024)
    assert 'big.jsonl:' in shown and '100%' in shown and '%s/%s' % (size, size) in shown  # bytes read, to the end
    assert 'MB/s' in shown and '600.0k triples' in shown and 'triples/s' in shown
    assert '2000 tests' in shown


def shards(tmp_path, count=3):
    """A trace split into `count` shards' files by test, and the whole."""
    whole = tmp_path / 'whole.jsonl'
    synthetic(whole, tests=600, split=True)
    header, files, tests = None, [], []
    for line in whole.read_text().splitlines():
        record = json.loads(line)
        if 'format' in record:
            header = line
        elif 'test' in record:
            tests.append((record['test'], line))
        else:
            files.append(line)
    parts = []
    for index in range(count):
        part = tmp_path / ('shard%d.jsonl' % index)
        part.write_text('\n'.join([header] + files + [line for test, line in tests
                                                      if hash(test) % count == index]) + '\n')
        parts.append(part)
    return whole, parts


def test_merge_of_shard_maps_equals_the_whole_and_is_idempotent(tmp_path):
    whole, parts = shards(tmp_path)
    reference = 'sqlite:///' + str(tmp_path / 'reference.db')
    assert stave('--store', reference, 'import', str(whole)).returncode == 0
    shard_stores = []
    for part in parts:
        shard_stores.append(str(tmp_path / (part.stem + '.db')))
        assert stave('--store', 'sqlite:///' + shard_stores[-1], 'import', str(part)).returncode == 0
    merged = str(tmp_path / 'merged.db')
    result = stave('merge', merged, *shard_stores)
    assert result.returncode == 0, result.stderr
    assert map_of('sqlite:///' + merged) == map_of(reference)
    before = snapshot('sqlite:///' + merged)
    result = stave('merge', merged, *['sqlite:///' + path for path in shard_stores], '--memory', '200')
    assert result.returncode == 0, result.stderr
    after = snapshot('sqlite:///' + merged)
    del before[b'tm_runs'], after[b'tm_runs']  # the second merge is a run of its own
    assert after == before  # not a cell rewritten


def test_merge_keeps_the_newest_recording_of_a_test(tmp_path):
    old, new = tmp_path / 'old.jsonl', tmp_path / 'new.jsonl'
    for path, lines, when in ((old, [1, 2, 3], 1700000000.0), (new, [7, 8], 1800000000.0)):
        path.write_text('\n'.join(json.dumps(r) for r in [
            {'test': 't::a', 'path': 'a.py', 'lines': lines, 'time': when, 'outcome': 'passed'},
            {'test': '<import>', 'path': 'a.py', 'lines': [lines[0] + 100], 'time': when}]) + '\n')
    stores = dict((path.stem, str(tmp_path / (path.stem + '.db'))) for path in (old, new))
    for path in (old, new):
        assert stave('--store', 'sqlite:///' + stores[path.stem], 'import', str(path)).returncode == 0
    for order in ((stores['old'], stores['new']), (stores['new'], stores['old'])):
        out = str(tmp_path / ('out-%s.db' % os.path.basename(order[0])))
        assert stave('merge', out, *order).returncode == 0
        with connect('sqlite:///' + out) as store:
            test_map = TestMap(store)
            assert dict(test_map.lines_for('t::a')) == {'a.py': [7, 8]}
            assert dict(test_map.lines_for('<import>')) == {'a.py': [101, 107]}  # pseudo-tests add up
    # stave import of a store's file is the same merge
    assert stave('--store', 'sqlite:///' + stores['new'], 'import', stores['old']).returncode == 0
    with connect('sqlite:///' + stores['new']) as store:
        assert dict(TestMap(store).lines_for('t::a')) == {'a.py': [7, 8]}


def test_merge_refuses_a_bad_source_and_changes_nothing(tmp_path, existing):
    before = snapshot(existing)
    result = stave('merge', existing[len('sqlite:///'):], str(tmp_path / 'missing.db'))
    assert result.returncode == 2 and 'missing.db' in result.stderr and 'Traceback' not in result.stderr
    assert snapshot(existing) == before


def conflicting(path):
    """A trace whose first test gives its first file another blob at the end,
    2,000 tests later: (the trace, that file's path)."""
    synthetic(path, tests=2000)
    with open(str(path)) as handle:
        first = next(record for record in map(json.loads, handle) if 'test' in record)
    with open(str(path), 'a') as out:
        out.write(json.dumps({'test': first['test'], 'path': first['path'], 'lines': [1], 'blob': 'cd' * 20}) + '\n')
    return path, first['path']


@pytest.mark.parametrize('memory', ['4000', '200'])
def test_a_test_whose_records_disagree_on_a_blob_is_refused_however_far_apart(tmp_path, existing, memory):
    trace, path = conflicting(tmp_path / 'two.jsonl')
    before = snapshot(existing)
    result = stave('--store', existing, 'import', '--memory', memory, str(trace))
    assert result.returncode == 2 and result.stderr.count('\n') == 1 and 'Traceback' not in result.stderr
    assert str(trace) in result.stderr and path in result.stderr and 'cd' * 20 in result.stderr
    assert snapshot(existing) == before


def test_a_store_without_transactions_refuses_the_disagreement_before_writing(tmp_path):
    served = Served(tmp_path)
    try:
        trace, path = conflicting(tmp_path / 'two.jsonl')
        result = stave('--store', served.url(), 'import', '--memory', '200', str(trace))
        assert result.returncode == 2 and path in result.stderr, result.stderr
        with connect(served.url()) as store:
            assert not [name for name in store.tables() if name.startswith(b'tm_')]
    finally:
        assert served.stop() == 0


def test_an_unknown_content_stays_unknown_through_export_and_import(tmp_path):
    trace, first, second = tmp_path / 'in.jsonl', 'sqlite:///' + str(tmp_path / 'a.db'), \
        'sqlite:///' + str(tmp_path / 'b.db')
    trace.write_text('\n'.join(json.dumps(r) for r in [
        {'test': 't::old', 'path': 'a.py', 'lines': [1, 2]},  # before any file record: unknown
        {'path': 'a.py', 'blob': 'ab' * 20},
        {'test': 't::new', 'path': 'a.py', 'lines': [3]}]) + '\n')
    assert stave('--store', first, 'import', str(trace)).returncode == 0
    exported = tmp_path / 'out.jsonl'
    assert stave('--store', first, 'export', '-o', str(exported)).returncode == 0
    assert stave('--store', second, 'import', str(exported)).returncode == 0
    for url in (first, second):
        with connect(url) as store:
            assert TestMap(store).blobs_for_file('a.py') == {'t::old': None, 't::new': 'ab' * 20}
    merged = str(tmp_path / 'merged.db')
    assert stave('merge', merged, first[len('sqlite:///'):]).returncode == 0
    with connect('sqlite:///' + merged) as store:
        assert TestMap(store).blobs_for_file('a.py') == {'t::old': None, 't::new': 'ab' * 20}


def test_a_file_of_data_file_records_alone_is_empty_and_changes_nothing(tmp_path, existing):
    trace = tmp_path / 'kinds.jsonl'
    trace.write_text(json.dumps({'path': 'data/x.json', 'kind': 'data'}) + '\n')
    before = snapshot(existing)
    result = stave('--store', existing, 'import', str(trace))
    assert result.returncode == 1 and 'no traces in it' in result.stderr
    assert snapshot(existing) == before


def test_merge_adds_up_the_runs_of_shards_that_wrote_separate_files(tmp_path):
    from stave.testmap import MapWriter
    from stave.testmap.runs import fold_run
    paths = []
    for shard, tests in ((1, 3), (2, 4)):
        paths.append(str(tmp_path / ('shard%d.db' % shard)))
        with connect('sqlite:///' + paths[-1]) as store:
            MapWriter(store, 'ci-7').write({'t::%d' % shard: {'a.py': {shard}}})
            fold_run(store, 'ci-7', started=100.0 + shard, finished=200.0 + shard, tests=tests)
    merged = str(tmp_path / 'merged.db')
    assert stave('merge', merged, *paths).returncode == 0
    with connect('sqlite:///' + merged) as store:
        row = store.table(b'tm_runs').row(b'ci-7')
    assert (row[b'r:tests'], row[b'r:shards'], row[b'r:started'], row[b'r:finished']) == (b'7', b'2', b'101.0',
                                                                                          b'202.0')


def test_merge_takes_stores_only(tmp_path, existing):
    trace = tmp_path / 'in.jsonl'
    synthetic(trace, tests=5)
    result = stave('merge', existing[len('sqlite:///'):], str(trace))
    assert result.returncode == 2 and 'is no store' in result.stderr and 'Traceback' not in result.stderr
