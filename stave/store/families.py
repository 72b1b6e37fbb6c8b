"""Column family descriptors: happybase's option names, Thrift's defaults, validation."""
from __future__ import absolute_import, division, print_function, unicode_literals

from collections import OrderedDict

from stave.compat import is_integer, iteritems, string_types, to_bytes
from stave.sentinels import FOREVER
from stave.store.names import check_family_name

#: The options happybase's create_table accepts, with the Thrift ColumnDescriptor
#: defaults (note max_versions=3, as through HBase's Thrift gateway).
DEFAULTS = OrderedDict([
    ('max_versions', 3),
    ('compression', 'NONE'),
    ('in_memory', False),
    ('bloom_filter_type', 'NONE'),
    ('bloom_filter_vector_size', 0),
    ('bloom_filter_nb_hashes', 0),
    ('block_cache_enabled', False),
    ('time_to_live', FOREVER),
])

_INTEGER_OPTIONS = ('max_versions', 'bloom_filter_vector_size', 'bloom_filter_nb_hashes', 'time_to_live')
_BOOLEAN_OPTIONS = ('in_memory', 'block_cache_enabled')
_CHOICES = {
    'compression': ('NONE', 'GZ', 'LZO', 'SNAPPY', 'LZ4', 'BZIP2', 'ZSTD'),
    'bloom_filter_type': ('NONE', 'ROW', 'ROWCOL'),
}


def family_options(family, options):
    """Return the complete, validated options of one family (a new dict).

    `options` is what the user passed for it (None or a dict); unknown option
    names raise TypeError and bad values ValueError, both naming the family.
    """
    if options is None:
        options = {}
    if not isinstance(options, dict):
        raise TypeError("options of column family %r must be a dict or None" % (family,))
    result = OrderedDict(DEFAULTS)
    for key, value in iteritems(options):
        if key not in DEFAULTS:
            raise TypeError("unknown option %r for column family %r (known: %s)"
                            % (key, family, ', '.join(DEFAULTS)))
        result[key] = _check_option(family, key, value)
    if result['max_versions'] < 1:
        raise ValueError("column family %r: 'max_versions' must be >= 1" % (family,))
    if result['time_to_live'] == -1:
        result['time_to_live'] = FOREVER
    elif result['time_to_live'] <= 0:
        raise ValueError("column family %r: 'time_to_live' must be > 0 seconds (or -1 for ever)" % (family,))
    return result


def _check_option(family, key, value):
    if key in _INTEGER_OPTIONS:
        if key == 'time_to_live' and value is None:
            return FOREVER
        if not is_integer(value):
            raise TypeError("column family %r: %r must be an integer" % (family, key))
        return int(value)
    if key in _BOOLEAN_OPTIONS:
        if not isinstance(value, bool):
            raise TypeError("column family %r: %r must be True or False" % (family, key))
        return value
    if not isinstance(value, string_types):
        raise TypeError("column family %r: %r must be a string" % (family, key))
    value = to_bytes(value, key).decode('ascii', 'replace').upper()
    if value not in _CHOICES[key]:
        raise ValueError("column family %r: %r must be one of %s"
                         % (family, key, ', '.join(_CHOICES[key])))
    return value


def table_families(families):
    """Validate create_table's `families` argument; return {family bytes: options}."""
    if not isinstance(families, dict):
        raise TypeError("'families' arg must be a dictionary")
    if not families:
        raise ValueError("a table needs at least one column family")
    result = OrderedDict()
    for name in sorted(families, key=lambda n: to_bytes(n, 'family')):
        family = check_family_name(name)
        if family in result:
            raise ValueError("column family %r given twice" % (family,))
        result[family] = family_options(family, families[name])
    return result


def describe(family, options):
    """The happybase `Table.families()` entry of one family: name plus options."""
    entry = {'name': family + b':'}
    entry.update(options)
    return entry
