"""stave's trace format: JSON lines, one object per line.

    {"format": "stave-trace", "version": 1}                       optional header
    {"test": "tests/test_db.py::test_save", "path": "app/db.py", "lines": [211, 212],
     "outcome": "passed", "duration": 0.012, "run": "20261121T120000Z-42"}
    {"path": "app/db.py", "sha1": "<hex>"}                         a file's content hash
    {"path": "data/users.json", "sha1": "<hex>", "kind": "data"}  ... of a data file
    {"test": "tests/test_db.py::test_skip", "outcome": "skipped"}  a test that ran no line

A test's lines in one file may be split over several records; together they
are the test's lines in that file. "outcome", "duration" and "run" are
optional. Paths are relative to the project root with '/' separators.
"""
from __future__ import absolute_import, division, print_function, unicode_literals

import json

from stave.compat import integer_types, text_type
from stave.errors import StaveError

FORMAT, VERSION = 'stave-trace', 1


class TraceFormatError(StaveError):
    """A trace file is malformed; the message names the file and the place."""


class Traces(object):
    """Traces gathered from a file: {test: {path: set(lines)}}, results and file hashes."""

    def __init__(self):
        self.lines = {}
        self.results = {}
        self.hashes = {}
        self.data_files = set()  # paths recorded as data files (kind "data")

    def add(self, test, path, lines):
        files = self.lines.setdefault(test, {})
        files.setdefault(path, set()).update(lines)

    def triples(self):
        return sum(len(found) for files in self.lines.values() for found in files.values())


def read_jsonl(handle, name):
    """Parse a whole stave trace file into Traces; TraceFormatError names the record."""
    traces = Traces()
    for number, raw in enumerate(handle, 1):
        raw = raw.strip()
        if not raw:
            continue
        try:
            text = raw.decode('utf-8') if not isinstance(raw, text_type) else raw
            record, end = _decode(text)
            if end != len(text):
                raise ValueError('extra data after the object, at column %d' % (end + 1))
        except (ValueError, UnicodeDecodeError) as exc:
            raise TraceFormatError('%s, record %d (line %d): not valid JSON: %s' % (name, number, number, exc))
        _add_record(traces, record, name, number)
    return traces


# json.loads without its layers around the C scanner (this runs once per record).
_decode = json.JSONDecoder().raw_decode


def _add_record(traces, record, name, number):
    def bad(why):
        return TraceFormatError('%s, record %d (line %d): %s' % (name, number, number, why))
    if not isinstance(record, dict):
        raise bad('expected a JSON object')
    if 'format' in record:
        if record.get('format') != FORMAT or record.get('version') != VERSION:
            raise bad('unsupported format %r version %r (this stave reads %s version %d)'
                      % (record.get('format'), record.get('version'), FORMAT, VERSION))
        return
    path = record.get('path')
    if 'test' in record and 'path' not in record and 'lines' not in record:
        path = None  # a test that ran no line: its outcome alone
    elif not isinstance(path, text_type) or not path:
        raise bad('"path" must be a non-empty string')
    if 'test' not in record:
        digest = record.get('sha1')
        if not isinstance(digest, text_type):
            raise bad('a record without "test" must give the file\'s "sha1"')
        traces.hashes[path] = digest
        kind = record.get('kind')
        if kind not in (None, 'data'):
            raise bad('"kind" must be "data" (a data file) or absent, not %r' % (kind,))
        if kind == 'data':
            traces.data_files.add(path)
        return
    test, lines = record.get('test'), record.get('lines')
    if not isinstance(test, text_type) or not test:
        raise bad('"test" must be a non-empty string')
    if path is None:
        traces.lines.setdefault(test, {})
    elif not isinstance(lines, list) or not _line_numbers(lines):
        raise bad('"lines" must be a list of line numbers (1 to 999999)')
    else:
        traces.add(test, path, lines)
    result = dict((k, record[k]) for k in ('outcome', 'duration') if record.get(k) is not None)
    if result:
        traces.results[test] = result


def _line_numbers(lines):
    """True if every item is an int from 1 to 999999 (bools are not numbers here).
    Checked with built-ins: this runs on every line of a trace file."""
    return not lines or (set(map(type, lines)) <= _INTEGERS and min(lines) > 0 and max(lines) < 10 ** 6)


_INTEGERS = frozenset(integer_types)


def write_jsonl(out, records):
    """Write trace records (dicts) as JSON lines after the format header."""
    out.write(json.dumps({'format': FORMAT, 'version': VERSION}) + '\n')
    count = 0
    for record in records:
        out.write(json.dumps(record, sort_keys=True) + '\n')
        count += 1
    return count
