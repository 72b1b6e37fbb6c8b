"""The test pass on the JVM (`ant test`): the portable suites under Jython.

Runs the store conformance suite (the embedded store over sqlite-jdbc, and
the hbase:// backend through HBase's Java client against a real standalone
HBase that hbase_server.py starts, with the jars `ant hbase-jars` resolves;
the CPython-only Thrift providers skip themselves), jvm_checks.py and
hbase_checks.py, with the Python 2.7 packages `ant deps` installed. Exit status 0 only if all pass.
Arguments name a part to run instead (unittest names, such as
test_store_conformance.TestSqliteConformance).
"""
from __future__ import absolute_import, division, print_function, unicode_literals

import os
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [os.path.dirname(HERE), HERE]

from stave.compat import JYTHON  # noqa: E402
from stave.jvm import prepare  # noqa: E402

SUITES = ['test_store_conformance', 'jvm_checks', 'hbase_checks']

if __name__ == '__main__':
    if not JYTHON:
        sys.exit('run this under Jython: ant test')
    prepare(__file__, [])
    names = sys.argv[1:] or SUITES  # e.g. test_store_conformance.TestSqliteConformance jvm_checks
    suite = unittest.TestSuite([unittest.defaultTestLoader.loadTestsFromName(name) for name in names])
    result = unittest.TextTestRunner(verbosity=1).run(suite)
    sys.exit(0 if result.wasSuccessful() else 1)
