"""stave's trace format: JSON lines, one object per line.

    {"format": "stave-trace", "version": 2}                       optional header
    {"path": "app/db.py", "blob": "<hex>"}                        a file's git blob id as recorded
    {"path": "data/users.json", "blob": "<hex>", "kind": "data"}  ... of a data file (blob optional)
    {"test": "tests/test_db.py::test_save", "path": "app/db.py", "lines": [211, 212],
     "outcome": "passed", "duration": 0.012, "run": "20261121T120000Z-42",
     "time": 1764460000.5, "blob": "<hex>"}       ("blob": null: unknown content)
    {"test": "tests/test_db.py::test_skip", "outcome": "skipped"}  a test that ran no line

A test's lines in one file may be split over several records; together they
are the test's lines in that file. "outcome", "duration", "run", "time" (of
the recording, seconds since the epoch) and "blob" are optional. A test
record's lines number the content of its "blob" (null: an unknown content),
else of the blob that the last file record before it gave its path, else an
unknown content. Paths are
relative to the project root with '/' separators.

Version 1 files read too: their file records give "sha1", a plain hash of
the content and no blob id, so their lines number an unknown content.

TraceReader reads a file record by record and hands it over in chunks of a
bounded number of triples (stave.testmap.bulk writes them), so a file of any
size is read in bounded memory.
"""
from __future__ import absolute_import, division, print_function, unicode_literals

import json

from stave.compat import integer_types, text_type
from stave.errors import StaveError
from stave.testmap.blobs import is_blob_id

FORMAT, VERSION = 'stave-trace', 2
_READS = (1, 2)


class TraceFormatError(StaveError):
    """A trace file is malformed; the message names the file and the place."""


class Traces(object):
    """Traces gathered from a file, or part of one: {test: {path: set(lines)}},
    results, the latest blob id of each file, each test's own blob ids where
    the source gives them ({test: {path: blob, or None for unknown}}: they
    win over the files' latest) and the data files."""

    def __init__(self):
        self.lines = {}
        self.results = {}
        self.blobs = {}
        self.test_blobs = {}
        self.data_files = set()  # paths recorded as data files (kind "data")
        self.triples = 0  # lines added, counting any repeated

    def add(self, test, path, lines):
        files = self.lines.get(test)
        if files is None:
            files = self.lines[test] = {}
        found = files.get(path)
        if found is None:
            files[path] = set(lines)
        else:
            found.update(lines)
        self.triples += len(lines)

    def add_own(self, test, path, lines, blob):
        """Add lines of `test` that number the content `blob` (None: unknown)."""
        self.add(test, path, lines)
        self.test_blobs.setdefault(test, {})[path] = blob

    def count(self):
        """The number of distinct (test, path, line) triples held."""
        return sum(len(found) for files in self.lines.values() for found in files.values())


def read_jsonl(handle, name):
    """Parse a whole stave trace file into Traces; TraceFormatError names the record."""
    traces = Traces()
    for chunk in TraceReader(handle, name).chunks(None):
        traces = chunk
    return traces


