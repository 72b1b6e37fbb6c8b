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
from collections import OrderedDict

from stave.errors import (
    CounterError, FilterSyntaxError, NoSuchColumnFamilyError, TableExistsError,
    TableNotDisabledError, TableNotEnabledError, TableNotFoundError)
from stave.store import connect
from store_conformance_batches import BatchConformance
from store_conformance_filters import FilterConformance
from store_conformance_surface import SurfaceConformance


def now_ms():
    return int(time.time() * 1000)


class StoreConformance(BatchConformance, FilterConformance, SurfaceConformance):
    """Mixin for unittest.TestCase; subclasses set `provider`. Batches' part of
    the contract is in store_conformance_batches.py, the filter language's in
    store_conformance_filters.py, happybase's surface in store_conformance_surface.py."""

    provider = None

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

    def test_create_table_lists_it_with_its_families(self):
        self.store.create_table('t1', {'f': {'max_versions': 1}, 'g:': None})
        self.assertEqual(self.store.tables(), [b't1'])
        families = self.store.table('t1').families()
        self.assertEqual(sorted(families), [b'f', b'g'])
        self.assertEqual(families[b'f']['max_versions'], 1)
        self.assertEqual(families[b'g']['max_versions'], 3)  # Thrift's default
        self.assertEqual(families[b'f']['name'], b'f:')

    def test_tables_are_listed_in_name_order(self):
        for name in ('b', 'a', 'c'):
            self.store.create_table(name, {'f': {}})
        self.assertEqual(self.store.tables(), [b'a', b'b', b'c'])

    def test_creating_an_existing_table_fails(self):
        self.make_table()
        with self.assertRaises(TableExistsError):
            self.store.create_table('t', {'f': {}})

    def test_create_table_checks_its_arguments(self):
        with self.assertRaises(TypeError):
            self.store.create_table('t', ['f'])
        with self.assertRaises(ValueError):
            self.store.create_table('t', {})
        with self.assertRaises(TypeError):
            self.store.create_table('t', {'f': {'max_version': 2}})
        with self.assertRaises(ValueError):
            self.store.create_table('t', {'a:b': {}})
        with self.assertRaises(ValueError):
            self.store.create_table('bad name!', {'f': {}})
        self.assertEqual(self.store.tables(), [])

    def test_delete_table_needs_a_disabled_table(self):
        self.make_table()
        with self.assertRaises(TableNotDisabledError):
            self.store.delete_table('t')
        self.assertEqual(self.store.tables(), [b't'])
        self.store.delete_table('t', disable=True)
        self.assertEqual(self.store.tables(), [])

    def test_deleted_table_can_be_created_again_empty(self):
        table = self.make_table()
        table.put(b'r', {b'f:q': b'v'})
        self.store.delete_table('t', disable=True)
        table = self.make_table()
        self.assertEqual(list(table.scan()), [])

    def test_missing_table_is_reported(self):
        with self.assertRaises(TableNotFoundError):
            self.store.delete_table('nope')
        with self.assertRaises(TableNotFoundError):
            self.store.table('nope').row(b'r')
        with self.assertRaises(TableNotFoundError):
            self.store.table('nope').put(b'r', {b'f:q': b'v'})
        with self.assertRaises(TableNotFoundError):
            self.store.is_table_enabled('nope')

    def test_enable_and_disable(self):
        self.make_table()
        self.assertTrue(self.store.is_table_enabled('t'))
        self.store.disable_table('t')
        self.assertFalse(self.store.is_table_enabled('t'))
        with self.assertRaises(TableNotEnabledError):
            self.store.disable_table('t')
        self.store.enable_table('t')
        self.assertTrue(self.store.is_table_enabled('t'))
        with self.assertRaises(TableNotDisabledError):
            self.store.enable_table('t')

    def test_disabled_table_refuses_reads_and_writes_and_keeps_its_data(self):
        table = self.make_table()
        table.put(b'r', {b'f:q': b'v'})
        self.store.disable_table('t')
        for attempt in (lambda: table.row(b'r'), lambda: list(table.scan()),
                        lambda: table.put(b'r', {b'f:q': b'w'}), lambda: table.delete(b'r'),
                        lambda: table.counter_inc(b'r', b'f:n'), lambda: table.cells(b'r', b'f:q'),
                        lambda: table.rows([b'r'])):
            with self.assertRaises(TableNotEnabledError):
                attempt()
        self.store.enable_table('t')
        self.assertEqual(table.row(b'r'), {b'f:q': b'v'})

    def test_table_prefix(self):
        prefixed = connect(self.url, table_prefix='app')
        try:
            prefixed.create_table('t', {'f': {}})
            self.store.create_table('other', {'f': {}})
            self.assertEqual(prefixed.tables(), [b't'])
            self.assertEqual(self.store.tables(), [b'app_t', b'other'])
            prefixed.table('t').put(b'r', {b'f:q': b'v'})
            self.assertEqual(self.store.table('app_t').row(b'r'), {b'f:q': b'v'})
            self.assertEqual(prefixed.table('app_t', use_prefix=False).row(b'r'), {b'f:q': b'v'})
        finally:
            prefixed.close()
        with self.assertRaises(TypeError):
            connect(self.url, table_prefix=1)
        with self.assertRaises(TypeError):
            connect(self.url, table_prefix_separator=None)

    def test_table_prefix_separator(self):
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

    def test_compaction_keeps_what_is_visible(self):
        table = self.make_table(families={'f': {'max_versions': 2}})
        for ts in range(1, 6):
            table.put(b'r', {b'f:q': str(ts).encode()}, timestamp=ts)
        before = table.cells(b'r', b'f:q', include_timestamp=True)
        self.store.compact_table('t', major=True)
        self.assertEqual(table.cells(b'r', b'f:q', include_timestamp=True), before)
        self.assertEqual(before, [(b'5', 5), (b'4', 4)])
        table.delete(b'r', [b'f:q'], timestamp=5)
        # Compacted-away versions do not come back once newer ones are deleted.
        self.assertEqual(table.cells(b'r', b'f:q'), [])

    # -- puts and gets --------------------------------------------------------------

    def test_put_and_row(self):
        table = self.make_table()
        table.put(b'r1', {b'f:a': b'1', b'f:b': b'2', b'g:c': b'3'})
        self.assertEqual(table.row(b'r1'), {b'f:a': b'1', b'f:b': b'2', b'g:c': b'3'})
        self.assertEqual(table.row(b'missing'), {})

    def test_text_is_encoded_as_utf8(self):
        table = self.make_table()
        table.put('r\u00e9', {'f:q': 'h\u00e9llo'})
        self.assertEqual(table.row(b'r\xc3\xa9'), {b'f:q': b'h\xc3\xa9llo'})

    def test_row_with_columns(self):
        table = self.make_table()
        table.put(b'r', {b'f:a': b'1', b'f:b': b'2', b'f:': b'empty', b'g:c': b'3'})
        self.assertEqual(table.row(b'r', columns=[b'f:a']), {b'f:a': b'1'})
        self.assertEqual(table.row(b'r', columns=[b'g']), {b'g:c': b'3'})
        self.assertEqual(table.row(b'r', columns=[b'f:', b'g:c']), {b'f:': b'empty', b'g:c': b'3'})
        self.assertEqual(table.row(b'r', columns=[b'f']),
                         {b'f:a': b'1', b'f:b': b'2', b'f:': b'empty'})
        with self.assertRaises(TypeError):
            table.row(b'r', columns=b'f:a')

    def test_reading_an_unknown_family_fails(self):
        table = self.make_table()
        with self.assertRaises(NoSuchColumnFamilyError):
            table.row(b'r', columns=[b'nope:q'])
        with self.assertRaises(NoSuchColumnFamilyError):
            list(table.scan(columns=[b'nope']))

    def test_include_timestamp(self):
        table = self.make_table()
        table.put(b'r', {b'f:q': b'v'}, timestamp=1234)
        self.assertEqual(table.row(b'r', include_timestamp=True), {b'f:q': (b'v', 1234)})
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

    def test_versions_beyond_max_versions_are_invisible(self):
        table = self.make_table(families={'f': {'max_versions': 2}, 'g': {'max_versions': 1}})
        for ts in range(1, 6):
            table.put(b'r', {b'f:q': str(ts).encode(), b'g:q': str(ts).encode()}, timestamp=ts)
        self.assertEqual(table.cells(b'r', b'f:q'), [b'5', b'4'])
        self.assertEqual(table.cells(b'r', b'g:q'), [b'5'])
        # Hidden versions stay hidden under a read timestamp too.
        self.assertEqual(table.cells(b'r', b'f:q', timestamp=5), [b'4', b'3'])

    def test_cells(self):
        table = self.make_table()
        for ts in (1, 2, 3):
            table.put(b'r', {b'f:q': str(ts).encode()}, timestamp=ts)
        self.assertEqual(table.cells(b'r', b'f:q'), [b'3', b'2', b'1'])
        self.assertEqual(table.cells(b'r', b'f:q', versions=2), [b'3', b'2'])
        self.assertEqual(table.cells(b'r', b'f:q', include_timestamp=True, versions=1), [(b'3', 3)])
        self.assertEqual(table.cells(b'r', b'f:q', timestamp=3), [b'2', b'1'])
        self.assertEqual(table.cells(b'missing', b'f:q'), [])
        with self.assertRaises(TypeError):
            table.cells(b'r', b'f:q', versions='2')
        with self.assertRaises(ValueError):
            table.cells(b'r', b'f:q', versions=0)

    def test_read_timestamp_is_an_exclusive_upper_bound(self):
        table = self.make_table()
        table.put(b'r', {b'f:q': b'old'}, timestamp=100)
        table.put(b'r', {b'f:q': b'new'}, timestamp=200)
        self.assertEqual(table.row(b'r', timestamp=200), {b'f:q': b'old'})
        self.assertEqual(table.row(b'r', timestamp=201), {b'f:q': b'new'})
        self.assertEqual(table.row(b'r', timestamp=100), {})
        self.assertEqual(list(table.scan(timestamp=200)), [(b'r', {b'f:q': b'old'})])
        self.assertEqual(table.rows([b'r'], timestamp=200), [(b'r', {b'f:q': b'old'})])
        with self.assertRaises(TypeError):
            table.row(b'r', timestamp='200')

    def test_empty_qualifier_is_its_own_column(self):
        table = self.make_table()
        table.put(b'r', {b'f:': b'empty', b'f:q': b'v'})
        table.delete(b'r', [b'f:'])
        self.assertEqual(table.row(b'r'), {b'f:q': b'v'})

    def test_put_needs_a_qualifier_part(self):
        table = self.make_table()
        with self.assertRaises(ValueError):
            table.put(b'r', {b'f': b'v'})
        with self.assertRaises(TypeError):
            table.put(b'r', [(b'f:q', b'v')])
        with self.assertRaises(TypeError):
            table.put(b'r', {b'f:q': 1})
        self.assertEqual(table.row(b'r'), {})

    def test_write_to_unknown_family_fails_listing_the_families(self):
        table = self.make_table()
        with self.assertRaises(NoSuchColumnFamilyError) as caught:
            table.put(b'r', {b'f:ok': b'1', b'nope:q': b'2'})
        message = str(caught.exception)
        self.assertIn('nope', message)
        self.assertIn('f, g', message)
        self.assertEqual(table.row(b'r'), {})  # nothing of the failed put was written

    # -- deletes -------------------------------------------------------------------

    def test_a_delete_hides_later_puts_at_or_below_its_timestamp(self):
        # HBase's delete markers: they stay until a major compaction.
        table = self.make_table()
        now = now_ms()
        table.put(b'r', {b'f:q': b'v1', b'f:p': b'p1'}, timestamp=now - 10000)
        table.delete(b'r', [b'f:q'], timestamp=now - 5000)
        table.put(b'r', {b'f:q': b'below', b'f:p': b'p2'}, timestamp=now - 6000)
        table.put(b'r', {b'f:q': b'at'}, timestamp=now - 5000)
        self.assertEqual(table.row(b'r'), {b'f:p': b'p2'})
        table.put(b'r', {b'f:q': b'above'}, timestamp=now - 4000)
        self.assertEqual(table.cells(b'r', b'f:q'), [b'above'])
        table.delete(b'r', [b'g'], timestamp=now - 3000)  # a family
        table.put(b'r', {b'g:x': b'x'}, timestamp=now - 3500)
        self.assertEqual(table.row(b'r', columns=[b'g']), {})
        table.delete(b'r', timestamp=now - 2000)  # the row
        table.put(b'r', {b'f:q': b'q', b'g:y': b'y'}, timestamp=now - 2500)
        self.assertEqual(table.row(b'r'), {})
        table.put(b'r', {b'f:q': b'later'})
        self.assertEqual(table.row(b'r'), {b'f:q': b'later'})

    def test_delete_row(self):
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

    def test_delete_family(self):
        table = self.make_table()
        table.put(b'r', {b'f:a': b'1', b'f:b': b'2', b'g:c': b'3'})
        table.delete(b'r', columns=[b'f'])
        self.assertEqual(table.row(b'r'), {b'g:c': b'3'})

    def test_delete_with_timestamp_removes_versions_up_to_it(self):
        table = self.make_table()
        for ts in (10, 20, 30):
            table.put(b'r', {b'f:q': str(ts).encode(), b'g:q': str(ts).encode()}, timestamp=ts)
        table.delete(b'r', columns=[b'f:q'], timestamp=20)
        self.assertEqual(table.cells(b'r', b'f:q'), [b'30'])
        table.delete(b'r', timestamp=20)
        self.assertEqual(table.cells(b'r', b'g:q'), [b'30'])
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

    def test_counters(self):
        table = self.make_table()
        self.assertEqual(table.counter_get(b'r', b'f:n'), 0)
        self.assertEqual(table.counter_inc(b'r', b'f:n'), 1)
        self.assertEqual(table.counter_inc(b'r', b'f:n', 10), 11)
        self.assertEqual(table.counter_dec(b'r', b'f:n', 3), 8)
        self.assertEqual(table.row(b'r'), {b'f:n': struct.pack('>q', 8)})
        table.counter_set(b'r', b'f:n', -5)
        self.assertEqual(table.counter_get(b'r', b'f:n'), -5)
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
        self.assertEqual(table.families()[b'f']['time_to_live'], 60)

    def test_expired_counter_starts_again_from_zero(self):
        table = self.make_table(families={'f': {'time_to_live': 60}})
        table.put(b'r', {b'f:n': struct.pack('>q', 7)}, timestamp=now_ms() - 120 * 1000)
        self.assertEqual(table.counter_inc(b'r', b'f:n'), 1)

    # -- scans ---------------------------------------------------------------------

    def fill(self, table, keys):
        with table.batch() as batch:
            for key in keys:
                batch.put(key, {b'f:q': key})

    def scan_keys(self, table, **kwargs):
        return [key for key, _ in table.scan(**kwargs)]

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

    def test_prefix_scan(self):
        table = self.make_table()
        self.fill(table, [b'app/db.py:000001', b'app/db.py:000212', b'app/db.py.orig:000001',
                          b'app/db.pz', b'app/d'])
        self.assertEqual(self.scan_keys(table, row_prefix=b'app/db.py:'),
                         [b'app/db.py:000001', b'app/db.py:000212'])
        self.assertEqual(self.scan_keys(table, row_prefix=b'app/db.py'),
                         [b'app/db.py.orig:000001', b'app/db.py:000001', b'app/db.py:000212'])
        with self.assertRaises(TypeError):
            table.scan(row_prefix=b'a', row_start=b'a')

    def test_prefix_of_ff_bytes_scans_to_the_end(self):
        table = self.make_table()
        self.fill(table, [b'\xfe', b'\xff', b'\xff\xff', b'\xff\x00'])
        self.assertEqual(self.scan_keys(table, row_prefix=b'\xff'), [b'\xff', b'\xff\x00', b'\xff\xff'])
        self.assertEqual(self.scan_keys(table, row_prefix=b'\xff\xff'), [b'\xff\xff'])

    def test_reverse_scans(self):
        table = self.make_table()
        self.fill(table, [b'a', b'b', b'c', b'd', b'e'])
        self.assertEqual(self.scan_keys(table, reverse=True), [b'e', b'd', b'c', b'b', b'a'])
        self.assertEqual(self.scan_keys(table, reverse=True, row_start=b'd', row_stop=b'b'), [b'd', b'c'])
        self.assertEqual(self.scan_keys(table, reverse=True, row_start=b'cc'), [b'c', b'b', b'a'])
        self.assertEqual(self.scan_keys(table, reverse=True, row_stop=b'c'), [b'e', b'd'])
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

    def test_scan_limit_and_columns(self):
        table = self.make_table()
        with table.batch() as batch:
            for key in (b'a', b'b', b'c'):
                batch.put(key, {b'f:q': key, b'g:r': key})
        self.assertEqual(list(table.scan(limit=2, columns=[b'g:r'])),
                         [(b'a', {b'g:r': b'a'}), (b'b', {b'g:r': b'b'})])
        self.assertEqual(self.scan_keys(table, columns=[b'f:nope']), [])

    def test_scan_include_timestamp_and_sorted_columns(self):
        table = self.make_table()
        table.put(b'r', {b'g:b': b'4', b'f:b': b'2', b'f:a': b'1', b'g:a': b'3'}, timestamp=7)
        (key, data), = table.scan(sorted_columns=True, include_timestamp=True)
        self.assertIsInstance(data, OrderedDict)
        self.assertEqual(list(data.items()), [(b'f:a', (b'1', 7)), (b'f:b', (b'2', 7)),
                                              (b'g:a', (b'3', 7)), (b'g:b', (b'4', 7))])

    def test_scan_batching_splits_wide_rows(self):
        table = self.make_table()
        table.put(b'r', dict((('f:%d' % i).encode(), b'v') for i in range(5)))
        table.put(b's', {b'f:0': b'v'})
        results = list(table.scan(scan_batching=2))
        self.assertEqual([key for key, _ in results], [b'r', b'r', b'r', b's'])
        self.assertEqual([len(data) for _, data in results], [2, 2, 1, 1])
        self.assertEqual(len(list(table.scan(scan_batching=2, limit=2))), 2)

    def test_scan_checks_its_arguments_at_once(self):
        table = self.make_table()
        with self.assertRaises(ValueError):
            table.scan(batch_size=0)
        with self.assertRaises(ValueError):
            table.scan(limit=0)
        with self.assertRaises(ValueError):
            table.scan(scan_batching=0)
        with self.assertRaises(TypeError):
            table.scan(columns=b'f')
        with self.assertRaises(FilterSyntaxError):
            table.scan(filter="PrefixFilter('a'")

    def test_write_during_scan(self):
        table = self.make_table()
        self.fill(table, [b'a', b'b', b'c'])
        seen = []
        for key, data in table.scan():
            seen.append(key)
            table.put(key, {b'g:seen': b'1'})
        self.assertEqual(seen, [b'a', b'b', b'c'])
        self.assertEqual(self.scan_keys(table, columns=[b'g:seen']), [b'a', b'b', b'c'])
