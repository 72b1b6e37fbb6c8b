"""The whole test map at a glance, from one pass over it: per file, each line's
number of tests; the hottest lines; each test's last outcome and duration.

One pass over a 10M-triple map takes seconds, so callers that answer often
(the web pages) keep a summary and compute it again only when the map's
write stamp (TestMap.stamp()) has moved on.
"""
from __future__ import absolute_import, division, print_function, unicode_literals

import heapq

from stave.compat import iteritems
from stave.testmap import keys
from stave.testmap.layout import LINES, TESTS

#: How many of the hottest lines, slowest tests and failing tests a summary keeps.
TOP = 20


class FileCounts(object):
    """One recorded file: `lines` {line: number of tests that ran it}, in line
    order, `outside` the lines run outside any test (imports, module level),
    and `tests` the number of distinct tests that ran any of its lines."""

    __slots__ = ('lines', 'outside', 'tests')

    def __init__(self, lines, outside, tests):
        self.lines, self.outside, self.tests = lines, outside, tests


class MapSummary(object):
    """Counts of the map as of write stamp `stamp` (see summarise)."""

    def __init__(self, stamp):
        self.stamp = stamp
        self.files = {}          # path -> FileCounts
        self.lines = self.cells = 0
        self.hot_lines = []      # [(path, line, tests)], the most tests first
        self.tests = 0
        self.slowest = []        # [(test, duration, outcome)], the slowest first
        self.failing = []        # [(test, outcome)], by test id

    def file_counts(self, path):
        """The FileCounts of `path`, or None if no test and no import ran it."""
        return self.files.get(path)


def summarise(test_map, top=TOP):
    """A MapSummary of `test_map`, leaving out tests being written (as its queries do)."""
    summary = MapSummary(test_map.stamp())
    hidden = _hidden_keys(test_map)
    summary.files = dict(_file_counts(test_map.store.table(LINES).scan(), hidden, _outside_keys(test_map)))
    for counts in summary.files.values():
        summary.lines += len(counts.lines)
        summary.cells += sum(counts.lines.values())
    # The most tests first; among equals, by path and line.
    hot = heapq.nsmallest(top, ((-count, path, line) for path, counts in iteritems(summary.files)
                                for line, count in iteritems(counts.lines) if count))
    summary.hot_lines = [(path, line, -count) for count, path, line in hot]
    _summarise_tests(test_map, summary, hidden, top)
    return summary


def line_counts(test_map, path):
    """The FileCounts of one file, read from the map now: for a file whose
    summary is stale. None if the map holds no line of `path`."""
    rows = test_map.store.table(LINES).scan(row_prefix=keys.file_prefix(keys.normalise_path(path)))
    for _, counts in _file_counts(rows, _hidden_keys(test_map), _outside_keys(test_map)):
        return counts
    return None


def _hidden_keys(test_map):
    """The keys of the tests being written: left out, as TestMap's queries do."""
    return set(keys.test_key(test) for test in test_map.tests_being_written())


def _outside_keys(test_map):
    """The keys of the pseudo-tests of lines run outside tests ('<import>', '<process NAME>')."""
    return set(keys.test_key(label) for label in set(test_map.outside_labels()) | set([keys.IMPORT_TEST]))


def _file_counts(rows, hidden, outside_keys):
    """(path, FileCounts) of each file of `rows`, line rows in key order."""
    current = counts = outside = tests = None
    for row, data in rows:
        path, line = keys.parse_line_key(row)
        if path != current:
            if current is not None:
                yield current, FileCounts(counts, outside, len(tests))
            current, counts, outside, tests = path, {}, set(), set()
        ran = set(column[2:] for column in data)
        ran.difference_update(hidden)
        if not ran.isdisjoint(outside_keys):
            outside.add(line)
            ran.difference_update(outside_keys)
        counts[line] = len(ran)
        tests.update(ran)
    if current is not None:
        yield current, FileCounts(counts, outside, len(tests))


def _summarise_tests(test_map, summary, hidden, top):
    """The slowest and the failing tests, from each test's last recording."""
    timed, failing = [], []
    for row, data in test_map.store.table(TESTS).scan(columns=[b'i:key', b'i:outcome', b'i:duration']):
        if keys.is_outside(row.decode('utf-8')) or data.get(b'i:key') in hidden:
            continue
        summary.tests += 1
        test = row.decode('utf-8')
        outcome = data.get(b'i:outcome', b'').decode('utf-8') or None
        if b'i:duration' in data:
            timed.append((float(data[b'i:duration']), test, outcome))
        if outcome not in (None, 'passed', 'skipped'):
            failing.append((test, outcome))
    summary.slowest = [(test, duration, outcome) for duration, test, outcome in heapq.nlargest(top, timed)]
    summary.failing = sorted(failing)
