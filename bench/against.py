"""The embedded store's and the test map's figures against an earlier revision, in one run.

    python3 bench/against.py REV            # --rounds N, --cells N, --triples N, --only store|testmap

Checks REV out into a temporary git worktree and runs, round by round and
alternating which goes first, bench/store_bench.py (puts, scans, row()) and
the synthetic part of bench/testmap_bench.py (the 10M-triple `stave import`,
tests_for, file size) from that worktree and from this checkout; then prints
each figure's median for both and the ratio. A change meant to keep speed
keeps every ratio within the tolerance (5% by default).
"""
from __future__ import absolute_import, division, print_function

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

#: figure -> (which bench, regular expression for its number, True if higher is better)
FIGURES = [
    ('batch put (cells/s)', 'store', r'^\s*batch put\s+([\d,.]+)', True),
    ('full scan (cells/s)', 'store', r'^\s*full scan\s+([\d,.]+)', True),
    ('prefix scan (cells/s)', 'store', r'^\s*prefix scan \(per file\)\s+([\d,.]+)', True),
    ('row() median (us)', 'store', r'^\s*row\(\) median\s+([\d,.]+)', False),
    ('import (triples/s)', 'testmap', r'import: ([\d,.]+) triples/s', True),
    ('tests_for p50 (ms)', 'testmap', r'tests_for: p50 ([\d.]+) ms', False),
    ('tests_for p99 (ms)', 'testmap', r'tests_for: p50 [\d.]+ ms, p99 ([\d.]+) ms', False),
    ('file (bytes/triple)', 'testmap', r'store file: ([\d.]+) bytes per triple', False),
]


def run_bench(tree, which, args):
    """The output of one bench run from checkout `tree`."""
    if which == 'store':
        command = [sys.executable, os.path.join(tree, 'bench', 'store_bench.py'), '--cells', str(args.cells),
                   '--repeat', '1']
    else:
        command = [sys.executable, os.path.join(tree, 'bench', 'testmap_bench.py'), '--skip-suite', '--runs', '1',
                   '--triples', str(args.triples)]
    # Each tree's bench puts its own checkout first on sys.path; PYTHONPATH must not say otherwise.
    env = dict(os.environ, PYTHONPATH=tree)
    result = subprocess.run(command, cwd=tree, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit('%s failed in %s:\n%s' % (' '.join(command), tree, result.stderr[-3000:]))
    return result.stdout


def parse(output, which):
    """{figure: number} of one bench's output."""
    found = {}
    for name, bench, pattern, _ in FIGURES:
        if bench == which:
            match = re.search(pattern, output, re.MULTILINE)
            if match is None:
                raise SystemExit('no %r in the output:\n%s' % (name, output))
            found[name] = float(match.group(1).replace(',', ''))
    return found


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('revision', help='the git revision to compare with (e.g. HEAD~3)')
    parser.add_argument('--rounds', type=int, default=3, help='rounds of both trees (medians are reported)')
    parser.add_argument('--cells', type=int, default=1000000, help='cells for store_bench.py')
    parser.add_argument('--triples', type=int, default=10000000, help='triples for the synthetic map')
    parser.add_argument('--tolerance', type=float, default=0.05, help='allowed slowdown (default 0.05)')
    parser.add_argument('--only', choices=('store', 'testmap'), help='run one of the two benchmarks')
    args = parser.parse_args()
    work = tempfile.mkdtemp(prefix='stave-against-')
    base = os.path.join(work, 'base')
    subprocess.run(['git', 'worktree', 'add', '--detach', '-q', base, args.revision], cwd=ROOT, check=True)
    try:
        trees = {'base': base, 'here': ROOT}
        samples = dict((tree, dict((name, []) for name, _, _, _ in FIGURES)) for tree in trees)
        for round_number in range(args.rounds):
            order = ['base', 'here'] if round_number % 2 == 0 else ['here', 'base']
            for which in ((args.only,) if args.only else ('store', 'testmap')):
                for tree in order:
                    for name, value in parse(run_bench(trees[tree], which, args), which).items():
                        samples[tree][name].append(value)
            print('round %d of %d done' % (round_number + 1, args.rounds), file=sys.stderr)
        revision = subprocess.run(['git', 'rev-parse', '--short', args.revision], cwd=ROOT, capture_output=True,
                                  text=True).stdout.strip()
        print('this checkout against %s (%s), median of %d rounds, %s cells, %s triples, Python %s'
              % (args.revision, revision, args.rounds, '{:,}'.format(args.cells), '{:,}'.format(args.triples),
                 sys.version.split()[0]))
        print('\n%-24s %14s %14s %8s  %s' % ('figure', 'base', 'here', 'ratio', 'verdict'))
        for name, which, _, higher_is_better in FIGURES:
            if args.only and which != args.only:
                continue
            before, after = statistics.median(samples['base'][name]), statistics.median(samples['here'][name])
            ratio = after / before
            slower = (1 - ratio) if higher_is_better else (ratio - 1)
            verdict = 'within %d%%' % round(args.tolerance * 100) if slower <= args.tolerance else 'SLOWER'
            print('%-24s %14s %14s %7.3fx  %s' % (name, '{:,.2f}'.format(before), '{:,.2f}'.format(after), ratio,
                                                 verdict))
        print('\nratio = here / base (throughput: higher is better; latency and size: lower is better)')
    finally:
        subprocess.run(['git', 'worktree', 'remove', '--force', base], cwd=ROOT)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == '__main__':
    main()
