"""Benchmark of `stave serve`: happybase through the Thrift server, against the
same operations straight on the embedded store.

    python bench/thrift_bench.py [--rows 200000] [--runs 3] [--dir DIR]

The server runs as a real `stave serve` subprocess on a free loopback port,
over its own embedded store file; the client is happybase in this process.
Measured, for buffered/binary and framed/binary: batch puts of 1-column rows
and of 4-column rows (cells/s), and a full scan of one column (rows/s); the
same puts and scan straight on stave's embedded store give the ratios. Median of --runs,
the configurations interleaved so that machine noise hits them alike.
"""
import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

import happybase  # noqa: E402

from stave.store import connect  # noqa: E402

BATCH_CELLS = 1000  # happybase's batch_size counts cells
PAIRS = [('buffered', 'binary'), ('framed', 'binary')]


def rows_of(count, columns):
    """[(row key, {column: value})] with `columns` test-map-like columns each."""
    return [(b'app/mod%03d.py:%06d' % (i // 1000, i % 1000 + 1),
             dict((b'f:t%d' % c, b'tests/test_%07d' % i) for c in range(columns))) for i in range(count)]


def measure(store, name, narrow, wide):
    """{figure: value} for one store: puts of `narrow` and `wide` rows (cells/s) into
    two tables, then a one-column scan of the narrow table (rows/s)."""
    figures = {}
    for label, rows in (('puts, 1 column', narrow), ('puts, 4 columns', wide)):
        table_name = '%s_%d' % (name, len(rows[0][1]))
        store.create_table(table_name, {'f': {'max_versions': 1}})
        table = store.table(table_name)
        started = time.perf_counter()
        with table.batch(batch_size=BATCH_CELLS) as batch:
            for key, data in rows:
                batch.put(key, data)
        figures[label] = len(rows) * len(rows[0][1]) / (time.perf_counter() - started)
    started = time.perf_counter()
    count = sum(1 for _ in store.table('%s_1' % name).scan(columns=[b'f:t0'], batch_size=1000))
    assert count == len(narrow)
    figures['scan rows/s'] = count / (time.perf_counter() - started)
    return figures


class Server(object):
    """`stave serve` in a subprocess, over `store_path`."""

    def __init__(self, store_path, log_path):
        env = dict(os.environ, PYTHONPATH=ROOT)
        self.log_path = log_path
        with open(log_path, 'w') as log:
            self.process = subprocess.Popen(
                [sys.executable, os.path.join(ROOT, 'stave.py'), 'serve', '--store', 'sqlite:///' + store_path,
                 '--port', '0'], stdin=subprocess.DEVNULL, stderr=log, env=env)
        deadline = time.time() + 30
        while time.time() < deadline:
            found = re.search(r'on 127\.0\.0\.1:(\d+) ', open(log_path).read())
            if found:
                self.port = int(found.group(1))
                return
            time.sleep(0.05)
        self.process.kill()
        raise SystemExit('stave serve did not start: %s' % open(log_path).read())

    def stop(self):
        self.process.terminate()
        self.process.wait(30)


def run_once(directory, narrow, wide, run):
    """One measurement of every configuration: {configuration: {figure: value}}."""
    results = {}
    with connect('sqlite:///' + os.path.join(directory, 'direct%d.db' % run)) as store:
        results['embedded, direct'] = measure(store, 'direct', narrow, wide)
    server = Server(os.path.join(directory, 'served%d.db' % run), os.path.join(directory, 'serve.log'))
    try:
        for transport, protocol in PAIRS:
            connection = happybase.Connection('127.0.0.1', server.port, transport=transport, protocol=protocol)
            results['stave serve, %s/%s' % (transport, protocol)] = measure(
                connection, '%s_%s' % (transport, protocol), narrow, wide)
            connection.close()
    finally:
        server.stop()
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--rows', type=int, default=200000)
    parser.add_argument('--runs', type=int, default=3)
    parser.add_argument('--dir', help='where the store files go (default: a temporary directory)')
    args = parser.parse_args()
    directory = args.dir or tempfile.mkdtemp(prefix='stave-thrift-bench-')
    narrow, wide = rows_of(args.rows, 1), rows_of(args.rows // 4, 4)
    runs = []
    try:
        for run in range(args.runs):
            runs.append(run_once(directory, narrow, wide, run))
            print('run %d/%d done' % (run + 1, args.runs), file=sys.stderr)
    finally:
        if not args.dir:
            shutil.rmtree(directory, ignore_errors=True)
    figures = list(runs[0]['embedded, direct'])
    median = dict(((name, figure), statistics.median(r[name][figure] for r in runs))
                  for name in runs[0] for figure in figures)
    print('%d cells per put figure, batches of %d cells; median of %d runs; ratio to the embedded store'
          % (args.rows, BATCH_CELLS, args.runs))
    print('%-30s' % '' + ''.join('%24s' % figure for figure in figures))
    for name in runs[0]:
        print('%-30s' % name + ''.join(
            '%15.0f (%4.2fx)' % (median[name, f], median[name, f] / median['embedded, direct', f]) for f in figures))
    print('targets through the server: puts >= 50000 cells/s, one-column scans >= 100000 rows/s')


if __name__ == '__main__':
    main()
