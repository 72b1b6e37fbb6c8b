"""The recorder's side of the store: writing finished tests into the map, and
keeping them through a busy or failing store (CPython only, no pytest)."""
from stave.collect.files import merge_lines
from stave.errors import StaveError, StoreOpenError
from stave.store import connect
from stave.testmap import MapWriter
from stave.testmap.layout import LayoutVersionError
from stave.testmap.outcomes import add_report, fingerprint
from stave.testmap.runs import fold_run
from stave.testmap.writer import new_run_id


class MapSink:
    """Writes what the recorder hands it into the map at `url`, holding what
    the store refuses until it takes it.

    - Each write sends every test held in one MapWriter.write(): one
      transaction on the embedded store; on HBase, writes ordered behind marks
      that the next write of the same tests repairs. So a write that fails
      leaves no test half-written, and sending the tests again is what the
      writer is for: re-recording a test replaces its lines.
    - A write that fails with a StaveError (the store locked for longer than
      its timeout, a Thrift server gone, ...) keeps its tests and their files'
      hashes, closes the connection (the next attempt opens a new one) and
      tries again at a later write: the next one, then after 2, 4, 8, ...
      writes while the failures go on, so a store that stays locked does not
      cost its whole timeout at every flush; and always at finish(). The
      first failure of a streak is said once, through `say`, and so is the
      write that ends it, unless finish() does.
    - finish() is the last write, then the lines run outside tests and the
      run's record. Afterwards summary() says what reached the store, and
      what did not.
    - The paths of `data_files` (the tracer's: files the tests read, see
      stave.collect.datafiles) are marked as data files in the map the first
      time a write meets them, before the tests that read them.
    - Each test goes with the fingerprint of the files it ran (their content
      blob ids, taken once per run when a flush first meets the file), for its
      recent outcomes and the judgment of flaky tests (stave.testmap.outcomes).

    Errors that cannot pass with time (not a store, an unknown URL, a map of
    another layout) are raised by the constructor, before the run starts.
    """

    def __init__(self, url, file_blobs, say, run_id=None):
        """`file_blobs(paths)` -> {path: git blob id (hex)} of those that exist;
        `say(line)` tells the user (once per streak of failures)."""
        self.url = url
        self.file_blobs = file_blobs
        self.say = say
        self.run_id = run_id or new_run_id()
        self.results = {}       # node id -> {'outcome': .., 'duration': ..}
        self.held = {}          # node id -> {path: lines}, not in the store yet
        self.added = {}         # test -> {path: lines} to add to what it recorded, not in the store yet
        self.data_files = frozenset()  # the paths the tracer recorded as data files (its data_files)
        self.data = set()       # of those, paths of tests held whose kind is not in the store yet
        self.written = 0        # tests written
        self.failures = 0       # failed attempts in the whole run
        self.error = None       # the error of the failure streak going on, or None
        self.finished = None    # after finish(): True if everything reached the store
        self._file_hashes = {}  # path -> blob id (None: no such file) of every file met in the run
        self._data_met = set()  # the data files met in the run's tests
        self._streak = 0        # failed attempts in a row
        self._skip = 0          # writes to let pass before the next attempt
        self._store = self._writer = None
        try:
            self._open()
        except (StoreOpenError, LayoutVersionError):
            raise
        except StaveError as exc:
            self._failed(exc)

    def report(self, nodeid, when, outcome, duration):
        """Note one of a test's reports (setup, call, teardown): its outcome is
        the call's, or that of the phase that did not pass; durations add up."""
        add_report(self.results, nodeid, when, outcome, duration)

    def write(self, tests):
        """Hold `tests` ({node id: {path: lines}}) and write every test held,
        unless the store failed lately (see the class). True if none is held now."""
        self._hold(tests)
        if not self.held and not self.added:
            return True
        if self._skip:
            self._skip -= 1
            return False
        return self._send()

    def add(self, tests):
        """Hold `tests` ({test: {path: lines}}) to be added to what each test
        recorded (stave.testmap.writer.MapWriter.add), at the next write."""
        for test, files in tests.items():
            merge_lines(self.added.setdefault(test, {}), files)
        self._hash(set(path for files in tests.values() for path in files))

    def finish(self, tests, outside_label, outside, **run):
        """The last write: `tests`, every test held, the lines `outside` tests
        (merged into `outside_label`'s) and the run's record (`run`: started,
        finished, commit, command). True if all of it reached the store."""
        self._hold(tests)
        self._hash(set(outside))
        done = self._send(last=True)
        if done:
            try:
                writer = self._open()
                writer.mark_data_files([path for path in outside if path in self.data_files])
                writer.add({outside_label: outside}, self._blobs_of(outside))
                fold_run(self._store, self.run_id, tests=self.written, **run)  # shards may share the run
            except StaveError as exc:
                self._failed(exc, last=True)
                done = False
        self.finished = done
        return done

    def close(self):
        self._close()

    def summary(self):
        """What the run wrote, in a line or two for the end of the session."""
        if self.finished is None:
            return ['stave: the run ended before the test map was written to %s' % self.url]
        if self.finished:
            line = 'stave: recorded %d test(s) into %s' % (self.written, self.url)
            if self.failures:
                line += (' (%d attempt(s) to write failed on the way; their tests were kept and '
                         'written later)' % self.failures)
            return [line]
        lines = ['stave: the test map was NOT fully written to %s: %s' % (self.url, self.error)]
        if self.held:
            lines.append('stave: %d test(s) were written, %d recorded test(s) could not be and are lost; '
                         'record them again with --stave once the store works' % (self.written, len(self.held)))
        else:
            lines.append('stave: all %d test(s) were written, but the lines run outside tests or the '
                         'record of the run could not be' % self.written)
        return lines

    # -- inside ------------------------------------------------------------

    def _hold(self, tests):
        self.held.update(tests)  # a test recorded again replaces its held lines, as the map would
        self._hash(set(path for files in tests.values() for path in files))

    def _hash(self, paths):
        self._note_data_files(paths)
        paths = paths.difference(self._file_hashes)
        if paths:
            found = self.file_blobs(paths)
            self._file_hashes.update((path, found.get(path)) for path in paths)

    def _send(self, last=False):
        if not self.held and not self.added and self.error is None:
            return True
        try:
            writer = self._open()
            if self.data:  # before the tests that read them (see MapWriter.mark_data_files)
                writer.mark_data_files(self.data)
                self.data = set()
            if self.held:
                writer.write(self.held, self._results_of(self.held),
                             self._blobs_of(set(path for files in self.held.values() for path in files)))
                self.written += len(self.held)
                self.held = {}
            if self.added:
                writer.add(self.added, self._blobs_of(set(path for files in self.added.values() for path in files)))
                self.added = {}
        except StaveError as exc:
            self._failed(exc, last)
            return False
        if self.error is not None and not last:  # at the end, summary() says it
            self.say('stave: wrote the test map to %s after %d failed attempt(s); nothing was lost'
                     % (self.url, self._streak))
        self.error, self._streak, self._skip = None, 0, 0
        return True

    def _note_data_files(self, paths):
        """Of `paths` (of tests held), hold the data files not met before, to be marked."""
        new = set(path for path in paths if path in self.data_files and path not in self._data_met)
        self.data.update(new)
        self._data_met.update(new)

    def _blobs_of(self, paths):
        """{path: blob id} of `paths` (met in the run) that are files: the
        content the lines recorded for them number."""
        return dict((path, self._file_hashes[path]) for path in paths if self._file_hashes.get(path))

    def _results_of(self, tests):
        """{test: its result and the fingerprint of the files it ran} of `tests`."""
        return dict((test, dict(self.results[test], fingerprint=fingerprint(
            dict((path, self._file_hashes.get(path)) for path in files))))
            for test, files in tests.items() if test in self.results)

    def _open(self):
        if self._writer is None:
            if self._store is None:
                self._store = connect(self.url)
            self._writer = MapWriter(self._store, self.run_id)
        return self._writer

    def _failed(self, exc, last=False):
        self.failures += 1
        self._streak += 1
        self._skip = 2 ** (self._streak - 1) - 1
        self._close()
        if self.error is None and not last:  # at the end, summary() says it
            self.say('stave: cannot write the test map to %s: %s; keeping %d test(s) to write at a '
                     'later flush or at the end' % (self.url, exc, len(self.held)))
        self.error = exc

    def _close(self):
        store, self._store, self._writer = self._store, None, None
        if store is not None:
            try:
                store.close()
            except Exception:  # closing a connection that already failed: nothing to keep
                pass
