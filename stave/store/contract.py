"""The store contract: what every backend's Connection, Table and Batch do.

This file is the store's whole API, read in one sitting. It is happybase's
(the Python client of HBase's Thrift gateway), with HBase's semantics, plus a
few stave extensions marked as such. Three backends implement it, as
siblings that share nothing but this contract and the helpers it names:

- ``sqlite://`` the embedded store (stave.store.sqlite), the default;
- ``thrift://`` a real HBase, or ``stave serve``, through happybase (CPython);
- ``hbase://`` a real HBase through its Java client (Jython).

Values. Row keys, columns (``b'family:qualifier'``) and values are bytes;
text is accepted where happybase accepts it and encoded as UTF-8. A
timestamp is an integer of milliseconds since the epoch (see ``now_ms``);
a write without one takes the current time.

Errors, one answer on every backend:

- A bad argument raises ``TypeError`` (wrong type) or ``ValueError`` (wrong
  value) naming the argument, *at the call*, before anything is sent or
  buffered: the checks are stave.store.arguments, applied by every backend.
  This holds for a Batch too: ``put``, ``put_columns`` and ``delete`` check
  their arguments when called, never at ``send()``.
- What only the store can know raises a ``stave.errors.StoreError``
  subclass: ``TableNotFoundError``, ``TableExistsError``,
  ``TableNotEnabledError``, ``TableNotDisabledError``,
  ``NoSuchColumnFamilyError``, ``CounterError``; a filter string that does not
  parse raises ``FilterSyntaxError`` (also a ``ValueError``). Reads raise them
  at the call (a scan opens its scanner at once); a batch raises them at
  ``send()``, having written nothing when the error is about the table or
  its families.
"""
from __future__ import absolute_import, division, print_function, unicode_literals

import struct
from abc import ABCMeta, abstractmethod

from stave.compat import native_str, string_types, to_bytes, to_text
from stave.store import arguments

#: happybase's counters: an 8-byte big-endian signed long.
COUNTER = struct.Struct('>q')

# A base class whose metaclass is ABCMeta, written so that Python 2.7 (Jython)
# and 3 read it alike: a backend class missing an abstract method cannot be
# instantiated.
_Abstract = ABCMeta(str('_Abstract'), (object,), {'__slots__': ()})


class Connection(_Abstract):
    """A store: its tables and their administration (happybase's Connection).

    `table_prefix` and `table_prefix_separator` work as in happybase: with a
    prefix 'p', table('t') is the table 'p_t', and tables() lists only the
    prefixed tables, without their prefix. A connection is not thread-safe:
    use one per thread. It is a context manager that closes it.
    """

    def __init__(self, url, table_prefix=None, table_prefix_separator=b'_'):
        if table_prefix is not None:
            if not isinstance(table_prefix, string_types):
                raise TypeError("'table_prefix' must be a string")
            table_prefix = to_bytes(table_prefix, 'table_prefix')
        if not isinstance(table_prefix_separator, string_types):
            raise TypeError("'table_prefix_separator' must be a string")
        #: The store URL this connection was opened with.
        self.url = url
        self.table_prefix = table_prefix
        self.table_prefix_separator = to_bytes(table_prefix_separator, 'table_prefix_separator')

    def __repr__(self):
        return native_str('<%s.%s url=%r>' % (type(self).__module__, type(self).__name__, to_text(self.url)))

    def _table_name(self, name, use_prefix=True):
        """The full name (bytes) of table `name`, with this connection's prefix."""
        name = to_bytes(name, 'name')
        if self.table_prefix is None or not use_prefix:
            return name
        return self.table_prefix + self.table_prefix_separator + name

    def _without_prefix(self, names):
        """Of full table names, those with this connection's prefix, without it."""
        if self.table_prefix is None:
            return list(names)
        prefix = self._table_name(b'')
        return [name[len(prefix):] for name in names if name.startswith(prefix)]

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc_value, traceback):
        self.close()

    @abstractmethod
    def open(self):
        """Open the connection if it is not (happybase's; every backend opens
        at connect(), so this matters only after close() on thrift://)."""

    @abstractmethod
    def close(self):
        """Close the connection; further calls fail. Closing twice is harmless."""

    @abstractmethod
    def table(self, name, use_prefix=True):
        """A Table for `name`. Not checked for existence (as in happybase): a
        missing table raises TableNotFoundError at its first use."""

    @abstractmethod
    def tables(self):
        """The names (bytes) of the tables, sorted, without this connection's prefix."""

    @abstractmethod
    def create_table(self, name, families):
        """Create a table. `families` maps family names to option dicts (or
        None): ``{'cf': {'max_versions': 1, 'time_to_live': 3600}}``, with
        happybase's option names and HBase's Thrift defaults (max_versions 3).
        Returns None. TableExistsError if it exists; an illegal table or family
        name or option is a ValueError or TypeError at the call."""

    @abstractmethod
    def delete_table(self, name, disable=False):
        """Delete a table and its data; it must be disabled first
        (TableNotDisabledError), unless `disable` is True. Returns None."""

    @abstractmethod
    def enable_table(self, name):
        """Enable a disabled table (TableNotDisabledError if it is enabled). Returns None."""

    @abstractmethod
    def disable_table(self, name):
        """Disable a table: it then refuses reads and writes with
        TableNotEnabledError and keeps its data. Returns None."""

    @abstractmethod
    def is_table_enabled(self, name):
        """True if the table is enabled, False if disabled."""

    @abstractmethod
    def compact_table(self, name, major=False):
        """Remove invisible cells (versions beyond max_versions, expired ones)
        for good; `major` also drops delete markers, so that puts below an old
        delete show again, as in HBase. On HBase this asks for a compaction and
        returns before it is done. Returns None."""

    #: True where transaction() is one: everything sent inside it commits or
    #: rolls back together (the embedded store); False where it is a no-op.
    transactional = False

    @abstractmethod
    def transaction(self):
        """A stave extension: a context manager in which every batch sent, on
        any table of this connection, commits or rolls back together. The
        embedded store does it in one SQLite transaction; HBase has no
        cross-row transactions, so there it is a no-op (each send applies row
        by row)."""


