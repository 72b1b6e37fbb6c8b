"""stave.formatting: one path renders every result as text, JSON and CSV."""
import csv
import io
import json
import time

from stave import formatting
from stave.formatting import Answer, render
from stave.shell.results import Row, ScanResult


def parse_csv(text):
    return list(csv.reader(io.StringIO(text)))


def test_to_string_binary_matches_hbase():
    assert formatting.to_string_binary(b'ab\x00\xff~\x7f') == 'ab\\x00\\xFF~\\x7F'


def test_show_bytes_prefers_readable_text():
    assert formatting.show_bytes(b'hello world!') == 'hello world!'
    assert formatting.show_bytes('caf\u00e9'.encode('utf-8')) == 'caf\u00e9'
    assert formatting.show_bytes(b'\x00\x00\x00\x05') == '\\x00\\x00\\x00\\x05'
    assert formatting.show_bytes(b'line\nbreak') == 'line\\x0Abreak'
    assert formatting.show_bytes(b'\xff\xfe') == '\\xFF\\xFE'
    assert formatting.show_bytes(b'') == ''


def test_one_result_renders_as_text_json_and_csv():
    answer = Answer(['path', 'line', 'tests'], [['app/db.py', 12, 3], ['app/x, "y".py', 4, 1]],
                    [['app/db.py', 12, 3], ['app/x, "y".py', 4, 1]])
    assert render(answer, 'text') == 'app/db.py\t12\t3\napp/x, "y".py\t4\t1\n'
    assert json.loads(render(answer, 'json')) == [['app/db.py', 12, 3], ['app/x, "y".py', 4, 1]]
    assert render(answer, 'json').count('\n') == 1
    assert parse_csv(render(answer, 'csv')) == [['path', 'line', 'tests'], ['app/db.py', '12', '3'],
                                                ['app/x, "y".py', '4', '1']]


def test_a_result_without_a_value_shows_one_object_per_row_in_json():
    answer = Answer(['test', 'outcome'], [['t::a', 'passed'], ['t::b', None]])
    assert json.loads(answer.to_json()) == [{'test': 't::a', 'outcome': 'passed'}, {'test': 't::b', 'outcome': None}]
    assert parse_csv(answer.to_csv())[2] == ['t::b', '']


def test_a_cell_holding_a_dict_shows_as_its_json_in_text_and_csv():
    answer = Answer(['name', 'value'], [['last_run', {'id': 'r1', 'command': 'stave import x'}]])
    expected = '{"command": "stave import x", "id": "r1"}'
    assert render(answer, 'text') == 'last_run\t%s\n' % expected
    assert parse_csv(render(answer, 'csv'))[1] == ['last_run', expected]


def test_bytes_that_are_not_utf8_show_as_hex_escapes_in_text_json_and_csv():
    row = Row(b'r\xff', [(b'f:q', 7, b'caf\xe9')], time.time())
    scan = ScanResult(lambda: iter([row]), time.time())
    assert render(scan, 'text') == 'r\\xFF\tf:q\t7\tcaf\\xE9\n'
    assert json.loads(render(scan, 'json')) == [{'row': 'r\\xFF', 'column': 'f:q', 'timestamp': 7,
                                                 'value': 'caf\\xE9'}]
    assert parse_csv(render(scan, 'csv'))[1] == ['r\\xFF', 'f:q', '7', 'caf\\xE9']
    # raw bytes in an answer's cells and value (also as keys) show the same way
    answer = Answer(['key'], [[b'\x00\xff']], {b'\xfe': [b'ok', b'\x01']})
    assert render(answer, 'text') == '\\x00\\xFF\n'
    assert parse_csv(render(answer, 'csv'))[1] == ['\\x00\\xFF']
    assert json.loads(render(answer, 'json')) == {'\\xFE': ['ok', '\\x01']}


def test_unknown_format_is_a_value_error():
    try:
        render(Answer(['x'], []), 'xml')
    except ValueError as exc:
        assert 'xml' in str(exc)
    else:
        raise AssertionError('render accepted xml')


def test_the_shell_result_and_the_cli_answer_to_the_same_question_render_identical_json_and_csv(tmp_path):
    # "How is table lines set up?": the shell's describe() and `stave info` answer it.
    from stave.cli import run_info
    from stave.shell.namespace import build_namespace
    from stave.store import connect
    url = 'sqlite:///' + str(tmp_path / 's.db')
    with connect(url) as store:
        store.create_table('lines', {'t': {'max_versions': 3}, 'u': {}})
        store.disable_table('lines')
        described = build_namespace(store)['c'].table('lines').describe()
        answers = {}
        for fmt in ('json', 'csv'):
            out = io.StringIO()
            assert run_info(store, url, out, fmt) == 0
            answers[fmt] = out.getvalue()
    assert answers['csv'] == described.to_csv()
    assert answers['json'] == formatting.to_json([described.to_python()]) + '\n'
    assert json.loads(answers['json'])[0]['families']['t']['max_versions'] == 3
    assert parse_csv(answers['csv'])[0][:4] == ['table', 'enabled', 'family', 'max_versions']
    assert parse_csv(answers['csv'])[1][:4] == ['lines', 'False', 't', '3']
