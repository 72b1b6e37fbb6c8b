"""Writing per-test line sets into the test map.

The collector and the importers hand plain data to MapWriter.write():
``{test_id: {path: set(lines)}}``, never a store. For each test the writer
reads the lines it recorded before, writes only the difference to the lines
table (new cells in, vanished ones deleted), then the test's row: so a
re-recorded test leaves no stale line, and writing the same data twice leaves
the same map. A whole write() is one transaction where the store can (the
embedded one), so a crash never leaves half a test behind.
"""
from __future__ import absolute_import, division, print_function, unicode_literals

import time

from stave.compat import iteritems
from stave.errors import StaveError
from stave.testmap import keys
from stave.testmap.layout import FILES, LINES, META, RUNS, TEST_KEYS, TESTS, ensure_layout

# New line cells held before they go to the store. Each send adds one record
# per line row, and a later send of the same write must merge into those
# records (measured: a 10M-triple import takes 56 s in one send, 117 s in
# three), so a write sends once unless it is huge. (That 10M import peaks at
# 2 GB of memory, most of it the parsed trace file.)
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

    def write(self, traces, results=None, file_hashes=None):
        """Record `traces` ({test: {path: lines}}), each test's outcome and duration
        from `results` ({test: {'outcome': .., 'duration': ..}}) and the content
        hash of each file from `file_hashes` ({path: sha1 hex}). Returns the
        number of (test, path, line) triples now recorded for these tests."""
        results = results or {}
        written = 0
        # The map's cells carry a small increasing stamp instead of the time, a
        # new one for every write from an atomic counter: a byte or three per
        # cell instead of six, and HBase's rule that a delete at stamp s removes
        # what was written at s or before still holds.
        stamp = self._next_stamp()
        with self.store.transaction():
            lines = self._lines.batch(timestamp=stamp)
            tests = self._tests.batch(timestamp=stamp)
            test_keys = self._keys.batch(timestamp=stamp)
            added = _NewCells()
            for test_id, files in iteritems(traces):
                new = dict((keys.normalise_path(path), set(found)) for path, found in iteritems(files) if found)
                for path, found in iteritems(new):
                    if min(found) < 1 or max(found) > keys.MAX_LINE:
                        raise ValueError('test %s: a line of %s is outside 1..%d' % (test_id, path, keys.MAX_LINE))
                written += sum(len(found) for found in new.values())
                self._write_test(test_id, new, results.get(test_id) or {}, added, lines, tests, test_keys)
                if added.cells >= _BATCH_CELLS:
                    added.put_into(lines)
            added.put_into(lines)  # sends the lines batch, deletes included
            for batch in (tests, test_keys):
                batch.send()
            if file_hashes:
                with self._files.batch() as batch:
                    for path, digest in iteritems(file_hashes):
                        batch.put(keys.normalise_path(path).encode('utf-8'),
                                  {b'f:sha1': digest.encode('ascii'), b'f:run': self.run_id})
        return written

    def _write_test(self, test_id, new, result, added, lines, tests, test_keys):
        name = test_id.encode('utf-8')
        key = keys.test_key(test_id)
        owner = self._keys.row(key).get(b'n:id')
        if owner is not None and owner != name:
            raise KeyCollisionError('tests %r and %r share the key %r' % (owner, name, key))
        column = b't:' + key
        old = self._recorded(name)
        for path in set(old) | set(new):
            before, after = old.get(path, set()), new.get(path, set())
            added.add(path, after - before, key)
            for line in before - after:
                lines.delete(keys.line_key(path, line), [column])
        data = {b'i:key': key, b'i:run': self.run_id}
        for field in ('outcome', 'duration'):
            if result.get(field) is not None:
                data[b'i:' + field.encode('ascii')] = str(result[field]).encode('utf-8')
        for path, found in iteritems(new):
            data[b'l:' + path.encode('utf-8')] = keys.pack_lines(found)
        gone = [b'l:' + path.encode('utf-8') for path in old if path not in new]
        if gone:
            tests.delete(name, gone)
        tests.put(name, data)
        if owner is None:
            test_keys.put(key, {b'n:id': name})

    def _next_stamp(self):
        return self._meta.counter_inc(b'layout', b'm:stamp')

    def _recorded(self, name):
        """{path: set(lines)} the test recorded before."""
        row = self._tests.row(name, columns=[b'l'])
        return dict((column[2:].decode('utf-8'), set(keys.unpack_lines(packed))) for column, packed in iteritems(row))

    def write_merged(self, test_id, files):
        """Add `files` ({path: lines}) to what `test_id` recorded, keeping the rest:
        for the '<import>' pseudo-test, which every run and worker adds to."""
        old = self._recorded(test_id.encode('utf-8'))
        for path, lines in iteritems(files):
            old.setdefault(keys.normalise_path(path), set()).update(lines)
        return self.write({test_id: old})

    def forget(self, test_ids):
        """Remove tests and their lines from the map."""
        with self.store.transaction():
            self.write(dict((test_id, {}) for test_id in test_ids))
            stamp = self._next_stamp()  # never the time: that would mask later writes on HBase
            with self._tests.batch(timestamp=stamp) as tests, self._keys.batch(timestamp=stamp) as test_keys:
                for test_id in test_ids:
                    tests.delete(test_id.encode('utf-8'))
                    test_keys.delete(keys.test_key(test_id))

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
        for line in lines:  # the loop that runs once per new cell
            found = rows.get(line)
            if found is None:
                rows[line] = [test_key]
            else:
                found.append(test_key)
        self.cells += len(lines)

    def put_into(self, batch):
        """Put every cell held into `batch` (of the lines table), sent, and forget them."""
        for path, rows in iteritems(self._paths):
            prefix = keys.file_prefix(path)
            for line, test_keys in iteritems(rows):
                batch.put_row_cells(prefix + b'%06d' % line, b't', dict.fromkeys(test_keys, b''))
        batch.send()
        self.cells = 0
        self._paths = {}


def new_run_id():
    """A run id that sorts by time: UTC timestamp, then the process id."""
    import os
    return '%s-%d' % (time.strftime('%Y%m%dT%H%M%SZ', time.gmtime()), os.getpid())