class Table(_Abstract):
    """One table (happybase's Table): reads, writes, scans and counters.

    Get one from Connection.table(). `name` is its full name (bytes, with the
    connection's prefix) and `connection` the Connection that made it.
    """

    def __init__(self, name, connection):
        self.name = name
        self.connection = connection

    def __repr__(self):
        return native_str('<%s.%s name=%r>' % (type(self).__module__, type(self).__name__, to_text(self.name)))

    # -- schema ------------------------------------------------------------------

    @abstractmethod
    def families(self):
        """{family: options} as happybase returns them: each options dict has
        the create_table option names plus 'name' (b'family:')."""

    @abstractmethod
    def regions(self):
        """The table's regions: a list of dicts with start_key, end_key, id,
        name, version, server_name and port (the embedded store has one region
        spanning every key)."""

    # -- reads -------------------------------------------------------------------

    @abstractmethod
    def row(self, row, columns=None, timestamp=None, include_timestamp=False):
        """The newest value of each column of `row`: {b'f:q': value}, or
        {b'f:q': (value, ts)} with `include_timestamp`; {} if the row is absent.
        `columns` lists b'f' (a whole family) or b'f:q' (one column);
        `timestamp` is an exclusive upper bound on the versions read."""

    @abstractmethod
    def rows(self, rows, columns=None, timestamp=None, include_timestamp=False):
        """[(row, data)] for those of the keys `rows` (a list or tuple) that
        exist, in the order asked; {} (happybase's answer) when `rows` is empty."""

    def qualifiers(self, rows, family):
        """A stave extension for readers of marker columns (the test map's
        lines table): [(row, [qualifiers, sorted])] of the rows of `rows` (a
        tuple or list of keys) that have cells in `family`: the columns row()
        gives, without their values, in the order asked. A backend may answer
        it faster than rows(); this one asks rows()."""
        if not isinstance(family, bytes) or b':' in family:
            raise ValueError('qualifiers() takes a family name (bytes, no colon), not %r' % (family,))
        start = len(family) + 1
        return [(row, sorted(column[start:] for column in data)) for row, data in self.rows(rows, columns=[family])]

    @abstractmethod
    def cells(self, row, column, versions=None, timestamp=None, include_timestamp=False):
        """The versions of one cell, newest first: [value] or [(value, ts)];
        `versions` (>= 1, None for all) caps how many."""

    @abstractmethod
    def scan(self, row_start=None, row_stop=None, row_prefix=None, columns=None, filter=None,
             timestamp=None, include_timestamp=False, batch_size=1000, scan_batching=None,
             limit=None, sorted_columns=False, reverse=False):
        """Iterate over (row, data) for the rows of a key range, in key order
        (descending with `reverse`).

        `row_start` is inclusive and `row_stop` exclusive (for `reverse`, start
        is the larger key); `row_prefix` replaces both (exactly the rows with
        that prefix, in either direction). `filter` is an HBase filter string.
        `scan_batching` splits wide rows into parts of that many cells; `limit`
        counts results (a split row counts once per part); `sorted_columns`
        gives each row as an OrderedDict in column order. The arguments are
        checked and the scanner opened at the call, so a bad argument, a
        missing table or a bad filter raises here, not at the first row."""

    # -- writes ------------------------------------------------------------------

    def put(self, row, data, timestamp=None, wal=True):
        """Store `data` ({b'f:q': value}) in `row`, in one send. Returns None."""
        with self.batch(timestamp=timestamp, wal=wal) as batch:
            batch.put(row, data)

    def delete(self, row, columns=None, timestamp=None, wal=True):
        """Delete the whole row, or `columns` (b'f' for a family, b'f:q' for a
        column, every version); with `timestamp`, only the versions up to and
        including it. As in HBase, a delete also hides later puts at or below
        its timestamp until a major compaction. Returns None."""
        with self.batch(timestamp=timestamp, wal=wal) as batch:
            batch.delete(row, columns)

    @abstractmethod
    def batch(self, timestamp=None, batch_size=None, transaction=False, wal=True):
        """A new Batch for this table (see Batch). `timestamp` applies to
        every mutation of it; `batch_size` sends automatically whenever that
        many cells wait (not with `transaction`); `transaction` sends nothing
        when its with-block raises. `wal` is accepted for compatibility."""

    # -- counters ----------------------------------------------------------------

    def counter_get(self, row, column):
        """The counter's value; a missing counter is created as 0 (as in happybase)."""
        return self.counter_inc(row, column, value=0)

    def counter_set(self, row, column, value=0):
        """Store `value` as a counter (an 8-byte big-endian signed long). Returns None."""
        self.put(row, {column: COUNTER.pack(arguments.counter_value(value))})

    @abstractmethod
    def counter_inc(self, row, column, value=1):
        """Atomically add `value` to the counter and return the new value
        (wrapping at 64 bits, as HBase). CounterError if the cell holds
        something other than 8 bytes."""

    def counter_dec(self, row, column, value=1):
        """Atomically subtract `value` from the counter and return the new value."""
        return self.counter_inc(row, column, -value)


