"""Merging maps: another store's test map read as chunks of traces for
stave.testmap.bulk, and the rule that decides which recording of a test wins.

`stave merge OUT IN...` (and `stave import` of a store) combines maps that
shards of a CI run wrote to separate files. A test in both maps keeps the
newer recording (i:time, the time it was written); on a tie the map merged
into keeps its own, so merging the same map twice changes nothing. The
pseudo-tests of lines run outside tests ('<import>', '<process NAME>') are
unions of every recording, so there the lines are added, each file's lines
kept apart by blob as the writer does. A test's lines go with their blob ids,
outcome, duration, run, time and recent outcomes as they are; data-file marks,
the files' latest blob ids and the runs' records come along.
"""
from __future__ import absolute_import, division, print_function, unicode_literals

from stave.compat import iteritems
from stave.testmap import keys
from stave.testmap.blobs import hexed
from stave.testmap.layout import DATA_KIND, FILES, KIND_COLUMN, RUNS, TESTS, WRITING_ROW, META, check_layout
from stave.testmap.marks import read_marks
from stave.testmap.outcomes import HISTORY_COLUMN
from stave.testmap.runs import PARTS_ROW, fold_parts
from stave.testmap.traces import Traces


def map_chunks(source, limit):
    """(Traces, tests read) chunks of the test map in the store `source`, each
    about `limit()` triples. Tests a killed writer left marked are left out."""
    check_layout(source)
    writing = read_marks(source.table(META).row(WRITING_ROW, include_timestamp=True))
    traces = Traces()
    read = 0
    for path, data in source.table(FILES).scan(columns=[b'f']):
        path = path.decode('utf-8')
        if data.get(KIND_COLUMN) == DATA_KIND:
            traces.data_files.add(path)
        if data.get(b'f:blob'):
            traces.blobs[path] = hexed(data[b'f:blob'])
    for name, row in source.table(TESTS).scan(include_timestamp=True):
        read += 1
        if row.get(b'i:key', (b'',))[0] in writing:
            continue
        test = name.decode('utf-8')
        traces.lines.setdefault(test, {})
        for path, (blob, lines, _, _) in iteritems(keys.files_of_row(row)):
            traces.add_own(test, path, lines, hexed(blob))
        traces.results[test] = _result(dict((column, value) for column, (value, _) in iteritems(row)))
        if limit is not None and traces.triples >= limit():
            yield traces, read
            traces = Traces()
    yield traces, read


def _result(row):
    """The writer's result of a test row: its fields as they are."""
    result = dict((field, row[b'i:' + field.encode('ascii')].decode('utf-8'))
                  for field in ('outcome', 'duration', 'run', 'time') if b'i:' + field.encode('ascii') in row)
    for number in ('duration', 'time'):
        if number in result:
            result[number] = float(result[number])
    if HISTORY_COLUMN in row:
        result['history'] = row[HISTORY_COLUMN]
    return result


def newest_wins(writer, traces):
    """The merge policy for stave.testmap.bulk: drop from `traces` the tests the
    map of `writer` holds a recording of at least as new; return the
    pseudo-tests, whose lines are added to what the map holds."""
    names = [test.encode('utf-8') for test in traces.lines if not keys.is_outside(test)]
    held = dict(writer.store.table(TESTS).rows(names, columns=[b'i:time']))
    for name, data in iteritems(held):
        test = name.decode('utf-8')
        theirs = traces.results.get(test, {}).get('time') or 0.0
        if float(data.get(b'i:time', b'0')) >= theirs:
            del traces.lines[test]
            traces.results.pop(test, None)
            traces.test_blobs.pop(test, None)
    return set(test for test in traces.lines if keys.is_outside(test))


def copy_runs(source, target):
    """Copy the runs' records of `source` into `target`: the parts of runs
    that shards folded (stave.testmap.runs), added to the target's parts of
    the same run and the run's record computed again from all of them; a
    record without parts (an import's), where the target lacks the run."""
    runs, meta = target.table(RUNS), target.table(META)
    for run, data in source.table(RUNS).scan():
        parts = source.table(META).row(PARTS_ROW + run)
        if parts:
            meta.put(PARTS_ROW + run, parts)  # part ids are unique: the same part twice is one
            fold_parts(target, run.decode('utf-8'))
        elif not runs.row(run, columns=[b'r']):
            runs.put(run, data)
