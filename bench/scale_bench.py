"""The test map at scale: a 100M-triple synthetic map, imported, queried and
selected from, and 8 shard writers at once on three stores, in one command.

    python3 bench/scale_bench.py [--triples 100000000] [--work DIR] [--no-hbase]
                                 [--compare-10m] [--shards 8] [--shard-triples N]

1. A synthetic map of --triples triples in stave's trace format
   (bench/scale_bench_data.py: about N/1,000 tests over N/5,000 files, some
   hot), cached in --work and reused by later runs of the same size.
2. `stave import` of it into a new embedded store file, as a subprocess
   (with --memory MB): seconds, triples/s, the import
   process's peak RSS (os.wait4 on that one child), store bytes per triple.
3. tests_for(path, line) on 2,000 recorded pairs, half in hot files, half in
   others, in this process (test ids kept once looked up): p50 and p99; and
   as the first question of a process, on 50 hot lines.
4. select_for_diff for a 50-line change of 5 files (2 hot) in a small git
   repository holding those files with the content the map recorded: the
   median of 5, and the tests selected.
5. --shards `stave import`s started together, each of --shard-triples
   triples of its own tests (over one shared set of files), into one
   embedded store file (its URL's lock timeout raised to 600 s), one
   `stave serve`, and a standalone HBase
   (hbase/local.py through bench/hbase_bench.py; --no-hbase skips it):
   aggregate triples/s and its ratio to step 2's single writer, and the
   store's cell count checked against the triples written.
6. --compare-10m: steps 1-4 at 10M triples too, and how each figure grows.

Prints one table at the end and writes the figures to WORK/figures.json.
"""
import argparse
import json
import os
import platform
import random
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import threading
import time

BENCH = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(BENCH)
sys.path[:0] = [ROOT, BENCH, os.path.join(ROOT, 'tests')]

from scale_bench_data import TRACE_VERSION, TRIPLES_PER_FILE, cached_trace, probe_pairs  # noqa: E402
from stave.store import connect  # noqa: E402
from stave.testmap import TestMap  # noqa: E402
from stave.testmap.selection import select_for_diff  # noqa: E402

STAVE = os.path.join(ROOT, 'stave.py')
MARKER = '.stave-scale-bench'  # in each directory the bench made, so that it removes no other
TARGETS = {'bytes_per_triple': 25, 'tests_for_p50_ms': 1, 'tests_for_p99_ms': 5, 'selection_ms': 200}


def log(message):
    print('[%s] %s' % (time.strftime('%H:%M:%S'), message), file=sys.stderr, flush=True)


def fresh_dir(path):
    """An empty directory `path` made by this bench (one an earlier run made is emptied;
    one it did not make is refused)."""
    if os.path.exists(path):
        if not os.path.exists(os.path.join(path, MARKER)):
            raise SystemExit('%s exists and was not made by this bench: remove it or choose another --work' % path)
        shutil.rmtree(path)
    os.makedirs(path)
    open(os.path.join(path, MARKER), 'w').close()
    return path


def remove_store(path):
    """Remove an embedded store file of an earlier run, with its -wal and -shm."""
    for suffix in ('', '-wal', '-shm', '-journal'):
        if os.path.exists(path + suffix):
            os.remove(path + suffix)


def stave_env():
    env = dict(os.environ, PYTHONPATH=ROOT)
    env.pop('STAVE_STORE', None)
    return env


def import_command(url, trace, memory):
    """`stave --store URL import --memory MB TRACE`."""
    return [sys.executable, STAVE, '--store', url, 'import', '--memory', str(memory), trace]


