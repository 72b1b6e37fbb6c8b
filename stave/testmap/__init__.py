"""The test map: for every executed file:line, the tests that ran it.

    from stave.store import connect
    from stave.testmap import TestMap, MapWriter

    store = connect()
    MapWriter(store).write({'tests/test_db.py::test_save': {'app/db.py': {211, 212}}})
    TestMap(store).tests_for('app/db.py', 212)      # ['tests/test_db.py::test_save']

It speaks to the store through its public API only, so it runs on every backend.
"""
from __future__ import absolute_import, division, print_function, unicode_literals

from stave.testmap.queries import TestMap
from stave.testmap.writer import MapWriter

__all__ = ['TestMap', 'MapWriter']
