"""The embedded store's Batch: buffered mutations sent as one SQLite transaction."""
from __future__ import absolute_import, division, print_function, unicode_literals

from stave.store.buffered_batch import BufferedBatch
from stave.store.table_info import now_ms


class Batch(BufferedBatch):
    """contract.Batch for the embedded store: every send is one transaction,
    so a send that fails writes nothing."""

    def send(self):
        """Send the buffered mutations now, as one transaction."""
        if self._empty():
            return
        # As in HBase, a mutation without a timestamp takes the current time:
        # puts are written at it and deletes remove the versions up to it.
        timestamp = self._timestamp if self._timestamp is not None else now_ms()
        self._table._engine.mutate(self._table.name, self._puts, self._deletes, timestamp, self._groups)
        self._reset()
