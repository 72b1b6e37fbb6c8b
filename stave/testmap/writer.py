"""Writing per-test line sets into the test map.

The collector and the importers hand plain data to MapWriter.write():
``{test_id: {path: set(lines)}}``, never a store. For each test the writer
reads the lines it recorded before, writes only the difference to the lines
table (new cells in, vanished ones deleted), and the test's row: so a
re-recorded test leaves no stale line, and writing the same data twice leaves
the same map.

A whole write() is one transaction where the store can (the embedded one).
HBase has no cross-row transactions, so a write is ordered so that a writer
killed at any point leaves no half-written test visible:

1. the tests of the write are marked as being written (one row of tm_meta);
   queries leave marked tests out and selection selects them;
2. each test's row gets every line it recorded before or records now, so it
   always covers every line cell of the test that may exist;
3. the lines table: new cells in, vanished ones out;
4. each test's row gets exactly its new lines, and new tests their key;
5. the marks are removed.

A test left marked by a killed writer is repaired by its next recording,
which finds all its line cells through its row (step 2) and, since the row
may name cells that were never written, writes every line it records.
"""
from __future__ import absolute_import, division, print_function, unicode_literals

import time

from stave.compat import iteritems
from stave.errors import StaveError
from stave.sentinels import LARGEST_LINE
from stave.testmap import keys
from stave.testmap.layout import (DATA_KIND, FILES, KIND_COLUMN, LINES, META, RUNS, TEST_KEYS, TESTS, WRITING_ROW,
                                  ensure_layout)
from stave.testmap.outcomes import HISTORY_COLUMN, updated_history

# New line cells held before they go to the store. Each send adds one record
# per line row, and a later send of the same write must merge into those
# records (measured with store layout 3: a 10M-triple import took 56 s in one
# send, 117 s in three), so a write sends once unless it is huge. (That 10M
# import peaks at 1.7 GB of memory, most of it the parsed trace file.)
_BATCH_CELLS = 20000000


class KeyCollisionError(StaveError):
    """Two test ids share a test key (8 bytes of SHA-1): astronomically rare."""


