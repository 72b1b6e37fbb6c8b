"""CPython and Jython share store files: each runtime reads what the other wrote."""
import os
import subprocess
import sys
import textwrap
import time

import pytest

from stave.store import connect

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
pytestmark = pytest.mark.slow


def jvm_classpath():
    try:
        result = subprocess.run([os.path.join(ROOT, 'classpath')], capture_output=True, text=True)
    except OSError as exc:
        return None, str(exc)
    return (result.stdout.strip(), None) if result.returncode == 0 else (None, result.stderr.strip())


def run_jython(code):
    classpath, problem = jvm_classpath()
    if classpath is None:
        pytest.skip('no Jython here: %s' % problem)
    env = dict(os.environ, JYTHONPATH=ROOT)
    result = subprocess.run(['java', '-Xss2m', '-cp', classpath, 'org.python.util.jython', '-c', textwrap.dedent(code)],
                            capture_output=True, text=True, env=env, timeout=300)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_jython_reads_what_cpython_wrote_and_the_other_way(tmp_path):
    url = 'sqlite:///' + str(tmp_path / 'shared.db')
    with connect(url) as store:
        store.create_table('from_cpython', {'f': {'max_versions': 2}})
        table = store.table('from_cpython')
        table.put(b'r\xff', {b'f:q': b'\x00old'}, timestamp=1000)
        table.put(b'r\xff', {b'f:q': b'\x00new'}, timestamp=2000)
        table.counter_inc(b'n', b'f:c', 41)
    out = run_jython('''
        from stave.store import connect
        store = connect(%r)
        table = store.table('from_cpython')
        print(repr(table.cells(b'r\\xff', b'f:q', include_timestamp=True)))
        print(table.counter_inc(b'n', b'f:c'))
        store.create_table('from_jython', {'g': {}})
        store.table('from_jython').put(b'k', {b'g:x': u'h\\xe9'.encode('utf-8')})
        store.close()
    ''' % url)
    assert out.splitlines() == ["[('\\x00new', 2000), ('\\x00old', 1000)]", '42']
    with connect(url) as store:
        assert store.tables() == [b'from_cpython', b'from_jython']
        assert store.table('from_jython').row(b'k') == {b'g:x': 'h\u00e9'.encode('utf-8')}
        assert store.table('from_cpython').counter_get(b'n', b'f:c') == 42
    import sqlite3
    assert sqlite3.connect(str(tmp_path / 'shared.db')).execute('PRAGMA integrity_check').fetchone() == ('ok',)


def test_the_shell_on_the_jvm_answers_at_its_prompt_and_exits_on_ctrl_d(tmp_path):
    import pexpect
    classpath, problem = jvm_classpath()
    if classpath is None:
        pytest.skip('no Jython here: %s' % problem)
    from stave.jvm import JVM_FLAGS, SITE
    if not os.path.isdir(SITE):
        pytest.skip('the shell needs CherryPy for Jython: run `ant deps` first')
    url = 'sqlite:///' + str(tmp_path / 'map.db')
    with connect(url) as store:
        from stave.testmap import MapWriter
        MapWriter(store).write({'tests/test_db.py::test_save': {'app/db.py': {11, 12}}})
    env = dict(os.environ, STAVE_HISTORY=str(tmp_path / 'history'))
    child = pexpect.spawn('java', JVM_FLAGS + ['-cp', classpath, 'org.python.util.jython',
                                               os.path.join(ROOT, 'stave.py'), '--store', url],
                          encoding='utf-8', timeout=120, env=env, cwd=str(tmp_path))
    try:
        child.expect('>>> ')
        child.sendline("tm.tests_for('app/db.py', 12)")
        child.expect(r"\['tests/test_db.py::test_save'\]")
        child.expect('>>> ')
        child.sendcontrol('d')
        child.expect(pexpect.EOF)
    finally:
        child.close(force=True)
    assert child.exitstatus == 0


# -- the console at a terminal on the JVM (JLine): completion, history, Ctrl-C, Ctrl-D ---------------------

