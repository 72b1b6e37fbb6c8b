"""Running git: the one place stave starts it (the diffs selection reads, the
commit a recording notes). Loaded by Jython too (selection), so Python 2.7/3."""
from __future__ import absolute_import, division, print_function, unicode_literals

import subprocess

from stave.errors import StaveError


class GitError(StaveError):
    """git could not be started, or it failed."""


def git(args, root, binary=False, statuses=(0,)):
    """git's standard output for `args` (a list) run in the directory `root`:
    text (UTF-8, undecodable bytes replaced), or bytes if `binary`.

    GitError if git cannot be started ('cannot run git: ...') or exits with
    a status not in `statuses` ('git ARGS failed: ' and its standard error)."""
    args = list(args)
    try:
        process = subprocess.Popen(['git'] + args, cwd=root, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    except OSError as exc:
        raise GitError('cannot run git: %s' % exc)
    out, err = process.communicate()
    if process.returncode not in statuses:
        raise GitError('git %s failed: %s' % (' '.join(args), err.decode('utf-8', 'replace').strip()))
    return out if binary else out.decode('utf-8', 'replace')


def head_commit(root):
    """The commit id HEAD names in the repository holding `root`, or None
    where there is none (outside a repository, before its first commit, or
    without git)."""
    try:
        return git(['rev-parse', 'HEAD'], root).strip()
    except GitError:
        return None
