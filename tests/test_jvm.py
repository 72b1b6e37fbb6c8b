"""CPython and Jython share store files: each runtime reads what the other wrote."""
import os
import subprocess
import sys
import textwrap

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
