"""stave on the JVM against CPython: start-up to a ready prompt, embedded puts and scans.

    python bench/jvm_bench.py [--cells 200000] [--runs 3]

Needs Jython, sqlite-jdbc (./classpath) and `ant deps`. Start-up is timed in a
pseudo-terminal, from launch to the shell's prompt, for `jython`'s JVM with
stave's flags and for CPython. Throughput runs the same script under both
runtimes: batch puts of test-map-shaped rows (ten columns each) into a fresh
embedded store, then a full scan; medians of --runs, CPython's as the base.
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time

import pexpect

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from stave.jvm import JVM_FLAGS  # noqa: E402

WORKLOAD = textwrap.dedent('''
    import os, sys, time
    sys.path.insert(0, %(root)r)
    from stave.store import connect
    cells, path = %(cells)d, %(path)r
    rows = [(b'app/mod%%03d.py:%%06d' %% (i // 1000, i %% 1000),
             dict((b't:tests/test_%%d' %% t, b'') for t in range(10))) for i in range(cells // 10)]
    store = connect('sqlite:///' + path)
    store.create_table('bench', {'t': {'max_versions': 1}})
    table = store.table('bench')
    started = time.time()
    with table.batch(batch_size=10000) as batch:
        for key, data in rows:
            batch.put(key, data)
    put = time.time() - started
    started = time.time()
    seen = sum(len(data) for _, data in table.scan())
    scan = time.time() - started
    assert seen == cells, seen
    print('%%f %%f' %% (cells / put, cells / scan))
''')


def jvm_command(classpath):
    return ['java'] + JVM_FLAGS + ['-cp', classpath, 'org.python.util.jython']


def to_prompt(command, env, directory):
    started = time.time()
    child = pexpect.spawn(command[0], command[1:], env=env, cwd=directory, encoding='utf-8', timeout=120)
    child.expect('>>> ')
    seconds = time.time() - started
    child.sendcontrol('d')
    child.expect(pexpect.EOF)
    child.close()
    return seconds


def throughput(command, cells, directory, run):
    path = os.path.join(directory, '%s-%d.db' % (os.path.basename(command[0]), run))
    script = WORKLOAD % {'root': ROOT, 'cells': cells, 'path': path}
    out = subprocess.run(command + ['-c', script], capture_output=True, text=True, check=True).stdout
    return [float(x) for x in out.split()]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--cells', type=int, default=200000)
    parser.add_argument('--runs', type=int, default=3)
    args = parser.parse_args()
    classpath = subprocess.run([os.path.join(ROOT, 'classpath')], capture_output=True, text=True).stdout.strip()
    directory = tempfile.mkdtemp(prefix='stave-jvm-bench-')
    env = dict(os.environ, STAVE_HISTORY=os.path.join(directory, 'history'))
    runtimes = [('CPython %d.%d' % sys.version_info[:2], [sys.executable]), ('Jython (JVM)', jvm_command(classpath))]
    results = {}
    for run in range(args.runs):
        for name, command in runtimes:
            prompt = to_prompt(command + [os.path.join(ROOT, 'stave.py'), '--store', 'sqlite:///s.db'], env, directory)
            put, scan = throughput(command, args.cells, directory, run)
            results.setdefault(name, []).append((prompt, put, scan))
        print('run %d/%d done' % (run + 1, args.runs), file=sys.stderr)
    base = [statistics.median(r[i] for r in results[runtimes[0][0]]) for i in range(3)]
    print('%d cells (10 per row); median of %d runs; ratio to CPython' % (args.cells, args.runs))
    print('%-16s %22s %24s %24s' % ('', 'start to prompt (s)', 'puts cells/s', 'scan cells/s'))
    for name, _ in runtimes:
        prompt, put, scan = [statistics.median(r[i] for r in results[name]) for i in range(3)]
        print('%-16s %14.2f (%5.2fx) %15.0f (%5.2fx) %15.0f (%5.2fx)' % (
            name, prompt, prompt / base[0], put, put / base[1], scan, scan / base[2]))
    print('target: the JVM shell ready in <= 3 s')


if __name__ == '__main__':
    main()
