"""Each test's recent outcomes, and which tests are flaky.

Every recording of a test that has an outcome adds one entry to the test's
history, the column i:history of its row in tm_tests (see layout.py): the
outcome, the run that recorded it, and a *fingerprint* of what the test ran
then. The newest HISTORY_SIZE entries are kept, newest first; a test written
twice in one run (a write retried after a failure, one trace file imported
with another in one `stave import`) keeps one entry for that run, the last.

The fingerprint is a short hash of the sorted (path, content SHA-1) of the
files the test ran lines of (fingerprint()): the same fingerprint twice means
none of the code the map saw the test run had changed in between. A test is
**flaky** when two entries of its history with the same fingerprint disagree,
one a pass and the other a failure (an error or anything else but a pass or a
skip); skips say nothing either way. So a test that failed because its code
changed is not flaky (its fingerprints differ), and one that reads a counter,
the clock, the network or a data file the map cannot see and flips is.

The judgment errs on the side of "not flaky", since a flaky label excuses a
miss (stave.testmap.shadow): entries without a fingerprint (imported trace
files carry none) never count, and a flaky failure that stops before
reaching files its passes run has another fingerprint than those passes. Its
known blind spot is the other way round: a test whose outcome depends on a
module it only imports (a constant read at import, no line of it run by the
test) sees a change to that module as no change.

Entries are JSON, [outcome, run, fingerprint or null], in one JSON list:
about 50 bytes each, so half a kilobyte per test at HISTORY_SIZE. Maps
written before this column existed read as "no history" (no layout change).
Pure functions, but flaky_tests() and recent_outcomes(), which read a map.
Portable: Python 2.7 (Jython) and 3.
"""
from __future__ import absolute_import, division, print_function, unicode_literals

import hashlib
import json

from stave.compat import text_type
from stave.testmap.keys import is_outside
from stave.testmap.layout import TESTS

#: The column of tm_tests holding a test's recent outcomes.
HISTORY_COLUMN = b'i:history'

#: How many recordings a test's history keeps.
HISTORY_SIZE = 10

#: Outcomes that are neither a pass nor a failure.
_NEUTRAL = ('skipped',)


def is_failure(outcome):
    """True for an outcome that is a failure: anything but a pass or a skip
    (pytest's 'failed' in any phase, an imported 'error', ...)."""
    return outcome not in ('passed',) + _NEUTRAL


def add_report(results, test_id, when, outcome, duration):
    """Note one of a test's pytest reports (setup, call, teardown) in
    `results` ({test id: {'outcome', 'duration'}}): the test's outcome is the
    call's, or that of a phase that did not pass; durations add up."""
    result = results.setdefault(test_id, {'outcome': 'passed', 'duration': 0.0})
    result['duration'] += duration
    if when == 'call' or outcome != 'passed':
        if not (when == 'teardown' and outcome == 'passed'):
            result['outcome'] = outcome


def fingerprint(hashes):
    """12 hex digits naming the content of the files a test ran: `hashes` is
    {path: SHA-1 hex, or None for a file that is gone}; order does not matter."""
    digest = hashlib.sha1()
    for path in sorted(hashes):
        digest.update(('%s\t%s\n' % (path, hashes[path] or '')).encode('utf-8'))
    return digest.hexdigest()[:12]


def decode_history(data):
    """[{'outcome', 'run', 'fingerprint'}] newest first from an i:history
    value (bytes, or None for a test without history). A value this stave
    cannot read counts as no history."""
    if not data:
        return []
    try:
        entries = json.loads(data.decode('utf-8'))
    except (ValueError, UnicodeDecodeError):
        return []
    if not isinstance(entries, list):
        return []
    return [{'outcome': entry[0], 'run': entry[1], 'fingerprint': entry[2]}
            for entry in entries if isinstance(entry, list) and len(entry) == 3]


def encode_history(entries):
    """The i:history value (bytes) of entries as decode_history gives them."""
    return json.dumps([[e['outcome'], e['run'], e['fingerprint']] for e in entries[:HISTORY_SIZE]],
                      separators=(',', ':')).encode('utf-8')


def updated_history(data, outcome, run, digest=None):
    """The i:history value (bytes) after a recording: `data` (the old value
    or None) with (outcome, run, fingerprint `digest`) first, an older entry of
    the same run dropped, at most HISTORY_SIZE entries."""
    entry = {'outcome': text_type(outcome), 'run': text_type(run), 'fingerprint': digest}
    return encode_history([entry] + [e for e in decode_history(data) if e['run'] != entry['run']])


def is_flaky(entries):
    """True if two entries with the same fingerprint disagree, a pass against
    a failure (module docstring); entries without a fingerprint never count."""
    seen = {}  # fingerprint -> set of True (failure) / False (pass)
    for entry in entries:
        if entry['fingerprint'] is None or entry['outcome'] in _NEUTRAL:
            continue
        verdicts = seen.setdefault(entry['fingerprint'], set())
        verdicts.add(is_failure(entry['outcome']))
        if len(verdicts) == 2:
            return True
    return False


def flaky_tests(test_map):
    """The ids of the flaky tests of the map, sorted (tests being written left out)."""
    if not test_map.exists():
        return []
    writing = set(test_map.tests_being_written())
    found = []
    for row, data in test_map.store.table(TESTS).scan(columns=[HISTORY_COLUMN]):
        test_id = row.decode('utf-8')
        if not is_outside(test_id) and test_id not in writing and is_flaky(decode_history(data.get(HISTORY_COLUMN))):
            found.append(test_id)
    return sorted(found)


def recent_outcomes(test_map, test_id):
    """The recorded outcomes of `test_id`, newest first: [{'outcome', 'run',
    'fingerprint' (None for an imported one)}]; [] for an unknown test."""
    if not test_map.exists():
        return []
    row = test_map.store.table(TESTS).row(test_id.encode('utf-8'), columns=[HISTORY_COLUMN])
    return decode_history(row.get(HISTORY_COLUMN))
