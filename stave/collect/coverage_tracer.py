"""The tracer for Pythons before 3.12: coverage.py's C tracer, one dynamic
context per test, read back per flush for the contexts that ended since."""
import itertools


class CoverageTracer:
    """Same interface as MonitoringTracer, built on coverage.py."""

    def __init__(self, file_filter):
        self.filter = file_filter
        self._coverage = None
        self._names = ('stave-%d' % n for n in itertools.count())
        self._context = None

    def start(self):
        import coverage
        self._coverage = coverage.Coverage(
            data_file=None, config_file=False, branch=False, include=[self.filter.root + '/*'])
        self._context = next(self._names)
        self._coverage.start()
        self._coverage.switch_context(self._context)

    def stop(self):
        if self._coverage is not None:
            self._coverage.stop()
            self._coverage = None

    def switch(self):
        """End the current context: return its {path: set(lines)} and start afresh."""
        ended, self._context = self._context, next(self._names)
        self._coverage.switch_context(self._context)
        data = self._coverage.get_data()
        data.set_query_context(ended)
        files = {}
        for measured in data.measured_files():
            path = self.filter.relative(measured)
            if path is not None:
                lines = set(n for n in data.lines(measured) or () if n > 0)  # an empty module reports 0
                if lines:
                    files[path] = lines
        return files
