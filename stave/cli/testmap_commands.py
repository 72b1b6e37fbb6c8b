"""The test-map commands: import, export, query and select.

Exit status (stave.exit_status): 0 success, 1 no result (or an error
reported), 2 bad input (a malformed trace file, diff or argument). Answers
render through stave.formatting, as the shell's results do.
"""
from __future__ import absolute_import, division, print_function, unicode_literals

import errno
import io
import os
import sys
import time

from stave.compat import iteritems
from stave.errors import StaveError
from stave.exit_status import EXIT_NO_RESULT, EXIT_OK, EXIT_USAGE

QUERIES = ('tests-for', 'tests-for-file', 'lines-for', 'tests', 'files', 'data-files', 'stats', 'hot-lines', 'shadow',
           'flaky', 'outcomes')


def add_commands(commands, common):
    """Add import, export, query and select to the CLI's subparsers."""
    imp = commands.add_parser(
        'import', parents=[common], help='import trace data: coverage.py data or JSON, stave traces, or another map',
        description='Import per-test traces: coverage.py data files with per-test contexts (.coverage), '
                    'coverage.py JSON reports written with --show-contexts, stave trace files (JSON lines), '
                    'and the map of another store (a store URL or file: stave merge). Each file is read in '
                    'bounded memory and written as one transaction: a malformed file writes nothing (exit '
                    'status 2), an empty one says so (exit status 1), and the others still import. '
                    'Importing a file twice changes nothing.')
    imp.add_argument('files', nargs='+', metavar='FILE')
    imp.add_argument('--root', help='project root the traced paths are relative to (default: the project root)')
    _memory_option(imp)
    merge = commands.add_parser(
        'merge', parents=[common], help='merge the maps of other stores into one (newest recording of a test wins)',
        description='Merge the test maps of the stores IN (URLs, or paths of embedded store files) into the '
                    'store OUT (created if need be): a test in several keeps its newest recording, the lines '
                    'run outside tests are added up. Merging a map twice changes nothing.')
    merge.add_argument('out', metavar='OUT')
    merge.add_argument('files', nargs='+', metavar='IN')
    _memory_option(merge)
    exp = commands.add_parser('export', parents=[common], help='write the map as stave trace records (JSON lines)',
                              description='Write the map in stave\'s trace format; import it into another '
                                          'store to move the map.')
    exp.add_argument('--test', metavar='PATTERN', help='only tests whose id matches this glob')
    exp.add_argument('--path', metavar='PREFIX', help='only paths starting with PREFIX')
    exp.add_argument('-o', '--output', metavar='FILE', help='write to FILE instead of stdout')
    query = commands.add_parser('query', parents=[common], help='ask the map: tests for a line, lines for a test, ...',
                                description='tests-for PATH LINE | tests-for-file PATH | lines-for TEST | '
                                            'tests [PREFIX] | files | data-files | stats | hot-lines [N] | shadow [N] '
                                            '(pytest --stave-shadow runs, newest first) | flaky | outcomes TEST '
                                            '(its recent outcomes, newest first). Exit status 1 when there '
                                            'is no result.')
    query.add_argument('question', choices=QUERIES)
    query.add_argument('args', nargs='*')
    query.add_argument('--format', choices=('text', 'json', 'csv'), default='text')
    select = commands.add_parser('select', parents=[common], help='the tests a change needs',
                                 description='Print the ids of the tests the change needs, one per line '
                                             '(or JSON); notes on how it decided go to stderr. Exit status '
                                             '1 when no test is selected.')
    source = select.add_mutually_exclusive_group(required=True)
    source.add_argument('--diff', metavar='REV', help='the working tree against git revision REV')
    source.add_argument('--patch', metavar='FILE', help='a unified diff, not yet applied to the working tree')
    select.add_argument('--format', choices=('text', 'json', 'csv'), default='text')
    select.add_argument('--explain', action='store_true',
                        help='with each test, the rule that selected it (numbered as in the README) and the '
                             'changed line or file that triggered it')
    select.add_argument('--root', help='project root (default: the project root)')


def job_for(args):
    """The main job of a test-map command, or None for other commands."""
    run = _JOBS.get(args.command)
    return (lambda store: run(store, args)) if run else None


def _root(args):
    from stave.store.url import find_project_root
    return args.root or find_project_root()


