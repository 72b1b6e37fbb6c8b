"""The HBase filters stave evaluates, each built from parsed filter-string arguments."""
from __future__ import absolute_import, division, print_function, unicode_literals

import re
import struct

from stave.store.filters.base import (
    INCLUDE, INCLUDE_AND_NEXT_COL, NEXT_COL, NEXT_ROW, SKIP, Filter)
from stave.store.filters.parser import FilterArgumentError


# -- comparators --------------------------------------------------------------

class Comparator(object):
    """Compares a cell part with an operand; `compare` returns <0, 0 or >0 like HBase."""

    equality_only = False

    def __init__(self, operand):
        self.operand = operand


class BinaryComparator(Comparator):
    def compare(self, data):
        return (self.operand > data) - (self.operand < data)


class BinaryPrefixComparator(Comparator):
    def compare(self, data):
        head = data[:len(self.operand)]
        return (self.operand > head) - (self.operand < head)


class RegexStringComparator(Comparator):
    """Java Matcher.find() over the bytes read as ISO-8859-1 (HBase's default charset)."""

    equality_only = True

    def __init__(self, operand):
        Comparator.__init__(self, operand)
        self.pattern = re.compile(operand.decode('latin-1'), re.DOTALL)

    def compare(self, data):
        return 0 if self.pattern.search(data.decode('latin-1')) else 1


class SubstringComparator(Comparator):
    """Case-insensitive containment, as HBase's SubstringComparator."""

    equality_only = True

    def __init__(self, operand):
        Comparator.__init__(self, operand.decode('utf-8', 'replace').lower())

    def compare(self, data):
        return 0 if self.operand in data.decode('utf-8', 'replace').lower() else 1


COMPARATORS = {
    b'binary': BinaryComparator,
    b'binaryprefix': BinaryPrefixComparator,
    b'regexstring': RegexStringComparator,
    b'substring': SubstringComparator,
}

# Keep the cell when comparator.compare(cell part) satisfies this (HBase's CompareFilter).
_KEEP = {
    '<': lambda r: r > 0,
    '<=': lambda r: r >= 0,
    '=': lambda r: r == 0,
    '!=': lambda r: r != 0,
    '>=': lambda r: r <= 0,
    '>': lambda r: r < 0,
}


class Condition(object):
    """An operator and a comparator, e.g. (=, 'binary:abc')."""

    def __init__(self, op_arg, comparator_arg):
        self.keep = _KEEP[op_arg.value]
        kind, colon, operand = comparator_arg.value.partition(b':')
        if not colon or kind not in COMPARATORS:
            raise FilterArgumentError(
                "comparator must be 'binary:...', 'binaryprefix:...', 'regexstring:...' or "
                "'substring:...'", comparator_arg.position)
        try:
            self.comparator = COMPARATORS[kind](operand)
        except re.error as exc:
            raise FilterArgumentError('bad regular expression: %s' % exc, comparator_arg.position)
        if self.comparator.equality_only and op_arg.value not in ('=', '!='):
            raise FilterArgumentError('regexstring and substring comparators only work with = and !=',
                                      op_arg.position)

    def matches(self, data):
        return self.keep(self.comparator.compare(data))


# -- argument checking ---------------------------------------------------------

def expect(args, kinds, usage):
    """Check argument count and kinds ('string', 'int', 'bool', 'op'); return the values."""
    if len(args) != len(kinds):
        raise FilterArgumentError('expected %d argument(s): %s' % (len(kinds), usage))
    for arg, kind in zip(args, kinds):
        if arg.kind != kind:
            raise FilterArgumentError('expected %s here, usage: %s' % (
                {'string': 'a quoted string', 'int': 'an integer', 'bool': 'true or false',
                 'op': 'a comparison operator'}[kind], usage), arg.position)
    return [a.value for a in args]


# -- row filters ---------------------------------------------------------------

