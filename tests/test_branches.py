"""A map written at two commits serves a third: recorded line numbers are
mapped onto the working tree through git's diff of the recorded blobs
(stave.testmap.linemap), so an edited file selects by line.

Real git, real `pytest --stave` recordings in subprocesses. The reference
for every selection is the same change judged on a map recorded entirely at
the base commit, where no translation is needed."""
import os
import subprocess
import sys

import pytest

from stave.store import connect
from stave.testmap import MapWriter, TestMap
from stave.testmap.linemap import LineMap
from stave.testmap.selection import select_for_diff

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

CALC_A = '''def add(a, b):
    return a + b


def sub(a, b):
    return a - b


def mul(a, b):
    return a * b
'''

# Commit B: a new function above the others (their lines move down by 4),
# and sub's body rewritten.
CALC_B = '''def neg(a):
    return -a


def add(a, b):
    return a + b


def sub(a, b):
    result = a - b
    return result


def mul(a, b):
    return a * b
'''

TESTS = {
    'tests/test_add.py': 'from app.calc import add\n\n\ndef test_add():\n    assert add(1, 2) == 3\n',
    'tests/test_sub.py': 'from app.calc import sub\n\n\ndef test_sub():\n    assert sub(3, 2) == 1\n',
    'tests/test_mul.py': 'from app.calc import mul\n\n\ndef test_mul():\n    assert mul(2, 3) == 6\n',
}


def git(repo, *args):
    return subprocess.run(['git', '-c', 'user.email=t@t', '-c', 'user.name=t'] + list(args), cwd=str(repo),
                          check=True, capture_output=True, text=True).stdout


