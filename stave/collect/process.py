"""Recording a whole process for the tests it serves: a subprocess a test
started, a server a session fixture started, a program run by `stave record`.

Such a process does not know which test runs: it follows the beacons of the
sessions it records for (stave.collect.session). The tracer records in
segments, a new one each time a beacon moves; a segment's lines go to its
*owners*:

- the test running when the segment began, and the one running when its end
  was noticed (the beacon is looked at every 2 ms: a line run in that gap
  may be the next test's);
- the test before, unless the process is known to be idle at the switch (an
  HTTP app wrapped by stave.collect.http reports its requests in flight; a
  request of the previous test may still be running);
- while no test runs, the pseudo-test `<process NAME>`, which selection
  treats like the lines run at import.

So a test may get a neighbour's lines, never lose its own: selection stays
safe. Exact attribution under concurrency is the HTTP header's job
(stave.collect.http): the lines of a request naming its test go to that test
alone.

Every `every` seconds, at exit (normal, os._exit, SIGTERM) and before an
exec, the recorder flushes: into each followed session's spool, or, when no
session is live, straight into the map (added to what each test recorded).
"""
import os
import threading
import time

from stave.collect import FileFilter, make_tracer
from stave.collect.beacon import Beacon
from stave.collect.files import merge_lines
from stave.collect.session import live_sessions, write_spool

#: How often the beacons are looked at, in seconds.
POLL = 0.002


class ProcessRecorder:
    """Records this process's lines for the sessions in `sessions` (their
    directories), or for the map through `write_map(tests)` when none is live.
    `name` names the pseudo-test of the lines run while no test runs."""

    def __init__(self, root, name, sessions=(), include=(), omit=(), write_map=None, find_sessions=False):
        self.root = root
        self.filter = FileFilter(root, include, omit)
        self.outside = '<process %s>' % name
        self.write_map = write_map
        self._find_sessions = find_sessions
        self._sessions = {}  # directory -> Beacon
        for directory in sessions:
            self._follow(directory)
        self._lock = threading.RLock()
        self._segments = 0
        self._owners = {}         # segment label -> set of tests
        self._counters = None     # the beacons' counters when last looked at
        self._running = set()     # the tests running now, by the beacons
        self._exact = {}          # test -> set((filename, line)) of requests that named their test
        self.in_flight = None     # a callable telling the requests in flight, if an HTTP app reports them
        self.tracer = None
        self._stop = threading.Event()
        self._watcher = None

    # -- the life of the recorder -----------------------------------------

    def start(self, tracer=None):
        """Start recording (with `tracer` if one runs already, as in a forked child)."""
        self._counters, self._running = self._look()
        label = self._new_segment(self._running or {self.outside})
        if tracer is None:
            self.tracer = make_tracer(self.filter, label)
            self.tracer.start()
        else:
            self.tracer = tracer
            tracer.switch(label)
        self._watcher = threading.Thread(target=self._watch, name='stave-beacons')
        self._watcher.daemon = True
        self._watcher.start()

    def stop(self):
        """Flush what is left and stop recording."""
        self._stop.set()
        self.flush()
        with self._lock:
            if self.tracer is not None:
                self.tracer.stop()
                self.tracer = None

    def abandon(self):
        """Stop recording without flushing: in a forked child, the parent's lines are the parent's."""
        self._stop.set()
        with self._lock:
            if self.tracer is not None:
                self.tracer.stop()
                self.tracer = None

    def flush(self):
        """Hand what was recorded since the last flush to the sessions (or the map)."""
        with self._lock:
            if self.tracer is None:
                return
            self.tracer.switch(self._new_segment(self._owners[self._segment_label()]))
            segments = self.tracer.harvest()
            exact, self._exact = self._exact, {}
        tests = {}
        for label, files in segments.items():
            for test in self._owners.pop(label, ()):
                merge_lines(tests.setdefault(test, {}), files)
        for test, hits in exact.items():
            merge_lines(tests.setdefault(test, {}), self._relative(hits))
        tests = dict((test, files) for test, files in tests.items() if files)
        if not tests:
            return
        if self._find_sessions:
            for directory in live_sessions(self.root):
                self._follow(directory)
        live = [d for d in self._sessions if os.path.isdir(d)]
        if live:
            for directory in live:
                write_spool(directory, tests)
        elif self.write_map is not None:
            self.write_map(tests)

    # -- exact attribution (stave.collect.http) ---------------------------

    def exclusive(self, ident, on):
        """Leave the lines of thread `ident` to exact attribution (`on`), or no
        longer: where the tracer can (sys.monitoring's sees every thread;
        coverage.py's is replaced in that thread by the exact one anyway)."""
        threads = getattr(self.tracer, 'exclusive', None)
        if threads is not None:
            (threads.add if on else threads.discard)(ident)

    def add_exact(self, test, hits):
        """Lines (filename, line) that a request naming `test` ran: that test's alone."""
        with self._lock:
            self._exact.setdefault(test, set()).update(hits)

    # -- inside -----------------------------------------------------------

    def _follow(self, directory):
        if directory not in self._sessions:
            try:
                self._sessions[directory] = Beacon(os.path.join(directory, 'beacon'))
            except OSError:
                pass  # ended meanwhile

    def _look(self):
        counters, running = [], set()
        for beacon in list(self._sessions.values()):
            counter, test = beacon.read()
            counters.append(counter)
            if test is not None:
                running.add(test)
        return counters, running

    def _watch(self):
        last_search = time.time()
        while not self._stop.wait(POLL):
            if self._find_sessions and time.time() - last_search > 1:
                last_search = time.time()
                for directory in live_sessions(self.root):
                    self._follow(directory)
            counters, running = self._look()
            if counters == self._counters:
                continue
            with self._lock:
                if self.tracer is None:
                    return
                now = running or {self.outside}
                self._owners[self._segment_label()].update(now)  # a line run before we looked
                idle = self.in_flight is not None and self.in_flight() == 0
                owners = set(now) if idle else now | (self._running or {self.outside})
                self.tracer.switch(self._new_segment(owners))
                self._counters, self._running = counters, running

    def _new_segment(self, owners):
        self._segments += 1
        label = 'segment %d' % self._segments
        self._owners[label] = set(owners)
        return label

    def _segment_label(self):
        return 'segment %d' % self._segments

    def _relative(self, hits):
        files = {}
        for filename, line in hits:
            path = self.filter.relative(filename)
            if path is not None and line > 0:
                files.setdefault(path, set()).add(line)
        return files


_current = None


def current():
    """The ProcessRecorder of this process, or None."""
    return _current


def set_current(recorder):
    global _current
    _current = recorder
