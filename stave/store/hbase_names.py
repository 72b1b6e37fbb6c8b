"""HBase's names for its failures, shared by both HBase backends.

HBase names its failures by Java class (``TableNotFoundException`` and so on).
The HBase Java client raises them as Java exceptions (stave.store.hbase.errors);
HBase's Thrift gateway sends their names inside its IOError messages, and
``stave serve`` does the same (stave.store.thrift.errors). Both map them onto
stave's error tree through this one table.
"""
from __future__ import absolute_import, division, print_function, unicode_literals

from stave.errors import (
    NoSuchColumnFamilyError, TableExistsError, TableNotDisabledError, TableNotEnabledError, TableNotFoundError)

#: stave error class -> the Java exception class HBase raises for the same failure.
#: Order matters when a message is searched: the first name found wins.
HBASE_NAMES = [
    (TableNotFoundError, 'org.apache.hadoop.hbase.TableNotFoundException'),
    (TableExistsError, 'org.apache.hadoop.hbase.TableExistsException'),
    (TableNotEnabledError, 'org.apache.hadoop.hbase.TableNotEnabledException'),
    (TableNotDisabledError, 'org.apache.hadoop.hbase.TableNotDisabledException'),
    (NoSuchColumnFamilyError, 'org.apache.hadoop.hbase.regionserver.NoSuchColumnFamilyException'),
]

#: What HBase says when an increment meets a cell that is not an 8-byte long.
NOT_A_LONG = 'Field is not a long'
