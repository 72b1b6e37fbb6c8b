"""Writing a large amount of traces into the map in bounded memory: the engine
of `stave import` and `stave merge`.

A source (a trace file, a coverage.py file, another store's map) is read in
chunks of a bounded number of triples; each chunk is one MapWriter.write().
A test met again in a later chunk is added to (its lines there are more of
its lines), not replaced.

On the embedded store the whole source is one transaction: a source rejected
halfway (a bad record) rolls back to the store as it was. There each line row
should be one record, written once: a line row gains tests in every chunk,
and writing it once per chunk would leave it in as many records (and merging
them at each write costs more than the import). So the chunks' new line cells
go to a LineSpill: sorted runs in temporary files, merged file by file at the
end and written once per row. Stores without transactions (HBase, stave
serve) merge cells themselves: there each chunk's cells go straight in, and
the source is read once beforehand, to refuse a bad one before anything is
written.
"""
from __future__ import absolute_import, division, print_function, unicode_literals

import heapq
import pickle
import os
import shutil
import tempfile
import time

from stave.errors import StaveError
from stave.testmap.writer import put_line_rows

#: Memory taken per triple held in a chunk (the parsed traces, the writer's
#: sorted lines and new cells, the store's records), memory taken whatever
#: the chunk (the interpreter, stave, SQLite's cache), and memory that grows
#: with each test met (the import's note of it, and the heap its chunks leave
#: fragmented): how a memory setting becomes a chunk size, smaller as tests
#: come. Fitted to the peak RSS of imports at --memory 256 and 512: of 10M
#: triples (299 and 558 MiB; 170 bytes a triple), and of 100M in longer
#: records (a peak of 555 MiB at its second chunk, 189 bytes a triple; 97k
#: tests, 180 MiB more at its last chunk than at its first), with a margin.
BYTES_PER_TRIPLE = 210
BASE_BYTES = 130 * 1024 * 1024
BYTES_PER_TEST = 2048

#: The least a chunk holds, in triples, however many tests came before.
LEAST_CHUNK = 100000

#: The chunks of a pass that only checks a source (nothing kept of them).
CHECKING_CHUNK = 100000

#: The least memory setting an import takes, in megabytes.
LEAST_MEMORY_MB = 200

#: The default memory setting of an import, in megabytes.
DEFAULT_MEMORY_MB = 512

# pickle, not marshal: it loads lists of shared bytes objects (a run's test
# keys) ten times faster (measured: 0.18 s against 2.4 s for 2,000 files).
_PICKLING = pickle.HIGHEST_PROTOCOL

# Line cells sent to the store at once when the spill is written.
_SEND_CELLS = 1000000


