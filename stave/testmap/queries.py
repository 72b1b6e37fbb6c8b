"""Questions to the test map: which tests ran a line, what a test ran, and more;
and the whole map (or part of it) as trace records, for `stave export`."""
from __future__ import absolute_import, division, print_function, unicode_literals

import binascii
import heapq
import struct
from collections import OrderedDict

from stave.compat import iteritems
from stave.sentinels import LARGEST_LINE
from stave.testmap import keys
from stave.testmap.blobs import hexed
from stave.testmap.marks import read_marks
from stave.testmap.layout import (BLOB_FAMILY, DATA_KIND, FILES, KIND_COLUMN, LINES, META, RUNS, TEST_KEYS, TESTS,
                                  WRITING_ROW, check_layout, has_layout)


class TestMap(object):
    """The test map in a store (see stave.testmap.layout for the tables).

    Answers are plain Python: test ids and paths as text, lines as ints,
    sorted. Test ids found by key are cached for the life of the process.

    A test being written (a writer began and has not finished, or was killed
    mid-flush on HBase, see writer.py) is left out of every answer but
    tests_being_written(): none of it is visible until it is whole.
    """

    __test__ = False  # not a pytest test class, despite its name

    def __init__(self, store):
        check_layout(store)
        self.store = store
        if len(_NAMES) > _NAMES_LIMIT:
            _NAMES.clear()
        self._names = _NAMES

    def __repr__(self):
        return '<TestMap on %s>' % (getattr(self.store, 'url', self.store),)

    def exists(self):
        """True if the store holds a test map."""
        return has_layout(self.store)

    def tests_for(self, path, line):
        """The ids of the tests that executed `path`:`line`."""
        found = self.store.table(LINES).qualifiers([keys.line_key(keys.normalise_path(path), int(line))], b't')
        if not found:
            return []
        writing = self._writing()
        return sorted(self._names_of([key for key in found[0][1] if key not in writing]).values())

    def tests_for_file(self, path):
        """{line: [test ids]} for every recorded line of `path`, in line order."""
        prefix = keys.file_prefix(keys.normalise_path(path))
        by_line, wanted, writing = OrderedDict(), set(), self._writing()
        for row, data in self.store.table(LINES).scan(row_prefix=prefix):
            test_keys = [column[2:] for column in data if column[2:] not in writing]
            by_line[keys.parse_line_key(row)[1]] = test_keys
            wanted.update(test_keys)
        names = self._names_of(wanted, path)
        return OrderedDict((line, sorted(names[k] for k in found)) for line, found in iteritems(by_line))

    def lines_for(self, test_id):
        """{path: [lines]} that the test executed."""
        return OrderedDict((path, lines) for path, (_, lines) in iteritems(self.recorded_files(test_id)))

    def recorded_files(self, test_id):
        """{path: (blob id hex or None, [lines])} that the test executed: its
        lines in each file, and the git blob id of the content they number."""
        if keys.test_key(test_id) in self._writing():
            return OrderedDict()
        row = self.store.table(TESTS).row(test_id.encode('utf-8'), columns=[b'l'], include_timestamp=True)
        files = keys.files_of_row(row)
        return OrderedDict((path, (hexed(files[path][0]), sorted(files[path][1]))) for path in sorted(files))

    def blobs_for_file(self, path):
        """{test id: blob id hex, or None where unknown} of the tests that ran
        `path`: the content each test's recorded lines of it number."""
        blobs = self.file_index(path)
        names = self.names(blobs)
        return dict((names[key], blob) for key, blob in iteritems(blobs))

    def file_index(self, path):
        """{test key: blob id hex or None} of every test that ran `path`, from
        the file's b: index: one row, however many lines the file has. The
        index names the tests too: their ids are kept for later answers."""
        row = self.store.table(FILES).row(keys.normalise_path(path).encode('utf-8'), columns=[BLOB_FAMILY])
        writing, found, hexes, names = self._writing(), {}, {}, self._names
        for column, value in iteritems(row):
            key = column[2:]
            if key in writing:
                continue
            if key in names:  # the id known: the blob alone (this runs once per test of a hot file)
                blob = value[1:1 + _BLOB_LENGTHS[value[:1]]] or None
            else:
                blob, name = keys.unpack_index(value)
                names[key] = name.decode('utf-8')
            found[key] = hexes[blob] if blob in hexes else hexes.setdefault(blob, hexed(blob))
        return found

    def line_keys(self, path, lines):
        """{line: [test keys]} of the given lines of `path` that tests ran."""
        path = keys.normalise_path(path)
        wanted = [keys.line_key(path, line) for line in sorted(set(lines)) if 0 < line <= LARGEST_LINE]
        writing = self._writing()
        return dict((keys.parse_line_key(row)[1], [key for key in found if key not in writing])
                    for row, found in self.store.table(LINES).qualifiers(wanted, b't'))

    def names(self, test_keys):
        """{test key: test id} of `test_keys`."""
        return self._names_of(test_keys)

    def data_files_among(self, paths):
        """The paths of `paths` that the map knows as data files."""
        rows = self.store.table(FILES).rows([keys.normalise_path(p).encode('utf-8') for p in set(paths)],
                                            columns=[KIND_COLUMN])
        return set(row.decode('utf-8') for row, data in rows if data.get(KIND_COLUMN) == DATA_KIND)

    def test_info(self, test_id):
        """{'outcome', 'duration', 'run', 'time'} of a test's last recording, or None if unknown."""
        row = self.store.table(TESTS).row(test_id.encode('utf-8'), columns=[b'i'])
        if not row or keys.test_key(test_id) in self._writing():
            return None
        info = dict((column[2:].decode('ascii'), value.decode('utf-8')) for column, value in iteritems(row)
                    if column not in (b'i:key', b'i:history'))  # history: stave.testmap.outcomes
        for number in ('duration', 'time'):
            if number in info:
                info[number] = float(info[number])
        return info

    def tests(self, prefix=None):
        """The ids of all recorded tests (or those starting with `prefix`), sorted;
        without the pseudo-tests that hold lines run outside tests ('<import>',
        '<process NAME>')."""
        scan = self.store.table(TESTS).scan(row_prefix=prefix.encode('utf-8') if prefix else None,
                                            columns=[b'i:key'])
        writing = self._writing()
        return [row.decode('utf-8') for row, data in scan
                if not keys.is_outside(row.decode('utf-8')) and data[b'i:key'] not in writing]

    def outside_labels(self):
        """The pseudo-tests holding lines run outside tests that the map has
        ('<import>', '<process NAME>'), sorted."""
        rows = self.store.table(TESTS).scan(row_prefix=b'<', columns=[b'i:key'])
        return [row.decode('utf-8') for row, _ in rows if keys.is_outside(row.decode('utf-8'))]

    def failed_tests(self):
        """The tests whose last recorded outcome was not a pass or a skip."""
        scan = self.store.table(TESTS).scan(columns=[b'i:outcome', b'i:key'])
        writing = self._writing()
        return [row.decode('utf-8') for row, data in scan
                if data.get(b'i:outcome', b'passed') not in (b'passed', b'skipped') and data[b'i:key'] not in writing]

    def tests_being_written(self):
        """The ids of the tests whose write has begun and not finished: on HBase, a
        writer killed mid-flush leaves them so until they are recorded again."""
        return sorted(name.decode('utf-8') for name in self._writing().values())

    def files(self):
        """The recorded paths, sorted, with the git blob id (hex) of the latest
        recording of each (or None)."""
        return OrderedDict((row.decode('utf-8'), hexed(data.get(b'f:blob')))
                           for row, data in self.store.table(FILES).scan(columns=[b'f']))

    def data_files(self):
        """The recorded paths that are data files (files the tests read, each
        recorded as its line 1; see stave.collect.datafiles), sorted."""
        return [row.decode('utf-8') for row, data in self.store.table(FILES).scan(columns=[KIND_COLUMN])
                if data.get(KIND_COLUMN) == DATA_KIND]

    def stats(self):
        """Counts of tests, files, lines and (test, line) cells, and the last run."""
        lines = cells = 0
        files = set()
        for row, data in self.store.table(LINES).scan():
            lines += 1
            cells += len(data)
            files.add(row.rpartition(b':')[0])
        last = self.runs(limit=1)
        return OrderedDict([('tests', len(self.tests())), ('files', len(files)), ('lines', lines),
                            ('cells', cells), ('last_run', last[0] if last else None)])

    def runs(self, limit=10):
        """The last `limit` runs (recordings, imports), newest first: dicts of
        what tm_runs holds (started, finished, commit, tests, command) and 'id'."""
        runs = []
        for run, data in self.store.table(RUNS).scan(reverse=True, limit=limit):
            fields = dict((column[2:].decode('ascii'), value.decode('utf-8')) for column, value in iteritems(data))
            fields['id'] = run.decode('utf-8')
            runs.append(fields)
        return runs

    def stamp(self):
        """The map's write stamp: a number every write moves on (0 for a map
        never written), so a reader can tell whether what it holds is current."""
        value = self.store.table(META).row(b'layout', columns=[b'm:stamp']).get(b'm:stamp')
        return struct.unpack('>q', value)[0] if value else 0

    def hot_lines(self, n=10):
        """The `n` lines run by the most tests: [(path, line, number of tests)]."""
        counted = ((len(data), row) for row, data in self.store.table(LINES).scan())
        return [keys.parse_line_key(row) + (count,) for count, row in heapq.nlargest(n, counted)]

    # -- test keys to test ids ------------------------------------------------

    def _writing(self):
        """{test key: test id bytes} of the tests being written."""
        marks = read_marks(self.store.table(META).row(WRITING_ROW, include_timestamp=True))
        return dict((key, found[0][-1]) for key, found in iteritems(marks))

    def _names_of(self, test_keys, path=None):
        """{key: test id} of `test_keys`; for many keys of one file (`path`),
        from the file's index in one row read, not a lookup each."""
        test_keys = set(test_keys)
        missing = [key for key in test_keys if key not in self._names]
        if path is not None and len(missing) > _LOOKUPS:
            self.file_index(path)
            missing = [key for key in missing if key not in self._names]
        if missing:
            for key, data in self.store.table(TEST_KEYS).rows(missing, columns=[b'n:id']):
                self._names[key] = data[b'n:id'].decode('utf-8')
        return dict((key, self._names.get(key) or '<unknown test %s>' % binascii.hexlify(key).decode('ascii'))
                    for key in test_keys)


