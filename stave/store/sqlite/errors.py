"""SQLite result codes as stave errors, for both drivers (sqlite3 and JDBC)."""
from __future__ import absolute_import, division, print_function, unicode_literals

from stave.errors import StoreBusyError, StoreError, StoreOpenError

# SQLite primary result codes (https://sqlite.org/rescode.html).
_BUSY, _READONLY, _CORRUPT, _FULL, _CANTOPEN, _NOTADB = 5, 8, 11, 13, 14, 26


def store_error(code, where, timeout, exc):
    """The StoreError for SQLite result `code` (extended codes allowed) on the file `where`."""
    code = code & 0xFF if code is not None else None
    if code == _NOTADB:
        return StoreOpenError('%s is not a stave store: the file is not an SQLite database' % where,
                              hint='point the store URL (stave --store, pytest --stave-store) at a stave store, '
                                   'or at a new file')
    if code == _CORRUPT:
        return StoreOpenError('the store %s is corrupt (%s)' % (where, exc),
                              hint="restore it from a copy, or export what is readable; stave never deletes it")
    if code == _BUSY:
        return StoreBusyError('the store %s stayed locked by another process for %s s' % (where, timeout),
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


def guess_code(message):
    """Result code from the message, for Pythons whose sqlite3 lacks sqlite_errorcode."""
    for text, code in (('not a database', _NOTADB), ('malformed', _CORRUPT), ('locked', _BUSY),
                       ('unable to open', _CANTOPEN), ('readonly', _READONLY), ('full', _FULL)):
        if text in message:
            return code
    return None
