"""The recorder's writes into the store (stave.collect.sink) through a store that is locked for real:
a second SQLite connection holding BEGIN EXCLUSIVE on the store file, and a short ?timeout= in the URL."""
import sqlite3

import pytest

from stave.collect.sink import MapSink
from stave.errors import StoreOpenError
from stave.store import connect
from stave.testmap import TestMap
from stave.testmap.keys import PART_MARK
from stave.testmap.layout import FILES, LINES, TESTS

SHA1 = 'a' * 40


def url_of(path, timeout=0.05):
    return 'sqlite:///%s?timeout=%s' % (path, timeout)


def no_hashes(paths):
    return {}


class Lock:
    """Another connection holding the store's write lock until released."""

    def __init__(self, path):
        self.db = sqlite3.connect(str(path), isolation_level=None)
        self.db.execute('BEGIN EXCLUSIVE')

    def release(self):
        self.db.execute('COMMIT')
        self.db.close()


def sink_at(path, said, hashes=no_hashes):
    return MapSink(url_of(path), hashes, said.append, run_id='run-1')


def traces(*names):
    return dict((name, {'app.py': {1, 2, int(name[1:]) + 10}}) for name in names)


def snapshot(path):
    """What the map's tables hold, but the cells' stamps, the tests' times and
    the writers' part ids in the columns of lines added."""
    with connect(url_of(path)) as store:
        return dict((table, sorted((row, sorted((column.split(PART_MARK)[0], value)  # whichever writer added
                                                for column, value in data.items()
                                                if column != b'i:time'))  # when it was written
                                   for row, data in store.table(table).scan()))
                    for table in (LINES, TESTS, FILES))


def test_a_write_into_a_locked_store_keeps_its_tests_for_the_next_write(tmp_path):
    path, said = tmp_path / 'stave.db', []
    sink = sink_at(path, said)
    lock = Lock(path)
    assert sink.write(traces('t1', 't2')) is False
    assert sorted(sink.held) == ['t1', 't2'] and sink.written == 0
    lock.release()
    assert sink.write(traces('t3')) is True
    assert sink.held == {} and sink.written == 3
    sink.close()
    with connect(url_of(path)) as store:
        test_map = TestMap(store)
        assert test_map.tests() == ['t1', 't2', 't3']
        assert dict(test_map.lines_for('t2')) == {'app.py': [1, 2, 12]}
        assert test_map.tests_being_written() == []


def test_a_failure_is_said_once_per_streak_naming_the_store_and_the_error_and_so_is_its_end(tmp_path):
    path, said = tmp_path / 'stave.db', []
    sink = sink_at(path, said)
    lock = Lock(path)
    for n in range(3):
        sink.write(traces('t%d' % n))  # fails, fails, waits (see the next test)
    assert sink.failures == 2
    assert len(said) == 1
    assert said[0].startswith('stave: cannot write the test map to %s: ' % url_of(path))
    assert 'stayed locked by another process for 0.05 s' in said[0]
    assert 'keeping 1 test(s)' in said[0]
    lock.release()
    assert sink.write(traces('t4')) is True
    assert said[1:] == ['stave: wrote the test map to %s after 2 failed attempt(s); nothing was lost' % url_of(path)]
    lock = Lock(path)
    sink.write(traces('t8'))
    assert len(said) == 3  # a new streak
    lock.release()
    sink.close()


def test_attempts_back_off_while_the_store_keeps_failing_but_the_end_always_tries(tmp_path):
    path, said = tmp_path / 'stave.db', []
    sink = sink_at(path, said)
    lock = Lock(path)
    attempts = []
    for n in range(1, 9):
        before = sink.failures
        sink.write(traces('t%d' % n))
        if sink.failures > before:
            attempts.append(n)
    assert attempts == [1, 2, 4, 8]  # then after 1, 2, 4, ... writes
    assert sink.finish({}, '<import>', {}) is False
    assert sink.failures == 5
    lock.release()
    sink.close()


def test_a_store_locked_to_the_end_leaves_the_map_as_it_was_and_says_what_is_lost(tmp_path):
    path, said = tmp_path / 'stave.db', []
    sink = sink_at(path, said)
    sink.write(traces('t1'))
    lock = Lock(path)
    sink.write(traces('t2'))
    assert sink.finish(traces('t3'), '<import>', {'app.py': {1}}, command='pytest') is False
    sink.close()
    lock.release()
    summary = sink.summary()
    assert summary[0].startswith('stave: the test map was NOT fully written to %s: the store ' % url_of(path))
    assert 'stayed locked' in summary[0]
    assert '1 test(s) were written, 2 recorded test(s) could not be and are lost' in summary[1]
    assert len(said) == 1  # the summary, not `say`, tells the end
    with connect(url_of(path)) as store:
        assert TestMap(store).tests() == ['t1']
        assert dict(TestMap(store).lines_for('<import>')) == {}


