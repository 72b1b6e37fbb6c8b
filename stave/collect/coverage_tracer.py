"""The tracer for Pythons before 3.12: coverage.py's C tracer with one dynamic
context per label (a test, a fixture, outside tests). Switching is cheap; the
data is read back once per harvest, one query per measured file, and then
erased, so that each harvest reads only what was recorded since the last one
(reading everything every time made a long run quadratic)."""
import re

from stave.collect.files import merge_lines


class CoverageTracer:
    """Same interface as MonitoringTracer, built on coverage.py."""

    def __init__(self, file_filter, label):
        self.filter = file_filter
        self._coverage = None
        self._stopped = False
        self._label = label
        self._ended = set()
        self._carried = {}  # label -> {path: lines} read while the label was still running

    def start(self):
        import coverage
        # The omit globs go to coverage.py too: what it does not trace costs nothing.
        self._coverage = coverage.Coverage(
            data_file=None, config_file=False, branch=False, include=[self.filter.root + '/*'],
            omit=[self.filter.root + '/' + pattern for pattern in self.filter.omit] + [
                pattern for pattern in self.filter.omit if pattern.startswith('*')])
        # A harvest finds no data when nothing ran since the last one (the end of a
        # run right after a flush): normal here, not worth coverage.py's warning.
        self._coverage.set_option('run:disable_warnings', ['no-data-collected'])
        self._coverage.start()
        self._coverage.switch_context(self._label)

    def stop(self):
        if self._coverage is not None and not self._stopped:
            self._stopped = True  # coverage.py refuses a second stop
            self._coverage.stop()

    def switch(self, label):
        """Close the running segment (kept under its label) and start one under
        `label`; None records nothing that is kept."""
        if self._label is not None:
            self._ended.add(self._label)
        self._label = label
        self._coverage.switch_context(label if label is not None else '')

    def harvest(self):
        """{label: {path: set(lines)}} of the labels closed since the last harvest."""
        ended, self._ended = self._ended, set()
        running = self._label
        result = dict((label, self._carried.pop(label, {})) for label in ended)
        if not ended:
            return result
        data = self._coverage.get_data()
        wanted = ended | set([running]) if running is not None else ended
        data.set_query_contexts(['^%s$' % re.escape(label) for label in wanted])
        found = dict((label, {}) for label in wanted)
        for measured in data.measured_files():
            path = self.filter.relative(measured)
            if path is None:
                continue
            for line, contexts in (data.contexts_by_lineno(measured) or {}).items():
                if line > 0:  # an empty module reports line 0
                    for label in contexts:
                        if label in found:
                            found[label].setdefault(path, set()).add(line)
        # The data is erased below: the running label's lines so far wait for its end.
        if running is not None and running not in ended:
            merge_lines(self._carried.setdefault(running, {}), found.pop(running))
        for label, files in found.items():
            merge_lines(result.setdefault(label, {}), files)
        data.erase()
        return result

