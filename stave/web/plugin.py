"""The web server as a plugin of stave's process bus."""
import logging
import sys
import threading

from cheroot import wsgi

from stave.bus.cherrypy_process import load
from stave.errors import StaveError
from stave.store import connect
from stave.testmap.summary import summarise
from stave.web.app import MapStores, make_app
from stave.web.pages import Site
from stave.web.summaries import SummaryCache

_, plugins = load()


class WebPlugin(plugins.SimplePlugin):
    """Serves the pages over the map at `url` (project files from `root`) while
    the bus runs: starts after the store plugin has opened (and checked) the
    store, stops before it closes it. A port that cannot be bound fails the
    bus with one clear line."""

    helpers = ('address',)

    def __init__(self, bus, url, root, host='127.0.0.1', port=8080, threads=8):
        plugins.SimplePlugin.__init__(self, bus)
        self.url, self.root, self.host, self.port, self.threads = url, root, host, port, threads
        self.server = self.stores = self._thread = None

    def start(self):
        if self.bus.failure is not None:  # the store would not open: it said why
            return
        self.stores = MapStores(self.url, connect)
        site = Site(self.root, SummaryCache(self.stores.open_map, self.stores.close_map, summarise))
        server = wsgi.Server((self.host, self.port), make_app(site, self.stores, self.bus.log, self.host),
                             numthreads=self.threads, server_name='stave')
        try:
            server.prepare()  # binds the port, so a busy one fails here, not in the thread
        except (OSError, OverflowError) as exc:
            sys.stderr.write('stave: error: cannot listen on %s:%s: %s\n' % (self.host, self.port, exc))
            self.bus.fail(exc)
            return
        self.server = server
        self._thread = threading.Thread(target=server.serve, name='stave-web')
        self._thread.start()
        try:
            site.summaries.warm()
        except StaveError as exc:  # the pages say it again, each time they try
            self.bus.log('cannot count the map yet: %s' % exc, level=logging.WARNING)
        self.bus.log('serving the web pages on http://%s:%d/' % self.address(), level=logging.INFO)
    start.priority = 60  # after the store plugin has opened (and checked) the store

    def stop(self):
        if self.server is not None:
            self.server.stop()
            self._thread.join()
            self.server = self._thread = None
        if self.stores is not None:
            self.stores.close()
            self.stores = None
    stop.priority = 40  # before the store plugin closes the store

    def address(self):
        """(host, port) the server listens on: the port chosen if 0 was asked."""
        return self.server.bind_addr[:2]
