"""Start-up of the stave shell against bare Python.

    python bench/startup_bench.py [--runs 15]

Times, as medians of several runs: bare `python -c pass`; `stave -c pass`
(the CLI, the bus, the store opened and closed); and `stave` to a ready
prompt in a pseudo-terminal. Warm runs read bytecode caches, as any
installed package has (pip compiles on install; Python writes caches on the
first run); cold runs compile stave's own modules from source (their caches
removed, PYTHONDONTWRITEBYTECODE set), as an editable install does where that
variable is set, as on these machines.
"""
import argparse
import compileall
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

import pexpect

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
STAVE = os.path.join(ROOT, 'stave.py')


def median_seconds(command, runs, env):
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, env=env, check=True, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def median_to_prompt(command, runs, env):
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        child = pexpect.spawn(command[0], command[1:], env=env, encoding='utf-8', timeout=30)
        child.expect_exact('>>> ')
        samples.append(time.perf_counter() - started)
        child.sendcontrol('d')
        child.expect(pexpect.EOF)
        child.close()
    return statistics.median(samples)


def remove_stave_caches():
    for directory, subdirectories, _ in os.walk(os.path.join(ROOT, 'stave')):
        if '__pycache__' in subdirectories:
            shutil.rmtree(os.path.join(directory, '__pycache__'))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--runs', type=int, default=15, help='runs per figure (default 15)')
    args = parser.parse_args()
    directory = tempfile.mkdtemp(prefix='stave-startup-')
    try:
        env = dict(os.environ, PYTHONPATH=ROOT, HOME=directory, TERM='xterm',
                   STAVE_HISTORY=os.path.join(directory, 'history'))
        env.pop('STAVE_STORE', None)
        url = 'sqlite:///' + os.path.join(directory, 'store.db')
        stave_c = [sys.executable, STAVE, '--store', url, '-c', 'pass']
        subprocess.run(stave_c, env=env, check=True)  # create the store once
        compileall.compile_dir(os.path.join(ROOT, 'stave'), quiet=1)
        bare = median_seconds([sys.executable, '-c', 'pass'], args.runs, env)
        figures = [
            ('python -c pass', bare),
            ('stave -c pass', median_seconds(stave_c, args.runs, env)),
            ('stave to a ready prompt', median_to_prompt([sys.executable, STAVE, '--store', url], args.runs, env)),
        ]
        remove_stave_caches()
        cold_env = dict(env, PYTHONDONTWRITEBYTECODE='1')
        figures += [
            ('stave -c pass, cold', median_seconds(stave_c, args.runs, cold_env)),
            ('stave to a prompt, cold', median_to_prompt([sys.executable, STAVE, '--store', url], args.runs, cold_env)),
        ]
    finally:
        shutil.rmtree(directory, ignore_errors=True)
    print('start-up, CPython %s, median of %d runs\n' % (sys.version.split()[0], args.runs))
    print('{:<28} {:>9} {:>12}'.format('what', 'seconds', 'vs python'))
    for label, seconds in figures:
        print('{:<28} {:>9.3f} {:>11.1f}x'.format(label, seconds, seconds / bare))
    print('\ntargets: stave under 0.5 s and within 3x of bare Python (warm)')


if __name__ == '__main__':
    main()
