"""Benchmark of `stave serve`: happybase through the Thrift server, against the
same operations straight on the embedded store.

    python bench/thrift_bench.py [--rows 200000] [--runs 3] [--dir DIR]

The server runs as a real `stave serve` subprocess on a free loopback port,
over its own embedded store file; the client is happybase in this process.
Measured, for buffered/binary and framed/binary: batch puts of 1-column rows
(cells/s) and a full 1-column scan (rows/s); the same batch puts and scan
through stave's embedded store directly give the ratios. Median of --runs,
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


def rows_of(count):
    return [(b'app/mod%03d.py:%06d' % (i // 1000, i % 1000 + 1), b'tests/test_%07d' % i) for i in range(count)]


def put_and_scan(table, rows):
    """(seconds for the batch puts, seconds and row count of a full scan) on a happybase-shaped table."""
    started = time.perf_counter()
    with table.batch(batch_size=BATCH_CELLS) as batch:
        for key, value in rows:
            batch.put(key, {b'f:t': value})
    put_seconds = time.perf_counter() - started
    started = time.perf_counter()
    count = sum(1 for _ in table.scan(columns=[b'f:t'], batch_size=1000))
    return put_seconds, time.perf_counter() - started, count


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


def run_once(directory, rows, run):
    """One measurement of every configuration: {name: (cells/s put, rows/s scan)}."""
    results = {}
    with connect('sqlite:///' + os.path.join(directory, 'direct%d.db' % run)) as store:
        store.create_table('bench', {'f': {'max_versions': 1}})
        put_s, scan_s, count = put_and_scan(store.table('bench'), rows)
        assert count == len(rows)
        results['embedded, direct'] = (len(rows) / put_s, count / scan_s)
    server = Server(os.path.join(directory, 'served%d.db' % run), os.path.join(directory, 'serve.log'))
    try:
        for transport, protocol in PAIRS:
            name = '%s_%s' % (transport, protocol)
            connection = happybase.Connection('127.0.0.1', server.port, transport=transport, protocol=protocol)
            connection.create_table(name, {'f': {'max_versions': 1}})
            put_s, scan_s, count = put_and_scan(connection.table(name), rows)
            assert count == len(rows)
            results['stave serve, %s/%s' % (transport, protocol)] = (len(rows) / put_s, count / scan_s)
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
    rows = rows_of(args.rows)
    runs = []
    try:
        for run in range(args.runs):
            runs.append(run_once(directory, rows, run))
            print('run %d/%d done' % (run + 1, args.runs), file=sys.stderr)
    finally:
        if not args.dir:
            shutil.rmtree(directory, ignore_errors=True)
    base_put, base_scan = (statistics.median(r['embedded, direct'][i] for r in runs) for i in (0, 1))
    print('%d one-column rows, batches of %d cells, median of %d runs' % (args.rows, BATCH_CELLS, args.runs))
    print('%-32s %14s %8s %14s %8s' % ('', 'puts cells/s', 'ratio', 'scan rows/s', 'ratio'))
    for name in runs[0]:
        put, scan = (statistics.median(r[name][i] for r in runs) for i in (0, 1))
        print('%-32s %14.0f %7.2fx %14.0f %7.2fx' % (name, put, put / base_put, scan, scan / base_scan))
    print('targets through the server: puts >= 50000 cells/s, scans >= 100000 rows/s')


if __name__ == '__main__':
    main()
