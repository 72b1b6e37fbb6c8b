"""Git blob ids of project files: what the map records beside each test's lines.

A file's blob id is the SHA-1 of ``b'blob <size>\\0'`` followed by its bytes,
exactly what ``git hash-object`` prints: computed here without git, so a
recording outside a repository still names its content, and inside one the
id finds the recorded content in git's object store. Selection uses it to
map recorded line numbers onto another version of the file
(stave.testmap.linemap). The collector takes the ids of the files its tests
ran, the importers those of a coverage.py file's measured files.
"""
from __future__ import absolute_import, division, print_function, unicode_literals

import binascii
import hashlib
import io
import os
import re


def blob_ids(root, paths):
    """{path: blob id (hex)} for the paths (relative to `root`) that are files."""
    found = {}
    for path in paths:
        full = os.path.join(root, path)
        if os.path.isfile(full):
            found[path] = file_blob(full)
    return found


def file_blob(path):
    """The git blob id (hex) of the file at `path`."""
    with io.open(path, 'rb') as handle:
        return blob_id(handle.read())


def blob_id(content):
    """The git blob id (hex) of `content` (bytes), as `git hash-object` gives it."""
    digest = hashlib.sha1(b'blob %d\x00' % len(content))
    digest.update(content)
    return digest.hexdigest()


def raw(blob_hex):
    """The 20 raw bytes of a blob id given in hex (None stays None)."""
    return binascii.unhexlify(blob_hex) if blob_hex else None


def hexed(blob):
    """The hex text of a raw blob id (None stays None)."""
    return binascii.hexlify(blob).decode('ascii') if blob else None


def is_blob_id(text):
    """True if `text` is 40 hex digits."""
    return bool(_HEX40.match(text))


_HEX40 = re.compile(r'\A[0-9a-fA-F]{40}\Z')
