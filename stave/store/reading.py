"""From stored cells to what a read returns, with HBase's semantics.

A backend yields cells ``(row, family, qualifier, timestamp, value)`` in HBase
order (row, family, qualifier ascending; timestamp descending), already cut to
the row range, the requested columns and the read timestamp. This module
applies the rest, in HBase's order:

1. visibility: cells older than the family's time-to-live, and versions beyond
   the family's ``max_versions``, are invisible (as after a compaction);
2. the filter, if any (see stave.store.filters.base for its protocol);
3. the number of versions the read asked for (1 for row/rows/scan).
"""
from __future__ import absolute_import, division, print_function, unicode_literals

from collections import OrderedDict

from stave.compat import to_text
from stave.errors import StoreError
from stave.sentinels import FOREVER
from stave.store.filters.base import INCLUDE_AND_NEXT_COL, NEXT_COL, NEXT_ROW, SKIP


def group_rows(cells):
    """Group a cell stream into (row, [(family, qualifier, ts, value), ...]) pairs."""
    current, bucket = None, None
    for row, family, qualifier, ts, value in cells:
        if row != current:
            if bucket:
                yield current, bucket
            current, bucket = row, []
        bucket.append((family, qualifier, ts, value))
    if bucket:
        yield current, bucket


def check_reverse_filter(row_filter, families, columns):
    """Refuse a reverse scan whose filter leaves a scanned family non-essential,
    as HBase's region server does (it would load that family on demand, which
    reversed scans do not support): a SingleColumnValueFilter with
    filterIfMissing over a table or column list with other families.
    `columns` is [(family, qualifier)] or None for every family."""
    scanned = families if columns is None else set(family for family, _ in columns)
    lazy = [family for family in sorted(scanned) if not row_filter.is_family_essential(family)]
    if lazy:
        raise StoreError('Reverse scan with loading CFs on demand is not supported (as in HBase): the filter '
                         'does not need family %s, so HBase would load it on demand' % to_text(lazy[0]),
                         hint='scan forward, scan only the filter\'s family, or set filterIfMissing to false')


def ttl_cutoffs(families, now_ms):
    """{family: oldest visible timestamp} for the families that have a time-to-live."""
    return dict((name, now_ms - options['time_to_live'] * 1000)
                for name, options in families.items() if options['time_to_live'] != FOREVER)


def make_row(cells, include_timestamp=False, ordered=False):
    """The happybase row dict {b'family:qualifier': value or (value, ts)} of one row's cells."""
    data = OrderedDict() if ordered else {}
    for family, qualifier, ts, value in cells:
        data[family + b':' + qualifier] = (value, ts) if include_timestamp else value
    return data


def latest_row(cells, cutoffs, include_timestamp=False):
    """The row dict of one row's newest visible cell per column (no filter, one version)."""
    data = {}
    for family, qualifier, ts, value in cells:
        column = family + b':' + qualifier
        if column in data or (cutoffs and ts < cutoffs.get(family, ts)):
            continue  # an older version, or expired (and then so are the older ones)
        data[column] = (value, ts) if include_timestamp else value
    return data


def latest_rows(cells, cutoffs, include_timestamp=False, ordered=False):
    """Yield (row, row dict) straight from a cell stream, keeping each column's
    newest visible cell: the whole read pipeline for the common scan, fused
    into one loop because it runs once per cell."""
    current, data = None, None
    new_dict = OrderedDict if ordered else dict
    for row, family, qualifier, ts, value in cells:
        if row != current:
            if data:
                yield current, data
            current, data = row, new_dict()
        column = family + b':' + qualifier
        if column in data or (cutoffs and ts < cutoffs.get(family, ts)):
            continue
        data[column] = (value, ts) if include_timestamp else value
    if data:
        yield current, data


