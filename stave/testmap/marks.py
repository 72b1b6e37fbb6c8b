"""The marks of tests being written (row b'writing' of tm_meta), on stores
without transactions (see stave.testmap.writer).

Each writer marks the tests it writes with a column of its own, m:<test key>
followed by its part id, holding when it began, its host and process id,
and the test's id. It removes its own marks when it is done, never another
writer's that may still be at work: several write the same test at once
(shards and xdist workers adding to '<import>'), and removing a live
writer's mark would show its half-written test if it were then killed. A
mark whose process is gone (on this host; or this very process, whose
writers write one after another: a write that failed), or older than LEASE
seconds (on another host), was left by a writer that died: the next writer
of that test, which writes all of it again, removes it (at the version it
read).

Portable: Python 2.7 (Jython) and 3.
"""
from __future__ import absolute_import, division, print_function, unicode_literals

import errno
import os
import socket

from stave.compat import iteritems
from stave.testmap.keys import TEST_KEY_SIZE

_HOST = socket.gethostname().replace(' ', '_').encode('utf-8')

#: Seconds after which a mark counts as left by a writer that died: far
#: longer than any write takes, and than the clocks of CI machines disagree.
LEASE = 15 * 60


def mark_column(key, part):
    """The column of the mark of the test `key` by the writer `part`."""
    return b'm:' + key + part


def mark_value(test_name, when):
    """A mark's value: when the write began (seconds since the epoch), this
    host and process, and the test id (bytes)."""
    return ('%.3f ' % when).encode('ascii') + _HOST + (' %d ' % os.getpid()).encode('ascii') + test_name


def read_marks(row):
    """{test key: [(column, timestamp, began, host, pid, test id bytes)]} of the
    marks in the writing row, read with timestamps ({column: (value, ts)})."""
    marks = {}
    for column, (value, stamp) in iteritems(row):
        began, host, pid, name = value.split(b' ', 3)
        marks.setdefault(column[2:2 + TEST_KEY_SIZE], []).append((column, stamp, float(began), host, int(pid), name))
    return marks


def abandoned(marks, now):
    """[(column, timestamp)] of `marks` (one test's, read_marks') whose writer died."""
    return [(column, stamp) for column, stamp, began, host, pid, _ in marks
            if now - began > LEASE or (host == _HOST and not _alive(pid))]


def _alive(pid):
    """Whether process `pid` of this host runs a writer (where that cannot be
    told: yes). This process's own marks are not at work: its writers write
    one after another, so one found here was left by a write that failed."""
    if pid == os.getpid():
        return False
    if not hasattr(os, 'kill'):
        return True
    try:
        os.kill(pid, 0)
    except OSError as exc:
        return exc.errno == errno.EPERM  # there, but not ours
    return True
