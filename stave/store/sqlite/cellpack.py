"""How the embedded store packs a group of cells into one SQLite value.

A group is the cells one write put into one family of one row: they share
the row, the family and the timestamp, which live in the record's key. The
group's value lists its cells sorted by qualifier, each as

    varint(len(qualifier)) qualifier varint(len(value)) value

with LEB128 varints (one byte below 128). One record per group instead of one
per cell is what lets a bulk import write hundreds of thousands of cells a
second: SQLite's cost is per record, and an imported test map's rows gain
many cells in one write.

CellGroup is such a group on its way to the store, as one write makes it.
"""
from __future__ import absolute_import, division, print_function, unicode_literals

import operator

from stave.compat import iteritems
from stave.varints import ONE_BYTE, read_varint, varint


def pack_cells(cells):
    """The packed value of a list [(qualifier, value)], which must be sorted by
    qualifier and free of repeated qualifiers."""
    try:
        # Qualifiers and values shorter than 128 bytes (nearly all): one pass in C.
        return b''.join([ONE_BYTE[len(q)] + q + ONE_BYTE[len(v)] + v for q, v in cells])
    except IndexError:
        pass
    parts = []
    append = parts.append
    for qualifier, value in cells:
        append(varint(len(qualifier)))
        append(qualifier)
        append(varint(len(value)))
        append(value)
    return b''.join(parts)


def pack_cell_dict(cells):
    """The packed value of {qualifier: value}."""
    return pack_cells(sorted(iteritems(cells)))


def pack_columns(qualifiers, value):
    """The packed value of cells holding `value` in each of `qualifiers` (a
    list of bytes: fastest when sorted and free of repeats, as the test map
    writes it)."""
    if not all(map(operator.lt, qualifiers[:-1], qualifiers[1:])):
        qualifiers = sorted(set(qualifiers))
    if qualifiers and not value:
        size = len(qualifiers[0])
        if size < 128 and list(map(len, qualifiers)).count(size) == len(qualifiers):
            # Qualifiers of one length and empty values, as the test map writes
            # them: the whole group in one join.
            lead = ONE_BYTE[size]
            return lead + (b'\x00' + lead).join(qualifiers) + b'\x00'
    return pack_cells([(qualifier, value) for qualifier in qualifiers])


def unpack_cells(packed):
    """[(qualifier, value)] from a packed group, in qualifier order."""
    # bytearray indexes as ints on Python 2 and 3 alike; slices of `packed`
    # keep the interpreter's bytes type.
    data = bytearray(packed)
    cells, pos, end = [], 0, len(data)
    while pos < end:
        size = data[pos]
        pos += 1
        if size & 0x80:
            size, pos = read_varint(data, pos - 1)
        qualifier = packed[pos:pos + size]
        pos += size
        size = data[pos]
        pos += 1
        if size & 0x80:
            size, pos = read_varint(data, pos - 1)
        cells.append((qualifier, packed[pos:pos + size]))
        pos += size
    return cells


def unpack_qualifiers(packed):
    """The qualifiers of a packed group, in order, without their values. A
    group of marker cells (qualifiers of one length under 128 bytes, empty
    values: the test map's line rows) is cut apart by slicing alone."""
    if packed:
        size = bytearray(packed[:1])[0]
        step = size + 2
        count = len(packed) // step
        if size < 0x80 and count * step == len(packed) and packed[::step] == packed[:1] * count \
                and packed[size + 1::step] == b'\x00' * count:
            return [packed[start:start + size] for start in range(1, len(packed), step)]
    return [qualifier for qualifier, _ in unpack_cells(packed)]


class CellGroup(object):
    """The cells one write puts into one family of one row, on their way to
    be stored as one record (keyed by the row, the family and the write's
    timestamp). Qualifiers and values are bytes (the Batch checks them).

    A group starts either as one put_columns call, `qualifiers` (a list) all
    holding `value`, kept as it came: the bulk import's shape, packed with
    one join and no tuple or dict per cell; or as `cells`, {qualifier: value}.
    Writing more cells into it (through writable_cells) turns it into
    `cells`, where a cell written again takes the new value.
    """
    __slots__ = ('row', 'family', 'qualifiers', 'value', 'cells')

    def __init__(self, row, family, qualifiers=(), value=b'', cells=None):
        self.row = row
        self.family = family
        self.qualifiers = qualifiers
        self.value = value
        self.cells = cells

    def __repr__(self):
        return 'CellGroup(%r, %r, %r)' % (self.row, self.family, sorted(self.cell_dict().items()))

    def cell_dict(self):
        """The group's cells as {qualifier: value} (a new dict for a
        put_columns group; the group's own otherwise)."""
        if self.cells is None:
            return dict.fromkeys(self.qualifiers, self.value)
        return self.cells

    def writable_cells(self):
        """The group's own {qualifier: value}, to write more cells into (a
        put_columns group turns into this form)."""
        if self.cells is None:
            self.cells = dict.fromkeys(self.qualifiers, self.value)
            self.qualifiers = self.value = None
        return self.cells

    def pack(self):
        """The packed value of the group's cells (as pack_cells makes it)."""
        if self.cells is None:
            return pack_columns(self.qualifiers, self.value)
        return pack_cell_dict(self.cells)

    def merged_into(self, packed):
        """The packed value of the stored group `packed` with this group's
        cells written over it: a cell written again takes the new value, as
        in HBase; the stored group's other cells stay."""
        merged = dict(unpack_cells(packed))
        merged.update(self.cell_dict())
        return pack_cell_dict(merged)
