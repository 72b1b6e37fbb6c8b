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
"""
from __future__ import absolute_import, division, print_function, unicode_literals

SCHEMA_VERSION = 3

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
    ' created INTEGER NOT NULL,'
    ' next_row INTEGER NOT NULL DEFAULT 1)',
    'CREATE TABLE stave_families ('
    ' table_id INTEGER NOT NULL,'
    ' name BLOB NOT NULL,'
    ' max_versions INTEGER NOT NULL,'
    ' time_to_live INTEGER NOT NULL,'
    ' options TEXT NOT NULL,'
    ' PRIMARY KEY (table_id, name)) WITHOUT ROWID',
)


def cells_table(table_id):
    """The name of the SQLite table that holds a store table's cell groups."""
    return 'cells_%d' % table_id


def rows_table(table_id):
    """The name of the SQLite table that maps a store table's row keys to row ids."""
    return 'rows_%d' % table_id


def create_table_statements(table_id):
    """The statements creating the SQLite tables of one store table."""
    return (
        'CREATE TABLE %s (key BLOB NOT NULL PRIMARY KEY, id INTEGER NOT NULL) WITHOUT ROWID'
        % rows_table(table_id),
        'CREATE TABLE %s ('
        ' row_id INTEGER NOT NULL,'
        ' family BLOB NOT NULL,'
        ' ts INTEGER NOT NULL,'
        ' cells BLOB NOT NULL,'
        ' PRIMARY KEY (row_id, family, ts DESC)) WITHOUT ROWID' % cells_table(table_id),
    )
