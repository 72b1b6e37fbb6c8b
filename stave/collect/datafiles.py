"""Recording the data files each test reads (CPython only).

A test depends on more than the code it runs: a JSON fixture, a template, a
CSV of cases. An audit hook (PEP 578) on the 'open' event sees every file a
test opens, whether through open(), json.load(open(...)), pathlib,
importlib.resources or a template loader: they all end in one of the two
events CPython raises, io.FileIO's (args: path, mode, flags) and os.open's
(mode None).

A read is recorded when the path, taken relative to the working directory
at the time of the open, is:

- a file that exists (not a directory, not a path the open will fail on);
- under the project root and recorded by the line tracer's FileFilter, so
  the include and omit globs apply to data files too;
- opened for reading only: the mode, or for os.open the flags (O_ACCMODE
  gives O_RDONLY); a file a test writes is its output, not its input;
- not a Python source or compiled module (.py, .pyc, .pyo, .pyw, .pyi,
  .pyd, .so: the line tracer records those by their lines), and not under
  __pycache__ or a tool's cache or metadata directory (.git, .pytest_cache,
  .hypothesis, .tox, .stave, ...): files a test run reads and writes for
  itself, never a test's input, whose churn would only blur the outcomes'
  fingerprints;
- not opened by stave itself: the recorder hashing the files of the tests
  it flushes, the store's URL read from pyproject.toml. An open whose
  nearest Python caller is a module of the stave package is stave's
  bookkeeping, not the test's. (So stave's own suite, recorded with --stave,
  would miss a test's reads made through stave's functions.)

Reads count for the label running when they happen, in whichever thread,
as the line tracers' lines do. A data file has no line-level information,
and the map's rows are path:line: a read is recorded as line 1 of its path. The map also marks the
path as a data file (tm_files, f:kind), and selection treats any change to
it as a change to the whole file.

Audit hooks can never be removed. The hook is installed once per process and
is a tiny function: it returns at once for every event but 'open', and for
'open' too while no recorder listens. os.open with dir_fd and a relative
path is resolved against the working directory (the event does not carry
dir_fd): such a read may be missed, or another path's recorded instead.
"""
import os
import sys
from threading import get_ident

#: A data file's read is recorded as this line of its path.
DATA_LINE = 1

#: Python sources and compiled modules: the line tracer's business.
CODE_SUFFIXES = ('.py', '.pyc', '.pyo', '.pyw', '.pyi', '.pyd', '.so')
#: Directories of caches and tools' own state: never a test's input.
TOOL_DIRECTORIES = frozenset(['__pycache__', '.git', '.hg', '.svn', '.pytest_cache', '.hypothesis', '.mypy_cache',
                              '.ruff_cache', '.tox', '.nox', '.stave'])

_ACCESS = getattr(os, 'O_ACCMODE', 3)
_STAVE = os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep

#: The recorders listening now; the hook does nothing while there is none.
_listening = ()
_installed = False


def reads_only(mode, flags):
    """True if an open with `mode` (io.FileIO's 'r', 'rb', 'r+', 'w', ..., or
    None from os.open) and `flags` (os.O_*) only reads."""
    if mode is None:
        return flags & _ACCESS == os.O_RDONLY
    return 'r' in mode and '+' not in mode


def is_data_path(path):
    """True if `path` (relative to the root, '/'-separated) may be a data
    file: no Python source or compiled module, nothing under a cache or
    tool directory."""
    if path.lower().endswith(CODE_SUFFIXES):
        return False
    return not any(part in TOOL_DIRECTORIES for part in path.split('/')[:-1])


def _hook(event, args):
    """The audit hook: hands 'open' events to the listening recorders."""
    if event != 'open' or not _listening:
        return
    try:
        for recorder in _listening:
            recorder.opened(args[0], args[1], args[2])
    except Exception:  # an audit hook's exception would fail the test's open
        pass


def _opened_by_stave():
    """True if the Python code that called open is stave's own. Frames: this
    function, DataFileRecorder.opened, _hook, then the caller of open (C
    functions such as io.open have none)."""
    try:
        return sys._getframe(3).f_code.co_filename.startswith(_STAVE)
    except ValueError:  # a shallower stack: not stave's
        return False


class DataFileRecorder:
    """Records the data files read under each label, with the interface of
    the line tracers (stave.collect.make_tracer): start(), stop(),
    switch(label), harvest() -> {label: {path: {DATA_LINE}}}.

    `data_files` is the set of every path recorded so far in the run: it
    only grows, so a sink may hold on to it and tell the map which of the
    paths it writes are data files."""

    def __init__(self, file_filter, label):
        self.filter = file_filter
        self.data_files = set()
        self._label = label
        self._reads = set()
        self._ended = {}
        #: thread ident -> the reads of a request traced for its own test
        #: (stave.collect.http), kept apart from the running label's.
        self.exclusive = {}

    def start(self):
        global _listening, _installed
        if not _installed:
            sys.addaudithook(_hook)
            _installed = True
        if self not in _listening:
            _listening = _listening + (self,)

    def stop(self):
        global _listening
        _listening = tuple(recorder for recorder in _listening if recorder is not self)

    def switch(self, label):
        """Close the running segment (kept under its label) and start one under
        `label`; None records nothing until the next switch."""
        reads, self._reads = self._reads, set()
        if reads and self._label is not None:
            self._ended.setdefault(self._label, set()).update(reads)
        self._label = label

    def harvest(self):
        """{label: {path: {DATA_LINE}}} of the segments closed since the last harvest."""
        ended, self._ended = self._ended, {}
        return dict((label, dict((path, set([DATA_LINE])) for path in paths)) for label, paths in ended.items())

    def opened(self, name, mode, flags):
        """An 'open' event's arguments: record the read if it is one (see the module)."""
        if self._label is None or isinstance(name, int) or not reads_only(mode, flags):
            return
        name = os.fsdecode(name)
        if name.lower().endswith(CODE_SUFFIXES):
            return  # the common case (imports), settled before any system call
        full = os.path.abspath(name)
        path = self.filter.relative(full)
        if path is None or not is_data_path(path) or not os.path.isfile(full) or _opened_by_stave():
            return
        self.data_files.add(path)
        reads = self.exclusive.get(get_ident(), self._reads) if self.exclusive else self._reads
        reads.add(path)

