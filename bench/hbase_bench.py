"""stave against a real HBase 2.6: Thrift puts and scans, a test-map import
over thrift:// and hbase://, beside HBase's own write floor, in one run.

    python3 bench/hbase_bench.py [--quick] [--triples 2000000] [--cells 100000] [--runs 3]

Starts its own standalone HBase (hbase/local.py, in a temporary folder, with
its Thrift1 server in buffered/binary mode) and always stops it. Measured
against that one HBase:

1. happybase batch puts (1-column and 4-column rows, batches of 1000 cells)
   and a one-column scan, through HBase's own Thrift server, through
   `stave serve` (a subprocess over its own embedded file) and straight on
   the embedded store; medians of --runs, interleaved; ratios to HBase's Thrift.
2. HBase's write floor: bench/java/HBaseWriteFloor.java (compiled at bench
   time into build/hbase-floor), a bare BufferedMutator loop writing exactly
   the cells the test-map import below writes (rows, qualifiers, values, stamp).
3. A test-map import of --triples (test, path, line) triples from a stave
   trace file (bench/testmap_bench.py's synthetic suite), as `stave import`
   does it (read the file, one MapWriter.write), through thrift:// on CPython
   and through hbase:// on Jython (HBase's Java client, BufferedMutator), in
   triples/s and as a ratio to the floor. A failed import is reported with
   the HBase Thrift server's own error, and the run goes on.
4. tests_for(path, line) p50/p99 on each imported map.
5. The JVM shell's start-up to a ready prompt on hbase:// (in a pseudo-terminal).

Needs the HBase jars (`ant hbase-jars`), a JDK, Jython and sqlite-jdbc
(./classpath); runs `ant site` (the shell's Python 2 packages) if missing.
"""
import argparse
import json
import os
import re
import shutil
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import time

import happybase
import pexpect

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from hbase.local import JDK_FLAGS  # noqa: E402
from stave.jvm import JVM_FLAGS  # noqa: E402
from stave.store import connect  # noqa: E402
from stave.testmap import keys  # noqa: E402
from stave.testmap.layout import LINES, TEST_KEYS, TESTS, ensure_layout  # noqa: E402
from stave.testmap.traces import read_jsonl, write_jsonl  # noqa: E402
from testmap_bench import synthetic_records  # noqa: E402
from thrift_bench import BATCH_CELLS, Server, measure, rows_of  # noqa: E402

LOCAL = os.path.join(ROOT, 'hbase', 'local.py')
JARS = os.path.join(ROOT, 'build', 'hbase-jars')
FLOOR_SOURCE = os.path.join(ROOT, 'bench', 'java', 'HBaseWriteFloor.java')
FLOOR_CLASSES = os.path.join(ROOT, 'build', 'hbase-floor')
TARGETS = {'hbase://': 0.5, 'thrift://': 0.25}  # import triples/s as a share of the floor's
STAMP = 1  # the writer's first stamp on a fresh map (tm_meta's m:stamp counter)

# The import, as `stave import` runs it (stave/cli/testmap_commands.py), then
# tests_for probes; portable, run by CPython (thrift://) and Jython (hbase://).
WORKLOAD = r'''
import json, random, sys, time
root, url, prefix, trace, probes = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])
sys.path.insert(0, root)
from stave.compat import paused_gc
from stave.store import connect
from stave.testmap import MapWriter, TestMap
from stave.testmap.importers import read_traces
from stave.testmap.layout import ensure_layout
started = time.time()
store = connect(url, table_prefix=prefix)
ensure_layout(store)  # creating the tables is not import throughput
connected = time.time()
with paused_gc():
    kind, traces = read_traces(trace, root)
    read = time.time()
    writer = MapWriter(store)
    with store.transaction():
        written = writer.write(traces.lines, traces.results, traces.blobs, test_blobs=traces.test_blobs)
    wrote = time.time()
writer.record_run(finished=time.time(), command='hbase_bench')
rows = sorted(set((path, line) for files in traces.lines.values() for path, lines in files.items() for line in lines))
rng = random.Random(5)
probe = [rows[rng.randrange(len(rows))] for _ in range(probes)]
test_map = TestMap(store)
answers = len(test_map.tests_for(*probe[0]))  # opens the table, fills the test-name cache
samples = []
for path, line in probe:
    began = time.time()
    answers += len(test_map.tests_for(path, line))
    samples.append(time.time() - began)
samples.sort()
store.close()
print('RESULT ' + json.dumps({
    'connect_s': connected - started, 'read_s': read - connected, 'write_s': wrote - read, 'triples': written,
    'tests': len(traces.lines), 'p50_ms': samples[len(samples) // 2] * 1000,
    'p99_ms': samples[int(len(samples) * 0.99)] * 1000, 'answers': answers}))
'''