def run_together(commands, logs, cwd):
    """Start `commands` at once; wait for all. Returns (wall seconds, [(exit status,
    peak RSS in MB of that child alone, from os.wait4, seconds to its exit)]).
    Ctrl-C or an error kills the ones still running."""
    children, waiters, results = [], [], {}

    def reap(child):  # a thread per child: each exit is timed as it happens
        _, status, usage = os.wait4(child.pid, 0)
        results[child.pid] = (os.waitstatus_to_exitcode(status), usage.ru_maxrss / 1024.0,
                              time.perf_counter() - started)
    started = time.perf_counter()
    try:
        for command, log_path in zip(commands, logs):
            with open(log_path, 'w') as out:
                children.append(subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, cwd=cwd,
                                                 env=stave_env(), stdin=subprocess.DEVNULL))
            waiters.append(threading.Thread(target=reap, args=(children[-1],), daemon=True))
            waiters[-1].start()
        for waiter in waiters:
            while waiter.is_alive():
                waiter.join(0.5)  # with a timeout, so that Ctrl-C gets through
        return time.perf_counter() - started, [results[child.pid] for child in children]
    finally:
        for child in children:
            if child.pid not in results:
                try:
                    os.kill(child.pid, signal.SIGKILL)  # not child.kill(): its poll() would reap it first
                except ProcessLookupError:
                    pass
        for waiter in waiters:
            waiter.join()
        for child in children:
            child.returncode = results.get(child.pid, (-9,))[0]


def imported_triples(log_path):
    """The triples `stave import` says it wrote ('FILE: T tests, W lines (kind)')."""
    with open(log_path) as handle:
        text = handle.read()
    for line in text.splitlines():
        if line.endswith('(stave-trace)') and ' tests, ' in line:
            return int(line.rsplit(' tests, ', 1)[1].split()[0])
    raise SystemExit('stave import failed (%s):\n%s' % (log_path, text[-3000:]))


def store_size(path):
    """The embedded store file's size once its WAL is checkpointed into it."""
    db = sqlite3.connect(path)
    db.execute('PRAGMA wal_checkpoint(TRUNCATE)')
    db.close()
    return os.path.getsize(path) + (os.path.getsize(path + '-wal') if os.path.exists(path + '-wal') else 0)


# -- 2. import -----------------------------------------------------------------------


def import_figures(work, trace, triples, memory):
    """Step 2: `stave import` of the trace into a new embedded store WORK/map-N.db."""
    store_path = os.path.join(work, 'map-%d.db' % triples)
    remove_store(store_path)
    log_path = os.path.join(work, 'logs', 'import-%d.log' % triples)
    log('importing %s' % trace)
    command = import_command('sqlite:///' + store_path, trace, memory)
    wall, [(status, rss, _)] = run_together([command], [log_path], work)
    written = imported_triples(log_path)
    if status != 0 or written != triples:
        raise SystemExit('stave import: exit status %d, %d triples written of %d' % (status, written, triples))
    size = store_size(store_path)
    return store_path, {'import_s': wall, 'import_triples_per_s': triples / wall, 'import_peak_rss_mb': rss,
                        'store_bytes': size, 'bytes_per_triple': size / triples}


# -- 3. tests_for ------------------------------------------------------------------------


def percentile(sorted_values, share):
    return sorted_values[min(len(sorted_values) - 1, int(len(sorted_values) * share))]


