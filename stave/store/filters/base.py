"""The filter protocol (HBase's Filter, reduced to what stave's filters need).

A scan drives one filter object through each row:

1. ``filter_all_remaining()``: True ends the scan.
2. ``reset()``, then ``filter_row_key(row)``: True drops the row.
3. ``filter_cell(cell)`` for each visible cell, in HBase order, returning a
   code below; ``transform_cell(cell)`` is applied to the cells included.
4. ``filter_row()``: called only for a row that kept cells; True drops it.

A cell is a tuple ``(family, qualifier, timestamp, value)``.

As in HBase, where each family is read by its own store scanner, NEXT_ROW
skips the rest of the current family's cells in the row; the filter sees the
next family's cells again.
"""
from __future__ import absolute_import, division, print_function, unicode_literals

INCLUDE = 0
INCLUDE_AND_NEXT_COL = 1
SKIP = 2
NEXT_COL = 3
NEXT_ROW = 4


class Filter(object):
    """A filter that includes everything; subclasses override what they decide."""

    def reset(self):
        """Forget the state of the previous row."""

    def filter_all_remaining(self):
        """True once no further row can match, which ends the scan."""
        return False

    def filter_row_key(self, row):
        """True to drop the row `row` before its cells are read."""
        return False

    def filter_cell(self, cell):
        """Decide about one cell: INCLUDE, INCLUDE_AND_NEXT_COL, SKIP, NEXT_COL or NEXT_ROW."""
        return INCLUDE

    def transform_cell(self, cell):
        """Return the cell as the client should see it."""
        return cell

    def filter_row(self):
        """True to drop the current row after its cells were filtered."""
        return False

    def is_family_essential(self, family):
        """Whether the filter needs `family`'s cells to decide about a row
        (HBase's isFamilyEssential: the other families are loaded on demand)."""
        return True


class FilterList(Filter):
    """AND (MUST_PASS_ALL) or OR (MUST_PASS_ONE) over sub-filters."""

    def __init__(self, filters, must_pass_all):
        self.filters = list(filters)
        self.must_pass_all = must_pass_all
        self._row_key_filtered = [False] * len(self.filters)
        self._included_by = []
        #: OR lists: each sub-filter's last (cell, code) in the row, as HBase's
        #: FilterListWithOR keeps them (prevCellList, prevFilterRCList).
        self._previous = [None] * len(self.filters)

    def reset(self):
        for f in self.filters:
            f.reset()
        self._row_key_filtered = [False] * len(self.filters)
        self._previous = [None] * len(self.filters)

    def filter_all_remaining(self):
        done = [f.filter_all_remaining() for f in self.filters]
        return any(done) if self.must_pass_all else all(done)

    def filter_row_key(self, row):
        # Every sub-filter sees the key (PrefixFilter and friends keep state).
        self._row_key_filtered = [f.filter_all_remaining() or f.filter_row_key(row) for f in self.filters]
        if self.must_pass_all:
            return any(self._row_key_filtered)
        return all(self._row_key_filtered)

    def filter_cell(self, cell):
        if self.must_pass_all:
            # As HBase's FilterListWithAND: in order, and the first filter that
            # does not include the cell decides; the later ones never see it
            # (so a FirstKeyOnlyFilter after a QualifierFilter takes the first
            # cell the QualifierFilter lets through).
            result = INCLUDE
            for f in self.filters:
                if f.filter_all_remaining():
                    return NEXT_ROW
                code = f.filter_cell(cell)
                if code == INCLUDE:
                    continue
                if code == INCLUDE_AND_NEXT_COL:
                    result = INCLUDE_AND_NEXT_COL
                    continue
                if code == SKIP:
                    return NEXT_COL if result == INCLUDE_AND_NEXT_COL else SKIP
                return code  # NEXT_COL or NEXT_ROW
            return result
        codes = []
        self._included_by = []
        previous = self._previous
        for index, (f, key_filtered) in enumerate(zip(self.filters, self._row_key_filtered)):
            if key_filtered or f.filter_all_remaining():
                codes.append(NEXT_ROW)
                continue
            # As HBase: a sub-filter that sent the previous cell to the next column
            # (or row) answers the same for the rest of that column (or family)
            # without seeing the cells, so it does not count them.
            code = None
            last = previous[index]
            if last is not None:
                last_cell, last_code = last
                if last_code in (NEXT_COL, INCLUDE_AND_NEXT_COL) and last_cell[:2] == cell[:2]:
                    code = NEXT_COL
                elif last_code == NEXT_ROW and last_cell[0] == cell[0]:
                    code = NEXT_ROW
            if code is None:
                code = f.filter_cell(cell)
            previous[index] = None if code in (INCLUDE, SKIP) else (cell, code)
            codes.append(code)
            if code in (INCLUDE, INCLUDE_AND_NEXT_COL):
                self._included_by.append(f)
        if self._included_by:
            if all(c in (INCLUDE_AND_NEXT_COL, NEXT_COL, NEXT_ROW) for c in codes):
                return INCLUDE_AND_NEXT_COL
            return INCLUDE
        if all(c == NEXT_ROW for c in codes):
            return NEXT_ROW
        if all(c in (NEXT_COL, NEXT_ROW) for c in codes):
            return NEXT_COL
        return SKIP

    def is_family_essential(self, family):
        return any(f.is_family_essential(family) for f in self.filters)

    def transform_cell(self, cell):
        for f in (self.filters if self.must_pass_all else self._included_by):
            cell = f.transform_cell(cell)
        return cell

    def filter_row(self):
        # As HBase's FilterListWithAND/WithOR, in order and stopping at the first
        # answer that decides: later filters are not asked (a PageFilter after a
        # filter that keeps the row in an OR list does not count that row).
        if self.must_pass_all:
            return any(f.filter_row() for f in self.filters)
        return all(f.filter_row() for f in self.filters)


