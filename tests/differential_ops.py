"""Random store operations for the differential test (tests/test_differential.py).

The test applies the same operations, in lockstep, to several stores with
happybase's API (the embedded store, `stave serve`, a real HBase through its
Thrift server) and compares the answers. This module holds the pieces that
do not care how many stores there are:

- ``Generator``: a seeded stream of ``Op`` objects over a small key space
  (a dozen rows, a few qualifiers and values), so that operations collide;
- ``Op.apply``: runs one operation on one store and returns its result in a
  comparable, normalised form (errors included, as their *kind*).

Timestamps. HBase's time-to-live compares cells with the current time, so
explicit timestamps are near now, as offsets from the run's BASE (its start),
in three bands chosen so that the order between any explicit timestamp and
the server's clock never depends on how long the run takes:

    EXPIRED  about 2 hours ago    (older than the 'ttl' table's 1 hour: invisible there)
    PAST     about 10 minutes ago (live everywhere)
    (server time: every write without a timestamp lands here, after BASE)
    FUTURE   about 1 hour ahead

Read timestamps are those, +0, +1 or +500 ms, or BASE itself. Writes without
a timestamp take each server's clock, so those cells have different
timestamps on each store; results show such a timestamp as 'NOW' (their
order still counts). Before each write that takes the server's clock the
runner waits for the millisecond to change (test_differential.Store.apply),
so two such writes never share a timestamp (in HBase the second would then
overwrite the first or not, depending on timing).

Puts and increments below a delete marker are generated: stave keeps HBase's
delete markers, which hide them until a major compaction.

Not generated, because HBase's answer depends on compactions (or flushes),
which stave cannot reproduce:

- filters that seek within a row (SEEKING_FILTERS) on tables with the empty
  qualifier, and ColumnCountGetFilter anywhere: HBase 2.6 then shows cells a
  family delete deleted, counts excess versions, or ends families by their
  delete markers, until a compaction drops them (see SEEKING_FILTERS).
- major compactions, flushes and anything with a raw scan (not on Thrift1).

Not generated because stave does not do it (yet): filters that answer with a
seek hint (ColumnPrefixFilter, MultipleColumnPrefixFilter, ColumnRangeFilter)
inside AND/OR lists, see ``Generator.listed_filter``.

Everything else HBase 2.6 does through Thrift1 is compared as is.
"""
from __future__ import print_function

import random
import re
import struct
import time

#: The key space: rows with shared prefixes (for prefix and range scans),
#: two column families per table, a few qualifiers (b'' is the empty one).
ROWS = [b'a', b'a1', b'a2', b'ab', b'b', b'b0', b'b00', b'ba', b'c', b'c\xff', b'd1', b'd2']
PREFIXES = [b'a', b'b', b'b0', b'c', b'c\xff', b'd', b'e', b'']
QUALIFIERS = [b'q1', b'q2', b'x', b'']
VALUES = [b'v0', b'v1', b'v2', b'VAL', b'val-x', b'', struct.pack('>q', 5), struct.pack('>q', -2)]

#: The tables, as {table: {family: options}}. 'versions' has a family of one
#: version and one of three; 'ttl' has a time-to-live of one hour; 'hints'
#: has no empty qualifier (see SEEKING_FILTERS).
TABLES = {
    'versions': {'a': {'max_versions': 1}, 'b': {'max_versions': 3}},
    'ttl': {'t': {'max_versions': 3, 'time_to_live': 3600}, 'u': {'max_versions': 2}},
    'hints': {'h': {'max_versions': 2}, 'i': {'max_versions': 1}},
}
TABLE_QUALIFIERS = {'hints': [b'q1', b'q2', b'x', b'y']}

