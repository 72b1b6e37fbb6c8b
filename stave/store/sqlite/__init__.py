"""The embedded SQLite engine, the default store (``sqlite:///PATH``)."""
from __future__ import absolute_import, division, print_function, unicode_literals

from stave.store.sqlite.engine import open_sqlite_store

__all__ = ['open_sqlite_store']
