"""A run's record in tm_runs when several processes record one run.

The shards of a CI run (and the pytest-xdist workers of each), given one run
id (`pytest --stave --stave-run ID`, or $STAVE_RUN), each end by adding
their *part* to the run instead of overwriting its record. The run's row of
tm_runs then says, of all the parts:

- r:started the earliest start, r:finished the latest end;
- r:tests the tests written, added up, and r:shards how many recording
  processes finished (an xdist worker is one);
- r:commit and r:command those of the part that finished last (the shards
  of a CI run test one commit; each has its own command line);
- r:shadow the figures of shadow runs (stave.testmap.shadow) added up:
  tests, selected, failed and seconds summed, the missed tests joined.

A process recording a run alone gives the row what MapWriter.record_run
would have written, and r:shards 1. A shard run twice under one id (a CI job
retried) counts twice.

Each part is a cell of its own, never overwritten: column m:<part id> (a
random id) of the row `run:<run id>` of tm_meta, holding the part's fields
as JSON. The run's row is computed from all the parts: on the embedded store
in the same transaction as the part's cell, so it is right at once. HBase
(and `stave serve`, which serves it over Thrift) has no transaction, and a
read-add-put of the row would lose a part when two processes both read
before either puts (the later put wins). Instead each process puts its part first, then
writes the row computed from the parts it reads, and reads the parts again:
if more have come meanwhile, it writes the row again from them. A process's
part is in place before it computes anything, so the last process to write
the row reads every part afterwards, and the row holds them all.

Portable: Python 2.7 (Jython) and 3.
"""
from __future__ import absolute_import, division, print_function, unicode_literals

import json
import uuid

from stave.compat import iteritems
from stave.testmap.layout import META, RUNS

#: The prefix of the tm_meta rows holding each run's parts.
PARTS_ROW = b'run:'

#: How often a process writes the run's row at most, while other parts keep coming.
_ATTEMPTS = 20


def fold_run(store, run_id, started=None, finished=None, commit=None, command=None, tests=None, shards=1,
             shadow=None):
    """Add one process's part to the run `run_id` (text) in `store`, whose
    map's tables exist, and write the run's row of tm_runs from all its parts
    (see the module): `started` and `finished` (epoch seconds), `commit`,
    `command`, `tests` written (an int), `shards` (1 for a process that
    records tests, 0 for one that adds other facts, such as the xdist
    controller's shadow figures) and `shadow` (a dict of shadow_record's
    figures); None leaves a field out of the part. Returns the run's fields
    as written, as text."""
    part = dict((name, value) for name, value in (
        ('started', started), ('finished', finished), ('commit', commit), ('command', command),
        ('tests', tests), ('shards', shards), ('shadow', shadow)) if value is not None)
    with store.transaction():
        # ASCII JSON: the row's values are text encoded as UTF-8 on Python 2 and 3 alike.
        store.table(META).put(PARTS_ROW + run_id.encode('utf-8'), {
            b'm:' + uuid.uuid4().hex.encode('ascii'): json.dumps(part, sort_keys=True).encode('ascii')})
        return fold_parts(store, run_id)


def fold_parts(store, run_id):
    """Write the run's row of tm_runs from all the parts of `run_id` (text) in
    `store` (see the module); returns its fields as text."""
    meta, runs = store.table(META), store.table(RUNS)
    parts_row, run_row = PARTS_ROW + run_id.encode('utf-8'), run_id.encode('utf-8')
    fields = {}
    with store.transaction():
        parts = meta.row(parts_row)
        for _ in range(_ATTEMPTS):
            fields = run_fields([json.loads(value.decode('ascii')) for value in parts.values()])
            if fields:
                runs.put(run_row, dict((b'r:' + name.encode('ascii'), value.encode('utf-8'))
                                       for name, value in iteritems(fields)))
            again = meta.row(parts_row)
            if again == parts:  # no part came meanwhile (always so in a transaction)
                break
            parts = again
    return fields


def run_fields(parts):
    """The fields of a run's row ({name: text}) from its `parts` (dicts of fold_run's fields)."""
    fields = {}
    starts = [part['started'] for part in parts if 'started' in part]
    if starts:
        fields['started'] = min(starts)
    ends = [part['finished'] for part in parts if 'finished' in part]
    if ends:
        fields['finished'] = max(ends)
    for name in ('commit', 'command'):
        # That of the part that finished last (a part without an end counts as the earliest).
        having = sorted((part.get('finished', float('-inf')), part[name]) for part in parts if name in part)
        if having:
            fields[name] = having[-1][1]
    counts = [part['tests'] for part in parts if 'tests' in part]
    if counts:
        fields['tests'] = sum(counts)
    shards = sum(part.get('shards', 0) for part in parts)
    if shards:
        fields['shards'] = shards
    figures = [part['shadow'] for part in parts if 'shadow' in part]
    if figures:
        total = figures[0]
        for more in figures[1:]:
            total = _added_figures(total, more)
        # ASCII JSON: the row's values are text encoded as UTF-8 on Python 2 and 3 alike.
        fields['shadow'] = json.dumps(total, sort_keys=True)
    return dict((name, value if isinstance(value, type('')) else '%r' % (value,))
                for name, value in iteritems(fields))


def _added_figures(one, other):
    """Two shadow runs' figures added up: numbers summed, lists of tests joined."""
    total = dict(one)
    for name, value in iteritems(other):
        mine = total.get(name)
        if isinstance(value, list) and isinstance(mine, list):
            total[name] = sorted(set(value) | set(mine))
        elif isinstance(value, (int, float)) and isinstance(mine, (int, float)):
            total[name] = mine + value
        elif mine is None:
            total[name] = value
    return total
