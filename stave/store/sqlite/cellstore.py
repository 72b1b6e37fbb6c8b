"""The seam between the happybase-shaped front (Connection, Table, Batch) and an
embedded storage engine that keeps sorted cells (SQLite today; SQLite over
JDBC on the JVM).

An engine stores cells ``(row, family, qualifier, timestamp, value)`` and
knows tables, their families and their enabled state. It does the work that
must be atomic or close to the data: range reads in key order, one
transaction per mutation batch, read-modify-write counters. Everything else
(argument checks, versions, TTL, filters, result shapes) lives above it, once.
"""
from __future__ import absolute_import, division, print_function, unicode_literals


class CellStore(object):
    """The operations an embedded engine provides. Each raises stave errors.

    ``columns`` arguments are lists of ``(family, qualifier)`` where a None
    qualifier means the whole family, or None for every column. ``before``
    is an exclusive upper bound on timestamps, or None.
    """

    def table_names(self):
        """All table names (bytes), sorted."""
        raise NotImplementedError

    def table_info(self, name):
        """The TableInfo of `name`; TableNotFoundError if there is none."""
        raise NotImplementedError

    def create_table(self, name, families):
        """Create a table with {family: options}; TableExistsError if it exists."""
        raise NotImplementedError

    def delete_table(self, name):
        """Drop a disabled table and its cells; TableNotDisabledError if enabled."""
        raise NotImplementedError

    def set_enabled(self, name, enabled):
        """Enable or disable a table; the HBase state errors if it already is."""
        raise NotImplementedError

    def read_range(self, info, low, high, reverse, columns, before):
        """Iterate the cells (row, family, qualifier, ts, value) of the rows in
        [low, high) in HBase order; for `reverse`, rows descending, cells of
        each row in HBase order. An empty `low` or a None `high` leaves that
        end open."""
        raise NotImplementedError

    def read_rows(self, info, rows, columns, before):
        """Iterate the cells of those of `rows` (a list of keys) that exist, in
        HBase order, as a forward read_range does: one query for many rows."""
        raise NotImplementedError

    def read_row(self, info, row, columns, before):
        """The cells (family, qualifier, ts, value) of one row, in HBase order."""
        raise NotImplementedError

    def mutate(self, name, puts, deletes, timestamp, groups=()):
        """Apply one batch atomically: groups [(row, family, [qualifier], value)]
        of puts, then puts [(row, family, qualifier, value)] (where the same cell
        is written twice, the later write wins), then deletes
        [(row, family or None, qualifier or None)]. Rows, families, qualifiers
        and values are bytes: the Batch has checked them. Puts are written at
        `timestamp`; deletes remove the versions <= `timestamp`.
        Checks inside the transaction that the table is enabled and every
        family exists."""
        raise NotImplementedError

    def increment(self, name, row, family, qualifier, amount, now_ms):
        """Atomically add `amount` to an 8-byte big-endian counter; return the new value."""
        raise NotImplementedError

    def transaction(self):
        """A context manager making the writes inside it one atomic unit."""
        raise NotImplementedError

    def compact(self, name, now_ms, major=False):
        """Remove invisible cells for good: excess versions and expired ones;
        `major` also drops the delete markers."""
        raise NotImplementedError

    def close(self):
        """Release the engine's resources; further calls fail."""
        raise NotImplementedError