class HBase(object):
    """A standalone HBase from hbase/local.py in a temporary folder; stop() always."""

    def __init__(self, directory):
        self.directory = directory
        self.started = False

    def start(self):
        self.started = True  # a half-started HBase is stopped too
        began = time.time()
        result = subprocess.run([sys.executable, LOCAL, 'start', '--dir', self.directory, '--thrift', 'buffered-binary'],
                                capture_output=True, text=True)
        if result.returncode != 0:
            raise SystemExit('HBase did not start:\n' + result.stderr)
        urls = result.stdout.split()
        self.thrift = [u for u in urls if u.startswith('thrift://')][0]
        self.hbase = [u for u in urls if u.startswith('hbase://')][0]
        self.thrift_port = int(self.thrift.rpartition(':')[2])
        self.zk_port = int(self.hbase.rpartition(':')[2])
        print('HBase up in %.1f s: %s %s' % (time.time() - began, self.thrift, self.hbase), file=sys.stderr)

    def stop(self):
        if self.started:
            self.started = False
            subprocess.run([sys.executable, LOCAL, 'stop', '--dir', self.directory], capture_output=True)


def jvm_classpath():
    """./classpath (Jython, sqlite-jdbc, jansi) plus HBase's jars from build/hbase-jars."""
    base = subprocess.run([os.path.join(ROOT, 'classpath')], capture_output=True, text=True).stdout.strip()
    parts = [p for p in base.split(':') if p]
    have = set(os.path.basename(p) for p in parts)
    parts += [os.path.join(JARS, name) for name in sorted(os.listdir(JARS))
              if name.endswith('.jar') and name not in have]
    return ':'.join(parts)


def jython_command(classpath):
    # -Xmx: Jython holds the whole parsed trace file, as CPython does (about 1.7 GB per 10M triples there).
    return ['java'] + JVM_FLAGS + ['-Xmx4g', '-cp', classpath, 'org.python.util.jython']


# -- 1. happybase puts and scans ---------------------------------------------------


