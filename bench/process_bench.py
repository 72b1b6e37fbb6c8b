"""What recording beyond the pytest process costs: a server, a suite of subprocesses, a child's start-up.

    python bench/process_bench.py [--pythons 3.11,3.12] [--duration 8] [--rounds 3] [--tests 100]

1. Throughput: a small CherryPy app (app.py and a package `work` of a throwaway
   project: handlers that summarise a list of orders, rank customers, render
   an HTML table) started three ways in the same run, interleaved over
   --rounds rounds: plain `python app.py`, `stave record --every 5 -- app.py`
   (into a temporary sqlite store) and `coverage run app.py` (coverage.py's
   default settings: its lines, no per-test context). `wrk` loads it for
   --duration seconds with --connections keep-alive connections after a
   one-second warm-up (a Python client with keep-alive if wrk is missing and
   cannot be installed); a fourth row sends every request with an
   X-Stave-Test header to the app under `stave record` (exact attribution:
   each request traced for its test). Requests/s, median of the rounds, and
   the ratio to plain; the target is at most 10% fewer requests/s than plain
   under `stave record` on 3.12. Then what each one recorded.
2. A suite of --tests tests, each running `python -m pkg.tool N` in a
   subprocess (after building the command in pytest's process with
   pkg/cli.py): plain `pytest`, `pytest --stave`, and `pytest --cov=pkg
   --cov-context=test` with `[run] patch = subprocess` in .coveragerc;
   seconds, median of --suite-rounds, and ratios to plain. Then what each
   recorded: stave, per test, the lines of pkg/tool.py its own subprocess ran
   (compared with a sys.settrace run of the same command); coverage.py, under
   which contexts pkg/tool.py's lines are (read from its .coverage).
3. A child's start-up: `python -c pass` plain, with stave's hook directory on
   PYTHONPATH and STAVE_RECORD unset (stave not recording), and recording for
   a live session made here (stave.collect.session.Session); the same for
   `python -m pkg.tool 3`, which has lines to hand over. Medians of
   --startup-runs runs, interleaved; and the modules a recording child loads
   that a plain one does not (sys.modules), with the hook's import time
   (python -X importtime).

Each interpreter of --pythons (its version: this one, else `pyenv prefix`)
gets CherryPy, coverage >= 7.10, pytest-cov and stave installed with pip if
missing. Everything lives in a temporary directory, servers listen on free
ports of 127.0.0.1, and every process started is ended on the way out. The
children run with bytecode caches (PYTHONDONTWRITEBYTECODE is dropped from
their environment), as an installed package has them.
"""
import argparse
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
STAVE = os.path.join(ROOT, 'stave.py')

from process_bench_projects import (APP, EXPECTED_LINES, HEADER_TEST, PATHS, RENDER, REPORTS,  # noqa: E402
                                    WRK_SCRIPT, make_suite, suite_test_ids, write_files)
from testmap_bench import interpreter  # noqa: E402


# -- processes ----------------------------------------------------------------

def run(command, **kwargs):
    return subprocess.run(command, check=True, capture_output=True, text=True, **kwargs)


VERSIONS = '''\
import json, sys
from importlib import metadata
found = {'python': sys.version.split()[0]}
for name in ('CherryPy', 'cheroot', 'coverage', 'pytest', 'pytest-cov', 'stave'):
    try:
        found[name] = metadata.version(name)
    except metadata.PackageNotFoundError:
        found[name] = None
print(json.dumps(found))
'''


