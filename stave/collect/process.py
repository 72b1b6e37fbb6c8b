"""Recording a whole process for the tests it serves: a subprocess a test
started, a server a session fixture started, a program run by `stave record`.

Such a process does not know which test runs: it follows the beacons of the
sessions it records for (stave.collect.session). The tracer records in
segments, a new one each time a beacon moves; a segment's lines go to its
*owners*:

- the test running when the segment began, and the one running when its end
  was noticed (the beacon is looked at every 2 ms: a line run in that gap
  may be the next test's);
- the test before (a request of the previous test may still be running).

An HTTP app wrapped by stave.collect.http counts its requests, and a process
that does is trusted to work for tests through them: at a test change with
no request in flight, the next segment is the new test's alone; and if no
request began since the last change either, the closing one does not go to
the new test (what ran meanwhile was the process's own work).
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
import signal
import threading
import time

from stave.collect import FileFilter, make_tracer
from stave.collect.beacon import Beacon
from stave.collect.datafiles import DATA_LINE
from stave.collect.files import merge_lines
from stave.collect.session import is_live, live_sessions, write_spool

#: How often the beacons are looked at, in seconds.
POLL = 0.002
#: How often `stave record` looks for live sessions of its project (a listing
#: of .stave/sessions), and every recorder forgets dead ones, in seconds.
SEARCH = 0.25


class ProcessRecorder:
    """Records this process's lines for the sessions in `sessions` (their
    directories), or for the map through `write_map(tests, data_files)` when
    none is live.
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
        self._lock = threading.RLock()       # the tracer, the segments and their owners
        self._flush_lock = threading.Lock()  # one flush at a time
        self._unsent = {}                    # test -> {path: lines} harvested and not written yet
        self._segments = 0
        self._owners = {}         # segment label -> set of tests
        self._counters = None     # the beacons' counters when last looked at
        self._running = set()     # the tests running now, by the beacons
        self._exact = {}          # test -> {path: lines} of requests that named their test
        self.requests = None      # stave.collect.http.Requests, if an HTTP app reports its requests
        self._begun = 0           # requests begun by the last test change
        self.tracer = None
        self._stop = threading.Event()
        self._watcher = None

    # -- the life of the recorder -----------------------------------------

    def start(self):
        """Start recording."""
        self._counters, self._running = self._look()
        self.tracer = make_tracer(self.filter, self._new_segment(self._running or {self.outside}))
        self.tracer.start()
        self._watcher = start_helper_thread(self._watch, 'stave-beacons')

    def stop(self):
        """Flush what is left and stop recording (the tracer stops even if that flush fails)."""
        self._stop.set()
        try:
            self.flush()
        finally:
            with self._lock:
                if self.tracer is not None:
                    self.tracer.stop()
                    self.tracer = None

    def abandon(self):
        """In a forked child: stop recording without flushing (the parent's
        lines are the parent's). The child has one thread: locks and events
        another thread of the parent may have held at the fork are replaced,
        never waited for."""
        self._lock, self._flush_lock, self._stop = threading.RLock(), threading.Lock(), threading.Event()
        self._stop.set()
        if self.tracer is not None:
            self.tracer.stop()
            self.tracer = None

    def flush(self):
        """Hand what was recorded since the last flush to the live sessions (or
        the map). One flush at a time; what one could not write (the store
        busy, a session gone meanwhile) is kept for the next."""
        with self._flush_lock:
            with self._lock:
                if self.tracer is None:
                    return
                current = self._segment_label()
                self.tracer.switch(self._new_segment(self._owners[current]))
                segments = self.tracer.harvest()
                exact, self._exact = self._exact, {}
                # Every segment closed so far has been harvested: only the running one stays.
                owners, running = self._owners, self._segment_label()
                self._owners = {running: owners[running]}
                data_files = set(getattr(self.tracer, 'data_files', ()) or ())
            for label, files in segments.items():
                for test in owners.get(label, ()):
                    merge_lines(self._unsent.setdefault(test, {}), files)
            for test, files in exact.items():
                merge_lines(self._unsent.setdefault(test, {}), files)
            tests = dict((test, files) for test, files in self._unsent.items() if files)
            if not tests:
                return
            live = [directory for directory in list(self._sessions) if is_live(directory)]
            if live:
                for directory in live:
                    write_spool(directory, tests, data_files)
            elif self.write_map is not None:
                self.write_map(tests, data_files)
            self._unsent = {}

    # -- exact attribution (stave.collect.http) ---------------------------

    def exclusive(self, ident, on):
        """Leave the thread `ident`'s lines and data-file reads to exact
        attribution (`on`), or no longer (returning the data files it read
        meanwhile, {path: lines}). sys.monitoring's tracer sees every thread
        and is told to skip it; coverage.py's is replaced in that thread by
        the exact one anyway."""
        threads = getattr(self.tracer, 'exclusive', None)
        reads = getattr(getattr(self.tracer, 'data', None), 'exclusive', None)
        if on:
            if threads is not None:
                threads.add(ident)
            if reads is not None:
                reads[ident] = set()
            return {}
        if threads is not None:
            threads.discard(ident)
        return dict((path, set([DATA_LINE])) for path in (reads.pop(ident, ()) if reads is not None else ()))

    def add_exact(self, test, hits, files=None):
        """Lines (filename, line) and data files ({path: lines}) that a request
        naming `test` ran: that test's alone."""
        with self._lock:
            found = self._exact.setdefault(test, {})
            merge_lines(found, self.filter.lines_by_path(hits))
            merge_lines(found, files or {})

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
        last_search = 0
        # With no session to follow there is no beacon to look at: only the
        # search for sessions (stave record's; and forgetting dead ones) every SEARCH seconds.
        while not self._stop.wait(POLL if self._sessions else SEARCH):
            if time.time() - last_search >= SEARCH:
                last_search = time.time()
                self._search()
            counters, running = self._look()
            if counters == self._counters:
                continue
            with self._lock:
                if self.tracer is None:
                    return
                now = running or {self.outside}
                requests = self.requests
                idle = requests is not None and requests.in_flight == 0
                if not (idle and requests.begun == self._begun):
                    self._owners[self._segment_label()].update(now)  # a line run before we looked
                owners = set(now) if idle else now | (self._running or {self.outside})
                self.tracer.switch(self._new_segment(owners))
                self._counters, self._running = counters, running
                self._begun = requests.begun if requests is not None else 0

    def _search(self):
        """Follow the project's new live sessions (stave record), forget dead ones
        (a pytest killed leaves its directory; its beacon's last test is no test)."""
        if self._find_sessions:
            for directory in live_sessions(self.root):
                self._follow(directory)
        dead = [directory for directory in list(self._sessions) if not is_live(directory)]
        if not dead:
            return
        with self._lock:
            for directory in dead:
                self._sessions.pop(directory).close()
            # What runs from now on is no test of theirs, nor their last one's.
            self._counters, self._running = self._look()
            if self.tracer is not None:
                self.tracer.switch(self._new_segment(self._running or {self.outside}))

    def _new_segment(self, owners):
        self._segments += 1
        label = 'segment %d' % self._segments
        self._owners[label] = set(owners)
        return label

    def _segment_label(self):
        return 'segment %d' % self._segments


def start_helper_thread(target, name):
    """Start a daemon thread that takes no signal of the process's.

    A signal sent to the process may be taken by any thread that does not
    block it. Taken by one of stave's, a Python handler would wait for the
    main thread to look for signals, which it does not while it is blocked
    (in a lock, a read): the program's signals are for the program's threads.
    A new thread inherits the mask of its creator, so every signal is
    blocked while it starts, then unblocked here.
    """
    thread = threading.Thread(target=target, name=name)
    thread.daemon = True
    mask = getattr(signal, 'pthread_sigmask', None)
    if mask is None:  # no POSIX threads' signal masks here (Windows)
        thread.start()
        return thread
    previous = mask(signal.SIG_BLOCK, signal.valid_signals())
    try:
        thread.start()
    finally:
        mask(signal.SIG_SETMASK, previous)
    return thread


_current = None


def current():
    """The ProcessRecorder of this process, or None."""
    return _current


def set_current(recorder):
    global _current
    _current = recorder
