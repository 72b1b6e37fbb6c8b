"""Content hashes of project files: what the map records beside each file's lines.

The SHA-1 hex of a file's bytes (git's blob id is another hash; this is the
plain one the trace format's "sha1" records carry). Selection compares it with
the old side of a diff to know whether recorded line numbers still hold. The
collector hashes the files its tests ran, the importers those of a coverage.py
file.
"""
from __future__ import absolute_import, division, print_function, unicode_literals

import hashlib
import io
import os


def hash_files(root, paths):
    """{path: SHA-1 hex of its content} for the paths (relative to `root`) that are files."""
    hashes = {}
    for path in paths:
        full = os.path.join(root, path)
        if os.path.isfile(full):
            hashes[path] = file_sha1(full)
    return hashes


def file_sha1(path):
    """The SHA-1 hex of the file's bytes."""
    with io.open(path, 'rb') as handle:
        return content_sha1(handle.read())


def content_sha1(content):
    """The SHA-1 hex of `content` (bytes), as file_sha1 gives it for a file."""
    return hashlib.sha1(content).hexdigest()