PROMPT = '>>> '
UP = '\x1b[A'


def spawn_jvm_shell(tmp_path, url):
    """`stave --store URL` on the JVM in a pseudo-terminal, at its first prompt."""
    import pexpect
    classpath, problem = jvm_classpath()
    if classpath is None:
        pytest.skip('no Jython here: %s' % problem)
    from stave.jvm import JVM_FLAGS, SITE
    if not os.path.isdir(SITE):
        pytest.skip('the shell needs CherryPy for Jython: run `ant deps` first')
    env = dict(os.environ, STAVE_HISTORY=str(tmp_path / 'history'), HOME=str(tmp_path), TERM='xterm')
    env.pop('STAVE_STORE', None)
    child = pexpect.spawn('java', JVM_FLAGS + ['-Duser.home=' + str(tmp_path), '-cp', classpath,
                                               'org.python.util.jython', os.path.join(ROOT, 'stave.py'),
                                               '--store', url],
                          encoding='utf-8', timeout=60, env=env, cwd=str(tmp_path), dimensions=(50, 200))
    child.expect_exact(PROMPT)
    return child


def jvm_run(child, line, timeout=30):
    """Type a line and return what it printed before the next prompt."""
    child.sendline(line)
    child.expect_exact(PROMPT, timeout=timeout)
    return child.before


def jvm_finish(child):
    """Ctrl-D at the prompt; returns the exit status."""
    import pexpect
    child.sendcontrol('d')
    child.expect(pexpect.EOF, timeout=30)
    child.close()
    return child.exitstatus


def test_the_jvm_shell_completes_cancels_interrupts_and_keeps_its_history(tmp_path):
    url = 'sqlite:///' + str(tmp_path / 'store.db')
    with connect(url) as store:
        store.create_table('big', {'f': {}})
        with store.table('big').batch(batch_size=10000) as batch:
            for i in range(200000):
                batch.put(b'row%06d' % i, {b'f:q': b'v'})
    child = spawn_jvm_shell(tmp_path, url)
    try:
        # Tab: an ambiguous prefix completes as far as it goes and lists the choices...
        child.send('c.ta\t')
        child.expect_exact('c.table')
        child.expect_exact('c.table(')
        child.expect_exact('c.tables(')
        child.sendcontrol('u')
        jvm_run(child, '')
        # ... a unique one completes.
        child.send('c.li\t')
        child.expect_exact('c.list_tables(')
        assert 'TABLE' in jvm_run(child, ')') and 'big' in child.before

        # Ctrl-C at the prompt drops the half-typed line; the next line reads clean.
        child.send("c.table('big').sca")
        child.expect_exact("c.table('big').sca")
        child.sendintr()
        child.expect_exact('KeyboardInterrupt', timeout=10)
        child.expect_exact(PROMPT, timeout=10)
        output = jvm_run(child, "print('after' + ' ctrl-c')")
        assert 'after ctrl-c' in output and '\x00' not in output and 'Error' not in output

        # Ctrl-C during a command: a blocking call, a long scan at the prompt, a pure Python loop.
        child.sendline('import time; time.sleep(30)')
        child.expect_exact('time.sleep(30)')
        time.sleep(1)
        started = time.time()
        child.sendintr()
        child.expect_exact('Interrupted', timeout=10)
        child.expect_exact(PROMPT, timeout=10)
        assert time.time() - started < 5
        child.sendline("c.table('big').scan()")
        child.expect_exact('row000100', timeout=30)  # the scan is streaming
        child.sendintr()
        child.expect_exact('Interrupted', timeout=10)
        child.expect_exact(PROMPT, timeout=10)
        assert '200000 row(s)' not in child.before
        child.sendline('while True: pass')
        child.sendline('')
        time.sleep(1)
        child.sendintr()
        child.expect_exact('Interrupted', timeout=10)
        child.expect_exact(PROMPT, timeout=10)
        assert '2' in jvm_run(child, '1 + 1')  # the JVM is still there

        # A question at the prompt reads through the same reader.
        jvm_run(child, "c.table('t').create(['f'])")
        child.sendline("c.table('t').drop()")
        child.expect_exact('[y/N]')
        child.sendline('y')
        child.expect_exact('Dropped table t')
        child.expect_exact(PROMPT)
        jvm_run(child, "print('from' + ' the first session')")
        assert jvm_finish(child) == 0  # Ctrl-D
    finally:
        child.close(force=True)
    assert "print('after' + ' ctrl-c')" in (tmp_path / 'history').read_text()

    child = spawn_jvm_shell(tmp_path, url)  # the history is there in the next session
    try:
        child.send(UP)
        child.sendline('')
        child.expect_exact('from the first session')
        child.expect_exact(PROMPT)
        assert jvm_finish(child) == 0
    finally:
        child.close(force=True)