def prepare(python):
    """Versions of what the benchmark uses in `python`, installing what is missing."""
    versions = json.loads(run([python, '-c', VERSIONS]).stdout)
    wanted = []
    if versions['CherryPy'] is None:
        wanted.append('CherryPy')
    coverage = versions['coverage']
    if coverage is None or tuple(int(part) for part in re.findall(r'\d+', coverage)[:2]) < (7, 10):
        wanted += ['coverage>=7.10', 'pytest-cov']  # patch = subprocess came with 7.10
    elif versions['pytest-cov'] is None:
        wanted.append('pytest-cov')
    if versions['pytest'] is None:
        wanted.append('pytest')
    if wanted:
        print('  installing into %s: %s' % (python, ' '.join(wanted)), flush=True)
        run([python, '-m', 'pip', 'install', '-q', '-U'] + wanted)
    if versions['stave'] is None:
        print('  installing stave (editable) into %s' % python, flush=True)
        run([python, '-m', 'pip', 'install', '-q', '-e', ROOT])
    if wanted or versions['stave'] is None:
        versions = json.loads(run([python, '-c', VERSIONS]).stdout)
    return versions


def clean_environment():
    env = dict(os.environ)
    for name in ('STAVE_STORE', 'STAVE_RECORD', 'PYTHONPATH', 'COVERAGE_PROCESS_START', 'COVERAGE_PROCESS_CONFIG',
                 'COVERAGE_FILE', 'PYTHONDONTWRITEBYTECODE'):
        env.pop(name, None)
    return env


def end_process(process, timeout=60):
    """End `process` (a session leader) with SIGTERM, then SIGKILL its group; its exit status."""
    if process.poll() is None:
        try:
            process.send_signal(signal.SIGTERM)
            return process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            pass
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except OSError:
        pass
    return process.wait()


# -- 1. throughput --------------------------------------------------------------

def have_wrk():
    if shutil.which('wrk'):
        return True
    if hasattr(os, 'geteuid') and os.geteuid() == 0 and shutil.which('apt-get'):
        print('wrk is missing: apt-get install wrk', flush=True)
        for command in (['apt-get', 'update', '-qq'], ['apt-get', 'install', '-y', '-qq', 'wrk']):
            if subprocess.run(command, capture_output=True).returncode != 0:
                break
    return shutil.which('wrk') is not None


def wrk_load(base, seconds, connections, headers, script):
    command = ['wrk', '-t1', '-c%d' % connections, '-d%ds' % seconds, '--timeout', '10s', '-s', script]
    for name, value in headers.items():
        command += ['-H', '%s: %s' % (name, value)]
    output = run(command + [base + '/'], timeout=seconds + 60).stdout
    bad = re.search(r'Non-2xx or 3xx responses: (\d+)', output)
    if bad:
        raise RuntimeError('wrk: %s responses were not 2xx:\n%s' % (bad.group(1), output))
    errors = re.search(r'Socket errors: (.*)', output)
    if errors:
        raise RuntimeError('wrk: socket errors (%s):\n%s' % (errors.group(1), output))
    return float(re.search(r'Requests/sec:\s+([\d.]+)', output).group(1))


def _python_client(base, seconds, headers, start, results):
    import http.client
    from urllib.parse import urlsplit
    parts = urlsplit(base)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    start.wait()
    done, errors, index = 0, 0, 0
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        connection.request('GET', PATHS[index % len(PATHS)], headers=headers)
        response = connection.getresponse()
        response.read()
        index += 1
        if response.status == 200:
            done += 1
        else:
            errors += 1
    connection.close()
    results.put((done, errors))


def python_load(base, seconds, connections, headers, script=None):
    """Requests/s from `connections` client processes, each one keep-alive connection."""
    import multiprocessing
    context = multiprocessing.get_context('fork')
    start, results = context.Event(), context.Queue()
    clients = [context.Process(target=_python_client, args=(base, seconds, headers, start, results))
               for _ in range(connections)]
    for client in clients:
        client.start()
    try:
        start.set()
        counts = [results.get(timeout=seconds + 60) for _ in clients]
    finally:
        for client in clients:
            client.join(timeout=5)
            if client.is_alive():
                client.kill()
                client.join()
    if any(errors for _, errors in counts):
        raise RuntimeError('the Python client got %d responses other than 200' % sum(e for _, e in counts))
    return sum(done for done, _ in counts) / seconds


