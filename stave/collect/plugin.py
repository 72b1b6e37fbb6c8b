"""The pytest plugin: `pytest --stave` records the map, `pytest --stave-select` uses it.

Recording: each test's lines (setup, call and teardown, and threads it
starts) are recorded under its node id, with its outcome and duration. The
setup lines of a fixture wider than a function (module, session, ...) run
only once, but count for every test that uses the fixture.
Lines that run outside any test (imports, module-level code, collection)
are recorded under the pseudo-test '<import>', merged across runs and
workers; selection treats a change to such a line as a change to the whole
file. Tests are flushed to the store every 100 tests, each flush one
transaction: a crash or Ctrl-C keeps every flushed test and never half of
one. Under pytest-xdist each worker records its own tests; the controller
records nothing.
"""
import sys
import time

import pytest

from stave.collect.files import merge_lines

FLUSH_EVERY = 100


def pytest_addoption(parser):
    group = parser.getgroup('stave', 'stave: the test map')
    group.addoption('--stave', action='store_true', default=False,
                    help='record which lines each test runs into the test map')
    group.addoption('--stave-store', metavar='URL', default=None,
                    help='the store (default: $STAVE_STORE, [tool.stave] store, or .stave/stave.db)')
    group.addoption('--stave-select', action='store_true', default=False,
                    help='run only the tests the changes since --stave-base need, tests the map has '
                         'never seen, and tests that failed last time')
    group.addoption('--stave-base', metavar='REV', default='HEAD',
                    help='git revision the working tree is compared with for --stave-select (default HEAD)')
    parser.addini('stave_include', 'globs (relative to the rootdir) of files to record', type='linelist')
    parser.addini('stave_omit', 'globs (relative to the rootdir) of files not to record', type='linelist')
    parser.addini('stave_flush_every', 'write the map every N tests (default %d)' % FLUSH_EVERY,
                  default=str(FLUSH_EVERY))


def _is_xdist_controller(config):
    return not hasattr(config, 'workerinput') and getattr(config.option, 'dist', 'no') not in (None, 'no')


def _store_url(config):
    from stave.store import resolve_store_url
    return resolve_store_url(config.getoption('stave_store'), start=str(config.rootpath))


def pytest_configure(config):
    if config.getoption('stave') and not _is_xdist_controller(config):
        config.pluginmanager.register(Recorder(config), 'stave-recorder')
    if config.getoption('stave_select'):
        config.pluginmanager.register(Selector(config), 'stave-selector')


