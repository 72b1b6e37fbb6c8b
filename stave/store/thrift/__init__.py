"""The Thrift backend: a real HBase (or `stave serve`) through happybase. CPython only.

    thrift://HOST:PORT?transport=buffered|framed&protocol=binary|compact&compat=0.98&timeout=MS
"""
from stave.errors import StoreOpenError

#: URL options with a fixed set of values (happybase's keyword arguments of the same names).
_CHOICES = {
    'transport': ('buffered', 'framed'),
    'protocol': ('binary', 'compact'),
    'compat': ('0.90', '0.92', '0.94', '0.96', '0.98'),
}
DEFAULT_PORT = 9090


def open_thrift_store(url, table_prefix=None, table_prefix_separator=b'_'):
    """Connect to the Thrift server named by the parsed StoreURL `url`."""
    from stave.store.thrift.connection import Connection
    return Connection(url.text, table_prefix=table_prefix, table_prefix_separator=table_prefix_separator,
                      **connection_options(url))


def connection_options(url):
    """happybase.Connection's keyword arguments from a parsed thrift:// URL."""
    unknown = set(url.options) - set(_CHOICES) - set(['timeout'])
    if unknown:
        raise StoreOpenError('unknown option(s) %s in store URL %r (known: %s)' % (
            ', '.join(sorted(unknown)), url.text, ', '.join(sorted(list(_CHOICES) + ['timeout']))))
    host, _, port = url.location.rstrip('/').rpartition(':')
    if not host:
        host, port = url.location.rstrip('/'), str(DEFAULT_PORT)
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise StoreOpenError('store URL %r needs HOST:PORT, e.g. thrift://127.0.0.1:9090' % url.text)
    options = {'host': host.strip('[]'), 'port': int(port)}
    for name, allowed in sorted(_CHOICES.items()):
        if name in url.options:
            if url.options[name] not in allowed:
                raise StoreOpenError('%s=%s in store URL %r: must be one of %s' % (
                    name, url.options[name], url.text, ', '.join(allowed)))
            options[name] = url.options[name]
    if 'timeout' in url.options:
        timeout = url.options['timeout']
        if not timeout.isdigit() or int(timeout) < 1:
            raise StoreOpenError('timeout=%s in store URL %r: must be a number of milliseconds >= 1'
                                 % (timeout, url.text))
        options['timeout'] = int(timeout)
    return options