def record(repo, store, *args):
    env = dict(os.environ, PYTHONPATH=ROOT + os.pathsep + str(repo))
    env.pop('STAVE_STORE', None)
    result = subprocess.run([sys.executable, '-m', 'pytest', '-p', 'no:cacheprovider', '-q', '--stave',
                             '--stave-store', 'sqlite:///' + str(store)] + list(args),
                            cwd=str(repo), env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.fixture(scope='module')
def repo(tmp_path_factory):
    """Commit A, then B; test_add recorded at A, the others at B, into one map
    (two.db); and every test recorded at B alone (reference.db)."""
    repo = tmp_path_factory.mktemp('branches')
    (repo / 'app').mkdir()
    (repo / 'app' / '__init__.py').write_text('')
    (repo / 'app' / 'calc.py').write_text(CALC_A)
    (repo / 'tests').mkdir()
    for path, text in TESTS.items():
        (repo / path).write_text(text)
    git(repo, 'init', '-q')
    git(repo, 'add', '-A')
    git(repo, 'commit', '-qm', 'A')
    record(repo, repo / 'two.db', 'tests/test_add.py')
    (repo / 'app' / 'calc.py').write_text(CALC_B)
    git(repo, 'commit', '-qam', 'B')
    record(repo, repo / 'two.db', 'tests/test_sub.py', 'tests/test_mul.py')
    record(repo, repo / 'reference.db')
    return repo


def selection(repo, store):
    with connect('sqlite:///' + str(repo / store)) as opened:
        found = select_for_diff(TestMap(opened), 'HEAD', str(repo))
    return dict((test, rule) for test, rule, _ in found.explained()), found.notes


@pytest.fixture
def edited(repo):
    """Edit app/calc.py in the working tree; put it back afterwards."""
    def edit(old, new):
        path = repo / 'app' / 'calc.py'
        assert old in path.read_text()
        path.write_text(path.read_text().replace(old, new))
    yield edit
    git(repo, 'checkout', '-q', 'app/calc.py')


def test_the_map_holds_each_test_in_the_blob_it_was_recorded_in(repo):
    blob_a, blob_b = git(repo, 'rev-parse', 'HEAD~1:app/calc.py').strip(), git(repo, 'rev-parse',
                                                                                 'HEAD:app/calc.py').strip()
    with connect('sqlite:///' + str(repo / 'two.db')) as store:
        test_map = TestMap(store)
        blobs = test_map.blobs_for_file('app/calc.py')
        assert blobs['tests/test_add.py::test_add'] == blob_a
        assert blobs['tests/test_sub.py::test_sub'] == blobs['tests/test_mul.py::test_mul'] == blob_b
        # test_add's line is line 2 of A: its row says so, in A's numbering
        assert test_map.recorded_files('tests/test_add.py::test_add')['app/calc.py'] == (blob_a, [2])
        # '<import>' was recorded at both: B's recording replaced A's numbering of the file
        assert test_map.recorded_files('<import>')['app/calc.py'][0] == blob_b


def test_a_line_that_moved_since_the_recording_selects_by_line(repo, edited):
    edited('    return a + b\n', '    return b + a\n')  # line 2 at A, line 6 now
    assert selection(repo, 'two.db') == ({'tests/test_add.py::test_add': 1}, [])
    assert selection(repo, 'reference.db') == ({'tests/test_add.py::test_add': 1}, [])


def test_a_line_of_the_later_commit_selects_its_tests_and_no_other(repo, edited):
    edited('    return a * b\n', '    return b * a\n')
    assert selection(repo, 'two.db') == ({'tests/test_mul.py::test_mul': 1}, [])
    assert selection(repo, 'reference.db') == ({'tests/test_mul.py::test_mul': 1}, [])


def test_module_level_lines_follow_the_newest_recording(repo, edited):
    edited('def mul(a, b):\n', 'def mul(a, b, c=1):\n')  # a def line runs at import: rule 3
    tests, _ = selection(repo, 'two.db')
    reference, _ = selection(repo, 'reference.db')
    assert tests == reference == dict.fromkeys(['tests/test_add.py::test_add', 'tests/test_mul.py::test_mul',
                                                'tests/test_sub.py::test_sub'], 3)


def test_a_line_written_since_a_recording_selects_the_tests_near_it(repo, tmp_path):
    """test_sub recorded at A, whose sub body B rewrote: a change to B's new
    body is near what test_sub ran at A (rule 10), and never missed."""
    store = tmp_path / 'old.db'
    git(repo, 'checkout', '-q', 'HEAD~1')
    try:
        record(repo, store, 'tests/test_sub.py')
    finally:
        git(repo, 'checkout', '-q', '-')
    path = repo / 'app' / 'calc.py'
    path.write_text(path.read_text().replace('    return result\n', '    return result + 0\n'))
    try:
        with connect('sqlite:///' + str(store)) as opened:
            found = select_for_diff(TestMap(opened), 'HEAD', str(repo))
    finally:
        git(repo, 'checkout', '-q', 'app/calc.py')
    assert [(test, rule) for test, rule, _ in found.explained()] == [('tests/test_sub.py::test_sub', 10)]
    assert 'since the recording' in found.explained()[0][2]


def test_a_test_recorded_again_at_another_commit_replaces_its_numbering(tmp_path):
    with connect('sqlite:///' + str(tmp_path / 'm.db')) as store:
        writer = MapWriter(store)
        writer.add({'<import>': {'a.py': {1, 2}}}, blobs={'a.py': 'aa' * 20})
        writer.add({'<import>': {'a.py': {3}}}, blobs={'a.py': 'aa' * 20})  # same content: added
        assert TestMap(store).recorded_files('<import>')['a.py'] == ('aa' * 20, [1, 2, 3])
        writer.add({'<import>': {'a.py': {5}}}, blobs={'a.py': 'bb' * 20})  # other content: replaced
        test_map = TestMap(store)
        assert test_map.recorded_files('<import>')['a.py'] == ('bb' * 20, [5])
        assert dict(test_map.tests_for_file('a.py')) == {5: ['<import>']}
        assert test_map.blobs_for_file('a.py') == {'<import>': 'bb' * 20}
        MapWriter(store).forget(['<import>'])
        assert TestMap(store).blobs_for_file('a.py') == {}


@pytest.mark.parametrize('hunks, current, expected', [
    ([], 7, (7, [])),
    ([(3, 0, 4, 2)], 4, (None, [3, 4])),           # inserted after recorded line 3
    ([(3, 0, 4, 2)], 6, (4, [])),
    ([(3, 2, 3, 3)], 5, (None, [2, 3, 4, 5])),     # recorded 3-4 replaced by 3 lines
    ([(3, 2, 3, 3)], 6, (5, [])),
    ([(5, 2, 4, 0)], 4, (4, [])),                  # recorded 5-6 deleted
    ([(5, 2, 4, 0)], 5, (7, [])),
    ([(1, 0, 1, 4), (5, 2, 9, 1)], 9, (None, [4, 5, 6, 7])),
    ([(1, 0, 1, 4), (5, 2, 9, 1)], 10, (7, [])),
])
def test_line_map(hunks, current, expected):
    assert LineMap(hunks).recorded(current) == expected
