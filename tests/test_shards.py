"""Shards of one CI run writing one map under one run id (pytest --stave
--stave-run ID, or $STAVE_RUN), run for real: a throwaway project recorded
once unsharded (the reference) and by shards, each in its own copy of the
project, concurrently, into one store (the embedded file, `stave serve`, the
suite's real HBase), whose map must equal the reference; a shard SIGKILLed
while it writes; the run's record (stave.testmap.runs); bad run ids."""
import os
import shutil
import json
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from hbase_server import LOCAL, drop_all_tables
from shard_project import TESTS, make_project
from stave.store import connect
from stave.testmap import MapWriter, TestMap
from stave.testmap.layout import RUNS
from stave.testmap.runs import fold_run
from thrift_serving import ROOT, Served

pytestmark = pytest.mark.slow

#: Three shards: (how each gets the run id, its part of the tests).
SHARDS = (
    ('option', ['tests/test_prices.py', 'tests/test_rates.py']),
    ('environment', ['tests/test_cart.py']),
    ('option', ['-k', 'stock']),  # collects every test file, runs test_stock.py's
)
RUN = 'ci-42'
#: The shard killed while it writes: test_cart.py's.
VICTIM = 1

#: How long a test waits at most for a process.
TIMEOUT = 120


def environment(run=None, **more):
    """The environment of a pytest run: STAVE_RUN only if `run` is given, and `more`."""
    env = dict(os.environ, PYTHONPATH=ROOT)
    for name in ('STAVE_STORE', 'STAVE_RUN', 'SHOP_PAUSE'):
        env.pop(name, None)
    if run is not None:
        env['STAVE_RUN'] = run
    env.update(more)
    return env


def command(url, *args):
    return [sys.executable, '-m', 'pytest', '-p', 'no:cacheprovider', '-q', '--stave', '--stave-store', url] + \
        list(args)


def run_pytest(project, url, *args, **environ):
    return subprocess.run(command(url, *args), cwd=project, env=environment(**environ), capture_output=True,
                          text=True, timeout=TIMEOUT)


