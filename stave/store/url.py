"""Store URLs: which backend, where, with which options; and the default store."""
from __future__ import absolute_import, division, print_function, unicode_literals

import io
import os
import re

from stave.compat import parse_qsl
from stave.errors import StoreOpenError

#: Where a project's embedded store lives, relative to the project root.
DEFAULT_STORE_PATH = os.path.join('.stave', 'stave.db')

_PROJECT_MARKERS = ('.stave', '.git', 'pyproject.toml', 'setup.py', 'setup.cfg')


class StoreURL(object):
    """A parsed store URL: `scheme`, `location` (a path, or host:port) and `options`."""

    def __init__(self, scheme, location, options, text):
        self.scheme = scheme
        self.location = location
        self.options = options
        self.text = text

    def __repr__(self):
        return 'StoreURL(%r)' % self.text


class OptionKind(object):
    """What a store URL option's value must be: `what` says it in words
    ('one of binary, compact'), `read` turns the text into the value a backend
    takes, raising ValueError for text that is not of the kind."""

    def __init__(self, what, read):
        self.what = what
        self.read = read


def one_of(*values):
    """The kind of an option that takes one of `values` (texts), kept as text."""
    def read(text):
        if text not in values:
            raise ValueError(text)
        return text
    return OptionKind('one of ' + ', '.join(values), read)


def absolute_path(what):
    """The kind of an option that takes a path starting with '/', kept as text;
    `what` names it ('a ZooKeeper path such as /hbase')."""
    def read(text):
        if not text.startswith('/'):
            raise ValueError(text)
        return text
    return OptionKind(what, read)


def _milliseconds(text):
    if not text.isdigit() or int(text) < 1:
        raise ValueError(text)
    return int(text)


def _seconds(text):
    seconds = float(text)
    if not 0 <= seconds < float('inf'):  # nor NaN
        raise ValueError(text)
    return seconds


#: A whole number of milliseconds, 1 or more, as an int.
MILLISECONDS = OptionKind('a number of milliseconds >= 1', _milliseconds)

#: A number of seconds, 0 or more, as a float.
SECONDS = OptionKind('a number of seconds >= 0', _seconds)

#: Option names shaped like Hadoop properties (hbase.client.retries.number).
_DOTTED_NAME = re.compile(r'^[A-Za-z][\w-]*(\.[\w-]+)+$')


def read_options(url, table, dotted=None):
    """The options of the parsed StoreURL `url` read by `table` ({name:
    OptionKind}): {name: value} for each option the URL gives.

    If `dotted` is given, options named like Hadoop properties (a dotted
    name) pass through as text, and `dotted` describes them among the known
    options. StoreOpenError naming the URL for an unknown option (listing the
    known ones) or a value not of its kind (saying what it must be)."""
    unknown = sorted(name for name in url.options
                     if name not in table and not (dotted and _DOTTED_NAME.match(name)))
    if unknown:
        known = ', '.join(sorted(table)) + (', or ' + dotted if dotted else '')
        raise StoreOpenError('unknown option%s %s in store URL %r (known: %s)'
                             % ('s' if len(unknown) > 1 else '', ', '.join(unknown), url.text, known))
    options = {}
    for name, text in sorted(url.options.items()):
        kind = table.get(name)
        if kind is None:
            options[name] = text
            continue
        try:
            options[name] = kind.read(text)
        except ValueError:
            raise StoreOpenError('%s=%s in store URL %r is not %s' % (name, text, url.text, kind.what))
    return options


