"""The Thrift backend's Batch: happybase's mutation buffer, with stave's
argument checks at the call and a send that checks families first and goes
in parts. CPython only."""
import happybase

from stave.errors import StoreError
from stave.store import arguments, contract

# The IDL's structs, loaded by happybase as the module Hbase_thrift.
from Hbase_thrift import BatchMutation  # noqa: E402


class Batch(contract.Batch, happybase.Batch):
    """contract.Batch over happybase.Batch's buffer ({row: [Mutation]}).

    HBase applies a batch row by row, not atomically; so that the commonest
    failure (a family the table lacks) writes nothing, families are checked
    against the table's before anything is sent.
    """

    def __init__(self, table, timestamp=None, batch_size=None, transaction=False, wal=True):
        contract.Batch.__init__(self, table, timestamp=timestamp, batch_size=batch_size,
                                transaction=transaction, wal=wal)
        happybase.Batch.__init__(self, table, timestamp=timestamp, batch_size=batch_size,
                                 transaction=transaction, wal=wal)

    def put(self, row, data, wal=None):
        cells = arguments.put_cells(row, data)
        if cells:
            happybase.Batch.put(self, cells[0][0], data, wal=wal)

    def put_cells(self, cells):
        for row, family, qualifier, value in arguments.single_cells(cells):
            happybase.Batch.put(self, row, {family + b':' + qualifier: value})

    def put_columns(self, row, family, qualifiers, value=b''):
        qualifiers = arguments.put_columns(row, family, qualifiers, value)
        if qualifiers:
            happybase.Batch.put(self, row, dict((family + b':' + qualifier, value) for qualifier in qualifiers))

    def delete(self, row, columns=None, wal=None):
        row, _ = arguments.delete_columns(row, columns)
        happybase.Batch.delete(self, row, columns, wal=wal)

    def send(self):
        """Send the buffered mutations, once their families are known to be the
        table's, in calls of at most SEND_CELLS cells (HBase's Thrift server
        decodes a whole call in memory: one call of two million cells runs its
        heap out); a write to a disabled table fails with TableNotEnabledError."""
        families = set(_family(mutation.column) for mutations in self._mutations.values()
                       for mutation in mutations if mutation.column)
        if families:
            self._table.require_families(families)
        client, name = self._table.connection.client, self._table.name
        try:
            for part in _parts(self._mutations, SEND_CELLS):
                if self._timestamp is None:
                    client.mutateRows(name, part, {})
                else:
                    client.mutateRowsTs(name, part, self._timestamp, {})
        except StoreError:
            self._table.explain_write_failure()
            raise
        self._reset_mutations()


#: The most cells one mutateRows call carries.
SEND_CELLS = 20000


def _parts(mutations, size):
    """Lists of BatchMutations from {row: [Mutation]}, about `size` mutations each
    (a row is never split: HBase applies each row's mutations together)."""
    part, count = [], 0
    for row, row_mutations in mutations.items():
        part.append(BatchMutation(row, row_mutations))
        count += len(row_mutations)
        if count >= size:
            yield part
            part, count = [], 0
    if part:
        yield part


def _family(column):
    if type(column) is not bytes:
        column = column.encode('utf-8')  # checked at the call: text or bytes
    return column.partition(b':')[0]
