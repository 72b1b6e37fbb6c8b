"""Which tests a change needs, from a unified diff and the test map.

The rules (safety first: leaving out a test the change breaks is a bug):

1. A modified or deleted line selects the tests that ran it, found by its
   line number on the old side of the diff (the side the map was recorded on).
2. A pure insertion selects the tests that ran the old lines on either side
   of it.
3. A changed line that ran outside any test (module level: imports, constants,
   def and class lines, run at import) selects every test that ran code in
   that file.
4. A file whose content on the old side differs from what was recorded (its
   line numbers may have moved), and a deleted file, select every test that
   ran code in the file.
5. A change to conftest.py or to pytest's configuration (pytest.ini, tox.ini,
   setup.cfg, pyproject.toml) selects every recorded test.
6. A changed test file also selects every recorded test defined in it (its
   node ids start with 'path::'), whatever lines were recorded for them.
7. A file the map has never seen (new, or never run by a recorded test)
   selects nothing by itself; it is named in a note. Tests the map has never
   seen are added by the pytest plugin, which knows what it collected.
8. A test being written (its recording began and did not finish: a writer
   killed mid-flush on HBase) is selected: the map cannot say what it ran.
"""
from __future__ import absolute_import, division, print_function, unicode_literals

import os
import re

from stave.errors import StaveError
from stave.git import GitError, git
from stave.testmap.file_hashes import content_sha1
from stave.testmap.keys import IMPORT_TEST, normalise_path

_HUNK = re.compile(r'^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@')
_CONFIG_FILES = ('conftest.py', 'pytest.ini', 'tox.ini', 'setup.cfg', 'pyproject.toml')


class DiffError(StaveError):
    """A diff could not be read or made."""


class FileChange(object):
    """One file's change: its old and new paths and the old-side lines it touches
    (`lines`: those `changed`, and those bordering a pure insertion)."""

    def __init__(self, old_path, new_path):
        self.old_path = old_path
        self.new_path = new_path
        self.lines = set()
        self.changed = set()

    @property
    def path(self):
        return self.old_path or self.new_path


def parse_diff(text, name='diff'):
    """[FileChange] from unified diff text (git's or diff -u's)."""
    changes, change, old_line, replacing = [], None, 0, False
    for number, line in enumerate(text.splitlines(), 1):
        if line.startswith('--- '):
            change = FileChange(_diff_path(line[4:]), None)
            changes.append(change)
        elif line.startswith('+++ ') and change is not None and change.new_path is None:
            change.new_path = _diff_path(line[4:])
        elif line.startswith('@@'):
            match = _HUNK.match(line)
            if not match or change is None:
                raise DiffError('%s, line %d: malformed hunk header %r' % (name, number, line))
            old_line, replacing = int(match.group(1)), False
            if match.group(2) == '0':  # an insertion into an empty range: after line start
                old_line += 1
        elif change is not None and old_line and line[:1] in ('-', '+', ' '):
            if line.startswith('-'):
                change.lines.add(old_line)
                change.changed.add(old_line)
                old_line += 1
                replacing = True
            elif line.startswith('+'):
                if not replacing:  # a pure insertion: the lines around it
                    change.lines.update(n for n in (old_line - 1, old_line) if n > 0)
            else:
                old_line += 1
                replacing = False
    return [c for c in changes if c.old_path or c.new_path]


def _diff_path(text):
    path = text.split('\t')[0].strip()
    if path == '/dev/null':
        return None
    if path[:2] in ('a/', 'b/'):
        path = path[2:]
    return normalise_path(path)


def git_diff(rev, root):
    """The diff of the working tree against `rev` (text), from git."""
    if rev.startswith('-'):  # git would take it for an option (--output=FILE writes a file)
        raise DiffError('%r is not a git revision' % rev)
    return git(['diff', '--no-color', '--no-ext-diff', '-U0', rev, '--'], root)


def git_show(rev, path, root):
    """The content of `path` at `rev`, or None if it does not exist there."""
    try:
        return git(['show', '%s:%s' % (rev, path)], root, binary=True)
    except GitError:
        return None