#: Filters that make HBase seek within a row with a hint. HBase 2.6 seeks
#: wrongly past the empty qualifier when that column has a newer cell: the
#: seek jumps over a family delete marker (which sits at the empty qualifier)
#: and shows the cells it deletes (until a major compaction drops them), so
#: these filters run only on 'hints', which has no empty qualifier.
#:
#: ColumnCountGetFilter is not generated at all: when it runs out within a
#: row, HBase closes for the rest of the scan every family whose store
#: scanner then looks at a next cell, and a delete marker left in the row
#: counts as one; stave keeps a marker's timestamp, not its place among the
#: cells, so which families close depends on compactions. (It also
#: counts the empty qualifier's excess versions, as above.)
SEEKING_FILTERS = ('ColumnPrefixFilter', 'MultipleColumnPrefixFilter', 'ColumnRangeFilter')


def qualifiers(table):
    """The qualifiers of `table`'s cells."""
    return TABLE_QUALIFIERS.get(table, QUALIFIERS)


HOUR = 3600 * 1000
#: Explicit timestamps, as offsets from the run's BASE (milliseconds).
EXPIRED = [-2 * HOUR + k * 1000 for k in range(3)]
PAST = [-10 * 60 * 1000 + k * 1000 for k in range(4)]
FUTURE = [HOUR + k * 1000 for k in range(4)]
#: Server time lies in [0, SERVER_TIME_SPAN) after BASE (the run must be shorter).
SERVER_TIME_SPAN = 30 * 60 * 1000


def now_ms():
    return int(time.time() * 1000)


class Op(object):
    """One operation: `kind` is a Table method name (or 'batch'), `table` one
    of TABLES, `args` its arguments with timestamps as offsets from BASE."""

    def __init__(self, kind, table, **args):
        self.kind, self.table, self.args = kind, table, args

    def writes_with_server_clock(self):
        """Whether the store picks a timestamp (the runner must let the clock tick first)."""
        if self.kind in ('counter_inc', 'counter_get'):
            return True
        return self.kind in ('put', 'delete', 'batch') and self.args.get('timestamp') is None

    def __repr__(self):
        parts = []
        for name in sorted(self.args):
            value = self.args[name]
            if name == 'timestamp' and value is not None:
                value = _Offset(value)  # shown as BASE+offset; in filters, @offset@ is BASE+offset
            parts.append('%s=%r' % (name, value))
        return '%s.%s(%s)' % (self.table, self.kind, ', '.join(parts))

    def apply(self, table, base):
        """Run this op on `table` (a store Table); return a normalised result:
        ('ok', value) or ('error', kind, message). Compare results with `same`."""
        args = dict(self.args)
        if args.get('timestamp') is not None:
            args['timestamp'] = base + args['timestamp']
        if args.get('filter'):  # '@OFFSET@' in a filter string is a timestamp
            args['filter'] = _TS_TOKEN.sub(lambda m: str(base + int(m.group(1))), args['filter'])
        try:
            value = getattr(self, '_' + self.kind)(table, args)
        except Exception as exc:  # compared by kind (see error_kind); the message is for people
            return ('error', error_kind(exc), str(exc).split('\n')[0][:200])
        return ('ok', normalise(value, base))

    # -- one method per kind; each returns plain data ------------------------

    @staticmethod
    def _put(table, args):
        return table.put(args['row'], args['data'], timestamp=args.get('timestamp'))

    @staticmethod
    def _delete(table, args):
        return table.delete(args['row'], columns=args.get('columns'), timestamp=args.get('timestamp'))

    @staticmethod
    def _batch(table, args):
        with table.batch(timestamp=args.get('timestamp')) as batch:
            for mutation in args['mutations']:
                if mutation[0] == 'put':
                    batch.put(mutation[1], mutation[2])
                else:
                    batch.delete(mutation[1], columns=mutation[2])

    @staticmethod
    def _row(table, args):
        return table.row(args['row'], columns=args.get('columns'), timestamp=args.get('timestamp'),
                         include_timestamp=args.get('include_timestamp', False))

    @staticmethod
    def _rows(table, args):
        return table.rows(args['rows'], columns=args.get('columns'), timestamp=args.get('timestamp'),
                          include_timestamp=args.get('include_timestamp', False))

    @staticmethod
    def _cells(table, args):
        return table.cells(args['row'], args['column'], versions=args.get('versions'),
                           timestamp=args.get('timestamp'), include_timestamp=args.get('include_timestamp', False))

    @staticmethod
    def _scan(table, args):
        kwargs = dict((k, v) for k, v in args.items() if v is not None)
        return list(table.scan(**kwargs))

    @staticmethod
    def _counter_inc(table, args):
        return table.counter_inc(args['row'], args['column'], value=args['value'])

    @staticmethod
    def _counter_get(table, args):
        return table.counter_get(args['row'], args['column'])