def tests_for_figures(store_path, meta, probes, cold=50):
    """Step 3: tests_for on `probes` recorded pairs (half hot, half not), in
    one process (test ids, once looked up, are kept for the process, as in
    the shell and stave web); then on `cold` hot pairs, each as the first
    question of a process (the kept test ids forgotten before each)."""
    from stave.testmap import queries
    rng = random.Random(5)
    half = probes // 2
    pairs = ([('hot',) + p for p in probe_pairs(meta['probes']['hot'], half, rng)]
             + [('normal',) + p for p in probe_pairs(meta['probes']['normal'], probes - half, rng)])
    rng.shuffle(pairs)
    times, answers = {'hot': [], 'normal': []}, {'hot': 0, 'normal': 0}
    with connect('sqlite:///' + store_path) as store:
        test_map = TestMap(store)
        for _, path, line in pairs[:20]:  # untimed: opens the tables
            test_map.tests_for(path, line)
        for kind, path, line in pairs:
            started = time.perf_counter()
            found = test_map.tests_for(path, line)
            times[kind].append((time.perf_counter() - started) * 1000)
            if not found:
                raise SystemExit('tests_for(%r, %d) found no test: the map lacks a recorded line' % (path, line))
            answers[kind] += len(found)
        firsts = []
        for _, path, line in [pair for pair in pairs if pair[0] == 'hot'][:cold]:
            queries._NAMES.clear()
            started = time.perf_counter()
            TestMap(store).tests_for(path, line)
            firsts.append((time.perf_counter() - started) * 1000)
    firsts.sort()
    figures = {'tests_for_calls': len(pairs), 'tests_for_cold_calls': len(firsts),
               'tests_for_cold_hot_p50_ms': percentile(firsts, 0.5),
               'tests_for_cold_hot_p99_ms': percentile(firsts, 0.99)}
    for kind, values in [('', times['hot'] + times['normal'])] + sorted(times.items()):
        values.sort()
        name = 'tests_for_%s' % (kind + '_' if kind else '')
        figures[name + 'p50_ms'] = percentile(values, 0.5)
        figures[name + 'p99_ms'] = percentile(values, 0.99)
        if kind:
            figures['tests_for_%s_tests_per_call' % kind] = answers[kind] / float(len(values) or 1)
    return figures


# -- 4. selection ------------------------------------------------------------------------------


def git(repo, *args):
    subprocess.run(['git', '-c', 'user.email=bench@stave', '-c', 'user.name=bench', '-c', 'commit.gpgsign=false']
                   + list(args), cwd=repo, check=True, capture_output=True)


def selection_figures(work, store_path, meta, triples, runs=5):
    """Step 4: a git repository of the map's repository files (their recorded
    content), committed, then 10 recorded lines of each changed in the working
    tree; select_for_diff against HEAD, median of `runs`."""
    repo = fresh_dir(os.path.join(work, 'repo-%d' % triples))
    git(repo, 'init', '-q')
    for item in meta['repo']:
        full = os.path.join(repo, item['path'])
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, 'w', newline='') as out:
            out.write(item['content'])
    git(repo, 'add', '-A', 'pkg')
    git(repo, 'commit', '-qm', 'the recorded files')
    changed = 0
    for item in meta['repo']:
        lines = item['content'].split('\n')
        for number in item['changed']:
            lines[number - 1] += '  # changed'
        changed += len(item['changed'])
        with open(os.path.join(repo, item['path']), 'w', newline='') as out:
            out.write('\n'.join(lines))
    times = []
    with connect('sqlite:///' + store_path) as store:
        for _ in range(runs):
            started = time.perf_counter()
            selection = select_for_diff(TestMap(store), 'HEAD', repo)
            times.append((time.perf_counter() - started) * 1000)
    rules = {}
    for _, rule, _ in selection.explained():
        rules[str(rule)] = rules.get(str(rule), 0) + 1
    return {'selection_ms': statistics.median(times), 'selection_runs_ms': times,
            'selection_changed_lines': changed, 'selection_files': len(meta['repo']),
            'selection_hot_files': sum(1 for item in meta['repo'] if item['hot']),
            'selection_tests': len(selection.sorted_tests()), 'selection_rules': rules,
            'selection_notes': selection.notes}


# -- 1-4 at one size ---------------------------------------------------------------------------


def map_figures(work, triples, args, memory):
    """Steps 1 to 4 for a map of `triples` triples: its figures."""
    started = time.perf_counter()
    trace, meta = cached_trace(work, 'map-%d' % triples, triples, triples // TRIPLES_PER_FILE, 0,
                               seed=1000, probes=2000)
    figures = {'triples': triples, 'trace': trace, 'trace_version': TRACE_VERSION, 'trace_cached': meta['cached'],
               'trace_s': time.perf_counter() - started, 'trace_mb': meta['bytes'] / 1e6, 'tests': meta['tests'],
               'files': meta['files'], 'hot_files': meta['hot_files'], 'records': meta['records']}
    log('trace: %s (%s, %.0f MB)' % (trace, 'cached' if meta['cached'] else 'written in %.0f s' % figures['trace_s'],
                                     figures['trace_mb']))
    store_path, found = import_figures(work, trace, triples, memory)
    figures.update(found)
    log('imported in %.1f s; tests_for' % found['import_s'])
    figures.update(tests_for_figures(store_path, meta, args.probes))
    log('selection')
    figures.update(selection_figures(work, store_path, meta, triples))
    return figures