class RowReader(object):
    """Applies visibility, a filter and a version limit to rows of one table."""

    def __init__(self, families, now_ms, versions=1, row_filter=None):
        self.max_versions = dict((name, options['max_versions']) for name, options in families.items())
        self.cutoffs = ttl_cutoffs(families, now_ms)
        self.versions = versions
        self.filter = row_filter

    def rows(self, rows):
        """Yield (row, cells) for each row that has cells left to return.

        As HBase's region scanner: filters are reset after every row; after a
        row is returned, or rejected by its key, a filter that is done
        (filter_all_remaining) ends the scan. Each family is read by its own
        store scanner, which asks the filter whether it is done before every
        cell it looks at, including the first cell after the row when it
        looks for the row's end: if so, that family's scanner closes for the
        rest of the scan (HBase's DONE_SCAN) and the other families go on. So
        a ColumnCountGetFilter that ran out in a row ends the families it was
        reading, not the scan."""
        flt = self.filter
        closed = self.closed = set()
        every_family = set(self.max_versions)
        for row, cells in rows:
            if closed:
                if closed >= every_family:
                    return
                cells = [cell for cell in cells if cell[0] not in closed]
                if not cells:
                    continue  # HBase never sees this row
            if flt is not None and flt.filter_row_key(row):
                if flt.filter_all_remaining():
                    return
                flt.reset()
                continue
            kept = self._select(cells)
            if kept and not (flt is not None and flt.filter_row()):
                yield row, kept
                if flt is not None:
                    flt.reset()
                    if flt.filter_all_remaining():
                        return
            elif flt is not None:
                flt.reset()

    def visible(self, cells):
        """One row's cells without expired ones and without excess versions."""
        kept, last, count = [], None, 0
        max_versions, cutoffs = self.max_versions, self.cutoffs
        for cell in cells:
            if cutoffs and cell[2] < cutoffs.get(cell[0], cell[2]):
                continue
            column = (cell[0], cell[1])
            if column != last:
                last, count = column, 0
            count += 1
            if count <= max_versions[cell[0]]:
                kept.append(cell)
        return kept

    def _select(self, cells):
        """Run one row's cells through visibility (time-to-live, the family's
        max_versions), the filter and the read's version limit, in HBase's
        order; return the cells kept."""
        flt, versions, closed = self.filter, self.versions, self.closed
        max_versions, cutoffs = self.max_versions, self.cutoffs
        kept = []
        family = skip_family = skip_column = None
        seen_column = kept_column = None
        seen = count = 0
        for cell in cells:
            if cell[0] != family:
                if flt is not None:
                    self._family_ends(family, skip_family)
                family = cell[0]
            if family == skip_family:
                continue
            column = (family, cell[1])
            if column == skip_column:
                continue
            code = 0
            if flt is not None and flt.filter_all_remaining():
                closed.add(family)  # this family's store scanner is done
                skip_family = family
                continue
            if cutoffs and cell[2] < cutoffs.get(family, cell[2]):
                continue  # expired
            if column != seen_column:
                seen_column, seen = column, 0
            seen += 1
            if seen > max_versions[family]:
                skip_column = column  # an excess version, invisible
                continue
            if flt is not None:
                code = flt.filter_cell(cell)
                if code == NEXT_ROW:
                    skip_family = family
                    continue
                if code == SKIP:
                    continue
                if code == NEXT_COL:
                    skip_column = column
                    continue
            if column != kept_column:
                kept_column, count = column, 0
            count += 1
            if count > versions:
                skip_column = column
                continue
            kept.append(flt.transform_cell(cell) if flt is not None else cell)
            if code == INCLUDE_AND_NEXT_COL:
                skip_column = column
        if flt is not None:
            self._family_ends(family, skip_family)
        return kept

    def _family_ends(self, family, skip_family):
        """A family's store scanner looks at the first cell after the row,
        unless the filter sent it to the next row: a done filter closes it."""
        if family is not None and family != skip_family and self.filter.filter_all_remaining():
            self.closed.add(family)
