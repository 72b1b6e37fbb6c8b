"""The embedded SQLite store as a file: layout, bad files, crashes, several processes."""
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time

import pytest

from stave.errors import SchemaVersionError, StoreBusyError, StoreOpenError
from stave.store import connect
from stave.store.sqlite import schema

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


@pytest.fixture
def db_path(tmp_path):
    return str(tmp_path / 'store.db')


def url_of(path, **options):
    query = '&'.join('%s=%s' % item for item in options.items())
    return 'sqlite:///' + path + ('?' + query if query else '')


def run_python(code, *args, **kwargs):
    """Run `code` in a fresh interpreter with stave importable."""
    env = dict(os.environ, PYTHONPATH=ROOT)
    return subprocess.run([sys.executable, '-c', textwrap.dedent(code)] + list(args),
                          env=env, capture_output=True, text=True, timeout=120, **kwargs)


def file_state(path):
    with open(path, 'rb') as handle:
        return handle.read()


def test_store_file_is_plain_sqlite_readable_without_stave(db_path):
    with connect(url_of(db_path)) as store:
        store.create_table('t', {'f': {'max_versions': 1}})
        store.table('t').put(b'app/db.py:000212', {b'f:test_a': b''})
    db = sqlite3.connect(db_path)
    try:
        assert db.execute('PRAGMA journal_mode').fetchone()[0] == 'wal'
        assert db.execute('PRAGMA application_id').fetchone()[0] == schema.APPLICATION_ID
        assert db.execute("SELECT value FROM stave_meta WHERE key='schema_version'").fetchone() == (
            str(schema.SCHEMA_VERSION),)
        table_id, = db.execute("SELECT id FROM stave_tables WHERE name = ?", (b't',)).fetchone()
        rows = db.execute('SELECT key, family, cells FROM %s' % schema.cells_table(table_id)).fetchall()
        # One group: the qualifier and the value, each after its length (cellpack's format).
        assert rows == [(b'app/db.py:000212', b'f', b'\x06test_a\x00')]
    finally:
        db.close()


def test_default_directory_is_created(tmp_path):
    path = str(tmp_path / 'nested' / '.stave' / 'stave.db')
    with connect(url_of(path)) as store:
        assert store.tables() == []
    assert os.path.isfile(path)


@pytest.mark.parametrize('reverse', [False, True])
@pytest.mark.parametrize('columns, timestamp', [(None, None), ([b'f'], None), ([b'f:q', b'g'], 9)])
def test_scans_walk_the_key_index_without_sorting(db_path, reverse, columns, timestamp):
    """The engine's scan queries, as SQLite plans them: no temporary B-tree for ORDER BY."""
    queries = []
    with connect(url_of(db_path)) as store:
        store.create_table('t', {'f': {}, 'g': {}})
        store.table('t').put(b'a1', {b'f:q': b'v'})
        iterate = store._engine.db.iterate

        def recording(sql, params=(), types=None):
            queries.append((sql, list(params)))
            return iterate(sql, params, types)
        store._engine.db.iterate = recording
        list(store.table('t').scan(row_start=b'a', row_stop=b'b', columns=columns, timestamp=timestamp,
                                   reverse=reverse))
    db = sqlite3.connect(db_path)
    plans = [db.execute('EXPLAIN QUERY PLAN ' + sql, params).fetchall() for sql, params in queries]
    db.close()
    text = ' '.join(str(step) for plan in plans for step in plan)
    assert len(queries) == 1 and 'TEMP B-TREE' not in text and 'USING INDEX' in text, text


def test_text_file_is_refused_and_left_alone(tmp_path):
    path = tmp_path / 'notes.txt'
    path.write_text('not a database\n')
    with pytest.raises(StoreOpenError, match='not an SQLite database'):
        connect(url_of(str(path)))
    assert path.read_text() == 'not a database\n'