def _memory_option(parser):
    from stave.testmap.bulk import DEFAULT_MEMORY_MB, LEAST_MEMORY_MB
    parser.add_argument('--memory', metavar='MB', type=int, default=DEFAULT_MEMORY_MB,
                        help='bound on the memory a file\'s import takes, in megabytes (default %d, at least %d)'
                             % (DEFAULT_MEMORY_MB, LEAST_MEMORY_MB))


def run_import(store, args, out=None, err=None):
    """`stave import` and `stave merge`: each source in bounded memory, one
    transaction each; a run record once anything was imported."""
    from stave.cli.importing import import_source
    from stave.testmap import MapWriter
    from stave.testmap.writer import new_run_id
    out, err = out or sys.stdout, err or sys.stderr
    from stave.testmap.bulk import LEAST_MEMORY_MB
    if args.memory < LEAST_MEMORY_MB:
        err.write('stave: error: --memory must be at least %d (megabytes), not %d\n' % (LEAST_MEMORY_MB, args.memory))
        return EXIT_USAGE
    root = None if args.command == 'merge' else _root(args)  # a map's paths are relative already
    status, run_id, imported = EXIT_OK, new_run_id(), False
    for source in args.files:
        try:
            kind, outcome = import_source(store, source, root, args, run_id, err)
        except (IOError, OSError) as exc:
            err.write('stave: error: cannot read %s: %s\n' % (source, exc.strerror or exc))
            status = EXIT_USAGE
            continue
        except StaveError as exc:
            err.write('stave: error: %s\n' % exc)
            status = EXIT_USAGE
            continue
        if outcome is None:
            err.write('stave: %s: no traces in it (an empty %s); nothing imported\n' % (source, kind))
            status = max(status, EXIT_NO_RESULT)
            continue
        imported = True
        older = len(outcome.read) - len(outcome.tests)
        out.write('%s: %d tests, %d lines (%s)%s\n' % (source, len(outcome.tests), outcome.triples, kind,
                                                      '; %d tests older than this map\'s recordings' % older
                                                      if older else ''))
    if imported:
        MapWriter(store, run_id).record_run(finished=time.time(),
                                            command='stave %s %s' % (args.command, ' '.join(args.files)))
    return status


def run_export(store, args):
    from stave.testmap import TestMap
    from stave.testmap.queries import export_records
    from stave.testmap.traces import write_jsonl
    test_map = TestMap(store)
    if not test_map.exists():
        sys.stderr.write('stave: the store holds no test map\n')
        return EXIT_NO_RESULT
    records = export_records(test_map, args.test, args.path)
    if args.output:
        with io.open(args.output, 'w', encoding='utf-8') as handle:
            write_jsonl(handle, records)
        return EXIT_OK
    try:
        write_jsonl(sys.stdout, records)
        sys.stdout.flush()
    except IOError as exc:  # a reader that stopped early (| head): not an error of the export
        if exc.errno != errno.EPIPE:
            raise
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # nothing left to flush at exit
    return EXIT_OK


def run_query(store, args, out=None):
    from stave.formatting import render
    from stave.testmap import TestMap
    out = out or sys.stdout
    test_map = TestMap(store)
    if not test_map.exists():
        sys.stderr.write('stave: the store holds no test map\n')
        return EXIT_NO_RESULT
    try:
        answer = _answer(test_map, args.question, args.args)
    except (TypeError, ValueError) as exc:
        sys.stderr.write('stave: error: %s\n' % exc)
        return EXIT_USAGE
    out.write(render(answer, args.format))
    return EXIT_OK if answer else EXIT_NO_RESULT


