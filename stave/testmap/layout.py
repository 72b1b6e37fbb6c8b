"""The test map's tables, created on first use in any store.

    tm_lines     row path:LLLLLL    t:<test key>  = b''         which tests ran the line
    tm_tests     row <test id>      i:key, i:outcome, i:duration, i:run, i:time (when recorded),
                                    i:history (*);
                                    l:<path> = the file's blob id and the test's lines in it
                                    (keys.pack_file_lines)
    tm_testkeys  row <test key>     n:id = <test id>             key -> id, for tests_for
    tm_files     row <path>         f:blob, f:run                blob id of the latest recording;
                                    f:kind (*)                   b'data' for a data file;
                                    b:<test key> = blob id, id   the content each test's lines number
                                                                 (keys.pack_index; no blob: unknown) and
                                                                 the test's id; every test of the file
    tm_runs      row <run id>       r:started, r:finished, r:commit, r:tests, r:command,
                                    r:shadow (*)                 a --stave-shadow run's figures
    tm_meta      row b'layout'      m:version, m:stamp (the writers' counter)
                 row b'writing'     m:<test key> = <test id>     tests a write has begun and not
                                                                 finished (see writer.py)

Blob ids are git's (stave.testmap.blobs), stored as 20 raw bytes. A line
cell of tm_lines means "the test ran this line of the file's content its own
row names": tests recorded at different commits may number a file's lines
differently, and each test's lines stay in its own blob's numbering. The b:
columns index those blobs by file, so selection finds, for a changed file,
every test that ran it and the content each recorded, in one row, without
reading every line of the file or every test's row (stave.testmap.selection,
stave.testmap.linemap).

(*) Columns added within a layout, with no version bump: a column is no
change of layout (the tables and families stay), a map written before one
existed simply lacks it and reads as empty, and an older stave reads past it.
i:history holds the test's recent outcomes (stave.testmap.outcomes); r:shadow
the figures of a shadow run (stave.testmap.shadow); f:kind marks a file the
tests read as data (stave.collect.datafiles), recorded as its line 1, which
selection treats as a whole (stave.testmap.selection, rule 9); a path
without f:kind is a source file.

Layout versions (bump LAYOUT_VERSION and add a line for every change of
tables or families, or of what an existing column holds):
1. the tables above, with l:<path> holding the packed lines alone, and
   f:sha1 (the plain SHA-1 of the file's bytes) instead of f:blob and b:.
2. l:<path> leads with the blob id of the content its lines number; tm_files
   keeps f:blob and a b: family indexing each test's blob; i:time.
"""
from __future__ import absolute_import, division, print_function, unicode_literals

from stave.errors import StaveError, TableExistsError

LAYOUT_VERSION = 2

LINES, TESTS, TEST_KEYS, FILES, RUNS, META = (
    b'tm_lines', b'tm_tests', b'tm_testkeys', b'tm_files', b'tm_runs', b'tm_meta')

#: The tm_meta row that marks the tests being written.
WRITING_ROW = b'writing'

#: The tm_files column of a file's kind, and its value for a data file.
KIND_COLUMN, DATA_KIND = b'f:kind', b'data'

#: The tm_files family indexing, per test key, the blob its lines number.
BLOB_FAMILY = b'b'

TABLES = (
    (LINES, {'t': {'max_versions': 1}}),
    (TESTS, {'i': {'max_versions': 1}, 'l': {'max_versions': 1}}),
    (TEST_KEYS, {'n': {'max_versions': 1}}),
    (FILES, {'f': {'max_versions': 1}, 'b': {'max_versions': 1}}),
    (RUNS, {'r': {'max_versions': 1}}),
    (META, {'m': {'max_versions': 1}}),
)


class LayoutVersionError(StaveError):
    """The store holds a test map of another layout version."""


def ensure_layout(store):
    """Create the test map's tables if missing; check the layout version."""
    existing = set(store.tables())
    for name, families in TABLES:
        if name not in existing:
            try:
                store.create_table(name, families)
            except TableExistsError:  # another process created it meanwhile
                pass
    meta = store.table(META)
    found = meta.row(b'layout').get(b'm:version')
    if found is None:
        meta.put(b'layout', {b'm:version': str(LAYOUT_VERSION).encode('ascii')})
    elif int(found) != LAYOUT_VERSION:
        raise _version_error(found)


def check_layout(store):
    """Refuse a store holding a test map of another layout version (a store
    without one passes: it has no map yet)."""
    if has_layout(store):
        found = store.table(META).row(b'layout', columns=[b'm:version']).get(b'm:version')
        if found is not None and int(found) != LAYOUT_VERSION:
            raise _version_error(found)


def _version_error(found):
    return LayoutVersionError(
        'the store holds a test map of layout version %s; this stave reads version %d'
        % (found.decode('ascii', 'replace'), LAYOUT_VERSION),
        hint='use the stave that wrote it, or export the map with it and import it here')


def has_layout(store):
    """True if the store already holds a test map."""
    return META in store.tables()
