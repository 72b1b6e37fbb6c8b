"""Which files are the project's own: recorded, with paths relative to the root."""
import fnmatch
import os
import sys
import sysconfig

_STAVE_COLLECT = os.path.dirname(os.path.abspath(__file__))


class FileFilter:
    """Decides, once per file name, whether to record it and under which path.

    Recorded: files under `root`, matching one of `include` (globs on the
    relative path; default everything) and none of `omit`; never files of
    the interpreter, of site-packages or of stave's collector itself.
    """

    def __init__(self, root, include=(), omit=()):
        self.root = os.path.abspath(root)
        self.include = tuple(include)
        self.omit = tuple(omit)
        paths = sysconfig.get_paths()
        self._excluded = tuple(sorted(set(
            os.path.abspath(p) + os.sep for p in (sys.prefix, sys.exec_prefix, sys.base_prefix,
                                                  paths.get('purelib'), paths.get('platlib'),
                                                  paths.get('stdlib'), _STAVE_COLLECT) if p)))
        self._cache = {}

    def relative(self, filename):
        """The recorded path of `filename`, or None if it is not recorded."""
        try:
            return self._cache[filename]
        except KeyError:
            result = self._cache[filename] = self._decide(filename)
            return result

    def lines_by_path(self, hits):
        """{path: set(lines)} of (filename, line) pairs, those of recorded files only."""
        relative = self.relative
        files = {}
        for filename, line in hits:
            path = relative(filename)
            if path is not None and line > 0:
                files.setdefault(path, set()).add(line)
        return files

    def _decide(self, filename):
        if not filename or filename.startswith('<'):
            return None
        path = os.path.abspath(filename)
        if not path.startswith(self.root + os.sep) or path.startswith(self._excluded):
            return None
        if 'site-packages' in path or 'dist-packages' in path:
            return None
        relative = os.path.relpath(path, self.root).replace(os.sep, '/')
        if self.include and not any(fnmatch.fnmatchcase(relative, p) for p in self.include):
            return None
        if any(fnmatch.fnmatchcase(relative, p) for p in self.omit):
            return None
        return relative


def merge_lines(into, files):
    """Add {path: lines} `files` into `into`; return `into`."""
    for path, lines in files.items():
        into.setdefault(path, set()).update(lines)
    return into
