# -*- coding: utf-8 -*-
"""Results as text, JSON and CSV: the one path every face of stave writes through.

A result is rows under a header, and the same as a plain Python value:

- ``header``: the column names (a tuple of text);
- ``to_rows()``: the rows, each a tuple of cells (text, numbers, None, or a
  list or dict, which a cell shows as its JSON);
- ``to_python()``: the value JSON shows (by default, one {column: cell} per row).

The shell's result objects (stave.shell.results) are such results, and so is
an `Answer` of `stave query` and `stave info`. Each keeps its own text face
where people read it (the shell's HBase layout, `stave info`'s listing); the
rows, JSON and CSV come from here, and nowhere else.

Bytes show for people the same way in all three: UTF-8 text when they decode
and print, else HBase's toStringBinary (``\\xHH`` for every other byte).
Portable (Python 2.7 and 3): the shell loads it on Jython.
"""
from __future__ import absolute_import, division, print_function, unicode_literals

import io
import json
import unicodedata

from stave.compat import PY2, binary_type, native_str, text_type

#: What --format accepts.
FORMATS = ('text', 'json', 'csv')


# -- bytes for people --------------------------------------------------------------

def to_string_binary(data):
    """HBase's Bytes.toStringBinary: printable ASCII as is, every other byte as \\xHH."""
    return ''.join(chr(b) if 0x20 <= b < 0x7F else '\\x%02X' % b for b in bytearray(data))


def show_bytes(data):
    """Bytes for people: UTF-8 text if it decodes and is all printable, else toStringBinary.

    So b'hello world!' shows as hello world!, b'caf\\xc3\\xa9' as café, and
    b'\\x00\\x01' as \\x00\\x01; an empty value shows as nothing.
    """
    if not isinstance(data, binary_type):
        data = text_type(data).encode('utf-8')
    try:
        text = data.decode('utf-8')
    except UnicodeDecodeError:
        return to_string_binary(data)
    if all(_printable(ch) for ch in text):
        return text
    return to_string_binary(data)


def _printable(ch):
    if ' ' <= ch < '\x7f':
        return True
    return ch > '\x7f' and unicodedata.category(ch)[0] not in ('C', 'Z')


# -- the three formats ---------------------------------------------------------------

def plain(value):
    """`value` ready for JSON: bytes (also as dict keys) shown with show_bytes,
    through dicts, lists and tuples; everything else as it is."""
    if isinstance(value, binary_type):
        return show_bytes(value)
    if isinstance(value, dict):
        return dict((plain(k), plain(v)) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return [plain(item) for item in value]
    return value


def to_json(value):
    """`value` as one line of JSON text, keys sorted (the same on every runtime)."""
    return text_type(json.dumps(plain(value), sort_keys=True))


def cell_text(cell):
    """One cell as text: bytes for people, a list or dict as its JSON, None as nothing."""
    if cell is None:
        return ''
    if isinstance(cell, binary_type):
        return show_bytes(cell)
    if isinstance(cell, (list, tuple, dict)):
        return to_json(cell)
    if isinstance(cell, float):
        return text_type(repr(cell))  # Python 2's str() rounds to 12 digits
    return '%s' % (cell,)


def to_csv(header, rows):
    """A header line and the rows as CSV text (RFC 4180 quoting, lines ending in \\n)."""
    import csv  # only CSV output needs it
    lines = [list(header)] + [[cell_text(cell) for cell in row] for row in rows]
    if PY2:  # Python 2's csv module writes bytes only
        buffer = io.BytesIO()
        writer = csv.writer(buffer, lineterminator=native_str('\n'))
        writer.writerows([[text.encode('utf-8') for text in line] for line in lines])
        return buffer.getvalue().decode('utf-8')
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator='\n').writerows(lines)
    return buffer.getvalue()


def to_text(rows):
    """The rows as lines of tab-separated cells, without the header (for pipes: cut, sort)."""
    return ''.join('\t'.join(cell_text(cell) for cell in row) + '\n' for row in rows)


def render(result, fmt):
    """The result as text in format `fmt`: 'text' (its rows, tab-separated), 'json'
    (one line) or 'csv' (a header line, then the rows); each line ends in a newline."""
    if fmt == 'json':
        return result.to_json() + '\n'
    if fmt == 'csv':
        return result.to_csv()
    if fmt == 'text':
        return to_text(result.to_rows())
    raise ValueError('unknown format %r: expected one of %s' % (fmt, ', '.join(FORMATS)))


class Tabular(object):
    """What makes a result render: subclasses give `header` and to_rows(), and
    to_python() unless one {column: cell} per row is the value to show."""

    header = ()

    def to_rows(self):
        return []

    def to_python(self):
        return [dict(zip(self.header, row)) for row in self.to_rows()]

    def to_json(self):
        """The result as JSON text (bytes shown as UTF-8 text, else as \\xHH escapes)."""
        return to_json(self.to_python())

    def to_csv(self):
        """The result as CSV text under its header."""
        return to_csv(self.header, self.to_rows())


class Answer(Tabular):
    """A computed answer: its header, its rows and its value for JSON
    (one {column: cell} per row if `value` is not given)."""

    def __init__(self, header, rows, value=None):
        self.header = tuple(header)
        self.rows = list(rows)
        self.value = value

    def __bool__(self):
        return bool(self.rows)

    __nonzero__ = __bool__

    def __repr__(self):
        return native_str('<Answer %s: %d row(s)>' % (', '.join(self.header), len(self.rows)))

    def to_rows(self):
        return self.rows

    def to_python(self):
        return Tabular.to_python(self) if self.value is None else self.value
