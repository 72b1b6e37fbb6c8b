"""The command line, run as a user runs it: real subprocesses, real files."""
import json
import os
import subprocess
import sys

import stave

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def run_stave(*args, cwd=None, env=None, input_text=''):
    """Run stave.py in a subprocess with stdin piped (not a terminal)."""
    full_env = dict(os.environ, PYTHONPATH=ROOT)
    full_env.pop('STAVE_STORE', None)
    full_env.update(env or {})
    return subprocess.run([sys.executable, os.path.join(ROOT, 'stave.py')] + list(args),
                          cwd=cwd, env=full_env, input=input_text, capture_output=True, text=True,
                          timeout=60)


def test_version():
    result = run_stave('--version')
    assert result.returncode == 0
    assert result.stdout.strip() == 'stave %s' % stave.__version__


def test_info_creates_and_describes_the_default_store(tmp_path):
    (tmp_path / 'pyproject.toml').write_text('')
    result = run_stave('info', cwd=str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert (tmp_path / '.stave' / 'stave.db').is_file()
    assert '0 table(s)' in result.stdout


def test_info_lists_tables_of_a_store_named_by_the_environment(tmp_path):
    from stave.store import connect
    path = str(tmp_path / 'other.db')
    with connect('sqlite:///' + path) as store:
        store.create_table('lines', {'t': {'max_versions': 1}})
        store.disable_table('lines')
    result = run_stave('info', env={'STAVE_STORE': 'sqlite:///' + path})
    assert result.returncode == 0, result.stderr
    assert 'lines  disabled  t(max_versions=1)' in result.stdout


def test_bad_store_is_one_clear_line_and_status_1(tmp_path):
    bogus = tmp_path / 'notes.txt'
    bogus.write_text('hello\n')
    result = run_stave('info', '--store', str(bogus))
    assert result.returncode == 1
    assert result.stderr.startswith('stave: error: ')
    assert 'not an SQLite database' in result.stderr and 'Traceback' not in result.stderr
    assert bogus.read_text() == 'hello\n'


def test_usage_errors_exit_2():
    assert run_stave('no-such-command').returncode == 2
    assert run_stave('-c', 'pass', 'info').returncode == 2
    assert run_stave('run').returncode == 2


def test_every_command_has_help():
    for command in ([], ['shell'], ['run'], ['info']):
        result = run_stave(*(command + ['--help']))
        assert result.returncode == 0, command
        assert '--store' in result.stdout and 'usage: stave' in result.stdout


ORIGINAL_SESSION = """\
c.table('myTable').create(families=['aFamily:'])
c.table('myTable').list_families()
c.table('myTable').row('aRow').put('aFamily', 'aColumn', 'hello world!')
c.table('myTable').row('aRow').get('aFamily', 'aColumn')
list(c.table('myTable').scan())
c.table('myTable').scan()
"""


def normalise(text):
    """Replace the varying parts (durations, timestamps) so lines compare exactly."""
    import re
    text = re.sub(r'Took \d+\.\d{4} seconds', 'Took N seconds', text)
    return re.sub(r'timestamp=\d+', 'timestamp=T', text)


def test_piped_original_session_line_by_line(tmp_path):
    result = run_stave('--store', 'sqlite:///' + str(tmp_path / 's.db'), input_text=ORIGINAL_SESSION)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ''
    assert normalise(result.stdout).split('\n') == [
        'Created table myTable',
        'Took N seconds',
        'FAMILY',
        'aFamily',
        '1 row(s)',
        'Took N seconds',
        'Took N seconds',
        "'hello world!'",
        "[('aRow', {'aFamily:aColumn': 'hello world!'})]",
        'ROW                     COLUMN+CELL',
        ' aRow                   column=aFamily:aColumn, timestamp=T, value=hello world!',
        '1 row(s)',
        'Took N seconds',
        '',
    ]


def test_piped_session_reports_errors_in_one_line_and_exits_1(tmp_path):
    session = "c.table('nope').scan()\nprint('still here')\n"
    result = run_stave('shell', '--store', 'sqlite:///' + str(tmp_path / 's.db'), input_text=session)
    assert result.returncode == 1
    assert result.stderr == 'error: table nope does not exist (hint: check the name against the list of tables)\n'
    assert result.stdout == 'still here\n'


def test_debug_shows_tracebacks(tmp_path):
    result = run_stave('--debug', '--store', 'sqlite:///' + str(tmp_path / 's.db'),
                       input_text="c.table('nope').scan()\n")
    assert 'Traceback' in result.stderr and 'TableNotFoundError' in result.stderr
    assert 'Bus STARTED' in result.stderr and 'Bus EXITED' in result.stderr  # the bus log, too


def test_one_liner_shows_a_lone_expression(tmp_path):
    url = 'sqlite:///' + str(tmp_path / 's.db')
    assert run_stave('--store', url, '-c', "c.table('t').create(['f'])").returncode == 0
    assert run_stave('-c', "c.table('t').put('r', 'f:q', 'v')", '--store', url).returncode == 0
    result = run_stave('--store', url, '-c', "c.table('t').row('r').get('f', 'q')")
    assert (result.returncode, result.stdout) == (0, "'v'\n")
    result = run_stave('--store', url, '-c', "x = c.table('t').count()\nprint(int(x) * 10)")
    assert (result.returncode, result.stdout) == (0, '10\n')


def test_one_liner_errors(tmp_path):
    url = 'sqlite:///' + str(tmp_path / 's.db')
    result = run_stave('--store', url, '-c', "c.table('nope').count()")
    assert result.returncode == 1
    assert result.stderr.startswith('stave: error: table nope does not exist')
    result = run_stave('--store', url, '-c', 'def (')
    assert result.returncode == 2 and 'SyntaxError' in result.stderr
    result = run_stave('--store', url, '-c', '1/0')
    assert result.returncode == 1 and 'ZeroDivisionError' in result.stderr


def test_run_script_with_arguments_and_exit_status(tmp_path):
    script = tmp_path / 'fill.py'
    script.write_text(
        'import sys\n'
        "table = c.table('t')\n"
        "table.create(['f'])\n"
        'for key in sys.argv[1:]:\n'
        "    table.put(key, 'f:q', key.upper())\n"
        "print(__name__, len(list(table.scan())))\n"
        'sys.exit(3)\n')
    url = 'sqlite:///' + str(tmp_path / 's.db')
    result = run_stave('run', '--store', url, str(script), 'a', 'b')
    assert result.returncode == 3, result.stderr
    assert result.stdout == '__main__ 2\n'  # options after SCRIPT are the script's own
    result = run_stave('--store', url, '-c', "c.table('t').row('b').get('f', 'q')")
    assert result.stdout == "'B'\n"


def test_run_missing_script_is_a_usage_error(tmp_path):
    result = run_stave('run', '--store', 'sqlite:///' + str(tmp_path / 's.db'), str(tmp_path / 'missing.py'))
    assert result.returncode == 2 and 'cannot read script' in result.stderr


def test_store_from_pyproject_tool_table(tmp_path):
    (tmp_path / 'pyproject.toml').write_text('[project]\nname = "x"\n\n[tool.stave]\nstore = "sqlite:///maps/map.db"\n')
    (tmp_path / 'sub').mkdir()
    result = run_stave('info', cwd=str(tmp_path / 'sub'))
    assert result.returncode == 0, result.stderr
    assert (tmp_path / 'maps' / 'map.db').is_file()
    assert 'store: sqlite:///' + str(tmp_path / 'maps' / 'map.db') in result.stdout
    env_result = run_stave('info', cwd=str(tmp_path), env={'STAVE_STORE': 'sqlite:///' + str(tmp_path / 'env.db')})
    assert 'env.db' in env_result.stdout


def test_store_that_will_not_open_is_one_line_and_status_1(tmp_path):
    bogus = tmp_path / 'notes.txt'
    bogus.write_text('hello\n')
    for args in (['-c', 'pass'], ['shell'], ['info']):
        result = run_stave('--store', str(bogus), *args, input_text='')
        assert result.returncode == 1, (args, result.stderr)
        assert result.stderr.count('\n') == 1 and 'not an SQLite database' in result.stderr


def test_query_answers_as_text_json_and_csv(tmp_path):
    (tmp_path / 'pyproject.toml').write_text('')
    trace = tmp_path / 'trace.jsonl'
    trace.write_text('{"test": "t.py::b", "path": "app/db.py", "lines": [11, 12]}\n'
                     '{"test": "t.py::a", "path": "app/db.py", "lines": [11]}\n')
    url = 'sqlite:///' + str(tmp_path / 's.db')
    assert run_stave('--store', url, 'import', str(trace), cwd=str(tmp_path)).returncode == 0

    def query(*args):
        result = run_stave('--store', url, 'query', *args, cwd=str(tmp_path))
        assert result.returncode == 0, result.stderr
        return result.stdout
    assert query('tests-for', 'app/db.py', '11') == 't.py::a\nt.py::b\n'
    assert query('tests-for', 'app/db.py', '11', '--format', 'json') == '["t.py::a", "t.py::b"]\n'
    assert query('tests-for-file', 'app/db.py', '--format', 'csv') == 'line,test\n11,t.py::a\n11,t.py::b\n12,t.py::b\n'
    assert query('tests-for-file', 'app/db.py', '--format', 'json') == '{"11": ["t.py::a", "t.py::b"], "12": ["t.py::b"]}\n'
    assert query('lines-for', 't.py::b') == 'app/db.py\t11\napp/db.py\t12\n'


def test_a_query_without_an_answer_exits_1_and_a_bad_argument_2(tmp_path):
    (tmp_path / 'pyproject.toml').write_text('')
    trace = tmp_path / 'trace.jsonl'
    trace.write_text('{"test": "t.py::a", "path": "app/db.py", "lines": [11]}\n')
    url = 'sqlite:///' + str(tmp_path / 's.db')
    assert run_stave('--store', url, 'import', str(trace), cwd=str(tmp_path)).returncode == 0
    nothing = run_stave('--store', url, 'query', 'tests-for', 'app/db.py', '99', '--format', 'csv', cwd=str(tmp_path))
    assert (nothing.returncode, nothing.stdout) == (1, 'test\n')
    bad = run_stave('--store', url, 'query', 'tests-for', 'app/db.py', 'eleven', cwd=str(tmp_path))
    assert bad.returncode == 2 and bad.stderr.startswith('stave: error: ')


def test_info_describes_the_tables_as_json_and_csv(tmp_path):
    from stave.store import connect
    url = 'sqlite:///' + str(tmp_path / 's.db')
    with connect(url) as store:
        store.create_table('lines', {'t': {'max_versions': 1}})
    result = run_stave('--store', url, 'info', '--format', 'json')
    assert result.returncode == 0, result.stderr
    [table] = json.loads(result.stdout)
    assert (table['table'], table['enabled'], table['families']['t']['max_versions']) == ('lines', True, 1)
    csv_lines = run_stave('--store', url, 'info', '--format', 'csv').stdout.split('\n')
    assert csv_lines[0].startswith('table,enabled,family,max_versions,time_to_live,')
    assert csv_lines[1].startswith('lines,True,t,1,2147483647,')