def start_server(command, cwd, env, stderr):
    """The server started by `command` (its stderr into the open file `stderr`) and its base URL."""
    process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=stderr,
                               text=True, start_new_session=True)
    try:
        line = process.stdout.readline()
        if not line.startswith('ready'):
            raise RuntimeError('%s did not start: %r' % (' '.join(command), line))
    except BaseException:
        end_process(process, timeout=10)
        process.stdout.close()
        raise
    return process, 'http://127.0.0.1:%s' % line.split()[1]


def throughput(python, project, work, args, load):
    """{configuration: [requests/s per round]}, and what the last round of each recorded."""
    store = os.path.join(work, 'record.db')
    configs = [
        ('plain python app.py', [python, 'app.py'], {}),
        ('stave record', [python, STAVE, '--store', 'sqlite:///' + store, 'record', '--every', '5', '--',
                          'app.py'], {}),
        ('stave record, X-Stave-Test', [python, STAVE, '--store', 'sqlite:///' + store, 'record', '--every', '5',
                                        '--', 'app.py'], {'X-Stave-Test': HEADER_TEST}),
        ('coverage run', [python, '-m', 'coverage', 'run', 'app.py'], {}),
    ]
    script = os.path.join(work, 'paths.lua')
    with open(script, 'w') as handle:
        handle.write(WRK_SCRIPT)
    env = clean_environment()
    rates = dict((name, []) for name, _, _ in configs)
    recorded = {}
    for round_number in range(args.rounds):
        turn = configs[round_number % len(configs):] + configs[:round_number % len(configs)]  # rotate the order
        for name, command, headers in turn:
            for leftover in [store, store + '-wal', store + '-shm', os.path.join(project, '.coverage')]:
                if os.path.exists(leftover):
                    os.remove(leftover)
            with tempfile.TemporaryFile('w+', dir=work) as stderr:
                try:
                    process, base = start_server(command, project, env, stderr)
                except RuntimeError as error:
                    stderr.seek(0)
                    raise RuntimeError('%s\n%s' % (error, stderr.read()[-3000:]))
                try:
                    load(base, 1, args.connections, headers, script)  # warm-up
                    rates[name].append(load(base, args.duration, args.connections, headers, script))
                finally:
                    status = end_process(process)
                    process.stdout.close()
                stderr.seek(0)
                if status != 0:
                    raise RuntimeError('%s exited with %s:\n%s' % (' '.join(command), status, stderr.read()[-3000:]))
            if round_number == args.rounds - 1 and name != 'plain python app.py':
                recorded[name] = what_was_recorded(python, name, project, store)
    return rates, recorded


def stave_lines(python, project, store, test):
    """{path: lines} of `test` in the map, by `stave query lines-for TEST --format json`."""
    done = subprocess.run([python, STAVE, '--store', 'sqlite:///' + store, 'query', 'lines-for', test,
                           '--format', 'json'], cwd=project, capture_output=True, text=True)
    if done.returncode not in (0, 1):
        raise RuntimeError('stave query lines-for %s: %s' % (test, done.stderr))
    return json.loads(done.stdout or '{}')


def handler_lines():
    return [number for number, text in enumerate(APP.splitlines(), 1) if text.startswith('        return ')]


def describe_files(files, paths=('app.py', 'work/reports.py', 'work/render.py')):
    return ', '.join('%s %d' % (path, len(files.get(path, ()))) for path in paths)


def source_lines(files):
    """{path: sorted lines}, without line 0 (an empty module's) and files without lines."""
    found = dict((path, sorted(line for line in lines if line > 0)) for path, lines in files.items())
    return dict((path, lines) for path, lines in found.items() if lines)


def read_coverage(project):
    """The CoverageData of the project's .coverage (an error if there is none)."""
    from coverage import CoverageData
    path = os.path.join(project, '.coverage')
    if not os.path.exists(path):
        raise RuntimeError('no coverage data file: %s' % path)
    data = CoverageData(basename=path)
    data.read()
    return data


