"""The interactive shell in a pseudo-terminal, driven as a person would."""
import os
import signal
import sqlite3
import sys

import pexpect
import pytest

from stave.store import connect

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PROMPT = '>>> '
UP = '\x1b[A'


@pytest.fixture
def store_url(tmp_path):
    return 'sqlite:///' + str(tmp_path / 'store.db')


def spawn(tmp_path, store_url):
    env = dict(os.environ, PYTHONPATH=ROOT, HOME=str(tmp_path), TERM='xterm',
               STAVE_HISTORY=str(tmp_path / 'history'))
    env.pop('STAVE_STORE', None)
    child = pexpect.spawn(sys.executable, [os.path.join(ROOT, 'stave.py'), '--store', store_url],
                          env=env, encoding='utf-8', timeout=30, dimensions=(50, 200))
    child.expect_exact(PROMPT)
    return child


def run(child, line):
    """Type a line and return what it printed before the next prompt."""
    child.sendline(line)
    child.expect_exact(PROMPT)
    return child.before


def finish(child):
    child.sendcontrol('d')
    child.expect(pexpect.EOF)
    child.close()
    return child.exitstatus


def test_banner_session_and_ctrl_d(tmp_path, store_url):
    child = spawn(tmp_path, store_url)
    assert 'stave ' in child.before and store_url in child.before and 'Ctrl-D exits' in child.before
    assert 'Created table myTable' in run(child, "c.table('myTable').create(families=['aFamily:'])")
    run(child, "c.table('myTable').row('aRow').put('aFamily', 'aColumn', 'hello world!')")
    assert "'hello world!'" in run(child, "c.table('myTable').row('aRow').get('aFamily', 'aColumn')")
    output = run(child, "c.table('myTable').scan()")
    assert 'ROW' in output and 'column=aFamily:aColumn' in output and '1 row(s)' in output
    assert finish(child) == 0


def test_tab_completes_names_and_commands(tmp_path, store_url):
    child = spawn(tmp_path, store_url)
    child.send('c.li\t')
    # Python 3.11+ closes the call too, as list_tables takes no arguments. Decided by version,
    # not by what has arrived so far: the ')' may still be on its way when '(' is read.
    closes = sys.version_info >= (3, 11)
    child.expect_exact('c.list_tables()' if closes else 'c.list_tables(')
    child.sendline('' if closes else ')')
    child.expect_exact('TABLE')
    child.expect_exact(PROMPT)
    child.send('c.ta\t')  # ambiguous: Tab lists the candidates, then redraws the line
    child.expect_exact('c.table(')
    child.expect_exact('c.tables(')
    child.expect_exact(PROMPT + 'c.table')  # the redrawn line, not yet a new prompt
    child.sendcontrol('u')
    child.sendline('')
    # The new prompt follows the empty line; Ctrl-D sent before it would reach a shell that is
    # still between two lines and be lost.
    child.expect_exact('\r\n' + PROMPT)
    assert finish(child) == 0


def test_history_within_and_across_sessions(tmp_path, store_url):
    child = spawn(tmp_path, store_url)
    run(child, 'x = 41')
    assert '42' in run(child, 'x + 1')
    child.send(UP)
    child.sendline('')
    child.expect_exact('42')
    child.expect_exact(PROMPT)
    run(child, "print('from' + ' the first session')")
    assert finish(child) == 0
    assert 'x = 41' in (tmp_path / 'history').read_text()
    child = spawn(tmp_path, store_url)
    child.send(UP)
    child.sendline('')
    child.expect_exact('from the first session')
    assert finish(child) == 0


def test_ctrl_c_cancels_the_line_and_a_long_scan(tmp_path, store_url):
    with connect(store_url) as store:
        store.create_table('big', {'f': {}})
        with store.table('big').batch(batch_size=10000) as batch:
            for i in range(100000):
                batch.put(b'row%06d' % i, {b'f:q': b'v'})
    child = spawn(tmp_path, store_url)
    child.send("c.table('big').sca")
    child.expect_exact("c.table('big').sca")  # readline has the line: now interrupt it
    child.sendintr()
    child.expect_exact('KeyboardInterrupt')
    child.expect_exact(PROMPT)
    child.sendline("c.table('big').scan()")
    child.expect_exact('row000100')  # the scan is streaming
    child.sendintr()
    child.expect_exact('Interrupted')
    child.expect_exact(PROMPT)
    assert '100000 row(s)' not in child.before
    assert '2' in run(child, '1 + 1')  # the shell is still alive
    assert finish(child) == 0


def test_drop_asks_for_confirmation(tmp_path, store_url):
    child = spawn(tmp_path, store_url)
    run(child, "c.table('t').create(['f'])")
    child.sendline("c.table('t').drop()")
    child.expect_exact('Drop table t and all its data? [y/N]')
    child.sendline('n')
    child.expect_exact('Not dropped')
    child.expect_exact(PROMPT)
    child.sendline("c.table('t').drop()")
    child.expect_exact('[y/N]')
    child.sendline('y')
    child.expect_exact('Dropped table t')
    child.expect_exact(PROMPT)
    assert "[]" in run(child, 'list(c.list_tables())')
    assert finish(child) == 0


def test_errors_are_one_line_at_the_prompt(tmp_path, store_url):
    child = spawn(tmp_path, store_url)
    output = run(child, "c.table('nope').scan()")
    assert 'error: table nope does not exist' in output and 'Traceback' not in output
    assert finish(child) == 0


@pytest.mark.parametrize('signum', [signal.SIGTERM, signal.SIGHUP])
def test_sigterm_and_sighup_close_the_store_and_exit_cleanly(tmp_path, store_url, signum):
    child = spawn(tmp_path, store_url)
    run(child, "c.table('t').create(['f'])")
    run(child, "c.table('t').put('r', 'f:q', 'kept')")
    child.kill(signum)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0, (child.exitstatus, child.signalstatus)
    path = store_url[len('sqlite:///'):]
    db = sqlite3.connect(path)
    assert db.execute('PRAGMA integrity_check').fetchone() == ('ok',)
    db.close()
    assert not os.path.exists(path + '-wal') or os.path.getsize(path + '-wal') == 0  # closed cleanly
    with connect(store_url) as store:
        assert store.table('t').row(b'r') == {b'f:q': b'kept'}