def test_other_sqlite_database_is_refused_and_left_alone(db_path):
    db = sqlite3.connect(db_path)
    db.execute('CREATE TABLE accounts (id INTEGER)')
    db.commit()
    db.close()
    before = file_state(db_path)
    with pytest.raises(StoreOpenError, match='not a stave store.*accounts'):
        connect(url_of(db_path))
    assert file_state(db_path) == before


def test_other_schema_version_fails_loudly_and_keeps_the_data(db_path):
    with connect(url_of(db_path)) as store:
        store.create_table('t', {'f': {}})
        store.table('t').put(b'r', {b'f:q': b'precious'})
    db = sqlite3.connect(db_path)
    db.execute("UPDATE stave_meta SET value = '999' WHERE key = 'schema_version'")
    db.commit()
    db.close()
    before = file_state(db_path)
    with pytest.raises(SchemaVersionError, match='layout version 999.*reads version %d' % schema.SCHEMA_VERSION) as caught:
        connect(url_of(db_path))
    assert 'upgrade stave' in str(caught.value)
    assert file_state(db_path) == before


def test_corrupt_store_gives_a_clear_error(db_path):
    with connect(url_of(db_path)) as store:
        store.create_table('t', {'f': {}})
        with store.table('t').batch() as batch:
            for i in range(2000):
                batch.put(b'row%06d' % i, {b'f:q': b'x' * 100})
    data = bytearray(file_state(db_path))
    data[100:4096 * 3] = b'\xa5' * (4096 * 3 - 100)  # keep the header, trash the first pages
    with open(db_path, 'wb') as handle:
        handle.write(bytes(data))
    with pytest.raises(StoreOpenError) as caught:
        with connect(url_of(db_path)) as store:
            list(store.table('t').scan())
    assert db_path in str(caught.value)
    assert 'Traceback' not in str(caught.value)


def test_crash_in_the_middle_of_a_batch_keeps_the_previous_state(db_path):
    with connect(url_of(db_path)) as store:
        store.create_table('t', {'f': {}})
        store.table('t').put(b'before', {b'f:q': b'kept'})
    # The child writes half of a batch inside its transaction, then dies as if killed.
    result = run_python('''
        import os, signal, sys
        from stave.store import connect
        from stave.store.sqlite.driver import Sqlite3Driver
        real = Sqlite3Driver.execute_many
        def execute_many_then_die(self, sql, rows):
            real(self, sql, rows)
            os.kill(os.getpid(), signal.SIGKILL)
        Sqlite3Driver.execute_many = execute_many_then_die
        store = connect('sqlite:///' + sys.argv[1])
        with store.table('t').batch() as batch:
            for i in range(5000):
                batch.put(b'crash%05d' % i, {b'f:q': b'lost'})
            batch.delete(b'before')
    ''', db_path)
    assert result.returncode == -signal.SIGKILL, result.stderr
    with connect(url_of(db_path)) as store:
        assert list(store.table('t').scan()) == [(b'before', {b'f:q': b'kept'})]
    db = sqlite3.connect(db_path)
    assert db.execute('PRAGMA integrity_check').fetchone() == ('ok',)
    db.close()


