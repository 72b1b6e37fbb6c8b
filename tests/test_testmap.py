"""The test map's writer and queries over a real embedded store."""
import pytest

from stave.store import connect
from stave.testmap import MapWriter, TestMap
from stave.testmap import keys
from stave.testmap.keys import IMPORT_TEST
from stave.testmap.layout import LINES, META, TESTS, LayoutVersionError
from stave.testmap.writer import KeyCollisionError


@pytest.fixture
def store(tmp_path):
    with connect('sqlite:///' + str(tmp_path / 'map.db')) as opened:
        yield opened


def snapshot(store):
    """Everything in the map's two main tables, without timestamps."""
    return (list(store.table(LINES).scan()), list(store.table(TESTS).scan(columns=[b'l', b'i:key', b'i:outcome'])))


def test_tables_are_created_on_first_use_with_a_version(store):
    assert not TestMap(store).exists()
    MapWriter(store)
    assert TestMap(store).exists()
    assert {b'tm_lines', b'tm_tests', b'tm_testkeys', b'tm_files', b'tm_runs', b'tm_meta'} <= set(store.tables())
    store.table(META).put(b'layout', {b'm:version': b'99'})
    with pytest.raises(LayoutVersionError, match='layout version 99'):
        MapWriter(store)


def test_queries(store):
    writer = MapWriter(store)
    writer.write({'t::a': {'app/db.py': {10, 11, 12}, 'app/io.py': {3}},
                  't::b': {'app/db.py': {11}}},
                 {'t::a': {'outcome': 'passed', 'duration': 0.25}, 't::b': {'outcome': 'failed', 'duration': 1}},
                 {'app/db.py': 'ab' * 20})
    test_map = TestMap(store)
    assert test_map.tests_for('app/db.py', 11) == ['t::a', 't::b']
    assert test_map.tests_for('./app/db.py', 12) == ['t::a']
    assert test_map.tests_for('app/db.py', 99) == []
    assert dict(test_map.tests_for_file('app/db.py')) == {10: ['t::a'], 11: ['t::a', 't::b'], 12: ['t::a']}
    assert dict(test_map.lines_for('t::a')) == {'app/db.py': [10, 11, 12], 'app/io.py': [3]}
    assert test_map.test_info('t::b')['outcome'] == 'failed' and test_map.test_info('t::b')['duration'] == 1.0
    assert test_map.test_info('nope') is None
    assert test_map.tests() == ['t::a', 't::b'] and test_map.tests('t::b') == ['t::b']
    assert test_map.failed_tests() == ['t::b']
    assert test_map.files() == {'app/db.py': 'ab' * 20}
    stats = test_map.stats()
    assert (stats['tests'], stats['files'], stats['lines'], stats['cells']) == (2, 2, 4, 5)
    assert test_map.hot_lines(1) == [('app/db.py', 11, 2)]


def test_rerecording_replaces_old_lines_in_both_tables(store):
    writer = MapWriter(store)
    writer.write({'t::a': {'app/db.py': {1, 2, 3}, 'app/old.py': {7}}})
    writer.write({'t::a': {'app/db.py': {3, 4}}})
    test_map = TestMap(store)
    assert dict(test_map.lines_for('t::a')) == {'app/db.py': [3, 4]}
    assert dict(test_map.tests_for_file('app/db.py')) == {3: ['t::a'], 4: ['t::a']}
    assert test_map.tests_for('app/old.py', 7) == []
    assert [row for row, _ in store.table(LINES).scan()] == [b'app/db.py:000003', b'app/db.py:000004']


def test_writing_the_same_data_twice_leaves_the_same_map(store):
    traces = {'t::a': {'x.py': {1, 2}}, 't::b': {'x.py': {2}, 'y.py': {5}}}
    MapWriter(store).write(traces)
    first = snapshot(store)
    MapWriter(store).write(traces)
    assert snapshot(store) == first


def test_forget_removes_a_test_everywhere(store):
    writer = MapWriter(store)
    writer.write({'t::a': {'x.py': {1}}, 't::b': {'x.py': {1}}})
    writer.forget(['t::a'])
    test_map = TestMap(store)
    assert test_map.tests() == ['t::b'] and test_map.tests_for('x.py', 1) == ['t::b']


def test_import_pseudo_test_is_merged_not_replaced(store):
    writer = MapWriter(store)
    writer.add({IMPORT_TEST: {'x.py': {1, 2}}})
    writer.add({IMPORT_TEST: {'x.py': {3}, 'y.py': {1}}})
    assert dict(TestMap(store).lines_for(IMPORT_TEST)) == {'x.py': [1, 2, 3], 'y.py': [1]}
    assert TestMap(store).tests() == []


def test_a_key_collision_is_refused(store, monkeypatch):
    writer = MapWriter(store)
    writer.write({'t::a': {'x.py': {1}}})
    real_key = keys.test_key
    monkeypatch.setattr('stave.testmap.keys.test_key', lambda test_id: real_key('t::a'))
    with pytest.raises(KeyCollisionError):  # with a test the map holds
        writer.write({'t::other': {'x.py': {2}}})
    monkeypatch.setattr('stave.testmap.keys.test_key', lambda test_id: real_key('fresh'))
    with pytest.raises(KeyCollisionError):  # between two new tests of one write
        writer.write({'t::b': {'x.py': {3}}, 't::c': {'x.py': {4}}})
    test_map = TestMap(store)  # nothing of the refused writes
    assert [test_map.tests_for('x.py', line) for line in (1, 2, 3, 4)] == [['t::a'], [], [], []]
    assert test_map.tests() == ['t::a']


def test_a_failed_write_leaves_the_map_as_it_was(store):
    writer = MapWriter(store)
    writer.write({'t::a': {'x.py': {1}}})
    before = snapshot(store)
    with pytest.raises(ValueError):
        writer.write({'t::a': {'x.py': {2}}, 't::b': {'x.py': {0}}})  # line 0 is not a line
    assert snapshot(store) == before


def test_a_rerecording_writes_only_its_new_line_cells(tmp_path):
    from stave.store.sqlite import schema
    with connect('sqlite:///' + str(tmp_path / 'm.db')) as store:
        writer = MapWriter(store)
        writer.write({'t::a': {'a.py': {1, 2}}})
        writer.write({'t::a': {'a.py': {1, 2, 3}}})
        engine = store._engine
        records = engine.db.execute('SELECT key, count(*) FROM %s GROUP BY key'
                                    % schema.cells_table(engine.table_info(LINES).id))
        assert dict(records) == dict((keys.line_key('a.py', line), 1) for line in (1, 2, 3))
