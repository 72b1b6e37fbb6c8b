"""Pure helpers for HBase names and keys: columns, table and family names, prefixes."""
from __future__ import absolute_import, division, print_function, unicode_literals

import re

from stave.compat import binary_type, to_bytes

# HBase table qualifiers: word characters, '-', '.', optionally after a namespace 'ns:'.
_TABLE_NAME = re.compile(br'^(?:[A-Za-z0-9_]+:)?[A-Za-z0-9_][A-Za-z0-9_.\-]*$')


def bytes_increment(key):
    """Return the shortest byte string that sorts after every key starting with `key`.

    The last byte below 0xFF is incremented and what follows it dropped;
    a key made only of 0xFF bytes has no such bound, so None is returned
    (meaning "to the end of the table").
    """
    assert isinstance(key, binary_type)
    data = bytearray(key)
    for i in range(len(data) - 1, -1, -1):
        if data[i] != 0xFF:
            data[i] += 1
            return bytes(data[:i + 1])
    return None


def split_column(column):
    """Split b'family:qualifier' into (family, qualifier).

    b'family' (no colon) gives (family, None): the whole family. b'family:'
    gives (family, b''): the empty qualifier, a column of its own.
    """
    family, colon, qualifier = column.partition(b':')
    if not colon:
        return family, None
    return family, qualifier


def check_table_name(name):
    """Return `name` as bytes if it is a legal HBase table name, else raise ValueError."""
    name = to_bytes(name, 'name')
    if not _TABLE_NAME.match(name):
        raise ValueError(
            "illegal table name %r: use letters, digits, '_', '-' and '.' "
            "(optionally after a 'namespace:'), not starting with '-' or '.'" % (name,))
    return name


def check_family_name(name):
    """Return `name` as bytes if it is a legal column family name, else raise ValueError."""
    name = to_bytes(name, 'family')
    if name.endswith(b':'):
        name = name[:-1]
    bad = [c for c in bytearray(name) if c < 0x20 or c == 0x7F or c == ord(':')]
    if not name or name.startswith(b'.') or bad:
        raise ValueError(
            "illegal column family name %r: it must be non-empty, not start with '.', "
            "and contain no ':' or control characters" % (name,))
    return name