# -- 5. shards -------------------------------------------------------------------------------------


def shard_traces(work, shards, shard_triples):
    """The shard trace files: disjoint tests (shard k's numbered from k * 1,000,000)
    over one set of files sized for all the shards' triples."""
    files = shards * shard_triples // TRIPLES_PER_FILE
    found = []
    for shard in range(shards):
        trace, meta = cached_trace(work, 'shard-%dx%d-%d' % (shards, shard_triples, shard), shard_triples, files,
                                   first_test=shard * 1000000, seed=500 + shard)
        found.append((trace, meta))
    return found


def check_cells(url, expected):
    """The map's stats (TestMap.stats()) through `url`: tests and cells, and whether the cells are `expected`."""
    started = time.perf_counter()
    with connect(url) as store:
        stats = TestMap(store).stats()
    return {'cells': stats['cells'], 'tests': stats['tests'], 'cells_ok': stats['cells'] == expected,
            'stats_s': time.perf_counter() - started}


def shard_run(name, url, traces, memory, work, single_rate):
    """Every shard's `stave import` into `url` at once: the figures of one store."""
    total = sum(meta['key']['triples'] for _, meta in traces)
    logs = [os.path.join(work, 'logs', 'shard-%s-%d.log' % (name.replace(' ', '-'), k)) for k in range(len(traces))]
    log('%d shard imports at once into %s (%s)' % (len(traces), name, url))
    wall, results = run_together([import_command(url, trace, memory) for trace, _ in traces], logs, work)
    figures = {'url': url, 'wall_s': wall, 'triples': total, 'triples_per_s': total / wall,
               'vs_single_writer': total / wall / single_rate, 'exit_statuses': [s for s, _, _ in results],
               'peak_rss_mb': max(rss for _, rss, _ in results), 'ends_s': sorted(end for _, _, end in results)}
    failed = [path for path, (status, _, _) in zip(logs, results) if status != 0]
    if failed:
        with open(failed[0]) as handle:
            figures['failed'] = '%d of %d imports failed; %s ends: %s' % (
                len(failed), len(traces), failed[0], (handle.read().strip().splitlines() or [''])[-1])
        log(figures['failed'])
    log('%s: %.1f s; checking the cells' % (name, wall))
    figures.update(check_cells(url, total))
    return figures


def shard_figures(work, args, memory, single_rate):
    """Step 5 on each store: {store: figures or {'skipped': why}}."""
    traces = shard_traces(work, args.shards, args.shard_triples)
    results = {}
    store_path = os.path.join(work, 'shards-%d.db' % args.shard_triples)
    remove_store(store_path)
    # Each import is one transaction, the others waiting for its lock: a limit of 600 s on
    # that wait (60 s by default) so that a slow machine measures rather than fails.
    results['embedded'] = shard_run('embedded', 'sqlite:///%s?timeout=600' % store_path, traces, memory, work,
                                    single_rate)
    from thrift_serving import Served
    served = Served(fresh_dir(os.path.join(work, 'serve-%d' % args.shard_triples)))
    try:
        results['stave serve'] = shard_run('stave serve', served.url(), traces, memory, work, single_rate)
    finally:
        served.stop()
    if args.no_hbase:
        results['HBase'] = {'skipped': '--no-hbase'}
        return results
    from hbase_bench import HBase
    hbase = HBase(fresh_dir(os.path.join(work, 'hbase-%d' % args.shard_triples)))
    try:
        log('starting HBase (hbase/local.py)')
        try:
            hbase.start()
        except SystemExit as exc:  # hbase_bench's HBase.start: 'HBase did not start:' and local.py's reason
            reason = [line for line in str(exc).splitlines()[1:] if line.strip()] or [str(exc)]
            results['HBase'] = {'skipped': reason[0].strip()}  # e.g. 'local.py: HBase did not start: no JDK ...'
            log(results['HBase']['skipped'])
            return results
        results['HBase'] = shard_run('HBase', hbase.thrift, traces, memory, work, single_rate)
    finally:
        hbase.stop()
    return results


