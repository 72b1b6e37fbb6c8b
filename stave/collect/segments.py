"""Which test gets which lines: the recorder's bookkeeping (CPython only, no pytest).

The tracer records *segments*: what runs under one label between two
switches. `Segments` chooses the labels as pytest's hooks report tests and
fixture setups, and at each harvest turns the segments into each finished
test's lines. The pytest plugin only calls it from its hooks.
"""
from stave.collect.files import merge_lines

#: Labels of fixture setups start with this (a node id never does).
FIXTURE = '\x00fixture:'


class Segments:
    """The attribution of recorded lines to tests, fixtures and the rest.

    A fixture is known by its definition, the key (baseid, argname) of
    pytest's FixtureDef: baseid is the node id of the directory of the
    conftest, or of the module or class, that defines it ('' for a plugin's).
    Two module-scoped fixtures called `db` in two conftests are two keys.

    The rules:

    1. A test's own segment runs from its start to its end (pytest's
       logstart to logfinish): its setup, call and teardown, the fixtures of
       function scope it uses, the threads it starts, whatever runs meanwhile.
       That includes the teardown of a wider fixture that pytest runs inside
       this test: after the last test of a module (module scope) or of the
       session (session scope), or in the setup of a test that needs the
       next parameter of a parametrized wide fixture. Those lines count for
       that one test only.
    2. The setup of a fixture of wider scope (class, module, package,
       session) that starts while a test runs is a segment of its own: one
       per setup, under the fixture's definition. A fixture set up while
       another one sets up (request.getfixturevalue in a fixture) has its
       own segment too, and the outer one resumes after it.
    3. A test gets the lines of every setup of each definition it uses that
       started before the test ended. It uses the definitions of its fixture
       closure (`uses`: for each name the definition closest to it, and the
       one that definition overrides if it asks for its own name) and those
       set up while it ran (even through request.getfixturevalue). So every
       test of a module gets the lines of a module fixture that ran once, in
       the first one's setup; and a definition set up once per module gives
       the tests of a later module the lines of the earlier setups too (a
       superset, which is safe: an earlier setup may leave state a later
       one reuses). A setup that starts after a test ended never counts for
       it, so the result does not depend on when the flushes happen.
    4. Lines that run while no test runs (imports, module-level code,
       collection, a wide fixture set up outside any test) go under the
       outside label, merged over the whole run (`outside`).

    The tracer is anything with switch(label) and harvest() -> {label:
    {path: set(lines)}} for the labels closed since the last harvest
    (stave.collect.make_tracer()).
    """

    def __init__(self, tracer, outside_label):
        self.tracer = tracer
        self.outside_label = outside_label
        #: {path: set(lines)} run outside tests, over every harvest so far.
        self.outside = {}
        self._test = None        # node id of the running test
        self._used = set()       # keys of the wide fixtures set up while it runs
        self._stack = []         # the label to go back to after each fixture setup running now
        self._label = outside_label
        self._setups = 0         # wide fixture setups started so far (numbers them)
        self._fixtures = {}      # label of a setup not harvested yet -> (key, number)
        self._pools = {}         # key -> _Pool
        self._finished = []      # [(node id, keys, setups started by its end)] not harvested yet

    @property
    def finished(self):
        """How many tests ended since the last harvest."""
        return len(self._finished)

    def definitions(self):
        """The keys of every wide fixture definition set up so far."""
        return list(self._pools)

    def test_started(self, nodeid):
        """A test starts (pytest_runtest_logstart)."""
        self._test = nodeid
        self._used = set()
        self._stack = []
        self._switch(nodeid)

    def fixture_started(self, key, scope):
        """The fixture of definition `key` ((baseid, argname)) and `scope`
        ('function', 'class', 'module', 'package' or 'session') starts its
        setup. Each call is paired with one fixture_done()."""
        self._stack.append(self._label)
        if self._test is None or scope == 'function':
            return
        label = '%s%d' % (FIXTURE, self._setups)
        self._fixtures[label] = (key, self._setups)
        self._setups += 1
        if key not in self._pools:
            self._pools[key] = _Pool()
        self._used.add(key)
        self._switch(label)

    def fixture_done(self):
        """The fixture setup begun by the latest unpaired fixture_started() ended."""
        if self._stack:
            label = self._stack.pop()
            if label != self._label:
                self._switch(label)

    def test_finished(self, nodeid, uses=()):
        """The test `nodeid` ended (pytest_runtest_logfinish); `uses` are the keys
        of the fixture definitions of its closure."""
        self._switch(self.outside_label)
        used = self._used.union(key for key in uses if key in self._pools)
        self._finished.append((nodeid, used, self._setups))
        self._test = None
        self._used = set()
        self._stack = []

    def stop(self):
        """Close the last segment and record nothing more (the end of the run)."""
        self._switch(None)

    def harvest(self):
        """{node id: {path: set(lines)}} of the tests finished since the last
        harvest, in the order they finished, with their fixtures' lines; and
        what ran outside tests is added to `outside`."""
        segments = self.tracer.harvest()
        merge_lines(self.outside, segments.pop(self.outside_label, {}))
        running = set(self._stack)
        running.add(self._label)
        for label in list(self._fixtures):
            if label in running:
                continue  # harvested again once it closes
            key, number = self._fixtures.pop(label)
            self._pools[key].waiting[number] = segments.pop(label, {})
        tests = {}
        for nodeid, used, setups in self._finished:
            files = tests[nodeid] = segments.get(nodeid, {})
            for key in used:
                merge_lines(files, self._pools[key].lines_until(setups))
        self._finished = []
        return tests

    def _switch(self, label):
        self._label = label
        self.tracer.switch(label)


class _Pool:
    """The lines of every setup of one fixture definition, merged in the
    order the setups started, as far as the tests harvested so far need."""

    def __init__(self):
        self.lines = {}      # {path: set(lines)} of the setups numbered below `upto`
        self.upto = 0
        self.waiting = {}    # number -> {path: set(lines)} of harvested setups not merged yet

    def lines_until(self, setups):
        """{path: lines} of the setups numbered below `setups` (every one of
        them has been harvested: a setup ends before the test it is in)."""
        if setups > self.upto:
            for number in sorted(n for n in self.waiting if n < setups):
                merge_lines(self.lines, self.waiting.pop(number))
            self.upto = setups
        return self.lines
