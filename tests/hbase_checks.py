"""What the hbase:// backend adds to the conformance suite, under Jython.

Runs against the FAKE HBase client of tests/fake_hbase (in-memory stand-ins
for HBase 2.x's client classes; no HBase jar exists on these machines), so it
checks stave's side: URL to Configuration, HBase's ParseFilter used for
filter strings, Java exceptions turned into stave errors, connections
closed, the test map and the shell over the Java client.
"""
from __future__ import absolute_import, division, print_function, unicode_literals

import os
import subprocess
import unittest

from store_backends import FakeHBaseProvider
from stave.errors import FilterSyntaxError, NoSuchColumnFamilyError, TableNotEnabledError, TableNotFoundError
from stave.store import connect

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PROVIDER = FakeHBaseProvider()
REASON = PROVIDER.unavailable_reason()


@unittest.skipIf(REASON, REASON)
class HBaseBackendChecks(unittest.TestCase):

    def setUp(self):
        self.url = PROVIDER.start(None)
        self.store = connect(self.url)

    def tearDown(self):
        self.store.close()
        PROVIDER.stop()

    def test_url_options_reach_the_java_configuration(self):
        with connect(self.url + '/?znode=/hbase-unsecure&timeout=1500&hbase.client.retries.number=3') as store:
            conf = store.java.getConfiguration()
            self.assertEqual(conf.get('hbase.zookeeper.quorum'), PROVIDER.quorum)
            self.assertEqual(conf.get('hbase.zookeeper.property.clientPort'), '2181')
            self.assertEqual(conf.get('zookeeper.znode.parent'), '/hbase-unsecure')
            self.assertEqual(conf.get('hbase.rpc.timeout'), '1500')
            self.assertEqual(conf.get('hbase.client.retries.number'), '3')

    def test_close_closes_the_java_connection(self):
        store = connect(self.url)
        store.tables()
        self.assertFalse(store.java.isClosed())
        store.close()
        self.assertTrue(store.java.isClosed())

    def test_filter_strings_go_to_hbases_parse_filter(self):
        self.store.create_table('t', {'f': {}})
        table = self.store.table('t')
        with table.batch() as batch:
            for key in (b'row1', b'row2', b'other'):
                batch.put(key, {b'f:a': b'value-' + key, b'f:b': b'x'})
        self.assertEqual([key for key, _ in table.scan(filter="PrefixFilter('row')")], [b'row1', b'row2'])
        self.assertEqual(list(table.scan(filter="KeyOnlyFilter()", row_prefix=b'row1')),
                         [(b'row1', {b'f:a': b'', b'f:b': b''})])

    def test_a_filter_hbase_refuses_is_a_filter_syntax_error(self):
        self.store.create_table('t', {'f': {}})
        table = self.store.table('t')
        with self.assertRaises(FilterSyntaxError) as caught:
            table.scan(filter="NoSuchFilter('a')")  # stave's parser points at it
        self.assertEqual(caught.exception.position, 0)
        # The fake's ParseFilter knows only a few filters: one stave knows but HBase
        # (here, the fake) refuses is reported with HBase's words.
        with self.assertRaises(FilterSyntaxError) as caught:
            table.scan(filter="ValueFilter(=, 'binary:a')")
        self.assertIn('HBase refused the filter', str(caught.exception))
        with self.assertRaises(FilterSyntaxError):
            table.scan(filter='')  # HBase's parser fails with a Java EmptyStackException there

    def test_filter_strings_reach_hbase_as_bytes(self):
        self.store.create_table('t', {'f': {}})
        table = self.store.table('t')
        table.put(b'\xffa', {b'f:q': b'1'})
        table.put(b'\xc3\xbfa', {b'f:q': b'2'})  # what U+00FF would be in UTF-8
        self.assertEqual([key for key, _ in table.scan(filter=b"PrefixFilter('\xff')")], [b'\xffa'])

    def test_batching_a_scan_with_a_whole_row_filter_is_refused_at_once(self):
        self.store.create_table('t', {'f': {}})
        with self.assertRaises(ValueError):
            self.store.table('t').scan(filter='PageFilter(2)', scan_batching=1)

    def test_regions_of_a_missing_table(self):
        with self.assertRaises(TableNotFoundError):
            self.store.table('missing').regions()

    def test_a_batch_to_a_disabled_table_fails_as_one_error(self):
        self.store.create_table('t', {'f': {}})
        self.store.disable_table('t')
        with self.assertRaises(TableNotEnabledError):
            with self.store.table('t').batch() as batch:
                batch.put(b'a', {b'f:q': b'1'})
                batch.put(b'b', {b'f:q': b'2'})

    def test_a_family_added_by_another_client_is_seen(self):
        self.store.create_table('t', {'f': {}})
        table = self.store.table('t')
        self.assertEqual(table.family_names(), set([b'f']))
        with self.assertRaises(NoSuchColumnFamilyError):
            table.put(b'r', {b'g:q': b'v'})
        # Recreated with another family behind this Table's back: its cache is refreshed.
        self.store.delete_table('t', disable=True)
        self.store.create_table('t', {'f': {}, 'g': {}})
        table.put(b'r', {b'g:q': b'v'})
        self.assertEqual(table.row(b'r'), {b'g:q': b'v'})

    def test_the_test_map_over_the_java_client(self):
        from stave.testmap import MapWriter, TestMap
        MapWriter(self.store).write({'tests/test_db.py::test_save': {'app/db.py': set([10, 11])},
                                     'tests/test_db.py::test_load': {'app/db.py': set([11, 20])}})
        test_map = TestMap(self.store)
        self.assertEqual(test_map.tests_for('app/db.py', 11),
                         ['tests/test_db.py::test_load', 'tests/test_db.py::test_save'])
        self.assertEqual(test_map.lines_for('tests/test_db.py::test_load'), {'app/db.py': [11, 20]})

    def test_the_shell_over_the_java_client(self):
        fake_jar = os.path.join(ROOT, 'build', 'fake-hbase.jar')
        env = dict(os.environ, STAVE_CLASSPATH=fake_jar)
        env.pop('STAVE_RELAUNCHED', None)
        process = subprocess.Popen(
            ['jython', os.path.join(ROOT, 'stave.py'), '--store', 'hbase://fake-shell:2181', '-c',
             "c.table('t').create(families=['f']); c.table('t').row('r').put('f', 'q', 'v'); "
             "print(c.table('t').row('r').get())"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
        out, err = process.communicate()
        self.assertEqual(process.returncode, 0, err)
        self.assertIn('f:q', out.decode('utf-8'))
