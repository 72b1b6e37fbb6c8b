"""The store contract, part four: happybase's public surface.

A script written for happybase runs on every backend: the attributes of its
Connection, Table and Batch, and what each method returns, empty inputs
included (happybase's own answers, quirks too: rows([]) is an empty dict).
Mixed into StoreConformance (store_conformance.py); Python 2.7/3 subset.
"""
from __future__ import absolute_import, division, print_function, unicode_literals

from stave.compat import integer_types


class SurfaceConformance(object):
    """happybase's attributes and return values, on every backend."""

    def test_connection_attributes(self):
        self.assertIsNone(self.store.table_prefix)
        self.assertEqual(self.store.table_prefix_separator, b'_')

    def test_table_attributes(self):
        table = self.make_table()
        self.assertEqual(table.name, b't')
        self.assertIs(table.connection, self.store)

    def test_administration_returns_what_happybase_returns(self):
        self.assertEqual(self.store.tables(), [])
        self.assertIsNone(self.store.create_table('t', {'f': {}}))
        self.assertIs(self.store.is_table_enabled('t'), True)
        self.assertIsNone(self.store.disable_table('t'))
        self.assertIs(self.store.is_table_enabled('t'), False)
        self.assertIsNone(self.store.enable_table('t'))
        self.assertIsNone(self.store.compact_table('t'))
        self.assertIsNone(self.store.delete_table('t', disable=True))

    def test_families_and_regions_have_happybases_shape(self):
        table = self.make_table()
        families = table.families()
        self.assertEqual(sorted(families), [b'f', b'g'])
        self.assertTrue(set(['name', 'max_versions', 'compression', 'in_memory', 'bloom_filter_type',
                             'bloom_filter_vector_size', 'bloom_filter_nb_hashes', 'block_cache_enabled',
                             'time_to_live']) <= set(families[b'f']))
        regions = table.regions()
        self.assertEqual(len(regions), 1)
        self.assertEqual(sorted(regions[0]),
                         ['end_key', 'id', 'name', 'port', 'server_name', 'start_key', 'version'])
        self.assertEqual((regions[0]['start_key'], regions[0]['end_key']), (b'', b''))

    def test_writes_return_none(self):
        table = self.make_table()
        self.assertIsNone(table.put(b'r', {b'f:q': b'v'}))
        self.assertIsNone(table.put(b'r', {}))
        self.assertIsNone(table.delete(b'r', [b'f:q']))
        self.assertIsNone(table.delete(b'r'))
        self.assertIsNone(table.counter_set(b'r', b'f:n', 5))
        batch = table.batch()
        self.assertIsNone(batch.put(b'r', {b'f:q': b'v'}))
        self.assertIsNone(batch.delete(b'r', [b'g:q']))
        self.assertIsNone(batch.send())
        self.assertIsNone(batch.send())  # nothing left to send

    def test_reads_of_nothing(self):
        table = self.make_table()
        self.assertEqual(table.row(b'missing'), {})
        self.assertEqual(table.rows([]), {})  # happybase's answer to no keys
        self.assertEqual(table.rows([b'missing']), [])
        self.assertEqual(table.cells(b'missing', b'f:q'), [])
        self.assertEqual(list(table.scan()), [])
        self.assertEqual(list(table.scan(row_prefix=b'x')), [])

    def test_reads_return_happybases_types(self):
        table = self.make_table()
        table.put(b'r', {b'f:q': b'v'})
        self.assertIsInstance(table.row(b'r'), dict)
        self.assertIsInstance(table.rows([b'r']), list)
        self.assertEqual(table.rows([b'r']), [(b'r', {b'f:q': b'v'})])
        self.assertEqual(table.cells(b'r', b'f:q'), [b'v'])
        value, timestamp = table.cells(b'r', b'f:q', include_timestamp=True)[0]
        self.assertEqual(value, b'v')
        self.assertIsInstance(timestamp, integer_types)
        self.assertEqual(table.row(b'r', include_timestamp=True), {b'f:q': (b'v', timestamp)})
        scan = table.scan()
        self.assertEqual(next(scan), (b'r', {b'f:q': b'v'}))
        self.assertEqual(list(scan), [])

    def test_counters_return_integers(self):
        table = self.make_table()
        values = [table.counter_get(b'r', b'f:n'), table.counter_inc(b'r', b'f:n', 10),
                  table.counter_dec(b'r', b'f:n', 2), table.counter_inc(b'r', b'f:n', 0)]
        self.assertEqual(values, [0, 10, 8, 8])
        for value in values:
            self.assertIsInstance(value, integer_types)
