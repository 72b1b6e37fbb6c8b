"""The DB-API seam of the SQLite engine: CPython's sqlite3 module.

The engine speaks to SQLite only through this small class, so that on the
JVM a JDBC driver with the same methods can stand in. It also translates
sqlite3's exceptions into stave's errors, with the store's path and a hint.
"""
from __future__ import absolute_import, division, print_function, unicode_literals

import sqlite3

from stave.errors import StoreBusyError, StoreError, StoreOpenError

# SQLite primary result codes (https://sqlite.org/rescode.html).
_BUSY, _READONLY, _CORRUPT, _FULL, _CANTOPEN, _NOTADB = 5, 8, 11, 13, 14, 26


class Sqlite3Driver(object):
    """One SQLite connection in autocommit mode; transactions are explicit."""

    def __init__(self, path, timeout):
        self.path = path
        self.timeout = timeout
        try:
            # isolation_level=None: no implicit transactions; the engine issues
            # BEGIN IMMEDIATE itself, so writers queue on the busy timeout
            # instead of failing on a lock upgrade.
            self._db = sqlite3.connect(path, timeout=timeout, isolation_level=None,
                                       check_same_thread=False)
        except sqlite3.Error as exc:
            raise self.translate(exc)

    def execute(self, sql, params=()):
        """Run one statement; return its rows as a list."""
        try:
            return self._db.execute(sql, params).fetchall()
        except sqlite3.Error as exc:
            raise self.translate(exc)

    def execute_many(self, sql, rows):
        """Run one statement once per parameter tuple."""
        try:
            self._db.executemany(sql, rows)
        except sqlite3.Error as exc:
            raise self.translate(exc)

    def iterate(self, sql, params=()):
        """Run one query and iterate over its rows lazily."""
        try:
            cursor = self._db.execute(sql, params)
            for row in cursor:
                yield row
        except sqlite3.Error as exc:
            raise self.translate(exc)

    def close(self):
        self._db.close()

    def translate(self, exc):
        """Map a sqlite3 exception to a StoreError naming the file and the cause."""
        code = getattr(exc, 'sqlite_errorcode', None)
        code = code & 0xFF if code is not None else _guess_code(str(exc))
        where = self.path
        if code == _NOTADB:
            return StoreOpenError('%s is not a stave store: the file is not an SQLite database' % where,
                                  hint='point --store at a stave store, or at a new file')
        if code == _CORRUPT:
            return StoreOpenError('the store %s is corrupt (%s)' % (where, exc),
                                  hint="restore it from a copy, or export what is readable; stave never deletes it")
        if code == _BUSY:
            return StoreBusyError('the store %s stayed locked by another process for %s s' % (where, self.timeout),
                                  hint='raise the wait with ?timeout=SECONDS in the store URL')
        if code == _CANTOPEN:
            return StoreOpenError('cannot open the store %s (%s)' % (where, exc),
                                  hint='check that the directory exists and is writable')
        if code == _READONLY:
            return StoreError('the store %s is read-only (%s)' % (where, exc),
                              hint='check the file and directory permissions')
        if code == _FULL:
            return StoreError('the disk holding %s is full' % where)
        return StoreError('SQLite error on %s: %s' % (where, exc))


def _guess_code(message):
    """Result code from the message, for Pythons whose sqlite3 lacks sqlite_errorcode."""
    for text, code in (('not a database', _NOTADB), ('malformed', _CORRUPT), ('locked', _BUSY),
                       ('unable to open', _CANTOPEN), ('readonly', _READONLY), ('full', _FULL)):
        if text in message:
            return code
    return None
