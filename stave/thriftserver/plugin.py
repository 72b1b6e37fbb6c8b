"""The Thrift server as a plugin of stave's process bus."""
import logging
import sys

from stave.bus.cherrypy_process import load
from stave.errors import StoreOpenError
from stave.store import connect, parse_store_url
from stave.thriftserver.server import ThriftServer

_, plugins = load()


class ThriftServerPlugin(plugins.SimplePlugin):
    """Serves the store at `url` while the bus runs: starts after the store
    plugin has opened it, stops (disconnecting every client) before it closes.
    A port that cannot be bound fails the bus with one clear line."""

    helpers = ()

    def __init__(self, bus, url, host='127.0.0.1', port=9090, transport=None, protocol=None):
        plugins.SimplePlugin.__init__(self, bus)
        parsed = parse_store_url(url)
        if parsed.scheme == 'sqlite' and parsed.location == ':memory:':
            raise StoreOpenError('stave serve needs a store file, not %s' % url,
                                 hint='each client connection opens the store anew, so :memory: would '
                                      'give every client its own empty store')
        self.server = ThriftServer(lambda: connect(url), host=host, port=port,
                                   transport=transport, protocol=protocol)

    def start(self):
        try:
            self.server.start()
        except OSError as exc:
            sys.stderr.write('stave: error: cannot listen on %s:%s: %s\n'
                             % (self.server.host, self.server.port, exc.strerror or exc))
            self.bus.fail(exc)
            return
        self.bus.log('serving HBase Thrift1 on %s:%d' % self.server.address, level=logging.INFO)
    start.priority = 60  # after the store plugin has opened (and checked) the store

    def stop(self):
        self.server.stop()
    stop.priority = 40  # before the store plugin closes the store
