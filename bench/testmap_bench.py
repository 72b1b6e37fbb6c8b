"""Benchmarks of the test map, on more-itertools 11.2.1's own suite (765 tests).

    python bench/testmap_bench.py [--runs 3] [--pythons 3.11,3.12] [--triples 10000000]

1. Recording overhead, side by side in one run, for each Python: plain pytest,
   pytest --stave, pytest --cov --cov-context=test, and pytest --testmon (first
   run), as ratios to plain (medians); and whether stave recorded the same
   (test, file, line) triples as coverage.py's per-test contexts.
2. Import throughput (triples/s) of a stave trace file of --triples triples
   into the embedded store (median of --runs imports, each into a new file).
3. tests_for latency (p50, p99) on a synthetic map of --triples triples, and
   the bytes per triple of the whole store file.
4. Selection time for a 50-line diff of more-itertools.

The sdist comes from PyPI (pip download); pytest-cov and pytest-testmon are
installed into each interpreter if missing.
"""
import argparse
import glob
import os
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
SUITE = 'more-itertools==11.2.1'


def sh(command, **kwargs):
    return subprocess.run(command, check=True, capture_output=True, text=True, **kwargs)


def interpreter(version):
    if version == '%d.%d' % sys.version_info[:2]:
        return sys.executable
    try:
        prefix = sh(['pyenv', 'prefix', version]).stdout.strip().splitlines()[-1]
    except (OSError, subprocess.CalledProcessError):
        found = shutil.which('python' + version)
        return found
    candidate = os.path.join(prefix, 'bin', 'python' + version)
    return candidate if os.path.exists(candidate) else None


def prepare(python, work):
    """Install stave, pytest-cov, pytest-testmon into `python`; unpack the suite."""
    sh([python, '-m', 'pip', 'install', '-q', '-e', ROOT + '[test]', 'pytest-cov', 'pytest-testmon'])
    suite = os.path.join(work, 'suite')
    if not os.path.isdir(suite):
        sh([python, '-m', 'pip', 'download', '-q', '--no-deps', '--no-binary', ':all:', SUITE, '-d', work])
        archive = glob.glob(os.path.join(work, 'more_itertools-*.tar.gz'))[0]
        with tarfile.open(archive) as tar:
            tar.extractall(work)
        os.rename(glob.glob(os.path.join(work, 'more_itertools-11.2.1'))[0], suite)
        sh(['git', 'init', '-q'], cwd=suite)
        sh(['git', '-c', 'user.email=bench@stave', '-c', 'user.name=bench', 'add', '-A'], cwd=suite)
        sh(['git', '-c', 'user.email=bench@stave', '-c', 'user.name=bench', 'commit', '-qm', 'suite'], cwd=suite)
    return suite