def same(result, other):
    """Whether two results of Op.apply agree (errors by kind, not by message)."""
    return result[:2] == other[:2]


_TS_TOKEN = re.compile(r'@(-?\d+)@')


class _Offset(int):
    """A timestamp shown relative to the run's BASE in failure messages."""

    def __repr__(self):
        return 'BASE%+d' % self


#: Error kinds, most specific first: an error is its first matching kind.
def error_kind(exc):
    """The kind of an exception, as compared across stores (not its message)."""
    from stave import errors
    for cls in (errors.NoSuchColumnFamilyError, errors.CounterError, errors.TableNotFoundError,
                errors.TableNotEnabledError, ValueError, TypeError, errors.StoreError):
        if isinstance(exc, cls):
            return cls.__name__
    return 'unexpected %s: %s' % (type(exc).__name__, exc)


def normalise(value, base):
    """A result in a form that compares equal across stores: dicts as sorted
    lists, server-clock timestamps as 'NOW', explicit ones as BASE offsets."""
    if isinstance(value, dict):
        return sorted((k, normalise(v, base)) for k, v in value.items())
    if isinstance(value, list):
        return [normalise(v, base) for v in value]
    if isinstance(value, tuple):
        if len(value) == 2 and isinstance(value[1], int) and isinstance(value[0], bytes):
            return (value[0], _timestamp(value[1], base))
        return tuple(normalise(v, base) for v in value)
    return value


def _timestamp(ts, base):
    offset = ts - base
    if 0 <= offset < SERVER_TIME_SPAN:
        return 'NOW'
    return _Offset(offset)


