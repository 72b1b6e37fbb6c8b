"""The store contract, part three: batches (happybase's Batch and stave's put_columns).

Mixed into StoreConformance (store_conformance.py), whose make_table() it uses;
Python 2.7/3 subset like the rest of the suite.
"""
from __future__ import absolute_import, division, print_function, unicode_literals

from stave.errors import NoSuchColumnFamilyError


class BatchConformance(object):
    """Batches: sending, sizes, transactions, timestamps and bulk put_columns."""

    def test_a_batch_writes_nothing_before_it_is_sent(self):
        table = self.make_table()
        with table.batch() as batch:
            batch.put(b'a', {b'f:q': b'1'})
            batch.put(b'b', {b'f:q': b'2'})
            batch.delete(b'a', [b'f:q'])
            self.assertEqual(table.row(b'b'), {})

    def test_a_batch_sends_its_puts_and_deletes_in_order_on_exit(self):
        table = self.make_table()
        with table.batch() as batch:
            batch.put(b'a', {b'f:q': b'1'})
            batch.put(b'b', {b'f:q': b'2'})
            batch.delete(b'a', [b'f:q'])
        self.assertEqual(list(table.scan()), [(b'b', {b'f:q': b'2'})])

    def test_a_sized_batch_sends_itself_once_it_holds_batch_size_cells(self):
        table = self.make_table()
        batch = table.batch(batch_size=3)
        batch.put(b'a', {b'f:q': b'1', b'f:r': b'1'})
        self.assertEqual(table.row(b'a'), {})
        batch.put(b'b', {b'f:q': b'2'})
        self.assertEqual(table.row(b'a'), {b'f:q': b'1', b'f:r': b'1'})

    def test_a_sized_batch_keeps_what_follows_an_automatic_send_until_the_next_send(self):
        table = self.make_table()
        batch = table.batch(batch_size=3)
        batch.put(b'a', {b'f:q': b'1', b'f:r': b'1'})
        batch.put(b'b', {b'f:q': b'2'})
        batch.put(b'c', {b'f:q': b'3'})
        self.assertEqual(table.row(b'c'), {})
        batch.send()
        self.assertEqual(table.row(b'c'), {b'f:q': b'3'})

    def test_transaction_batch_sends_nothing_when_the_block_fails(self):
        table = self.make_table()
        try:
            with table.batch(transaction=True) as batch:
                batch.put(b'a', {b'f:q': b'1'})
                raise RuntimeError('boom')
        except RuntimeError:
            pass
        self.assertEqual(table.row(b'a'), {})

    def test_a_batch_without_transaction_sends_its_puts_when_the_block_fails(self):
        table = self.make_table()
        try:
            with table.batch() as batch:
                batch.put(b'a', {b'f:q': b'1'})
                raise RuntimeError('boom')
        except RuntimeError:
            pass
        self.assertEqual(table.row(b'a'), {b'f:q': b'1'})

    def test_failed_batch_writes_nothing(self):
        table = self.make_table()
        batch = table.batch()
        for i in range(100):
            batch.put(('r%03d' % i).encode(), {b'f:q': b'v'})
        batch.put(b'bad', {b'nope:q': b'v'})
        with self.assertRaises(NoSuchColumnFamilyError):
            batch.send()
        self.assertEqual(list(table.scan()), [])

    def put_columns_sample(self):
        """Rows r (f:a by put, f:b and f:c by put_columns, g:x with the default value)
        and s (300 columns), all at timestamp 7."""
        table = self.make_table()
        with table.batch(timestamp=7) as batch:
            batch.put(b'r', {b'f:a': b'1'})
            batch.put_columns(b'r', b'f', [b'c', b'b', b'c'], b'2')  # any order, repeats allowed
            batch.put_columns(b'r', b'g', [b'x'])
            batch.put_columns(b's', b'f', [b'q%03d' % n for n in range(300)])
        return table

    def test_put_columns_writes_one_value_in_many_columns(self):
        table = self.put_columns_sample()
        self.assertEqual(table.row(b'r', include_timestamp=True), {
            b'f:a': (b'1', 7), b'f:b': (b'2', 7), b'f:c': (b'2', 7), b'g:x': (b'', 7)})

    def test_put_columns_writes_hundreds_of_columns_in_one_call(self):
        table = self.put_columns_sample()
        self.assertEqual(table.row(b's'), dict((b'f:q%03d' % n, b'') for n in range(300)))

    def test_put_columns_at_the_same_timestamp_replaces_only_the_columns_it_names(self):
        table = self.put_columns_sample()
        # Written again at the same timestamp: the new value replaces the old,
        # the family's other cells stay.
        with table.batch(timestamp=7) as batch:
            batch.put_columns(b'r', b'f', [b'a'], b'new')
        self.assertEqual(table.row(b'r', columns=[b'f']), {b'f:a': b'new', b'f:b': b'2', b'f:c': b'2'})
        self.assertEqual(table.cells(b'r', b'f:a'), [b'new'])

    def test_put_columns_refuses_anything_but_bytes_and_writes_nothing(self):
        table = self.make_table()
        bad = ((b'r', b'f', [b'q'], 5), (b'r', b'f', [b'q'], None), (b'r', b'f', [b'q'], u'v'),
               (b'r', b'f', [b'p', 5], b''), (b'r', b'f', [u'q'], b''), (u'r', b'f', [b'q'], b''))
        for row, family, qualifiers, value in bad:
            with self.assertRaises(TypeError):
                with table.batch(transaction=True) as batch:
                    batch.put(b'ok', {b'f:q': b'v'})
                    batch.put_columns(row, family, qualifiers, value)
        self.assertEqual(list(table.scan()), [])

    def test_put_columns_of_no_qualifiers_writes_nothing(self):
        table = self.make_table()
        with table.batch() as batch:
            batch.put_columns(b'r', b'f', [])
        self.assertEqual(list(table.scan()), [])

    def test_put_columns_and_put_of_one_cell_in_one_batch_keep_call_order(self):
        table = self.make_table()
        with table.batch(timestamp=7) as batch:
            batch.put_columns(b'a', b'f', [b'q', b'r'], b'group')
            batch.put(b'a', {b'f:q': b'single'})
            batch.put(b'b', {b'f:q': b'single'})
            batch.put_columns(b'b', b'f', [b'q', b'r'], b'group')
        self.assertEqual(table.row(b'a'), {b'f:q': b'single', b'f:r': b'group'})
        self.assertEqual(table.row(b'b'), {b'f:q': b'group', b'f:r': b'group'})

    def test_batch_timestamp_applies_to_every_put(self):
        table = self.make_table()
        with table.batch(timestamp=42) as batch:
            batch.put(b'a', {b'f:q': b'1'})
            batch.put(b'b', {b'g:q': b'2'})
        self.assertEqual(table.row(b'a', include_timestamp=True), {b'f:q': (b'1', 42)})
        self.assertEqual(table.row(b'b', include_timestamp=True), {b'g:q': (b'2', 42)})
