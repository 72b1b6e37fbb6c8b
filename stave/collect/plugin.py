"""The pytest plugin: `pytest --stave` records the map, `pytest --stave-select` uses it.

Recording: each test's lines (setup, call and teardown, and threads it
starts) are recorded under its node id, with its outcome and duration. The
setup lines of a fixture wider than a function (module, session, ...) run
only once, but count for every test that uses that fixture definition
(stave.collect.segments has the rules).
Lines that run outside any test (imports, module-level code, collection)
are recorded under the pseudo-test '<import>', merged across runs and
workers; selection treats a change to such a line as a change to the whole
file. Tests are flushed to the store every 100 tests, each flush one
transaction: a crash or Ctrl-C keeps every flushed test and never half of
one. Under pytest-xdist each worker records its own tests; the controller
records nothing and prints each worker's summary.

A store that is busy or failing during the run (locked past its timeout,
a Thrift server gone) costs no test result: the tests of the failed flush
are kept and written by a later flush or at the end (stave.collect.sink),
with one line on the terminal when the failures start and one when they
end. If the store still fails at the end, the summary says in red that the
map was not (fully) written, why, and how many tests are lost; pytest's
exit status stays the tests' verdict (as pytest-cov leaves it when a report
cannot be written): the results stand, and the map keeps what it held
before, as if the lost tests had run without --stave. A store that can
never work (not a store, a bad URL, another map layout) stops the run
before it starts, with a usage error.
"""
import sys
import time

import pytest

from stave.git import head_commit

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
    if config.getoption('stave'):
        if _is_xdist_controller(config):
            config.pluginmanager.register(WorkerSummaries(), 'stave-worker-summaries')
        else:
            config.pluginmanager.register(Recorder(config), 'stave-recorder')
    if config.getoption('stave_select'):
        config.pluginmanager.register(Selector(config), 'stave-selector')


class Recorder:
    """Wires pytest's hooks to the bookkeeping of which test ran which lines
    (stave.collect.segments) and to the store's side (stave.collect.sink)."""

    def __init__(self, config):
        from functools import partial
        from stave.collect import FileFilter, make_tracer
        from stave.collect.segments import Segments
        from stave.collect.sink import MapSink
        from stave.errors import StaveError
        from stave.testmap.file_hashes import hash_files
        from stave.testmap.keys import IMPORT_TEST
        self.config = config
        self.root = str(config.rootpath)
        self.filter = FileFilter(self.root, config.getini('stave_include'), config.getini('stave_omit'))
        try:
            url = _store_url(config)
            self.sink = MapSink(url, partial(hash_files, self.root), self._say)
        except StaveError as exc:
            raise pytest.UsageError('stave: cannot record the test map: %s' % exc)
        self.item = None
        self.flush_every = int(config.getini('stave_flush_every'))
        self.started = time.time()
        self.tracer = make_tracer(self.filter, IMPORT_TEST)
        self.segments = Segments(self.tracer, IMPORT_TEST)
        self.tracer.start()

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtest_logstart(self, nodeid, location):
        self.segments.test_started(nodeid)

    @pytest.hookimpl(hookwrapper=True, tryfirst=True)
    def pytest_runtest_protocol(self, item, nextitem):
        self.item = item
        yield
        self.item = None

    @pytest.hookimpl(hookwrapper=True)
    def pytest_fixture_setup(self, fixturedef, request):
        self.segments.fixture_started((fixturedef.baseid, fixturedef.argname), fixturedef.scope)
        try:
            yield
        finally:
            self.segments.fixture_done()

    def pytest_runtest_logreport(self, report):
        self.sink.report(report.nodeid, report.when, report.outcome, report.duration)

    @pytest.hookimpl(trylast=True)
    def pytest_runtest_logfinish(self, nodeid, location):
        self.segments.test_finished(nodeid, _definitions(self.item, self.segments))
        if self.segments.finished >= self.flush_every:
            self.sink.write(self.segments.harvest())

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session, exitstatus):
        try:
            self.segments.stop()
            tests = self.segments.harvest()
            self.tracer.stop()
            self.sink.finish(tests, self.segments.outside_label, self.segments.outside,
                             started=self.started, finished=time.time(),
                             commit=head_commit(self.root), command=' '.join(sys.argv))
        finally:
            self.sink.close()
            if hasattr(self.config, 'workeroutput'):  # the xdist controller prints it
                self.config.workeroutput['stave'] = {'lines': self.sink.summary(), 'ok': bool(self.sink.finished)}

    def pytest_terminal_summary(self, terminalreporter):
        _summarise(terminalreporter, self.sink.summary(), self.sink.finished)

    def _say(self, line):
        """Tell the user now: on the terminal, or from an xdist worker as a
        warning (xdist relays those to the controller)."""
        reporter = self.config.pluginmanager.get_plugin('terminalreporter')
        if reporter is not None and not hasattr(self.config, 'workerinput'):
            reporter.ensure_newline()
            if getattr(getattr(reporter, '_tw', None), 'width_of_current_line', 0):
                reporter.write('\n')  # after the progress dots of -q
            reporter.write_line(line, yellow=True)
        else:
            import warnings
            warnings.warn(pytest.PytestWarning(line))


