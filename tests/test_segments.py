"""The recorder's bookkeeping (stave.collect.segments), rule by rule, without pytest's machinery:
plain calls as pytest's hooks would make them, and a tracer that records the lines it is told ran."""
from stave.collect.segments import Segments

OUTSIDE = '<import>'
DB = ('tests/a', 'db')          # a module-scoped fixture `db` in tests/a/conftest.py
OTHER_DB = ('tests/b', 'db')    # another one, in tests/b/conftest.py
SESSION = ('', 'server')        # a session-scoped fixture of a plugin


class Tracer:
    """Like the real tracers: what runs goes to the label of the last switch;
    harvest() hands over the labels closed since the last harvest."""

    def __init__(self):
        self.label = OUTSIDE
        self.running = {}
        self.closed = {}

    def switch(self, label):
        if self.label is not None and self.running:
            for path, lines in self.running.items():
                self.closed.setdefault(self.label, {}).setdefault(path, set()).update(lines)
        self.running = {}
        self.label = label

    def run(self, *lines):
        """Lines 'path:N' run now."""
        for line in lines:
            path, number = line.split(':')
            self.running.setdefault(path, set()).add(int(number))

    def harvest(self):
        closed, self.closed = self.closed, {}
        return closed


def bookkeeping():
    tracer = Tracer()
    return Segments(tracer, OUTSIDE), tracer


def as_lines(files):
    """{path: lines} as a sorted list of 'path:N'."""
    return sorted('%s:%d' % (path, line) for path, lines in files.items() for line in lines)


def run_test(segments, tracer, nodeid, *lines, uses=(), fixtures=()):
    """One test: its fixtures' setups (key, scope, lines), then its own lines."""
    segments.test_started(nodeid)
    for key, scope, fixture_lines in fixtures:
        segments.fixture_started(key, scope)
        tracer.run(*fixture_lines)
        segments.fixture_done()
    tracer.run(*lines)
    segments.test_finished(nodeid, uses)


def test_a_test_gets_what_runs_between_its_start_and_its_end():
    segments, tracer = bookkeeping()
    run_test(segments, tracer, 't1', 'app.py:1', 'app.py:2')
    run_test(segments, tracer, 't2', 'app.py:3')
    tests = segments.harvest()
    assert list(tests) == ['t1', 't2']  # in the order they finished
    assert as_lines(tests['t1']) == ['app.py:1', 'app.py:2']
    assert as_lines(tests['t2']) == ['app.py:3']


def test_a_function_scoped_fixture_is_part_of_the_tests_own_segment():
    segments, tracer = bookkeeping()
    run_test(segments, tracer, 't1', 'app.py:9', fixtures=[(('tests', 'tmp'), 'function', ['conftest.py:3'])])
    assert as_lines(segments.harvest()['t1']) == ['app.py:9', 'conftest.py:3']
    assert segments.definitions() == []


def test_a_wide_fixture_setup_counts_for_every_test_using_its_definition():
    segments, tracer = bookkeeping()
    run_test(segments, tracer, 't1', 'app.py:1', uses=[DB], fixtures=[(DB, 'module', ['tests/a/conftest.py:5'])])
    run_test(segments, tracer, 't2', 'app.py:2', uses=[DB])   # the fixture is cached: no setup
    run_test(segments, tracer, 't3', 'app.py:3')              # does not use it
    tests = segments.harvest()
    assert as_lines(tests['t1']) == ['app.py:1', 'tests/a/conftest.py:5']
    assert as_lines(tests['t2']) == ['app.py:2', 'tests/a/conftest.py:5']
    assert as_lines(tests['t3']) == ['app.py:3']


def test_two_definitions_of_one_name_are_two_keys():
    segments, tracer = bookkeeping()
    run_test(segments, tracer, 'a1', uses=[DB], fixtures=[(DB, 'module', ['tests/a/conftest.py:5'])])
    run_test(segments, tracer, 'b1', uses=[OTHER_DB], fixtures=[(OTHER_DB, 'module', ['tests/b/conftest.py:7'])])
    run_test(segments, tracer, 'b2', uses=[OTHER_DB])
    tests = segments.harvest()
    assert as_lines(tests['a1']) == ['tests/a/conftest.py:5']
    assert as_lines(tests['b1']) == ['tests/b/conftest.py:7']
    assert as_lines(tests['b2']) == ['tests/b/conftest.py:7']
    assert sorted(segments.definitions()) == [DB, OTHER_DB]


def test_every_scope_wider_than_function_has_its_own_segment():
    for scope in ('class', 'module', 'package', 'session'):
        segments, tracer = bookkeeping()
        run_test(segments, tracer, 't1', fixtures=[(SESSION, scope, ['plugin.py:1'])], uses=[SESSION])
        run_test(segments, tracer, 't2', uses=[SESSION])
        assert as_lines(segments.harvest()['t2']) == ['plugin.py:1'], scope


def test_a_wide_fixtures_teardown_counts_only_for_the_test_it_runs_in():
    segments, tracer = bookkeeping()
    run_test(segments, tracer, 't1', uses=[DB], fixtures=[(DB, 'module', ['tests/a/conftest.py:5'])])
    segments.test_started('t2')
    tracer.run('app.py:2')
    tracer.run('tests/a/conftest.py:6')  # pytest tears the module fixture down in the module's last test
    segments.test_finished('t2', [DB])
    tests = segments.harvest()
    assert as_lines(tests['t1']) == ['tests/a/conftest.py:5']
    assert as_lines(tests['t2']) == ['app.py:2', 'tests/a/conftest.py:5', 'tests/a/conftest.py:6']