def parse_store_url(url):
    """Parse 'scheme://location?opt=value'. A bare path means an SQLite file.

    SQLite URLs follow SQLAlchemy's habit: sqlite:///relative/path.db,
    sqlite:////absolute/path.db, and sqlite:///:memory:.
    """
    if '://' not in url:
        return StoreURL('sqlite', url, {}, 'sqlite:///' + url)
    scheme, rest = url.split('://', 1)
    location, _, query = rest.partition('?')
    try:
        options = dict(parse_qsl(query, keep_blank_values=True, strict_parsing=bool(query)))
    except ValueError:
        raise StoreOpenError('malformed options %r in store URL %r' % (query, url),
                             hint='write them as ?name=value&name=value')
    if scheme == 'sqlite':
        if not location.startswith('/') or location == '/':
            raise StoreOpenError('store URL %r names no file' % url,
                                 hint='write sqlite:///relative/path.db or sqlite:////absolute/path.db')
        location = location[1:]
    return StoreURL(scheme.lower(), location, options, url)


def find_project_root(start=None):
    """The nearest directory at or above `start` that holds .stave, .git or a
    Python project file; `start` itself (default: the working directory) if none."""
    start = os.path.abspath(start or os.getcwd())
    for marker in _PROJECT_MARKERS:
        directory = start
        while True:
            if os.path.exists(os.path.join(directory, marker)):
                return directory
            parent = os.path.dirname(directory)
            if parent == directory:
                break
            directory = parent
    return start


def default_store_url(start=None):
    """The embedded store of the current project: sqlite:///<root>/.stave/stave.db."""
    path = os.path.join(find_project_root(start), DEFAULT_STORE_PATH)
    return 'sqlite:///' + path.replace(os.sep, '/')


def resolve_store_url(explicit=None, environ=None, start=None):
    """The store to use: `explicit` (a --store option), else $STAVE_STORE, else
    `store` in the [tool.stave] table of the project's pyproject.toml, else the default."""
    environ = os.environ if environ is None else environ
    return explicit or environ.get('STAVE_STORE') or configured_store_url(start) or default_store_url(start)


def configured_store_url(start=None):
    """`store` from [tool.stave] in the project's pyproject.toml, if set. A
    relative SQLite path there is taken from the project root."""
    root = find_project_root(start)
    path = os.path.join(root, 'pyproject.toml')
    if not os.path.isfile(path):
        return None
    url = read_tool_table(path).get('store')
    if not url:
        return None
    parsed = parse_store_url(url)
    if parsed.scheme == 'sqlite' and parsed.location != ':memory:' and not os.path.isabs(parsed.location):
        return 'sqlite:///' + os.path.join(root, parsed.location).replace(os.sep, '/') + (
            '?' + url.split('?', 1)[1] if '?' in url else '')
    return url


def read_tool_table(path):
    """The [tool.stave] table of a pyproject.toml, as a dict ({} if absent).

    Uses tomllib (Python 3.11+) or tomli; where neither exists (Jython), a
    minimal reader that understands `key = "string"` lines of that table.
    """
    with io.open(path, 'rb') as handle:
        data = handle.read()
    toml = _toml_module()
    if toml is not None:
        try:
            document = toml.loads(data.decode('utf-8'))
        except (ValueError, UnicodeDecodeError) as exc:
            raise StoreOpenError('cannot read %s: %s' % (path, exc), hint='fix the TOML syntax')
        table = document.get('tool', {}).get('stave', {})
        return table if isinstance(table, dict) else {}
    return _read_tool_table_minimal(data.decode('utf-8', 'replace'))


def _toml_module():
    try:
        import tomllib
        return tomllib
    except ImportError:
        try:
            import tomli
            return tomli
        except ImportError:
            return None


_TABLE = re.compile(r'^\s*\[([^\]]+)\]\s*$')
_STRING_ITEM = re.compile(r'^\s*([A-Za-z0-9_-]+)\s*=\s*"([^"\\]*)"\s*(#.*)?$')


def _read_tool_table_minimal(text):
    table, current = {}, None
    for line in text.splitlines():
        header = _TABLE.match(line)
        if header:
            current = header.group(1).strip()
            continue
        item = _STRING_ITEM.match(line)
        if item and current == 'tool.stave':
            table[item.group(1)] = item.group(2)
    return table
