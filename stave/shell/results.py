"""Result objects of shell commands: plain Python in scripts, HBase-shell text at the prompt.

Each result has two faces. ``repr()`` is the Python one (``'hello world!'``,
``('aRow', {'aFamily:aColumn': 'hello world!'})``) so results compose in
scripts; ``str()`` and the prompt show the HBase shell's layout, ending with
``N row(s)`` and ``Took X.XXXX seconds``. Every result is also rows under a
``header``: ``to_rows()`` (tuples of cells), ``to_python()``, ``to_json()`` and
``to_csv()``, rendered by stave.formatting as `stave query` and `stave info`
render theirs.
"""
from __future__ import absolute_import, division, print_function, unicode_literals

import time

from stave.compat import PY2, binary_type, native_str, text_type, to_bytes
from stave.formatting import Tabular
from stave.sentinels import FOREVER
from stave.shell import display


class Value(binary_type):
    """Bytes from the store that read as text: repr 'hello world!', equal to the text too.

    It is the bytes (indexing, slicing, len are the bytes'); comparing with text
    compares with its UTF-8 encoding, so ``value == 'hello world!'`` works.
    """

    __slots__ = ()

    def __repr__(self):
        return native_str(display.quoted(self))

    if not PY2:
        def __str__(self):
            return display.show_bytes(self)

    def __eq__(self, other):
        if isinstance(other, text_type):
            other = other.encode('utf-8')
        return binary_type.__eq__(self, other)

    def __ne__(self, other):
        return not self == other

    __hash__ = binary_type.__hash__

    @property
    def text(self):
        """The value as text, for display (toStringBinary where not UTF-8)."""
        return display.show_bytes(self)


class Result(Tabular):
    """Common behaviour: `lines()` is the HBase-shell display, timed from `started`;
    rows, JSON and CSV as stave.formatting.Tabular renders them."""

    started = None

    def lines(self):
        """Yield the display lines (overridden); the footer is added by display_to."""
        return iter(())

    def count(self):
        return 0

    def display_to(self, write):
        """Write the HBase-shell display line by line (the prompt uses this to stream)."""
        for line in self.lines():
            write(line + '\n')
        for line in self.footer():
            write(line + '\n')

    def footer(self):
        return display.footer(self.count(), time.time() - (self.started or time.time()))

    def __str__(self):
        parts = []
        self.display_to(parts.append)
        return native_str(''.join(parts).rstrip('\n'))


class RowData(dict):
    """A row's {column: value} with Value keys; text keys work for lookups."""

    def __getitem__(self, column):
        return dict.__getitem__(self, to_bytes(column, 'column'))

    def get(self, column, default=None):
        return dict.get(self, to_bytes(column, 'column'), default)

    def __contains__(self, column):
        return dict.__contains__(self, to_bytes(column, 'column'))

    def __repr__(self):
        return native_str(self.python_text())

    def python_text(self):
        """The repr as text, the same on Python 2 and 3."""
        return '{%s}' % ', '.join('%s: %s' % (display.quoted(k), display.quoted(v)) for k, v in sorted(self.items()))


#: The columns of a row's and a scan's rows: one per cell shown.
CELL_HEADER = ('row', 'column', 'timestamp', 'value')


class Row(tuple, Result):
    """One row: a (key, {column: value}) pair like happybase's, plus every cell shown.

    `cells` are (column, timestamp, value) in display order, all versions read.
    """

    header = CELL_HEADER

    def __new__(cls, key, cells, started=None):
        data = RowData()
        for column, _, value in cells:
            data.setdefault(Value(column), Value(value))
        row = tuple.__new__(cls, (Value(key), data))
        row.cells = [(Value(c), ts, Value(v)) for c, ts, v in cells]
        row.started = started
        return row

    key = property(lambda self: self[0], doc='The row key (a Value).')
    data = property(lambda self: self[1], doc='{column: newest value}.')

    def __repr__(self):
        return native_str(self.python_text())

    def python_text(self):
        """The repr as text, the same on Python 2 and 3."""
        return '(%s, %s)' % (display.quoted(self[0]), self[1].python_text())

    def count(self):
        return 1 if self.cells else 0

    def lines(self):
        yield display.header('COLUMN', 'CELL')
        for column, ts, value in self.cells:
            yield display.get_line(column, ts, value)

    def to_rows(self):
        return [(self[0].text, column.text, ts, value.text) for column, ts, value in self.cells]


