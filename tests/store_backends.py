"""The store backends the conformance suite runs against.

Each provider starts whatever its backend needs in a temporary directory and
returns a store URL; a provider that cannot run on this machine says why, and
its test class is skipped with that reason. Later backends (Thrift, HBase,
Bigtable) add a provider here and run the same suite unchanged.
"""
from __future__ import absolute_import, division, print_function, unicode_literals

import os


class SqliteProvider(object):
    """The embedded store: a fresh SQLite file per test."""

    name = 'Sqlite'

    def unavailable_reason(self):
        return None

    def start(self, directory):
        return 'sqlite:///' + os.path.join(directory, 'store.db')

    def stop(self):
        pass


PROVIDERS = [SqliteProvider()]
