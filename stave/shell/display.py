"""How the shell shows results: the HBase shell's layout, and Python 3's repr.

Results print at the prompt, from `stave -c` and in scripts through show();
stave's result objects in the HBase shell's layout (ROW  COLUMN+CELL,
N row(s), Took X seconds), any other value as Python 3's repr. Bytes show as
stave.formatting.show_bytes shows them everywhere (its JSON and CSV too).
Everything here returns text built by hand, never repr() of text, so the
display is the same on Python 2 (Jython) and Python 3.
"""
from __future__ import absolute_import, division, print_function, unicode_literals

from stave.compat import binary_type, text_type
from stave.formatting import show_bytes

#: Width of the ROW / COLUMN column in row listings, as the HBase shell pads it.
KEY_WIDTH = 24


def show(value, out, check=None):
    """Print a result as the prompt would: stave results in their HBase layout, else
    Python 3's repr (the same on the JVM); None prints nothing.

    `check`, if given, is called before each line of a streamed result: it
    raises KeyboardInterrupt to stop a long scan (the JVM console's Ctrl-C)."""
    if value is None:
        return
    display_to = getattr(value, 'display_to', None)
    if display_to is not None:
        if check is None:
            display_to(out.write)
        else:
            def write(text):
                check()
                out.write(text)
            display_to(write)
    else:
        out.write(python_repr(value) + '\n')
    out.flush()


def quoted(data):
    """show_bytes in single quotes, escaping the quote: the repr of a stored value."""
    return "'%s'" % show_bytes(data).replace("'", "\\'")


def key_column(text):
    """Pad a row key or column name to the listing's first column."""
    return ' %s ' % text.ljust(KEY_WIDTH - 2)


def cell_line(key, column, timestamp, value):
    """One line of a scan:  row  column=f:q, timestamp=..., value=..."""
    return '%scolumn=%s, timestamp=%d, value=%s' % (
        key_column(show_bytes(key)), show_bytes(column), timestamp, show_bytes(value))


def get_line(column, timestamp, value):
    """One line of a get:  f:q  timestamp=..., value=..."""
    return '%stimestamp=%d, value=%s' % (key_column(show_bytes(column)), timestamp, show_bytes(value))


def header(left, right):
    return ('%s ' % left.ljust(KEY_WIDTH - 1)) + right


def footer(count, seconds, noun='row'):
    """The closing lines of every command: 'N row(s)' and 'Took X.XXXX seconds'."""
    return ['%d %s(s)' % (count, noun), took(seconds)]


def took(seconds):
    return 'Took %.4f seconds' % seconds


def python_repr(value):
    """repr() as Python 3 writes it, on either runtime: text without Python 2's
    u prefix, bytes with b, through lists, tuples, sets and dicts. The shell
    shows plain values (a query's list of test ids) with it, so a session
    reads the same on the JVM."""
    if isinstance(value, text_type):
        return repr(value)[1:] if repr(value).startswith('u') else repr(value)
    if isinstance(value, binary_type) and type(value) is binary_type:
        text = repr(value)
        return text if text.startswith('b') else 'b' + text
    if isinstance(value, list):
        return '[%s]' % ', '.join(python_repr(item) for item in value)
    if isinstance(value, tuple):
        inner = ', '.join(python_repr(item) for item in value)
        return '(%s,)' % inner if len(value) == 1 else '(%s)' % inner
    if isinstance(value, (set, frozenset)) and value:
        return '{%s}' % ', '.join(python_repr(item) for item in value)
    if type(value) is dict:
        return '{%s}' % ', '.join('%s: %s' % (python_repr(k), python_repr(v)) for k, v in value.items())
    return repr(value).rstrip('L') if type(value).__name__ == 'long' else repr(value)
