"""How fast `stave web` answers on a big map, beside coverage.py's HTML report.

    python bench/web_bench.py [--triples 10000000] [--requests 15]

The map is bench/testmap_bench.py's synthetic suite (about 62k tests over
2,000 modules and a hot helper file, pkg/core.py: 150 lines each run by about
16k tests), plus pkg/big.py, a 5,000-line file that every fifth test runs a
30-line stretch of (about 75 tests a line), making --triples in all. The
source files are written to a temporary project so the pages show them.

Measured, as the server's own time (its Server-Timing header), the median of
--requests requests each:
- the summary the overview and files pages need (one pass over the map, in
  the background), and each page once it is there;
- /file/pkg/big.py and /file/pkg/core.py, with the summary current and
  before it is (then the page reads the file's rows itself);
- one line's tests, a test's lines, and /impact for a 50-line diff.
Beside them: `coverage html --show-contexts` for the one file pkg/big.py
(coverage.py's per-test view, a static report), from a coverage data file
holding the same per-test lines of pkg/big.py and pkg/core.py only.
"""
import argparse
import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
sys.path.insert(0, os.path.join(ROOT, 'bench'))

from testmap_bench import synthetic_records  # noqa: E402

BIG, BIG_LINES, WINDOW = 'pkg/big.py', 5000, 30


def records(triples):
    """The synthetic suite's records, with every fifth test also running 30 lines of pkg/big.py."""
    rng = random.Random(7)
    made, last_test = 0, None
    for record in synthetic_records(triples):
        if made >= triples:
            return
        if record['test'] != last_test:
            last_test = record['test']
            number = int(record['test'].rsplit('_', 1)[1])
            if number % 5 == 0 and made + WINDOW <= triples:
                start = rng.randint(1, BIG_LINES - 2 * WINDOW)
                lines = sorted(rng.sample(range(start, start + 2 * WINDOW), WINDOW))
                made += WINDOW
                yield dict(record, path=BIG, lines=lines)
        take = min(len(record['lines']), triples - made)
        made += take
        yield dict(record, lines=record['lines'][:take])


def write_sources(project):
    """Plausible source for the files the pages show."""
    os.makedirs(os.path.join(project, 'pkg'), exist_ok=True)
    with open(os.path.join(project, BIG), 'w') as handle:
        for n in range(1, BIG_LINES + 1):
            handle.write('def step_%d(values, total=0):\n' % n if n % 10 == 1 else
                         '    total = total + values[%d]  # line %d\n' % (n % 7, n))
    with open(os.path.join(project, 'pkg', 'core.py'), 'w') as handle:
        for n in range(1, 151):
            handle.write('def helper_%d(result):\n' % n if n % 10 == 1 else '    result = result + %d\n' % n)


def content_hashes(project):
    """Trace records of the shown files' content hashes, so selection maps a diff by line."""
    from stave.testmap.blobs import file_blob
    return [{'path': path, 'blob': file_blob(os.path.join(project, path))} for path in (BIG, 'pkg/core.py')]


def summary_ready(base):
    """Whether the pages' summary of the map is current (503 while the first is computed)."""
    try:
        response = urllib.request.urlopen(base + '/api/files')
    except urllib.error.HTTPError as error:
        response = error
    return json.load(response).get('fresh') is True


def server_time(base, path, method='GET', body=None):
    request = urllib.request.Request(base + path, data=body, method=method)
    with urllib.request.urlopen(request, timeout=600) as response:
        response.read()
        timing = response.headers['Server-Timing']
    return float(re.search(r'dur=([\d.]+)', timing).group(1))


def median_ms(base, path, count, **kwargs):
    return statistics.median(server_time(base, path, **kwargs) for _ in range(count))


