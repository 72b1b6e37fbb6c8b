"""The store contract, part five: the contract's classes, and argument checks.

Every backend's objects are instances of stave.store.contract's classes, and
every backend refuses a bad argument the same way: a TypeError or ValueError
naming the argument, at the call, with nothing written or buffered (the
checks are stave.store.arguments). Mixed into StoreConformance
(store_conformance.py); Python 2.7/3 subset.
"""
from __future__ import absolute_import, division, print_function, unicode_literals

from stave.errors import FilterSyntaxError
from stave.store import contract


class ArgumentConformance(object):
    """One rule per test: the contract's classes and its argument checks."""

    def assert_refused(self, error, argument, call, *args, **kwargs):
        """`call(*args, **kwargs)` raises `error` with a message naming `argument`."""
        with self.assertRaises(error) as caught:
            call(*args, **kwargs)
        self.assertIn(argument, str(caught.exception))

    # -- the contract's classes ------------------------------------------------------

    def test_the_connection_implements_the_contract(self):
        self.assertIsInstance(self.store, contract.Connection)
        self.assertFalse(type(self.store).__abstractmethods__)

    def test_a_table_implements_the_contract(self):
        table = self.make_table()
        self.assertIsInstance(table, contract.Table)
        self.assertFalse(type(table).__abstractmethods__)

    def test_a_batch_implements_the_contract(self):
        batch = self.make_table().batch()
        self.assertIsInstance(batch, contract.Batch)
        self.assertFalse(type(batch).__abstractmethods__)

    # -- administration --------------------------------------------------------------

    def test_create_table_needs_a_dict_of_families(self):
        self.assert_refused(TypeError, "'families'", self.store.create_table, 't', ['f'])
        self.assertEqual(self.store.tables(), [])

    def test_create_table_needs_at_least_one_family(self):
        self.assert_refused(ValueError, 'at least one column family', self.store.create_table, 't', {})
        self.assertEqual(self.store.tables(), [])

    def test_create_table_refuses_an_unknown_family_option(self):
        self.assert_refused(TypeError, "'max_version'", self.store.create_table, 't', {'f': {'max_version': 2}})
        self.assertEqual(self.store.tables(), [])

    def test_create_table_refuses_a_family_name_with_a_colon_inside(self):
        self.assert_refused(ValueError, 'a:b', self.store.create_table, 't', {'a:b': {}})
        self.assertEqual(self.store.tables(), [])

    def test_create_table_refuses_an_illegal_table_name(self):
        self.assert_refused(ValueError, 'bad name!', self.store.create_table, 'bad name!', {'f': {}})
        self.assertEqual(self.store.tables(), [])

    # -- reads -------------------------------------------------------------------------

    def test_a_row_key_must_be_bytes_or_text(self):
        self.assert_refused(TypeError, "'row'", self.make_table().row, 5)

    def test_rows_needs_a_list_of_keys(self):
        self.assert_refused(TypeError, "'rows'", self.make_table().rows, b'r')

    def test_read_columns_must_be_a_list(self):
        self.assert_refused(TypeError, "'columns'", self.make_table().row, b'r', columns=b'f')

    def test_a_read_timestamp_must_be_an_integer(self):
        self.assert_refused(TypeError, "'timestamp'", self.make_table().row, b'r', timestamp='now')

    def test_cells_versions_must_be_a_number(self):
        self.assert_refused(TypeError, "'versions'", self.make_table().cells, b'r', b'f:q', versions='2')

    def test_cells_versions_must_be_at_least_one(self):
        self.assert_refused(ValueError, "'versions'", self.make_table().cells, b'r', b'f:q', versions=0)

    def test_scan_batch_size_must_be_at_least_one(self):
        self.assert_refused(ValueError, "'batch_size'", self.make_table().scan, batch_size=0)

    def test_scan_limit_must_be_at_least_one(self):
        self.assert_refused(ValueError, "'limit'", self.make_table().scan, limit=0)

    def test_scan_batching_must_be_at_least_one(self):
        self.assert_refused(ValueError, "'scan_batching'", self.make_table().scan, scan_batching=0)

    def test_scan_row_prefix_cannot_be_combined_with_start_or_stop(self):
        self.assert_refused(TypeError, "'row_prefix'", self.make_table().scan, row_prefix=b'a', row_start=b'a')

    def test_a_filter_that_does_not_parse_raises_at_the_scan_call(self):
        table = self.make_table()
        with self.assertRaises(FilterSyntaxError):
            table.scan(filter="PrefixFilter('a'")  # not iterated: the call itself raises

    def test_scan_columns_must_be_a_list(self):
        self.assert_refused(TypeError, "'columns'", self.make_table().scan, columns=b'f')

    # -- writes ------------------------------------------------------------------------

    def test_put_needs_a_dict_of_columns(self):
        table = self.make_table()
        self.assert_refused(TypeError, "'data'", table.put, b'r', [(b'f:q', b'v')])
        self.assertEqual(table.row(b'r'), {})

    def test_put_needs_a_qualifier_part(self):
        table = self.make_table()
        self.assert_refused(ValueError, 'has no qualifier', table.put, b'r', {b'f': b'v'})
        self.assertEqual(table.row(b'r'), {})

    def test_a_value_must_be_bytes_or_text(self):
        table = self.make_table()
        self.assert_refused(TypeError, "'value'", table.put, b'r', {b'f:q': 1})
        self.assertEqual(table.row(b'r'), {})

    def test_delete_columns_must_be_a_list(self):
        table = self.make_table()
        table.put(b'r', {b'f:q': b'v'})
        self.assert_refused(TypeError, "'columns'", table.delete, b'r', b'f:q')
        self.assertEqual(table.row(b'r'), {b'f:q': b'v'})

    def test_a_batch_refuses_a_bad_put_at_the_call_and_keeps_the_rest(self):
        table = self.make_table()
        batch = table.batch()
        batch.put(b'a', {b'f:q': b'v'})
        self.assert_refused(TypeError, "'value'", batch.put, b'b', {b'f:q': 5})
        batch.send()
        self.assertEqual([key for key, _ in table.scan()], [b'a'])

    def test_put_columns_refuses_a_qualifier_that_is_not_bytes_at_the_call(self):
        table = self.make_table()
        batch = table.batch()
        self.assert_refused(TypeError, 'qualifiers must be bytes', batch.put_columns, b'r', b'f', [b'p', 5])
        self.assert_refused(TypeError, 'qualifiers must be bytes', batch.put_columns, b'r', b'f', [u'q'])
        batch.send()
        self.assertEqual(list(table.scan()), [])

    def test_put_columns_refuses_text_row_family_or_value_at_the_call(self):
        batch = self.make_table().batch()
        self.assert_refused(TypeError, "'row'", batch.put_columns, u'r', b'f', [b'q'])
        self.assert_refused(TypeError, "'family'", batch.put_columns, b'r', u'f', [b'q'])
        self.assert_refused(TypeError, "'value'", batch.put_columns, b'r', b'f', [b'q'], u'v')

    def test_put_columns_refuses_a_family_with_a_colon(self):
        self.assert_refused(ValueError, 'contains a colon', self.make_table().batch().put_columns,
                            b'r', b'f:x', [b'q'])

    def test_put_cells_refuses_a_column_that_is_not_bytes_or_text(self):
        table = self.make_table()
        batch = table.batch()
        self.assert_refused(TypeError, "'column'", batch.put_cells, [(b'r', 5, b'v')])
        batch.send()
        self.assertEqual(list(table.scan()), [])

    def test_put_cells_refuses_a_bad_cell_at_the_call(self):
        table = self.make_table()
        batch = table.batch()
        self.assert_refused(TypeError, "'value'", batch.put_cells, [(b'r', b'f:q', None)])
        batch.send()
        self.assertEqual(list(table.scan()), [])

    def test_a_batch_timestamp_must_be_an_integer(self):
        self.assert_refused(TypeError, "'timestamp'", self.make_table().batch, timestamp='now')

    def test_a_batch_size_must_be_positive(self):
        self.assert_refused(ValueError, "'batch_size'", self.make_table().batch, batch_size=0)

    def test_a_batch_cannot_have_both_a_size_and_a_transaction(self):
        self.assert_refused(TypeError, "'transaction'", self.make_table().batch, batch_size=10, transaction=True)

    # -- counters ------------------------------------------------------------------------

    def test_a_counter_increment_must_be_an_integer(self):
        self.assert_refused(TypeError, "'value'", self.make_table().counter_inc, b'r', b'f:n', 1.5)

    def test_a_counter_value_must_be_an_integer(self):
        table = self.make_table()
        self.assert_refused(TypeError, "'value'", table.counter_set, b'r', b'f:n', '5')
        self.assertEqual(table.row(b'r'), {})
