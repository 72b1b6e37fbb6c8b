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
9. A changed, deleted or renamed data file (a file the map knows the tests
   read, stave.collect.datafiles; for a rename, the old path) selects every
   test that read it, whichever of its lines changed: a data file is
   recorded as its line 1, so its line numbers mean nothing, and this rule
   comes before the line rules for the path. A data file read outside any
   test (at import or collection: a module-level json.load, a conftest
   reading the cases it parametrizes) may shape any test, and the map cannot
   tell which: its change selects every recorded test.
"""
from __future__ import absolute_import, division, print_function, unicode_literals

import os
import re

from stave.errors import StaveError
from stave.git import GitError, git
from stave.testmap.blobs import blob_id
from stave.testmap.keys import is_outside, normalise_path, test_key
from stave.testmap.linemap import line_map, recorded_content

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
    """[FileChange] from unified diff text (git's, or diff -u's).

    A hunk's lines are counted by its header, so a removed line that reads
    like a file header (an SQL comment '-- x' removed is '--- x') stays a
    line. git's extended headers give the changes that have no hunk at all:
    a pure rename (rename from/to), a binary file ('Binary files ... differ':
    data files often are), an empty file added or deleted (new/deleted file
    mode). A line a hunk did not announce ends it and is read as a header."""
    changes, change, header = [], None, False  # header: `change` began at `diff --git`, no --- yet
    old_line, old_left, new_left, replacing = 0, 0, 0, False
    for number, line in enumerate(text.split('\n'), 1):
        line = line[:-1] if line.endswith('\r') else line  # a diff pasted from a browser has CRLF
        tag = line[:1]
        if (old_left > 0 or new_left > 0) and (tag in ('-', '+', ' ', '\\') or not line):
            if tag == '-':
                change.lines.add(old_line)
                change.changed.add(old_line)
                old_line, old_left, replacing = old_line + 1, old_left - 1, True
            elif tag == '+':
                new_left -= 1
                if not replacing:  # a pure insertion: the lines around it
                    change.lines.update(n for n in (old_line - 1, old_line) if n > 0)
            elif tag != '\\':  # a context line (its blank may have been trimmed); not '\ No newline'
                old_line, old_left, new_left, replacing = old_line + 1, old_left - 1, new_left - 1, False
            continue
        old_left = new_left = 0
        if line.startswith('diff --git '):
            change, header = FileChange(*_git_header_paths(line[11:])), True
            changes.append(change)
        elif line.startswith('--- '):
            if not header:
                change = FileChange(None, None)
                changes.append(change)
            change.old_path, change.new_path, header = _diff_path(line[4:]), None, False
        elif line.startswith('+++ ') and change is not None and change.new_path is None:
            change.new_path = _diff_path(line[4:])
        elif line.startswith('@@'):
            match = _HUNK.match(line)
            if not match or change is None:
                raise DiffError('%s, line %d: malformed hunk header %r' % (name, number, line))
            old_line, replacing = int(match.group(1)), False
            old_left, new_left = int(_or_one(match.group(2))), int(_or_one(match.group(4)))
            if old_left == 0:  # an insertion into an empty range: after line start
                old_line += 1
        elif header:
            _git_extended_header(change, line)
        elif line.startswith('Binary files ') and line.rstrip().endswith(' differ'):  # diff's, not git's
            paths = line.rstrip()[len('Binary files '):-len(' differ')].split(' and ')
            if len(paths) == 2:
                changes.append(FileChange(_diff_path(paths[0]), _diff_path(paths[1])))
    return [c for c in changes if c.old_path or c.new_path]


def _or_one(count):
    """A hunk header's count: absent means 1."""
    return count if count is not None else 1


def _git_header_paths(rest):
    """(old, new) paths from what follows `diff --git `: both the same path
    unless renamed; (None, None) where it cannot tell (a rename, a path
    git quoted), left to the rename lines or the ---/+++ lines that follow."""
    half = (len(rest) - 1) // 2  # 'a/' + path + ' b/' + path: ' b/' starts here
    if rest.startswith('a/') and rest[half:half + 3] == ' b/' and rest[2:half] == rest[half + 3:]:
        path = normalise_path(rest[2:half])
        return path, path
    return None, None


