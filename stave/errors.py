"""stave's errors: one small tree rooted at StaveError.

Every error a user can cause or meet (a missing table, a busy or corrupt store
file, a bad filter string) is a StaveError with a message that names what was
wrong, and where useful a hint saying what to do. Backends wrap driver, Thrift
and Java exceptions into this tree at their edge. Argument mistakes in the
happybase-shaped API stay TypeError/ValueError, as happybase raises them.
"""
from __future__ import absolute_import, division, print_function, unicode_literals


class StaveError(Exception):
    """Base of every error stave reports; `hint` says what to do, if known."""

    def __init__(self, message, hint=None):
        Exception.__init__(self, message)
        self.message = message
        self.hint = hint

    def __str__(self):
        if self.hint:
            return '%s (hint: %s)' % (self.message, self.hint)
        return self.message


class StoreError(StaveError):
    """A store operation failed."""


class StoreOpenError(StoreError):
    """The store cannot be opened: not a store, corrupt, unreadable, unknown URL."""


class SchemaVersionError(StoreOpenError):
    """The store file was written with another layout version than this stave reads."""


class StoreBusyError(StoreError):
    """Another process held the store's write lock for longer than the timeout."""


class TableNotFoundError(StoreError):
    """The table does not exist (HBase: TableNotFoundException)."""


class TableExistsError(StoreError):
    """The table already exists (HBase: TableExistsException)."""


class TableNotEnabledError(StoreError):
    """The table is disabled, so it refuses reads and writes (HBase: TableNotEnabledException)."""


class TableNotDisabledError(StoreError):
    """The operation needs a disabled table (HBase: TableNotDisabledException)."""


class NoSuchColumnFamilyError(StoreError):
    """A read or write named a family the table does not have."""


class CounterError(StoreError):
    """A counter operation met a cell that is not an 8-byte big-endian long."""


class FilterSyntaxError(StaveError, ValueError):
    """A filter string is malformed; `position` is the 0-based offset of the problem."""

    def __init__(self, message, text, position):
        pointer = '\n  %s\n  %s^' % (text, ' ' * position)
        StaveError.__init__(self, '%s at position %d in filter string:%s' % (message, position, pointer))
        self.text = text
        self.position = position
