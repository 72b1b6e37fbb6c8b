"""The HBase Java client backend's Batch (Jython only): buffered mutations sent
through the table's BufferedMutator."""
from __future__ import absolute_import, division, print_function, unicode_literals

import jarray

from stave.compat import to_text
from stave.errors import StoreError, TableNotEnabledError
from stave.store.buffered_batch import BufferedBatch

from org.apache.hadoop.hbase.client import Delete, Put


class Batch(BufferedBatch):
    """contract.Batch sent as Java Puts and Deletes through the table's BufferedMutator.

    HBase applies a batch row by row, not atomically; so that the commonest
    failure (a family the table lacks) writes nothing, families are checked
    against the table's before anything is sent.
    """

    def _reset(self):
        BufferedBatch._reset(self)
        self._group_families = set()

    def _group(self, row, family, qualifiers, value):
        """One put_columns call as one Java Put, built now (the bulk writer's
        path: no tuple per cell)."""
        put = Put(row) if self._timestamp is None else Put(row, self._timestamp)
        # Jython turns a str into a new byte[] at every call: once per row here.
        java_family, java_value = jarray.array(family, 'b'), jarray.array(value, 'b')
        for qualifier in qualifiers:
            put.addColumn(java_family, qualifier, java_value)
        self._group_families.add(family)
        return put

    def send(self):
        """Send the buffered mutations now: the groups of put_columns, the single
        puts, then the deletes, each flushed before the next (one flush may
        reorder a request's mutations)."""
        if self._empty():
            return
        table = self._table
        self._check_families(self._group_families | set(cell[1] for cell in self._puts)
                             | set(family for _, family, _ in self._deletes if family is not None))
        try:
            for mutations in (self._groups, _puts(self._puts, self._timestamp),
                              _deletes(self._deletes, self._timestamp)):
                if mutations:
                    # In slices: the client re-reads its whole queue for each request
                    # it sends, so one list far beyond its write buffer costs
                    # quadratic time (44% of a 2M-cell import's CPU).
                    for start in range(0, len(mutations), _MUTATE_SLICE):
                        table._call('write', table.mutator.mutate, mutations[start:start + _MUTATE_SLICE])
                    table._call('write', table.mutator.flush)
        except StoreError:
            # A disabled table's regions still have servers in hbase:meta, so a batch
            # fails with retries exhausted on NotServingRegionException: say why.
            if not table._call('check', table.connection.admin.isTableEnabled, table._java_name):
                raise TableNotEnabledError('table %s is disabled' % to_text(table.name),
                                           hint='enable_table() it first')
            raise
        self._reset()

    def _check_families(self, families):
        table = self._table
        if families - table.family_names() and families - table.family_names(refresh=True):
            info = table.connection.table_info(table.name)
            info.require_enabled()
            info.require_families(families)


#: Mutations handed to the BufferedMutator at a time.
_MUTATE_SLICE = 500


def _puts(cells, timestamp):
    """One Java Put per row for [(row, family, qualifier, value)], in first-seen row order."""
    puts = {}
    order = []
    for row, family, qualifier, value in cells:
        put = puts.get(row)
        if put is None:
            put = puts[row] = Put(row) if timestamp is None else Put(row, timestamp)
            order.append(put)
        put.addColumn(family, qualifier, value)
    return order


def _deletes(deletes, timestamp):
    """Java Deletes for [(row, family or None, qualifier or None)]: a whole row,
    a family, or every version of a column (those up to `timestamp`, if given)."""
    result = []
    for row, family, qualifier in deletes:
        at = () if timestamp is None else (timestamp,)  # no timestamp: HBase's "now"
        delete = Delete(row, *at)
        if family is not None and qualifier is None:
            delete.addFamily(family, *at)
        elif family is not None:
            delete.addColumns(family, qualifier, *at)
        result.append(delete)
    return result