def test_jython_stave_py_relaunches_and_ctrl_c_is_the_shells_alone(tmp_path):
    # Debian's `jython` runs `java -jar`, so stave.py relaunches itself through ./classpath;
    # both JVMs get the terminal's SIGINT, and only the shell may act on it.
    import pexpect
    import shutil
    if shutil.which('jython') is None:
        pytest.skip('no jython command here')
    from stave.jvm import SITE
    if not os.path.isdir(SITE):
        pytest.skip('the shell needs CherryPy for Jython: run `ant deps` first')
    env = dict(os.environ, STAVE_HISTORY=str(tmp_path / 'history'))
    env.pop('STAVE_RELAUNCHED', None)
    child = pexpect.spawn('jython', [os.path.join(ROOT, 'stave.py'), '--store', 'sqlite:///s.db'],
                          encoding='utf-8', timeout=60, env=env, cwd=str(tmp_path))
    try:
        child.expect_exact(PROMPT)
        child.sendline('import time; time.sleep(30)')
        child.expect_exact('time.sleep(30)')
        time.sleep(1)
        child.sendintr()
        child.expect_exact('Interrupted', timeout=10)
        child.expect_exact(PROMPT)
        assert '2' in jvm_run(child, '1 + 1')
        assert jvm_finish(child) == 0  # the launching JVM waited, and exits with the shell's status
    finally:
        child.close(force=True)


@pytest.mark.hbase
def test_the_original_session_reads_the_same_on_the_jvm_over_sqlite_and_hbase(tmp_path):
    # Same command objects, results and display on both runtimes and on the Java client's
    # backend, there against the suite's real HBase (./classpath adds build/hbase-jars).
    from hbase_server import LOCAL
    from test_cli import ORIGINAL_SESSION, normalise
    classpath, problem = jvm_classpath()
    if classpath is None:
        pytest.skip('no Jython here: %s' % problem)
    from stave.jvm import JVM_FLAGS, SITE
    if not os.path.isdir(SITE):
        pytest.skip('run `ant deps` first (.ci/run does)')

    def session(command, url):
        result = subprocess.run(command + [os.path.join(ROOT, 'stave.py'), '--store', url], input=ORIGINAL_SESSION,
                                capture_output=True, text=True, timeout=300, cwd=str(tmp_path))
        assert (result.returncode, result.stderr) == (0, '')
        return normalise(result.stdout)

    on_cpython = session([sys.executable], 'sqlite:///' + str(tmp_path / 'cpython.db'))
    jvm = ['java'] + JVM_FLAGS + ['-cp', classpath, 'org.python.util.jython']
    assert session(jvm, 'sqlite:///' + str(tmp_path / 'jvm.db')) == on_cpython
    hbase_url = LOCAL.url('hbase')
    drop_tables = 'from hbase_server import drop_all_tables; drop_all_tables(%r)' % hbase_url
    run_jython('import sys; sys.path.append(%r); %s' % (os.path.join(ROOT, 'tests'), drop_tables))
    try:
        assert session(jvm, hbase_url) == on_cpython
    finally:
        run_jython('import sys; sys.path.append(%r); %s' % (os.path.join(ROOT, 'tests'), drop_tables))
    assert 'hello world!' in on_cpython
