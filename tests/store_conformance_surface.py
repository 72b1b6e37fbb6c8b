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

    def test_a_connections_table_prefix_defaults_to_none(self):
        self.assertIsNone(self.store.table_prefix)

    def test_a_connections_table_prefix_separator_defaults_to_an_underscore(self):
        self.assertEqual(self.store.table_prefix_separator, b'_')

    def test_a_tables_name_is_its_name_as_bytes(self):
        self.assertEqual(self.make_table().name, b't')

    def test_a_tables_connection_is_the_connection_that_opened_it(self):
        self.assertIs(self.make_table().connection, self.store)

    def test_tables_of_an_empty_store_is_an_empty_list(self):
        self.assertEqual(self.store.tables(), [])

    def test_administration_calls_return_none(self):
        self.assertIsNone(self.store.create_table('t', {'f': {}}))
        self.assertIsNone(self.store.disable_table('t'))
        self.assertIsNone(self.store.enable_table('t'))
        self.assertIsNone(self.store.compact_table('t'))
        self.assertIsNone(self.store.delete_table('t', disable=True))

    def test_is_table_enabled_returns_true_or_false(self):
        self.store.create_table('t', {'f': {}})
        self.assertIs(self.store.is_table_enabled('t'), True)
        self.store.disable_table('t')
        self.assertIs(self.store.is_table_enabled('t'), False)

    def test_families_have_happybases_shape(self):
        families = self.make_table().families()
        self.assertEqual(sorted(families), [b'f', b'g'])
        self.assertTrue(set(['name', 'max_versions', 'compression', 'in_memory', 'bloom_filter_type',
                             'bloom_filter_vector_size', 'bloom_filter_nb_hashes', 'block_cache_enabled',
                             'time_to_live']) <= set(families[b'f']))

    def test_regions_have_happybases_shape(self):
        regions = self.make_table().regions()
        self.assertEqual(len(regions), 1)
        self.assertEqual(sorted(regions[0]),
                         ['end_key', 'id', 'name', 'port', 'server_name', 'start_key', 'version'])
        self.assertEqual((regions[0]['start_key'], regions[0]['end_key']), (b'', b''))

    # -- writes return None ------------------------------------------------------------

    def test_put_returns_none(self):
        table = self.make_table()
        self.assertIsNone(table.put(b'r', {b'f:q': b'v'}))
        self.assertIsNone(table.put(b'r', {}))

    def test_delete_returns_none(self):
        table = self.make_table()
        table.put(b'r', {b'f:q': b'v'})
        self.assertIsNone(table.delete(b'r', [b'f:q']))
        self.assertIsNone(table.delete(b'r'))

    def test_counter_set_returns_none(self):
        self.assertIsNone(self.make_table().counter_set(b'r', b'f:n', 5))

    def test_batch_put_returns_none(self):
        self.assertIsNone(self.make_table().batch().put(b'r', {b'f:q': b'v'}))

    def test_batch_delete_returns_none(self):
        self.assertIsNone(self.make_table().batch().delete(b'r', [b'g:q']))

    def test_batch_send_returns_none(self):
        batch = self.make_table().batch()
        batch.put(b'r', {b'f:q': b'v'})
        batch.delete(b'r', [b'g:q'])
        self.assertIsNone(batch.send())
        self.assertIsNone(batch.send())  # nothing left to send

    # -- reads of nothing --------------------------------------------------------------

    def test_row_of_nothing_is_an_empty_dict(self):
        self.assertEqual(self.make_table().row(b'missing'), {})

    def test_rows_of_no_keys_is_an_empty_dict(self):
        self.assertEqual(self.make_table().rows([]), {})  # happybase's answer to no keys

    def test_rows_of_missing_keys_is_an_empty_list(self):
        self.assertEqual(self.make_table().rows([b'missing']), [])

    def test_cells_of_nothing_is_an_empty_list(self):
        self.assertEqual(self.make_table().cells(b'missing', b'f:q'), [])

    def test_a_scan_of_nothing_yields_nothing(self):
        table = self.make_table()
        self.assertEqual(list(table.scan()), [])
        self.assertEqual(list(table.scan(row_prefix=b'x')), [])

    # -- reads return happybase's types --------------------------------------------

    def one_cell_table(self):
        """Table t holding f:q = v in row r."""
        table = self.make_table()
        table.put(b'r', {b'f:q': b'v'})
        return table

    def test_row_returns_a_dict(self):
        self.assertIsInstance(self.one_cell_table().row(b'r'), dict)

    def test_rows_returns_a_list_of_key_and_row_pairs(self):
        table = self.one_cell_table()
        self.assertIsInstance(table.rows([b'r']), list)
        self.assertEqual(table.rows([b'r']), [(b'r', {b'f:q': b'v'})])

    def test_cells_returns_a_list_of_values(self):
        self.assertEqual(self.one_cell_table().cells(b'r', b'f:q'), [b'v'])

    def test_cells_include_timestamp_gives_the_value_and_an_integer_timestamp(self):
        value, timestamp = self.one_cell_table().cells(b'r', b'f:q', include_timestamp=True)[0]
        self.assertEqual(value, b'v')
        self.assertIsInstance(timestamp, integer_types)

    def test_row_include_timestamp_gives_the_timestamp_cells_gives(self):
        table = self.one_cell_table()
        value, timestamp = table.cells(b'r', b'f:q', include_timestamp=True)[0]
        self.assertEqual(table.row(b'r', include_timestamp=True), {b'f:q': (b'v', timestamp)})

    def test_scan_returns_an_iterator_of_key_and_row_pairs(self):
        scan = self.one_cell_table().scan()
        self.assertEqual(next(scan), (b'r', {b'f:q': b'v'}))
        self.assertEqual(list(scan), [])

    # -- counters ------------------------------------------------------------------------

    def test_counters_return_integers(self):
        table = self.make_table()
        values = [table.counter_get(b'r', b'f:n'), table.counter_inc(b'r', b'f:n', 10),
                  table.counter_dec(b'r', b'f:n', 2), table.counter_inc(b'r', b'f:n', 0)]
        self.assertEqual(values, [0, 10, 8, 8])
        for value in values:
            self.assertIsInstance(value, integer_types)