class PrefixFilter(Filter):
    usage = "PrefixFilter('rowprefix')"

    def __init__(self, args, reverse):
        self.prefix, = expect(args, ['string'], self.usage)
        self.reverse = reverse
        self.passed = False
        self.filtered = True

    def reset(self):
        self.filtered = True  # as HBase's: a row whose key it was not asked about is filtered

    def filter_all_remaining(self):
        return self.passed

    def filter_row_key(self, row):
        if row.startswith(self.prefix):
            self.filtered = False
            return False
        head = row[:len(self.prefix)]
        if (head < self.prefix) if self.reverse else (head > self.prefix):
            self.passed = True
        self.filtered = True
        return True

    def filter_cell(self, cell):
        return NEXT_ROW if self.filtered else INCLUDE

    def filter_row(self):
        return self.filtered


class InclusiveStopFilter(Filter):
    usage = "InclusiveStopFilter('stoprow')"

    def __init__(self, args, reverse):
        self.stop, = expect(args, ['string'], self.usage)
        self.reverse = reverse
        self.done = False

    def filter_all_remaining(self):
        return self.done

    def filter_row_key(self, row):
        if (row < self.stop) if self.reverse else (row > self.stop):
            self.done = True
        return self.done


class PageFilter(Filter):
    usage = 'PageFilter(pagesize)'

    def __init__(self, args, reverse):
        self.size, = expect(args, ['int'], self.usage)
        if self.size < 0:
            raise FilterArgumentError('the page size must be >= 0', args[0].position)
        self.accepted = 0

    def filter_all_remaining(self):
        return self.accepted >= self.size

    def filter_row(self):
        self.accepted += 1
        return self.accepted > self.size


class FirstKeyOnlyFilter(Filter):
    usage = 'FirstKeyOnlyFilter()'

    def __init__(self, args, reverse):
        expect(args, [], self.usage)
        self.found = False

    def reset(self):
        self.found = False

    def filter_cell(self, cell):
        if self.found:
            return NEXT_ROW
        self.found = True
        return INCLUDE


class KeyOnlyFilter(Filter):
    usage = 'KeyOnlyFilter([lenAsVal])'

    def __init__(self, args, reverse):
        self.len_as_value = expect(args, ['bool'], self.usage)[0] if args else False

    def transform_cell(self, cell):
        value = struct.pack('>i', len(cell[3])) if self.len_as_value else b''
        return (cell[0], cell[1], cell[2], value)


class ColumnCountGetFilter(Filter):
    usage = 'ColumnCountGetFilter(limit)'

    def __init__(self, args, reverse):
        self.limit, = expect(args, ['int'], self.usage)
        self.count = 0

    def reset(self):
        self.count = 0

    def filter_all_remaining(self):
        return self.count > self.limit

    def filter_cell(self, cell):
        self.count += 1
        return NEXT_COL if self.count > self.limit else INCLUDE_AND_NEXT_COL


class TimestampsFilter(Filter):
    usage = 'TimestampsFilter(ts1, ts2, ...)'

    def __init__(self, args, reverse):
        self.stamps = frozenset(expect(args, ['int'] * len(args), self.usage))

    def filter_cell(self, cell):
        return INCLUDE if cell[2] in self.stamps else SKIP


# -- column filters --------------------------------------------------------------

class ColumnPrefixFilter(Filter):
    usage = "ColumnPrefixFilter('qualifierprefix')"

    def __init__(self, args, reverse):
        self.prefix, = expect(args, ['string'], self.usage)

    def filter_cell(self, cell):
        qualifier = cell[1]
        if qualifier.startswith(self.prefix):
            return INCLUDE
        return NEXT_ROW if qualifier > self.prefix else SKIP


class MultipleColumnPrefixFilter(Filter):
    usage = "MultipleColumnPrefixFilter('prefix1', 'prefix2', ...)"

    def __init__(self, args, reverse):
        self.prefixes = tuple(expect(args, ['string'] * len(args), self.usage))
        if not self.prefixes:
            raise FilterArgumentError('expected at least one prefix: %s' % self.usage)

    def filter_cell(self, cell):
        return INCLUDE if cell[1].startswith(self.prefixes) else SKIP