class TraceReader(object):
    """Reads a stave trace file from `handle` (binary), named `name` in errors.

    The records of one test and file must agree on the blob their lines
    number; a chunk checks its own. With `whole_file`, the reader checks the
    whole file, keeping a hash of each (test, path) it met and its blob
    (about 100 bytes each: a pass that only checks a file, for a store
    without transactions, can afford it; a pass that writes checks what the
    chunks before wrote instead, stave.testmap.writer's same_blobs)."""

    def __init__(self, handle, name, whole_file=False):
        self.handle = handle
        self.name = name
        self.records = 0  # records read so far (blank lines are none)
        self._blobs = {}  # path -> the blob id its last file record gave
        self._met = {} if whole_file else None  # hash((test, path)) -> blob

    def chunks(self, limit):
        """Traces of consecutive records, each holding `limit()` triples or a few
        more (`limit` None: the whole file in one), the last possibly fewer. Raises
        TraceFormatError at the first bad record."""
        traces, number = Traces(), 0
        for number, line in enumerate(self.handle, 1):
            raw = line.strip()
            if not raw:
                continue
            try:
                text = raw.decode('utf-8') if not isinstance(raw, text_type) else raw
                record, end = _decode(text)
                if end != len(text):
                    raise ValueError('extra data after the object, at column %d' % (end + 1))
            except (ValueError, UnicodeDecodeError) as exc:
                raise self._error(number, 'not valid JSON: %s%s' % (exc, _truncated(line)))
            self.records += 1
            self._add(traces, record, number)
            if limit is not None and traces.triples >= limit():
                yield traces
                traces = Traces()
        yield traces

    def _error(self, number, why):
        return TraceFormatError('%s, record %d (line %d): %s' % (self.name, self.records + 1, number, why))

    def _add(self, traces, record, number):
        def bad(why):
            return TraceFormatError('%s, record %d (line %d): %s' % (self.name, self.records, number, why))
        if not isinstance(record, dict):
            raise bad('expected a JSON object')
        if 'format' in record:
            if record.get('format') != FORMAT or record.get('version') not in _READS:
                raise bad('unsupported format %r version %r (this stave reads %s versions %s)'
                          % (record.get('format'), record.get('version'), FORMAT,
                             ' and '.join(map(str, _READS))))
            return
        path = record.get('path')
        if 'test' in record and 'path' not in record and 'lines' not in record:
            path = None  # a test that ran no line: its outcome alone
        elif not isinstance(path, text_type) or not path:
            raise bad('"path" must be a non-empty string')
        blob = record.get('blob')  # null: the content is unknown
        if '\x00' in (path or ''):
            raise bad('"path" must not hold a NUL character')
        if blob is not None and not (isinstance(blob, text_type) and is_blob_id(blob)):
            raise bad('"blob" must be a git blob id (40 hex digits), not %r' % (blob,))
        if 'test' not in record:
            self._add_file(traces, record, path, blob, bad)
            return
        test, lines = record.get('test'), record.get('lines')
        if not isinstance(test, text_type) or not test:
            raise bad('"test" must be a non-empty string')
        if path is None:
            traces.lines.setdefault(test, {})
        elif not isinstance(lines, list) or not _line_numbers(lines):
            raise bad('"lines" must be a list of line numbers (1 to 999999)')
        else:
            if 'blob' not in record:
                blob = self._blobs.get(path)
            mine = traces.test_blobs.get(test, {})
            before = mine.get(path, blob) if self._met is None else self._met.setdefault(hash((test, path)), blob)
            if before != blob:
                raise bad('the lines of %s for this test number blob %s here and %s before' % (path, blob, before))
            traces.add_own(test, path, lines, blob)
        result = _result(record, bad)
        if result:
            traces.results[test] = result

    def _add_file(self, traces, record, path, blob, bad):
        """A file record: its blob (version 2) or content hash (version 1), and kind."""
        digest, kind = record.get('sha1'), record.get('kind')
        if blob is None and kind is None and not isinstance(digest, text_type):
            raise bad('a record without "test" must give the file\'s "blob" or "kind" (or, in version 1, "sha1")')
        if kind not in (None, 'data'):
            raise bad('"kind" must be "data" (a data file) or absent, not %r' % (kind,))
        if kind == 'data':
            traces.data_files.add(path)
        self._blobs[path] = blob  # a version 1 hash is no blob id: the content is unknown
        if blob:
            traces.blobs[path] = blob


# Above every number a duration or time may be (and NaN compares false): 1e12 s is 31,700 years.
_NEVER = 1e12

# The optional fields of a test record, the types they must have, and whether
# they must not be negative.
_RESULT_FIELDS = (('outcome', text_type, False), ('duration', (float,) + integer_types, True),
                  ('run', text_type, False), ('time', (float,) + integer_types, True))


def _result(record, bad):
    """{field: value} of a test record's optional outcome, duration, run and time, checked."""
    result = {}
    for field, kinds, positive in _RESULT_FIELDS:
        value = record.get(field)
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, kinds) or (positive and not 0 <= value < _NEVER) \
                or (kinds is text_type and not value):
            raise bad('"%s" must be %s, not %r' % (field, 'a number >= 0' if positive else 'a non-empty string',
                                                   value))
        result[field] = value
    return result


def _truncated(line):
    """A hint when a bad record is a last line cut short (bytes with no
    newline and no closing brace)."""
    if not line.endswith(b'\n') and not line.rstrip().endswith(b'}'):
        return ' (the file ends inside this record: is it truncated?)'
    return ''


# json.loads without its layers around the C scanner (this runs once per record).
_decode = json.JSONDecoder().raw_decode


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
