"""What the JVM side adds to the conformance suite: the JDBC driver's edges,
the process bus and the command line, under Jython."""
from __future__ import absolute_import, division, print_function, unicode_literals

import os
import shutil
import subprocess
import sys
import tempfile
import unittest

from stave.errors import StoreOpenError
from stave.store import connect

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class JvmChecks(unittest.TestCase):

    def setUp(self):
        self.directory = tempfile.mkdtemp(prefix='stave-jvm-')

    def tearDown(self):
        shutil.rmtree(self.directory, ignore_errors=True)

    def test_the_store_uses_sqlite_jdbc(self):
        from stave.store.sqlite.engine import default_driver
        self.assertEqual(default_driver().__name__, 'JdbcDriver')

    def test_every_byte_value_round_trips(self):
        every = b''.join(chr(i) if sys.version_info[0] == 2 else bytes([i]) for i in range(256))
        with connect('sqlite:///' + os.path.join(self.directory, 's.db')) as store:
            store.create_table('t', {'f': {}})
            store.table('t').put(every, {b'f:' + every: every})
            self.assertEqual(store.table('t').row(every), {b'f:' + every: every})

    def test_a_table_can_be_dropped_after_a_scan_was_abandoned(self):
        # The abandoned scan's JDBC statement lives until the JVM finalizes its generator.
        with connect('sqlite:///' + os.path.join(self.directory, 's.db')) as store:
            store.create_table('t', {'f': {}})
            table = store.table('t')
            with table.batch() as batch:
                for i in range(1000):
                    batch.put(b'r%04d' % i, {b'f:q': b'v'})

            def first_rows():
                for count, _ in enumerate(table.scan()):
                    if count == 10:
                        return count
            self.assertEqual(first_rows(), 10)
            store.delete_table('t', disable=True)
            self.assertEqual(store.tables(), [])

    def test_a_file_that_is_not_a_store_is_refused_and_kept(self):
        path = os.path.join(self.directory, 'notes.txt')
        with open(path, 'wb') as handle:
            handle.write(b'not a database, just text\n' * 100)
        with self.assertRaises(StoreOpenError):
            connect('sqlite:///' + path)
        with open(path, 'rb') as handle:
            self.assertEqual(handle.read(), b'not a database, just text\n' * 100)

    def test_the_command_line_runs_on_the_bus(self):
        from stave.bus.cherrypy_process import load
        wspbus, plugins = load()
        self.assertTrue(hasattr(wspbus, 'Bus') and hasattr(plugins, 'SimplePlugin'))
        store = 'sqlite:///' + os.path.join(self.directory, 'cli.db')
        # Debian's jython wrapper ignores the class path: stave.py relaunches itself through ./classpath.
        process = subprocess.Popen(
            ['jython', os.path.join(ROOT, 'stave.py'), '--store', store, '-c',
             "c.table('t').create(families=['f']); c.table('t').row('r').put('f', 'q', 'v')"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        out, err = process.communicate()
        self.assertEqual(process.returncode, 0, err)
        with connect(store) as opened:
            self.assertEqual(opened.table('t').row(b'r'), {b'f:q': b'v'})

    def test_plain_values_show_as_on_cpython(self):
        from stave.shell.display import python_repr
        self.assertEqual(python_repr([u'tests/t.py::test', b'\x00b', {u'k': (1,)}, 2 ** 70]),
                         "['tests/t.py::test', b'\\x00b', {'k': (1,)}, 1180591620717411303424]")

    def test_the_test_map_imports_and_answers_on_the_jvm(self):
        trace = os.path.join(self.directory, 'trace.jsonl')
        with open(trace, 'w') as handle:
            handle.write('{"test": "tests/test_db.py::test_save", "path": "app/db.py", "lines": [10, 11]}\n'
                         '{"test": "tests/test_db.py::test_load", "path": "app/db.py", "lines": [11, 20]}\n')
        store = 'sqlite:///' + os.path.join(self.directory, 'map.db')
        for args, expected in ((['import', trace], 'trace.jsonl: 2 tests'),
                               (['query', 'tests-for', 'app/db.py', '11', '--format', 'json'],
                                '["tests/test_db.py::test_load", "tests/test_db.py::test_save"]'),
                               (['-c', "tm.tests_for('app/db.py', 20)"], "['tests/test_db.py::test_load']")):
            process = subprocess.Popen(['jython', os.path.join(ROOT, 'stave.py'), '--store', store] + args,
                                       stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            out, err = process.communicate()
            self.assertEqual(process.returncode, 0, err)
            self.assertIn(expected, (out + err).decode('utf-8'))
