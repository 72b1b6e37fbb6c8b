"""The DB-API seam of the SQLite engine on the JVM: sqlite-jdbc through java.sql.

Same methods as driver.Sqlite3Driver, so the engine runs unchanged on Jython
and reads and writes the very same files as CPython's sqlite3. Only Jython
imports this module. JDBC is used directly rather than through zxJDBC, which
cannot read BLOB columns and reports every error alike.
"""
from __future__ import absolute_import, division, print_function, unicode_literals

import time

from java.lang import System
from java.sql import DriverManager, SQLException, Types

from stave.compat import binary_type
from stave.errors import StoreOpenError
from stave.store.sqlite.errors import guess_code, store_error

SQLITE_LOCKED = 6  # SQLite's result code: a table is in use by this same connection
_FINALIZE_ATTEMPTS = 4


class JdbcDriver(object):
    """One SQLite connection in autocommit mode; transactions are explicit."""

    @staticmethod
    def blob(value):
        """A blob parameter as _bind takes it: the bytes themselves (see Sqlite3Driver.blob)."""
        return value

    def __init__(self, path, timeout):
        self.path = path
        self.timeout = timeout
        try:
            self._db = DriverManager.getConnection('jdbc:sqlite:' + path)
        except SQLException as exc:
            if 'No suitable driver' in (exc.getMessage() or ''):
                raise StoreOpenError('sqlite-jdbc is not on the JVM class path',
                                     hint='start stave through ./classpath or `ant shell` (Debian package '
                                          'libxerial-sqlite-jdbc-java)')
            raise self.translate(exc)
        self._db.setAutoCommit(True)  # the engine issues BEGIN IMMEDIATE itself
        self.execute('PRAGMA busy_timeout=%d' % int(timeout * 1000))

    def execute(self, sql, params=()):
        """Run one statement; return its rows as a list."""
        return list(self.iterate(sql, params))

    def execute_many(self, sql, rows):
        """Run one statement once per parameter tuple, as one JDBC batch; return
        the number of rows it changed."""
        try:
            statement = self._db.prepareStatement(sql)
            try:
                for row in rows:
                    _bind(statement, row)
                    statement.addBatch()
                return sum(statement.executeBatch())
            finally:
                statement.close()
        except SQLException as exc:
            raise self.translate(exc)

    def iterate(self, sql, params=(), types=None):
        """Run one statement and iterate over its rows (tuples of Python values).

        `types` may promise the type of every column of the result, none
        NULL: a sequence of 'blob' (bytes) and 'int'. Such rows are read
        with typed getters, about twice as fast as converting each value by
        its type (this is the loop of every scan)."""
        try:
            statement = self._db.prepareStatement(sql)
            try:
                _bind(statement, params)
                if not _execute(statement):
                    return
                results = statement.getResultSet()
                if types:
                    read = _typed_reader(tuple(types))
                    blob, long_ = results.getBytes, results.getLong
                    while results.next():
                        yield read(blob, long_)
                    return
                width = results.getMetaData().getColumnCount()
                while results.next():
                    yield tuple(_value(results.getObject(i)) for i in range(1, width + 1))
            finally:
                statement.close()
        except SQLException as exc:
            raise self.translate(exc)

    def close(self):
        self._db.close()

    def translate(self, exc):
        """Map a JDBC SQLException to a StoreError naming the file and the cause."""
        code = _result_code(exc)
        message = exc.getMessage() or ''
        return store_error(code or guess_code(message), self.path, self.timeout, message)


def _execute(statement):
    """Execute a prepared statement; True if it has a result set.

    A scan abandoned before its end (a generator the caller dropped) keeps its
    statement open until the JVM finalizes the generator, and SQLite refuses to
    drop a table while any statement is open (SQLITE_LOCKED). CPython frees such
    generators at once; here garbage collections do it, between a few retries."""
    for attempt in range(_FINALIZE_ATTEMPTS):
        try:
            return statement.execute()
        except SQLException as exc:
            if _result_code(exc) != SQLITE_LOCKED or attempt == _FINALIZE_ATTEMPTS - 1:
                raise
            System.gc()
            System.runFinalization()
            time.sleep(0.01 * attempt)  # Jython may close the generator just after its finalizer ran


def _result_code(exc):
    return exc.getResultCode().code if hasattr(exc, 'getResultCode') else exc.getErrorCode()


def _bind(statement, params):
    for index, value in enumerate(params, 1):
        # Most common first: this runs once per value written.
        if isinstance(value, binary_type):
            statement.setBytes(index, value)
        elif isinstance(value, bool):
            statement.setLong(index, int(value))
        elif isinstance(value, (int, long)):  # noqa: F821  (Jython is Python 2)
            statement.setLong(index, value)
        elif value is None:
            statement.setNull(index, Types.NULL)
        elif isinstance(value, float):
            statement.setDouble(index, value)
        else:
            statement.setString(index, value)


# How _typed_reader reads a column of each type: a Java byte[] arrives as
# array('b'); a Java long as a Python long, shown '1000L': int() gives the int
# sqlite3 gives.
_TYPED_GETTERS = {'blob': 'blob(%d).tostring()', 'int': 'int(long_(%d))'}
_typed_readers = {}


def _typed_reader(types):
    """A function of a result set's getBytes and getLong that reads its
    current row as a tuple, each column by its type in `types` (a tuple).

    It is compiled from source, one expression per column, because on
    Jython every Python call costs: one call per row instead of one per
    column keeps the loop of every scan as fast as a hand-written reader
    (measured on 200,000 groups: a loop over the columns read them 8-20%
    slower)."""
    reader = _typed_readers.get(types)
    if reader is None:
        columns = [_TYPED_GETTERS[kind] % index for index, kind in enumerate(types, 1)]
        reader = _typed_readers[types] = eval('lambda blob, long_: (%s,)' % ', '.join(columns))
    return reader


def _value(value):
    """A JDBC column value as the Python value sqlite3 would give."""
    if value is None or isinstance(value, (int, long, float, unicode)):  # noqa: F821
        return value
    if hasattr(value, 'tostring'):  # a BLOB: Java byte[] arrives as array.array('b')
        return value.tostring()
    if hasattr(value, 'longValue'):  # java.lang.Long and friends
        return value.longValue()
    return value
