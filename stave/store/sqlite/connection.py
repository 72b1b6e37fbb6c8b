"""The embedded store's Connection: tables and their administration over an engine."""
from __future__ import absolute_import, division, print_function, unicode_literals

from stave.store import arguments, contract
from stave.store.sqlite.table import Table
from stave.store.table_info import now_ms


class Connection(contract.Connection):
    """contract.Connection over an embedded engine (stave.store.sqlite.cellstore)."""

    def __init__(self, engine, url, table_prefix=None, table_prefix_separator=b'_'):
        contract.Connection.__init__(self, url, table_prefix, table_prefix_separator)
        self._engine = engine
        self._closed = False

    def open(self):
        """An embedded store is open from the start: nothing to do."""

    def close(self):
        if not self._closed:
            self._closed = True
            self._engine.close()

    def table(self, name, use_prefix=True):
        return Table(self._table_name(name, use_prefix), self)

    def tables(self):
        return self._without_prefix(self._engine.table_names())

    def create_table(self, name, families):
        name, families = arguments.new_table(self._table_name(name), families)
        self._engine.create_table(name, families)

    def delete_table(self, name, disable=False):
        if disable and self.is_table_enabled(name):
            self.disable_table(name)
        self._engine.delete_table(self._table_name(name))

    def enable_table(self, name):
        self._engine.set_enabled(self._table_name(name), True)

    def disable_table(self, name):
        self._engine.set_enabled(self._table_name(name), False)

    def is_table_enabled(self, name):
        return self._engine.table_info(self._table_name(name)).enabled

    def compact_table(self, name, major=False):
        self._engine.compact(self._table_name(name), now_ms(), major)

    transactional = True

    def transaction(self):
        """One SQLite transaction around every batch sent inside it."""
        return self._engine.transaction()
