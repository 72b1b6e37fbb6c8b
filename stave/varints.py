"""LEB128 varints: seven bits a byte, low bits first, high bit set on all but
the last byte. Shared by the store's packed cell groups and the test map's
packed line sets."""
from __future__ import absolute_import, division, print_function, unicode_literals

from stave.compat import PY2

if PY2:  # pragma: no cover - exercised by the Jython test pass
    ONE_BYTE = [chr(n) for n in range(128)]
else:
    ONE_BYTE = [bytes((n,)) for n in range(128)]


def varint(number):
    """The bytes of a non-negative integer as a varint."""
    if number < 128:
        return ONE_BYTE[number]
    out = bytearray()
    while number >= 0x80:
        out.append((number & 0x7F) | 0x80)
        number >>= 7
    out.append(number)
    return bytes(out)


def read_varint(data, pos):
    """(number, position after it) for the varint at `pos` of a bytearray."""
    number = shift = 0
    while True:
        byte = data[pos]
        pos += 1
        number |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return number, pos
        shift += 7