class Shards:
    """pytest processes started at once, each in its own process group, their
    output in files; close() kills whatever still runs."""

    def __init__(self, directory):
        self.directory = str(directory)
        self.processes = []
        self.outputs = {}  # process -> its output, once closed

    def start(self, project, url, *args, **environ):
        log = open(os.path.join(self.directory, 'shard-%d.log' % len(self.processes)), 'w+')
        process = subprocess.Popen(command(url, *args), cwd=project, env=environment(**environ), stdout=log,
                                   stderr=subprocess.STDOUT, start_new_session=True)
        self.processes.append((process, log))
        return process

    def output(self, process):
        if process in self.outputs:
            return self.outputs[process]
        log = dict(self.processes)[process]
        log.seek(0)
        return log.read()

    def wait(self):
        """Each process's (exit status, output), once all have ended."""
        ended = []
        for process, log in self.processes:
            process.wait(TIMEOUT)
            ended.append((process.returncode, self.output(process)))
        return ended

    def kill(self, process):
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(TIMEOUT)

    def close(self):
        for process, log in self.processes:
            if process.poll() is None:
                try:
                    os.killpg(process.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                process.wait()
            self.outputs[process] = self.output(process)
            log.close()


def shard_command(shard, run=RUN):
    """(arguments, environment) of the shard `shard` of SHARDS."""
    how, part = SHARDS[shard]
    if how == 'option':
        return ['--stave-run', run] + part, {}
    return list(part), {'run': run}


def whole_map(url):
    """Everything the map at `url` answers about its tests and files, but the
    runs and durations: the same map read from both sides (tests' lines,
    files' tests), outcomes, files and their hashes, data files."""
    with connect(url) as store:
        test_map = TestMap(store)
        tests = test_map.tests()
        by_test = dict((t, dict(test_map.lines_for(t))) for t in tests + ['<import>'])
        files = dict(test_map.files())
        paths = set(p for lines in by_test.values() for p in lines) | set(files)
        return {'tests': by_test,
                'files': dict((p, dict(test_map.tests_for_file(p))) for p in paths),
                'outcomes': dict((t, test_map.test_info(t)['outcome']) for t in tests),
                'hashes': files, 'data files': test_map.data_files(),
                'being written': test_map.tests_being_written()}


def assert_unsharded(found, reference):
    """`found` (a whole_map) is the unsharded map `reference`; if not, say where."""
    if found == reference:
        return
    differences = []
    for part, expected in sorted(reference.items()):
        got = found[part]
        if isinstance(expected, dict):
            differences += ['%s %s: %r, unsharded %r' % (part, key, got.get(key), expected.get(key))
                            for key in sorted(set(got) | set(expected)) if got.get(key) != expected.get(key)]
        elif got != expected:
            differences.append('%s: %r, unsharded %r' % (part, got, expected))
    raise AssertionError('the map is not the unsharded one:\n' + '\n'.join(differences))


def run_row(url, run):
    """The tm_runs row of `run`: {field: text}."""
    with connect(url) as store:
        row = store.table(RUNS).row(run.encode('utf-8'))
    return dict((column[2:].decode('ascii'), value.decode('utf-8')) for column, value in row.items())


def runs_of_tests(url):
    with connect(url) as store:
        test_map = TestMap(store)
        return set(test_map.test_info(t)['run'] for t in test_map.tests())


@pytest.fixture(scope='module')
def reference(tmp_path_factory):
    """The map of one unsharded `pytest --stave` of the project."""
    directory = tmp_path_factory.mktemp('reference')
    project = make_project(directory / 'project')
    url = 'sqlite:///' + str(directory / 'a.db')
    result = run_pytest(project, url)
    assert result.returncode == 0, result.stdout + result.stderr
    assert 'stave: recorded %d test(s)' % TESTS in result.stdout
    found = whole_map(url)
    assert len(found['tests']) == TESTS + 1 and found['data files'] == ['shop/rates.json']
    assert found['tests']['tests/test_stock.py::test_restock_in_a_subprocess']['shop/stock.py']  # the child's
    assert found['being written'] == []
    return found


@pytest.fixture
def project(tmp_path):
    return make_project(tmp_path / 'project')


def copies(project, tmp_path, n):
    """`n` working copies of `project`: separate directories, the same content."""
    made = []
    for number in range(n):
        copy = str(tmp_path / ('shard%d' % number))
        shutil.copytree(project, copy)
        made.append(copy)
    return made


STORES = ['sqlite', 'served', pytest.param('hbase', marks=pytest.mark.hbase)]


@pytest.fixture
def store(request, tmp_path):
    """The URL of store B, empty: an embedded file, `stave serve`, or the suite's real HBase."""
    if request.param == 'sqlite':
        yield 'sqlite:///' + str(tmp_path / 'b.db')
    elif request.param == 'served':
        (tmp_path / 'serve').mkdir()
        served = Served(tmp_path / 'serve')
        try:
            yield served.url()
        finally:
            assert served.stop() == 0, served.log()
    else:
        url = LOCAL.url('buffered-binary')
        drop_all_tables(url)
        try:
            yield url
        finally:
            drop_all_tables(url)


@pytest.mark.parametrize('store', STORES, indirect=True)
def test_concurrent_shards_sharing_a_run_id_write_the_unsharded_map(reference, project, tmp_path, store):
    shards = Shards(tmp_path)
    before = time.time()
    try:
        for shard, copy in enumerate(copies(project, tmp_path, len(SHARDS))):
            args, environ = shard_command(shard)
            shards.start(copy, store, *args, **environ)
        ended = shards.wait()
    finally:
        shards.close()
    after = time.time()
    for status, output in ended:
        assert status == 0, output
        assert 'stave: recorded' in output, output
    assert_unsharded(whole_map(store), reference)
    assert runs_of_tests(store) == {RUN}
    row = run_row(store, RUN)
    assert (row['tests'], row['shards']) == (str(TESTS), str(len(SHARDS)))
    assert before <= float(row['started']) <= float(row['finished']) <= after


def poll(condition, what, timeout=60):
    deadline = time.time() + timeout
    while time.time() < deadline:
        found = condition()
        if found:
            return found
        time.sleep(0.01)
    raise AssertionError('waited %d s for %s' % (timeout, what))


@pytest.mark.parametrize('store', STORES, indirect=True)
def test_a_shard_killed_while_it_writes_leaves_whole_tests_and_a_rerun_completes_the_map(
        reference, project, tmp_path, store):
    victim_tests = set(t for t in reference['tests'] if t.startswith('tests/test_cart.py::'))
    paths = copies(project, tmp_path, len(SHARDS))
    shards = Shards(tmp_path)

    def victim_progress():
        """The victim's tests written or being written, once a mark shows or two are written."""
        with connect(store) as opened:
            test_map = TestMap(opened)
            if not test_map.exists():
                return None
            marked = victim_tests.intersection(test_map.tests_being_written())
            written = victim_tests.intersection(test_map.tests())
            return (marked, written) if marked or len(written) >= 2 else None

    try:
        others = []
        for shard, copy in enumerate(paths):
            args, environ = shard_command(shard)
            if shard == VICTIM:  # every test flushed on its own, a pause between them
                victim = shards.start(copy, store, '-o', 'stave_flush_every=1', *args, SHOP_PAUSE='0.3',
                                      **environ)
            else:
                others.append(shards.start(copy, store, *args, **environ))
        poll(victim_progress, 'the victim shard to write its tests')
        shards.kill(victim)
        for process in others:
            process.wait(TIMEOUT)
            assert process.returncode == 0, shards.output(process)
    finally:
        shards.close()
    assert victim.returncode == -signal.SIGKILL
    assert 'stave: recorded' not in shards.output(victim)

    killed = whole_map(store)
    written = set(killed['tests']) - {'<import>'}
    marked = set(killed['being written'])
    assert victim_tests & (written | marked), 'the victim was killed before it began to write'
    for test in written:  # each test whole, or absent
        assert killed['tests'][test] == reference['tests'][test], test
        assert killed['outcomes'][test] == reference['outcomes'][test], test
    assert set(reference['tests']) - written - {'<import>'} <= victim_tests
    assert marked <= victim_tests and not marked & written  # and a test left marked is named
    if store.startswith('sqlite:'):
        assert marked == set()  # a flush is one transaction
    for path, lines in killed['tests']['<import>'].items():  # the others' part of it
        assert set(lines) <= set(reference['tests']['<import>'][path]), path
    row = run_row(store, RUN)
    assert (row['tests'], row['shards']) == (str(TESTS - len(victim_tests)), str(len(SHARDS) - 1))

    args, environ = shard_command(VICTIM)
    again = run_pytest(paths[VICTIM], store, *args, **environ)
    assert again.returncode == 0, again.stdout + again.stderr
    assert_unsharded(whole_map(store), reference)
    row = run_row(store, RUN)
    assert (row['tests'], row['shards']) == (str(TESTS), str(len(SHARDS)))


def test_shards_in_one_checkout_and_xdist_workers_keep_their_sessions_apart(reference, project, tmp_path):
    """Two shards in one directory, one of them with two xdist workers, each
    with a test whose subprocess records for it through the session's
    directory (.stave/sessions/RUN-PID): three sessions of one run at once."""
    url = 'sqlite:///' + str(tmp_path / 'b.db')
    shards = Shards(tmp_path)
    try:
        shards.start(project, url, '--stave-run', 'ci/7', '-n', '2', 'tests/test_stock.py', 'tests/test_cart.py')
        shards.start(project, url, 'tests/test_prices.py', 'tests/test_rates.py', run='ci/7')
        ended = shards.wait()
    finally:
        shards.close()
    for status, output in ended:
        assert status == 0, output
    assert_unsharded(whole_map(url), reference)
    assert runs_of_tests(url) == {'ci/7'}
    row = run_row(url, 'ci/7')
    assert (row['tests'], row['shards']) == (str(TESTS), '3')  # each xdist worker is a recording process
    assert os.listdir(os.path.join(project, '.stave', 'sessions')) == []  # each removed its own


def test_a_session_directory_left_under_this_process_id_is_not_reused(reference, project, tmp_path):
    """A CI job retried in its old workspace under the same run id may get the
    process id of a shard killed there before (containers number processes
    alike): that shard's session directory, .stave/sessions/RUN-PID, is left."""
    url = 'sqlite:///' + str(tmp_path / 'b.db')
    left = os.path.join('.stave', 'sessions', RUN + '-$$')
    script = 'mkdir -p %s/spool && echo 999999 > %s/pid && exec "$@"' % (left, left)  # exec: the same pid
    result = subprocess.run(['sh', '-c', script, 'sh'] + command(url, '--stave-run', RUN, 'tests/test_stock.py'),
                            cwd=project, env=environment(), capture_output=True, text=True, timeout=TIMEOUT)
    assert result.returncode == 0, result.stdout + result.stderr
    recorded = whole_map(url)['tests']
    for test in [t for t in reference['tests'] if t.startswith('tests/test_stock.py::')]:
        assert recorded[test] == reference['tests'][test], test  # the subprocess's lines came through
    (leftover,) = os.listdir(os.path.join(project, '.stave', 'sessions'))
    assert leftover.startswith(RUN + '-')


def git(project, *args):
    subprocess.run(['git', '-c', 'user.email=t@t', '-c', 'user.name=t'] + list(args), cwd=project, check=True,
                   capture_output=True)


def test_shards_with_shadow_fold_their_figures_and_times_into_the_run(reference, project, tmp_path):
    git(project, 'init', '-q')
    git(project, 'add', '-A')
    git(project, 'commit', '-qm', 'base')
    url = 'sqlite:///' + str(tmp_path / 'b.db')
    before = time.time()
    first = run_pytest(project, url, '--stave-shadow', 'tests/test_cart.py', run='s-1')
    assert first.returncode == 0, first.stdout + first.stderr
    between = time.time()
    second = run_pytest(project, url, '--stave-shadow', '--stave-run', 's-1', 'tests/test_prices.py',
                        'tests/test_rates.py', 'tests/test_stock.py')
    assert second.returncode == 0, second.stdout + second.stderr
    after = time.time()
    assert_unsharded(whole_map(url), reference)
    row = run_row(url, 's-1')
    assert (row['tests'], row['shards']) == (str(TESTS), '2')
    assert before <= float(row['started']) <= between <= float(row['finished']) <= after
    shadow = json.loads(row['shadow'])
    assert shadow['tests'] == TESTS and shadow['selected'] == TESTS  # every test new to the map of its shard
    assert shadow['failed'] == 0 and shadow['missed'] == []


@pytest.mark.parametrize('store', STORES, indirect=True)
def test_folding_keeps_the_earliest_start_the_latest_end_and_adds_the_rest(store):
    with connect(store) as opened:
        MapWriter(opened)  # the map's tables
        assert fold_run(opened, 'r', started=20.5, finished=30.0, commit='c1', command='pytest a',
                        tests=4) == {'started': '20.5', 'finished': '30.0', 'commit': 'c1',
                                     'command': 'pytest a', 'tests': '4', 'shards': '1'}
        fold_run(opened, 'r', started=10.0, finished=25.0, commit='c1', command='pytest b', tests=5)
        fold_run(opened, 'r', started=15.0, finished=40.0, tests=0,
                 shadow={'tests': 3, 'selected': 1, 'failed': 1, 'missed': ['t::b'], 'missed_flaky': [],
                         'saved': 1.5, 'total': 2.0})
        fold_run(opened, 'r', started=50.0, finished=60.0, shards=0,  # the xdist controller's shadow figures
                 shadow={'tests': 2, 'selected': 2, 'failed': 1, 'missed': ['t::a'], 'missed_flaky': ['t::c'],
                         'saved': 0.0, 'total': 1.0})
    row = run_row(store, 'r')
    assert json.loads(row.pop('shadow')) == {'tests': 5, 'selected': 3, 'failed': 2, 'missed': ['t::a', 't::b'],
                                             'missed_flaky': ['t::c'], 'saved': 1.5, 'total': 3.0}
    # The commit and command of the part that finished last, of those that have them.
    assert row == {'started': '10.0', 'finished': '60.0', 'commit': 'c1', 'command': 'pytest a', 'tests': '9',
                   'shards': '3'}


def at_once(script, url, processes):
    """Run `script` (python -c) in `processes` processes, each told the store
    `url`, a moment to act at (its third argument) and its number (1, 2, ...)."""
    at = time.time() + 3  # every process connected and waiting by then
    started = [subprocess.Popen([sys.executable, '-c', script, url, repr(at), str(number)], env=environment())
               for number in range(1, processes + 1)]
    try:
        for process in started:
            assert process.wait(TIMEOUT) == 0
    finally:
        for process in started:
            if process.poll() is None:
                process.kill()
                process.wait()


FOLD = textwrap.dedent('''\
    import sys, time
    from stave.store import connect
    from stave.testmap.runs import fold_run
    url, at, number = sys.argv[1], float(sys.argv[2]), int(sys.argv[3])
    with connect(url) as store:
        time.sleep(max(0.0, at - time.time()))
        fold_run(store, 'together', started=100.0 + number, finished=200.0 + number, tests=number)
    ''')


@pytest.mark.parametrize('store', STORES, indirect=True)
def test_parts_folded_at_the_same_moment_are_all_counted(store):
    """Six processes add their parts to one run at once: on HBase too, none is lost."""
    with connect(store) as opened:
        MapWriter(opened)  # the map's tables
    at_once(FOLD, store, 6)
    assert run_row(store, 'together') == {'started': '101.0', 'finished': '206.0', 'tests': str(sum(range(1, 7))),
                                          'shards': '6'}


ADD = textwrap.dedent('''\
    import sys, time
    from stave.store import connect
    from stave.testmap import MapWriter
    url, at, number = sys.argv[1], float(sys.argv[2]), int(sys.argv[3])
    with connect(url) as store:
        writer = MapWriter(store, 'together')
        time.sleep(max(0.0, at - time.time()))
        writer.add({'<import>': {'shop/registry.py': {number}}}, {'shop/registry.py': 'ab' * 20})
    ''')

@pytest.mark.parametrize('store', STORES, indirect=True)
def test_lines_added_to_import_at_the_same_moment_are_all_kept(store):
    """What shards do at their end, six at once: add their lines run outside
    tests to '<import>'. Both sides of the map must hold all of them."""
    with connect(store) as opened:
        MapWriter(opened)  # the map's tables
    at_once(ADD, store, 6)
    with connect(store) as opened:
        test_map = TestMap(opened)
        assert dict(test_map.tests_for_file('shop/registry.py')) == dict((n, ['<import>']) for n in range(1, 7))
        assert dict(test_map.lines_for('<import>')) == {'shop/registry.py': list(range(1, 7))}


BAD = [
    ('--stave-run', 'ci 42'),
    ('--stave-run', ''),
    ('--stave-run', 'x' * 201),
    ('--stave-run', 'ci\x0742'),
    ('STAVE_RUN', 'ci\t42'),
    ('STAVE_RUN', 'pipeline 42'),
]


@pytest.mark.parametrize('where, value', BAD)
def test_a_bad_run_id_is_a_usage_error_naming_it(project, tmp_path, where, value):
    url = 'sqlite:///' + str(tmp_path / 'b.db')
    if where == '--stave-run':
        result = run_pytest(project, url, '--stave-run=' + value)
    else:
        result = run_pytest(project, url, run=value)
    assert result.returncode == 4, result.stdout + result.stderr
    assert ('stave: %s %r is not a run id' % ('$STAVE_RUN' if where == 'STAVE_RUN' else where, value)
            in result.stderr), result.stderr
    assert not os.path.exists(str(tmp_path / 'b.db'))


def test_the_option_wins_over_the_variable_and_an_empty_variable_is_none(project, tmp_path):
    url = 'sqlite:///' + str(tmp_path / 'b.db')
    result = run_pytest(project, url, '--stave-run', 'from-option', 'tests/test_cart.py', run='bad value')
    assert result.returncode == 0, result.stdout + result.stderr
    assert runs_of_tests(url) == {'from-option'}
    result = run_pytest(project, url, 'tests/test_cart.py', run='')
    assert result.returncode == 0, result.stdout + result.stderr
    (own,) = runs_of_tests(url)
    assert own != 'from-option' and run_row(url, own)['shards'] == '1'
