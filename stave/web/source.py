"""Reading the project's source files for the pages, and nothing outside the project.

A path comes from a URL, so it is untrusted: it must name a file under the
project root once every '..', symbolic link and encoded variant is resolved,
and no part of it may start with a dot (.git, .env, .stave: not source).
"""
import os


class OutsideProject(Exception):
    """The path leaves the project root (or is not a plain relative path)."""


def project_file(root, path):
    """The real path of `path` (relative, '/' separators) under `root`, whether
    or not it exists; OutsideProject if it would leave the root."""
    if not path or '\0' in path or path.startswith('/') or '\\' in path:
        raise OutsideProject(path)
    # '..' leaves the root; a dot-file or dot-directory (.git, .env, .stave
    # with the store itself) is the project's machinery, not its source.
    if any(part == '..' or part.startswith('.') for part in path.split('/')):
        raise OutsideProject(path)
    real_root = os.path.realpath(root)
    full = os.path.realpath(os.path.join(real_root, *path.split('/')))
    if os.path.commonpath([real_root, full]) != real_root:  # a symbolic link out of the root
        raise OutsideProject(path)
    return full


def read_source(root, path):
    """The lines of the project file `path` as text (undecodable bytes
    replaced), or None if it is not a file in the working tree."""
    full = project_file(root, path)
    if not os.path.isfile(full):
        return None
    with open(full, 'rb') as handle:
        return handle.read().decode('utf-8', 'replace').splitlines()
