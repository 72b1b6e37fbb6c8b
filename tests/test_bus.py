"""The process bus and its plugins."""
import inspect
import os
import subprocess
import sys

from stave.bus import CHANNELS, StaveBus
from stave.bus import plugins as stave_plugins
from stave.bus.cherrypy_process import load

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def plugin_classes():
    return [cls for _, cls in inspect.getmembers(stave_plugins, inspect.isclass)
            if cls.__module__ == stave_plugins.__name__]


def test_every_plugin_method_is_a_channel_or_a_declared_helper():
    """SimplePlugin subscribes methods by name, so a typo ('strat') would
    silently never run: every public method must name a channel."""
    assert len(plugin_classes()) >= 4
    for cls in plugin_classes():
        for name, member in vars(cls).items():
            if name.startswith('_') or not callable(member):
                continue
            assert name in CHANNELS or name in cls.helpers, '%s.%s is not a channel' % (cls.__name__, name)
        for helper in cls.helpers:
            assert helper not in CHANNELS, helper


def test_bus_runs_the_job_between_start_and_stop():
    events = []
    bus = StaveBus()

    class Recorder(stave_plugins.plugins.SimplePlugin):
        def start(self):
            events.append(('start', bus.state))

        def run(self):
            events.append(('run', bus.state))
            bus.exit_code = 7

        def stop(self):
            events.append(('stop', None))
    Recorder(bus).subscribe()
    assert bus.run() == 7
    wspbus = load()[0]
    assert [e[0] for e in events] == ['start', 'run', 'stop']
    assert events[1][1] == wspbus.states.STARTED
    assert bus.state == wspbus.states.EXITING


def test_system_exit_in_the_job_stops_the_bus_with_its_code():
    bus = StaveBus()
    stopped = []

    class Quitter(stave_plugins.plugins.SimplePlugin):
        def run(self):
            raise SystemExit(4)

        def stop(self):
            stopped.append(True)
    Quitter(bus).subscribe()
    assert bus.run() == 4 and stopped == [True]


def test_real_cherrypy_still_imports_after_the_light_bus_import():
    code = ('import sys; import stave.bus.plugins\n'
            "assert 'cherrypy' not in sys.modules and 'cherrypy.process.servers' not in sys.modules\n"
            'import cherrypy\n'
            'from cherrypy.process import wspbus\n'
            'import stave.bus\n'
            'assert wspbus.Bus is stave.bus.wspbus.Bus\n'
            'assert cherrypy.process.plugins is stave.bus.plugins.plugins\n'
            'assert cherrypy.engine.state == wspbus.states.STOPPED\n'
            'from cherrypy import _cpcompat\n'
            "assert hasattr(_cpcompat, 'ntou')  # the real module, not the bus's stand-in\n"
            "print('ok')\n")
    result = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True,
                            env=dict(os.environ, PYTHONPATH=ROOT))
    assert result.stdout == 'ok\n', result.stderr
