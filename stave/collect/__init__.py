"""Recording which lines each test runs (CPython only; the JVM never imports this).

`make_tracer()` picks the fastest line tracer this Python has: sys.monitoring
on 3.12+, coverage.py's C tracer with one dynamic context per test before
that; and joins to it the recorder of the data files tests read
(stave.collect.datafiles), so that every user of a tracer (the pytest
plugin, the recorder of subprocesses) records data files too.
Tracers hand back plain data, {label: {path: set(lines)}}; they never see a store.
"""
from stave.collect.files import FileFilter, merge_lines
from stave.compat import SYS_MONITORING

__all__ = ['make_tracer', 'FileFilter', 'CombinedTracer']


def make_tracer(file_filter, label):
    """A tracer for this interpreter, not started, recording under `label` first.

    Tracers have start(), stop(), switch(label) at each boundary (cheap), and
    harvest() -> {label: {path: set(lines)}} for the labels closed since the
    last harvest (called once per flush). This one's `data_files` are the
    paths it recorded as data files (stave.collect.datafiles)."""
    from stave.collect.datafiles import DataFileRecorder
    if SYS_MONITORING:
        from stave.collect.monitoring import MonitoringTracer
        lines = MonitoringTracer(file_filter, label)
    else:
        from stave.collect.coverage_tracer import CoverageTracer
        lines = CoverageTracer(file_filter, label)
    return CombinedTracer(lines, DataFileRecorder(file_filter, label))


class CombinedTracer:
    """A line tracer and a data-file recorder as one tracer, with their
    interface: each call goes to both, and harvest() merges both harvests
    (a label's data files beside its lines)."""

    def __init__(self, lines, data):
        self.lines = lines
        self.data = data
        self.filter = lines.filter

    @property
    def data_files(self):
        """Every path recorded as a data file so far (a set that only grows)."""
        return self.data.data_files

    @property
    def exclusive(self):
        """The line tracer's threads left to exact attribution, where it has
        them (stave.collect.monitoring); None otherwise."""
        return getattr(self.lines, 'exclusive', None)

    def start(self):
        self.lines.start()
        self.data.start()

    def stop(self):
        self.data.stop()
        self.lines.stop()

    def switch(self, label):
        self.lines.switch(label)
        self.data.switch(label)

    def harvest(self):
        merged = self.lines.harvest()
        for label, files in self.data.harvest().items():
            merge_lines(merged.setdefault(label, {}), files)
        return merged
