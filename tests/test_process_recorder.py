"""The recorder of a process that records for sessions (stave.collect.process),
in this process, with real session directories, beacons and spool files:
which test gets a segment, what happens when a session dies, a write fails,
or the beacon moves many times."""
import os
import subprocess
import sys
import textwrap
import time

import pytest

from stave.collect.process import ProcessRecorder
from stave.collect.session import Session, live_sessions

MODULE = textwrap.dedent('''\
    def work(x):
        return x + 1
''')


@pytest.fixture
def project(tmp_path):
    (tmp_path / 'mod_for_recorder.py').write_text(MODULE)
    sys.path.insert(0, str(tmp_path))
    yield tmp_path
    sys.path.remove(str(tmp_path))
    sys.modules.pop('mod_for_recorder', None)


def wait_until(predicate, timeout=30):
    deadline = time.time() + timeout
    while not predicate():
        assert time.time() < deadline, 'gave up waiting'
        time.sleep(0.01)


def test_a_write_that_fails_is_kept_for_the_next_flush(project):
    written, failures = [], [RuntimeError('store busy')]

    def write_map(tests, data_files):
        if failures:
            raise failures.pop()
        written.append(tests)
    recorder = ProcessRecorder(str(project), 'unit', write_map=write_map)
    recorder.start()
    try:
        import mod_for_recorder
        mod_for_recorder.work(1)
        with pytest.raises(RuntimeError):
            recorder.flush()
        recorder.flush()
    finally:
        recorder.stop()
    assert written[0]['<process unit>']['mod_for_recorder.py'] == {1, 2}  # the import's def line, the call


def test_a_dead_session_is_forgotten_and_the_map_written_instead(project):
    session = Session(str(project), 'run-dead')
    dead = subprocess.run([sys.executable, '-c', 'import os; print(os.getpid())'], capture_output=True, text=True)
    with open(os.path.join(session.directory, 'pid'), 'w') as handle:
        handle.write(dead.stdout.strip())  # as a killed pytest leaves it
    session.beacon.set('tests/test_x.py::test_gone')
    written = []
    recorder = ProcessRecorder(str(project), 'unit', sessions=[session.directory],
                               write_map=lambda tests, data_files: written.append(tests))
    recorder.start()
    try:
        wait_until(lambda: not recorder._sessions)  # the beacons' watcher looks about once a second
        import mod_for_recorder
        mod_for_recorder.work(2)
    finally:
        recorder.stop()
        session.close()
    assert live_sessions(str(project)) == []
    assert [set(tests) for tests in written] == [set(['<process unit>'])]  # not the dead session's test


def test_segments_go_to_their_tests_and_none_is_kept_after_a_flush(project):
    session = Session(str(project), 'run-live')
    recorder = ProcessRecorder(str(project), 'unit', sessions=[session.directory])
    recorder.start()
    try:
        import mod_for_recorder
        for number in range(50):
            session.beacon.set('t.py::test_%d' % number)
            wait_until(lambda: recorder._running == set(['t.py::test_%d' % number]))
        mod_for_recorder.work(3)  # while test_49 runs
        session.beacon.set(None)
        wait_until(lambda: not recorder._running)
        recorder.flush()
        assert len(recorder._owners) == 1  # only the running segment: closed ones are not kept
    finally:
        recorder.stop()
    spooled, _ = session.collect()
    session.close()
    # work(3) ran line 2 while test_49 ran: it, and its neighbours at most (the boundaries are uncertain).
    owners = set(test for test, files in spooled.items() if 2 in files.get('mod_for_recorder.py', ()))
    assert 't.py::test_49' in owners and owners <= set(['t.py::test_48', 't.py::test_49', '<process unit>'])