class Budget(object):
    """The triples a chunk may hold now (call it) to keep an import within
    `memory_mb` megabytes, given the `tests` met so far (import_chunks
    keeps it up to date)."""

    def __init__(self, memory_mb):
        self.bytes = max(memory_mb, LEAST_MEMORY_MB) * 1024 * 1024 - BASE_BYTES
        self.tests = 0

    def __call__(self):
        return max(LEAST_CHUNK, (self.bytes - self.tests * BYTES_PER_TEST) // BYTES_PER_TRIPLE)


class Outcome(object):
    """What an import read (`read`: how many tests) and wrote: the tests, and
    how many triples each now has."""

    def __init__(self):
        self.read = set()
        self.counts = {}
        self.firsts = {}  # test -> (time, run or None) its first chunk wrote it with
        self.started = time.time()

    @property
    def tests(self):
        return self.counts

    @property
    def triples(self):
        return sum(self.counts.values())


def import_chunks(store, make_writer, read_chunks, on_chunk=None, policy=None, budget=None):
    """Write the traces of `read_chunks(checking)` (a function returning an
    iterable of (Traces, position) pairs; called twice where the store has
    no transactions: first with `checking` true, to check the whole source,
    then to write it) through the MapWriter `make_writer()` makes.
    `on_chunk(position, triples)` follows progress; `policy(writer, traces)`,
    if given, may drop tests a chunk should not write (stave merge: a test
    the map holds a newer recording of) and returns the tests to merge.
    `budget` (a Budget: the chunks' limit) learns how many tests came.
    Returns an Outcome. A source found bad raises before the store changes;
    so does one without traces (EmptySource)."""
    if not store.transactional:
        if not sum(len(traces.lines) for traces, _ in read_chunks(True)):  # every record checked first
            raise EmptySource('no traces')
        return _write_chunks(make_writer(), read_chunks(False), on_chunk, policy, budget)
    spill = LineSpill()
    try:
        with store.transaction():  # the tables of a new map too: a bad source leaves the store as it was
            writer = make_writer()
            writer.lines_sink = spill
            outcome = _write_chunks(writer, read_chunks(False), on_chunk, policy, budget)
            if not outcome.read:
                raise EmptySource('no traces')  # and what it held (data files' marks) is rolled back
            spill.write_into(writer)
            writer.lines_sink = None
        return outcome
    finally:
        spill.close()


class EmptySource(StaveError):
    """The source holds no traces: no test at all."""


def _write_chunks(writer, chunks, on_chunk, policy, budget):
    outcome = Outcome()
    for traces, position in chunks:
        outcome.read.update(traces.lines)
        merge = set()
        if policy is not None:
            merge = policy(writer, traces)
        seen = set(test for test in traces.lines if test in outcome.counts)
        results = {}
        for test in traces.lines:  # a test met again keeps its first record's time and run
            results[test] = dict(traces.results.get(test, {}))
            first = outcome.firsts.get(test)
            if first is None:
                outcome.firsts[test] = (results[test].setdefault('time', outcome.started), results[test].get('run'))
            else:
                results[test]['time'] = first[0]
                if first[1] is not None:
                    results[test]['run'] = first[1]
        if traces.data_files:
            writer.mark_data_files(sorted(traces.data_files))
        if traces.lines:
            writer.write(traces.lines, results, traces.blobs, merge=merge | seen, test_blobs=traces.test_blobs,
                         counts=outcome.counts, same_blobs=seen)
        if budget is not None:
            budget.tests = len(outcome.counts)
        if on_chunk is not None:
            on_chunk(position, outcome.triples)
    return outcome


class LineSpill(object):
    """New line cells ({path: {line: [test keys]}}) taken chunk by chunk, kept
    in sorted runs on disk, and written into the lines table once per row.

    A run is a file of pickled records, one per path in path order: (path,
    [lines], [each line's test keys, sorted]). Writing merges the runs path by
    path, so memory holds one file's cells at a time."""

    def __init__(self):
        self._runs = []
        self._directory = None

    def take(self, paths):
        """Keep the cells of one chunk."""
        if paths:
            self._spill(paths)

    def write_into(self, writer):
        """Write every cell taken into the map of `writer`, at a new stamp."""
        if self._runs:
            batch = writer.lines_batch()
            put_line_rows(batch, self._merged(), _SEND_CELLS)
            batch.send()

    def close(self):
        """Remove the runs."""
        if self._directory is not None:
            shutil.rmtree(self._directory, ignore_errors=True)
            self._directory, self._runs = None, []

    def _spill(self, paths):
        if self._directory is None:
            self._directory = tempfile.mkdtemp(prefix='stave-import-')
        name = os.path.join(self._directory, 'run-%d' % len(self._runs))
        with open(name, 'wb') as out:
            for path in sorted(paths):
                rows = paths[path]
                lines = sorted(rows)
                pickle.dump((path, lines, [rows[line] for line in lines]), out, _PICKLING)
        self._runs.append(name)

    def _merged(self):
        """(path, {line: [test keys]}) of every run, in path order."""
        streams = [_read_run(name, index) for index, name in enumerate(self._runs)]
        current, rows = None, None
        for path, _, lines, test_keys in heapq.merge(*streams):
            if path != current:
                if current is not None:
                    yield current, rows
                current, rows = path, {}
            for line, found in zip(lines, test_keys):
                held = rows.get(line)
                if held is None:
                    rows[line] = found
                else:
                    held.extend(found)  # sorted runs, one after the other: pack_columns sorts them
        if current is not None:
            yield current, rows


def _read_run(name, index):
    """(path, index, lines, test keys) of each record of a run; `index` keeps
    heapq.merge from comparing the lists of two runs' records of one path."""
    with open(name, 'rb') as handle:
        while True:
            try:
                path, lines, test_keys = pickle.load(handle)
            except EOFError:
                return
            yield path, index, lines, test_keys
