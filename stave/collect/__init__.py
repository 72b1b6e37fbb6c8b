"""Recording which lines each test runs (CPython only; the JVM never imports this).

`make_tracer()` picks the fastest tracer this Python has: sys.monitoring on
3.12+, coverage.py's C tracer with one dynamic context per test before that.
Tracers hand back plain data, {test: {path: set(lines)}}; they never see a store.
"""
import sys

from stave.collect.files import FileFilter

__all__ = ['make_tracer', 'FileFilter']


def make_tracer(file_filter):
    """A started-on-demand tracer for this interpreter."""
    if sys.version_info >= (3, 12):
        from stave.collect.monitoring import MonitoringTracer
        return MonitoringTracer(file_filter)
    from stave.collect.coverage_tracer import CoverageTracer
    return CoverageTracer(file_filter)