def test_every_earlier_setup_of_a_definition_counts_for_a_test_using_it():
    segments, tracer = bookkeeping()
    run_test(segments, tracer, 'm1', uses=[DB], fixtures=[(DB, 'module', ['tests/a/conftest.py:5'])])
    run_test(segments, tracer, 'm2', uses=[DB], fixtures=[(DB, 'module', ['tests/a/conftest.py:9'])])
    tests = segments.harvest()
    assert as_lines(tests['m2']) == ['tests/a/conftest.py:5', 'tests/a/conftest.py:9']


def test_a_setup_that_starts_after_a_test_ended_never_counts_for_it():
    segments, tracer = bookkeeping()
    run_test(segments, tracer, 'm1', uses=[DB], fixtures=[(DB, 'module', ['tests/a/conftest.py:5'])])
    run_test(segments, tracer, 'm2', uses=[DB], fixtures=[(DB, 'module', ['tests/a/conftest.py:9'])])
    assert as_lines(segments.harvest()['m1']) == ['tests/a/conftest.py:5']


def test_what_a_test_gets_does_not_depend_on_when_the_harvests_happen():
    def record(harvest_after):
        segments, tracer = bookkeeping()
        tests = {}
        steps = [('m1', [(DB, 'module', ['c.py:1'])]), ('m2', []), ('n1', [(DB, 'module', ['c.py:2'])]),
                 ('n2', [(SESSION, 'session', ['s.py:1'])]), ('n3', [])]
        for number, (nodeid, fixtures) in enumerate(steps):
            run_test(segments, tracer, nodeid, 'app.py:%d' % number, uses=[DB, SESSION], fixtures=fixtures)
            if number in harvest_after:
                tests.update(segments.harvest())
        tests.update(segments.harvest())
        return dict((test, as_lines(files)) for test, files in tests.items())

    once = record(())
    assert once['m2'] == ['app.py:1', 'c.py:1']
    assert once['n3'] == ['app.py:4', 'c.py:1', 'c.py:2', 's.py:1']
    for harvests in ((0,), (1,), (0, 1, 2, 3, 4), (2, 3)):
        assert record(harvests) == once, harvests


def test_a_fixture_set_up_while_a_test_runs_counts_for_it_even_unlisted():
    segments, tracer = bookkeeping()  # e.g. request.getfixturevalue('db') in the test
    run_test(segments, tracer, 't1', 'app.py:1', uses=[], fixtures=[(DB, 'module', ['tests/a/conftest.py:5'])])
    assert as_lines(segments.harvest()['t1']) == ['app.py:1', 'tests/a/conftest.py:5']


def test_a_setup_inside_another_is_its_own_segment_and_the_outer_one_resumes():
    segments, tracer = bookkeeping()
    segments.test_started('t1')
    segments.fixture_started(SESSION, 'session')
    tracer.run('s.py:1')
    segments.fixture_started(DB, 'module')  # the session fixture asks for db dynamically
    tracer.run('tests/a/conftest.py:5')
    segments.fixture_done()
    tracer.run('s.py:2')
    segments.fixture_done()
    tracer.run('app.py:1')
    segments.test_finished('t1', [SESSION])
    run_test(segments, tracer, 't2', uses=[SESSION])
    run_test(segments, tracer, 't3', uses=[DB])
    tests = segments.harvest()
    assert as_lines(tests['t1']) == ['app.py:1', 's.py:1', 's.py:2', 'tests/a/conftest.py:5']
    assert as_lines(tests['t2']) == ['s.py:1', 's.py:2']
    assert as_lines(tests['t3']) == ['tests/a/conftest.py:5']


def test_a_function_fixture_inside_a_wide_setup_stays_in_the_wide_segment():
    segments, tracer = bookkeeping()
    segments.test_started('t1')
    segments.fixture_started(DB, 'module')
    segments.fixture_started(('tests', 'helper'), 'function')
    tracer.run('tests/a/conftest.py:5')
    segments.fixture_done()
    tracer.run('tests/a/conftest.py:6')
    segments.fixture_done()
    segments.test_finished('t1', [DB])
    run_test(segments, tracer, 't2', uses=[DB])
    assert as_lines(segments.harvest()['t2']) == ['tests/a/conftest.py:5', 'tests/a/conftest.py:6']


def test_what_runs_outside_tests_is_merged_under_the_outside_label():
    segments, tracer = bookkeeping()
    tracer.run('app.py:1')  # imports, collection
    run_test(segments, tracer, 't1', 'app.py:5')
    tracer.run('app.py:2')  # between tests
    tests = segments.harvest()
    assert OUTSIDE not in tests
    run_test(segments, tracer, 't2', 'app.py:6')
    tracer.run('app.py:3')
    segments.stop()
    segments.harvest()
    assert as_lines(segments.outside) == ['app.py:1', 'app.py:2', 'app.py:3']


def test_a_wide_fixture_set_up_outside_any_test_counts_as_outside():
    segments, tracer = bookkeeping()
    segments.fixture_started(SESSION, 'session')
    tracer.run('s.py:1')
    segments.fixture_done()
    run_test(segments, tracer, 't1', uses=[SESSION])
    assert segments.harvest()['t1'] == {}
    assert as_lines(segments.outside) == ['s.py:1']


def test_after_stop_nothing_is_recorded():
    segments, tracer = bookkeeping()
    run_test(segments, tracer, 't1', 'app.py:1')
    segments.stop()
    tracer.run('app.py:99')
    tracer.switch('anything')
    assert as_lines(segments.harvest()['t1']) == ['app.py:1']
    assert segments.outside == {}


def test_finished_counts_the_tests_a_harvest_will_hand_over():
    segments, tracer = bookkeeping()
    run_test(segments, tracer, 't1')
    run_test(segments, tracer, 't2')
    assert segments.finished == 2
    segments.harvest()
    assert segments.finished == 0
    assert segments.harvest() == {}
