"""stave's store: HBase's data model with happybase's API, over pluggable backends.

    >>> from stave.store import connect
    >>> with connect('sqlite:///.stave/stave.db') as store:
    ...     store.create_table('t', {'f': {'max_versions': 1}})
    ...     store.table('t').put(b'row', {b'f:q': b'value'})

Backends are chosen by URL scheme: ``sqlite`` (the embedded default),
``thrift`` (a real HBase, or `stave serve`, through happybase; CPython only)
and ``hbase`` (a real HBase through its Java client; JVM only). Each
implements the contract in stave.store.contract, the place to learn the API.
"""
from __future__ import absolute_import, division, print_function, unicode_literals

import importlib

from stave.errors import StoreOpenError
from stave.store.contract import Batch, Connection, Table
from stave.store.url import default_store_url, parse_store_url, resolve_store_url

__all__ = ['connect', 'Connection', 'Table', 'Batch', 'default_store_url', 'resolve_store_url', 'BACKENDS']


#: URL scheme -> the backend package whose open_store(StoreURL, table_prefix,
#: table_prefix_separator) returns its contract.Connection. Imported when a URL
#: asks for it: the Thrift backend is CPython-only, the hbase:// one JVM-only.
BACKENDS = {'sqlite': 'stave.store.sqlite', 'thrift': 'stave.store.thrift', 'hbase': 'stave.store.hbase'}


def connect(url=None, table_prefix=None, table_prefix_separator=b'_'):
    """Open the store at `url` (default: this project's embedded store) and
    return its Connection (see stave.store.contract)."""
    url = url or default_store_url()
    parsed = parse_store_url(url)
    backend = BACKENDS.get(parsed.scheme)
    if backend is None:
        raise StoreOpenError('unknown store URL scheme %r in %r (known: %s)'
                             % (parsed.scheme, url, ', '.join(sorted(BACKENDS))))
    return importlib.import_module(backend).open_store(parsed, table_prefix, table_prefix_separator)