class MapWriter(object):
    """Writes traces into the test map of `store`, for the run `run_id`."""

    def __init__(self, store, run_id=None):
        ensure_layout(store)
        self.store = store
        self.run_id = (run_id or new_run_id()).encode('utf-8')
        self._lines = store.table(LINES)
        self._tests = store.table(TESTS)
        self._keys = store.table(TEST_KEYS)
        self._files = store.table(FILES)
        self._runs = store.table(RUNS)
        self._meta = store.table(META)

    def write(self, traces, results=None, file_hashes=None, merge=False):
        """Record `traces` ({test: {path: lines}}), each test's outcome and duration
        from `results` ({test: {'outcome': .., 'duration': ..}}) and the content
        hash of each file from `file_hashes` ({path: sha1 hex}). Returns the
        number of (test, path, line) triples now recorded for these tests.
        With `merge`, each test's lines are added to those it recorded, read in
        the same transaction (see add()).

        A test with an outcome also gets it added to its recent outcomes
        (stave.testmap.outcomes), with the result's 'fingerprint' of what it
        ran if there is one (the collector gives it; imports have none)."""
        results = results or {}
        written = 0
        # The map's cells carry a small increasing stamp instead of the time, a
        # new one for every write from an atomic counter: a byte or three per
        # cell instead of six, and HBase's rule that a delete at stamp s removes
        # what was written at s or before still holds.
        stamp = self._next_stamp()
        with self.store.transaction():
            batches = (self._lines.batch(timestamp=stamp), self._tests.batch(timestamp=stamp),
                       self._keys.batch(timestamp=stamp), self._tests.batch(timestamp=stamp))
            added = _NewCells()
            # In test-key order, each line row's tests arrive in the order the
            # store sorts a row's columns in (and sorting sorted keys is cheap).
            by_key = sorted((keys.test_key(test_id), test_id.encode('utf-8'), test_id) for test_id in traces)
            # What the map holds for these tests: a few queries, not two per test.
            # (The marks a killed writer left are read before this write adds its own.)
            unfinished = self._meta.row(WRITING_ROW) if by_key else {}
            owners = dict(self._keys.rows([key for key, _, _ in by_key], columns=[b'n']))
            recorded = dict(self._tests.rows([name for _, name, _ in by_key], columns=[b'l', HISTORY_COLUMN]))
            if by_key:
                self._meta.put(WRITING_ROW, dict((b'm:' + key, name) for key, name, _ in by_key), timestamp=stamp)
            for position, (key, name, test_id) in enumerate(by_key):
                owner = owners.get(key, {}).get(b'n:id')
                if owner is None and position and by_key[position - 1][0] == key:
                    owner = by_key[position - 1][1]  # two tests of this write share the key
                if owner is not None and owner != name:
                    raise KeyCollisionError('tests %r and %r share the key %r' % (owner, name, key))
                new = _checked_lines(test_id, traces[test_id])
                row = recorded.get(name, {})
                if merge:
                    for path, lines in iteritems(_lines_of(row)):
                        new[path] = sorted(lines.union(new.get(path, ())))
                written += sum(map(len, new.values()))
                self._write_test(name, key, new, _lines_of(row), owner is None, results.get(test_id) or {},
                                 row.get(HISTORY_COLUMN), added, batches, b'm:' + key not in unfinished)
                if added.cells >= _BATCH_CELLS:
                    added.put_into(batches[0])
            batches[1].send()  # rows covering old and new lines, before any line cell changes
            added.put_into(batches[0])  # sends the lines batch, deletes included
            batches[3].send()  # rows with exactly the new lines
            batches[2].send()
            if by_key:
                self._meta.delete(WRITING_ROW, [b'm:' + key for key, _, _ in by_key], timestamp=stamp)
            if file_hashes:
                with self._files.batch() as batch:
                    for path, digest in iteritems(file_hashes):
                        batch.put(keys.normalise_path(path).encode('utf-8'),
                                  {b'f:sha1': digest.encode('ascii'), b'f:run': self.run_id})
        return written

    def _write_test(self, name, key, new, old, unnamed, result, history, added, batches, exact):
        """Write one test's lines `new` ({path: sorted list of lines}) over those
        it recorded before, `old` ({path: set(lines)}), and its row, its recent
        outcomes `history` (the i:history value, or None) updated with `result`;
        `unnamed` if its key has no entry in tm_test_keys yet; `exact` unless a
        killed writer left the test marked, when `old` may name cells never written."""
        lines, tests, test_keys, final_tests = batches
        column = b't:' + key
        data = {b'i:key': key, b'i:run': self.run_id}
        for field in ('outcome', 'duration'):
            if result.get(field) is not None:
                data[b'i:' + field.encode('ascii')] = str(result[field]).encode('utf-8')
        if result.get('outcome') is not None:
            data[HISTORY_COLUMN] = updated_history(history, result['outcome'],
                                                   self.run_id.decode('utf-8'), result.get('fingerprint'))
        final = {}  # the row's columns once the lines table is written, where they differ
        for path in set(old) | set(new):
            before, after = old.get(path), new.get(path, ())
            if before:
                added.add(path, [line for line in after if line not in before] if exact else after, key)
                vanished = before.difference(after)
                for line in vanished:
                    lines.delete(keys.line_key(path, line), [column])
                if vanished:
                    final[path.encode('utf-8')] = after
                    after = sorted(before.union(after))
            else:
                added.add(path, after, key)
            if after:
                data[b'l:' + path.encode('utf-8')] = keys.pack_lines(after)
        tests.put(name, data)
        gone = [b'l:' + path for path, after in iteritems(final) if not after]
        if gone:
            final_tests.delete(name, gone)
        kept = dict((b'l:' + path, keys.pack_lines(after)) for path, after in iteritems(final) if after)
        if kept:
            final_tests.put(name, kept)
        if unnamed:
            test_keys.put(key, {b'n:id': name})

    def _next_stamp(self):
        return self._meta.counter_inc(b'layout', b'm:stamp')

    def write_merged(self, test_id, files):
        """Add `files` ({path: lines}) to what `test_id` recorded, keeping the rest:
        for the '<import>' pseudo-test, which every run and worker adds to."""
        return self.add({test_id: files})

    def add(self, tests, file_hashes=None):
        """Add each test's lines ({test: {path: lines}}) to what it recorded,
        keeping the rest: the lines other processes ran for the tests of a run
        (subprocesses, servers), and the pseudo-tests of lines run outside tests.
        `file_hashes` as for write(). What a test recorded is read inside the
        write's transaction, so two processes adding to one test at once lose
        nothing on the embedded store (HBase has no such transaction: there the
        later of two overlapping adds may drop the earlier's new lines)."""
        return self.write(tests, file_hashes=file_hashes, merge=True)

    def forget(self, test_ids):
        """Remove tests and their lines from the map."""
        with self.store.transaction():
            self.write(dict((test_id, {}) for test_id in test_ids))
            stamp = self._next_stamp()  # never the time: that would mask later writes on HBase
            with self._tests.batch(timestamp=stamp) as tests, self._keys.batch(timestamp=stamp) as test_keys:
                for test_id in test_ids:
                    tests.delete(test_id.encode('utf-8'))
                    test_keys.delete(keys.test_key(test_id))

    def mark_data_files(self, paths):
        """Mark `paths` as data files in tm_files (f:kind): files the tests read,
        each recorded as its line 1, which selection treats as a whole.

        A method of its own, not a part of write(): the recorder calls it
        before it writes the tests that read the files, whether it writes or
        adds them (add()), so that a writer killed in between (HBase has no
        transactions) leaves at worst a kind with no reader, never a reader
        of a data file the map takes for a source file. A kind is never
        taken back: what makes a data file (not a Python source) is its name."""
        if paths:
            with self._files.batch() as batch:
                for path in paths:
                    batch.put(keys.normalise_path(path).encode('utf-8'), {KIND_COLUMN: DATA_KIND})

    def record_run(self, **fields):
        """Store facts about this run (started, finished, commit, tests, command) in tm_runs."""
        data = dict((b'r:' + name.encode('ascii'), str(value).encode('utf-8'))
                    for name, value in iteritems(fields) if value is not None)
        if data:
            self._runs.put(self.run_id, data)


