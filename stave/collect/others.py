"""The pytest session's side of the other processes that record for it: its
subprocesses (and theirs), and servers that follow its beacon.

It opens the session's channel (stave.collect.session), tells subprocesses
about it through the environment (STAVE_RECORD, and the hook directory on
PYTHONPATH), keeps the beacon on the running test, and at each flush takes
in what the others spooled: lines of a test harvested in this flush join
its own; lines of a test written earlier, and of the pseudo-tests of lines
run while no test ran, are added to what the map holds; lines of a test
still running wait for its harvest.
"""
import os

from stave.collect import child
from stave.collect.files import merge_lines
from stave.collect.session import ENV, Session


class OtherProcesses:
    """For one recording session in this process (`run_id`)."""

    def __init__(self, root, run_id, include, omit, every, stop_tracer, data_files):
        """`data_files`: the set of the session's data files, which the others' join."""
        self.session = Session(root, run_id)
        self.data_files = data_files
        self._saved = dict((name, os.environ.get(name)) for name in (ENV, 'PYTHONPATH'))
        os.environ[ENV] = self.session.environment(root, include, omit, every)
        path = os.environ.get('PYTHONPATH')
        os.environ['PYTHONPATH'] = child.HOOK_DIRECTORY + (os.pathsep + path if path else '')
        child.follow_forks(stop_tracer)
        self._test = None    # the test running
        self._wide = 0       # wide fixtures setting up now
        self._waiting = {}   # test -> {path: lines} spooled for a test not harvested yet
        self._harvested = set()

    def test_started(self, nodeid):
        self._test = nodeid
        if not self._wide:
            self.session.beacon.set(nodeid)

    def test_finished(self):
        self._test = None
        self.session.beacon.set(None)

    def wide_fixture_started(self):
        """A fixture wider than a test sets up (a server a session fixture
        starts): what the others run meanwhile counts for no test, as the
        lines run at import do, until it is done."""
        self._wide += 1
        self.session.beacon.set(None)

    def wide_fixture_done(self):
        self._wide -= 1
        if not self._wide:
            self.session.beacon.set(self._test)

    def lines(self, tests, last=False):
        """Take in what the others spooled: merge into `tests` ({test: {path:
        lines}}, just harvested) the lines of those tests, and return the lines
        to add to the map ({test: {path: lines}}). With `last`, lines of tests
        that never finished here are dropped."""
        spooled, data_files = self.session.collect()
        self.data_files.update(data_files)
        for label, files in spooled.items():
            merge_lines(self._waiting.setdefault(label, {}), files)
        self._harvested.update(tests)
        added = {}
        for label in list(self._waiting):
            if label in tests:
                merge_lines(tests[label], self._waiting.pop(label))
            elif label in self._harvested or label.startswith('<'):
                added[label] = self._waiting.pop(label)
            elif last:
                del self._waiting[label]
        return added

    def close(self):
        """End the channel and give the environment back (once: a second call does nothing)."""
        if self.session is None:
            return
        child.forget_parent_tracer()
        for name, value in self._saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        self.session.close()
        self.session = None
