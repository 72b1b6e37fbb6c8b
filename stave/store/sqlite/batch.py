"""happybase's Batch: buffered puts and deletes, sent as one atomic write."""
from __future__ import absolute_import, division, print_function, unicode_literals

from stave.compat import binary_type, is_integer, iteritems, to_bytes
from stave.store.table_info import now_ms
from stave.store.names import no_qualifier_error, split_column


class Batch(object):
    """Collects mutations for one table and sends them together.

    Use it as happybase's: ``with table.batch(batch_size=1000) as b: b.put(...)``.
    Every send is one transaction in the embedded store. Within a send, puts
    are applied before deletes, as HBase's Thrift gateway applies a batch, so
    a put and a delete of the same cell in one batch leave it deleted.
    """

    def __init__(self, table, timestamp=None, batch_size=None, transaction=False, wal=True):
        if not (timestamp is None or is_integer(timestamp)):
            raise TypeError("'timestamp' must be an integer or None")
        if batch_size is not None:
            if transaction:
                raise TypeError("'transaction' cannot be used when 'batch_size' is specified")
            if not batch_size > 0:
                raise ValueError("'batch_size' must be > 0")
        self._table = table
        self._batch_size = batch_size
        self._timestamp = timestamp
        self._transaction = transaction
        self._wal = wal  # accepted for compatibility; the embedded store always logs
        self._reset()

    def _reset(self):
        self._puts = []
        self._groups = []
        self._grouped = 0  # cells in self._groups
        self._deletes = []

    def __len__(self):
        """The number of cells waiting to be sent (happybase counts cells, not rows)."""
        return len(self._puts) + self._grouped + len(self._deletes)

    def send(self):
        """Send the buffered mutations now, as one transaction."""
        if not self._puts and not self._groups and not self._deletes:
            return
        # As in HBase, a mutation without a timestamp takes the current time:
        # puts are written at it and deletes remove the versions up to it.
        timestamp = self._timestamp if self._timestamp is not None else now_ms()
        self._table._engine.mutate(self._table.name, self._puts, self._deletes, timestamp, self._groups)
        self._reset()

    def put(self, row, data, wal=None):
        """Store `data` ({b'family:qualifier': value}) in `row`."""
        # This loop runs once per cell written: bytes take the short path.
        if type(row) is not binary_type:
            row = to_bytes(row, 'row')
        if not isinstance(data, dict):
            raise TypeError("'data' must be a dict of {column: value}")
        append = self._puts.append
        for column, value in iteritems(data):
            if type(column) is not binary_type:
                column = to_bytes(column, 'column')
            family, colon, qualifier = column.partition(b':')
            if not colon:
                raise no_qualifier_error(column)
            if type(value) is not binary_type:
                value = to_bytes(value, 'value')
            append((row, family, qualifier, value))
        self._maybe_send()

    def put_cells(self, cells):
        """Store many single cells: an iterable of (row, b'family:qualifier', value),
        all bytes. A stave extension for bulk writers (stave serve's mutateRows)
        that spares a dict per cell; the cells are checked as put() checks them."""
        append = self._puts.append
        for row, column, value in cells:
            family, colon, qualifier = column.partition(b':')
            if not colon or type(row) is not binary_type or type(value) is not binary_type:
                self.put(row, {column: value})  # the slow path raises the right error
                continue
            append((row, family, qualifier, value))
        self._maybe_send()

    def put_columns(self, row, family, qualifiers, value=b''):
        """Store `value` (empty by default) in each column `qualifiers` of one
        family of `row`. A stave extension for bulk writers of marker columns
        (the test map's lines table: a column per test, no value), so it takes
        bytes only, never text: row, family and value are checked here, and
        the qualifiers (a list, fastest sorted and free of repeats) when the
        batch is sent (a TypeError, nothing written). The embedded store packs
        the list as it is, without a tuple or dict per cell; it keeps the list
        until then, so do not change it."""
        qualifiers = checked_columns(row, family, qualifiers, value, each=self._check_each_qualifier)
        if not qualifiers:
            return
        if self._puts:
            # After a single put, as single puts: a send applies a batch's
            # groups before its single puts, so call order is kept.
            self._puts.extend([(row, family, qualifier, value) for qualifier in qualifiers])
        else:
            self._groups.append(self._group(row, family, qualifiers, value))
            self._grouped += len(qualifiers)
        if self._batch_size:  # checked here first: this runs once per row of a bulk write
            self._maybe_send()

    #: Whether put_columns checks every qualifier at the call (the embedded
    #: engine checks them as it packs the list).
    _check_each_qualifier = False

    def _group(self, row, family, qualifiers, value):
        """What a send gets for one put_columns call: the engine packs this tuple."""
        return (row, family, qualifiers, value)

    def delete(self, row, columns=None, wal=None):
        """Delete `columns` of `row` (b'family' for a whole family), or the whole row."""
        row = to_bytes(row, 'row')
        if columns is None:
            self._deletes.append((row, None, None))
        else:
            if not isinstance(columns, (tuple, list)):
                raise TypeError("'columns' must be a tuple or list")
            for column in columns:
                family, qualifier = split_column(to_bytes(column, 'column'))
                self._deletes.append((row, family, qualifier))
        self._maybe_send()

    def _maybe_send(self):
        if self._batch_size and len(self) >= self._batch_size:
            self.send()

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc_value, traceback):
        # A transaction batch whose block raised sends nothing.
        if self._transaction and exc_type is not None:
            return
        self.send()


def checked_columns(row, family, qualifiers, value, each=False):
    """The arguments of put_columns checked alike on every backend: bytes row,
    family and value, a family without a colon; `each` checks every qualifier
    too (the embedded store leaves that to its packing). Returns the
    qualifiers as a list."""
    if type(row) is not binary_type or type(family) is not binary_type or type(value) is not binary_type:
        for name, given in (('row', row), ('family', family), ('value', value)):
            if type(given) is not binary_type:
                raise TypeError("put_columns: '%s' must be bytes, got %s" % (name, type(given).__name__))
    if b':' in family:
        raise ValueError('put_columns: family %r contains a colon' % family)
    if not isinstance(qualifiers, list):
        qualifiers = list(qualifiers)
    if each:
        for qualifier in qualifiers:
            if type(qualifier) is not binary_type:
                raise TypeError("put_columns: qualifiers must be bytes, got %s" % type(qualifier).__name__)
    return qualifiers