#: The lengths of a b: index cell's blob id by its first byte (keys.pack_index).
_BLOB_LENGTHS = {b'\x00': 0, b'\x14': keys.BLOB_SIZE}

#: Test ids by key, for every TestMap of the process: a key is a hash of its
#: test's id (keys.test_key), so what one map answered holds for all (two
#: ids sharing a key are refused when written). Emptied when it grows large.
_NAMES = {}
_NAMES_LIMIT = 2000000

#: Beyond this many test ids to look up for one file, reading the file's index
#: (every test of the file, with its id) is the quicker: one row instead of many.
_LOOKUPS = 32


def export_records(test_map, test_pattern=None, path_prefix=None):
    """The map as trace records (stave.testmap.traces writes them), optionally only
    the tests whose id matches the glob `test_pattern` and the paths starting with
    `path_prefix`: each file's latest blob id, then each test's lines per file,
    each with the blob id they number (a test that ran no line: its outcome
    alone), with its outcome, duration, run and time of recording."""
    import fnmatch  # only export needs it: the shell starts without
    data_files = set(test_map.data_files())
    for path, blob in iteritems(test_map.files()):
        if (blob or path in data_files) and (not path_prefix or path.startswith(path_prefix)):
            yield dict({'path': path}, **dict(([('blob', blob)] if blob else []) +
                                              ([('kind', 'data')] if path in data_files else [])))
    tests = test_map.tests() + test_map.outside_labels()
    for test in tests:
        if test_pattern and not fnmatch.fnmatchcase(test, test_pattern):
            continue
        info = test_map.test_info(test) or {}
        results = dict((k, info[k]) for k in ('outcome', 'duration', 'run', 'time') if k in info)
        files = test_map.recorded_files(test)
        if not files and not path_prefix:
            yield dict(results, test=test)
        for path, (blob, lines) in iteritems(files):
            if path_prefix and not path.startswith(path_prefix):
                continue
            yield dict(results, test=test, path=path, lines=lines, blob=blob)  # None: unknown, said so