def what_was_recorded(python, name, project, store):
    """({path: lines} of the project's files, recorded for anything; a description)."""
    handlers = set(handler_lines())
    if name == 'coverage run':
        data = read_coverage(project)
        files = dict((os.path.relpath(path, project), set(data.lines(path) or ())) for path in data.measured_files()
                     if path.startswith(project + os.sep))  # the project's (it also measures an editable stave)
        return files, 'lines, for no test: %s; contexts %s' % (describe_files(files), sorted(data.measured_contexts()))
    outside = stave_lines(python, project, store, '<process app.py>')
    if name == 'stave record':
        return outside, '<process app.py>: %s; handler lines %s' % (
            describe_files(outside), 'all there' if handlers <= set(outside.get('app.py', ())) else 'MISSING')
    exact = stave_lines(python, project, store, HEADER_TEST)
    both = dict((path, set(outside.get(path, ())) | set(exact.get(path, ()))) for path in set(outside) | set(exact))
    return both, '%s: %s, handler lines %s; <process app.py> (start-up): %s, handler lines %s' % (
        HEADER_TEST, describe_files(exact), 'all there' if handlers <= set(exact.get('app.py', ())) else 'MISSING',
        describe_files(outside), 'none' if not handlers & set(outside.get('app.py', ())) else 'SOME')


# -- 2. a subprocess per test ---------------------------------------------------

def suite_times(python, project, work, args):
    store = os.path.join(work, 'suite.db')
    configs = [
        ('plain pytest', []),
        ('pytest --stave', ['--stave', '--stave-store', 'sqlite:///' + store]),
        ('pytest-cov, patch = subprocess', ['--cov=pkg', '--cov-context=test', '--cov-report=']),
    ]
    env = clean_environment()
    times = dict((name, []) for name, _ in configs)
    for round_number in range(args.suite_rounds):
        turn = configs[round_number % len(configs):] + configs[:round_number % len(configs)]
        for name, extra in turn:
            # Each run records afresh; the last run's records are checked.
            leftovers = []
            if '--stave' in extra:
                leftovers = [store, store + '-wal', store + '-shm']
            elif extra:
                leftovers = [os.path.join(project, name) for name in os.listdir(project)
                             if name == '.coverage' or name.startswith('.coverage.')]
            for leftover in leftovers:
                if os.path.exists(leftover):
                    os.remove(leftover)
            command = [python, '-m', 'pytest', '-q', '-p', 'no:cacheprovider'] + extra
            started = time.perf_counter()
            done = subprocess.run(command, cwd=project, env=env, capture_output=True, text=True,
                                  timeout=1800, start_new_session=True)
            times[name].append(time.perf_counter() - started)
            if done.returncode != 0 or not re.search(r'\b%d passed' % args.tests, done.stdout):
                raise RuntimeError('%s failed:\n%s' % (' '.join(command), done.stdout[-3000:] + done.stderr[-3000:]))
    return times, store


def expected_tool_lines(python, project, numbers):
    done = run([python, '-c', EXPECTED_LINES, os.path.join(project, 'pkg', 'tool.py')] + [str(n) for n in numbers],
               cwd=project, env=clean_environment())
    return dict((int(n), lines) for n, lines in json.loads(done.stdout).items())


def check_stave(python, project, store, tests):
    """(tests whose pkg/tool.py lines are exactly their subprocess's, tests
    with pkg/cli.py lines, mismatches, an example (test, lines))."""
    from stave.store import connect
    from stave.testmap import TestMap
    ids = suite_test_ids(tests)
    expected = expected_tool_lines(python, project, sorted(ids.values()))
    exact, cli, wrong = 0, 0, []
    with connect('sqlite:///' + store) as connection:
        test_map = TestMap(connection)
        for test, n in sorted(ids.items(), key=lambda item: item[1]):
            files = test_map.lines_for(test)
            if sorted(files.get('pkg/tool.py', ())) == expected[n]:
                exact += 1
            else:
                wrong.append((test, sorted(files.get('pkg/tool.py', ())), expected[n]))
            cli += bool(files.get('pkg/cli.py'))
    examples = []
    for n in (1, 2, 3):  # one of each branch, by the command line
        test = [t for t, m in ids.items() if m == n][0]
        examples.append((test, stave_lines(python, project, store, test)))
    return exact, cli, wrong, examples