def timed_pytest(python, suite, extra, env):
    started = time.perf_counter()
    result = subprocess.run([python, '-m', 'pytest', '-q', 'tests'] + extra,  # testmon needs the cache plugin
                            cwd=suite, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit('pytest %s failed:\n%s' % (' '.join(extra), result.stdout[-2000:] + result.stderr[-2000:]))
    return elapsed


def clean(suite):
    for name in ('.coverage', '.testmondata', '.testmondata-shm', '.testmondata-wal'):
        path = os.path.join(suite, name)
        if os.path.exists(path):
            os.remove(path)


def recording(python, suite, runs, work):
    env = dict(os.environ)
    env.pop('STAVE_STORE', None)
    store = os.path.join(work, 'map-%s.db' % os.path.basename(python))
    configs = [  # coverage last: its data file is compared with stave's map afterwards
        ('plain', []),
        ('stave', ['--stave', '--stave-store', 'sqlite:///' + store]),
        ('testmon (first run)', ['--testmon']),
        ('coverage contexts', ['--cov=more_itertools', '--cov-context=test', '--cov-report=']),
    ]
    times = dict((name, []) for name, _ in configs)
    for _ in range(runs):
        for name, extra in configs:
            clean(suite)
            if name == 'stave':
                for path in glob.glob(store + '*'):
                    os.remove(path)
            times[name].append(timed_pytest(python, suite, extra, env))
    medians = dict((name, statistics.median(values)) for name, values in times.items())
    same, stave_only, coverage_only = compare_triples(suite, store)
    return medians, (same, stave_only, coverage_only), store


def compare_triples(suite, store_path):
    """(common, only stave, only coverage) triples for more_itertools/*.py, tests only."""
    from coverage import CoverageData
    from stave.store import connect
    from stave.testmap import TestMap
    from stave.testmap.importers import test_id_of_context
    data = CoverageData(basename=os.path.join(suite, '.coverage'))
    data.read()
    theirs = set()
    for measured in data.measured_files():
        path = os.path.relpath(measured, suite).replace(os.sep, '/')
        for line, contexts in data.contexts_by_lineno(measured).items():
            for context in contexts:
                if context:
                    theirs.add((test_id_of_context(context), path, line))
    ours = set()
    with connect('sqlite:///' + store_path) as store:
        test_map = TestMap(store)
        for test in test_map.tests():
            for path, lines in test_map.lines_for(test).items():
                if path.startswith('more_itertools/'):
                    ours.update((test, path, line) for line in lines)
    clean(suite)
    return len(ours & theirs), len(ours - theirs), len(theirs - ours)


def synthetic_records(triples, modules=2000, lines_per_module=400, hot_lines=150):
    """Trace records of a synthetic large suite: each test runs a window of its
    own module and a few neighbours, plus some of the package's hot helper
    lines (shared by most tests), as real suites do."""
    rng = random.Random(11)
    made = test = 0
    while made < triples:
        module = test % modules
        name = 'tests/test_mod%04d.py::test_case_%d' % (module, test)
        test += 1
        records = [('pkg/core.py', rng.sample(range(1, hot_lines + 1), 40))]
        for other in (module, module, (module + 1) % modules, rng.randrange(modules)):
            start = rng.randint(1, lines_per_module - 60)
            records.append(('pkg/sub%02d/module%04d.py' % (other % 40, other),
                            rng.sample(range(start, start + 60), 30)))
        for path, lines in records:
            made += len(lines)
            yield {'test': name, 'path': path, 'lines': sorted(lines), 'outcome': 'passed', 'duration': 0.01}
            if made >= triples:
                return


def import_and_query(work, triples, runs, probes=2000):
    from stave.store import connect
    from stave.testmap import TestMap
    from stave.testmap.traces import write_jsonl
    trace = os.path.join(work, 'synthetic.jsonl')
    with open(trace, 'w') as handle:
        write_jsonl(handle, synthetic_records(triples))
    store_path = os.path.join(work, 'synthetic.db')
    elapsed = []
    for _ in range(runs):  # each into a new store file; the median counts
        for leftover in glob.glob(store_path + '*'):
            os.remove(leftover)
        started = time.perf_counter()
        result = subprocess.run([sys.executable, os.path.join(ROOT, 'stave.py'), '--store', 'sqlite:///' + store_path,
                                 'import', trace], capture_output=True, text=True)
        elapsed.append(time.perf_counter() - started)
        if result.returncode != 0:
            raise SystemExit(result.stderr)
    db = sqlite3.connect(store_path)
    db.execute('PRAGMA wal_checkpoint(TRUNCATE)')
    db.close()
    size = os.path.getsize(store_path)
    rng = random.Random(5)
    with connect('sqlite:///' + store_path) as store:
        test_map = TestMap(store)
        cells = sum(len(d) for _, d in store.table(b'tm_lines').scan(limit=1000))  # warm the file cache
        keys = [row for row, _ in store.table(b'tm_lines').scan(columns=[b't'], limit=200000)]
        samples = []
        for row in (rng.choice(keys) for _ in range(probes)):
            path, _, line = row.decode().rpartition(':')
            started = time.perf_counter()
            test_map.tests_for(path, int(line))
            samples.append(time.perf_counter() - started)
    samples.sort()
    return {'import_triples_per_s': triples / statistics.median(elapsed), 'bytes_per_triple': size / triples,
            'tests_for_p50_ms': samples[len(samples) // 2] * 1000,
            'tests_for_p99_ms': samples[int(len(samples) * 0.99)] * 1000, 'cells_checked': cells}


def selection_time(suite, store_path):
    """Seconds to select tests for a 50-line change of more_itertools/more.py."""
    from stave.store import connect
    from stave.testmap import TestMap
    from stave.testmap.selection import select_for_diff
    path = os.path.join(suite, 'more_itertools', 'more.py')
    with open(path) as handle:
        original = handle.read()
    lines = original.split('\n')
    for number in range(1000, 1100, 2):  # 50 changed lines
        lines[number] = lines[number] + '  # changed'
    with open(path, 'w') as handle:
        handle.write('\n'.join(lines))
    try:
        with connect('sqlite:///' + store_path) as store:
            started = time.perf_counter()
            selection = select_for_diff(TestMap(store), 'HEAD', suite)
            elapsed = time.perf_counter() - started
    finally:
        with open(path, 'w') as handle:
            handle.write(original)
    return elapsed, len(selection.sorted_tests())


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--runs', type=int, default=3, help='runs of each pytest configuration and of the import '
                        '(median)')
    parser.add_argument('--pythons', default='3.11,3.12', help='interpreter versions to compare')
    parser.add_argument('--triples', type=int, default=10000000, help='size of the synthetic map')
    parser.add_argument('--skip-suite', action='store_true', help='only the synthetic benchmarks')
    args = parser.parse_args()
    work = tempfile.mkdtemp(prefix='stave-testmap-bench-')
    try:
        if not args.skip_suite:
            for version in args.pythons.split(','):
                python = interpreter(version)
                if python is None:
                    print('Python %s: not installed, skipped' % version)
                    continue
                suite = prepare(python, work)
                medians, (same, ours, theirs), store = recording(python, suite, args.runs, work)
                plain = medians['plain']
                print('\nmore-itertools 11.2.1, Python %s, median of %d run(s)' % (version, args.runs))
                for name, seconds in medians.items():
                    print('  %-22s %7.1f s  %5.2fx' % (name, seconds, seconds / plain))
                print('  triples (more_itertools/): %d the same as coverage contexts, %d only stave, %d only coverage'
                      % (same, ours, theirs))
                elapsed, selected = selection_time(suite, store)
                print('  selection for a 50-line diff: %.1f ms (%d tests selected)' % (elapsed * 1000, selected))
        figures = import_and_query(work, args.triples, args.runs)
        print('\nsynthetic map of %s triples (embedded store)' % '{:,}'.format(args.triples))
        print('  import: %s triples/s (median of %d)' % ('{:,.0f}'.format(figures['import_triples_per_s']), args.runs))
        print('  tests_for: p50 %.2f ms, p99 %.2f ms' % (figures['tests_for_p50_ms'], figures['tests_for_p99_ms']))
        print('  store file: %.1f bytes per triple (both tables and the rest)' % figures['bytes_per_triple'])
        print('  (synthetic suite: per test, windows of its own and neighbouring modules plus hot helper lines)')
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == '__main__':
    main()
