"""stave's process bus: CherryPy's wspbus, with one plugin per concern.

The bus is built in ``main()``, never at import time. Besides wspbus's
channels (start, stop, exit, graceful, log, main) it has ``run``: the
command's main job (the console, a script, a one-liner), published once the
plugins have started, in the main thread, so that the REPL owns the terminal
while the bus is STARTED.
"""
from __future__ import absolute_import, division, print_function, unicode_literals

from stave.bus.cherrypy_process import load

wspbus, _ = load()

#: The channels of a StaveBus: wspbus's own, plus 'run'.
CHANNELS = ('start', 'stop', 'exit', 'graceful', 'log', 'main', 'run')


class StaveBus(wspbus.Bus):
    """A wspbus.Bus that runs one main job and reports its exit status."""

    def __init__(self):
        wspbus.Bus.__init__(self)
        for channel in CHANNELS:
            self.listeners.setdefault(channel, set())
        self.exit_code = 0
        self.failure = None

    def fail(self, error):
        """A plugin could not start (a store that will not open): the main job will not run."""
        self.failure = error
        self.exit_code = 1

    def run(self):
        """Start the plugins, run the main job in this thread, stop and exit; return the exit status."""
        try:
            self.start()
            if self.failure is None:
                self.publish('run')
        except SystemExit as exc:  # a signal, or the job's sys.exit()
            self.exit_code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        finally:
            if self.state != wspbus.states.EXITING:
                self.exit()
        self.block()
        return self.exit_code