def check_coverage(project):
    """What pytest-cov's .coverage holds for pkg/tool.py (the subprocesses) and pkg/cli.py (pytest's process)."""
    data = read_coverage(project)
    found = {'contexts': sorted(data.measured_contexts())}
    for path in ('pkg/tool.py', 'pkg/cli.py'):
        full = os.path.join(project, path)
        by_line = data.contexts_by_lineno(full) if full in data.measured_files() else {}
        contexts = set(context for line_contexts in by_line.values() for context in line_contexts)
        found[path] = (sorted(by_line), sorted(contexts))
    return found


# -- 3. a child's start-up ------------------------------------------------------

def startup(python, project, runs):
    from stave.collect.child import HOOK_DIRECTORY
    from stave.collect.session import Session
    session = Session(project, 'process-bench')
    try:
        plain = clean_environment()
        hook = dict(plain, PYTHONPATH=HOOK_DIRECTORY)
        recording = dict(hook, STAVE_RECORD=session.environment(project, (), (), 1.0))
        modes = [('plain', plain), ('hook, not recording', hook), ('recording', recording)]
        commands = [('python -c pass', [python, '-c', 'pass']),
                    ('python -m pkg.tool 3', [python, '-m', 'pkg.tool', '3'])]
        samples = dict(((label, mode), []) for label, _ in commands for mode, _ in modes)
        for label, command in commands:
            for mode, env in modes:  # once each first: bytecode caches written
                run(command, cwd=project, env=env)
            for _ in range(runs):
                for mode, env in modes:
                    started = time.perf_counter()
                    done = subprocess.run(command, cwd=project, env=env, stdout=subprocess.DEVNULL,
                                          stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
                    samples[label, mode].append(time.perf_counter() - started)
                    if done.returncode != 0 or done.stderr:
                        raise RuntimeError('%s (%s): %s' % (label, mode, done.stderr))
        spooled, _ = session.collect()
        listing = 'import sys; print("\\n".join(sorted(sys.modules)))'
        before = set(run([python, '-c', listing], cwd=project, env=plain).stdout.split())
        with_hook = set(run([python, '-c', listing], cwd=project, env=hook).stdout.split())
        after = set(run([python, '-c', listing], cwd=project, env=recording).stdout.split())
        import_times = {}
        for mode, env in modes[1:]:
            values = []
            for _ in range(5):
                err = run([python, '-X', 'importtime', '-c', 'pass'], cwd=project, env=env).stderr
                found = re.search(r'\|\s*(\d+) \|\s+sitecustomize$', err, re.M)
                values.append(int(found.group(1)) if found else 0)
            import_times[mode] = statistics.median(values)
        session.collect()
    finally:
        session.close()
    medians = dict((key, statistics.median(values)) for key, values in samples.items())
    return medians, sorted(with_hook - before), sorted(after - before), import_times, spooled


def module_summary(modules):
    """'stave.* modules by name, the rest grouped by top-level package with counts."""
    ours = [name for name in modules if name == 'stave' or name.startswith('stave.')]
    groups = {}
    for name in modules:
        if name not in ours:
            top = name.split('.')[0]
            groups[top] = groups.get(top, 0) + 1
    rest = ', '.join('%s%s' % (top, ' (%d)' % count if count > 1 else '') for top, count in sorted(groups.items()))
    return ours, rest


# -- the report -------------------------------------------------------------------

def median(values):
    return statistics.median(values)


def report_python(version, python, args, work, load, load_name):
    versions = prepare(python)
    print('\n=== CPython %s (%s): CherryPy %s, cheroot %s, coverage %s, pytest %s, pytest-cov %s' % (
        versions['python'], python, versions['CherryPy'], versions['cheroot'], versions['coverage'],
        versions['pytest'], versions['pytest-cov']), flush=True)
    results = {'version': versions['python']}
    base = os.path.join(work, version)
    if 'throughput' in args.only:
        project = os.path.join(base, 'web')
        write_files(project, {'app.py': APP, 'work/__init__.py': '', 'work/reports.py': REPORTS,
                              'work/render.py': RENDER, 'pyproject.toml': '[project]\nname = "shop"\nversion = "0"\n'})
        rates, recorded = throughput(python, project, base, args, load)
        plain = median(rates['plain python app.py'])
        print('\nthroughput: %s, %d connections, %d s per run, median of %d rounds (requests/s)\n' % (
            load_name, args.connections, args.duration, args.rounds))
        print('  %-30s %10s %7s   %s' % ('server', 'req/s', 'ratio', 'rounds'))
        for name, values in rates.items():
            print('  %-30s %10.0f %6.3fx   %s' % (name, median(values), median(values) / plain,
                                                ' / '.join('%.0f' % value for value in values)))
        ratio = median(rates['stave record']) / plain
        results['throughput_ratio'] = ratio
        verdict = ('met' if ratio >= 0.9 else 'NOT met') if version == '3.12' else 'the target is set for 3.12'
        print('  stave record: %.1f%% fewer req/s than plain (target: at most 10%% on 3.12): %s' % (
            (1 - ratio) * 100, verdict))
        print('\n  what each recorded (last round):')
        reference = recorded['coverage run'][0]
        for name in rates:
            if name in recorded:
                files, text = recorded[name]
                if name != 'coverage run':
                    same = source_lines(files) == source_lines(reference)
                    text += '; %s' % ('in all, the same lines as coverage run' if same else
                                      'NOT the same lines as coverage run: stave %r, coverage %r' % (
                                          source_lines(files), source_lines(reference)))
                print('  - %s: %s' % (name, text))
    project = os.path.join(base, 'suite')
    if args.only & {'suite', 'startup'}:
        make_suite(project, args.tests)
    if 'suite' in args.only:
        times, store = suite_times(python, project, base, args)
        plain = median(times['plain pytest'])
        print('\na subprocess per test: %d tests, each `python -m pkg.tool N`, median of %d runs (seconds)\n' % (
            args.tests, args.suite_rounds))
        print('  %-32s %8s %7s %13s   %s' % ('run', 'seconds', 'ratio', 'per test', 'rounds'))
        for name, values in times.items():
            extra = (median(values) - plain) / args.tests * 1000
            print('  %-32s %8.2f %6.2fx %+10.1f ms   %s' % (name, median(values), median(values) / plain, extra,
                                                          ' / '.join('%.2f' % value for value in values)))
        exact, cli, wrong, examples = check_stave(python, project, store, args.tests)
        print('\n  what each recorded (last round):')
        print('  - pytest --stave: %d of %d tests have exactly the lines of pkg/tool.py their own subprocess ran '
              '(as sys.settrace sees them), %d have their pkg/cli.py lines' % (exact, args.tests, cli))
        for test, lines, wanted in wrong[:5]:
            print('    MISMATCH %s: recorded %s, expected %s' % (test, lines, wanted))
        for test, files in examples:
            print('    stave query lines-for %s --format json\n      %s' % (test, json.dumps(files, sort_keys=True)))
        found = check_coverage(project)
        tool_lines, tool_contexts = found['pkg/tool.py']
        cli_lines, cli_contexts = found['pkg/cli.py']
        print('  - pytest-cov: %d measured contexts: %d of tests (e.g. %r)%s' % (
            len(found['contexts']), len([c for c in found['contexts'] if c]),
            [c for c in found['contexts'] if c][:1], ' and the empty one' if '' in found['contexts'] else ''))
        print('    pkg/tool.py (the subprocesses): lines %s under contexts %r' % (tool_lines, tool_contexts))
        print('    pkg/cli.py (pytest\'s process): lines %s under %d contexts, e.g. %r' % (
            cli_lines, len(cli_contexts), cli_contexts[:2]))
        results['suite'] = dict((name, median(values) / plain) for name, values in times.items())
        results['suite_exact'] = exact
    if 'startup' in args.only:
        medians, hook_modules, modules, import_times, spooled = startup(python, project, args.startup_runs)
        print('\nchild start-up: median of %d runs each, interleaved (ms)\n' % args.startup_runs)
        print('  %-22s %8s %22s %16s' % ('', 'plain', 'hook, not recording', 'recording'))
        for label in ('python -c pass', 'python -m pkg.tool 3'):
            plain = medians[label, 'plain']
            print('  %-22s %8.1f %13.1f (%+5.1f) %8.1f (%+5.1f)' % (
                label, plain * 1000, medians[label, 'hook, not recording'] * 1000,
                (medians[label, 'hook, not recording'] - plain) * 1000, medians[label, 'recording'] * 1000,
                (medians[label, 'recording'] - plain) * 1000))
        print('  the hook\'s import (-X importtime, cumulative, median of 5): %d us not recording, %d us '
              'recording' % (import_times['hook, not recording'], import_times['recording']))
        print('  modules the hook adds when not recording: %s' % ', '.join(hook_modules))
        ours, rest = module_summary(modules)
        print('  modules a recording child loads that a plain one does not: %d' % len(modules))
        print('    stave\'s (%d): %s' % (len(ours), ', '.join(ours)))
        print('    others: %s' % rest)
        print('  the session received the -m pkg.tool children\'s lines: %s' % (
            'yes, under %s' % ', '.join(sorted(spooled)) if spooled else 'NO'))
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--pythons', default='3.11,3.12', help='interpreter versions, comma-separated '
                        '(default 3.11,3.12; e.g. 3.11,3.12,3.13)')
    parser.add_argument('--duration', type=int, default=8, help='seconds of load per server run (default 8)')
    parser.add_argument('--rounds', type=int, default=3, help='rounds of the three servers (default 3)')
    parser.add_argument('--connections', type=int, default=8, help='keep-alive connections of the load '
                        '(default 8; CherryPy has 10 threads)')
    parser.add_argument('--client', choices=['wrk', 'python'], default='wrk',
                        help='load generator (default wrk, installed with apt-get if missing and root; '
                             'else the Python client)')
    parser.add_argument('--tests', type=int, default=100, help='tests of the subprocess suite (default 100)')
    parser.add_argument('--suite-rounds', type=int, default=3, help='runs of each pytest command (default 3)')
    parser.add_argument('--startup-runs', type=int, default=30, help='runs of each child start-up (default 30)')
    parser.add_argument('--only', default='throughput,suite,startup',
                        help='parts to run, comma-separated (default throughput,suite,startup)')
    args = parser.parse_args()
    args.only = set(args.only.split(','))
    load, load_name = python_load, 'Python client (%d processes, keep-alive)'
    if args.client == 'wrk' and 'throughput' in args.only:
        if have_wrk():
            version = subprocess.run(['wrk', '-v'], capture_output=True, text=True).stdout.split()
            load, load_name = wrk_load, 'wrk %s -t1' % (version[1] if len(version) > 1 else '')
        else:
            print('wrk is not available: the Python client loads the servers', flush=True)
    if load is python_load:
        load_name = load_name % args.connections
    print('process bench: %d cores; CPython %s runs the bench; %s' % (
        os.cpu_count(), sys.version.split()[0], load_name if 'throughput' in args.only else ''), flush=True)
    work = tempfile.mkdtemp(prefix='stave-process-bench-')
    summary = []
    try:
        for version in args.pythons.split(','):
            python = interpreter(version)
            if python is None:
                print('\nPython %s: not installed, skipped' % version)
                continue
            summary.append(report_python(version, python, args, work, load, load_name))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if len(summary) > 1:
        print('\nsummary (ratios to plain)')
        for results in summary:
            parts = []
            if 'throughput_ratio' in results:
                parts.append('stave record %.3fx req/s' % results['throughput_ratio'])
            if 'suite' in results:
                parts.append('--stave %.2fx, pytest-cov %.2fx time' % (
                    results['suite']['pytest --stave'], results['suite']['pytest-cov, patch = subprocess']))
            print('  CPython %-8s %s' % (results['version'], '; '.join(parts)))


if __name__ == '__main__':
    main()