def thrift_figures(hbase, directory, cells, runs):
    """{configuration: {figure: median}} for HBase's Thrift, stave serve and the embedded store."""
    narrow, wide = rows_of(cells, 1), rows_of(cells // 4, 4)
    results = {}
    for run in range(runs):
        connection = happybase.Connection('127.0.0.1', hbase.thrift_port)
        results.setdefault('HBase Thrift server', []).append(measure(connection, 'hb%d' % run, narrow, wide))
        connection.close()
        server = Server(os.path.join(directory, 'served%d.db' % run), os.path.join(directory, 'serve.log'))
        try:
            connection = happybase.Connection('127.0.0.1', server.port)
            results.setdefault('stave serve (embedded file)', []).append(
                measure(connection, 'served', narrow, wide))
            connection.close()
        finally:
            server.stop()
        with connect('sqlite:///' + os.path.join(directory, 'direct%d.db' % run)) as store:
            results.setdefault('embedded store, direct', []).append(measure(store, 'direct', narrow, wide))
        print('happybase figures: run %d/%d done' % (run + 1, runs), file=sys.stderr)
    return dict((name, dict((figure, statistics.median(r[figure] for r in found)) for figure in found[0]))
                for name, found in results.items())


# -- 2. the floor ------------------------------------------------------------------


def floor_cells(traces, path, run_id=b'hbase_bench'):
    """Write to `path` the cells MapWriter.write(traces) writes into a fresh map
    (stave/testmap/writer.py), in its order: the lines table by row, then tests,
    then test keys. Returns (cells, line cells)."""
    by_key = sorted((keys.test_key(test_id), test_id.encode('utf-8'), test_id) for test_id in traces.lines)
    lines, tests, test_keys = {}, [], []
    for key, name, test_id in by_key:
        files = dict((keys.normalise_path(p), sorted(set(found))) for p, found in traces.lines[test_id].items() if found)
        for file_path, found in files.items():
            rows = lines.setdefault(file_path, {})
            for line in found:
                rows.setdefault(line, []).append(key)
        data = {b'i:key': key, b'i:run': run_id}
        result = traces.results.get(test_id) or {}
        for field in ('outcome', 'duration'):
            if result.get(field) is not None:
                data[b'i:' + field.encode('ascii')] = str(result[field]).encode('utf-8')
        for file_path, found in files.items():
            data[b'l:' + file_path.encode('utf-8')] = keys.pack_lines(found)
        tests.append((name, data))
        test_keys.append((key, {b'n:id': name}))
    names = [LINES, TESTS, TEST_KEYS]
    cells = line_cells = 0
    with open(path, 'wb') as out:
        out.write(struct.pack('>qi', STAMP, len(names)))
        for name in names:
            encoded = name.encode('utf-8') if isinstance(name, str) else name
            out.write(struct.pack('>H', len(encoded)) + encoded)
        for file_path in sorted(lines):
            prefix, rows = keys.file_prefix(file_path), lines[file_path]
            for line in sorted(rows):
                row = prefix + b'%06d' % line
                test_keys_of_line = rows[line]
                out.write(struct.pack('>bi', 0, len(row)) + row + struct.pack('>i', len(test_keys_of_line)))
                out.write(b''.join(b'\x00\x01t\x00\x00\x00\x08' + k + b'\x00\x00\x00\x00' for k in test_keys_of_line))
                line_cells += len(test_keys_of_line)
        cells += line_cells
        for index, table_rows in ((1, tests), (2, test_keys)):
            for row, data in table_rows:
                out.write(struct.pack('>bi', index, len(row)) + row + struct.pack('>i', len(data)))
                for column, value in sorted(data.items()):
                    family, _, qualifier = column.partition(b':')
                    out.write(struct.pack('>h', len(family)) + family + struct.pack('>i', len(qualifier)) + qualifier
                              + struct.pack('>i', len(value)) + value)
                cells += len(data)
    return cells, line_cells


def compile_floor():
    os.makedirs(FLOOR_CLASSES, exist_ok=True)
    subprocess.run(['javac', '-nowarn', '-d', FLOOR_CLASSES, '-cp', os.path.join(JARS, '*'), FLOOR_SOURCE],
                   check=True, capture_output=True, text=True)


def run_floor(hbase, prefix, cells_path):
    """(seconds, cells) of one floor run into fresh tables PREFIX_tm_*."""
    with connect(hbase.thrift, table_prefix=prefix) as store:
        ensure_layout(store)  # the same tables and families as the map's
    command = (['java', '-Xmx2g'] + JDK_FLAGS + ['-cp', FLOOR_CLASSES + ':' + os.path.join(JARS, '*'),
               'HBaseWriteFloor', '127.0.0.1', str(hbase.zk_port), prefix + '_', cells_path])
    result = subprocess.run(command, capture_output=True, text=True)
    found = re.search(r'^FLOOR (.*)$', result.stdout, re.M)
    if result.returncode != 0 or not found:
        raise SystemExit('the floor failed:\n' + result.stdout[-3000:] + result.stderr[-3000:])
    figures = json.loads(found.group(1))
    return figures['seconds'], figures['cells']


# -- 3, 4. imports and tests_for ------------------------------------------------------


def run_import(command, url, prefix, trace, probes, directory):
    """The workload's figures, or {'failed': reason, 'wall_s': seconds}."""
    script = os.path.join(directory, 'workload.py')
    with open(script, 'w') as out:
        out.write(WORKLOAD)
    began = time.time()
    result = subprocess.run(command + [script, ROOT, url, prefix, trace, str(probes)],
                            capture_output=True, text=True)
    wall = time.time() - began
    found = re.search(r'^RESULT (.*)$', result.stdout, re.M)
    if result.returncode != 0 or not found:
        errors = [line for line in result.stderr.splitlines() if re.match(r'^[\w.]+(Error|Exception)\b', line)]
        print('the import through %s failed after %.0f s:\n%s' % (url, wall, result.stderr[-2000:]), file=sys.stderr)
        reason = errors[-1].split(' (hint:')[0] if errors else 'exit status %s' % result.returncode
        return {'failed': re.sub(r'^[\w.]+\.(\w+(Error|Exception))', r'\1', reason), 'wall_s': wall}
    figures = json.loads(found.group(1))
    figures['wall_s'] = wall
    return figures


def thrift_server_errors(hbase):
    """The java.lang.*Error lines of HBase's Thrift server log (an OutOfMemoryError, say)."""
    path = os.path.join(hbase.directory, 'logs', 'thrift-buffered-binary.log')
    try:
        with open(path, errors='replace') as log:
            return sorted(set(m.group(0) for m in re.finditer(r'java\.lang\.\w+Error[^\n]*', log.read())))
    except OSError:
        return []


# -- 5. JVM shell start-up ------------------------------------------------------------


def to_prompt(classpath, url, directory):
    env = dict(os.environ, STAVE_HISTORY=os.path.join(directory, 'history'))
    command = ['java'] + JVM_FLAGS + ['-cp', classpath, 'org.python.util.jython',
                                      os.path.join(ROOT, 'stave.py'), '--store', url]
    started = time.time()
    child = pexpect.spawn(command[0], command[1:], env=env, cwd=directory, encoding='utf-8', timeout=120)
    try:
        child.expect('>>> ')
        seconds = time.time() - started
        child.sendcontrol('d')
        child.expect(pexpect.EOF)
    finally:
        child.close(force=True)
    return seconds


# -- the run ------------------------------------------------------------------------------


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--quick', action='store_true', help='a smoke run: 200k triples, 20k cells, 1 run')
    parser.add_argument('--triples', type=int, help='triples of the imported map (default 2,000,000)')
    parser.add_argument('--cells', type=int, help='cells per happybase put figure (default 100,000)')
    parser.add_argument('--runs', type=int, help='runs of the happybase figures and of the floor (median; default 3)')
    parser.add_argument('--probes', type=int, default=2000, help='tests_for calls per map')
    parser.add_argument('--startups', type=int, help='JVM shell start-ups (median; default 3)')
    args = parser.parse_args()
    triples = args.triples or (200000 if args.quick else 2000000)
    cells = args.cells or (20000 if args.quick else 100000)
    runs = args.runs or (1 if args.quick else 3)
    startups = args.startups or (1 if args.quick else 3)

    directory = tempfile.mkdtemp(prefix='stave-hbase-bench-')
    hbase = HBase(os.path.join(directory, 'hbase'))
    # SIGTERM as Ctrl-C: the finally below stops HBase either way.
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    try:
        compile_floor()
        trace = os.path.join(directory, 'traces.jsonl')
        with open(trace, 'w') as handle:
            write_jsonl(handle, synthetic_records(triples))
        with open(trace, 'rb') as handle:
            traces = read_jsonl(handle, trace)
        cells_path = os.path.join(directory, 'floor.cells')
        floor_total, floor_lines = floor_cells(traces, cells_path)
        distinct, tests_count = traces.count(), len(traces.lines)
        del traces
        classpath = jvm_classpath()
        if not os.path.isdir(os.path.join(ROOT, 'build', 'jython-site', 'cherrypy')):
            subprocess.run(['ant', '-q', 'site'], cwd=ROOT, check=True)  # the shell's Python 2 packages (ant deps)
        hbase.start()

        happy = thrift_figures(hbase, directory, cells, runs)
        floors = []
        for run in range(runs):
            floors.append(run_floor(hbase, 'floor%d' % run, cells_path))
            print('floor run %d/%d: %.1f s' % (run + 1, runs, floors[-1][0]), file=sys.stderr)
        imports = []  # (name, runtime, figures, note)
        stock = run_import([sys.executable], hbase.thrift, 'thrift', trace, args.probes, directory)
        print('thrift:// import done in %.0f s' % stock['wall_s'], file=sys.stderr)
        if 'failed' in stock:
            reason = '; '.join(thrift_server_errors(hbase)) or stock['failed']
            imports.append(('thrift:// (CPython)', 'thrift://', stock, 'HBase Thrift server: ' + reason))
        else:
            imports.append(('thrift:// (CPython)', 'thrift://', stock, None))
        jvm = run_import(jython_command(classpath), hbase.hbase, 'jvm', trace, args.probes, directory)
        imports.append(('hbase:// (Jython)', 'hbase://', jvm, None))
        print('hbase:// import done in %.0f s' % jvm['wall_s'], file=sys.stderr)
        prompts = [to_prompt(classpath, hbase.hbase, directory) for _ in range(startups)]
    except KeyboardInterrupt:
        print('interrupted: stopping HBase', file=sys.stderr)
        raise SystemExit(130)
    finally:
        hbase.stop()
        shutil.rmtree(directory, ignore_errors=True)

    for _, _, figures, _ in imports:
        assert 'failed' in figures or figures['triples'] == distinct == floor_lines, (figures, distinct, floor_lines)
    floor_seconds = statistics.median(s for s, _ in floors)
    floor_triples = distinct / floor_seconds

    print('\nstave against HBase 2.6.1 standalone (hbase/local.py), CPython %d.%d, one HBase for the whole run'
          % sys.version_info[:2])
    print('\n1. happybase, %s cells per put figure, batches of %d cells; median of %d runs; ratio to HBase Thrift'
          % (format(cells, ','), BATCH_CELLS, runs))
    figures = list(happy['HBase Thrift server'])
    print('%-30s' % '' + ''.join('%24s' % figure for figure in figures))
    for name in ('HBase Thrift server', 'stave serve (embedded file)', 'embedded store, direct'):
        print('%-30s' % name + ''.join('%15.0f (%5.2fx)' % (happy[name][f], happy[name][f] / happy['HBase Thrift server'][f])
                                       for f in figures))

    print('\n2. HBase write floor: bare Java BufferedMutator loop (bench/java/HBaseWriteFloor.java), the import\'s cells')
    print('   %s cells (%s line cells = triples, %s in tm_tests/tm_testkeys); runs: %s s; median %.2f s'
          % (format(floor_total, ','), format(floor_lines, ','), format(floor_total - floor_lines, ','),
             ', '.join('%.2f' % s for s, _ in floors), floor_seconds))
    print('   %s cells/s = %s triples/s' % (format(floor_total / floor_seconds, ',.0f'), format(floor_triples, ',.0f')))

    print('\n3, 4. test-map import of %s triples (%d tests), as `stave import` does it (read the trace file, one write)'
          % (format(distinct, ','), tests_count))
    header = '%-22s %14s %14s %10s %10s %7s %10s %10s'
    print(header % ('', 'import trip/s', 'write trip/s', 'vs floor', 'target', '', 'tests_for', ''))
    print(header % ('', '(read+write)', '(write only)', '(import)', '', 'met', 'p50 ms', 'p99 ms'))
    summary = []
    for name, runtime, figures, note in imports:
        if 'failed' in figures:
            print('%-22s FAILED after %.0f s: %s' % (name, figures['wall_s'], figures['failed']))
            summary.append((name, None, False, runtime))
        else:
            imported = distinct / (figures['read_s'] + figures['write_s'])
            written = distinct / figures['write_s']
            ratio = imported / floor_triples
            met = ratio >= TARGETS[runtime]
            summary.append((name, ratio, met, runtime))
            print('%-22s %14s %14s %9.2fx %10s %7s %10.2f %10.2f' % (
                name, format(imported, ',.0f'), format(written, ',.0f'), ratio, '>= %.2fx' % TARGETS[runtime],
                'met' if met else 'MISSED', figures['p50_ms'], figures['p99_ms']))
    for name, runtime, figures, note in imports:
        if 'failed' not in figures:
            print('   %-20s read %.1f s, write %.1f s (write only: %.2fx of the floor), process wall %.1f s'
                  % (name, figures['read_s'], figures['write_s'], floor_seconds / figures['write_s'], figures['wall_s']))
        if note:
            print('   %-20s %s' % (name, note))

    print('\n5. JVM shell (Jython) start to a ready prompt on hbase://: %s s (median %.2f s of %d)'
          % (', '.join('%.2f' % s for s in prompts), statistics.median(prompts), len(prompts)))

    print('\nsummary')
    print('  %-44s %12s' % ('HBase floor, triples/s', format(floor_triples, ',.0f')))
    for name, ratio, met, runtime in summary:
        print('  %-44s %12s  target >= %.2fx %s' % (name + ' import / floor', 'failed' if ratio is None else
                                                   '%.2fx' % ratio, TARGETS[runtime], 'met' if met else 'MISSED'))
    for name, runtime, figures, note in imports:
        if 'failed' not in figures:
            print('  %-44s %12s' % (name + ' tests_for p50 / p99', '%.2f / %.2f ms' % (figures['p50_ms'],
                                                                                      figures['p99_ms'])))
    print('  %-44s %12s' % ('JVM shell to prompt on hbase://', '%.2f s' % statistics.median(prompts)))
    print('  %-44s %12s' % ('happybase puts, HBase Thrift / stave serve', '%.0f / %.0f cells/s' % (
        happy['HBase Thrift server']['puts, 1 column'], happy['stave serve (embedded file)']['puts, 1 column'])))

if __name__ == '__main__':
    main()