def coverage_html(project, work, tests):
    """Seconds of `coverage html --show-contexts --include=pkg/big.py` from a
    coverage data file with the per-test lines of pkg/big.py and pkg/core.py."""
    import coverage
    data_file = os.path.join(work, '.coverage')
    data = coverage.CoverageData(basename=data_file)
    for test, files in tests.items():
        data.set_context(test)
        data.add_lines(dict((os.path.join(project, path), lines) for path, lines in files.items()))
    data.write()
    started = time.perf_counter()
    subprocess.run([sys.executable, '-m', 'coverage', 'html', '--show-contexts', '--data-file', data_file,
                    '--include', os.path.join(project, BIG), '-d', os.path.join(work, 'htmlcov')],
                   cwd=project, check=True, capture_output=True)
    return time.perf_counter() - started


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--triples', type=int, default=10000000)
    parser.add_argument('--requests', type=int, default=15, help='requests per page measured (the median counts)')
    args = parser.parse_args()
    from stave.testmap.traces import write_jsonl
    work = tempfile.mkdtemp(prefix='stave-web-bench-')
    project = os.path.join(work, 'project')
    write_sources(project)
    trace, store = os.path.join(work, 'map.jsonl'), os.path.join(work, 'map.db')
    covered = {}  # the per-test lines of pkg/big.py and pkg/core.py, for coverage.py
    with open(trace, 'w') as handle:
        def noted(stream):
            for record in stream:
                if record['path'] in (BIG, 'pkg/core.py'):
                    covered.setdefault(record['test'], {})[record['path']] = record['lines']
                yield record
        write_jsonl(handle, content_hashes(project) + list(noted(records(args.triples))))
    started = time.perf_counter()
    subprocess.run([sys.executable, os.path.join(ROOT, 'stave.py'), '--store', 'sqlite:///' + store, 'import', trace],
                   check=True, capture_output=True)
    print('map: %d triples imported in %.1f s' % (args.triples, time.perf_counter() - started))
    web = subprocess.Popen([sys.executable, os.path.join(ROOT, 'stave.py'), '--store', 'sqlite:///' + store, 'web',
                            '--port', '0', '--root', project], stderr=subprocess.PIPE, text=True)
    try:
        base = re.search(r'(http://[\d.:]+)/', web.stderr.readline()).group(1)
        n = args.requests
        results = {}
        # Before the summary: the file pages read their rows themselves (and the
        # first request starts the summary's pass in the background).
        results['file big.py, no summary yet'] = server_time(base, '/file/' + BIG)
        results['file core.py, no summary yet'] = server_time(base, '/file/pkg/core.py')
        started = time.perf_counter()
        while not summary_ready(base):
            time.sleep(0.5)
        results['summary pass (background), s'] = time.perf_counter() - started
        results['overview'] = median_ms(base, '/', n)
        results['files, first page'] = median_ms(base, '/files', n)
        results['file big.py (5,000 lines)'] = median_ms(base, '/file/' + BIG, n)
        results['file core.py (hot)'] = median_ms(base, '/file/pkg/core.py', n)
        results['line of core.py, 16k tests, page 1'] = median_ms(base, '/line/pkg/core.py?line=75', n)
        results['test page'] = median_ms(base, '/test/tests/test_mod0001.py::test_case_1', n)
        diff = '--- a/pkg/big.py\n+++ b/pkg/big.py\n' + ''.join(
            '@@ -%d +%d @@\n-x\n+y\n' % (line, line) for line in range(100, 1100, 20))
        body = ('diff=' + urllib.request.quote(diff)).encode()
        results['impact of a 50-line diff'] = median_ms(base, '/impact', 3, method='POST', body=body)
    finally:
        web.terminate()
        web.wait()
    coverage_seconds = coverage_html(project, work, covered)
    print('%-40s %10s' % ('stave web, server time', 'ms'))
    for name, value in results.items():
        print('%-40s %10.1f' % (name, value))
    big = results['file big.py (5,000 lines)']
    print('coverage html --show-contexts, pkg/big.py only: %.1f s; stave web\'s page of it: %.0f ms (%.0fx)'
          % (coverage_seconds, big, coverage_seconds * 1000 / big))


if __name__ == '__main__':
    main()
