"""Recorded line numbers on another version of a file, through git's diff.

A test's lines of a file number the content it was recorded in (its blob,
stave.testmap.blobs). To judge a change made to another version of the file
(the old side of a diff, many commits after the recording), selection asks
where each line it touches was when the test was recorded: git diffs the
recorded content against that version, and LineMap reads the hunks. A line
outside every hunk was there, at its line number less the lines added before
it; a line inside a hunk was written since: the recording knows no test of
it, and the nearest it knows are the lines the hunk replaced and the lines
bordering it.

Loaded by Jython too (selection), so Python 2.7/3.
"""
from __future__ import absolute_import, division, print_function, unicode_literals

import os
import re
import shutil
import tempfile

from stave.git import GitError, git

_HUNK = re.compile(r'^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@', re.MULTILINE)


class LineMap(object):
    """Lines of a file's current content mapped onto its recorded content,
    from the hunks [(old start, old count, new start, new count)] of a diff
    of the recorded content (old) against the current (new), with no context."""

    def __init__(self, hunks):
        self.hunks = sorted(hunks, key=lambda hunk: hunk[2])

    @classmethod
    def from_diff(cls, text):
        """The LineMap of a unified diff's text (`git diff -U0`)."""
        return cls([(int(a), _count(b), int(c), _count(d)) for a, b, c, d in _HUNK.findall(text)])

    def recorded(self, line):
        """(the recorded line that is now `line`, or None; if None, the recorded
        lines the hunk holding `line` replaced, and those bordering it)."""
        shift = 0
        for old, old_count, new, new_count in self.hunks:
            if new_count == 0:  # lines deleted after new line `new`
                if new < line:
                    shift += old_count
                    continue
                break
            if line < new:
                break
            if line < new + new_count:
                if old_count:  # replaced old..old+count-1
                    around = range(old - 1, old + old_count + 1)
                else:  # inserted after old line `old`
                    around = (old, old + 1)
                return None, [number for number in around if number > 0]
            shift += old_count - new_count
        return line + shift, []


def _count(text):
    return int(text) if text else 1


def recorded_content(blob, root):
    """The content (bytes) of the blob id `blob` from the git repository at
    `root`, or None if git does not have it."""
    try:
        return git(['cat-file', 'blob', blob], root, binary=True)
    except GitError:
        return None


def line_map(recorded, current):
    """The LineMap from `recorded` content (bytes) to `current` content, by
    git's own diff (git diff --no-index of two temporary files)."""
    directory = tempfile.mkdtemp(prefix='stave-linemap-')
    try:
        names = []
        for name, content in (('recorded', recorded), ('current', current)):
            names.append(os.path.join(directory, name))
            with open(names[-1], 'wb') as handle:
                handle.write(content)
        text = git(['diff', '--no-index', '--no-color', '--no-ext-diff', '--text', '-U0', '--'] + names, directory,
                   statuses=(0, 1))
        return LineMap.from_diff(text)
    finally:
        shutil.rmtree(directory, ignore_errors=True)
