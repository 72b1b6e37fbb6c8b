"""Runs the store conformance suite once per backend provider."""
from __future__ import absolute_import, division, print_function, unicode_literals

import unittest

from store_backends import PROVIDERS
from store_conformance import StoreConformance


def _conformance_class(provider):
    name = 'Test%sConformance' % provider.name
    # A provider may name tests its backend cannot run, with the reason (reported as skips).
    skips = dict((test, unittest.skip(reason)(getattr(StoreConformance, test)))
                 for test, reason in getattr(provider, 'skips', {}).items())
    cls = type(str(name), (StoreConformance, unittest.TestCase), dict(skips, provider=provider))
    reason = provider.unavailable_reason()
    return unittest.skip(reason)(cls) if reason else cls


for _provider in PROVIDERS:
    _cls = _conformance_class(_provider)
    globals()[_cls.__name__] = _cls

del _provider, _cls  # one name per class, or runners collect it twice
