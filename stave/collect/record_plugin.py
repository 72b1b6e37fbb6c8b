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
        try:
            self.recorder.stop()
        except Exception as exc:  # the program has ended: say what is lost, without a traceback
            self.bus.log('stave record: the last write failed, the lines it held are lost: %s: %s'
                         % (type(exc).__name__, exc), level=logging.ERROR)
    stop.priority = 30  # before the monitor and the store stop (a flush under way finishes first)

    def _flush(self):
        try:
            self.recorder.flush()
        except Exception as exc:  # the recorder keeps what it could not write for the next flush
            self.bus.log('stave record: a write failed (kept for the next): %s: %s' % (type(exc).__name__, exc),
                         level=logging.WARNING)