class Generator(object):
    """A seeded stream of operations that never asks HBase a question whose
    answer depends on compactions (see the module docstring)."""

    def __init__(self, seed):
        self.random = random.Random(seed)

    def ops(self, count):
        for _ in range(count):
            yield self.next_op()

    def next_op(self):
        r = self.random
        table = r.choice(sorted(TABLES))
        kind = r.choice(['put'] * 6 + ['delete'] * 3 + ['batch'] * 3 + ['row'] * 3 + ['rows'] + ['cells'] * 3
                        + ['scan'] * 6 + ['counter_inc'] * 2 + ['counter_get'])
        for _ in range(20):
            op = getattr(self, '_gen_' + kind)(table)
            if op is not None:
                return op
        return self._gen_scan(table)

    # -- helpers ---------------------------------------------------------------

    def _families(self, table, unknown=0.02):
        families = sorted(TABLES[table])
        if self.random.random() < unknown:
            return families + ['zz']  # a family the table lacks: an error everywhere
        return families

    def _column(self, table, unknown=0.02):
        family = self.random.choice(self._families(table, unknown))
        return (family + ':').encode() + self.random.choice(qualifiers(table))

    def _write_ts(self):
        """A put's timestamp: None (the server's clock) or one of the bands."""
        r = self.random.random()
        if r < 0.4:
            return None
        band = EXPIRED if r < 0.5 else PAST if r < 0.75 else FUTURE
        return self.random.choice(band)

    def _delete_ts(self):
        r = self.random.random()
        if r < 0.4:
            return None
        band = EXPIRED if r < 0.45 else PAST if r < 0.75 else FUTURE
        return self.random.choice(band) + self.random.choice([0, 0, 500])

    def _read_ts(self):
        """A read timestamp (exclusive upper bound), or None."""
        r = self.random.random()
        if r < 0.7:
            return None
        if self.random.random() < 0.1:
            return 0  # BASE: before every server-time cell (BASE + 1 might not be)
        return self.random.choice(EXPIRED + PAST + FUTURE) + self.random.choice([0, 1, 500])

    def _data(self, table):
        data = {}
        for _ in range(self.random.choice([1, 1, 2, 3])):
            data[self._column(table)] = self.random.choice(VALUES)
        return data

    # -- generators, one per kind; None means "try again" ------------------------------

    def _gen_put(self, table):
        row, data, ts = self.random.choice(ROWS), self._data(table), self._write_ts()
        return Op('put', table, row=row, data=data, timestamp=ts)

    def _delete_columns(self, table):
        r = self.random.random()
        if r < 0.25:
            return None  # the whole row
        if r < 0.45:
            return [self.random.choice(self._families(table)).encode()]  # a family
        return [self._column(table) for _ in range(self.random.choice([1, 1, 2]))]

    def _gen_delete(self, table):
        row, columns, ts = self.random.choice(ROWS), self._delete_columns(table), self._delete_ts()
        return Op('delete', table, row=row, columns=columns, timestamp=ts)

    def _gen_batch(self, table):
        ts = self._write_ts() if self.random.random() < 0.7 else self._delete_ts()
        mutations, written = [], set()
        for _ in range(self.random.randint(1, 5)):
            row = self.random.choice(ROWS)
            if self.random.random() < 0.65:
                data = self._data(table)
                cells = set((row, column) for column in data)
                if cells & written:
                    return None  # one cell twice in one Put: HBase keeps either
                written |= cells
                mutations.append(('put', row, data))
            else:
                columns = self._delete_columns(table)
                mutations.append(('delete', row, columns))
        return Op('batch', table, mutations=mutations, timestamp=ts)

    def _read_columns(self, table):
        r = self.random.random()
        if r < 0.5:
            return None
        columns = []
        for _ in range(self.random.choice([1, 2])):
            if self.random.random() < 0.3:
                columns.append(self.random.choice(self._families(table)).encode())
            else:
                columns.append(self._column(table))
        return columns

    def _gen_row(self, table):
        return Op('row', table, row=self.random.choice(ROWS), columns=self._read_columns(table),
                  timestamp=self._read_ts(), include_timestamp=self.random.random() < 0.5)

    def _gen_rows(self, table):
        rows = self.random.sample(ROWS + [b'zzz'], self.random.randint(1, 4))
        return Op('rows', table, rows=rows, columns=self._read_columns(table),
                  timestamp=self._read_ts(), include_timestamp=self.random.random() < 0.5)

    def _gen_cells(self, table):
        return Op('cells', table, row=self.random.choice(ROWS), column=self._column(table),
                  versions=self.random.choice([None, None, 1, 2, 3, 5]), timestamp=self._read_ts(),
                  include_timestamp=self.random.random() < 0.5)

    def _gen_scan(self, table):
        r = self.random
        args = {}
        reverse = r.random() < 0.25
        kind = r.random()
        if kind < 0.25:
            args['row_prefix'] = r.choice(PREFIXES)
        elif kind < 0.6:
            low, high = sorted(r.sample(ROWS + [b'', b'b5', b'e'], 2))
            start, stop = (high, low) if reverse else (low, high)
            if r.random() < 0.8:
                args['row_start'] = start or None
            if r.random() < 0.8:
                args['row_stop'] = stop or None
        if reverse:
            args['reverse'] = True
        if r.random() < 0.3:
            args['limit'] = r.randint(1, 4)
        args['columns'] = self._read_columns(table)
        args['timestamp'] = self._read_ts()
        if r.random() < 0.3:
            args['include_timestamp'] = True
        if r.random() < 0.55:
            args['filter'] = self.filter_string(table)
        return Op('scan', table, **args)

    def _gen_counter_inc(self, table):
        row, column = self.random.choice(ROWS), self._column(table, unknown=0.01)
        return Op('counter_inc', table, row=row, column=column, value=self.random.choice([1, 1, 5, -3, 0]))

    def _gen_counter_get(self, table):
        row, column = self.random.choice(ROWS), self._column(table, unknown=0.01)
        return Op('counter_get', table, row=row, column=column)

    # -- filter strings ------------------------------------------------------------

    def filter_string(self, table):
        r = self.random
        if r.random() < 0.03:
            return r.choice(["ValueFilter(=, 'binary:v1'", "NoSuchFilter()", "PrefixFilter()"])
        if r.random() < 0.25:
            op = r.choice(['AND', 'OR', 'AND', 'OR'])
            left, right = self.listed_filter(table), self.listed_filter(table)
            if r.random() < 0.5:
                return '(%s) %s (%s)' % (left, op, right)
            return '%s %s %s' % (left, op, right)
        return self.simple_filter(table)

    def listed_filter(self, table):
        """A filter for an AND/OR list: not one that answers with seek hints
        (ColumnPrefixFilter, MultipleColumnPrefixFilter, ColumnRangeFilter).
        In a list, HBase seeks to the hint past cells the list's other filters
        then never see; stave's filters answer SKIP instead, which differs in
        a list (alone, the two agree)."""
        while True:
            text = self.simple_filter(table)
            if not text.startswith(SEEKING_FILTERS):
                return text

    def single_column_value_filter(self, table, family, operator, operand):
        """A SingleColumnValueFilter. With latestVersionOnly false, not on the
        empty qualifier: there HBase 2.6 lets the filter see versions past the
        read's one version (it does not seek past them, as it does for any
        other qualifier), so it can match the row on an older version."""
        flags = self.random.choice(['', ', true, true', ', false, true', ', true, false', ', false, false'])
        choices = qualifiers(table)
        if flags.endswith('false'):
            choices = [q for q in choices if q]
        quote = lambda b: "'" + b.decode('latin-1').replace("'", "''") + "'"  # noqa: E731
        return "SingleColumnValueFilter('%s', %s, %s, %s%s)" % (
            family, quote(self.random.choice(choices)), operator, quote(operand), flags)

    def simple_filter(self, table):
        r = self.random
        family = r.choice(sorted(TABLES[table]))
        quote = lambda b: "'" + b.decode('latin-1').replace("'", "''") + "'"  # noqa: E731
        comparator = r.choice(['binary:', 'binary:', 'binaryprefix:', 'substring:', 'regexstring:'])
        operator = r.choice(['=', '!=', '<', '>=']) if comparator in ('binary:', 'binaryprefix:') else r.choice(['=', '!='])
        value = r.choice([b'v1', b'v', b'val', b'V', b'v.*', b'q', b'q2', b'x', b'a', b'b0'])
        choices = [
            lambda: 'PrefixFilter(%s)' % quote(r.choice(PREFIXES[:-1])),
            lambda: 'ValueFilter(%s, %s)' % (operator, quote(comparator.encode() + value)),
            lambda: 'QualifierFilter(%s, %s)' % (operator, quote(comparator.encode() + value)),
            lambda: 'RowFilter(%s, %s)' % (operator, quote(comparator.encode() + value)),
            lambda: "FamilyFilter(%s, 'binary:%s')" % (r.choice(['=', '!=', '<', '>=']), family),
            lambda: 'ColumnPrefixFilter(%s)' % quote(r.choice([b'q', b'q1', b'x', b'y'])),
            lambda: "MultipleColumnPrefixFilter('q2', 'x')",
            lambda: self.single_column_value_filter(table, family, operator, comparator.encode() + value),
            lambda: 'KeyOnlyFilter()',
            lambda: 'FirstKeyOnlyFilter()',
            lambda: 'PageFilter(%d)' % r.randint(1, 3),
            lambda: 'InclusiveStopFilter(%s)' % quote(r.choice(ROWS)),
            lambda: "ColumnRangeFilter('q1', %s, 'x', %s)" % (r.choice(['true', 'false']), r.choice(['true', 'false'])),
            lambda: 'TimestampsFilter(%s)' % ', '.join(
                '@%d@' % x for x in sorted(r.sample(EXPIRED + PAST + FUTURE, 2))),
        ]
        text = r.choice(choices)()
        if b'' in qualifiers(table) and text.startswith(SEEKING_FILTERS):
            return self.simple_filter(table)
        return text
