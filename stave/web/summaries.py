"""The map's summary for the pages, computed in the background, once per write stamp.

A summary of a 10M-triple map takes seconds (stave.testmap.summary), so a
page never waits for one longer than a moment: it shows the newest summary
there is, says whether it is current, and a new one is computed in a thread
whenever the map's write stamp has moved on.
"""
import threading
import time


class SummaryState(object):
    """What a page gets: `summary` (a MapSummary, or None before the first
    one), `fresh` (it describes the map as it is now), `since` (when the
    computation under way began, or None) and `error` (why the last failed)."""

    def __init__(self, summary, fresh, since, error):
        self.summary, self.fresh, self.since, self.error = summary, fresh, since, error


class SummaryCache(object):
    """Keeps the newest MapSummary; `open_map()` gives the computing thread a
    TestMap on its own store connection, closed with `close_map(test_map)`."""

    def __init__(self, open_map, close_map, summarise):
        self._open_map, self._close_map, self._summarise = open_map, close_map, summarise
        self._lock = threading.Lock()
        self._summary = self._worker = self._since = self._error = None

    def state(self, test_map, wait=0.25):
        """The SummaryState for the map as `test_map` sees it now, starting a
        computation if the newest summary is not current and waiting up to
        `wait` seconds for it (a small map's summary is ready by then)."""
        stamp = test_map.stamp()
        with self._lock:
            if self._summary is None or self._summary.stamp != stamp:
                if self._worker is None:
                    self._since, self._error = time.time(), None
                    self._worker = threading.Thread(target=self._compute, name='stave-web-summary')
                    self._worker.daemon = True  # a scan under way must not hold the process at exit
                    self._worker.start()
            worker = self._worker
        if worker is not None and wait:
            worker.join(wait)
        with self._lock:
            summary = self._summary
            return SummaryState(summary, summary is not None and summary.stamp == stamp,
                                self._since if self._worker is not None else None, self._error)

    def warm(self):
        """Start computing the first summary now, so that it is likely ready by
        the first page (a 10M-triple map's takes about 10 s)."""
        test_map = self._open_map()
        try:
            if test_map.exists():
                self.state(test_map, wait=0)
        finally:
            self._close_map(test_map)

    def _compute(self):
        summary = error = None
        try:
            test_map = self._open_map()
            try:
                summary = self._summarise(test_map)
            finally:
                self._close_map(test_map)
        except Exception as exc:  # shown on the pages; the next request tries again
            error = '%s: %s' % (type(exc).__name__, exc)
        with self._lock:
            if summary is not None:
                self._summary = summary
            self._error, self._worker = error, None
