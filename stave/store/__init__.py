"""stave's store: HBase's data model with happybase's API, over pluggable backends.

    >>> from stave.store import connect
    >>> with connect('sqlite:///.stave/stave.db') as store:
    ...     store.create_table('t', {'f': {'max_versions': 1}})
    ...     store.table('t').put(b'row', {b'f:q': b'value'})

Backends are chosen by URL scheme: ``sqlite`` (the embedded default),
``thrift`` (a real HBase, or `stave serve`, through happybase; CPython only)
and ``hbase`` (a real HBase through its Java client; JVM only).
"""
from __future__ import absolute_import, division, print_function, unicode_literals

from stave.errors import StoreOpenError
from stave.store.sqlite.connection import Connection
from stave.store.url import SECONDS, default_store_url, parse_store_url, read_options, resolve_store_url

__all__ = ['connect', 'Connection', 'default_store_url', 'resolve_store_url', 'BACKENDS']


#: sqlite:// URL options: how long a write waits for another process's lock.
_SQLITE_OPTIONS = {'timeout': SECONDS}


def _open_sqlite(url, table_prefix, table_prefix_separator):
    from stave.store.sqlite import open_sqlite_store
    timeout = read_options(url, _SQLITE_OPTIONS).get('timeout', 60.0)
    return Connection(open_sqlite_store(url.location, timeout=timeout), url.text,
                      table_prefix=table_prefix, table_prefix_separator=table_prefix_separator)


def _open_thrift(url, table_prefix, table_prefix_separator):
    # Imported here: the Thrift backend is CPython-only and the JVM never loads it.
    from stave.store.thrift import open_thrift_store
    return open_thrift_store(url, table_prefix, table_prefix_separator)


def _open_hbase(url, table_prefix, table_prefix_separator):
    from stave.store.hbase import open_hbase_store
    return open_hbase_store(url, table_prefix, table_prefix_separator)


#: URL scheme -> function(StoreURL, table_prefix, table_prefix_separator) -> Connection.
BACKENDS = {'sqlite': _open_sqlite, 'thrift': _open_thrift, 'hbase': _open_hbase}


def connect(url=None, table_prefix=None, table_prefix_separator=b'_'):
    """Open the store at `url` (default: this project's embedded store) and
    return a Connection with happybase's API."""
    url = url or default_store_url()
    parsed = parse_store_url(url)
    opener = BACKENDS.get(parsed.scheme)
    if opener is None:
        raise StoreOpenError('unknown store URL scheme %r in %r (known: %s)'
                             % (parsed.scheme, url, ', '.join(sorted(BACKENDS))))
    return opener(parsed, table_prefix, table_prefix_separator)
