"""One source of `stave import` or `stave merge`: a trace file, a coverage.py
file or another store's map, written through stave.testmap.bulk in bounded
memory, with a progress bar on a terminal (tqdm), silent when piped."""
from __future__ import absolute_import, division, print_function, unicode_literals

import io
import os
import time

from stave.compat import paused_gc
from stave.errors import StaveError
from stave.testmap.importers import detect
from stave.testmap.writer import BlobConflictError

#: PRAGMA application_id of a stave store file, as its header holds it (bytes 68-71).
_STORE_ID = b'STAV'


def import_source(store, source, root, args, run_id, err):
    """Import `source` into `store`: (kind, Outcome), or (kind, None) for a
    source without traces. Raises StaveError (or IOError) for a source that
    cannot be read, before the store changes."""
    from stave.testmap.bulk import EmptySource
    source_store = _store_source(source)
    try:
        if source_store is not None:
            return 'stave map', _import_map(store, source, source_store, args, run_id, err)
        if args.command == 'merge':
            raise StaveError('%s is no store: stave merge merges maps (stave import reads trace files)' % source)
        kind = detect(source)  # a foreign file's error before any progress shows
        return kind, _import_file(store, source, root, args, run_id, err)
    except EmptySource:
        return (detect(source) if source_store is None else 'stave map'), None
    except BlobConflictError as exc:
        raise StaveError('%s: %s' % (source, exc))


def _import_map(store, source, url, args, run_id, err):
    """Merge the map of the store at `url` into `store`: an Outcome."""
    from stave.store import connect
    from stave.testmap import MapWriter
    from stave.testmap.bulk import Budget, import_chunks
    from stave.testmap.merging import copy_runs, map_chunks, newest_wins
    budget = Budget(args.memory)
    from stave.testmap.bulk import EmptySource
    from stave.testmap.layout import has_layout
    with connect(url) as other:
        if not has_layout(other):
            raise EmptySource('no traces')
        total = sum(1 for _ in other.table(b'tm_tests').scan(columns=[b'i:key']))
        with _Progress(source, total, 'tests', err) as progress:
            outcome = import_chunks(store, lambda: MapWriter(store, run_id), lambda _: map_chunks(other, budget),
                                    progress.update, policy=newest_wins, budget=budget)
        copy_runs(other, store)
    return outcome


def _import_file(store, source, root, args, run_id, err):
    """Import the trace or coverage.py file `source` into `store`: an Outcome."""
    from stave.testmap import MapWriter
    from stave.testmap.bulk import CHECKING_CHUNK, Budget, import_chunks
    from stave.testmap.importers import read_chunks
    budget = Budget(args.memory)

    def chunks(checking):  # a pass that checks keeps nothing of its chunks: small ones
        return read_chunks(source, root, (lambda: CHECKING_CHUNK) if checking else budget, checking)[1]
    with _Progress(source, os.path.getsize(source), 'B', err) as progress, paused_gc():
        return import_chunks(store, lambda: MapWriter(store, run_id), chunks, progress.update, budget=budget)


def _store_source(source):
    """The store URL of `source` if it names a store (a URL, or an embedded
    store's file), else None."""
    if '://' in source:
        return source
    with io.open(source, 'rb') as handle:
        header = handle.read(72)
    if header.startswith(b'SQLite format 3\x00') and header[68:72] == _STORE_ID:
        return source
    return None


class _Progress(object):
    """A tqdm bar on `err` if it is a terminal: the source read (bytes, or
    tests of a store), the triples written and their rate; the time left."""

    def __init__(self, name, total, unit, err):
        self.bar = None
        self.started = time.time()
        if not getattr(err, 'isatty', lambda: False)():
            return
        try:
            from tqdm import tqdm
        except ImportError:  # stave without its progress bar (e.g. on the JVM)
            return
        self.bar = tqdm(total=total, unit=unit, unit_scale=unit == 'B', unit_divisor=1024 if unit == 'B' else 1000,
                        desc=os.path.basename(name), file=err, dynamic_ncols=True, leave=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if self.bar is not None:
            self.bar.close()

    def update(self, position, triples):
        """The source read up to `position`, `triples` written so far."""
        if self.bar is None:
            return
        rate = triples / max(time.time() - self.started, 1e-6)
        self.bar.set_postfix_str('%s triples, %s triples/s' % (_short(triples), _short(rate)), refresh=False)
        self.bar.update(position - self.bar.n)


def _short(number):
    """12.3M, 456k, 789: a count at a glance."""
    for size, suffix in ((1e9, 'G'), (1e6, 'M'), (1e3, 'k')):
        if number >= size:
            return '%.1f%s' % (number / size, suffix)
    return '%d' % number