def _git_extended_header(change, line):
    """Apply one of git's extended header lines to `change`."""
    if line.startswith('rename from '):
        change.old_path = normalise_path(line[len('rename from '):])
    elif line.startswith('rename to ') or line.startswith('copy to '):
        change.new_path = normalise_path(line.split(' to ', 1)[1])
    elif line.startswith('copy from ') or line.startswith('new file mode'):
        change.old_path = None  # a copy leaves its source as it was: the copy is a new file
    elif line.startswith('deleted file mode'):
        change.new_path = None


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
        return sorted(t for t in self.tests if not is_outside(t))

    def explained(self):
        """[(test, rule, trigger)] of the selected tests, sorted by test."""
        return [(test,) + self.reasons[test] for test in self.sorted_tests()]


def select_tests(test_map, changes, old_content=None, root=None):
    """Apply the module's rules. `old_content(path)` returns the old side's bytes
    (None if unknown or absent); the recorded line numbers are mapped onto
    them through the git repository at `root` (see _FileSelection)."""
    selection = Selection()
    data_files = test_map.data_files_among(p for c in changes for p in (c.old_path, c.new_path) if p)
    outside = set(test_key(label) for label in test_map.outside_labels())
    for change in changes:
        for path in set(p for p in (change.old_path, change.new_path) if p):
            selection.select(test_map.tests(path + '::'), 6, '%s: a changed test file' % path)
        path = change.old_path
        if os.path.basename(change.path) in _CONFIG_FILES:
            selection.everything = selection.everything or change.path
            selection.notes.append('%s: configuration changed: every test' % change.path)
            continue
        if path in data_files:
            _select_data_file(selection, test_map, path, _data_file_change(change))
            continue
        if change.new_path in data_files:  # a path the map knows as a data file, there again
            _select_data_file(selection, test_map, change.new_path, 'added back')
            if path is None:
                continue
        if path is None:
            selection.notes.append('%s: new file, not in the map' % change.new_path)
            continue
        index = test_map.file_index(path)
        if not index:
            if not test_map.tests(path + '::'):
                selection.notes.append('%s: not in the map (no recorded test ran it)' % path)
            continue
        if change.new_path is None:
            selection.notes.append('%s: deleted: every test that ran it' % path)
            selection.select(_names(test_map, index), 4, '%s: deleted' % path)
            continue
        content = old_content(path) if old_content is not None else None
        _FileSelection(selection, test_map, change, index, outside).select(content, root)
    if selection.everything:
        selection.select(test_map.tests(), 5, '%s: configuration changed' % selection.everything)
    unfinished = test_map.tests_being_written()
    if unfinished:
        selection.select(unfinished, 8, 'its recording did not finish')
        selection.notes.append('%d test(s) whose recording did not finish: selected' % len(unfinished))
    return selection


def _names(test_map, test_keys):
    """The test ids of `test_keys`."""
    return list(test_map.names(test_keys).values())


