"""What every backend knows about one table, and the store's clock."""
from __future__ import absolute_import, division, print_function, unicode_literals

import time

from stave.compat import to_text
from stave.errors import NoSuchColumnFamilyError, TableNotEnabledError


def now_ms():
    """The store's clock: milliseconds since the epoch, as HBase timestamps."""
    return int(time.time() * 1000)


class TableInfo(object):
    """What the front needs to know about one table."""

    __slots__ = ('name', 'id', 'enabled', 'families')

    def __init__(self, name, table_id, enabled, families):
        self.name = name
        self.id = table_id
        self.enabled = enabled
        #: OrderedDict {family bytes: options dict}, sorted by family name.
        self.families = families

    def require_enabled(self):
        """Raise TableNotEnabledError if the table is disabled."""
        if not self.enabled:
            raise TableNotEnabledError('table %s is disabled' % to_text(self.name),
                                       hint='enable_table() it first')

    def require_families(self, families):
        """Raise NoSuchColumnFamilyError, listing the table's families, if any of
        `families` is not one of them."""
        unknown = set(families).difference(self.families)
        if unknown:
            raise NoSuchColumnFamilyError(
                'column family %s does not exist in table %s; its families are: %s' % (
                    ', '.join(to_text(f) for f in sorted(unknown)), to_text(self.name),
                    ', '.join(to_text(f) for f in self.families)))
