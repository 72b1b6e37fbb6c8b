"""The sys.monitoring tracer (Python 3.12+): one callback per line per test.

Only PY_START is enabled globally. The first time a code object of a
recorded file starts, LINE events are switched on for it alone. A LINE
callback records (file, line) and returns DISABLE, so that location stays
silent until restart_events() at the next switch: each line costs one
callback per test, however often it runs. Events fire in every thread, so
threads a test starts count for that test.
"""
import sys
from threading import get_ident

mon = sys.monitoring
_DISABLE = mon.DISABLE
_EVENTS = mon.events


class MonitoringTracer:
    """Collects the lines run under each label (a test, a fixture, outside tests)."""

    def __init__(self, file_filter, label):
        self.filter = file_filter
        self.tool = None
        self._label = label
        self._hits = set()
        self._ended = {}
        self._instrumented = set()
        #: Threads whose lines this tracer leaves alone (a request traced for
        #: its own test, stave.collect.http); their lines stay enabled for others.
        self.exclusive = set()

    def start(self):
        for tool in (3, 4, 1, 2):
            if mon.get_tool(tool) is None:
                self.tool = tool
                break
        else:
            raise RuntimeError('no free sys.monitoring tool id for stave')
        mon.use_tool_id(self.tool, 'stave')
        mon.register_callback(self.tool, _EVENTS.PY_START, self._py_start)
        mon.register_callback(self.tool, _EVENTS.LINE, self._line)
        mon.set_events(self.tool, _EVENTS.PY_START)

    def stop(self):
        if self.tool is not None:
            mon.set_events(self.tool, 0)
            for code in self._instrumented:
                mon.set_local_events(self.tool, code, 0)
            mon.register_callback(self.tool, _EVENTS.PY_START, None)
            mon.register_callback(self.tool, _EVENTS.LINE, None)
            mon.free_tool_id(self.tool)
            self.tool = None

    def switch(self, label):
        """Close the running segment (kept under its label) and start one under
        `label`; None records nothing until the next switch."""
        hits, self._hits = self._hits, set()
        mon.restart_events()
        if self._label is not None:
            # The set itself, not a copy: another thread may still add the line
            # it was running at the switch.
            self._ended.setdefault(self._label, []).append(hits)
        self._label = label

    def harvest(self):
        """{label: {path: set(lines)}} of the segments closed since the last harvest."""
        ended, self._ended = self._ended, {}
        result = {}
        for label, segments in ended.items():
            files = self.filter.lines_by_path(set().union(*segments))
            if files:
                result[label] = files
        return result

    def _py_start(self, code, offset):
        if code not in self._instrumented and self.filter.relative(code.co_filename) is not None:
            self._instrumented.add(code)
            mon.set_local_events(self.tool, code, _EVENTS.LINE)
        return _DISABLE

    def _line(self, code, line):
        if self.exclusive and get_ident() in self.exclusive:
            return None
        self._hits.add((code.co_filename, line))
        return _DISABLE
