"""Recording which lines each test runs (CPython only; the JVM never imports this).

`make_tracer()` picks the fastest tracer this Python has: sys.monitoring on
3.12+, coverage.py's C tracer with one dynamic context per test before that.
Tracers hand back plain data, {label: {path: set(lines)}}; they never see a store.
"""
from stave.collect.files import FileFilter
from stave.compat import SYS_MONITORING

__all__ = ['make_tracer', 'FileFilter']


def make_tracer(file_filter, label):
    """A tracer for this interpreter, not started, recording under `label` first.

    Tracers have start(), stop(), switch(label) at each boundary (cheap), and
    harvest() -> {label: {path: set(lines)}} for the labels closed since the
    last harvest (called once per flush)."""
    if SYS_MONITORING:
        from stave.collect.monitoring import MonitoringTracer
        return MonitoringTracer(file_filter, label)
    from stave.collect.coverage_tracer import CoverageTracer
    return CoverageTracer(file_filter, label)