class Batch(_Abstract):
    """Mutations of one table collected and sent together (happybase's Batch).

    Use it as ``with table.batch(batch_size=1000) as b: b.put(...)``: leaving
    the block sends what is left, unless the batch is a transaction and the
    block raised. Within one send, puts are applied before deletes (as HBase's
    Thrift gateway applies a batch), so a put and a delete of the same cell
    leave it deleted. The embedded store applies a send atomically; HBase
    applies it row by row.
    """

    def __init__(self, table, timestamp=None, batch_size=None, transaction=False, wal=True):
        self._table = table
        self._timestamp, self._batch_size, self._transaction = arguments.batch_options(
            timestamp, batch_size, transaction)
        self._wal = wal  # accepted for compatibility; every backend logs its writes

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc_value, traceback):
        if self._transaction and exc_type is not None:
            return  # a transaction whose block raised sends nothing
        self.send()

    @abstractmethod
    def put(self, row, data, wal=None):
        """Buffer `data` ({b'f:q': value}) for `row`. Returns None."""

    @abstractmethod
    def delete(self, row, columns=None, wal=None):
        """Buffer a delete of `columns` of `row` (b'f' for a whole family), or
        of the whole row. Returns None."""

    @abstractmethod
    def send(self):
        """Send what is buffered now (nothing to send is not an error).
        Returns None. Raises StoreError subclasses only (see the module
        docstring); what failed stays unsent."""

    @abstractmethod
    def put_cells(self, cells):
        """A stave extension for bulk writers: buffer many single cells, an
        iterable of (row, b'family:qualifier', value), without a dict per cell."""

    @abstractmethod
    def put_columns(self, row, family, qualifiers, value=b''):
        """A stave extension for bulk writers of marker columns (the test
        map's lines table: a column per test, no value): buffer `value` in each
        column `qualifiers` (a list, fastest sorted and free of repeats) of
        one `family` of `row`. Bytes only, never text: any argument or
        qualifier that is not bytes is a TypeError, a family with a colon a
        ValueError, both at the call. The list is kept until sent: do not
        change it."""
