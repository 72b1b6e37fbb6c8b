"""LEB128 varints: seven bits a byte, low bits first, high bit set on all but
the last byte. Shared by the store's packed cell groups and the test map's
packed line sets: read_varint is the one decoder; read_varints reads a run of
them, taking runs of one-byte varints (nearly all of a packed line set)
without a loop in Python."""
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


# A translate table marking the bytes that continue a varint (high bit set).
_CONTINUES = bytes(bytearray(0x80 if n & 0x80 else 0 for n in range(256)))
_CONTINUE = b'\x80'


def read_varints(data):
    """The list of numbers of a run of varints filling `data` (bytes or bytearray)."""
    data = bytearray(data)
    marks = data.translate(_CONTINUES)
    find = marks.find
    stop = find(_CONTINUE)
    if stop < 0:  # all one-byte varints
        return list(data)
    numbers, end = list(data[:stop]) if stop else [], len(data)
    append, extend = numbers.append, numbers.extend
    while True:
        number, pos = read_varint(data, stop)
        append(number)
        if pos == end:
            return numbers
        if marks[pos]:  # another long varint
            stop = pos
            continue
        stop = find(_CONTINUE, pos)
        if stop < 0:
            extend(data[pos:])
            return numbers
        extend(data[pos:stop])  # a run of one-byte varints, in one slice
