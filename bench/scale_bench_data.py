"""Synthetic test maps for bench/scale_bench.py: a deterministic model of a
large project and a fast writer of its tests' traces in stave's trace format.

The model: N triples over about N / 5,000 files (20k at 100M) and N / 1,000
tests (100k at 100M). A file is a run of functions (4 to 40 lines each, some
of their lines comments) between blank lines; a test runs some consecutive
functions of each file it touches (8 to 120 lines, about 50 on average). A
test touches 10 to 30 files (about 20): each hot file with that file's own
probability (10-30%), the rest mostly from its "area" (the subpackage its
test module tests) and a few from anywhere. Hot files are 0.1% of the files
(at least 2): with 1% of them each run by 10-30% of the tests, a test would
run about 40 hot files, twice the 20 it runs in all. Tests of a hot file
start more often near its top (the helpers everything calls).

Everything comes from seeded `random.Random`s, so a given N writes the same
bytes every time; the writer formats records with plain string formatting
(each function's line numbers are formatted once, in the model), since a
100M-triple file is about a gigabyte.
"""
import hashlib
import json
import math
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from stave.testmap.blobs import blob_id  # noqa: E402

#: The trace format written (file records carry "blob", the git blob id).
TRACE_VERSION = 2

GENERATOR = 1  # bump when the output changes: cached trace files of another generator are rewritten
TRIPLES_PER_TEST = 1000  # about 20 files x 50 lines
TRIPLES_PER_FILE = 5000  # 100M triples: 20k files
HOT_SHARE = 0.001
FILES_PER_AREA = 200
TESTS_PER_MODULE = 25
REPO_FILES = (2, 3)  # hot and normal files given real content for the selection figure
CHANGED_PER_FILE = 10


def function_lines(start, end):
    """The recorded (code) lines of the function spanning start..end: its def
    line, then every line but each sixth (a comment)."""
    return [line for line in range(start, end + 1) if line == start or (line - start) % 6 != 5]


