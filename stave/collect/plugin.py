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

Each recording process records under a run id of its own, unless one is
given (--stave-run ID, else $STAVE_RUN): then every process that gets it,
the shards of a CI run and the xdist workers of each, records under it and
folds its part into the run's record (stave.testmap.runs).

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

Selection (`--stave-select`) and shadow mode (`--stave-shadow`) share one
Plan of what selection runs, made from the map before any test of the
session runs: the Selector deselects by it, and Shadow runs every test and
records at the end what selection would have missed and saved
(stave.testmap.shadow). Flaky tests (stave.testmap.outcomes) run under
selection with --stave-run-flaky; shadow mode counts their misses apart.
"""
import os
import sys
import time

import pytest

from stave.git import head_commit

FLUSH_EVERY = 100

#: The environment variable giving the run id (for CI systems); --stave-run wins over it.
RUN_ENV = 'STAVE_RUN'

#: The longest run id --stave-run and $STAVE_RUN take.
RUN_ID_LIMIT = 200


def pytest_addoption(parser):
    group = parser.getgroup('stave', 'stave: the test map')
    group.addoption('--stave', action='store_true', default=False,
                    help='record which lines each test runs into the test map')
    group.addoption('--stave-store', metavar='URL', default=None,
                    help='the store (default: $STAVE_STORE, [tool.stave] store, or .stave/stave.db)')
    group.addoption('--stave-run', metavar='ID', default=None,
                    help='record under this run id (default: $%s, else a new one per process): give every '
                         'shard of a CI run the same one, e.g. the pipeline\'s id' % RUN_ENV)
    group.addoption('--stave-select', action='store_true', default=False,
                    help='run only the tests the changes since --stave-base need, tests the map has '
                         'never seen, and tests that failed last time')
    group.addoption('--stave-base', metavar='REV', default='HEAD',
                    help='git revision the working tree is compared with for --stave-select and '
                         '--stave-shadow (default HEAD)')
    group.addoption('--stave-run-flaky', action='store_true', default=False,
                    help='with --stave-select (and --stave-shadow): also run the tests the map knows as flaky '
                         '(ini: stave_run_flaky)')
    group.addoption('--stave-shadow', action='store_true', default=False,
                    help='run every test, and record in the map what --stave-select would have run, missed '
                         'and saved (stave query shadow)')
    parser.addini('stave_child_flush_seconds', 'subprocesses and servers recording for the session write '
                  'what they recorded every N seconds (default 1)', default='1')
    parser.addini('stave_include', 'globs (relative to the rootdir) of files to record', type='linelist')
    parser.addini('stave_omit', 'globs (relative to the rootdir) of files not to record', type='linelist')
    parser.addini('stave_flush_every', 'write the map every N tests (default %d)' % FLUSH_EVERY,
                  default=str(FLUSH_EVERY))
    parser.addini('stave_run_flaky', 'with --stave-select (and --stave-shadow): also run the tests the map '
                  'knows as flaky',
                  type='bool', default=False)


@pytest.fixture
def stave_headers(request):
    """The HTTP header naming this test, for the services it calls: put it on
    the test's HTTP client (`session.headers.update(stave_headers)`), and a
    service wrapped by stave.collect.http gives that request's lines to this
    test alone. Empty when the run does not record."""
    from stave.collect.http import HEADER
    return {HEADER: request.node.nodeid} if request.config.getoption('stave') else {}


def _is_xdist_controller(config):
    return not hasattr(config, 'workerinput') and getattr(config.option, 'dist', 'no') not in (None, 'no')


def _store_url(config):
    from stave.store import resolve_store_url
    return resolve_store_url(config.getoption('stave_store'), start=str(config.rootpath))


def given_run_id(config):
    """The run id given by --stave-run, else by $STAVE_RUN (unset or empty:
    none), checked; None if none is given: each process makes its own."""
    value, source = config.getoption('stave_run'), '--stave-run'
    if value is None:
        value, source = os.environ.get(RUN_ENV) or None, '$' + RUN_ENV
        if value is None:
            return None
    if not (0 < len(value) <= RUN_ID_LIMIT and value.isprintable() and not any(c.isspace() for c in value)):
        raise pytest.UsageError('stave: %s %r is not a run id: one is 1 to %d printable characters, no whitespace'
                                % (source, value, RUN_ID_LIMIT))
    return value


def _session_name(root, run_id):
    """`run_id` as the start of the name of this session's directory
    (.stave/sessions/NAME-PID, stave.collect.session). A given run id may hold
    a path's separators (Jenkins' jobs in folders) or characters of several
    bytes: each character but ASCII letters, digits, '.', '_' and '-' becomes
    '_'. A directory of that name already there was left by a killed
    session whose process id this one has now (a CI job retried in its old
    workspace, under the same run id): a suffix keeps them apart."""
    name = ''.join(c if c.isascii() and (c.isalnum() or c in '._-') else '_' for c in run_id)
    taken, number = name, 1
    while os.path.lexists(os.path.join(root, '.stave', 'sessions', '%s-%d' % (taken, os.getpid()))):
        number += 1
        taken = '%s.%d' % (name, number)
    return taken


def pytest_configure(config):
    if config.getoption('stave_select') and config.getoption('stave_shadow'):
        raise pytest.UsageError('stave: --stave-shadow runs every test to judge what --stave-select would run: '
                                'use one of them')
    run_id = None
    if config.getoption('stave') or config.getoption('stave_shadow'):
        run_id = given_run_id(config)  # checked on the xdist controller too: one error, before any worker starts
    if config.getoption('stave'):
        if _is_xdist_controller(config):
            config.pluginmanager.register(WorkerSummaries(), 'stave-worker-summaries')
        else:
            config.pluginmanager.register(Recorder(config, run_id), 'stave-recorder')
    if config.getoption('stave_select'):
        config.pluginmanager.register(Selector(config), 'stave-selector')
    if config.getoption('stave_shadow') and not hasattr(config, 'workerinput'):  # xdist: on the controller
        config.pluginmanager.register(Shadow(config, run_id), 'stave-shadow')


class Recorder:
    """Wires pytest's hooks to the bookkeeping of which test ran which lines
    (stave.collect.segments) and to the store's side (stave.collect.sink)."""

    def __init__(self, config, run_id=None):
        """`run_id`: the run to record under (given_run_id), None for a new one."""
        from functools import partial
        from stave.collect import FileFilter, make_tracer
        from stave.collect.others import OtherProcesses
        from stave.collect.segments import Segments
        from stave.collect.sink import MapSink
        from stave.errors import StaveError
        from stave.testmap.blobs import blob_ids
        from stave.testmap.keys import IMPORT_TEST
        self.config = config
        self.root = str(config.rootpath)
        self.filter = FileFilter(self.root, config.getini('stave_include'), config.getini('stave_omit'))
        try:
            url = _store_url(config)
            self.sink = MapSink(url, partial(blob_ids, self.root), self._say, run_id=run_id)
        except StaveError as exc:
            raise pytest.UsageError('stave: cannot record the test map: %s' % exc)
        self.item = None
        self.flush_every = int(config.getini('stave_flush_every'))
        self.started = time.time()
        self.tracer = make_tracer(self.filter, IMPORT_TEST)
        self.sink.data_files = self.tracer.data_files  # the map marks them as data files
        self.segments = Segments(self.tracer, IMPORT_TEST)
        self.others = OtherProcesses(self.root, _session_name(self.root, self.sink.run_id), self.filter.include,
                                     self.filter.omit, float(config.getini('stave_child_flush_seconds')),
                                     self.tracer.stop, self.tracer.data_files)
        self.tracer.start()

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtest_logstart(self, nodeid, location):
        self.segments.test_started(nodeid)
        self.others.test_started(nodeid)

    @pytest.hookimpl(hookwrapper=True, tryfirst=True)
    def pytest_runtest_protocol(self, item, nextitem):
        self.item = item
        yield
        self.item = None

    @pytest.hookimpl(hookwrapper=True)
    def pytest_fixture_setup(self, fixturedef, request):
        self.segments.fixture_started((fixturedef.baseid, fixturedef.argname), fixturedef.scope)
        wide = fixturedef.scope != 'function'
        if wide:
            self.others.wide_fixture_started()
        try:
            yield
        finally:
            self.segments.fixture_done()
            if wide:
                self.others.wide_fixture_done()

    def pytest_runtest_logreport(self, report):
        self.sink.report(report.nodeid, report.when, report.outcome, report.duration)

    @pytest.hookimpl(trylast=True)
    def pytest_runtest_logfinish(self, nodeid, location):
        self.segments.test_finished(nodeid, _definitions(self.item, self.segments))
        self.others.test_finished()
        if self.segments.finished >= self.flush_every:
            tests = self.segments.harvest()
            self.sink.add(self.others.lines(tests))
            self.sink.write(tests)

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session, exitstatus):
        try:
            self.segments.stop()
            tests = self.segments.harvest()
            self.tracer.stop()
            self.sink.add(self.others.lines(tests, last=True))
            self.sink.finish(tests, self.segments.outside_label, self.segments.outside,
                             started=self.started, finished=time.time(),
                             commit=head_commit(self.root), command=' '.join(sys.argv))
        finally:
            self.others.close()
            self.sink.close()
            if hasattr(self.config, 'workeroutput'):  # the xdist controller prints it
                self.config.workeroutput['stave'] = {'lines': self.sink.summary(), 'ok': bool(self.sink.finished)}

    def pytest_terminal_summary(self, terminalreporter):
        _summarise(terminalreporter, self.sink.summary(), self.sink.finished)

    def pytest_unconfigure(self, config):
        """A run that ended before its session finished (a usage error after
        the recorder started): stop tracing, end the channel, give the
        environment back. Nothing to do after pytest_sessionfinish."""
        self.tracer.stop()
        self.others.close()
        self.sink.close()

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


