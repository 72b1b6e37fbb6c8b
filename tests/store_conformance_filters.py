"""The store contract, part two: HBase's filter language through scan(filter=...).

Mixed into StoreConformance (store_conformance.py), whose make_table() it uses;
Python 2.7/3 subset like the rest of the suite.
"""
from __future__ import absolute_import, division, print_function, unicode_literals

import struct

from stave.errors import FilterSyntaxError


class FilterConformance(object):
    """Filter-string scans: each filter, the combinators, and positioned errors."""

    def filter_table(self):
        table = self.make_table(families={'f': {'max_versions': 3}, 'g': {}})
        with table.batch(timestamp=100) as batch:
            batch.put(b'row1', {b'f:a': b'apple', b'f:b': b'banana', b'g:c': b'cherry'})
            batch.put(b'row2', {b'f:a': b'avocado', b'g:d': b'date'})
            batch.put(b'row3', {b'f:b': b'blueberry'})
            batch.put(b'other', {b'f:a': b'apricot'})
        return table

    def scan_filter(self, table, text, **kwargs):
        return list(table.scan(filter=text, **kwargs))

    def test_prefix_filter(self):
        table = self.filter_table()
        self.assertEqual([k for k, _ in self.scan_filter(table, "PrefixFilter('row')")],
                         [b'row1', b'row2', b'row3'])
        self.assertEqual([k for k, _ in self.scan_filter(table, "PrefixFilter('row')", reverse=True)],
                         [b'row3', b'row2', b'row1'])

    def test_column_prefix_filters(self):
        table = self.filter_table()
        self.assertEqual(self.scan_filter(table, "ColumnPrefixFilter('b')"),
                         [(b'row1', {b'f:b': b'banana'}), (b'row3', {b'f:b': b'blueberry'})])
        self.assertEqual(self.scan_filter(table, "MultipleColumnPrefixFilter('c', 'd')"),
                         [(b'row1', {b'g:c': b'cherry'}), (b'row2', {b'g:d': b'date'})])

    def test_key_only_and_first_key_only_filters(self):
        table = self.filter_table()
        self.assertEqual(self.scan_filter(table, "KeyOnlyFilter()", row_prefix=b'row1'),
                         [(b'row1', {b'f:a': b'', b'f:b': b'', b'g:c': b''})])
        self.assertEqual(self.scan_filter(table, "KeyOnlyFilter(true)", row_prefix=b'row2'),
                         [(b'row2', {b'f:a': struct.pack('>i', 7), b'g:d': struct.pack('>i', 4)})])
        self.assertEqual(self.scan_filter(table, "FirstKeyOnlyFilter()"),
                         [(b'other', {b'f:a': b'apricot'}), (b'row1', {b'f:a': b'apple'}),
                          (b'row2', {b'f:a': b'avocado'}), (b'row3', {b'f:b': b'blueberry'})])

    def test_page_and_inclusive_stop_filters(self):
        table = self.filter_table()
        self.assertEqual([k for k, _ in self.scan_filter(table, "PageFilter(2)")], [b'other', b'row1'])
        self.assertEqual([k for k, _ in self.scan_filter(table, "InclusiveStopFilter('row2')")],
                         [b'other', b'row1', b'row2'])

    def test_timestamps_filter(self):
        table = self.filter_table()
        table.put(b'row1', {b'f:a': b'apple2'}, timestamp=200)
        self.assertEqual(self.scan_filter(table, "TimestampsFilter(200)"), [(b'row1', {b'f:a': b'apple2'})])
        # The older version matches: filters see versions before the version limit, as in HBase.
        self.assertEqual(self.scan_filter(table, "TimestampsFilter(100)", row_prefix=b'row1'),
                         [(b'row1', {b'f:a': b'apple', b'f:b': b'banana', b'g:c': b'cherry'})])

    def test_column_count_get_filter(self):
        table = self.filter_table()
        self.assertEqual(self.scan_filter(table, "ColumnCountGetFilter(2)", row_prefix=b'row1'),
                         [(b'row1', {b'f:a': b'apple', b'f:b': b'banana'})])

    def test_column_range_filter(self):
        table = self.filter_table()
        self.assertEqual(self.scan_filter(table, "ColumnRangeFilter('b', true, 'c', false)"),
                         [(b'row1', {b'f:b': b'banana'}), (b'row3', {b'f:b': b'blueberry'})])
        self.assertEqual(self.scan_filter(table, "ColumnRangeFilter('b', false, 'd', true)", row_prefix=b'row'),
                         [(b'row1', {b'g:c': b'cherry'}), (b'row2', {b'g:d': b'date'})])

    def test_compare_filters_with_each_comparator(self):
        table = self.filter_table()
        keys = lambda text: [k for k, _ in self.scan_filter(table, text)]
        self.assertEqual(keys("RowFilter(=, 'binary:row2')"), [b'row2'])
        self.assertEqual(keys("RowFilter(>=, 'binary:row2')"), [b'row2', b'row3'])
        self.assertEqual(keys("RowFilter(<, 'binary:row1')"), [b'other'])
        self.assertEqual(keys("RowFilter(!=, 'binaryprefix:row')"), [b'other'])
        self.assertEqual(keys("RowFilter(=, 'regexstring:^r.w[23]$')"), [b'row2', b'row3'])
        self.assertEqual(keys("RowFilter(=, 'substring:THER')"), [b'other'])
        self.assertEqual(self.scan_filter(table, "FamilyFilter(=, 'binary:g')"),
                         [(b'row1', {b'g:c': b'cherry'}), (b'row2', {b'g:d': b'date'})])
        self.assertEqual(self.scan_filter(table, "QualifierFilter(>, 'binary:b')"),
                         [(b'row1', {b'g:c': b'cherry'}), (b'row2', {b'g:d': b'date'})])
        self.assertEqual(self.scan_filter(table, "ValueFilter(=, 'substring:BERRY')"),
                         [(b'row3', {b'f:b': b'blueberry'})])
        self.assertEqual(self.scan_filter(table, "ValueFilter(=, 'binaryprefix:ap')"),
                         [(b'other', {b'f:a': b'apricot'}), (b'row1', {b'f:a': b'apple'})])

    def test_single_column_value_filter(self):
        table = self.filter_table()
        keys = lambda text: [k for k, _ in self.scan_filter(table, text)]
        # Rows lacking the column pass unless filterIfMissing is true.
        self.assertEqual(keys("SingleColumnValueFilter('f', 'a', =, 'binary:apple')"), [b'row1', b'row3'])
        self.assertEqual(keys("SingleColumnValueFilter('f', 'a', =, 'binary:apple', true, true)"), [b'row1'])
        self.assertEqual(self.scan_filter(table, "SingleColumnValueFilter('f', 'a', =, 'binary:apple', true, true)"),
                         [(b'row1', {b'f:a': b'apple', b'f:b': b'banana', b'g:c': b'cherry'})])
        table.put(b'row2', {b'f:a': b'apple'}, timestamp=200)
        # latestVersionOnly=false lets an older version decide.
        self.assertEqual(keys("SingleColumnValueFilter('f', 'a', =, 'binary:avocado', true, false)"), [b'row2'])
        self.assertEqual(keys("SingleColumnValueFilter('f', 'a', =, 'binary:avocado', true, true)"), [])

    def test_and_or_and_parentheses(self):
        table = self.filter_table()
        keys = lambda text: [k for k, _ in self.scan_filter(table, text)]
        self.assertEqual(keys("PrefixFilter('row') AND ValueFilter(=, 'binary:date')"), [b'row2'])
        self.assertEqual(keys("RowFilter(=, 'binary:row3') OR ValueFilter(=, 'binary:apricot')"),
                         [b'other', b'row3'])
        self.assertEqual(self.scan_filter(table, "RowFilter(=, 'binary:row3') OR ValueFilter(=, 'binary:date')"),
                         [(b'row2', {b'g:d': b'date'}), (b'row3', {b'f:b': b'blueberry'})])
        # AND binds tighter than OR; parentheses change that.
        self.assertEqual(keys("RowFilter(=, 'binary:other') OR PrefixFilter('row') AND QualifierFilter(=, 'binary:d')"),
                         [b'other', b'row2'])
        self.assertEqual(keys("(RowFilter(=, 'binary:other') OR PrefixFilter('row')) AND QualifierFilter(=, 'binary:d')"),
                         [b'row2'])

    def test_skip_drops_rows_with_any_failing_cell(self):
        table = self.filter_table()
        self.assertEqual([k for k, _ in self.scan_filter(table, "SKIP ValueFilter(!=, 'binary:banana')")],
                         [b'other', b'row2', b'row3'])

    def test_while_stops_the_scan_at_the_first_failure(self):
        table = self.filter_table()
        self.assertEqual([k for k, _ in self.scan_filter(table, "WHILE RowFilter(<, 'binary:row2')")],
                         [b'other', b'row1'])
        self.assertEqual([k for k, _ in self.scan_filter(table, "WHILE ValueFilter(=, 'regexstring:^a')")],
                         [b'other', b'row1'])

    def test_filter_errors_name_the_position(self):
        table = self.filter_table()
        for text, position in (("NoSuchFilter('a')", 0), ("PrefixFilter('a') AND", 21),
                               ("PrefixFilter('a'", 16), ("ValueFilter(~, 'binary:a')", 12),
                               ("RowFilter(<, 'substring:a')", 10), ("PageFilter('2')", 11)):
            with self.assertRaises(FilterSyntaxError) as caught:
                table.scan(filter=text)
            self.assertEqual(caught.exception.position, position, text)
            self.assertIn('position %d' % position, str(caught.exception))