class ColumnRangeFilter(Filter):
    """Qualifiers between min and max; an empty bound means unbounded."""

    usage = "ColumnRangeFilter('min', minInclusive, 'max', maxInclusive)"

    def __init__(self, args, reverse):
        self.low, self.low_inclusive, self.high, self.high_inclusive = expect(
            args, ['string', 'bool', 'string', 'bool'], self.usage)

    def filter_cell(self, cell):
        qualifier = cell[1]
        if self.low and (qualifier < self.low or (qualifier == self.low and not self.low_inclusive)):
            return SKIP
        if self.high and (qualifier > self.high or (qualifier == self.high and not self.high_inclusive)):
            return NEXT_ROW
        return INCLUDE


# -- compare filters ---------------------------------------------------------------

class RowFilter(Filter):
    usage = "RowFilter(op, 'comparator:value')"

    def __init__(self, args, reverse):
        expect(args, ['op', 'string'], self.usage)
        self.condition = Condition(args[0], args[1])
        self.filtered = False

    def filter_row_key(self, row):
        self.filtered = not self.condition.matches(row)
        return self.filtered

    def filter_cell(self, cell):
        return NEXT_ROW if self.filtered else INCLUDE

    def filter_row(self):
        return self.filtered


class FamilyFilter(RowFilter):
    usage = "FamilyFilter(op, 'comparator:value')"

    def filter_row_key(self, row):
        return False

    def filter_cell(self, cell):
        return INCLUDE if self.condition.matches(cell[0]) else NEXT_ROW


class QualifierFilter(RowFilter):
    usage = "QualifierFilter(op, 'comparator:value')"

    def filter_row_key(self, row):
        return False

    def filter_cell(self, cell):
        return INCLUDE if self.condition.matches(cell[1]) else SKIP


class ValueFilter(RowFilter):
    usage = "ValueFilter(op, 'comparator:value')"

    def filter_row_key(self, row):
        return False

    def filter_cell(self, cell):
        return INCLUDE if self.condition.matches(cell[3]) else SKIP


class SingleColumnValueFilter(Filter):
    """Keep rows whose column f:q passes the test; rows lacking it pass unless filterIfMissing."""

    usage = "SingleColumnValueFilter('family', 'qualifier', op, 'comparator:value'[, filterIfMissing, latestVersionOnly])"

    def __init__(self, args, reverse):
        kinds = ['string', 'string', 'op', 'string']
        if len(args) == 6:
            kinds += ['bool', 'bool']
        values = expect(args, kinds, self.usage)
        self.family, self.qualifier = values[0], values[1]
        self.condition = Condition(args[2], args[3])
        self.filter_if_missing, self.latest_only = (values[4], values[5]) if len(args) == 6 else (False, True)
        self.found = self.matched = False

    def reset(self):
        self.found = self.matched = False

    def filter_cell(self, cell):
        if self.matched:
            return INCLUDE
        if self.latest_only and self.found:
            return NEXT_ROW
        if cell[0] != self.family or cell[1] != self.qualifier:
            return INCLUDE
        self.found = True
        if not self.condition.matches(cell[3]):
            return NEXT_ROW if self.latest_only else INCLUDE
        self.matched = True
        return INCLUDE

    def filter_row(self):
        return not self.matched if self.found else self.filter_if_missing

    def is_family_essential(self, family):
        return not self.filter_if_missing or family == self.family


FILTERS = dict((cls.__name__, cls) for cls in (
    PrefixFilter, InclusiveStopFilter, PageFilter, FirstKeyOnlyFilter, KeyOnlyFilter,
    ColumnCountGetFilter, TimestampsFilter, ColumnPrefixFilter, MultipleColumnPrefixFilter,
    ColumnRangeFilter, RowFilter, FamilyFilter, QualifierFilter, ValueFilter,
    SingleColumnValueFilter))
