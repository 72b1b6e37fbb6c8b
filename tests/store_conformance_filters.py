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

    def filter_keys(self, table, text, **kwargs):
        return [k for k, _ in self.scan_filter(table, text, **kwargs)]

    def test_prefix_filter_keeps_the_rows_starting_with_the_prefix(self):
        table = self.filter_table()
        self.assertEqual(self.filter_keys(table, "PrefixFilter('row')"), [b'row1', b'row2', b'row3'])

    def test_prefix_filter_keeps_its_rows_in_a_reverse_scan(self):
        table = self.filter_table()
        self.assertEqual(self.filter_keys(table, "PrefixFilter('row')", reverse=True),
                         [b'row3', b'row2', b'row1'])

    def test_column_prefix_filter_keeps_the_columns_whose_qualifier_has_the_prefix(self):
        table = self.filter_table()
        self.assertEqual(self.scan_filter(table, "ColumnPrefixFilter('b')"),
                         [(b'row1', {b'f:b': b'banana'}), (b'row3', {b'f:b': b'blueberry'})])

    def test_multiple_column_prefix_filter_keeps_the_columns_with_any_of_the_prefixes(self):
        table = self.filter_table()
        self.assertEqual(self.scan_filter(table, "MultipleColumnPrefixFilter('c', 'd')"),
                         [(b'row1', {b'g:c': b'cherry'}), (b'row2', {b'g:d': b'date'})])

    def test_key_only_filter_empties_the_values(self):
        table = self.filter_table()
        self.assertEqual(self.scan_filter(table, "KeyOnlyFilter()", row_prefix=b'row1'),
                         [(b'row1', {b'f:a': b'', b'f:b': b'', b'g:c': b''})])

    def test_key_only_filter_with_true_gives_each_values_length_as_a_4_byte_int(self):
        table = self.filter_table()
        self.assertEqual(self.scan_filter(table, "KeyOnlyFilter(true)", row_prefix=b'row2'),
                         [(b'row2', {b'f:a': struct.pack('>i', 7), b'g:d': struct.pack('>i', 4)})])

    def test_first_key_only_filter_keeps_the_first_cell_of_each_row(self):
        table = self.filter_table()
        self.assertEqual(self.scan_filter(table, "FirstKeyOnlyFilter()"),
                         [(b'other', {b'f:a': b'apricot'}), (b'row1', {b'f:a': b'apple'}),
                          (b'row2', {b'f:a': b'avocado'}), (b'row3', {b'f:b': b'blueberry'})])

    def test_page_filter_keeps_the_first_rows(self):
        table = self.filter_table()
        self.assertEqual(self.filter_keys(table, "PageFilter(2)"), [b'other', b'row1'])

    def test_inclusive_stop_filter_includes_the_stop_row(self):
        table = self.filter_table()
        self.assertEqual(self.filter_keys(table, "InclusiveStopFilter('row2')"), [b'other', b'row1', b'row2'])

    def test_timestamps_filter_keeps_the_cells_with_those_timestamps(self):
        table = self.filter_table()
        table.put(b'row1', {b'f:a': b'apple2'}, timestamp=200)
        self.assertEqual(self.scan_filter(table, "TimestampsFilter(200)"), [(b'row1', {b'f:a': b'apple2'})])

    def test_timestamps_filter_sees_older_versions_before_the_version_limit(self):
        table = self.filter_table()
        table.put(b'row1', {b'f:a': b'apple2'}, timestamp=200)
        # The older version matches: filters see versions before the version limit, as in HBase.
        self.assertEqual(self.scan_filter(table, "TimestampsFilter(100)", row_prefix=b'row1'),
                         [(b'row1', {b'f:a': b'apple', b'f:b': b'banana', b'g:c': b'cherry'})])

    def test_column_count_get_filter_keeps_the_first_columns_of_a_row(self):
        table = self.filter_table()
        self.assertEqual(self.scan_filter(table, "ColumnCountGetFilter(2)", row_prefix=b'row1'),
                         [(b'row1', {b'f:a': b'apple', b'f:b': b'banana'})])

    def test_column_range_filter_keeps_the_qualifiers_between_its_bounds_as_inclusive_as_asked(self):
        table = self.filter_table()
        self.assertEqual(self.scan_filter(table, "ColumnRangeFilter('b', true, 'c', false)"),
                         [(b'row1', {b'f:b': b'banana'}), (b'row3', {b'f:b': b'blueberry'})])
        self.assertEqual(self.scan_filter(table, "ColumnRangeFilter('b', false, 'd', true)", row_prefix=b'row'),
                         [(b'row1', {b'g:c': b'cherry'}), (b'row2', {b'g:d': b'date'})])

    def test_row_filter_with_binary_compares_keys_with_the_operator(self):
        table = self.filter_table()
        self.assertEqual(self.filter_keys(table, "RowFilter(=, 'binary:row2')"), [b'row2'])
        self.assertEqual(self.filter_keys(table, "RowFilter(>=, 'binary:row2')"), [b'row2', b'row3'])
        self.assertEqual(self.filter_keys(table, "RowFilter(<, 'binary:row1')"), [b'other'])

    def test_row_filter_with_binaryprefix_compares_the_start_of_keys(self):
        table = self.filter_table()
        self.assertEqual(self.filter_keys(table, "RowFilter(!=, 'binaryprefix:row')"), [b'other'])

    def test_row_filter_with_regexstring_matches_keys_against_the_expression(self):
        table = self.filter_table()
        self.assertEqual(self.filter_keys(table, "RowFilter(=, 'regexstring:^r.w[23]$')"), [b'row2', b'row3'])

    def test_row_filter_with_substring_finds_the_text_in_keys_ignoring_case(self):
        table = self.filter_table()
        self.assertEqual(self.filter_keys(table, "RowFilter(=, 'substring:THER')"), [b'other'])

    def test_family_filter_keeps_the_cells_of_the_matching_families(self):
        table = self.filter_table()
        self.assertEqual(self.scan_filter(table, "FamilyFilter(=, 'binary:g')"),
                         [(b'row1', {b'g:c': b'cherry'}), (b'row2', {b'g:d': b'date'})])

    def test_qualifier_filter_keeps_the_cells_of_the_matching_qualifiers(self):
        table = self.filter_table()
        self.assertEqual(self.scan_filter(table, "QualifierFilter(>, 'binary:b')"),
                         [(b'row1', {b'g:c': b'cherry'}), (b'row2', {b'g:d': b'date'})])

    def test_value_filter_with_substring_finds_the_text_in_values_ignoring_case(self):
        table = self.filter_table()
        self.assertEqual(self.scan_filter(table, "ValueFilter(=, 'substring:BERRY')"),
                         [(b'row3', {b'f:b': b'blueberry'})])

    def test_value_filter_with_binaryprefix_compares_the_start_of_values(self):
        table = self.filter_table()
        self.assertEqual(self.scan_filter(table, "ValueFilter(=, 'binaryprefix:ap')"),
                         [(b'other', {b'f:a': b'apricot'}), (b'row1', {b'f:a': b'apple'})])

    def test_single_column_value_filter_passes_rows_lacking_the_column_unless_filter_if_missing(self):
        table = self.filter_table()
        # Rows lacking the column pass unless filterIfMissing is true.
        self.assertEqual(self.filter_keys(table, "SingleColumnValueFilter('f', 'a', =, 'binary:apple')"),
                         [b'row1', b'row3'])
        self.assertEqual(self.filter_keys(table, "SingleColumnValueFilter('f', 'a', =, 'binary:apple', true, true)"),
                         [b'row1'])

    def test_single_column_value_filter_keeps_the_whole_matching_row(self):
        table = self.filter_table()
        self.assertEqual(self.scan_filter(table, "SingleColumnValueFilter('f', 'a', =, 'binary:apple', true, true)"),
                         [(b'row1', {b'f:a': b'apple', b'f:b': b'banana', b'g:c': b'cherry'})])

    def test_single_column_value_filter_lets_an_older_version_decide_unless_latest_version_only(self):
        table = self.filter_table()
        table.put(b'row2', {b'f:a': b'apple'}, timestamp=200)
        # latestVersionOnly=false lets an older version decide.
        self.assertEqual(self.filter_keys(table, "SingleColumnValueFilter('f', 'a', =, 'binary:avocado', true, false)"),
                         [b'row2'])
        self.assertEqual(self.filter_keys(table, "SingleColumnValueFilter('f', 'a', =, 'binary:avocado', true, true)"),
                         [])

    def test_and_keeps_the_rows_both_filters_keep(self):
        table = self.filter_table()
        self.assertEqual(self.filter_keys(table, "PrefixFilter('row') AND ValueFilter(=, 'binary:date')"), [b'row2'])

    def test_or_keeps_the_rows_either_filter_keeps(self):
        table = self.filter_table()
        self.assertEqual(self.filter_keys(table, "RowFilter(=, 'binary:row3') OR ValueFilter(=, 'binary:apricot')"),
                         [b'other', b'row3'])

    def test_or_keeps_each_cell_either_filter_keeps(self):
        table = self.filter_table()
        self.assertEqual(self.scan_filter(table, "RowFilter(=, 'binary:row3') OR ValueFilter(=, 'binary:date')"),
                         [(b'row2', {b'g:d': b'date'}), (b'row3', {b'f:b': b'blueberry'})])

    def test_and_binds_tighter_than_or(self):
        table = self.filter_table()
        self.assertEqual(self.filter_keys(
            table, "RowFilter(=, 'binary:other') OR PrefixFilter('row') AND QualifierFilter(=, 'binary:d')"),
            [b'other', b'row2'])

    def test_parentheses_group_an_or_before_an_and(self):
        table = self.filter_table()
        self.assertEqual(self.filter_keys(
            table, "(RowFilter(=, 'binary:other') OR PrefixFilter('row')) AND QualifierFilter(=, 'binary:d')"),
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
