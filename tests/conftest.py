"""Test configuration: make the helper modules in tests/ importable, mark the
tests that need the suite's real HBase (`pytest -m "not hbase"` leaves them
out where no JDK runs) and run them last, and stop that HBase when the
session ends."""
import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from hbase_server import LOCAL  # noqa: E402


def pytest_collection_modifyitems(items):
    for item in items:
        provider = getattr(getattr(item, 'cls', None), 'provider', None)
        if getattr(provider, 'real_hbase', False):
            item.add_marker(pytest.mark.hbase)
    # The HBase tests last: HBase starts with the first of them, so the
    # timing-sensitive tests (terminals, signals) run before its JVMs exist.
    items.sort(key=lambda item: item.get_closest_marker('hbase') is not None)


def pytest_sessionfinish(session):
    LOCAL.stop()


@pytest.fixture(autouse=True)
def _fail_without_its_python(request):
    """A test marked missing_python (test_collector.interpreters() under CI=true)
    fails: CI must have every Python the collector supports."""
    marker = request.node.get_closest_marker('missing_python')
    if marker is not None:
        pytest.fail('Python %s with pytest and stave is missing; .ci/run installs them' % marker.args[0])