# -- the table -----------------------------------------------------------------------------------

ROWS = [  # (label, figure, format, target)
    ('tests / files (hot files)', None, None, ''),
    ('trace file, MB', 'trace_mb', '{:,.0f}', ''),
    ('import, s', 'import_s', '{:,.1f}', ''),
    ('import, triples/s', 'import_triples_per_s', '{:,.0f}', ''),
    ('import, peak RSS, MB', 'import_peak_rss_mb', '{:,.0f}', ''),
    ('store file, bytes/triple', 'bytes_per_triple', '{:.1f}', '<= 25'),
    ('tests_for p50, ms', 'tests_for_p50_ms', '{:.2f}', '<= 1'),
    ('tests_for p99, ms', 'tests_for_p99_ms', '{:.2f}', '<= 5'),
    ('  hot files: p50 / p99, ms', ('tests_for_hot_p50_ms', 'tests_for_hot_p99_ms'), '{:.2f}', ''),
    ('  other files: p50 / p99, ms', ('tests_for_normal_p50_ms', 'tests_for_normal_p99_ms'), '{:.2f}', ''),
    ('  tests per answer, hot / other', ('tests_for_hot_tests_per_call', 'tests_for_normal_tests_per_call'),
     '{:,.0f}', ''),
    ('  first in a process, hot: p50 / p99', ('tests_for_cold_hot_p50_ms', 'tests_for_cold_hot_p99_ms'), '{:.2f}',
     ''),
    ('selection, 50-line diff, ms', 'selection_ms', '{:,.1f}', '<= 200'),
    ('  tests selected', 'selection_tests', '{:,}', ''),
]


def cell(figures, key, fmt):
    if key is None:
        return '{:,} / {:,} ({})'.format(figures['tests'], figures['files'], figures['hot_files'])
    if isinstance(key, tuple):
        return ' / '.join(fmt.format(figures[k]) for k in key)
    return fmt.format(figures[key])


def verdict(figures, key):
    target = TARGETS.get(key) if isinstance(key, str) else None
    return '' if target is None else ('met' if figures[key] <= target else 'MISSED')


