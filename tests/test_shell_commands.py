"""The shell's command objects over a real embedded store."""
import pytest

from stave.errors import FilterSyntaxError, TableNotFoundError
from stave.shell.commands import StoreCommands
from stave.store import connect


@pytest.fixture
def c(tmp_path):
    store = connect('sqlite:///' + str(tmp_path / 'store.db'))
    yield StoreCommands(store)
    store.close()


def test_the_original_session(c):
    c.table('myTable').create(families=['aFamily:'])
    assert c.table('myTable').list_families() == ['aFamily']
    c.table('myTable').row('aRow').put('aFamily', 'aColumn', 'hello world!')
    assert c.table('myTable').row('aRow').get('aFamily', 'aColumn') == 'hello world!'
    assert repr(c.table('myTable').row('aRow').get('aFamily', 'aColumn')) == "'hello world!'"
    assert list(c.table('myTable').scan()) == [('aRow', {'aFamily:aColumn': 'hello world!'})]
    assert c.list_tables() == ['myTable'] and c.tables() == ['myTable']


def test_create_with_options_and_the_shell_default_of_one_version(c):
    c.table('t').create(families={'f': {'max_versions': 3}, 'g': None})
    c.table('u').create(families='h')
    assert c.table('t').describe()['f']['max_versions'] == 3
    assert c.table('t').describe()['g']['max_versions'] == 1
    assert c.table('u').list_families() == ['h']
    with pytest.raises(TypeError):
        c.table('v').create(families=3)


def test_table_state_commands(c):
    table = c.table('t')
    assert not table.exists()
    table.create(['f'])
    assert table.exists() and table.is_enabled()
    table.disable()
    assert not table.is_enabled()
    assert not table.describe().enabled
    table.enable()
    assert table.is_enabled()


def test_drop_asks_first_when_interactive(tmp_path):
    questions = []

    def confirm(question):
        questions.append(question)
        return 'gone' in question
    store = connect('sqlite:///' + str(tmp_path / 's.db'))
    c = StoreCommands(store, confirm=confirm)
    c.table('keep').create(['f'])
    c.table('gone').create(['f'])
    assert c.table('keep').drop().message == 'Not dropped'
    assert c.table('gone').delete().message == 'Dropped table gone'
    assert c.list_tables() == ['keep']
    assert questions == ['Drop table keep and all its data?', 'Drop table gone and all its data?']
    with pytest.raises(TableNotFoundError):
        c.table('missing').drop()
    assert len(questions) == 2  # a missing table fails before the question
    store.close()


def test_scripts_drop_without_asking(c):
    c.table('t').create(['f'])
    assert c.table('t').drop().message == 'Dropped table t'
    assert c.list_tables() == []


def test_truncate_keeps_the_families(c):
    c.table('t').create({'f': {'max_versions': 2}})
    c.table('t').put('r', 'f:q', 'v')
    c.table('t').truncate()
    assert list(c.table('t').scan()) == []
    assert c.table('t').describe()['f']['max_versions'] == 2
    assert c.table('t').is_enabled()


def test_scan_accepts_shell_and_happybase_names(c):
    table = c.table('t')
    table.create(['f'])
    for key in ('a', 'b1', 'b2', 'c'):
        table.put(key, 'f:q', key.upper())
    keys = lambda result: [row[0] for row in result]
    assert keys(table.scan(start_row='b', end_row='c')) == ['b1', 'b2']
    assert keys(table.scan(row_start='b', row_stop='c')) == ['b1', 'b2']
    assert keys(table.scan(row_prefix='b', reverse=True)) == ['b2', 'b1']
    assert keys(table.scan(limit=1)) == ['a']
    assert keys(table.scan(filter="ValueFilter(=, 'binary:C')")) == ['c']
    assert keys(table.scan(columns=['f:q'])) == ['a', 'b1', 'b2', 'c']
    assert table.count() == 4
    with pytest.raises(FilterSyntaxError):
        table.scan(filter='Bogus(')


def test_scan_and_cells_show_versions_and_timestamps(c):
    table = c.table('t')
    table.create({'f': {'max_versions': 3}})
    for ts, value in ((1, 'one'), (2, 'two'), (3, 'three')):
        table.put('r', 'f:q', value, timestamp=ts)
    (row,) = table.scan(versions=2)
    assert row.cells == [(b'f:q', 3, b'three'), (b'f:q', 2, b'two')]
    assert list(table.scan(timestamp=3))[0].cells == [(b'f:q', 2, b'two')]
    assert table.row('r').cells('f', 'q').cells == [(b'f:q', 3, b'three'), (b'f:q', 2, b'two'), (b'f:q', 1, b'one')]
    assert table.row('r').cells('f', 'q', versions=1).cells == [(b'f:q', 3, b'three')]
    assert table.get('r', versions=2).cells == [(b'f:q', 3, b'three'), (b'f:q', 2, b'two')]


def test_row_commands(c):
    c.table('t').create(['f', 'g'])
    row = c.table('t').row('r')
    row.put('f', 'a', 'x')
    row.put('g:', 'b', b'\x00binary')
    assert row.get('f', 'a') == 'x'
    assert row.get('f', 'missing') is None
    assert row.get() == ('r', {'f:a': 'x', 'g:b': b'\x00binary'})
    assert row.get('g') == ('r', {'g:b': b'\x00binary'})
    assert row.incr('f', 'n') == 1 and row.incr('f', 'n', by=4) == 5 and row.counter('f', 'n') == 5
    row.delete('f', 'a')
    assert row.get('f', 'a') is None
    row.delete('g')
    assert row.get() == ('r', {'f:n': b'\x00' * 7 + b'\x05'})
    row.delete()
    assert row.get() == ('r', {}) and row.get().count() == 0


def test_text_goes_in_as_utf8_and_other_types_are_refused(c):
    c.table('t').create(['f'])
    c.table('t').put('caf\u00e9', 'f:q', '\u00e9t\u00e9')
    assert c.table('t').get(b'caf\xc3\xa9')[1][b'f:q'] == b'\xc3\xa9t\xc3\xa9'
    with pytest.raises(TypeError, match="'value' must be bytes or text, got int"):
        c.table('t').put('r', 'f:q', 5)


def test_completion_sees_only_commands(c):
    assert dir(c) == ['list_tables', 'table', 'tables']
    assert 'scan' in dir(c.table('t')) and '_store' not in dir(c.table('t'))
    assert dir(c.table('t').row('r')) == ['cells', 'counter', 'delete', 'get', 'incr', 'put']
