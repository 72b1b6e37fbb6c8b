"""A recording session's channel to the other processes that record for it.

A pytest session that records (`pytest --stave`, each xdist worker on its
own) owns a directory `.stave/sessions/RUN-PID/` under the project root:

    beacon   which test runs now (stave.collect.beacon)
    spool/   what other processes recorded, one JSON file per flush
    pid      the session's process id, to tell a live session from a dead one

Its subprocesses learn of it from the environment variable STAVE_RECORD (a
JSON object: the session directory, the project root, the include and omit
globs, the flush interval); a process started by hand with `stave record`
finds the live sessions of its project in `.stave/sessions/`. A spool file
is written under a temporary name and renamed, so a reader never sees half
of one; the session reads and deletes them at each of its flushes.
"""
import itertools
import json
import os
import shutil

from stave.collect.beacon import Beacon
from stave.collect.files import merge_lines

ENV = 'STAVE_RECORD'
_SESSIONS = os.path.join('.stave', 'sessions')


class Session:
    """The channel of the session recording `run_id` in this process."""

    def __init__(self, root, run_id):
        # The pid too: shards of one CI run may one day share a run id.
        self.directory = os.path.join(root, _SESSIONS, '%s-%d' % (run_id, os.getpid()))
        self.spool = os.path.join(self.directory, 'spool')
        os.makedirs(self.spool)
        self.beacon = Beacon(os.path.join(self.directory, 'beacon'), create=True)
        with open(os.path.join(self.directory, 'pid'), 'w') as handle:
            handle.write(str(os.getpid()))

    def environment(self, root, include, omit, every):
        """The value of STAVE_RECORD for this session's subprocesses."""
        return json.dumps({'session': self.directory, 'root': root, 'include': list(include),
                           'omit': list(omit), 'every': every})

    def collect(self):
        """({label: {path: set(lines)}}, set of data files) of every spool file
        written so far (deleted once read)."""
        found, data_files = {}, set()
        try:
            names = sorted(os.listdir(self.spool))
        except OSError:  # removed under the session's feet: nothing can reach it any more
            return found, data_files
        for name in names:
            if name.startswith('.'):
                continue  # still being written
            path = os.path.join(self.spool, name)
            try:
                with open(path) as handle:
                    data = json.load(handle)
                labels = dict((label, dict((p, set(lines)) for p, lines in files.items()))
                              for label, files in data['tests'].items())
                paths = set(data['data_files'])
            except (ValueError, KeyError, TypeError, AttributeError, OSError):
                continue  # not a spool file this stave wrote (or gone meanwhile): leave it, say nothing
            for label, files in labels.items():
                merge_lines(found.setdefault(label, {}), files)
            data_files.update(paths)
            try:
                os.remove(path)
            except OSError:
                pass
        return found, data_files

    def close(self):
        self.beacon.set(None)
        self.beacon.close()
        shutil.rmtree(self.directory, ignore_errors=True)


def live_sessions(root):
    """The directories of the live recording sessions of the project at `root`."""
    parent = os.path.join(root, _SESSIONS)
    try:
        names = sorted(os.listdir(parent))
    except OSError:
        return []
    return [os.path.join(parent, name) for name in names if is_live(os.path.join(parent, name))]


def is_live(directory):
    """True if the session at `directory` is there and its process runs (a
    session killed leaves its directory behind)."""
    try:
        with open(os.path.join(directory, 'pid')) as handle:
            os.kill(int(handle.read()), 0)
    except (OSError, ValueError):
        return False
    return True


_names = itertools.count()


def write_spool(directory, labels, data_files=()):
    """Write `labels` ({label: {path: lines}}) and the paths among them that are
    data files as one spool file of the session at `directory`: under a
    temporary name first, then renamed, so it is whole or absent."""
    spool = os.path.join(directory, 'spool')
    name = '%d-%d.json' % (os.getpid(), next(_names))
    temporary = os.path.join(spool, '.' + name)
    with open(temporary, 'w') as handle:
        json.dump({'tests': dict((label, dict((path, sorted(lines)) for path, lines in files.items()))
                                 for label, files in labels.items()),
                   'data_files': sorted(data_files)}, handle)
    os.replace(temporary, os.path.join(spool, name))
