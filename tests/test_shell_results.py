"""Result objects and their display, without a terminal (bytes for people: test_formatting.py)."""
import json
import time

from stave.shell.results import Description, Names, Number, Row, ScanResult, Status, Value


def test_value_is_bytes_that_reads_and_compares_as_text():
    value = Value(b'hello world!')
    assert repr(value) == "'hello world!'"
    assert str(value) == 'hello world!'
    assert value == 'hello world!' and value == b'hello world!'
    assert value != 'other' and not (value != 'hello world!')
    assert isinstance(value, bytes) and value[:5] == b'hello'
    assert {value: 1}[b'hello world!'] == 1
    assert repr(Value(b"it's")) == "'it\\'s'"


def make_row(started=None):
    return Row(b'aRow', [(b'aFamily:aColumn', 1000, b'hello world!'), (b'f:n', 5, b'\x00\x01')], started)


def test_row_is_a_python_pair_and_prints_like_hbase_get():
    row = make_row(time.time())
    key, data = row
    assert key == 'aRow' and data['aFamily:aColumn'] == 'hello world!'
    assert row == (b'aRow', {b'aFamily:aColumn': b'hello world!', b'f:n': b'\x00\x01'})
    assert repr(row) == "('aRow', {'aFamily:aColumn': 'hello world!', 'f:n': '\\x00\\x01'})"
    lines = str(row).split('\n')
    assert lines[0].split() == ['COLUMN', 'CELL']
    assert lines[1] == ' aFamily:aColumn        timestamp=1000, value=hello world!'
    assert lines[2] == ' f:n                    timestamp=5, value=\\x00\\x01'
    assert lines[3] == '1 row(s)'
    assert lines[4].startswith('Took ') and lines[4].endswith(' seconds')


def test_scan_result_streams_lines_and_materializes_on_demand():
    produced = []

    def rows():
        produced.append(1)
        yield make_row()
        yield Row(b'bRow', [(b'f:q', 7, b'v')])
    scan = ScanResult(rows, time.time())
    text = str(scan).split('\n')
    assert text[0].split() == ['ROW', 'COLUMN+CELL']
    assert text[1] == ' aRow                   column=aFamily:aColumn, timestamp=1000, value=hello world!'
    assert text[3] == ' bRow                   column=f:q, timestamp=7, value=v'
    assert text[4] == '2 row(s)'
    assert len(scan) == 2 and scan[1][0] == 'bRow'
    assert scan == [make_row(), (b'bRow', {b'f:q': b'v'})]
    runs = len(produced)
    list(scan), scan[0]
    assert len(produced) == runs  # kept once materialized
    assert json.loads(scan.to_json())[2] == {'row': 'bRow', 'column': 'f:q', 'timestamp': 7, 'value': 'v'}
    assert scan.to_rows()[0] == ('aRow', 'aFamily:aColumn', 1000, 'hello world!')


def test_names_description_numbers_and_status():
    started = time.time()
    tables = Names([b'a', b'b'], 'TABLE', started)
    assert tables == [b'a', b'b'] and repr(tables) == "['a', 'b']"
    assert str(tables).split('\n')[:4] == ['TABLE', 'a', 'b', '2 row(s)']
    described = Description(b't', True, {b'f': {'max_versions': 1, 'time_to_live': 2147483647,
                                               'compression': 'NONE', 'in_memory': False,
                                               'bloom_filter_type': 'NONE', 'block_cache_enabled': False}}, started)
    lines = str(described).split('\n')
    assert lines[:3] == ['Table t is ENABLED', 't', 'COLUMN FAMILIES DESCRIPTION']
    assert lines[3].startswith("{NAME => 'f', VERSIONS => '1', TTL => 'FOREVER'")
    counter = Number(5, started, label='COUNTER VALUE = %d')
    assert counter == 5 and str(counter).split('\n')[0] == 'COUNTER VALUE = 5'
    assert str(Number(3, started)).split('\n')[0] == '3 row(s)'
    assert not Status('', started) and str(Status('', started)).startswith('Took ')
    assert str(Status('Created table t', started)).split('\n')[0] == 'Created table t'


def test_plain_values_show_as_python_3_writes_them():
    from stave.shell.display import python_repr
    value = ['tests/t.py::test', b'\x00b', {'k': (1,), 'e': ()}, {2}, set(), 1.5, None]
    assert python_repr(value) == repr(value)


def test_every_result_has_a_header_as_wide_as_its_rows():
    started = time.time()
    results = [make_row(started), ScanResult(lambda: iter([make_row()]), started),
               Names([b'a'], 'TABLE', started), Number(3, started), Status('Created table t', started),
               Description(b't', True, {b'f': {'max_versions': 1}}, started)]
    for result in results:
        rows = result.to_rows()
        assert rows and all(len(row) == len(result.header) for row in rows), type(result).__name__
    assert results[2].header == ('table',) and results[2].to_csv() == 'table\na\n'