def print_table(report):
    """The figures of every size, and the shards', as one table."""
    sizes = sorted(report['maps'], key=int)
    big = report['maps'][sizes[-1]]
    print('\nstave at scale: CPython %s, SQLite %s, %d cores; trace format version %d; %s' % (
        report['python'], report['sqlite'], report['cores'], report['trace_version'], report['work']))
    print('import: `stave import`%s as a subprocess; tests_for: %d calls in one process (test ids kept once '
          'looked up), and %d as the first of a process; selection: median of 5'
          % (' --memory %d' % report['memory'], big['tests_for_calls'], big['tests_for_cold_calls']))
    header = '\n%-34s' % 'map of N triples' + ''.join('%20s' % '{:,}'.format(int(n)) for n in sizes)
    print(header + ('%10s' % 'growth' if len(sizes) > 1 else '') + '%9s %s' % ('target', ''))
    for label, key, fmt, target in ROWS:
        line = '%-34s' % label + ''.join('%20s' % cell(report['maps'][n], key, fmt) for n in sizes)
        if len(sizes) > 1:
            small = report['maps'][sizes[0]]
            line += '%10s' % ('%.2fx' % (big[key] / small[key]) if isinstance(key, str) and small[key] else '')
        print(line + '%9s %s' % (target, verdict(big, key)))
    rules = ', '.join('rule %s: %d' % item for item in sorted(big['selection_rules'].items()))
    print('(selection: %d lines changed in %d files, %d hot; selected by %s)' % (
        big['selection_changed_lines'], big['selection_files'], big['selection_hot_files'], rules or 'no rule'))
    shards = report.get('shards')
    if not shards:
        return
    single = big['import_triples_per_s']
    print('\n%d shard imports at once, %s triples each (%s in all); ratio to one import\'s %s triples/s above' % (
        report['shards_count'], '{:,}'.format(report['shard_triples']),
        '{:,}'.format(report['shards_count'] * report['shard_triples']), '{:,.0f}'.format(single)))
    print('%-14s %9s %12s %10s %12s %13s %14s %s' % ('store', 'wall s', 'triples/s', 'vs single', 'exits at s',
                                                     'peak RSS MB', 'cells (stats)', 'all there'))
    for name in ('embedded', 'stave serve', 'HBase'):
        found = shards.get(name)
        if found is None:
            continue
        if 'skipped' in found:
            print('%-14s skipped: %s' % (name, found['skipped']))
            continue
        print('%-14s %9.1f %12s %9.2fx %12s %13.0f %14s %s' % (
            name, found['wall_s'], '{:,.0f}'.format(found['triples_per_s']), found['vs_single_writer'],
            '%.0f-%.0f' % (found['ends_s'][0], found['ends_s'][-1]), found['peak_rss_mb'],
            '{:,}'.format(found['cells']), 'yes' if found['cells_ok'] else 'NO'))
        if found.get('failed'):
            print('%-14s %s' % ('', found['failed']))


# -- the run --------------------------------------------------------------------------------------


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--triples', type=int, default=100000000, help='size of the map (default 100M)')
    parser.add_argument('--work', default='/tmp/stave-scale-bench',
                        help='where trace files are cached and stores written (default %(default)s)')
    parser.add_argument('--no-hbase', action='store_true', help='step 5 without the real HBase')
    parser.add_argument('--no-shards', action='store_true', help='skip step 5')
    parser.add_argument('--compare-10m', action='store_true', help='also steps 1-4 at --compare-triples, and ratios')
    parser.add_argument('--compare-triples', type=int, default=10000000, help='the smaller map of --compare-10m')
    parser.add_argument('--shards', type=int, default=8, help='shard writers at once (default 8)')
    parser.add_argument('--shard-triples', type=int,
                        help='triples per shard (default 2M at 100M triples, in proportion to --triples)')
    parser.add_argument('--probes', type=int, default=2000, help='tests_for calls')
    parser.add_argument('--memory', type=int, default=512, help='`stave import --memory MB`')
    args = parser.parse_args()
    if args.shard_triples is None:
        args.shard_triples = max(10000, int(round(2e6 * args.triples / 1e8)))
    work = os.path.abspath(args.work)
    os.makedirs(os.path.join(work, 'logs'), exist_ok=True)
    # SIGTERM as Ctrl-C: the finally clauses stop the servers and the imports either way.
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    memory = args.memory
    sizes = sorted(set([args.triples] + ([args.compare_triples] if args.compare_10m else [])))
    report = {'python': platform.python_version(), 'sqlite': sqlite3.sqlite_version, 'cores': os.cpu_count(),
              'trace_version': TRACE_VERSION, 'work': work, 'memory': memory, 'maps': {}}
    try:
        for triples in sizes:
            report['maps'][str(triples)] = map_figures(work, triples, args, memory)
        if not args.no_shards:
            report.update(shards_count=args.shards, shard_triples=args.shard_triples, shards=shard_figures(
                work, args, memory, report['maps'][str(args.triples)]['import_triples_per_s']))
    except KeyboardInterrupt:
        raise SystemExit('interrupted')
    with open(os.path.join(work, 'figures.json'), 'w') as out:
        json.dump(report, out, indent=1, sort_keys=True)
    print_table(report)
    print('\nfigures: %s' % os.path.join(work, 'figures.json'))


if __name__ == '__main__':
    main()
