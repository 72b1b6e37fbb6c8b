"""happybase's Connection over an embedded engine: tables and their administration."""
from __future__ import absolute_import, division, print_function, unicode_literals

from stave.compat import string_types, to_bytes
from stave.store.table_info import now_ms
from stave.store.families import table_families
from stave.store.names import check_table_name
from stave.store.sqlite.table import Table


class Connection(object):
    """A store, with happybase's Connection methods.

    `table_prefix` and `table_prefix_separator` work as in happybase: with a
    prefix 'p', table('t') is the table 'p_t', and tables() lists only the
    prefixed tables, without their prefix. A connection is not thread-safe:
    use one per thread, as with happybase.
    """

    def __init__(self, engine, url, table_prefix=None, table_prefix_separator=b'_'):
        if table_prefix is not None:
            if not isinstance(table_prefix, string_types):
                raise TypeError("'table_prefix' must be a string")
            table_prefix = to_bytes(table_prefix, 'table_prefix')
        if not isinstance(table_prefix_separator, string_types):
            raise TypeError("'table_prefix_separator' must be a string")
        self._engine = engine
        self.url = url
        self.table_prefix = table_prefix
        self.table_prefix_separator = to_bytes(table_prefix_separator, 'table_prefix_separator')
        self._closed = False

    def __repr__(self):
        return '<%s.%s url=%r>' % (__name__, self.__class__.__name__, self.url)

    def _table_name(self, name):
        name = to_bytes(name, 'name')
        if self.table_prefix is None:
            return name
        return self.table_prefix + self.table_prefix_separator + name

    def open(self):
        """Present for happybase compatibility: an embedded store is open from the start."""

    def close(self):
        """Close the store; the connection cannot be used afterwards."""
        if not self._closed:
            self._closed = True
            self._engine.close()

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc_value, traceback):
        self.close()

    def table(self, name, use_prefix=True):
        """A Table object for `name` (not checked for existence, as in happybase)."""
        name = to_bytes(name, 'name')
        return Table(self._table_name(name) if use_prefix else name, self)

    def tables(self):
        """The names of the tables (bytes), without this connection's prefix."""
        names = self._engine.table_names()
        if self.table_prefix is not None:
            prefix = self._table_name(b'')
            names = [name[len(prefix):] for name in names if name.startswith(prefix)]
        return names

    def create_table(self, name, families):
        """Create a table; `families` maps names to option dicts (or None), e.g.
        ``{'cf': {'max_versions': 1, 'time_to_live': 3600}}``."""
        name = check_table_name(self._table_name(name))
        self._engine.create_table(name, table_families(families))

    def delete_table(self, name, disable=False):
        """Delete a table; it must be disabled first, unless `disable` is True."""
        if disable and self.is_table_enabled(name):
            self.disable_table(name)
        self._engine.delete_table(self._table_name(name))

    def enable_table(self, name):
        """Enable a disabled table."""
        self._engine.set_enabled(self._table_name(name), True)

    def disable_table(self, name):
        """Disable a table: it then refuses reads and writes."""
        self._engine.set_enabled(self._table_name(name), False)

    def is_table_enabled(self, name):
        """True if the table is enabled."""
        return self._engine.table_info(self._table_name(name)).enabled

    def transaction(self):
        """A context in which every batch sent, on any table, commits or rolls back
        together. A stave extension to happybase's API: the embedded store does it
        in one SQLite transaction; HBase has no cross-row transactions, so its
        backends will offer this only as a no-op."""
        return self._engine.transaction()

    def compact_table(self, name, major=False):
        """Remove invisible cells (excess versions, expired ones) for good; a
        major compaction also drops the delete markers, so puts below an old
        delete show again, as in HBase."""
        self._engine.compact(self._table_name(name), now_ms(), major)