class Recorder:
    """Traces the run and writes each test's lines into the map.

    The tracer records segments under labels: the test's node id while it
    runs, FIXTURE + name while a wide fixture sets up inside it, and
    IMPORT_TEST outside tests. Every `flush_every` tests, one harvest turns
    the labels into each finished test's lines, written in one transaction.
    """

    FIXTURE = '\x00fixture:'

    def __init__(self, config):
        from stave.collect import FileFilter, make_tracer
        from stave.store import connect
        from stave.testmap import MapWriter
        from stave.testmap.keys import IMPORT_TEST
        self.outside_label = IMPORT_TEST
        self.config = config
        self.root = str(config.rootpath)
        self.filter = FileFilter(self.root, config.getini('stave_include'), config.getini('stave_omit'))
        self.store = connect(_store_url(config))
        self.writer = MapWriter(self.store)
        self.finished = []
        self.item = None
        self.fixture_lines = {}
        self.results = {}
        self.outside = {}
        self.hashed = {}
        self.recorded = 0
        self.flush_every = int(config.getini('stave_flush_every'))
        self.started = time.time()
        self.tracer = make_tracer(self.filter, self.outside_label)
        self.tracer.start()

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtest_logstart(self, nodeid, location):
        self.tracer.switch(nodeid)

    @pytest.hookimpl(hookwrapper=True, tryfirst=True)
    def pytest_runtest_protocol(self, item, nextitem):
        self.item = item
        yield
        self.item = None

    @pytest.hookimpl(hookwrapper=True)
    def pytest_fixture_setup(self, fixturedef, request):
        if self.item is None or fixturedef.scope == 'function':
            yield
            return
        self.tracer.switch(self.FIXTURE + fixturedef.argname)
        try:
            yield
        finally:
            self.tracer.switch(self.item.nodeid)

    def pytest_runtest_logreport(self, report):
        result = self.results.setdefault(report.nodeid, {'outcome': 'passed', 'duration': 0.0})
        result['duration'] += report.duration
        if report.when == 'call' or report.outcome != 'passed':
            if not (report.when == 'teardown' and report.outcome == 'passed'):
                result['outcome'] = report.outcome

    @pytest.hookimpl(trylast=True)
    def pytest_runtest_logfinish(self, nodeid, location):
        self.tracer.switch(self.outside_label)
        self.finished.append((nodeid, tuple(getattr(self.item, 'fixturenames', ()))))
        if len(self.finished) >= self.flush_every:
            self.flush()

    def flush(self):
        """Write the finished tests (one transaction)."""
        from stave.testmap.file_hashes import hash_files
        harvested = self.tracer.harvest()
        for label, files in harvested.items():
            if label.startswith(self.FIXTURE):
                merge_lines(self.fixture_lines.setdefault(label[len(self.FIXTURE):], {}), files)
        merge_lines(self.outside, harvested.get(self.outside_label, {}))
        pending = {}
        for nodeid, fixtures in self.finished:
            files = merge_lines({}, harvested.get(nodeid, {}))
            for name in fixtures:
                merge_lines(files, self.fixture_lines.get(name, {}))
            pending[nodeid] = files
        self.finished = []
        if not pending:
            return
        paths = set(p for files in pending.values() for p in files) - set(self.hashed)
        self.hashed.update(hash_files(self.root, paths))
        self.recorded += len(pending)
        self.writer.write(pending, self.results, dict((p, self.hashed[p]) for p in paths if p in self.hashed))

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session, exitstatus):
        try:
            self.tracer.switch(None)  # close the last segment; record nothing more
            self.flush()
            self.tracer.stop()
            self.writer.write_merged(self.outside_label, self.outside)
            self.writer.record_run(started=self.started, finished=time.time(), tests=self.recorded,
                                   commit=_git_head(self.root), command=' '.join(sys.argv))
        finally:
            self.store.close()

    def pytest_terminal_summary(self, terminalreporter):
        terminalreporter.write_line('stave: recorded %d test(s) into %s' % (self.recorded, self.store.url))


class Selector:
    """Deselects the tests the change since --stave-base does not need."""

    def __init__(self, config):
        self.config = config
        self.summary = None

    def pytest_collection_modifyitems(self, session, config, items):
        from stave.store import connect
        from stave.testmap import TestMap
        from stave.testmap.selection import select_for_diff
        with connect(_store_url(config)) as store:
            test_map = TestMap(store)
            if not test_map.exists():
                self.summary = 'stave: no test map yet in %s: running every test' % store.url
                return
            selection = select_for_diff(test_map, config.getoption('stave_base'), str(config.rootpath))
            known, failed = set(test_map.tests()), set(test_map.failed_tests())
        for note in selection.notes:
            sys.stderr.write('stave: %s\n' % note)
        chosen = selection.tests if not selection.everything else known
        keep, drop = [], []
        for item in items:
            (keep if item.nodeid in chosen or item.nodeid not in known or item.nodeid in failed else drop).append(item)
        if drop:
            config.hook.pytest_deselected(items=drop)
            items[:] = keep
        self.summary = ('stave: %d of %d test(s) selected, %d deselected (%d by the change, %d new to the map, '
                        '%d failed last time)' % (
                            len(keep), len(keep) + len(drop), len(drop),
                            sum(1 for i in keep if i.nodeid in chosen),
                            sum(1 for i in keep if i.nodeid not in known),
                            sum(1 for i in keep if i.nodeid in failed)))

    def pytest_report_collectionfinish(self, config, start_path, items):
        return self.summary


def _git_head(root):
    import subprocess
    try:
        out = subprocess.run(['git', 'rev-parse', 'HEAD'], cwd=root, capture_output=True, text=True)
    except OSError:
        return None
    return out.stdout.strip() if out.returncode == 0 else None