def hold_write_lock(db_path, seconds):
    """Start a process that holds the store's write lock for `seconds`; return it once it holds it."""
    holder = subprocess.Popen(
        [sys.executable, '-c', textwrap.dedent('''
            import sqlite3, sys, time
            db = sqlite3.connect(sys.argv[1], isolation_level=None)
            db.execute('BEGIN IMMEDIATE')
            print('locked', flush=True)
            time.sleep(float(sys.argv[2]))
            db.execute('COMMIT')
        '''), db_path, str(seconds)], stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == 'locked'
    return holder


@pytest.mark.slow
def test_busy_store_waits_for_the_lock(db_path):
    with connect(url_of(db_path)) as store:
        store.create_table('t', {'f': {}})
        holder = hold_write_lock(db_path, 1.5)
        try:
            started = time.monotonic()
            store.table('t').put(b'r', {b'f:q': b'v'})
            waited = time.monotonic() - started
        finally:
            holder.wait(timeout=30)
        assert waited >= 0.5, waited  # it did wait for the other writer ...
        assert store.table('t').row(b'r') == {b'f:q': b'v'}  # ... and then wrote


@pytest.mark.slow
def test_lock_held_past_the_timeout_is_a_clear_error(db_path):
    with connect(url_of(db_path, timeout='0.2')) as store:
        store.create_table('t', {'f': {}})
        holder = hold_write_lock(db_path, 2)
        try:
            with pytest.raises(StoreBusyError, match=r'locked by another process.*timeout=SECONDS'):
                store.table('t').put(b'r', {b'f:q': b'v'})
        finally:
            holder.wait(timeout=30)


@pytest.mark.slow
def test_several_processes_write_at_once_without_losing_rows(db_path):
    with connect(url_of(db_path)) as store:
        store.create_table('t', {'f': {}})
    writer = textwrap.dedent('''
        import sys
        from stave.store import connect
        worker = int(sys.argv[2])
        with connect('sqlite:///' + sys.argv[1]) as store:
            table = store.table('t')
            for batch_number in range(40):
                with table.batch() as batch:
                    for i in range(25):
                        batch.put(b'w%d-%03d-%02d' % (worker, batch_number, i), {b'f:q': b'v'})
                table.counter_inc(b'counter', b'f:n')
    ''')
    env = dict(os.environ, PYTHONPATH=ROOT)
    workers = [subprocess.Popen([sys.executable, '-c', writer, db_path, str(n)], env=env,
                                stderr=subprocess.PIPE, text=True) for n in range(4)]
    errors = [w.communicate(timeout=300)[1] for w in workers]
    assert [w.returncode for w in workers] == [0, 0, 0, 0], errors
    with connect(url_of(db_path)) as store:
        table = store.table('t')
        assert sum(1 for _ in table.scan(row_prefix=b'w')) == 4 * 40 * 25
        assert table.counter_get(b'counter', b'f:n') == 4 * 40


def test_schema_changes_by_another_connection_are_seen(db_path):
    with connect(url_of(db_path)) as first, connect(url_of(db_path)) as second:
        first.create_table('t', {'f': {}})
        first.table('t').put(b'r', {b'f:q': b'v'})
        assert second.table('t').row(b'r') == {b'f:q': b'v'}
        first.disable_table('t')
        assert not second.is_table_enabled('t')
        first.delete_table('t')
        first.create_table('t', {'other': {}})
        assert list(second.table('t').families()) == [b'other']
        assert second.table('t').row(b'r') == {}


def test_writes_at_one_timestamp_merge_into_one_group_per_row_and_family(db_path):
    # Batches in any key order at the same timestamp: the later ones find the
    # groups already written and merge into them (a rewritten cell takes the new
    # value); writing a batch again changes nothing.
    with connect(url_of(db_path)) as store:
        store.create_table('t', {'f': {'max_versions': 1}})
        table = store.table('t')
        for keys in ([b'b', b'c'], [b'd', b'e'], [b'c', b'f'], [b'a'], [b'e', b'e0'], [b'f'], [b'f']):
            with table.batch(timestamp=7) as batch:
                for key in keys:
                    batch.put(key, {b'f:q': key + b'!', b'f:' + key: b''})
        with table.batch(timestamp=7) as batch:
            batch.put(b'c', {b'f:q': b'rewritten'})
        expected = dict((k, {b'f:q': k + b'!', b'f:' + k: b''}) for k in (b'a', b'b', b'd', b'e', b'e0', b'f'))
        expected[b'c'] = {b'f:q': b'rewritten', b'f:c': b''}
        assert list(table.scan()) == sorted(expected.items())
    assert cell_records(db_path, b't') == [(k, b'f', 7) for k in sorted(expected)]


def cell_records(db_path, table):
    """[(row key, family, ts)] of the SQLite records holding `table`'s cells."""
    with connect(url_of(db_path)) as store:
        table_id = store._engine.table_info(table).id
    db = sqlite3.connect(db_path)
    try:
        return db.execute('SELECT key, family, ts FROM %s ORDER BY 1, 2, 3' % schema.cells_table(table_id)).fetchall()
    finally:
        db.close()


def test_a_write_stores_one_record_per_row_and_family(db_path):
    with connect(url_of(db_path)) as store:
        store.create_table('t', {'f': {}, 'g': {}})
        with store.table('t').batch(timestamp=5) as batch:
            for n in range(50):
                batch.put(b'a', {b'f:q%02d' % n: b'x', b'g:q%02d' % n: b'y'})
                batch.put(b'b', {b'f:q%02d' % n: b'z'})
        with store.table('t').batch(timestamp=6) as batch:
            batch.put(b'a', {b'f:q00': b'newer'})
        assert store.table('t').row(b'a')[b'f:q00'] == b'newer'
        assert len(store.table('t').row(b'a')) == 100
    assert cell_records(db_path, b't') == [(b'a', b'f', 5), (b'a', b'f', 6), (b'a', b'g', 5), (b'b', b'f', 5)]


def test_compaction_drops_excess_versions_and_empty_groups(db_path):
    with connect(url_of(db_path)) as store:
        store.create_table('t', {'f': {'max_versions': 2}})
        table = store.table('t')
        table.put(b'r', {b'f:keep': b'old'}, timestamp=1)
        for ts in range(1, 6):
            table.put(b'r', {b'f:q': str(ts).encode()}, timestamp=ts)
        store.compact_table('t')
        assert table.cells(b'r', b'f:q') == [b'5', b'4']
        assert table.row(b'r') == {b'f:keep': b'old', b'f:q': b'5'}
    # ts 1 keeps its other cell; ts 2 and 3 held only excess versions.
    assert cell_records(db_path, b't') == [(b'r', b'f', 1), (b'r', b'f', 4), (b'r', b'f', 5)]


def test_a_reverse_range_read_gives_rows_descending_and_each_rows_cells_in_hbase_order(db_path):
    # CellStore.read_range's contract for reverse: the Table reverses nothing.
    with connect(url_of(db_path)) as store:
        store.create_table('t', {'f': {'max_versions': 3}, 'g': {}})
        table = store.table('t')
        for ts in (1, 2):
            for row in (b'a', b'b'):
                table.put(row, {b'f:x': b'%d' % ts, b'f:y': b'', b'g:z': b'%d' % ts}, timestamp=ts)
        engine = store._engine
        info = engine.table_info(b't')
        forward = list(engine.read_range(info, b'', None, False, None, None))
        backward = list(engine.read_range(info, b'', None, True, None, None))
    row_b = [cell for cell in forward if cell[0] == b'b']
    assert [cell[1:4] for cell in row_b] == [
        (b'f', b'x', 2), (b'f', b'x', 1), (b'f', b'y', 2), (b'f', b'y', 1), (b'g', b'z', 2), (b'g', b'z', 1)]
    assert backward == row_b + [cell for cell in forward if cell[0] == b'a']


def test_a_write_merges_only_into_the_groups_already_at_its_timestamp(db_path):
    with connect(url_of(db_path)) as store:
        store.create_table('t', {'f': {}})
        table = store.table('t')
        table.put(b'b', {b'f:old': b'1'}, timestamp=7)
        statements = []
        execute = store._engine.db.execute

        def recording(sql, params=()):
            statements.append(sql.split()[0])
            return execute(sql, params)
        store._engine.db.execute = recording
        with table.batch(timestamp=7) as batch:
            for row in (b'a', b'b', b'c'):
                batch.put_columns(row, b'f', [b'new'])
        assert statements.count('UPDATE') == 1
        assert table.row(b'b') == {b'f:old': b'1', b'f:new': b''}
        assert [row for row, _ in table.scan()] == [b'a', b'b', b'c']
    assert cell_records(db_path, b't') == [(b'a', b'f', 7), (b'b', b'f', 7), (b'c', b'f', 7)]
