"""Benchmark of the embedded store against a plain sqlite3 table, the floor.

    python bench/store_bench.py [--cells 1000000] [--dir DIR]

The data has the test map's shape: rows 'app/modNNN.py:LLLLLL', ten test
columns per row, empty values. The same operations run through stave's
store (happybase API) and through a bare sqlite3 table (row, column, value)
with the same primary key order; the ratios say what stave's HBase semantics
cost on top of SQLite itself.
"""
import argparse
import os
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from stave.store import connect  # noqa: E402

TESTS_PER_ROW = 10
ROWS_PER_FILE = 1000
BATCH_CELLS = 10000


def dataset(cells):
    """[(row key, {column: value})] with TESTS_PER_ROW cells per row."""
    rows = []
    for i in range(cells // TESTS_PER_ROW):
        key = b'app/mod%03d.py:%06d' % (i // ROWS_PER_FILE, i % ROWS_PER_FILE + 1)
        rows.append((key, dict((b't:tests/test_mod%03d.py::test_%d' % (i // ROWS_PER_FILE, t), b'')
                               for t in range(TESTS_PER_ROW))))
    return rows


def files_of(rows):
    return sorted(set(key.split(b':')[0] + b':' for key, _ in rows))


def timed(function):
    started = time.perf_counter()
    result = function()
    return result, time.perf_counter() - started


def latencies(lookup, keys):
    samples = []
    for key in keys:
        started = time.perf_counter()
        lookup(key)
        samples.append(time.perf_counter() - started)
    samples.sort()
    return statistics.median(samples) * 1e6, samples[int(len(samples) * 0.99)] * 1e6


def file_size(path):
    db = sqlite3.connect(path)
    db.execute('PRAGMA wal_checkpoint(TRUNCATE)')
    db.close()
    return sum(os.path.getsize(path + suffix) for suffix in ('', '-wal') if os.path.exists(path + suffix))


def bench_stave(path, rows, probe_keys, prefixes):
    store = connect('sqlite:///' + path)
    store.create_table('lines', {'t': {'max_versions': 1}})
    table = store.table('lines')
    cells = sum(len(data) for _, data in rows)

    def put_all():
        with table.batch(batch_size=BATCH_CELLS) as batch:
            for key, data in rows:
                batch.put(key, data)
    _, put_s = timed(put_all)
    scanned, scan_s = timed(lambda: sum(len(data) for _, data in table.scan()))
    assert scanned == cells, scanned
    prefixed, prefix_s = timed(lambda: sum(len(data) for p in prefixes for _, data in table.scan(row_prefix=p)))
    median, p99 = latencies(table.row, probe_keys)
    store.close()
    return {'put': cells / put_s, 'scan': scanned / scan_s, 'prefix': prefixed / prefix_s,
            'row_median': median, 'row_p99': p99, 'size': file_size(path) / cells}


def bench_floor(path, rows, probe_keys, prefixes):
    db = sqlite3.connect(path, isolation_level=None)
    db.execute('PRAGMA journal_mode=WAL')
    db.execute('PRAGMA synchronous=NORMAL')
    db.execute('CREATE TABLE cells (row BLOB, col BLOB, value BLOB, PRIMARY KEY (row, col)) WITHOUT ROWID')
    cells = sum(len(data) for _, data in rows)

    def put_all():
        flat = [(key, column, value) for key, data in rows for column, value in data.items()]
        for start in range(0, len(flat), BATCH_CELLS):
            db.execute('BEGIN IMMEDIATE')
            db.executemany('INSERT OR REPLACE INTO cells VALUES (?, ?, ?)', flat[start:start + BATCH_CELLS])
            db.execute('COMMIT')
    _, put_s = timed(put_all)
    scanned, scan_s = timed(lambda: sum(1 for _ in db.execute('SELECT row, col, value FROM cells ORDER BY row, col')))
    assert scanned == cells, scanned

    def prefix_scan(prefix):
        stop = prefix[:-1] + bytes([prefix[-1] + 1])
        return sum(1 for _ in db.execute(
            'SELECT row, col, value FROM cells WHERE row >= ? AND row < ? ORDER BY row, col', (prefix, stop)))
    prefixed, prefix_s = timed(lambda: sum(prefix_scan(p) for p in prefixes))
    median, p99 = latencies(
        lambda key: dict(db.execute('SELECT col, value FROM cells WHERE row = ?', (key,)).fetchall()), probe_keys)
    db.close()
    return {'put': cells / put_s, 'scan': scanned / scan_s, 'prefix': prefixed / prefix_s,
            'row_median': median, 'row_p99': p99, 'size': file_size(path) / cells}


ROWS = [
    # key, label, unit, format, higher is better, target for stave
    ('put', 'batch put', 'cells/s', '{:,.0f}', True, ('>=', 150000)),
    ('scan', 'full scan', 'cells/s', '{:,.0f}', True, ('>=', 300000)),
    ('prefix', 'prefix scan (per file)', 'cells/s', '{:,.0f}', True, ('>=', 300000)),
    ('row_median', 'row() median', 'us', '{:.1f}', False, ('<=', 50)),
    ('row_p99', 'row() p99', 'us', '{:.1f}', False, None),
    ('size', 'file size per cell', 'bytes', '{:.1f}', False, None),
]


def medians(runs):
    return dict((key, statistics.median(run[key] for run in runs)) for key in runs[0])


def report(stave_figures, floor_figures, cells, repeat, out=sys.stdout):
    out.write('embedded store, %s cells (%d per row), CPython %s, SQLite %s, median of %d runs\n\n' % (
        '{:,}'.format(cells), TESTS_PER_ROW, sys.version.split()[0], sqlite3.sqlite_version, repeat))
    header = '{:<24} {:>14} {:>14} {:>10}  {:<8} {}'
    out.write(header.format('operation', 'stave', 'sqlite3 floor', 'ratio', 'unit', 'target') + '\n')
    for key, label, unit, fmt, higher, target in ROWS:
        mine, floor = stave_figures[key], floor_figures[key]
        ratio = mine / floor
        verdict = ''
        if target:
            op, bound = target
            met = mine >= bound if op == '>=' else mine <= bound
            verdict = '%s %s %s' % (op, '{:,}'.format(bound), 'met' if met else 'MISSED')
        out.write(header.format(label, fmt.format(mine), fmt.format(floor), '%.2fx' % ratio, unit, verdict) + '\n')
    out.write('\nratio = stave / floor (throughput: higher is better; latency and size: lower is better)\n')


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--cells', type=int, default=1000000, help='cells to write (default 1,000,000)')
    parser.add_argument('--probes', type=int, default=20000, help='row() lookups to time')
    parser.add_argument('--repeat', type=int, default=3,
                        help='runs of each store, interleaved; medians are reported (default 3)')
    parser.add_argument('--dir', help='where to put the databases (default: a temporary directory)')
    args = parser.parse_args()
    directory = args.dir or tempfile.mkdtemp(prefix='stave-bench-')
    os.makedirs(directory, exist_ok=True)
    try:
        rows = dataset(args.cells)
        random.seed(7)
        probe_keys = [random.choice(rows)[0] for _ in range(args.probes)]
        prefixes = files_of(rows)
        floor_runs, stave_runs = [], []
        for run in range(args.repeat):
            # Interleaved, so that load from elsewhere on the machine hits both alike.
            floor_runs.append(bench_floor(os.path.join(directory, 'floor%d.db' % run), rows, probe_keys, prefixes))
            stave_runs.append(bench_stave(os.path.join(directory, 'stave%d.db' % run), rows, probe_keys, prefixes))
        report(medians(stave_runs), medians(floor_runs), sum(len(d) for _, d in rows), args.repeat)
    finally:
        if not args.dir:
            shutil.rmtree(directory, ignore_errors=True)


if __name__ == '__main__':
    main()