class Selection(object):
    """The tests a change selects, with notes on how it decided, and for each
    test the first reason found: (rule number, what triggered it)."""

    def __init__(self):
        self.tests = set()
        self.reasons = {}
        self.notes = []
        self.everything = None  # the configuration file whose change selects every test
        self.uncovered = []  # [(path, line)]: changed lines of recorded files that no test ran

    def select(self, tests, rule, trigger):
        """Add `tests`, selected by `rule` (a number of the module's list) because of `trigger`."""
        for test in tests:
            self.tests.add(test)
            self.reasons.setdefault(test, (rule, trigger))

    def sorted_tests(self):
        return sorted(t for t in self.tests if t != IMPORT_TEST)

    def explained(self):
        """[(test, rule, trigger)] of the selected tests, sorted by test."""
        return [(test,) + self.reasons[test] for test in self.sorted_tests()]


def select_tests(test_map, changes, old_content=None):
    """Apply the module's rules. `old_content(path)` returns the old side's bytes
    (None if unknown or absent) to check against the recorded content hash."""
    selection = Selection()
    recorded = test_map.files()
    for change in changes:
        for path in set(p for p in (change.old_path, change.new_path) if p):
            selection.select(test_map.tests(path + '::'), 6, '%s: a changed test file' % path)
        path = change.old_path
        if os.path.basename(change.path) in _CONFIG_FILES:
            selection.everything = selection.everything or change.path
            selection.notes.append('%s: configuration changed: every test' % change.path)
            continue
        if path is None:
            selection.notes.append('%s: new file, not in the map' % change.new_path)
            continue
        by_line = test_map.tests_for_file(path)
        if not by_line:
            if not test_map.tests(path + '::'):
                selection.notes.append('%s: not in the map (no recorded test ran it)' % path)
            continue
        whole_file = None
        if change.new_path is None:
            whole_file = 'deleted'
        elif old_content is not None:
            content = old_content(path)
            digest = recorded.get(path)
            if content is None or digest is None or content_sha1(content) != digest:
                whole_file = 'content differs from what was recorded'
        if whole_file:
            selection.notes.append('%s: %s: every test that ran it' % (path, whole_file))
            selection.select((t for tests in by_line.values() for t in tests), 4, '%s: %s' % (path, whole_file))
            continue
        for line in sorted(change.lines):
            found = by_line.get(line, ())
            if IMPORT_TEST in found:
                selection.select((t for tests in by_line.values() for t in tests), 3,
                                 '%s:%d runs at import' % (path, line))
                selection.notes.append('%s:%d runs at import: every test that ran the file' % (path, line))
                break
            if line in change.changed:
                selection.select(found, 1, '%s:%d changed' % (path, line))
                if not found:
                    selection.uncovered.append((path, line))
            else:
                selection.select(found, 2, '%s:%d borders an insertion' % (path, line))
    if selection.everything:
        selection.select(test_map.tests(), 5, '%s: configuration changed' % selection.everything)
    unfinished = test_map.tests_being_written()
    if unfinished:
        selection.select(unfinished, 8, 'its recording did not finish')
        selection.notes.append('%d test(s) whose recording did not finish: selected' % len(unfinished))
    return selection


def select_for_diff(test_map, rev, root):
    """The Selection for the working tree against git revision `rev`."""
    changes = parse_diff(git_diff(rev, root), 'git diff %s' % rev)
    return select_tests(test_map, changes, lambda path: git_show(rev, path, root))


def select_for_patch(test_map, patch_path, root):
    """The Selection for a patch file, its old side being the files as they are under root."""
    import io
    try:
        with io.open(patch_path, 'r', encoding='utf-8', errors='replace') as handle:
            text = handle.read()
    except (IOError, OSError) as exc:
        raise DiffError('cannot read the patch %s: %s' % (patch_path, exc))
    return select_for_patch_text(test_map, text, root, patch_path)


def select_for_patch_text(test_map, text, root, name='patch'):
    """The Selection for a unified diff given as text (`name` says where it
    came from in errors), its old side being the files as they are under root."""
    import io

    def current(path):
        full = os.path.join(root, path)
        if not os.path.isfile(full):
            return None
        with io.open(full, 'rb') as handle:
            return handle.read()
    return select_tests(test_map, parse_diff(text, name), current)