class _NewCells(object):
    """The line cells a write adds, turned from tests' lines into lines' tests:
    {path: {line: [test keys]}}, so that each line row is written once, as
    one group, however many tests ran it."""

    def __init__(self):
        self.cells = 0
        self._paths = {}

    def add(self, path, lines, test_key):
        """Note that the test `test_key` ran `lines` of `path`."""
        rows = self._paths.get(path)
        if rows is None:
            rows = self._paths[path] = {}
        # The loop that runs once per new cell. A list per line, not a dict:
        # appending is twice as fast (measured on a 10M-cell import).
        for line in lines:
            tests = rows.get(line)
            if tests is None:
                rows[line] = [test_key]
            else:
                tests.append(test_key)
        self.cells += len(lines)

    def put_into(self, batch):
        """Put every cell held into `batch` (of the lines table), sent, and forget them."""
        # In (nearly) row-key order: the store sorts the rows of a write, and
        # sorting sorted bytes is much cheaper than sorting shuffled ones.
        put, line_number = batch.put_columns, keys.LINE_NUMBER
        for path in sorted(self._paths):
            prefix, rows = keys.file_prefix(path), self._paths[path]
            for line in sorted(rows):
                put(prefix + line_number % line, b't', rows[line])
        batch.send()
        self.cells = 0
        self._paths = {}


_SETS = (set, frozenset)


def _checked_lines(test_id, files):
    """{path: sorted list of lines} of one test's traces ({path: lines}),
    paths normalised and lines checked."""
    new = dict((keys.normalise_path(path), sorted(found if isinstance(found, _SETS) else set(found)))
               for path, found in iteritems(files) if found)
    for path, ordered in iteritems(new):
        if ordered[0] < 1 or ordered[-1] > LARGEST_LINE:
            raise ValueError('test %s: a line of %s is outside 1..%d' % (test_id, path, LARGEST_LINE))
    return new


def _lines_of(test_row):
    """{path: set(lines)} from the l: columns of a test's row."""
    return dict((column[2:].decode('utf-8'), set(keys.unpack_lines(packed)))
                for column, packed in iteritems(test_row) if column.startswith(b'l:'))


def new_run_id():
    """A run id that sorts by time: UTC timestamp, then the process id."""
    import os
    return '%s-%d' % (time.strftime('%Y%m%dT%H%M%SZ', time.gmtime()), os.getpid())
