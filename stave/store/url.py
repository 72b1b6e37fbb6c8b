"""Store URLs: which backend, where, with which options; and the default store."""
from __future__ import absolute_import, division, print_function, unicode_literals

import os

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
    """The store to use: `explicit` (a --store option), else $STAVE_STORE, else the default."""
    environ = os.environ if environ is None else environ
    return explicit or environ.get('STAVE_STORE') or default_store_url(start)