class SkipFilter(Filter):
    """SKIP f: drop the whole row if f rejects its key or any of its cells."""

    def __init__(self, inner):
        self.inner = inner
        self._drop = False

    def reset(self):
        self.inner.reset()
        self._drop = False

    def filter_all_remaining(self):
        return self.inner.filter_all_remaining()

    def filter_row_key(self, row):
        self._drop = self.inner.filter_row_key(row)
        return self._drop

    def filter_cell(self, cell):
        code = self.inner.filter_cell(cell)
        if code not in (INCLUDE, INCLUDE_AND_NEXT_COL):
            self._drop = True
        return code

    def is_family_essential(self, family):
        return self.inner.is_family_essential(family)

    def transform_cell(self, cell):
        return self.inner.transform_cell(cell)

    def filter_row(self):
        return self._drop or self.inner.filter_row()


class WhileMatchFilter(Filter):
    """WHILE f: end the whole scan at the first row key or cell that f rejects."""

    def __init__(self, inner):
        self.inner = inner
        self._done = False

    def reset(self):
        self.inner.reset()

    def filter_all_remaining(self):
        return self._done or self.inner.filter_all_remaining()

    def filter_row_key(self, row):
        if self.inner.filter_row_key(row):
            self._done = True
        return self._done

    def filter_cell(self, cell):
        code = self.inner.filter_cell(cell)
        if code not in (INCLUDE, INCLUDE_AND_NEXT_COL):
            self._done = True
        return code

    def is_family_essential(self, family):
        return self.inner.is_family_essential(family)

    def transform_cell(self, cell):
        return self.inner.transform_cell(cell)

    def filter_row(self):
        # As in HBase: the row in which f first failed keeps the cells included
        # before the failure; only f's own row decision drops it.
        dropped = self.inner.filter_row()
        if dropped:
            self._done = True
        return dropped
