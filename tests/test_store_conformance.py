"""The store conformance suite (store_conformance.py), once per backend.

Each class below runs every rule of the contract against one backend; a
backend that cannot run on this machine (the Thrift ones on the JVM, the
hbase:// one on CPython) skips its class with the reason.
"""
from __future__ import absolute_import, division, print_function, unicode_literals

import unittest

from store_backends import HBaseJavaProvider, HBaseThriftProvider, SqliteProvider, ThriftProvider
from store_conformance import StoreConformance


class TestSqliteConformance(StoreConformance, unittest.TestCase):
    """The embedded store."""
    provider = SqliteProvider()


class TestThriftBufferedBinaryConformance(StoreConformance, unittest.TestCase):
    """thrift:// to stave serve, buffered transport, binary protocol."""
    provider = ThriftProvider('buffered', 'binary')


class TestThriftFramedCompactConformance(StoreConformance, unittest.TestCase):
    """thrift:// to stave serve, framed transport, compact protocol."""
    provider = ThriftProvider('framed', 'compact')


class TestHBaseThriftBufferedBinaryConformance(StoreConformance, unittest.TestCase):
    """thrift:// to a real HBase's Thrift server, buffered/binary."""
    provider = HBaseThriftProvider('buffered-binary')


class TestHBaseThriftFramedCompactConformance(StoreConformance, unittest.TestCase):
    """thrift:// to a real HBase's Thrift server, framed/compact."""
    provider = HBaseThriftProvider('framed-compact')


class TestHBaseJavaConformance(StoreConformance, unittest.TestCase):
    """hbase:// to a real HBase through its Java client (on the JVM)."""
    provider = HBaseJavaProvider()