class Plan:
    """What --stave-select runs, decided from the map alone before any test
    runs: reason(node id) says why a test runs, or None if it is left out.

    A test runs if the change since --stave-base selects it (the rules of
    stave.testmap.selection), if the map has never seen it, if it failed
    last time, or, with --stave-run-flaky, if it is flaky. It needs no
    collected items, only node ids, so the Selector applies it to the items
    it collects, and Shadow makes it before the session's first test and
    applies it to the tests that ran, at the end (on the xdist controller,
    which collects nothing and sees every report). Without a selection
    (`selection=None`) there is no map yet, and every test runs."""

    def __init__(self, url, selection=None, known=(), failed=(), flaky=(), run_flaky=False):
        self.url = url
        self.selection = selection
        self.known, self.failed, self.flaky = set(known), set(failed), set(flaky)
        self.run_flaky = run_flaky
        self.notes = selection.notes if selection is not None else []

    def reason(self, nodeid):
        """Why the selection runs the test `nodeid` (the first reason that
        applies), or None if it leaves it out."""
        if self.selection is None:
            return 'no test map yet'
        if nodeid in self.selection.reasons:  # rule 5 (configuration) gives every known test a reason
            rule, trigger = self.selection.reasons[nodeid]
            return 'rule %d, %s' % (rule, trigger)
        if nodeid not in self.known:
            return 'new to the map'
        if nodeid in self.failed:
            return 'failed last time'
        if self.run_flaky and nodeid in self.flaky:
            return 'flaky'
        return None


