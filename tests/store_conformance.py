"""The store contract, written against the public API only.

Every backend runs this suite unchanged (see test_store_conformance.py). It is
in the Python 2.7/3 common subset so that the JVM runs it too. Semantics are
HBase's, through happybase's API; see ../shared/HBASE.md section 3.
"""
from __future__ import absolute_import, division, print_function, unicode_literals

import shutil
import struct
import tempfile
import time
import unittest

from stave.errors import (
    CounterError, NoSuchColumnFamilyError, TableExistsError,
    TableNotDisabledError, TableNotEnabledError, TableNotFoundError)
from stave.store import connect
from store_conformance_arguments import ArgumentConformance
from store_conformance_batches import BatchConformance
from store_conformance_filters import FilterConformance
from store_conformance_scans import ScanConformance
from store_conformance_surface import SurfaceConformance


def now_ms():
    return int(time.time() * 1000)


class StoreConformance(ArgumentConformance, BatchConformance, FilterConformance, ScanConformance,
                       SurfaceConformance):
    """Mixin for unittest.TestCase; subclasses set `provider`. Batches' part of
    the contract is in store_conformance_batches.py, the filter language's in
    store_conformance_filters.py, scans' in store_conformance_scans.py, happybase's
    surface in store_conformance_surface.py, the contract's classes and argument checks in store_conformance_arguments.py."""

    provider = None

    @classmethod
    def setUpClass(cls):
        reason = cls.provider.unavailable_reason()
        if reason:
            raise unittest.SkipTest(reason)

    def setUp(self):
        self.directory = tempfile.mkdtemp(prefix='stave-conformance-')
        self.url = self.provider.start(self.directory)
        self.store = connect(self.url)

    def tearDown(self):
        self.store.close()
        self.provider.stop()
        shutil.rmtree(self.directory, ignore_errors=True)

    def make_table(self, name='t', families=None):
        self.store.create_table(name, families or {'f': {}, 'g': {}})
        return self.store.table(name)

    # -- administration ---------------------------------------------------------

    def families_of_a_new_table(self):
        """families() of table t1, created with f (max_versions 1) and g: (no options)."""
        self.store.create_table('t1', {'f': {'max_versions': 1}, 'g:': None})
        return self.store.table('t1').families()

    def test_create_table_lists_the_new_table(self):
        self.store.create_table('t1', {'f': {'max_versions': 1}, 'g:': None})
        self.assertEqual(self.store.tables(), [b't1'])

    def test_families_lists_the_families_the_table_was_created_with(self):
        self.assertEqual(sorted(self.families_of_a_new_table()), [b'f', b'g'])

    def test_a_family_keeps_the_max_versions_it_was_created_with(self):
        self.assertEqual(self.families_of_a_new_table()[b'f']['max_versions'], 1)

    def test_max_versions_defaults_to_thrifts_3(self):
        self.assertEqual(self.families_of_a_new_table()[b'g']['max_versions'], 3)  # Thrift's default

    def test_a_familys_name_ends_with_a_colon(self):
        self.assertEqual(self.families_of_a_new_table()[b'f']['name'], b'f:')

    def test_tables_are_listed_in_name_order(self):
        for name in ('b', 'a', 'c'):
            self.store.create_table(name, {'f': {}})
        self.assertEqual(self.store.tables(), [b'a', b'b', b'c'])

    def test_creating_an_existing_table_fails(self):
        self.make_table()
        with self.assertRaises(TableExistsError):
            self.store.create_table('t', {'f': {}})

    def test_delete_table_needs_a_disabled_table(self):
        self.make_table()
        with self.assertRaises(TableNotDisabledError):
            self.store.delete_table('t')
        self.assertEqual(self.store.tables(), [b't'])

    def test_delete_table_with_disable_deletes_an_enabled_table(self):
        self.make_table()
        self.store.delete_table('t', disable=True)
        self.assertEqual(self.store.tables(), [])

    def test_deleted_table_can_be_created_again_empty(self):
        table = self.make_table()
        table.put(b'r', {b'f:q': b'v'})
        self.store.delete_table('t', disable=True)
        table = self.make_table()
        self.assertEqual(list(table.scan()), [])

    def test_a_missing_table_is_reported_by_delete_table(self):
        with self.assertRaises(TableNotFoundError):
            self.store.delete_table('nope')

    def test_reading_a_missing_table_raises_table_not_found(self):
        with self.assertRaises(TableNotFoundError):
            self.store.table('nope').row(b'r')

    def test_writing_to_a_missing_table_raises_table_not_found(self):
        with self.assertRaises(TableNotFoundError):
            self.store.table('nope').put(b'r', {b'f:q': b'v'})

    def test_a_missing_table_is_reported_by_is_table_enabled(self):
        with self.assertRaises(TableNotFoundError):
            self.store.is_table_enabled('nope')

    def test_a_new_table_is_enabled(self):
        self.make_table()
        self.assertTrue(self.store.is_table_enabled('t'))

    def test_disable_table_disables_the_table(self):
        self.make_table()
        self.store.disable_table('t')
        self.assertFalse(self.store.is_table_enabled('t'))

    def test_disabling_a_disabled_table_fails(self):
        self.make_table()
        self.store.disable_table('t')
        with self.assertRaises(TableNotEnabledError):
            self.store.disable_table('t')

    def test_enable_table_enables_a_disabled_table(self):
        self.make_table()
        self.store.disable_table('t')
        self.store.enable_table('t')
        self.assertTrue(self.store.is_table_enabled('t'))

    def test_enabling_an_enabled_table_fails(self):
        self.make_table()
        self.store.disable_table('t')
        self.store.enable_table('t')
        with self.assertRaises(TableNotDisabledError):
            self.store.enable_table('t')

    def disabled_table_with_a_row(self):
        table = self.make_table()
        table.put(b'r', {b'f:q': b'v'})
        self.store.disable_table('t')
        return table

    def assert_refuses_reads_and_writes(self, table):
        for attempt in (lambda: table.row(b'r'), lambda: list(table.scan()),
                        lambda: table.put(b'r', {b'f:q': b'w'}), lambda: table.delete(b'r'),
                        lambda: table.counter_inc(b'r', b'f:n'), lambda: table.cells(b'r', b'f:q'),
                        lambda: table.rows([b'r'])):
            with self.assertRaises(TableNotEnabledError):
                attempt()

    def test_a_disabled_table_refuses_reads_and_writes(self):
        self.assert_refuses_reads_and_writes(self.disabled_table_with_a_row())

    def test_a_disabled_table_keeps_its_data_through_refused_writes(self):
        table = self.disabled_table_with_a_row()
        self.assert_refuses_reads_and_writes(table)
        self.store.enable_table('t')
        self.assertEqual(table.row(b'r'), {b'f:q': b'v'})

    def open_prefixed_store(self):
        """A second connection with table_prefix 'app' that has created its table t,
        beside the plain connection's table other; the caller closes it."""
        prefixed = connect(self.url, table_prefix='app')
        try:
            prefixed.create_table('t', {'f': {}})
            self.store.create_table('other', {'f': {}})
        except Exception:
            prefixed.close()
            raise
        return prefixed

    def test_a_prefixed_connection_lists_only_its_own_tables_without_the_prefix(self):
        prefixed = self.open_prefixed_store()
        try:
            self.assertEqual(prefixed.tables(), [b't'])
        finally:
            prefixed.close()

    def test_a_prefixed_connection_creates_its_tables_under_prefix_and_separator(self):
        prefixed = self.open_prefixed_store()
        try:
            self.assertEqual(self.store.tables(), [b'app_t', b'other'])
        finally:
            prefixed.close()

    def test_a_prefixed_connection_writes_to_the_prefixed_table(self):
        prefixed = self.open_prefixed_store()
        try:
            prefixed.table('t').put(b'r', {b'f:q': b'v'})
            self.assertEqual(self.store.table('app_t').row(b'r'), {b'f:q': b'v'})
        finally:
            prefixed.close()

    def test_use_prefix_false_opens_a_table_by_its_full_name(self):
        prefixed = self.open_prefixed_store()
        try:
            prefixed.table('t').put(b'r', {b'f:q': b'v'})
            self.assertEqual(prefixed.table('app_t', use_prefix=False).row(b'r'), {b'f:q': b'v'})
        finally:
            prefixed.close()

    def test_a_table_prefix_must_be_bytes_or_text(self):
        with self.assertRaises(TypeError):
            connect(self.url, table_prefix=1)

    def test_a_table_prefix_separator_must_be_bytes_or_text(self):
        with self.assertRaises(TypeError):
            connect(self.url, table_prefix_separator=None)

    def test_a_table_prefix_separator_joins_the_prefix_and_the_name(self):
        prefixed = connect(self.url, table_prefix=b'app', table_prefix_separator=b'.')
        try:
            prefixed.create_table('t', {'f': {}})
            self.assertEqual(self.store.tables(), [b'app.t'])
        finally:
            prefixed.close()

    def test_connection_is_a_context_manager(self):
        with connect(self.url) as other:
            other.create_table('t', {'f': {}})
        self.assertEqual(self.store.tables(), [b't'])

    def test_regions_cover_the_whole_key_space(self):
        table = self.make_table()
        regions = table.regions()
        self.assertTrue(regions)
        self.assertEqual(regions[0]['start_key'], b'')
        self.assertEqual(regions[-1]['end_key'], b'')

    def five_versions_keeping_two(self):
        table = self.make_table(families={'f': {'max_versions': 2}})
        for ts in range(1, 6):
            table.put(b'r', {b'f:q': str(ts).encode()}, timestamp=ts)
        return table

    def test_compaction_keeps_what_is_visible(self):
        table = self.five_versions_keeping_two()
        before = table.cells(b'r', b'f:q', include_timestamp=True)
        self.store.compact_table('t', major=True)
        self.assertEqual(table.cells(b'r', b'f:q', include_timestamp=True), before)
        self.assertEqual(before, [(b'5', 5), (b'4', 4)])

    def test_compacted_away_versions_do_not_come_back_once_newer_ones_are_deleted(self):
        table = self.five_versions_keeping_two()
        self.store.compact_table('t', major=True)
        table.delete(b'r', [b'f:q'], timestamp=5)
        self.assertEqual(table.cells(b'r', b'f:q'), [])

    # -- puts and gets --------------------------------------------------------------

    def test_row_returns_every_column_put(self):
        table = self.make_table()
        table.put(b'r1', {b'f:a': b'1', b'f:b': b'2', b'g:c': b'3'})
        self.assertEqual(table.row(b'r1'), {b'f:a': b'1', b'f:b': b'2', b'g:c': b'3'})

    def test_a_row_never_written_reads_as_empty(self):
        table = self.make_table()
        table.put(b'r1', {b'f:a': b'1', b'f:b': b'2', b'g:c': b'3'})
        self.assertEqual(table.row(b'missing'), {})

    def test_text_is_encoded_as_utf8(self):
        table = self.make_table()
        table.put('r\u00e9', {'f:q': 'h\u00e9llo'})
        self.assertEqual(table.row(b'r\xc3\xa9'), {b'f:q': b'h\xc3\xa9llo'})

    def row_of_four_columns(self):
        """Row r with f:a, f:b, the empty qualifier f: and g:c."""
        table = self.make_table()
        table.put(b'r', {b'f:a': b'1', b'f:b': b'2', b'f:': b'empty', b'g:c': b'3'})
        return table

    def test_row_columns_naming_a_column_select_only_that_column(self):
        self.assertEqual(self.row_of_four_columns().row(b'r', columns=[b'f:a']), {b'f:a': b'1'})

    def test_row_columns_naming_a_family_select_all_its_columns(self):
        table = self.row_of_four_columns()
        self.assertEqual(table.row(b'r', columns=[b'g']), {b'g:c': b'3'})
        self.assertEqual(table.row(b'r', columns=[b'f']),
                         {b'f:a': b'1', b'f:b': b'2', b'f:': b'empty'})

    def test_row_columns_naming_family_and_colon_select_the_empty_qualifier(self):
        table = self.row_of_four_columns()
        self.assertEqual(table.row(b'r', columns=[b'f:', b'g:c']), {b'f:': b'empty', b'g:c': b'3'})

    def test_a_single_column_given_as_bytes_is_not_taken_as_a_column_list(self):
        table = self.row_of_four_columns()
        with self.assertRaises(TypeError):
            table.row(b'r', columns=b'f:a')

    def test_reading_an_unknown_family_fails(self):
        table = self.make_table()
        with self.assertRaises(NoSuchColumnFamilyError):
            table.row(b'r', columns=[b'nope:q'])
        with self.assertRaises(NoSuchColumnFamilyError):
            list(table.scan(columns=[b'nope']))

    def test_row_include_timestamp_pairs_each_value_with_its_timestamp(self):
        table = self.make_table()
        table.put(b'r', {b'f:q': b'v'}, timestamp=1234)
        self.assertEqual(table.row(b'r', include_timestamp=True), {b'f:q': (b'v', 1234)})

    def test_a_put_without_timestamp_is_stamped_with_the_current_time(self):
        table = self.make_table()
        before = now_ms()
        table.put(b'r', {b'f:n': b'w'})
        value, ts = table.row(b'r', include_timestamp=True)[b'f:n']
        self.assertTrue(before <= ts <= now_ms() + 1, ts)

    def test_rows_keeps_the_order_asked_and_skips_missing(self):
        table = self.make_table()
        for key in (b'a', b'b', b'c'):
            table.put(key, {b'f:q': key})
        result = table.rows([b'c', b'missing', b'a'])
        self.assertEqual(result, [(b'c', {b'f:q': b'c'}), (b'a', {b'f:q': b'a'})])

    def test_rows_leaves_out_a_row_without_any_of_the_asked_columns(self):
        table = self.make_table()
        for key in (b'a', b'b', b'c'):
            table.put(key, {b'f:q': key})
        self.assertEqual(table.rows([b'a'], columns=[b'g']), [])

    def test_same_timestamp_overwrites(self):
        table = self.make_table()
        table.put(b'r', {b'f:q': b'one'}, timestamp=10)
        table.put(b'r', {b'f:q': b'two'}, timestamp=10)
        self.assertEqual(table.cells(b'r', b'f:q', include_timestamp=True), [(b'two', 10)])

    def test_newest_timestamp_wins_whatever_the_write_order(self):
        table = self.make_table()
        table.put(b'r', {b'f:q': b'new'}, timestamp=20)
        table.put(b'r', {b'f:q': b'old'}, timestamp=10)
        self.assertEqual(table.row(b'r'), {b'f:q': b'new'})
        self.assertEqual(table.cells(b'r', b'f:q'), [b'new', b'old'])

    def five_versions_in_two_families(self):
        """f keeps 2 versions, g 1; both hold versions 1 to 5 of q."""
        table = self.make_table(families={'f': {'max_versions': 2}, 'g': {'max_versions': 1}})
        for ts in range(1, 6):
            table.put(b'r', {b'f:q': str(ts).encode(), b'g:q': str(ts).encode()}, timestamp=ts)
        return table

    def test_versions_beyond_max_versions_are_invisible(self):
        table = self.five_versions_in_two_families()
        self.assertEqual(table.cells(b'r', b'f:q'), [b'5', b'4'])
        self.assertEqual(table.cells(b'r', b'g:q'), [b'5'])

    def test_max_versions_counts_the_versions_below_a_read_timestamp(self):
        table = self.five_versions_in_two_families()
        # Hidden versions stay hidden under a read timestamp too.
        self.assertEqual(table.cells(b'r', b'f:q', timestamp=5), [b'4', b'3'])

    def cell_with_three_versions(self):
        """f:q of row r at timestamps 1, 2 and 3, each holding its timestamp."""
        table = self.make_table()
        for ts in (1, 2, 3):
            table.put(b'r', {b'f:q': str(ts).encode()}, timestamp=ts)
        return table

    def test_cells_returns_every_version_newest_first(self):
        self.assertEqual(self.cell_with_three_versions().cells(b'r', b'f:q'), [b'3', b'2', b'1'])

    def test_cells_versions_limits_the_versions_returned(self):
        self.assertEqual(self.cell_with_three_versions().cells(b'r', b'f:q', versions=2), [b'3', b'2'])

    def test_cells_include_timestamp_pairs_each_version_with_its_timestamp(self):
        table = self.cell_with_three_versions()
        self.assertEqual(table.cells(b'r', b'f:q', include_timestamp=True, versions=1), [(b'3', 3)])

    def test_cells_timestamp_is_an_exclusive_upper_bound(self):
        self.assertEqual(self.cell_with_three_versions().cells(b'r', b'f:q', timestamp=3), [b'2', b'1'])

    def test_cells_of_a_row_never_written_are_empty(self):
        self.assertEqual(self.cell_with_three_versions().cells(b'missing', b'f:q'), [])

    def old_and_new_version(self):
        table = self.make_table()
        table.put(b'r', {b'f:q': b'old'}, timestamp=100)
        table.put(b'r', {b'f:q': b'new'}, timestamp=200)
        return table

    def test_read_timestamp_is_an_exclusive_upper_bound(self):
        table = self.old_and_new_version()
        self.assertEqual(table.row(b'r', timestamp=200), {b'f:q': b'old'})
        self.assertEqual(table.row(b'r', timestamp=201), {b'f:q': b'new'})
        self.assertEqual(table.row(b'r', timestamp=100), {})
        self.assertEqual(list(table.scan(timestamp=200)), [(b'r', {b'f:q': b'old'})])
        self.assertEqual(table.rows([b'r'], timestamp=200), [(b'r', {b'f:q': b'old'})])

    def test_a_numeric_string_is_not_taken_as_a_read_timestamp(self):
        table = self.old_and_new_version()
        with self.assertRaises(TypeError):
            table.row(b'r', timestamp='200')

    def test_empty_qualifier_is_its_own_column(self):
        table = self.make_table()
        table.put(b'r', {b'f:': b'empty', b'f:q': b'v'})
        table.delete(b'r', [b'f:'])
        self.assertEqual(table.row(b'r'), {b'f:q': b'v'})

    def test_write_to_unknown_family_fails_listing_the_families(self):
        table = self.make_table()
        with self.assertRaises(NoSuchColumnFamilyError) as caught:
            table.put(b'r', {b'f:ok': b'1', b'nope:q': b'2'})
        message = str(caught.exception)
        self.assertIn('nope', message)
        self.assertIn('f, g', message)
        self.assertEqual(table.row(b'r'), {})  # nothing of the failed put was written

    # -- deletes -------------------------------------------------------------------

    # HBase's delete markers: they stay until a major compaction.

    def column_delete_marker(self, now):
        """Row r: f:q deleted at now - 5000, then f:q put below and at that timestamp."""
        table = self.make_table()
        table.put(b'r', {b'f:q': b'v1', b'f:p': b'p1'}, timestamp=now - 10000)
        table.delete(b'r', [b'f:q'], timestamp=now - 5000)
        table.put(b'r', {b'f:q': b'below', b'f:p': b'p2'}, timestamp=now - 6000)
        table.put(b'r', {b'f:q': b'at'}, timestamp=now - 5000)
        return table

    def test_a_column_delete_hides_later_puts_at_or_below_its_timestamp(self):
        table = self.column_delete_marker(now_ms())
        self.assertEqual(table.row(b'r'), {b'f:p': b'p2'})

    def test_a_later_put_above_a_column_deletes_timestamp_is_visible(self):
        now = now_ms()
        table = self.column_delete_marker(now)
        table.put(b'r', {b'f:q': b'above'}, timestamp=now - 4000)
        self.assertEqual(table.cells(b'r', b'f:q'), [b'above'])

    def test_a_family_delete_hides_later_puts_at_or_below_its_timestamp(self):
        table = self.make_table()
        now = now_ms()
        table.put(b'r', {b'f:q': b'v1', b'f:p': b'p1'}, timestamp=now - 10000)
        table.delete(b'r', [b'g'], timestamp=now - 3000)  # a family
        table.put(b'r', {b'g:x': b'x'}, timestamp=now - 3500)
        self.assertEqual(table.row(b'r', columns=[b'g']), {})

    def row_delete_marker(self, now):
        """Row r deleted at now - 2000, then put below that timestamp."""
        table = self.make_table()
        table.put(b'r', {b'f:q': b'v1', b'f:p': b'p1'}, timestamp=now - 10000)
        table.delete(b'r', timestamp=now - 2000)  # the row
        table.put(b'r', {b'f:q': b'q', b'g:y': b'y'}, timestamp=now - 2500)
        return table

    def test_a_row_delete_hides_later_puts_at_or_below_its_timestamp(self):
        table = self.row_delete_marker(now_ms())
        self.assertEqual(table.row(b'r'), {})

    def test_a_put_at_the_current_time_after_a_row_delete_is_visible(self):
        table = self.row_delete_marker(now_ms())
        table.put(b'r', {b'f:q': b'later'})
        self.assertEqual(table.row(b'r'), {b'f:q': b'later'})

    def test_deleting_a_row_removes_only_that_row(self):
        table = self.make_table()
        table.put(b'r', {b'f:a': b'1', b'g:b': b'2'})
        table.put(b'other', {b'f:a': b'1'})
        table.delete(b'r')
        self.assertEqual(table.row(b'r'), {})
        self.assertEqual(table.row(b'other'), {b'f:a': b'1'})

    def test_delete_columns_removes_all_their_versions(self):
        table = self.make_table()
        for ts in (1, 2):
            table.put(b'r', {b'f:a': b'x', b'f:b': b'y'}, timestamp=ts)
        table.delete(b'r', columns=[b'f:a'])
        self.assertEqual(table.cells(b'r', b'f:a'), [])
        self.assertEqual(table.cells(b'r', b'f:b'), [b'y', b'y'])

    def test_deleting_a_family_removes_only_its_columns(self):
        table = self.make_table()
        table.put(b'r', {b'f:a': b'1', b'f:b': b'2', b'g:c': b'3'})
        table.delete(b'r', columns=[b'f'])
        self.assertEqual(table.row(b'r'), {b'g:c': b'3'})

    def versions_at_10_20_and_30(self):
        """f:q and g:q of row r at timestamps 10, 20 and 30, each holding its timestamp."""
        table = self.make_table()
        for ts in (10, 20, 30):
            table.put(b'r', {b'f:q': str(ts).encode(), b'g:q': str(ts).encode()}, timestamp=ts)
        return table

    def test_a_column_delete_with_timestamp_removes_versions_up_to_it(self):
        table = self.versions_at_10_20_and_30()
        table.delete(b'r', columns=[b'f:q'], timestamp=20)
        self.assertEqual(table.cells(b'r', b'f:q'), [b'30'])

    def test_a_row_delete_with_timestamp_removes_versions_up_to_it(self):
        table = self.versions_at_10_20_and_30()
        table.delete(b'r', timestamp=20)
        self.assertEqual(table.cells(b'r', b'g:q'), [b'30'])

    def test_a_family_delete_with_timestamp_removes_versions_up_to_it(self):
        table = self.versions_at_10_20_and_30()
        table.delete(b'r', columns=[b'g'], timestamp=30)
        self.assertEqual(table.row(b'r'), {b'f:q': b'30'})

    def test_delete_without_timestamp_spares_cells_written_in_the_future(self):
        # HBase stamps a delete with the current time: later versions survive it.
        table = self.make_table()
        future = now_ms() + 3600 * 1000
        table.put(b'r', {b'f:q': b'later'}, timestamp=future)
        table.put(b'r', {b'f:q': b'now'})
        table.delete(b'r', [b'f:q'])
        self.assertEqual(table.cells(b'r', b'f:q'), [b'later'])

    # -- counters ------------------------------------------------------------------

    def test_counter_get_of_a_missing_counter_is_zero(self):
        self.assertEqual(self.make_table().counter_get(b'r', b'f:n'), 0)

    def test_counter_inc_adds_one_by_default(self):
        table = self.make_table()
        table.counter_get(b'r', b'f:n')
        self.assertEqual(table.counter_inc(b'r', b'f:n'), 1)

    def test_counter_inc_returns_the_new_value(self):
        table = self.make_table()
        table.counter_inc(b'r', b'f:n')
        self.assertEqual(table.counter_inc(b'r', b'f:n', 10), 11)

    def test_counter_dec_subtracts(self):
        table = self.make_table()
        table.counter_inc(b'r', b'f:n', 11)
        self.assertEqual(table.counter_dec(b'r', b'f:n', 3), 8)

    def test_a_counter_is_stored_as_an_8_byte_big_endian_long(self):
        table = self.make_table()
        table.counter_inc(b'r', b'f:n', 11)
        table.counter_dec(b'r', b'f:n', 3)
        self.assertEqual(table.row(b'r'), {b'f:n': struct.pack('>q', 8)})

    def test_counter_set_replaces_the_counters_value(self):
        table = self.make_table()
        table.counter_inc(b'r', b'f:n', 8)
        table.counter_set(b'r', b'f:n', -5)
        self.assertEqual(table.counter_get(b'r', b'f:n'), -5)

    def test_a_counter_holds_64_bit_values(self):
        table = self.make_table()
        table.counter_set(b'r', b'f:n', -5)
        self.assertEqual(table.counter_inc(b'r', b'f:n', 2 ** 40), 2 ** 40 - 5)

    def test_counter_get_initialises_a_missing_counter(self):
        table = self.make_table()
        table.counter_get(b'r', b'f:n')
        self.assertEqual(table.row(b'r'), {b'f:n': b'\x00' * 8})

    def test_incrementing_a_non_counter_fails(self):
        table = self.make_table()
        table.put(b'r', {b'f:n': b'abc'})
        with self.assertRaises(CounterError):
            table.counter_inc(b'r', b'f:n')
        self.assertEqual(table.row(b'r'), {b'f:n': b'abc'})

    def test_counter_on_unknown_family_fails(self):
        table = self.make_table()
        with self.assertRaises(NoSuchColumnFamilyError):
            table.counter_inc(b'r', b'nope:n')

    # -- time to live ---------------------------------------------------------------

    def test_family_ttl_hides_expired_cells(self):
        table = self.make_table(families={'f': {'time_to_live': 60}, 'g': {}})
        old = now_ms() - 120 * 1000
        table.put(b'r', {b'f:old': b'x', b'g:old': b'x'}, timestamp=old)
        table.put(b'r', {b'f:new': b'y'})
        self.assertEqual(table.row(b'r'), {b'f:new': b'y', b'g:old': b'x'})
        self.assertEqual(table.cells(b'r', b'f:old'), [])
        self.assertEqual(list(table.scan(columns=[b'f'])), [(b'r', {b'f:new': b'y'})])

    def test_families_reports_a_familys_time_to_live(self):
        table = self.make_table(families={'f': {'time_to_live': 60}, 'g': {}})
        self.assertEqual(table.families()[b'f']['time_to_live'], 60)

    def test_expired_counter_starts_again_from_zero(self):
        table = self.make_table(families={'f': {'time_to_live': 60}})
        table.put(b'r', {b'f:n': struct.pack('>q', 7)}, timestamp=now_ms() - 120 * 1000)
        self.assertEqual(table.counter_inc(b'r', b'f:n'), 1)
