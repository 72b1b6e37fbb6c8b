"""The store's one edge for argument checks, applied by every backend at the call.

Each function takes what a caller passed to a method of the store contract
(stave.store.contract) and returns it in the form backends work with (bytes
keys, split columns), or raises TypeError (wrong type) or ValueError (wrong
value) naming the argument. Backends call these before anything is sent or
buffered, so every backend refuses the same calls with the same errors.
What only a store can know (does the table exist, has it this family) is
not checked here.
"""
from __future__ import absolute_import, division, print_function, unicode_literals

from stave.compat import binary_type, is_integer, iteritems, to_bytes
from stave.sentinels import ALL_VERSIONS
from stave.store.families import table_families
from stave.store.names import check_table_name, split_column


def row_key(row, name='row'):
    """One row key as bytes (text is encoded as UTF-8)."""
    if type(row) is binary_type:  # the common case first: this runs per row written
        return row
    return to_bytes(row, name)


def row_keys(rows):
    """rows()'s `rows`: a tuple or list of keys, as a list of bytes."""
    if not isinstance(rows, (tuple, list)):
        raise TypeError("'rows' must be a tuple or list")
    return [to_bytes(row, 'row') for row in rows]


def read_columns(columns, timestamp):
    """A read's `columns` and `timestamp`: [(family, qualifier or None)], or
    None for every column. A qualifier of None means the whole family."""
    if columns is not None and not isinstance(columns, (tuple, list)):
        raise TypeError("'columns' must be a tuple or list")
    if timestamp is not None and not is_integer(timestamp):
        raise TypeError("'timestamp' must be an integer")
    if not columns:
        return None
    return [split_column(to_bytes(column, 'column')) for column in columns]


def versions(versions):
    """cells()'s `versions`: a number >= 1, or None for all of them (ALL_VERSIONS)."""
    if versions is None:
        return ALL_VERSIONS
    if not is_integer(versions):
        raise TypeError("'versions' argument must be a number or None")
    if versions < 1:
        raise ValueError("'versions' argument must be at least 1 (or None)")
    return versions


class ScanOptions(object):
    """scan()'s arguments, checked: keys as bytes (or None), `columns` as
    read_columns gives them, `filter` as bytes (or None)."""

    __slots__ = ('row_start', 'row_stop', 'row_prefix', 'columns', 'filter')

    def __init__(self, row_start, row_stop, row_prefix, columns, filter):
        self.row_start, self.row_stop, self.row_prefix = row_start, row_stop, row_prefix
        self.columns, self.filter = columns, filter


def scan_options(row_start, row_stop, row_prefix, columns, filter, timestamp, batch_size, scan_batching, limit):
    """Check scan()'s arguments; return a ScanOptions."""
    if not is_integer(batch_size) or batch_size < 1:
        raise ValueError("'batch_size' must be >= 1")
    if limit is not None and (not is_integer(limit) or limit < 1):
        raise ValueError("'limit' must be >= 1")
    if scan_batching is not None and (not is_integer(scan_batching) or scan_batching < 1):
        raise ValueError("'scan_batching' must be >= 1")
    if row_prefix is not None and (row_start is not None or row_stop is not None):
        raise TypeError("'row_prefix' cannot be combined with 'row_start' or 'row_stop'")
    return ScanOptions(
        to_bytes(row_start, 'row_start') if row_start is not None else None,
        to_bytes(row_stop, 'row_stop') if row_stop else None,  # b'' and None: no end
        to_bytes(row_prefix, 'row_prefix') if row_prefix is not None else None,
        read_columns(columns, timestamp),
        to_bytes(filter, 'filter') if filter is not None else None)


def batch_options(timestamp, batch_size, transaction):
    """Table.batch()'s options, checked: (timestamp, batch_size, transaction)."""
    if not (timestamp is None or is_integer(timestamp)):
        raise TypeError("'timestamp' must be an integer or None")
    if batch_size is not None:
        if transaction:
            raise TypeError("'transaction' cannot be used when 'batch_size' is specified")
        if not is_integer(batch_size):
            raise TypeError("'batch_size' must be an integer or None")
        if not batch_size > 0:
            raise ValueError("'batch_size' must be > 0")
    return timestamp, batch_size, bool(transaction)