class _FileSelection(object):
    """Rules 1-4 and 10 for one changed file whose b: index is `index`
    ({test key: blob}): its tests grouped by the content they recorded,
    the change's lines mapped onto each, and only those lines' rows read."""

    def __init__(self, selection, test_map, change, index, outside):
        self.selection = selection
        self.test_map = test_map
        self.change = change
        self.path = change.old_path
        self.index = index
        self.outside = outside  # the keys of the pseudo-tests of lines run outside tests
        self.done = set()  # the keys selected already (a test keeps its first reason)

    def select(self, content, root):
        plans = []  # (the keys of the tests recording one content, its LineMap or None)
        current = blob_id(content) if content is not None else None
        for blob, group in self._groups():
            whole = _unknown(blob, content)
            mapping = None
            if whole is None and blob != current:
                recorded = recorded_content(blob, root) if root else None
                if recorded is None:
                    whole = 'the content recorded (blob %s) is not in git' % blob[:12]
                else:
                    mapping = line_map(recorded, content)
            if whole and group & self.outside:  # any line may have run at import: every test of the file
                self.selection.notes.append('%s: %s for lines run outside tests: every test that ran the file'
                                            % (self.path, whole))
                self._select(self.index, 4, '%s: %s (lines run outside tests)' % (self.path, whole))
            elif whole:
                self.selection.notes.append('%s: %s: every test that ran it' % (self.path, whole))
                self._select(group, 4, '%s: %s' % (self.path, whole))
            else:
                plans.append((group, mapping))
        wanted = dict(((number, line), mapping.recorded(line) if mapping else (line, []))
                      for number, (_, mapping) in enumerate(plans) for line in self.change.lines)
        rows = self.test_map.line_keys(self.path, set(n for exact, around in wanted.values()
                                                      for n in ([exact] if exact else around)))
        lines = content.split(b'\n') if content is not None else []
        covered = set()
        for number, (group, _) in enumerate(plans):
            for line in sorted(self.change.lines):
                exact, around = wanted[number, line]
                found = set(key for n in ([exact] if exact else around) for key in rows.get(n, ()) if key in group)
                if exact is not None and found & self.outside:
                    self._select(self.index, 3, '%s:%d runs at import' % (self.path, line))
                    self.selection.notes.append('%s:%d runs at import: every test that ran the file'
                                                % (self.path, line))
                    return
                if found:
                    covered.add(line)
                self._select_line(line, exact, found, lines)
        self.selection.uncovered.extend((self.path, line) for line in sorted(self.change.changed - covered))

    def _groups(self):
        """[(blob or None, set of test keys)], in blob order."""
        groups = {}
        for key, blob in self.index.items():
            groups.setdefault(blob, set()).add(key)
        return sorted(groups.items(), key=lambda item: item[0] or '')

    def _select_line(self, line, exact, found, lines):
        path = self.path
        if exact is None and _module_level(lines, line):
            self._select(self.index, 10, '%s:%d written since the recording, at module level' % (path, line))
        elif exact is None:
            self._select(found, 10, '%s:%d written since the recording, near lines it ran' % (path, line))
        elif line in self.change.changed:
            self._select(found, 1, '%s:%d changed' % (path, line))
        else:
            self._select(found, 2, '%s:%d borders an insertion' % (path, line))

    def _select(self, test_keys, rule, trigger):
        fresh = set(test_keys).difference(self.done)
        if fresh:
            self.done.update(fresh)
            self.selection.select(_names(self.test_map, fresh), rule, trigger)


def _unknown(blob, content):
    """Why the recorded lines cannot be mapped onto `content`, or None."""
    if blob is None:
        return 'the content recorded is unknown'
    if content is None:
        return 'the old side is unknown'
    return None


def _module_level(lines, number):
    """True if line `number` (1-based) of `lines` (bytes) is code at module level:
    not indented, not blank, not a comment."""
    text = lines[number - 1] if 0 < number <= len(lines) else b''
    return bool(text.strip()) and text[:1] not in (b' ', b'\t', b'#')


def _data_file_change(change):
    """What `change` did to its old path, in rule 9's words."""
    if change.new_path is None:
        return 'deleted'
    if change.new_path != change.old_path:
        return 'renamed to %s' % change.new_path
    return 'changed'


def _select_data_file(selection, test_map, path, what):
    """Rule 9: the data file `path` was changed, deleted, ... (`what`)."""
    readers = set(test_map.names(test_map.file_index(path)).values())
    tests = set(test for test in readers if not is_outside(test))  # read outside any test
    if tests != readers:
        selection.select(test_map.tests(), 9, '%s %s (a data file read outside any test)' % (path, what))
        selection.notes.append('%s %s: a data file read outside any test: every test' % (path, what))
    else:
        selection.select(sorted(tests), 9, '%s %s (a data file)' % (path, what))


def select_for_diff(test_map, rev, root):
    """The Selection for the working tree against git revision `rev`."""
    changes = parse_diff(git_diff(rev, root), 'git diff %s' % rev)
    return select_tests(test_map, changes, lambda path: git_show(rev, path, root), root)


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
    return select_tests(test_map, parse_diff(text, name), current, root)
