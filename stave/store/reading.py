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

from stave.store.families import FOREVER
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


def reverse_within_rows(cells):
    """Turn a fully reversed cell stream (rows descending, cells reversed) into
    rows descending with each row's cells in HBase order."""
    current, bucket = None, []
    for cell in cells:
        if cell[0] != current:
            for kept in reversed(bucket):
                yield kept
            current, bucket = cell[0], []
        bucket.append(cell)
    for kept in reversed(bucket):
        yield kept


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
        """Yield (row, cells) for each row that has cells left to return."""
        flt = self.filter
        for row, cells in rows:
            if flt is not None:
                if flt.filter_all_remaining():
                    return
                flt.reset()
                if flt.filter_row_key(row):
                    continue
            kept, stop = self._select(self.visible(cells))
            if kept and not (flt is not None and flt.filter_row()):
                yield row, kept
            if stop:
                return

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
        """Run one row's visible cells through the filter and the version limit.

        Returns (kept cells, whether the scan ends after this row)."""
        flt, versions = self.filter, self.versions
        kept = []
        skip_family = skip_column = last = None
        count = 0
        for cell in cells:
            family, column = cell[0], (cell[0], cell[1])
            if family == skip_family or column == skip_column:
                continue
            code = 0
            if flt is not None:
                if flt.filter_all_remaining():
                    return kept, True
                code = flt.filter_cell(cell)
                if code == NEXT_ROW:
                    skip_family = family
                    continue
                if code == SKIP:
                    continue
                if code == NEXT_COL:
                    skip_column = column
                    continue
            if column != last:
                last, count = column, 0
            count += 1
            if count > versions:
                skip_column = column
                continue
            kept.append(flt.transform_cell(cell) if flt is not None else cell)
            if code == INCLUDE_AND_NEXT_COL:
                skip_column = column
        return kept, False
