"""The embedded store, the default (``sqlite:///PATH?timeout=SECONDS``): one
SQLite file, through sqlite3 on CPython and sqlite-jdbc on the JVM."""
from __future__ import absolute_import, division, print_function, unicode_literals

from stave.store.url import SECONDS, read_options

#: URL options: how long a write waits for another process's lock.
_OPTIONS = {'timeout': SECONDS}


def open_store(url, table_prefix=None, table_prefix_separator=b'_'):
    """Open (creating if needed) the store file named by the parsed StoreURL `url`."""
    from stave.store.sqlite.connection import Connection
    from stave.store.sqlite.engine import open_engine
    timeout = read_options(url, _OPTIONS).get('timeout', 60.0)
    return Connection(open_engine(url.location, timeout=timeout), url.text,
                      table_prefix=table_prefix, table_prefix_separator=table_prefix_separator)