def plan_selection(config, flaky=False):
    """The Plan of --stave-select for this session, from the map as it is now:
    the flaky tests are read if `flaky` or --stave-run-flaky asks for them."""
    from stave.errors import StaveError
    from stave.store import connect
    from stave.testmap import TestMap
    from stave.testmap.outcomes import flaky_tests
    from stave.testmap.selection import select_for_diff
    run_flaky = bool(config.getoption('stave_run_flaky') or config.getini('stave_run_flaky'))
    try:
        with connect(_store_url(config)) as store:
            test_map = TestMap(store)
            if not test_map.exists():
                return Plan(store.url, run_flaky=run_flaky)
            selection = select_for_diff(test_map, config.getoption('stave_base'), str(config.rootpath))
            return Plan(store.url, selection, test_map.tests(), test_map.failed_tests(),
                        flaky_tests(test_map) if flaky or run_flaky else (), run_flaky)
    except StaveError as exc:
        raise pytest.UsageError('stave: cannot tell which tests the change needs: %s' % exc)


class Selector:
    """Deselects the tests the change since --stave-base does not need (the
    Plan); with -v it says why each test runs (the rule and its trigger, as
    `stave select --explain`, or new, failed last time, flaky), with -vv also
    why each deselected one does not."""

    def __init__(self, config):
        self.config = config
        self.summary = None
        self.explanation = []

    def pytest_collection_modifyitems(self, session, config, items):
        plan = plan_selection(config)
        if plan.selection is None:
            self.summary = 'stave: no test map yet in %s: running every test' % plan.url
            return
        for note in plan.notes:
            sys.stderr.write('stave: %s\n' % note)
        reasons = [(item, plan.reason(item.nodeid)) for item in items]
        keep = [item for item, why in reasons if why is not None]
        drop = [item for item, why in reasons if why is None]
        if drop:
            config.hook.pytest_deselected(items=drop)
            items[:] = keep
        self.summary = ('stave: %d of %d test(s) selected, %d deselected (%d by the change, %d new to the map, '
                        '%d failed last time%s)' % (
                            len(keep), len(keep) + len(drop), len(drop),
                            sum(1 for i in keep if i.nodeid in plan.selection.reasons),
                            sum(1 for i in keep if i.nodeid not in plan.known),
                            sum(1 for i in keep if i.nodeid in plan.failed),
                            ', %d flaky' % sum(1 for i in keep if i.nodeid in plan.flaky) if plan.run_flaky else ''))
        verbosity = config.getoption('verbose')
        if verbosity > 0:
            self.explanation = ['stave: runs %s: %s' % (item.nodeid, why) for item, why in reasons if why]
        if verbosity > 1:
            self.explanation += ['stave: leaves out %s: it ran no changed line or file, and did not fail last time'
                                 % item.nodeid for item in drop]

    def pytest_report_collectionfinish(self, config, start_path, items):
        if self.summary is None:
            return None
        return self.explanation + [self.summary]