def _answer(test_map, question, args):
    """The Answer to one question: its header and rows (text, CSV) and its value (JSON)."""
    from stave.formatting import Answer

    def need(count, usage):
        if len(args) != count:
            raise ValueError('usage: stave query %s' % usage)
    if question == 'tests-for':
        need(2, 'tests-for PATH LINE')
        tests = test_map.tests_for(args[0], int(args[1]))
        return Answer(['test'], [[t] for t in tests], tests)
    if question == 'tests-for-file':
        need(1, 'tests-for-file PATH')
        by_line = test_map.tests_for_file(args[0])
        return Answer(['line', 'test'], [[n, t] for n, tests in iteritems(by_line) for t in tests],
                      dict((str(n), tests) for n, tests in iteritems(by_line)))
    if question == 'lines-for':
        need(1, 'lines-for TEST')
        files = test_map.lines_for(args[0])
        return Answer(['path', 'line'], [[p, n] for p, lines in iteritems(files) for n in lines], files)
    if question == 'tests':
        tests = test_map.tests(args[0] if args else None)
        return Answer(['test'], [[t] for t in tests], tests)
    if question == 'files':
        files = test_map.files()
        return Answer(['path', 'sha1'], [[p, h] for p, h in iteritems(files)], files)
    if question == 'data-files':
        need(0, 'data-files')
        paths = test_map.data_files()
        return Answer(['path'], [[p] for p in paths], paths)
    if question == 'stats':
        stats = test_map.stats()
        return Answer(['name', 'value'], [[k, v] for k, v in iteritems(stats)], stats)
    if question in _HISTORY_QUESTIONS:
        return _HISTORY_QUESTIONS[question](test_map, args)
    if len(args) > 1:
        raise ValueError('usage: stave query hot-lines [N]')
    hot = [list(h) for h in test_map.hot_lines(int(args[0]) if args else 10)]
    return Answer(['path', 'line', 'tests'], hot, hot)


def _shadow(test_map, args):
    """`query shadow [N]`: the shadow runs, newest first; in text and CSV the
    missed ids in one cell, the flaky ones marked, and the start as UTC time."""
    from stave.formatting import Answer
    from stave.testmap.shadow import shadow_runs
    if len(args) > 1:
        raise ValueError('usage: stave query shadow [N]')
    runs = shadow_runs(test_map, int(args[0]) if args else None)
    rows = [[r['run'], r['commit'], _utc(r['started']), r['tests'], r['selected'], r['failed'], len(r['missed']),
             len(r['missed_flaky']), round(r['saved'], 3), round(r['total'], 3),
             ' '.join(r['missed'] + [t + ' (flaky)' for t in r['missed_flaky']])] for r in runs]
    return Answer(['run', 'commit', 'started', 'tests', 'selected', 'failed', 'missed', 'missed_flaky', 'saved',
                   'total', 'missed_ids'], rows, runs)


def _utc(started):
    return time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime(started)) if started is not None else None


def _flaky(test_map, args):
    """`query flaky`: the flaky tests, each with its recent outcomes, newest first."""
    from stave.formatting import Answer
    from stave.testmap.outcomes import flaky_tests, recent_outcomes
    if args:
        raise ValueError('usage: stave query flaky')
    found = [(test, [e['outcome'] for e in recent_outcomes(test_map, test)]) for test in flaky_tests(test_map)]
    return Answer(['test', 'recent'], [[test, ' '.join(recent)] for test, recent in found],
                  [{'test': test, 'recent': recent} for test, recent in found])


def _outcomes(test_map, args):
    """`query outcomes TEST`: the test's recent outcomes, newest first."""
    from stave.formatting import Answer
    from stave.testmap.outcomes import recent_outcomes
    if len(args) != 1:
        raise ValueError('usage: stave query outcomes TEST')
    entries = recent_outcomes(test_map, args[0])
    return Answer(['outcome', 'run', 'fingerprint'], [[e['outcome'], e['run'], e['fingerprint']] for e in entries],
                  entries)


_HISTORY_QUESTIONS = {'shadow': _shadow, 'flaky': _flaky, 'outcomes': _outcomes}


def run_select(store, args, out=None, err=None):
    from stave.testmap import TestMap
    from stave.testmap.selection import select_for_diff, select_for_patch
    out, err = out or sys.stdout, err or sys.stderr
    test_map = TestMap(store)
    if not test_map.exists():
        err.write('stave: the store holds no test map: record one with pytest --stave\n')
        return EXIT_NO_RESULT
    try:
        selection = (select_for_diff(test_map, args.diff, _root(args)) if args.diff
                     else select_for_patch(test_map, args.patch, _root(args)))
    except StaveError as exc:
        err.write('stave: error: %s\n' % exc)
        return EXIT_USAGE
    for note in selection.notes:
        err.write('stave: %s\n' % note)
    from stave.formatting import Answer, render
    tests = selection.sorted_tests()
    if args.explain:
        answer = Answer(['test', 'rule', 'because'], selection.explained())
    else:
        answer = Answer(['test'], [[t] for t in tests], tests)
    out.write(render(answer, args.format))
    return EXIT_OK if tests else EXIT_NO_RESULT


_JOBS = {'import': run_import, 'merge': run_import, 'export': run_export, 'query': run_query, 'select': run_select}
