"""Shadow runs: what --stave-select would have missed and saved, run after run.

`pytest --stave-shadow` runs every test, and decides before the first one
runs which of them --stave-select would have run (the collector's plan,
from the map as it was before this run). At the end, shadow_record() says
how it would have fared:

- tests: the tests that ran; selected: how many of them it would have run;
- failed: how many failed (a failure or an error in any phase);
- missed: the failures it would have left out, but those of flaky tests,
  which are missed_flaky (flaky as the map said before the run, see
  stave.testmap.outcomes): most "missed" failures of selection tools are
  flakes, and a team weighs them apart;
- saved: the seconds of the tests it would have left out (their setup, call
  and teardown), of total, the seconds of all tests.

The figures go into the run's row of tm_runs, in one column r:shadow (JSON);
shadow_runs() reads them back, newest first: a team switches selection on
once missed has stayed empty long enough. Portable: Python 2.7 (Jython) and 3.
"""
from __future__ import absolute_import, division, print_function, unicode_literals

import json

from stave.testmap.layout import RUNS
from stave.testmap.outcomes import is_failure

#: The column of tm_runs holding a shadow run's figures.
SHADOW_COLUMN = b'r:shadow'

#: How many missed tests summary_line() names.
NAMED = 10


def shadow_record(results, would_run, flaky):
    """The figures of a shadow run (module docstring) from its `results`
    ({test id: {'outcome', 'duration'}}), `would_run(test id)` (True if the
    selection would have run it) and the ids of the `flaky` tests."""
    tests = sorted(results)
    left_out = [test for test in tests if not would_run(test)]
    failed = [test for test in tests if is_failure(results[test]['outcome'])]
    missed = [test for test in failed if not would_run(test)]
    return {'tests': len(tests), 'selected': len(tests) - len(left_out), 'failed': len(failed),
            'missed': [test for test in missed if test not in flaky],
            'missed_flaky': [test for test in missed if test in flaky],
            'saved': sum(results[test]['duration'] for test in left_out),
            'total': sum(results[test]['duration'] for test in tests)}


def shadow_runs(test_map, limit=None):
    """The shadow runs of the map, newest first (at most `limit`): dicts with
    run (str), commit (str or None), started (epoch seconds or None), tests,
    selected and failed (ints), missed and missed_flaky (lists of test ids),
    saved and total (seconds)."""
    if not test_map.exists():
        return []
    runs = []
    for run, data in test_map.store.table(RUNS).scan(columns=[SHADOW_COLUMN, b'r:commit', b'r:started']):
        record = _decoded(data.get(SHADOW_COLUMN))
        if record is None:
            continue
        commit, started = data.get(b'r:commit'), data.get(b'r:started')
        runs.append({'run': run.decode('utf-8'), 'commit': commit.decode('utf-8') if commit else None,
                     'started': float(started) if started else None,
                     'tests': int(record.get('tests', 0)), 'selected': int(record.get('selected', 0)),
                     'failed': int(record.get('failed', 0)), 'missed': list(record.get('missed', [])),
                     'missed_flaky': list(record.get('missed_flaky', [])),
                     'saved': float(record.get('saved', 0.0)), 'total': float(record.get('total', 0.0))})
    # Run ids sort by the second they start in, then by process id: the start time orders runs of one second.
    runs.sort(key=lambda r: (r['started'] or 0.0, r['run']), reverse=True)
    return runs if limit is None else runs[:limit]


def _decoded(data):
    if not data:
        return None
    try:
        record = json.loads(data.decode('utf-8'))
    except (ValueError, UnicodeDecodeError):
        return None
    return record if isinstance(record, dict) else None


def summary_line(record):
    """One line for the end of a shadow run, e.g. 'stave shadow: selection would
    have run 12 of 340 tests, missed 1 of 3 failures (0 flaky): t::x; saved
    41.2 s of 55.0 s'."""
    missed = record['missed'] + [test + ' (flaky)' for test in record['missed_flaky']]
    named = ''
    if missed:
        named = ': ' + ', '.join(missed[:NAMED])
        if len(missed) > NAMED:
            named += ' and %d more' % (len(missed) - NAMED)
    return ('stave shadow: selection would have run %d of %d tests, missed %d of %d failures (%d flaky)%s; '
            'saved %.1f s of %.1f s' % (record['selected'], record['tests'], len(missed), record['failed'],
                                        len(record['missed_flaky']), named, record['saved'], record['total']))
