"""What the hbase:// backend adds to the conformance suite, under Jython.

Runs against the suite's real HBase 2.6 (hbase_server.py starts a standalone
one through hbase/local.py; STAVE_TEST_HBASE names one you run instead)
through HBase's own Java client, with the jars of build/hbase-jars on the
class path: URL to Configuration, filter strings through HBase's ParseFilter
(and what the region server itself refuses), Java exceptions turned into
stave errors, connections closed, the test map and the shell over the Java
client.
"""
from __future__ import absolute_import, division, print_function, unicode_literals

import os
import subprocess
import unittest

from store_backends import HBaseJavaProvider
from stave.errors import (
    FilterSyntaxError, NoSuchColumnFamilyError, StoreError, TableNotEnabledError, TableNotFoundError)
from stave.store import connect
from stave.store.filters import parse_filter

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PROVIDER = HBaseJavaProvider()
REASON = PROVIDER.unavailable_reason()


@unittest.skipIf(REASON, REASON)
class HBaseBackendChecks(unittest.TestCase):

    def setUp(self):
        self.url = PROVIDER.start(None)  # hbase://127.0.0.1:PORT/?hbase.client.retries.number=4
        self.store = connect(self.url)

    def tearDown(self):
        self.store.close()
        PROVIDER.stop()

    def test_url_options_reach_the_java_configuration(self):
        quorum_and_port = self.url[len('hbase://'):].split('/')[0]
        quorum, port = quorum_and_port.rsplit(':', 1) if ':' in quorum_and_port else (quorum_and_port, '2181')
        with connect(self.url + '&znode=/hbase&timeout=15000&hbase.client.pause=50') as store:
            conf = store.java.getConfiguration()
            self.assertEqual(conf.get('hbase.zookeeper.quorum'), quorum)
            self.assertEqual(conf.get('hbase.zookeeper.property.clientPort'), port)
            self.assertEqual(conf.get('zookeeper.znode.parent'), '/hbase')
            self.assertEqual(conf.get('hbase.rpc.timeout'), '15000')
            self.assertEqual(conf.get('hbase.client.operation.timeout'), '15000')
            self.assertEqual(conf.get('hbase.client.retries.number'), '4')
            self.assertEqual(conf.get('hbase.client.pause'), '50')
            self.assertEqual(store.tables(), [])  # and the cluster answers through that configuration

    def test_close_closes_the_java_connection(self):
        store = connect(self.url)
        store.tables()
        self.assertFalse(store.java.isClosed())
        store.close()
        self.assertTrue(store.java.isClosed())

    def test_a_cluster_that_is_not_there_is_a_store_error_with_a_hint(self):
        # The suite's ZooKeeper, but a znode where no HBase registered: no master to ask.
        url = self.url.replace('?', '?znode=/no-hbase-here&', 1)
        with self.assertRaises(StoreError) as caught:
            with connect(url + '&timeout=3000') as store:
                store.tables()
        self.assertIn('list tables failed', str(caught.exception))
        self.assertIn('is the HBase cluster at', caught.exception.hint or '')

    def test_filter_strings_go_to_hbases_parse_filter(self):
        self.store.create_table('t', {'f': {}})
        table = self.store.table('t')
        with table.batch() as batch:
            for key in (b'row1', b'row2', b'other'):
                batch.put(key, {b'f:a': b'value-' + key, b'f:b': b'x'})
        self.assertEqual([key for key, _ in table.scan(filter="PrefixFilter('row')")], [b'row1', b'row2'])
        self.assertEqual(list(table.scan(filter="KeyOnlyFilter()", row_prefix=b'row1')),
                         [(b'row1', {b'f:a': b'', b'f:b': b''})])
        # ParseFilter's filter, not a copy of stave's: HBase's own class reached the region server.
        java_filter = table._parse_filter(b"PrefixFilter('row') AND ValueFilter(=, 'substring:row2')")
        self.assertEqual(java_filter.getClass().getName(), 'org.apache.hadoop.hbase.filter.FilterList')

    def test_a_filter_hbase_refuses_is_a_filter_syntax_error(self):
        self.store.create_table('t', {'f': {}})
        table = self.store.table('t')
        with self.assertRaises(FilterSyntaxError) as caught:
            table.scan(filter="NoSuchFilter('a')")  # both refuse it: stave's parser points at it
        self.assertEqual(caught.exception.position, 0)
        # HBase's ParseFilter refuses a negative count or timestamp. Where stave's own
        # parser sees nothing wrong (it took both when this was written), the error
        # carries HBase's words instead of a position.
        for text in ("ColumnCountGetFilter(-1)", "TimestampsFilter(-5)"):
            with self.assertRaises(FilterSyntaxError) as caught:
                table.scan(filter=text)
            try:
                parse_filter(text)
            except FilterSyntaxError:
                continue
            self.assertIn('HBase refused the filter', str(caught.exception))
            self.assertIn(text, str(caught.exception))
        with self.assertRaises(FilterSyntaxError):
            table.scan(filter='')

    def test_filter_strings_reach_hbase_as_bytes(self):
        self.store.create_table('t', {'f': {}})
        table = self.store.table('t')
        table.put(b'\xffa', {b'f:q': b'1'})
        table.put(b'\xc3\xbfa', {b'f:q': b'2'})  # what U+00FF would be in UTF-8
        self.assertEqual([key for key, _ in table.scan(filter=b"PrefixFilter('\xff')")], [b'\xffa'])

    def test_batching_a_scan_with_a_whole_row_filter_is_refused_at_once(self):
        self.store.create_table('t', {'f': {}})
        table = self.store.table('t')
        table.put(b'r', {b'f:a': b'1', b'f:b': b'2'})
        with self.assertRaises(ValueError):
            table.scan(filter='PageFilter(2)', scan_batching=1)
        # What stave spares the caller: the region server refuses that scan itself.
        from java.lang import Exception as JavaException
        from org.apache.hadoop.hbase.client import Scan
        scan = Scan().setBatch(1).setFilter(table._parse_filter(b'PageFilter(2)'))
        try:
            scanner = table.java.getScanner(scan)
            scanner.next()
            scanner.close()
        except JavaException as exc:
            self.assertIn('IncompatibleFilterException', str(exc))
        else:
            self.fail('HBase accepted a batched scan with a PageFilter')

    def test_regions_of_a_missing_table(self):
        with self.assertRaises(TableNotFoundError):
            self.store.table('missing').regions()

    def test_a_batch_to_a_disabled_table_fails_as_one_error(self):
        # A BufferedMutator retries a disabled table's regions (hbase.client.retries.number,
        # 4 here), then stave says why.
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
        # Recreated with another family by another client: this Table's cache is refreshed.
        with connect(self.url) as other:
            other.delete_table('t', disable=True)
            other.create_table('t', {'f': {}, 'g': {}})
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
        # Debian's jython wrapper ignores the class path: stave.py relaunches itself
        # through ./classpath, which adds build/hbase-jars.
        env = dict(os.environ)
        env.pop('STAVE_RELAUNCHED', None)
        process = subprocess.Popen(
            ['jython', os.path.join(ROOT, 'stave.py'), '--store', self.url, '-c',
             "c.table('t').create(families=['f']); c.table('t').row('r').put('f', 'q', 'v'); "
             "print(c.table('t').row('r').get())"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
        out, err = process.communicate()
        self.assertEqual(process.returncode, 0, err)
        self.assertIn('f:q', out.decode('utf-8'))
        self.assertEqual(self.store.table('t').row(b'r'), {b'f:q': b'v'})
