"""CherryPy's process bus (wspbus and its plugins), imported without CherryPy's web stack.

``from cherrypy.process import wspbus`` first runs ``cherrypy/__init__.py``,
which imports CherryPy's whole HTTP framework, and ``cherrypy/process/__init__.py``,
which imports its HTTP server helpers: together about 150 ms of a 250 ms shell
start on this machine (see bench/startup_bench.py), and about 3 s on Jython. wspbus and plugins need
only the standard library, six and three small names from cherrypy._cpcompat
(whose own imports, HTTP and URL modules, cost another 0.5 s on Jython). So, when
CherryPy is not imported yet, bare package modules stand in for ``cherrypy``
and ``cherrypy.process``, and a module with those three names for
``cherrypy._cpcompat``, while those two modules are imported, and are
removed again. A later ``import cherrypy`` (the web UI) then runs the real
packages, which reuse these same wspbus and plugins modules. If a CherryPy
release ever needs more of its packages to import them, the plain import is
used instead. One corner differs: a later real ``cherrypy.process`` package
reaches wspbus through ``from cherrypy.process import wspbus`` (as CherryPy's
own code does) but has no ``wspbus`` attribute until that import.
"""
from __future__ import absolute_import, division, print_function, unicode_literals

import sys

from stave.compat import PY2


_BUS_MODULES = ('cherrypy.process.wspbus', 'cherrypy.process.plugins')


def load():
    """Return CherryPy's (wspbus, plugins) modules, importing as little as possible."""
    if all(name in sys.modules for name in _BUS_MODULES):
        return tuple(sys.modules[name] for name in _BUS_MODULES)
    if 'cherrypy' not in sys.modules:
        try:
            _import_without_package_init()
            return tuple(sys.modules[name] for name in _BUS_MODULES)
        except (ImportError, AttributeError):
            for name in [n for n in sys.modules if n == 'cherrypy' or n.startswith('cherrypy.')]:
                del sys.modules[name]
    from cherrypy.process import plugins, wspbus
    return wspbus, plugins


def _cherrypy_path():
    """The directories of the cherrypy package, found without importing it."""
    if PY2:  # Jython: CherryPy 17.4.2 (its package init costs about 3.5 s there)
        import imp
        return [imp.find_module('cherrypy')[1]]
    import importlib.util
    spec = importlib.util.find_spec('cherrypy')
    if spec is None or not spec.submodule_search_locations:
        raise ImportError('CherryPy is not installed')
    return list(spec.submodule_search_locations)


def _import_without_package_init():
    import importlib
    import os
    import types
    root = _cherrypy_path()
    stand_ins = {'cherrypy': root, 'cherrypy.process': [os.path.join(path, 'process') for path in root]}
    for name, path in stand_ins.items():
        module = types.ModuleType(str(name))
        module.__path__ = path
        sys.modules[name] = module
    sys.modules['cherrypy._cpcompat'] = _cpcompat_stand_in()
    try:
        for name in _BUS_MODULES:
            importlib.import_module(name)
    finally:
        for name in list(stand_ins) + ['cherrypy._cpcompat']:
            del sys.modules[name]


def _cpcompat_stand_in():
    """The three names plugins.py takes from cherrypy._cpcompat, whose own import
    pulls in http.client and urllib (about 0.5 s of the JVM shell's start)."""
    import threading
    import types
    module = types.ModuleType(str('cherrypy._cpcompat'))
    module.text_or_bytes = (type(u''), bytes)
    module.ntob = lambda text, encoding='ISO-8859-1': text.encode(encoding) if isinstance(text, type(u'')) else text
    module.Timer = threading.Timer if not PY2 else threading._Timer
    return module
