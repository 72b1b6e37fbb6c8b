"""`stave record`'s recorder as a plugin of stave's process bus (CPython only)."""
import logging

from stave.bus.cherrypy_process import load

_, plugins = load()


class RecordPlugin(plugins.SimplePlugin):
    """Records the process while the bus runs: starts recording before the
    main job (the program), flushes every `every` seconds through a Monitor
    plugin, and flushes for the last time when the bus stops: after the
    program's exit, SIGTERM (the signal plugin) or Ctrl-C."""

    helpers = ()

    def __init__(self, bus, recorder, every):
        plugins.SimplePlugin.__init__(self, bus)
        self.recorder = recorder
        self.monitor = plugins.Monitor(bus, self._flush, frequency=every, name='stave-record-flush')

    def subscribe(self):
        plugins.SimplePlugin.subscribe(self)
        self.monitor.subscribe()

    def start(self):
        self.recorder.start()
    start.priority = 70  # after the store plugin opened the store the flushes write to

    def stop(self):
        self.recorder.stop()
    stop.priority = 30  # before the monitor and the store stop

    def _flush(self):
        try:
            self.recorder.flush()
        except Exception as exc:  # the next flush tries again; the program runs on
            self.bus.log('stave record: a flush failed: %s: %s' % (type(exc).__name__, exc), level=logging.WARNING)