def put_cells(row, data):
    """put()'s `row` and `data` ({b'family:qualifier': value}) as a list of
    cells (row, family, qualifier, value), all bytes."""
    # This loop runs once per cell written: bytes take the short path.
    if type(row) is not binary_type:
        row = to_bytes(row, 'row')
    if not isinstance(data, dict):
        raise TypeError("'data' must be a dict of {column: value}")
    cells = []
    append = cells.append
    for column, value in iteritems(data):
        if type(column) is not binary_type:
            column = to_bytes(column, 'column')
        family, colon, qualifier = column.partition(b':')
        if not colon:
            raise no_qualifier_error(column)
        if type(value) is not binary_type:
            value = to_bytes(value, 'value')
        append((row, family, qualifier, value))
    return cells


def single_cells(cells):
    """put_cells()'s iterable of (row, b'family:qualifier', value) as a list of
    cells (row, family, qualifier, value), checked as put() checks them."""
    checked = []
    append = checked.append
    for row, column, value in cells:
        if type(column) is binary_type and type(row) is binary_type and type(value) is binary_type:
            family, colon, qualifier = column.partition(b':')
            if colon:
                append((row, family, qualifier, value))
                continue
        checked.extend(put_cells(row, {column: value}))  # text, or the right error
    return checked


def put_columns(row, family, qualifiers, value):
    """put_columns()'s arguments: bytes only (row, family, value and every
    qualifier), a family without a colon. Returns the qualifiers as a list."""
    if type(row) is not binary_type or type(family) is not binary_type or type(value) is not binary_type:
        for name, given in (('row', row), ('family', family), ('value', value)):
            if type(given) is not binary_type:
                raise TypeError("put_columns: '%s' must be bytes, got %s" % (name, type(given).__name__))
    if b':' in family:
        raise ValueError('put_columns: family %r contains a colon' % family)
    if type(qualifiers) is not list:
        qualifiers = list(qualifiers)
    # This runs once per row of a bulk write: joining the list is the cheapest
    # check that it holds bytes only (a TypeError on Python 3; on Python 2,
    # text turns the result into text).
    try:
        joined = b''.join(qualifiers)
    except TypeError:
        joined = None
    if type(joined) is not binary_type:
        wrong = [q for q in qualifiers if type(q) is not binary_type][0]
        raise TypeError("put_columns: qualifiers must be bytes, got %s" % type(wrong).__name__)
    return qualifiers


def delete_columns(row, columns):
    """delete()'s `row` and `columns`: (row, [(family, qualifier or None)]),
    or (row, None) to delete the whole row."""
    row = to_bytes(row, 'row')
    if columns is None:
        return row, None
    if not isinstance(columns, (tuple, list)):
        raise TypeError("'columns' must be a tuple or list")
    return row, [split_column(to_bytes(column, 'column')) for column in columns]


def new_table(name, families):
    """create_table()'s arguments: (name, {family: complete options}); see
    names.check_table_name and families.table_families for the rules."""
    return check_table_name(name), table_families(families)


def counter_value(value):
    """counter_set()'s `value`: an integer that fits a signed 64-bit long."""
    if not is_integer(value):
        raise TypeError("'value' must be an integer")
    if not -2 ** 63 <= value < 2 ** 63:
        raise ValueError("'value' %d does not fit a counter (a signed 64-bit long)" % value)
    return value


def counter(row, column, value):
    """A counter call's arguments: (row, family, qualifier) as bytes; `value`
    must be an integer."""
    if not is_integer(value):
        raise TypeError("'value' must be an integer")
    family, qualifier = split_column(to_bytes(column, 'column'))
    return to_bytes(row, 'row'), family, qualifier or b''


def no_qualifier_error(column):
    """The ValueError for a column written without its ':qualifier' part."""
    return ValueError("column %r has no qualifier: write %r for the family's empty qualifier"
                      % (column, to_bytes(column, 'column') + b':'))
