"""The bus's plugins, one concern each. SimplePlugin subscribes every method
named after a channel; `helpers` names the public methods that are not."""
from __future__ import absolute_import, division, print_function, unicode_literals

import logging
import sys

from stave.bus.cherrypy_process import load
from stave.errors import StaveError

_, plugins = load()


class StorePlugin(plugins.SimplePlugin):
    """Opens the store on start, closes it on stop. A store that will not open
    fails the bus (one clear line, exit status 1) instead of a traceback."""

    helpers = ()

    def __init__(self, bus, url, connect):
        plugins.SimplePlugin.__init__(self, bus)
        self.url = url
        self._connect = connect
        self.store = None

    def start(self):
        try:
            self.store = self._connect(self.url)
        except StaveError as exc:
            self.bus.log('cannot open the store %s: %s' % (self.url, exc), level=logging.DEBUG)
            sys.stderr.write('stave: error: %s\n' % exc)
            self.bus.fail(exc)
    start.priority = 10  # before the plugins that use the store

    def stop(self):
        if self.store is not None:
            self.store.close()
            self.store = None
    stop.priority = 90  # after the plugins that use the store


class JobPlugin(plugins.SimplePlugin):
    """Runs the command's main job on the 'run' channel: `job(store)` returns
    the exit status. The console, scripts and one-liners are such jobs."""

    helpers = ()

    def __init__(self, bus, store_plugin, job):
        plugins.SimplePlugin.__init__(self, bus)
        self.store_plugin = store_plugin
        self.job = job

    def run(self):
        self.bus.exit_code = self.job(self.store_plugin.store)


class SignalPlugin(plugins.SignalHandler):
    """SIGTERM and SIGHUP end the main job cleanly: the store is closed, exit status 0.

    The handler raises SystemExit in the main thread, so a command in the
    middle of a write unwinds (its transaction rolls back) before the bus
    stops the plugins. There is no restart: it is not offered on the JVM.
    """

    helpers = ('shut_down', 'subscribe', 'unsubscribe', 'set_handler', 'handle_SIGHUP')

    def __init__(self, bus):
        plugins.SignalHandler.__init__(self, bus)
        self.handlers = {'SIGTERM': self.shut_down, 'SIGHUP': self.shut_down}

    def shut_down(self):
        raise SystemExit(0)


class LoggingPlugin(plugins.SimplePlugin):
    """Sends the bus's log channel to Python logging, on stderr: warnings and
    errors only, everything with --debug."""

    helpers = ()

    def __init__(self, bus, debug=False, stream=None):
        plugins.SimplePlugin.__init__(self, bus)
        self.logger = logging.getLogger('stave')
        if not self.logger.handlers:
            handler = logging.StreamHandler(stream or sys.stderr)
            handler.setFormatter(logging.Formatter('stave: %(levelname)s: %(message)s'))
            self.logger.addHandler(handler)
        self.logger.setLevel(logging.DEBUG if debug else logging.WARNING)

    def log(self, msg, level):
        self.logger.log(level, msg)
