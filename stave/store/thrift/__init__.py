"""The Thrift backend: a real HBase (or `stave serve`) through happybase. CPython only.

    thrift://HOST:PORT?transport=buffered|framed&protocol=binary|compact&compat=0.98&timeout=MS
"""
from stave.errors import StoreOpenError
from stave.store.url import MILLISECONDS, one_of, read_options

#: URL options: happybase.Connection's keyword arguments of the same names.
_OPTIONS = {
    'transport': one_of('buffered', 'framed'),
    'protocol': one_of('binary', 'compact'),
    'compat': one_of('0.90', '0.92', '0.94', '0.96', '0.98'),
    'timeout': MILLISECONDS,
}
DEFAULT_PORT = 9090


def open_store(url, table_prefix=None, table_prefix_separator=b'_'):
    """Connect to the Thrift server named by the parsed StoreURL `url`."""
    from stave.store.thrift.connection import Connection
    return Connection(url.text, table_prefix=table_prefix, table_prefix_separator=table_prefix_separator,
                      **connection_options(url))


def connection_options(url):
    """happybase.Connection's keyword arguments from a parsed thrift:// URL."""
    options = read_options(url, _OPTIONS)
    host, _, port = url.location.rstrip('/').rpartition(':')
    if not host:
        host, port = url.location.rstrip('/'), str(DEFAULT_PORT)
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise StoreOpenError('store URL %r needs HOST:PORT, e.g. thrift://127.0.0.1:9090' % url.text)
    options.update(host=host.strip('[]'), port=int(port))
    return options