class ScanResult(Result):
    """The rows of a scan. Iterating runs the scan and streams rows; len(),
    indexing and comparison read it all once and keep it."""

    header = CELL_HEADER

    def __init__(self, produce, started):
        self._produce = produce
        self._rows = None
        self.started = started
        self._count = 0

    def __iter__(self):
        return iter(self._rows) if self._rows is not None else self._produce()

    def _all(self):
        if self._rows is None:
            self._rows = list(self._produce())
        return self._rows

    def __len__(self):
        return len(self._all())

    def __getitem__(self, index):
        return self._all()[index]

    def __eq__(self, other):
        return self._all() == list(other)

    def __ne__(self, other):
        return not self == other

    __hash__ = None

    def __repr__(self):
        return native_str('[%s]' % ', '.join(row.python_text() for row in self._all()))

    def lines(self):
        yield display.header('ROW', 'COLUMN+CELL')
        self._count = 0
        for row in self:
            self._count += 1
            for column, ts, value in row.cells:
                yield display.cell_line(row[0], column, ts, value)

    def count(self):
        return self._count

    def to_rows(self):
        return [line for row in self for line in row.to_rows()]


class Names(list, Result):
    """A list of names (tables, families) shown under a one-word header."""

    def __init__(self, names, heading, started):
        list.__init__(self, [Value(n) for n in names])
        self.heading = heading
        self.started = started

    @property
    def header(self):
        return (self.heading.lower(),)

    def __repr__(self):
        return native_str('[%s]' % ', '.join(display.quoted(n) for n in self))

    def lines(self):
        yield self.heading
        for name in self:
            yield display.show_bytes(name)

    def count(self):
        return len(self)

    def to_rows(self):
        return [(name.text,) for name in self]

    def to_python(self):
        return [name.text for name in self]


_DESCRIBE_KEYS = (
    ('VERSIONS', 'max_versions'), ('TTL', 'time_to_live'), ('COMPRESSION', 'compression'),
    ('IN_MEMORY', 'in_memory'), ('BLOOMFILTER', 'bloom_filter_type'), ('BLOCKCACHE', 'block_cache_enabled'))


class Description(dict, Result):
    """A table's families and their options, shown as the HBase shell's describe;
    its rows are one per family, with the table's name and state."""

    header = ('table', 'enabled', 'family') + tuple(key for _, key in _DESCRIBE_KEYS)

    def __init__(self, table, enabled, families, started):
        dict.__init__(self, ((Value(name), options) for name, options in families.items()))
        self.table = Value(table)
        self.enabled = enabled
        self.started = started

    def lines(self):
        yield 'Table %s is %s' % (self.table.text, 'ENABLED' if self.enabled else 'DISABLED')
        yield self.table.text
        yield 'COLUMN FAMILIES DESCRIPTION'
        for name in sorted(self):
            options = self[name]
            fields = ['NAME => %s' % display.quoted(name)]
            for label, key in _DESCRIBE_KEYS:
                value = options.get(key)
                if key == 'time_to_live' and value == FOREVER:
                    value = 'FOREVER'
                elif isinstance(value, bool):
                    value = 'true' if value else 'false'
                fields.append("%s => '%s'" % (label, value))
            yield '{%s}' % ', '.join(fields)

    def count(self):
        return len(self)

    def to_rows(self):
        return [(self.table.text, self.enabled, name.text) + tuple(self[name].get(key) for _, key in _DESCRIBE_KEYS)
                for name in sorted(self)]

    def to_python(self):
        return {'table': self.table.text, 'enabled': self.enabled,
                'families': dict((name.text, dict((k, v) for k, v in self[name].items() if k != 'name'))
                                 for name in self)}


class Number(int, Result):
    """A count or a counter value; `label` formats the display line, if any."""

    header = ('value',)

    def __new__(cls, value, started, label=None, noun='row'):
        number = int.__new__(cls, value)
        number.started, number.label, number.noun = started, label, noun
        return number

    def lines(self):
        if self.label:
            yield self.label % int(self)

    def footer(self):
        if self.label:
            return [display.took(time.time() - self.started)]
        return display.footer(int(self), time.time() - self.started, self.noun)

    def to_rows(self):
        return [(int(self),)]

    def to_python(self):
        return int(self)


class Status(Result):
    """What a command did ('Created table t'), shown with its time; falsy if nothing to say."""

    header = ('message',)

    def __init__(self, message, started):
        self.message = message
        self.started = started

    def __repr__(self):
        return native_str('<%s>' % (self.message or 'done'))

    def __bool__(self):
        return bool(self.message)

    __nonzero__ = __bool__

    def lines(self):
        if self.message:
            yield self.message

    def footer(self):
        return [display.took(time.time() - self.started)]

    def to_rows(self):
        return [(self.message,)]

    def to_python(self):
        return self.message
