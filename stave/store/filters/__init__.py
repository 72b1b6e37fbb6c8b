"""HBase's filter-string language: parse a string into a filter for one scan.

    >>> flt = parse_filter("PrefixFilter('app/') AND KeyOnlyFilter()")

Filters keep per-scan state (PageFilter counts rows), so parse once per scan.
"""
from __future__ import absolute_import, division, print_function, unicode_literals

from stave.store.filters.base import FilterList, SkipFilter, WhileMatchFilter
from stave.store.filters.builtin import FILTERS
from stave.store.filters.parser import Parser, decode_filter_text

__all__ = ['parse_filter', 'FILTER_NAMES']

FILTER_NAMES = tuple(sorted(FILTERS))

_COMBINATORS = {
    'AND': lambda parts: FilterList(parts, must_pass_all=True),
    'OR': lambda parts: FilterList(parts, must_pass_all=False),
    'SKIP': SkipFilter,
    'WHILE': WhileMatchFilter,
}


def parse_filter(filter_string, reverse=False):
    """Parse a filter string (bytes or text) into a fresh filter object.

    `reverse` tells row-range filters (PrefixFilter, InclusiveStopFilter)
    that the scan runs backwards. Raises FilterSyntaxError, naming the
    position, for anything malformed or unknown.
    """
    text = decode_filter_text(filter_string)
    registry = dict((name, _bind(cls, reverse)) for name, cls in FILTERS.items())
    return Parser(text, registry, _COMBINATORS).parse()


def _bind(cls, reverse):
    return lambda args: cls(args, reverse)