class Shadow:
    """--stave-shadow: every test runs, and the run is judged as --stave-select
    would have run it (stave.testmap.shadow has the figures).

    The Plan is made at the start of the session, before the first test
    runs: from the map as it was before this run, whatever --stave (in the
    same run) writes later, and before xdist starts its workers. The
    reports (xdist's controller gets every worker's) give each test's outcome
    and duration; at the end the figures go into this run's row of tm_runs:
    the recorder's run when --stave records in this process, else the run
    given (--stave-run, $STAVE_RUN), else a run of their own (under xdist
    each worker records its own run, and the controller's shadow figures are
    one more). They are folded into the row (stave.testmap.runs), so the
    shards of a run add their figures up. One line in the terminal summary
    says this process's."""

    def __init__(self, config, run_id=None):
        self.config = config
        self.run_id = run_id
        self.started = time.time()
        self.plan = None
        self.results = {}
        self.record = None
        self.error = None

    @pytest.hookimpl(tryfirst=True)
    def pytest_sessionstart(self, session):
        self.plan = plan_selection(self.config, flaky=True)

    def pytest_runtest_logreport(self, report):
        from stave.testmap.outcomes import add_report
        add_report(self.results, report.nodeid, report.when, report.outcome, report.duration)

    def pytest_sessionfinish(self, session, exitstatus):
        from stave.errors import StaveError
        from stave.store import connect
        from stave.testmap import MapWriter
        from stave.testmap.runs import fold_run
        from stave.testmap.shadow import shadow_record
        if self.plan is None or not self.results or exitstatus == pytest.ExitCode.INTERRUPTED:
            return  # no plan, no test run (--collect-only), or a run cut short: no figures to keep
        self.record = shadow_record(self.results, lambda test: self.plan.reason(test) is not None, self.plan.flaky)
        recorder = self.config.pluginmanager.get_plugin('stave-recorder')
        root = str(self.config.rootpath)
        try:
            with connect(_store_url(self.config)) as store:
                writer = MapWriter(store, recorder.sink.run_id if recorder else self.run_id)  # the map's tables
                # No shard of its own: the recorder, if any, counts this process.
                fold_run(store, writer.run_id.decode('utf-8'), started=self.started, finished=time.time(),
                         commit=head_commit(root), command=' '.join(sys.argv), shards=0, shadow=self.record)
        except StaveError as exc:
            self.error = exc

    def pytest_terminal_summary(self, terminalreporter):
        from stave.testmap.shadow import summary_line
        if self.record is not None:
            terminalreporter.write_line(summary_line(self.record))
        if self.error is not None:
            terminalreporter.write_line('stave shadow: the figures could not be recorded in %s: %s'
                                        % (self.plan.url, self.error), red=True, bold=True)
