"""Reading trace data from files: stave's own format and coverage.py's.

- coverage.py data files (``.coverage``, SQLite) with per-test contexts, as
  written by ``pytest --cov --cov-context=test`` or ``dynamic_context =
  test_function``; read with coverage.py's own CoverageData (CPython only);
- coverage.py JSON reports written with ``--show-contexts``, streamed file by
  file with ijson, since they reach hundreds of MB;
- stave's trace format (stave.testmap.traces).

Contexts become test ids: pytest-cov's 'id|run', 'id|setup' and 'id|teardown'
all count for 'id'; the empty context (lines run outside any test: imports,
module-level code, collection) becomes the pseudo-test IMPORT_TEST.
"""
from __future__ import absolute_import, division, print_function, unicode_literals

import io
import os
import re

from stave.testmap.blobs import blob_ids
from stave.testmap.keys import IMPORT_TEST, normalise_path
from stave.testmap.traces import TraceFormatError, TraceReader, Traces

_SQLITE = b'SQLite format 3\x00'
_COVERAGE_JSON = re.compile(br'^\{\s*"(meta|files|totals)"\s*:')


def detect(path):
    """'coverage-data', 'coverage-json' or 'stave-trace', from the file's first bytes."""
    with io.open(path, 'rb') as handle:
        head = handle.read(4096)
    if head.startswith(_SQLITE):
        return 'coverage-data'
    text = head.lstrip()
    if _COVERAGE_JSON.match(text):
        return 'coverage-json'
    if text.startswith(b'{'):
        return 'stave-trace'
    if not text:
        return 'stave-trace'  # an empty trace file
    raise TraceFormatError('%s: not a coverage.py data file, coverage.py JSON report or stave trace file '
                           '(it starts with %r)' % (path, head[:20]))


def read_traces(path, root):
    """Read any supported file into Traces, with paths relative to `root`."""
    kind, chunks = read_chunks(path, root, None)
    traces = None
    for traces, _ in chunks:
        pass
    return kind, traces


def read_chunks(path, root, limit, whole_file=False):
    """(kind, chunks) of any supported file: chunks yields (Traces, bytes read
    so far), each Traces holding about `limit()` triples (`limit` None: the
    whole file in one), with paths relative to `root`. A coverage.py file's chunks carry
    the blob ids of its files as they are now (import right after the run).
    `whole_file`: check what spans chunks too (TraceReader)."""
    kind = detect(path)
    if kind == 'stave-trace':
        return kind, _trace_chunks(path, limit, whole_file)
    read = _read_coverage_data if kind == 'coverage-data' else _read_coverage_json
    return kind, _with_blobs(read(path, root, limit), root)


def _trace_chunks(path, limit, whole_file):
    with io.open(path, 'rb') as handle:
        for traces in TraceReader(handle, path, whole_file).chunks(limit):
            yield traces, handle.tell()


def _with_blobs(chunks, root):
    """The chunks, each given the blob ids of its files as they are under root."""
    for traces, position in chunks:
        traces.blobs.update(blob_ids(root, set(p for files in traces.lines.values() for p in files)))
        yield traces, position


def test_id_of_context(context):
    """The test id a coverage.py context stands for."""
    if not context:
        return IMPORT_TEST
    for phase in ('|run', '|setup', '|teardown'):
        if context.endswith(phase):
            return context[:-len(phase)]
    return context


def _relative(measured, root):
    """The measured file's path relative to root, or None if it lies outside."""
    relative = os.path.relpath(os.path.abspath(os.path.join(root, measured)), root)
    if relative == os.pardir or relative.startswith(os.pardir + os.sep):
        return None
    return normalise_path(relative)


def _read_coverage_data(path, root, limit):
    """Chunks of a coverage.py data file, a few measured files each."""
    try:
        from coverage import CoverageData
        from coverage.exceptions import CoverageException
    except ImportError:
        raise TraceFormatError('%s is a coverage.py data file; reading it needs coverage.py '
                               '(pip install coverage)' % path)
    import sqlite3
    size = os.path.getsize(path)
    data = CoverageData(basename=path)
    try:
        data.read()
        contexts = data.measured_contexts()
        if contexts <= set(['']):
            raise TraceFormatError('%s has no per-test contexts: record it with pytest --cov --cov-context=test '
                                   'or dynamic_context = test_function' % path)
        measured_files = sorted(data.measured_files())
        traces = Traces()
        for done, measured in enumerate(measured_files, 1):
            relative = _relative(measured, root)
            if relative is None:
                continue
            for line, found in (data.contexts_by_lineno(measured) or {}).items():
                if line < 1:
                    continue  # what CPython 3.11+ runs of a module with no code is "line 0": no source line
                for context in found:
                    traces.add(test_id_of_context(context), relative, [line])
            if limit is not None and traces.triples >= limit():
                yield traces, size * done // len(measured_files)
                traces = Traces()
    except (CoverageException, sqlite3.Error) as exc:
        raise TraceFormatError('%s: cannot read this coverage.py data file: %s' % (path, _first_line(exc)))
    yield traces, size


def _read_coverage_json(path, root, limit):
    """Chunks of a coverage.py JSON report, streamed with ijson."""
    try:
        import ijson
    except ImportError:
        raise TraceFormatError('%s is a coverage.py JSON report; reading it needs ijson (pip install ijson)' % path)
    traces = Traces()
    seen_contexts = False
    with io.open(path, 'rb') as handle:
        try:
            for measured, report in ijson.kvitems(handle, 'files', use_float=True):
                contexts = report.get('contexts') if isinstance(report, dict) else None
                if contexts is None:
                    continue
                seen_contexts = True
                relative = _relative(measured, root)
                if relative is None:
                    continue
                for line, found in contexts.items():
                    if int(line) < 1:
                        continue  # as in the data file: no source line
                    for context in found:
                        traces.add(test_id_of_context(context), relative, [int(line)])
                if limit is not None and traces.triples >= limit():
                    yield traces, handle.tell()
                    traces = Traces()
        except (ijson.JSONError, ValueError, TypeError, AttributeError) as exc:
            raise TraceFormatError('%s, near byte %d: malformed coverage.py JSON report: %s'
                                   % (path, handle.tell(), _first_line(exc)))
        if not seen_contexts:
            raise TraceFormatError('%s has no contexts: write it with coverage json --show-contexts' % path)
        yield traces, handle.tell()


def _first_line(exc):
    """The first line of an error's message (ijson's parser draws a caret under the place on more)."""
    return (str(exc).strip().splitlines() or [''])[0]
