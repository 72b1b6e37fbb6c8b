"""The layout of a stave store file: plain SQLite that any SQLite client can read.

Schema versions (bump SCHEMA_VERSION and add a line for every change; a store
written with another version is refused with a clear error, never rewritten
or deleted):

1. stave_meta (key, value), stave_tables (id, name, enabled, created),
   stave_families (table_id, name, max_versions, time_to_live, options JSON),
   and one cells_<table id> table per store table, keyed
   (row, family, qualifier, ts DESC) WITHOUT ROWID so that a scan in key
   order is a walk of the primary key and newer versions come first.
2. Row keys are stored once per table, in rows_<table id> (key PRIMARY KEY,
   id), and cells_<table id> is keyed (row_id, family, qualifier, ts DESC):
   a cell no longer repeats its row key, which roughly halves a test map's
   file. stave_tables gains next_row, the next row id to give out.
3. Cells are stored in groups: cells_<table id> is keyed (row_id, family,
   ts DESC) and its `cells` column packs every cell one write put into one
   family of one row (stave.store.sqlite.cellpack), so a bulk write is one
   record per row instead of one per cell.
4. No rows table: cells_<table id> (key, family, ts, cells) is an ordinary
   rowid table with a unique index on (key, family, ts DESC). A group repeats
   its row key, which costs little now that a record holds a whole group, and
   a bulk write is then one insert per group instead of two. A rowid table
   because SQLite stores large records (a test map's hot lines pack
   thousands of cells) far more cheaply in one than in a WITHOUT ROWID table
   (measured: a 10M-cell import's inserts took 6.2 s in WITHOUT ROWID, 3.0 s
   here). stave_tables drops next_row.
5. stave_deletes (table_id, key, kind, family, qualifier, ts) keeps HBase's
   delete markers: for each row (kind 0), family (1) or column (2) deleted,
   the highest timestamp deleted. A later put at or below it is not written,
   as HBase hides it until a major compaction (compact_table) drops the
   markers.
"""
from __future__ import absolute_import, division, print_function, unicode_literals

SCHEMA_VERSION = 5

#: The page size of new store files (SQLite reads files of any page size).
PAGE_SIZE = 16384

#: PRAGMA application_id of stave stores ('STAV'), so tools can tell the file apart.
APPLICATION_ID = 0x53544156

CREATE_SCHEMA = (
    'CREATE TABLE stave_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)',
    'CREATE TABLE stave_tables ('
    ' id INTEGER PRIMARY KEY AUTOINCREMENT,'
    ' name BLOB NOT NULL UNIQUE,'
    ' enabled INTEGER NOT NULL,'
    ' created INTEGER NOT NULL)',
    'CREATE TABLE stave_families ('
    ' table_id INTEGER NOT NULL,'
    ' name BLOB NOT NULL,'
    ' max_versions INTEGER NOT NULL,'
    ' time_to_live INTEGER NOT NULL,'
    ' options TEXT NOT NULL,'
    ' PRIMARY KEY (table_id, name)) WITHOUT ROWID',
    'CREATE TABLE stave_deletes ('
    ' table_id INTEGER NOT NULL,'
    ' key BLOB NOT NULL,'
    ' kind INTEGER NOT NULL,'
    ' family BLOB NOT NULL,'
    ' qualifier BLOB NOT NULL,'
    ' ts INTEGER NOT NULL,'
    ' PRIMARY KEY (table_id, key, kind, family, qualifier)) WITHOUT ROWID',
    # A write asks first whether any marker is at or above its timestamp.
    'CREATE INDEX stave_deletes_ts ON stave_deletes (table_id, ts)',
)

#: stave_deletes.kind: what a delete marker covers.
ROW_DELETE, FAMILY_DELETE, COLUMN_DELETE = 0, 1, 2


def cells_table(table_id):
    """The name of the SQLite table that holds a store table's cell groups."""
    return 'cells_%d' % table_id


def create_table_statements(table_id):
    """The statements creating the SQLite table (and its index) of one store table."""
    return (
        'CREATE TABLE %s ('
        ' key BLOB NOT NULL,'
        ' family BLOB NOT NULL,'
        ' ts INTEGER NOT NULL,'
        ' cells BLOB NOT NULL)' % cells_table(table_id),
        'CREATE UNIQUE INDEX {0}_key ON {0} (key, family, ts DESC)'.format(cells_table(table_id)),
    )
