"""A Batch that buffers checked mutations until sent: the embedded and the
HBase Java backends share it and differ only in how they send.

Mutations wait in three lists: `_groups` (one entry per put_columns call,
in the form the backend's `_group` makes), `_puts` (single cells (row,
family, qualifier, value)) and `_deletes` ((row, family or None, qualifier or
None)). A send applies the groups, then the single puts, then the deletes;
so that call order still decides between a group and a single put of the
same cell, put_columns after a single put buffers single puts too.
"""
from __future__ import absolute_import, division, print_function, unicode_literals

from stave.store import arguments, contract


class BufferedBatch(contract.Batch):
    """contract.Batch over three buffers; subclasses implement send() (and
    may override _group), then call _reset() once it succeeded."""

    def __init__(self, table, timestamp=None, batch_size=None, transaction=False, wal=True):
        contract.Batch.__init__(self, table, timestamp=timestamp, batch_size=batch_size,
                                transaction=transaction, wal=wal)
        self._reset()

    def _reset(self):
        """Empty the buffers (after a successful send)."""
        self._puts = []
        self._groups = []
        self._grouped = 0  # cells in self._groups
        self._deletes = []

    def __len__(self):
        """The number of cells waiting to be sent (happybase counts cells, not rows)."""
        return len(self._puts) + self._grouped + len(self._deletes)

    def _empty(self):
        return not (self._puts or self._groups or self._deletes)

    def put(self, row, data, wal=None):
        self._puts.extend(arguments.put_cells(row, data))
        self._maybe_send()

    def put_cells(self, cells):
        self._puts.extend(arguments.single_cells(cells))
        self._maybe_send()

    def put_columns(self, row, family, qualifiers, value=b''):
        qualifiers = arguments.put_columns(row, family, qualifiers, value)
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

    def _group(self, row, family, qualifiers, value):
        """What `_groups` holds for one put_columns call (its checked arguments)."""
        return (row, family, qualifiers, value)

    def delete(self, row, columns=None, wal=None):
        row, columns = arguments.delete_columns(row, columns)
        if columns is None:
            self._deletes.append((row, None, None))
        else:
            self._deletes.extend((row, family, qualifier) for family, qualifier in columns)
        self._maybe_send()

    def _maybe_send(self):
        if self._batch_size and len(self) >= self._batch_size:
            self.send()