class Model(object):
    """The project: files (paths, functions) and how tests pick them.

    functions[i] lists file i's functions as (start, end, recorded lines,
    their numbers formatted for a trace record); files 0 .. hot-1 are hot."""

    def __init__(self, files, seed):
        rng = random.Random(seed)
        self.count = max(8, files)
        self.hot = max(2, int(round(self.count * HOT_SHARE)))
        self.areas = max(1, self.count // FILES_PER_AREA)
        self.hot_chance = [rng.uniform(0.10, 0.30) for _ in range(self.hot)]
        self.paths, self.sizes, self.functions = [], [], []
        self.area_files = [[] for _ in range(self.areas)]
        for index in range(self.count):
            hot = index < self.hot
            if hot:
                self.paths.append('pkg/core/mod%05d.py' % index)
                size = min(4000, max(200, int(rng.lognormvariate(math.log(800), 0.5))))
            else:
                area = index % self.areas
                self.area_files[area].append(index)
                self.paths.append('pkg/sub%02d/mod%05d.py' % (area, index))
                size = min(4000, max(40, int(rng.lognormvariate(math.log(350), 0.6))))
            self.sizes.append(size)
            self.functions.append(self._functions(rng, size))

    @staticmethod
    def _functions(rng, size):
        line, found = rng.randint(3, 12), []  # the first lines: docstring, imports
        while line + 4 <= size:
            end = min(size, line + rng.randint(4, 40) - 1)
            lines = function_lines(line, end)
            found.append((line, end, len(lines), ', '.join(map(str, lines))))
            line = end + rng.randint(2, 3)  # blank lines between functions
        return found

    def content(self, index):
        """A file's content (bytes): a def line where each function starts, code
        on its recorded lines, comments on the others, blank lines between."""
        starts = dict((start, end) for start, end, _, _ in self.functions[index])
        out, end, start = [], 0, 0
        for line in range(1, self.sizes[index] + 1):
            if line in starts:
                start, end = line, starts[line]
                out.append('def f_%d(value):' % line)
            elif line <= end:
                out.append('    value = step(value, %d)' % line if (line - start) % 6 != 5
                           else '    # %s, line %d' % (self.paths[index], line))
            else:
                out.append('' if line > 2 else '"""%s"""' % self.paths[index] if line == 1 else 'from pkg import step')
        return ('\n'.join(out) + '\n').encode('ascii')

    def repo_files(self):
        """The files given real content: the first hot ones and a few normal ones spread over the project."""
        hot, normal = REPO_FILES
        others = self.count - self.hot
        return list(range(min(hot, self.hot))) + [self.hot + others * (k + 1) // (normal + 1) for k in range(normal)]

    def pick_files(self, rng, area):
        """The files one test runs, in file order."""
        chosen = set(index for index in range(self.hot) if rng.random() < self.hot_chance[index])
        want = max(2, rng.randint(10, 30) - len(chosen))  # normal files
        total = min(self.count, len(chosen) + want)
        local = self.area_files[area]
        chosen.update(rng.sample(local, min(len(local), int(want * 0.7))))
        for _ in range(want * 3):  # and a few from anywhere
            if len(chosen) >= total:
                break
            chosen.add(rng.randrange(self.hot, self.count))
        return sorted(chosen)

    def pick_functions(self, rng, index):
        """The functions of file `index` one test runs: sorted indices, and how many lines."""
        functions = self.functions[index]
        total = len(functions)
        target = int(rng.triangular(5, 100, 20))  # whole functions: about 50 lines in the end
        at = int(total * rng.random() ** 2) if index < self.hot else rng.randrange(total)
        taken, count = [], 0
        for _ in range(total):
            if count >= target:
                break
            if rng.random() < 0.75:
                taken.append(at)
                count += functions[at][2]
            at = (at + 1) % total
        if not taken:
            taken, count = [at], functions[at][2]
        taken.sort()
        return taken, count


class Reservoir(object):
    """A uniform sample of `size` records from a stream of them, each kept as
    (path, [(start, end) of each function the record ran])."""

    def __init__(self, size, seed):
        self.size, self.seen, self.items = size, 0, []
        self.rng = random.Random(seed)

    def offer(self, model, index, taken):
        self.seen += 1
        slot = len(self.items) if len(self.items) < self.size else self.rng.randrange(self.seen)
        if slot < self.size:
            item = (model.paths[index], [model.functions[index][k][:2] for k in taken])
            if slot == len(self.items):
                self.items.append(item)
            else:
                self.items[slot] = item


def probe_pairs(records, count, rng):
    """`count` recorded (path, line) pairs drawn from sampled records (see Reservoir)."""
    pairs = []
    for _ in range(count if records else 0):
        path, functions = rng.choice(records)
        pairs.append((path, rng.choice(function_lines(*rng.choice(functions)))))
    return pairs


def write_trace(path, model, triples, first_test, seed, version=TRACE_VERSION, probes=0):
    """Write a trace file of exactly `triples` triples: every file's record,
    then each test's records (tests numbered from `first_test`). Returns its
    description: tests, records, the repository files (content, recorded
    lines), and `probes` of its records sampled among those of hot files and
    of the others (for probe_pairs)."""
    rng = random.Random(seed)
    repo = model.repo_files()
    contents = dict((index, model.content(index)) for index in repo)
    file_record = '{"path": "%s", "blob": "%s"}\n'
    test_record = '{"test": "%s", "path": "%s", "lines": [%s], "outcome": "%s", "duration": %s}\n'
    samples = {'hot': Reservoir(probes, seed + 1), 'normal': Reservoir(probes, seed + 2)}
    recorded = dict((index, set()) for index in repo)
    made, number, records, chunk = 0, first_test, 0, []
    with open(path + '.partial', 'w') as out:
        out.write('{"format": "stave-trace", "version": %d}\n' % version)
        for index, name in enumerate(model.paths):
            digest = (blob_id(contents[index]) if index in contents  # not in the repository: any id
                      else hashlib.sha1(name.encode('ascii')).hexdigest())
            out.write(file_record % (name, digest))
        while made < triples:
            module = number // TESTS_PER_MODULE
            test = 'tests/test_m%03d.py::test_%05d' % (module, number)
            roll = rng.random()
            outcome = 'failed' if roll < 0.015 else 'skipped' if roll < 0.02 else 'passed'
            duration = '%.4f' % rng.expovariate(20.0)
            for index in model.pick_files(rng, module % model.areas):
                taken, count = model.pick_functions(rng, index)
                functions = model.functions[index]
                if made + count > triples:  # the last record: exactly `triples` in all
                    lines = [n for k in taken for n in function_lines(*functions[k][:2])][:triples - made]
                    text, count = ', '.join(map(str, lines)), triples - made
                else:
                    text = ', '.join([functions[k][3] for k in taken])
                chunk.append(test_record % (test, model.paths[index], text, outcome, duration))
                samples['hot' if index < model.hot else 'normal'].offer(model, index, taken)
                if index in recorded:
                    recorded[index].update(taken)
                made += count
                records += 1
                if made >= triples:
                    break
            number += 1
            if len(chunk) >= 5000:
                out.write(''.join(chunk))
                chunk = []
        out.write(''.join(chunk))
    os.replace(path + '.partial', path)
    return {'tests': number - first_test, 'records': records, 'files': model.count, 'hot_files': model.hot,
            'bytes': os.path.getsize(path), 'probes': dict((k, s.items) for k, s in samples.items()),
            'repo': [repo_file(model, index, contents[index], recorded[index], seed) for index in repo]}


def repo_file(model, index, content, taken, seed):
    """A repository file's description: its path, content, and the recorded
    lines a 50-line diff changes (CHANGED_PER_FILE of them)."""
    lines = sorted(n for k in taken for n in function_lines(*model.functions[index][k][:2]))
    rng = random.Random(seed + index)
    return {'path': model.paths[index], 'hot': index < model.hot, 'content': content.decode('ascii'),
            'changed': sorted(rng.sample(lines, min(CHANGED_PER_FILE, len(lines))))}


def cached_trace(work, name, triples, files, first_test, seed, probes=0, version=TRACE_VERSION):
    """The trace file WORK/NAME-vVERSION.jsonl and its description, written
    unless a complete one of the same generator, size and seed is there."""
    path = os.path.join(work, '%s-v%d.jsonl' % (name, version))
    meta_path = path[:-len('.jsonl')] + '.meta.json'
    key = {'generator': GENERATOR, 'version': version, 'triples': triples, 'files': files,
           'first_test': first_test, 'seed': seed, 'probes': probes}
    try:
        with open(meta_path) as handle:
            meta = json.load(handle)
        if meta['key'] == key and os.path.getsize(path) == meta['bytes']:
            meta['cached'] = True
            return path, meta
    except (OSError, ValueError, KeyError):
        pass
    model = Model(files, seed)
    meta = write_trace(path, model, triples, first_test, seed, version, probes)
    meta['key'] = key
    with open(meta_path, 'w') as handle:
        json.dump(meta, handle)
    meta['cached'] = False
    return path, meta
