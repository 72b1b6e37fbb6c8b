"""The store contract, part six: scans (ranges, prefixes, reverse, limits,
batching, columns, and writes during a scan), and qualifiers() (a stave
extension: the columns of rows without their values).

Mixed into StoreConformance (store_conformance.py); Python 2.7/3 subset.
"""
from __future__ import absolute_import, division, print_function, unicode_literals

from collections import OrderedDict


class ScanConformance(object):
    """scan() on every backend; `fill` and `scan_keys` serve the other parts too."""

    def fill(self, table, keys):
        with table.batch() as batch:
            for key in keys:
                batch.put(key, {b'f:q': key})

    def scan_keys(self, table, **kwargs):
        return [key for key, _ in table.scan(**kwargs)]

    def test_qualifiers_are_the_columns_rows_gives_without_values(self):
        table = self.make_table()
        with table.batch(timestamp=10) as batch:
            batch.put_columns(b'a', b'f', [b'k1', b'k3'])
            batch.put_columns(b'b', b'f', [b'k2'])
        with table.batch(timestamp=20) as batch:  # a second group of the row
            batch.put_columns(b'a', b'f', [b'k2', b'k3'])
        table.put(b'a', {b'g:x': b'value'})
        table.delete(b'a', [b'f:k1'])
        table.put(b'c', {b'g:only': b'v'})
        self.assertEqual(table.qualifiers([b'c', b'missing', b'b', b'a'], b'f'),
                         [(b'b', [b'k2']), (b'a', [b'k2', b'k3'])])
        self.assertEqual(table.qualifiers([b'a', b'c'], b'g'), [(b'a', [b'x']), (b'c', [b'only'])])
        self.assertEqual(table.qualifiers([], b'f'), [])

    def test_qualifiers_need_a_family_name(self):
        table = self.make_table()
        self.assertRaises(ValueError, table.qualifiers, [b'a'], b'f:q')

    def test_rows_come_back_in_unsigned_byte_order(self):
        table = self.make_table()
        keys = [b'b', b'a', b'\xff', b'\x00', b'a\x00', b'A', b'\x7f', b'\x80', b'ab', b'']
        self.fill(table, [k for k in keys if k])
        self.assertEqual(self.scan_keys(table), sorted(k for k in keys if k))

    def test_scan_start_is_inclusive_and_stop_exclusive(self):
        table = self.make_table()
        self.fill(table, [b'a', b'b', b'c', b'd'])
        self.assertEqual(self.scan_keys(table, row_start=b'b', row_stop=b'd'), [b'b', b'c'])
        self.assertEqual(self.scan_keys(table, row_start=b'bb'), [b'c', b'd'])
        self.assertEqual(self.scan_keys(table, row_stop=b'b'), [b'a'])
        self.assertEqual(self.scan_keys(table, row_start=b'x'), [])

    def test_a_prefix_scan_returns_exactly_the_keys_starting_with_the_prefix(self):
        table = self.make_table()
        self.fill(table, [b'app/db.py:000001', b'app/db.py:000212', b'app/db.py.orig:000001',
                          b'app/db.pz', b'app/d'])
        self.assertEqual(self.scan_keys(table, row_prefix=b'app/db.py:'),
                         [b'app/db.py:000001', b'app/db.py:000212'])
        self.assertEqual(self.scan_keys(table, row_prefix=b'app/db.py'),
                         [b'app/db.py.orig:000001', b'app/db.py:000001', b'app/db.py:000212'])

    def test_prefix_of_ff_bytes_scans_to_the_end(self):
        table = self.make_table()
        self.fill(table, [b'\xfe', b'\xff', b'\xff\xff', b'\xff\x00'])
        self.assertEqual(self.scan_keys(table, row_prefix=b'\xff'), [b'\xff', b'\xff\x00', b'\xff\xff'])
        self.assertEqual(self.scan_keys(table, row_prefix=b'\xff\xff'), [b'\xff\xff'])

    def test_a_reverse_scan_returns_the_rows_in_descending_order(self):
        table = self.make_table()
        self.fill(table, [b'a', b'b', b'c', b'd', b'e'])
        self.assertEqual(self.scan_keys(table, reverse=True), [b'e', b'd', b'c', b'b', b'a'])

    def test_a_reverse_scan_runs_from_row_start_inclusive_down_to_row_stop_exclusive(self):
        table = self.make_table()
        self.fill(table, [b'a', b'b', b'c', b'd', b'e'])
        self.assertEqual(self.scan_keys(table, reverse=True, row_start=b'd', row_stop=b'b'), [b'd', b'c'])
        self.assertEqual(self.scan_keys(table, reverse=True, row_start=b'cc'), [b'c', b'b', b'a'])
        self.assertEqual(self.scan_keys(table, reverse=True, row_stop=b'c'), [b'e', b'd'])

    def test_a_reverse_scans_limit_takes_the_last_rows(self):
        table = self.make_table()
        self.fill(table, [b'a', b'b', b'c', b'd', b'e'])
        self.assertEqual(self.scan_keys(table, reverse=True, limit=2), [b'e', b'd'])

    def test_reverse_prefix_scan_stays_inside_the_prefix(self):
        table = self.make_table()
        self.fill(table, [b'a', b'b1', b'b2', b'c'])
        self.assertEqual(self.scan_keys(table, row_prefix=b'b', reverse=True), [b'b2', b'b1'])

    def test_reverse_scan_returns_whole_rows_with_newest_values(self):
        table = self.make_table()
        table.put(b'a', {b'f:x': b'old', b'g:y': b'1'}, timestamp=1)
        table.put(b'a', {b'f:x': b'new'}, timestamp=2)
        table.put(b'b', {b'f:x': b'b'})
        self.assertEqual(list(table.scan(reverse=True)),
                         [(b'b', {b'f:x': b'b'}), (b'a', {b'f:x': b'new', b'g:y': b'1'})])

    def rows_in_both_families(self):
        """Rows a, b and c, each with f:q and g:r holding its key."""
        table = self.make_table()
        with table.batch() as batch:
            for key in (b'a', b'b', b'c'):
                batch.put(key, {b'f:q': key, b'g:r': key})
        return table

    def test_a_scan_with_columns_and_a_limit_returns_the_first_rows_with_those_columns(self):
        table = self.rows_in_both_families()
        self.assertEqual(list(table.scan(limit=2, columns=[b'g:r'])),
                         [(b'a', {b'g:r': b'a'}), (b'b', {b'g:r': b'b'})])

    def test_a_scan_leaves_out_rows_without_any_of_the_asked_columns(self):
        table = self.rows_in_both_families()
        self.assertEqual(self.scan_keys(table, columns=[b'f:nope']), [])

    def test_scan_sorted_columns_gives_an_ordered_dict_in_column_order(self):
        table = self.make_table()
        table.put(b'r', {b'g:b': b'4', b'f:b': b'2', b'f:a': b'1', b'g:a': b'3'}, timestamp=7)
        (key, data), = table.scan(sorted_columns=True)
        self.assertIsInstance(data, OrderedDict)
        self.assertEqual(list(data.items()), [(b'f:a', b'1'), (b'f:b', b'2'), (b'g:a', b'3'), (b'g:b', b'4')])

    def test_scan_include_timestamp_pairs_each_value_with_its_timestamp(self):
        table = self.make_table()
        table.put(b'r', {b'g:b': b'4', b'f:b': b'2', b'f:a': b'1', b'g:a': b'3'}, timestamp=7)
        (key, data), = table.scan(include_timestamp=True)
        self.assertEqual(data, {b'f:a': (b'1', 7), b'f:b': (b'2', 7), b'g:a': (b'3', 7), b'g:b': (b'4', 7)})

    def test_scan_sorted_columns_with_include_timestamp_orders_the_value_and_timestamp_pairs(self):
        table = self.make_table()
        table.put(b'r', {b'g:b': b'4', b'f:b': b'2', b'f:a': b'1', b'g:a': b'3'}, timestamp=7)
        (key, data), = table.scan(sorted_columns=True, include_timestamp=True)
        self.assertIsInstance(data, OrderedDict)
        self.assertEqual(list(data.items()), [(b'f:a', (b'1', 7)), (b'f:b', (b'2', 7)),
                                              (b'g:a', (b'3', 7)), (b'g:b', (b'4', 7))])

    def wide_row_and_narrow_row(self):
        """Row r with 5 columns, row s with 1."""
        table = self.make_table()
        table.put(b'r', dict((('f:%d' % i).encode(), b'v') for i in range(5)))
        table.put(b's', {b'f:0': b'v'})
        return table

    def test_scan_batching_splits_wide_rows(self):
        table = self.wide_row_and_narrow_row()
        results = list(table.scan(scan_batching=2))
        self.assertEqual([key for key, _ in results], [b'r', b'r', b'r', b's'])
        self.assertEqual([len(data) for _, data in results], [2, 2, 1, 1])

    def test_a_scan_limit_counts_the_parts_of_a_split_row(self):
        table = self.wide_row_and_narrow_row()
        self.assertEqual(len(list(table.scan(scan_batching=2, limit=2))), 2)

    def write_during_scan(self, table):
        """Scans rows a, b and c, writing g:seen into each row as it comes; returns the keys seen."""
        self.fill(table, [b'a', b'b', b'c'])
        seen = []
        for key, data in table.scan():
            seen.append(key)
            table.put(key, {b'g:seen': b'1'})
        return seen

    def test_a_scan_sees_every_row_while_its_rows_are_written(self):
        self.assertEqual(self.write_during_scan(self.make_table()), [b'a', b'b', b'c'])

    def test_writes_made_during_a_scan_are_kept(self):
        table = self.make_table()
        self.write_during_scan(table)
        self.assertEqual(self.scan_keys(table, columns=[b'g:seen']), [b'a', b'b', b'c'])
