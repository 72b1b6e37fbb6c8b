"""Writers of one map at once on a store without transactions: `stave serve`
(HBase's Thrift API over a store file), a real server in a subprocess. The
marks of tests being written are each writer's own (stave.testmap.marks), and
adds keep every writer's lines (keys.files_of_row)."""
import os
import subprocess
import sys
import textwrap
import time

import pytest

from stave.store import connect
from stave.testmap import MapWriter, TestMap
from stave.testmap.marks import LEASE, abandoned, mark_column, mark_value, read_marks
from thrift_kills import KILL_AT_CALL
from thrift_serving import Served

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# Adds `<import>` {m.py: {3}} and SIGKILLs itself at the start of its Nth
# Thrift call that writes: the mark (1), the widened row (2), the lines (3), ...
KILLED_ADD = KILL_AT_CALL + textwrap.dedent('''\
    with connect(sys.argv[1]) as store:
        writer = MapWriter(store)
        calls[0] = 0
        writer.add({'<import>': {'m.py': {3}}}, {'m.py': 'ab' * 20})
''')


@pytest.fixture
def served(tmp_path):
    server = Served(tmp_path)
    yield server
    assert server.stop() == 0


def sides(url):
    """The map's two sides for '<import>' and m.py: its row's lines, the lines table's."""
    with connect(url) as store:
        test_map = TestMap(store)
        return (dict(test_map.lines_for('<import>')), dict(test_map.tests_for_file('m.py')),
                test_map.tests_being_written())


@pytest.mark.parametrize('kill_at', [2, 3, 4, 5, 6])
def test_an_add_killed_midway_is_repaired_by_the_next_writer(served, kill_at):
    url = served.url()
    with connect(url) as store:
        MapWriter(store).add({'<import>': {'m.py': {1}}}, {'m.py': 'ab' * 20})
    killed = subprocess.run([sys.executable, '-c', KILLED_ADD, url, str(kill_at)],
                            env=dict(os.environ, PYTHONPATH=ROOT), capture_output=True, text=True, timeout=60)
    assert killed.returncode == -9, killed.stderr
    lines, by_line, marked = sides(url)
    assert marked == ['<import>'] and lines == {}  # hidden while its mark stands: no half-written test shows
    with connect(url) as store:  # the next writer: the killed one's process is gone, its mark too
        MapWriter(store).add({'<import>': {'m.py': {2}}}, {'m.py': 'ab' * 20})
    lines, by_line, marked = sides(url)
    assert marked == []
    assert set(lines['m.py']) in ({1, 2}, {1, 2, 3})  # line 3 if the killed add had widened the row
    assert sorted(by_line) == lines['m.py']  # both sides agree


def test_a_live_writers_mark_stays_and_a_dead_ones_goes(tmp_path):
    child = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)'])
    gone = subprocess.Popen([sys.executable, '-c', 'pass'])
    gone.wait()
    try:
        now = time.time()
        row = {}
        for part, pid, began in ((b'live', child.pid, now), (b'dead', gone.pid, now), (b'mine', os.getpid(), now),
                                 (b'_old', child.pid, now - LEASE - 1)):
            value = mark_value(b't::a', began).replace((' %d ' % os.getpid()).encode(), (' %d ' % pid).encode())
            row[mark_column(b'12345678', part)] = (value, 7)
        marks = read_marks(row)
        assert list(marks) == [b'12345678']
        assert sorted(column[-4:].lstrip(b'_') for column, _ in abandoned(marks[b'12345678'], now)) == [b'dead', b'mine', b'old']
    finally:
        child.kill()
        child.wait()
