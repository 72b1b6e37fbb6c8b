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

1. the tests of the write are marked as being written (row b'writing' of
   tm_meta, a column per test and writer: stave.testmap.marks); queries
   leave marked tests out and selection selects them;
2. each test's row gets every line it recorded before or records now, so it
   always covers every line cell of the test that may exist;
3. the lines table: new cells in, vanished ones out;
4. tm_files' index of each test's blob per file (b:), while the rows still
   name every file the test ran before or runs now;
5. each test's row gets exactly its new lines, and new tests their key;
6. the writer's marks are removed, and those a dead writer left on its tests.

A test another writer has marked (at work, or killed) is written whole by
the next writer of it; a killed writer's test is repaired by its next recording,
which finds all its line cells and index entries through its row (step 2)
and, since the row may name cells that were never written, writes every
line and index entry it records.

Each test's lines in a file are stored with the git blob id of the content
they number (stave.testmap.blobs): in its row, as one value, and in the
file's b: index of tm_files (step 4). Adding lines to a test (add()) unions
them with what it holds only where both number the same blob; lines of
another blob replace the old ones for that file, since one test's lines of
a file are always in one numbering.
"""
from __future__ import absolute_import, division, print_function, unicode_literals

import time
import uuid

from stave.compat import iteritems
from stave.errors import StaveError
from stave.sentinels import LARGEST_LINE
from stave.testmap import keys
from stave.testmap.blobs import hexed, raw
from stave.testmap.marks import abandoned, mark_column, mark_value, read_marks
from stave.testmap.layout import (BLOB_FAMILY, DATA_KIND, FILES, KIND_COLUMN, LINES, META, RUNS, TEST_KEYS, TESTS,
                                  WRITING_ROW, ensure_layout)
from stave.testmap.outcomes import HISTORY_COLUMN, updated_history

# New line cells held before they go to the store. Each send adds one record
# per line row, and a later send of the same write must merge into those
# records (measured with store layout 3: a 10M-triple write took 56 s in one
# send, 117 s in three), so a write sends once unless it is huge. (Imports
# write in chunks well below this, through a lines sink: stave.testmap.bulk.)
_BATCH_CELLS = 20000000


class BlobConflictError(StaveError):
    """Lines of one test and file said to number two contents."""


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
        #: Where new line cells go instead of the store, if set: an object whose
        #: take({path: {line: [test keys]}}) keeps them (bulk.LineSpill).
        self.lines_sink = None
        #: The qualifier suffix of this writer's part of the lines it adds (see add()).
        self.part = uuid.uuid4().hex[:12].encode('ascii')

    def write(self, traces, results=None, blobs=None, merge=False, test_blobs=None, counts=None, same_blobs=()):
        """Record `traces` ({test: {path: lines}}), each test's outcome and duration
        from `results` ({test: {'outcome': .., 'duration': ..}}) and the git
        blob id (hex) of each file's content the lines number, from `blobs`
        ({path: blob}, which also become the files' latest blob in tm_files)
        and `test_blobs` ({test: {path: blob}}, where a test's differ). Returns
        the number of (test, path, line) triples now recorded for these tests.
        With `merge` (True, or the container of the tests to merge), each
        test's lines are added to those it recorded, read in the same
        transaction (see add()). A dict `counts` gets each test's number of
        triples now recorded. A test of `same_blobs` whose lines of a file
        number another blob than those it holds is refused (BlobConflictError):
        one source's records of a test must agree (stave.testmap.bulk).

        A result may also give the recording's 'run' (default this writer's),
        its 'time' (seconds since the epoch; default now) and a 'history' to
        keep as it is (a map being
        merged into this one); otherwise a test with an outcome gets it added
        to its recent outcomes (stave.testmap.outcomes), with the result's
        'fingerprint' of what it ran if there is one (the collector gives it;
        imports have none)."""
        results, blobs, test_blobs = results or {}, blobs or {}, test_blobs or {}
        clock = time.time()
        written, now = 0, repr(clock).encode('ascii')
        # The map's cells carry a small increasing stamp instead of the time, a
        # new one for every write from an atomic counter: a byte or three per
        # cell instead of six, and HBase's rule that a delete at stamp s removes
        # what was written at s or before still holds.
        stamp = self._next_stamp()
        with self.store.transaction():
            batches = _Batches(self, stamp)
            added = _NewCells()
            # In test-key order, each line row's tests arrive in the order the
            # store sorts a row's columns in (and sorting sorted keys is cheap).
            by_key = sorted((keys.test_key(test_id), test_id.encode('utf-8'), test_id) for test_id in traces)
            # What the map holds for these tests: a few queries, not two per test.
            # (The marks other writers left are read before this write adds its own.)
            unfinished = read_marks(self._meta.row(WRITING_ROW, include_timestamp=True)) if by_key else {}
            owners = dict(self._keys.rows([key for key, _, _ in by_key], columns=[b'n']))
            recorded = dict(self._tests.rows([name for _, name, _ in by_key], columns=[b'l', HISTORY_COLUMN],
                                             include_timestamp=True))
            stale = []  # (row, column, timestamp): columns of a file that a write folds into another
            if by_key:
                self._meta.put(WRITING_ROW, dict((mark_column(key, self.part), mark_value(name, clock))
                                                 for key, name, _ in by_key), timestamp=stamp)
            for position, (key, name, test_id) in enumerate(by_key):
                owner = owners.get(key, {}).get(b'n:id')
                if owner is None and position and by_key[position - 1][0] == key:
                    owner = by_key[position - 1][1]  # two tests of this write share the key
                if owner is not None and owner != name:
                    raise KeyCollisionError('tests %r and %r share the key %r' % (owner, name, key))
                new = _checked_lines(test_id, traces[test_id], blobs, test_blobs.get(test_id))
                row = recorded.get(name, {})
                old = keys.files_of_row(row)
                if test_id in same_blobs:
                    _check_same_blobs(test_id, new, old)
                adding = merge is True or (merge and test_id in merge)
                if adding:
                    for path, (blob, lines, _, _) in iteritems(old):
                        if path not in new:
                            new[path] = (blob, sorted(lines))
                        elif new[path][0] == blob:
                            new[path] = (blob, sorted(lines.union(new[path][1])))
                count = sum(len(lines) for _, lines in new.values())
                written += count
                if counts is not None:
                    counts[test_id] = count
                result = results.get(test_id) or {}
                self._write_test(name, key, new, old, owner is None, result, row.get(HISTORY_COLUMN, (None,))[0],
                                 str(result['time']).encode('ascii') if result.get('time') else now,
                                 added, batches, key not in unfinished, self.part if adding else None, stale)
                if added.cells >= _BATCH_CELLS:
                    self._put_lines(added, batches.lines)
            batches.widened.send()  # rows covering old and new lines, before any line cell changes
            self._put_lines(added, batches.lines, last=True)  # sends the lines batch, deletes included
            batches.files.send()  # the b: index, while the rows still name every file of old and new
            batches.final.send()  # rows with exactly the new lines
            self._delete_stale(stale)
            batches.test_keys.send()
            if by_key:  # its own marks, and those of writers that died (this write wrote their tests whole)
                self._meta.delete(WRITING_ROW, [mark_column(key, self.part) for key, _, _ in by_key], timestamp=stamp)
                for key, _, _ in by_key:
                    for column, at in abandoned(unfinished.get(key, ()), clock):
                        self._meta.delete(WRITING_ROW, [column], timestamp=at)
            if blobs:
                with self._files.batch() as batch:
                    for path, blob in iteritems(blobs):
                        if blob:
                            batch.put(keys.normalise_path(path).encode('utf-8'),
                                      {b'f:blob': raw(blob), b'f:run': self.run_id})
        return written

    def _delete_stale(self, stale):
        """Delete the columns [(row, column, timestamp)] at the versions read (a
        part its writer rewrote since stays): a batch per timestamp, since a
        write's columns share one."""
        by_stamp = {}
        for row, column, at in stale:
            by_stamp.setdefault(at, {}).setdefault(row, []).append(column)
        for at, rows in iteritems(by_stamp):
            with self._tests.batch(timestamp=at) as batch:
                for row, columns in iteritems(rows):
                    batch.delete(row, columns)

    def _put_lines(self, added, batch, last=False):
        """Send the new line cells held in `added` through `batch`, or hand them
        to the lines sink (see bulk.LineSpill) when the writer has one."""
        if self.lines_sink is None:
            added.put_into(batch)
        else:
            self.lines_sink.take(added.take())
            if last:
                batch.send()

    def _write_test(self, name, key, new, old, unnamed, result, history, when, added, batches, exact, part, stale):
        """Write one test's lines `new` ({path: (blob, sorted list of lines)}) over
        those it recorded before, `old` (keys.files_of_row's), and its row:
        recorded at `when` (bytes), its recent outcomes `history` (the
        i:history value, or None) updated with `result`; `unnamed` if its key
        has no entry in tm_test_keys yet; `exact` unless a killed writer left
        the test marked, when `old` may name cells never written. The lines
        go into each file's main column, or for an add into this writer's
        `part`; the file's other columns are noted in `stale`, to go."""
        column, blob_column = b't:' + key, BLOB_FAMILY + b':' + key
        data = {b'i:key': key, b'i:run': result['run'].encode('utf-8') if result.get('run') else self.run_id,
                b'i:time': when}
        for field in ('outcome', 'duration'):
            if result.get(field) is not None:
                data[b'i:' + field.encode('ascii')] = str(result[field]).encode('utf-8')
        if result.get('history') is not None:
            data[HISTORY_COLUMN] = result['history']
        elif result.get('outcome') is not None:
            data[HISTORY_COLUMN] = updated_history(history, result['outcome'],
                                                   self.run_id.decode('utf-8'), result.get('fingerprint'))
        final = {}  # the row's columns once the lines table is written, where they differ
        index = {}  # path -> the blob to name in the file's b: index (None: unknown; _GONE: take the test out)
        for path in set(old) | set(new):
            (was, before, columns, other), (blob, after) = old.get(path, (None, None, (), ())), new.get(path, (None, ()))
            encoded, target = path.encode('utf-8'), keys.file_column(path, part)
            stale.extend((name, column, at) for column, at in columns if column != target)
            if other:  # cells of columns of another blob, about to go: vanished lines too
                before = before | other
            if before:
                added.add(path, [line for line in after if line not in before] if exact else after, key)
                vanished = before.difference(after)
                for line in vanished:
                    batches.lines.delete(keys.line_key(path, line), [column])
                if vanished:
                    final[target] = (blob, after)
                    after = sorted(before.union(after))
            else:
                added.add(path, after, key)
            if after:  # a file the test no longer runs keeps its blob until its lines go
                data[target] = keys.pack_file_lines(blob if path in new else was, after)
            if path not in new:
                index[encoded] = _GONE
            elif blob != was or not before or not exact or part:  # another writer may have left it behind
                index[encoded] = blob  # every test that runs the file is in its index, None or not
        batches.widened.put(name, data)
        gone = [column for column, (_, after) in iteritems(final) if not after]
        if gone:
            batches.final.delete(name, gone)
        kept = dict((column, keys.pack_file_lines(blob, after)) for column, (blob, after) in iteritems(final) if after)
        if kept:
            batches.final.put(name, kept)
        for path, blob in iteritems(index):
            if blob is _GONE:
                batches.files.delete(path, [blob_column])
            else:
                batches.files.put(path, {blob_column: keys.pack_index(blob, name)})
        if unnamed:
            batches.test_keys.put(key, {b'n:id': name})

    def lines_batch(self):
        """A batch of the lines table at a new stamp, for cells a lines sink
        kept (stave.testmap.bulk)."""
        return self._lines.batch(timestamp=self._next_stamp())

    def _next_stamp(self):
        return self._meta.counter_inc(b'layout', b'm:stamp')

    def add(self, tests, blobs=None):
        """Add each test's lines ({test: {path: lines}}) to what it recorded,
        keeping the rest: the lines other processes ran for the tests of a run
        (subprocesses, servers), and the pseudo-tests of lines run outside tests.
        `blobs` as for write(): lines of another blob than a test holds for a
        file replace its lines there.

        Processes add to one test at once (the shards of a run, the workers of
        xdist: each to '<import>'), and HBase has no transaction to make a
        read and a write one step. So an add never overwrites what another
        writer may have written since it read: it writes the union of what it
        read and its lines into a column of its own, the writer's part
        (b'l:<path>\\x00<part>'), and removes the file's other columns at the
        versions it read, never a newer one. Readers union a file's columns
        (keys.files_of_row). Two adds at once both keep the other's lines:
        each either read them or leaves the other's part in place."""
        return self.write(tests, blobs=blobs, merge=True)

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
        put_line_rows(batch, sorted(iteritems(self.take())))
        batch.send()

    def take(self):
        """The cells held ({path: {line: [test keys]}}), forgotten here."""
        paths, self._paths, self.cells = self._paths, {}, 0
        return paths


def put_line_rows(batch, files, send_every=None):
    """Put the line cells of `files`, (path, {line: [test keys]}) pairs in path
    order, into `batch` (of the lines table) row by row in key order (the
    store sorts the rows of a write, and sorting sorted bytes is much cheaper
    than sorting shuffled ones); sending every `send_every` cells, if given."""
    put, line_number, cells = batch.put_columns, keys.LINE_NUMBER, 0
    for path, rows in files:
        prefix = keys.file_prefix(path)
        for line in sorted(rows):
            put(prefix + line_number % line, b't', rows[line])
            cells += len(rows[line])
        if send_every and cells >= send_every:
            batch.send()
            cells = 0


class _Batches(object):
    """The batches of one write, all at its stamp: `widened` (test rows with old
    and new lines), `lines` (tm_lines), `final` (test rows' exact lines),
    `files` (the b: index) and `test_keys`."""

    def __init__(self, writer, stamp):
        self.widened = writer._tests.batch(timestamp=stamp)
        self.lines = writer._lines.batch(timestamp=stamp)
        self.final = writer._tests.batch(timestamp=stamp)
        self.files = writer._files.batch(timestamp=stamp)
        self.test_keys = writer._keys.batch(timestamp=stamp)


_SETS = (set, frozenset)

_GONE = object()  # a file a test runs no longer: its entry leaves the file's index


def _checked_lines(test_id, files, blobs, own_blobs):
    """{path: (raw blob or None, sorted list of lines)} of one test's traces
    ({path: lines}), paths normalised and lines checked; the blobs (hex) are
    the test's own where it has one (`own_blobs`: None there means unknown),
    or else the files' (`blobs`)."""
    new = {}
    for path, found in iteritems(files):
        if found:
            blob = own_blobs[path] if own_blobs is not None and path in own_blobs else blobs.get(path)
            new[keys.normalise_path(path)] = (raw(blob), sorted(found if isinstance(found, _SETS) else set(found)))
    for path, (_, ordered) in iteritems(new):
        if ordered[0] < 1 or ordered[-1] > LARGEST_LINE:
            raise ValueError('test %s: a line of %s is outside 1..%d' % (test_id, path, LARGEST_LINE))
    return new


def _check_same_blobs(test_id, new, old):
    """Refuse lines of `test_id` ({path: (blob, lines)}) numbering another blob
    than those it holds of the same file."""
    for path, (blob, _) in iteritems(new):
        if path in old and old[path][0] != blob:
            raise BlobConflictError('test %s: its lines of %s number blob %s, and in an earlier record %s'
                                    % (test_id, path, hexed(blob), hexed(old[path][0])))


def new_run_id():
    """A run id that sorts by time: UTC timestamp, then the process id."""
    import os
    return '%s-%d' % (time.strftime('%Y%m%dT%H%M%SZ', time.gmtime()), os.getpid())