def _definitions(item, segments):
    """The keys (baseid, argname) of the fixture definitions `item` uses,
    known statically: for each name of its closure the definition closest to
    it, and the one that overrides if it asks for its own name."""
    info = getattr(item, '_fixtureinfo', None)
    if info is None:  # not a pytest Function: match the wide fixtures set up so far by name
        names = set(getattr(item, 'fixturenames', ()))
        return [key for key in segments.definitions() if key[1] in names]
    used = []
    for name in info.names_closure:
        for fixturedef in reversed(info.name2fixturedefs.get(name) or ()):
            used.append((fixturedef.baseid, fixturedef.argname))
            if name not in fixturedef.argnames:
                break
    return used


class WorkerSummaries:
    """On the xdist controller: the stave summary of each worker, at the end."""

    def __init__(self):
        self.lines = []

    @pytest.hookimpl(optionalhook=True)
    def pytest_testnodedown(self, node, error):
        worker = getattr(getattr(node, 'gateway', None), 'id', '?')
        summary = getattr(node, 'workeroutput', {}).get('stave')
        if summary:
            self.lines.append(([line.replace('stave: ', 'stave: [%s] ' % worker, 1) for line in summary['lines']],
                               summary['ok']))

    def pytest_terminal_summary(self, terminalreporter):
        for lines, ok in self.lines:
            _summarise(terminalreporter, lines, ok)


def _summarise(terminalreporter, lines, ok):
    for line in lines:
        terminalreporter.write_line(line, red=not ok, bold=not ok)


class Selector:
    """Deselects the tests the change since --stave-base does not need; with -v
    it says why each test runs (the rule and its trigger, as `stave select
    --explain`), with -vv also why each deselected one does not."""

    def __init__(self, config):
        self.config = config
        self.summary = None
        self.explanation = []

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
        verbosity = config.getoption('verbose')
        if verbosity > 0:
            self.explanation = ['stave: runs %s: %s' % (item.nodeid, _why_selected(item.nodeid, selection, known))
                                for item in keep]
        if verbosity > 1:
            self.explanation += ['stave: leaves out %s: it ran no changed line or file, and did not fail last time'
                                 % item.nodeid for item in drop]

    def pytest_report_collectionfinish(self, config, start_path, items):
        if self.summary is None:
            return None
        return self.explanation + [self.summary]


def _why_selected(nodeid, selection, known):
    """Why --stave-select keeps a test: the first of the reasons that apply."""
    if nodeid in selection.reasons:
        rule, trigger = selection.reasons[nodeid]
        return 'rule %d, %s' % (rule, trigger)
    if nodeid not in known:
        return 'new to the map'
    return 'failed last time'