def test_a_map_written_after_failures_is_the_map_one_write_gives(tmp_path):
    retried, said = tmp_path / 'retried.db', []
    sink = sink_at(retried, said, hashes=lambda paths: dict((p, SHA1) for p in paths))
    sink.write(traces('t1'))
    lock = Lock(retried)
    sink.write(traces('t2', 't3'))
    sink.write({'t1': {'app.py': {5}}, 't4': {'lib.py': {3}}})  # t1 recorded again: its new lines win
    sink.write(traces('t5'))
    lock.release()
    assert sink.finish(traces('t6'), '<import>', {'app.py': {1}}) is True
    sink.close()
    assert sink.summary() == ['stave: recorded 7 test(s) into %s (2 attempt(s) to write failed on the way; '
                              'their tests were kept and written later)' % url_of(retried)]

    once = tmp_path / 'once.db'
    sink = sink_at(once, [], hashes=lambda paths: dict((p, SHA1) for p in paths))
    sink.write(traces('t1'))
    sink.write(dict(traces('t2', 't3', 't5', 't6'), t1={'app.py': {5}}, t4={'lib.py': {3}}))
    sink.finish({}, '<import>', {'app.py': {1}})
    sink.close()
    assert snapshot(retried) == snapshot(once)
    with connect(url_of(retried)) as store:
        test_map = TestMap(store)
        assert dict(test_map.lines_for('t1')) == {'app.py': [5]}
        assert test_map.files() == {'app.py': SHA1, 'lib.py': SHA1}
        assert test_map.stats()['last_run']['tests'] == '7'


def test_a_store_locked_before_the_run_is_opened_by_a_later_write(tmp_path):
    path, said = tmp_path / 'stave.db', []
    lock = Lock(path)  # a new file, locked before stave opens it
    sink = sink_at(path, said)
    assert sink.error is not None and len(said) == 1
    assert sink.write(traces('t1')) is False
    lock.release()
    assert sink.write(traces('t2')) is False  # the second failure in a row lets one write pass
    assert sink.finish({}, '<import>', {}) is True
    sink.close()
    with connect(url_of(path)) as store:
        assert TestMap(store).tests() == ['t1', 't2']


def test_a_file_that_is_not_a_store_stops_the_run_before_it_starts(tmp_path):
    path = tmp_path / 'stave.db'
    path.write_bytes(b'not a database, but somebody else\'s file')
    with pytest.raises(StoreOpenError):
        sink_at(path, [])


def test_a_tests_outcome_is_its_calls_or_that_of_the_phase_that_did_not_pass(tmp_path):
    sink = sink_at(tmp_path / 'stave.db', [])
    for nodeid, phases in (('ok', ['passed', 'passed', 'passed']), ('fails', ['passed', 'failed', 'passed']),
                           ('setup_error', ['failed']), ('skipped', ['skipped', 'passed']),
                           ('teardown_error', ['passed', 'passed', 'failed'])):
        for when, outcome in zip(('setup', 'call', 'teardown') if len(phases) == 3 else ('setup', 'teardown'),
                                 phases):
            sink.report(nodeid, when, outcome, 0.25)
    sink.close()
    assert dict((test, result['outcome']) for test, result in sink.results.items()) == {
        'ok': 'passed', 'fails': 'failed', 'setup_error': 'failed', 'skipped': 'skipped',
        'teardown_error': 'failed'}
    assert sink.results['ok']['duration'] == 0.75


@pytest.mark.slow
def test_a_thrift_server_gone_mid_run_gets_the_tests_once_it_is_back(tmp_path):
    """The same through `stave serve`: the server stops after the first write and comes back on
    its port; the writes between fail on the connection, and the next one reconnects."""
    pytest.importorskip('happybase')
    from thrift_serving import Served
    said = []
    served = Served(tmp_path)
    sink = MapSink(served.url(), no_hashes, said.append, run_id='run-1')
    sink.write(traces('t1'))
    assert served.stop() == 0
    assert sink.write(traces('t2')) is False
    assert len(said) == 1 and said[0].startswith('stave: cannot write the test map to %s: Thrift ' % served.url())
    back = Served(tmp_path, '--port', str(served.port))
    try:
        assert sink.write(traces('t3')) is True
        assert sink.finish({}, '<import>', {'app.py': {1}}) is True
        sink.close()
        assert len(said) == 2
        with connect(back.url()) as store:
            test_map = TestMap(store)
            assert test_map.tests() == ['t1', 't2', 't3'] and test_map.tests_being_written() == []
            assert dict(test_map.lines_for('t2')) == {'app.py': [1, 2, 12]}
    finally:
        back.stop()
