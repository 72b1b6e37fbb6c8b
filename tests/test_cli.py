"""The command line, run as a user runs it: real subprocesses, real files."""
import os
import subprocess
import sys

import stave

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def run_stave(*args, cwd=None, env=None):
    full_env = dict(os.environ, PYTHONPATH=ROOT)
    full_env.pop('STAVE_STORE', None)
    full_env.update(env or {})
    return subprocess.run([sys.executable, os.path.join(ROOT, 'stave.py')] + list(args),
                          cwd=cwd, env=full_env, capture_output=True, text=True, timeout=60)


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
    assert run_stave().returncode == 2
    help_result = run_stave('info', '--help')
    assert help_result.returncode == 0 and '--store' in help_result.stdout
