"""Selecting tests for a change: diff parsing and the rules, on a real git repository."""
import csv
import io
import json
import os
import subprocess
import sys

import pytest

from stave.store import connect
from stave.testmap import MapWriter, TestMap
from stave.testmap.blobs import blob_ids
from stave.testmap.keys import IMPORT_TEST
from stave.testmap.selection import parse_diff, select_for_diff, select_for_patch

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CALC = 'LIMIT = 10\n\n\ndef add(a, b):\n    return a + b\n\n\ndef clamp(x):\n    if x > LIMIT:\n        return LIMIT\n    return x\n'


def git(repo, *args):
    subprocess.run(['git', '-c', 'user.email=t@t', '-c', 'user.name=t'] + list(args), cwd=str(repo), check=True,
                   capture_output=True)


@pytest.fixture
def repo(tmp_path):
    """A committed project and its recorded map (as pytest --stave would record it)."""
    (tmp_path / 'app').mkdir()
    (tmp_path / 'app' / 'calc.py').write_text(CALC)
    (tmp_path / 'app' / 'unused.py').write_text('X = 1\n')
    (tmp_path / 'conftest.py').write_text('')
    git(tmp_path, 'init', '-q')
    git(tmp_path, 'add', '-A')
    git(tmp_path, 'commit', '-qm', 'base')
    with connect('sqlite:///' + str(tmp_path / 'map.db')) as store:
        writer = MapWriter(store)
        writer.write({'t::add': {'app/calc.py': {5}}, 't::high': {'app/calc.py': {9, 10}},
                      't::low': {'app/calc.py': {9, 11}}}, blobs=blob_ids(str(tmp_path), ['app/calc.py']))
        writer.add({IMPORT_TEST: {'app/calc.py': {1, 4, 8}}}, blobs=blob_ids(str(tmp_path), ['app/calc.py']))
    return tmp_path


def selected(repo, rev='HEAD'):
    with connect('sqlite:///' + str(repo / 'map.db')) as store:
        selection = select_for_diff(TestMap(store), rev, str(repo))
    return selection.sorted_tests(), selection.notes


def edit(repo, old, new):
    path = repo / 'app' / 'calc.py'
    path.write_text(path.read_text().replace(old, new))


def test_parse_diff_old_side_lines():
    diff = ('--- a/app/x.py\n+++ b/app/x.py\n@@ -5 +5 @@\n-a\n+b\n@@ -10,0 +11,2 @@\n+n\n+m\n'
            '@@ -20,2 +21,0 @@\n-g\n-h\n--- /dev/null\n+++ b/new.py\n@@ -0,0 +1 @@\n+x\n'
            '--- a/old.py\n+++ /dev/null\n@@ -1 +0,0 @@\n-x\n')
    changes = parse_diff(diff)
    assert [(c.old_path, c.new_path, sorted(c.lines)) for c in changes] == [
        ('app/x.py', 'app/x.py', [5, 10, 11, 20, 21]), (None, 'new.py', [1]), ('old.py', None, [1])]


def test_parse_diff_with_context_lines():
    diff = '--- a/x.py\n+++ b/x.py\n@@ -3,5 +3,5 @@\n c\n c\n-old\n+new\n c\n c\n'
    assert sorted(parse_diff(diff)[0].lines) == [5]


def test_a_changed_line_selects_the_tests_that_ran_it(repo):
    edit(repo, '        return LIMIT\n', '        return LIMIT + 0\n')
    assert selected(repo) == (['t::high'], [])


def test_a_pure_insertion_selects_the_neighbours_tests(repo):
    edit(repo, '    return x\n', '    return x\n    # the end\n')
    tests, _ = selected(repo)
    assert tests == ['t::low']


def test_a_module_level_change_selects_every_test_of_the_file(repo):
    edit(repo, 'LIMIT = 10', 'LIMIT = 11')
    tests, notes = selected(repo)
    assert tests == ['t::add', 't::high', 't::low']
    assert any('runs at import' in note for note in notes)


def test_content_recorded_that_git_lacks_falls_back_to_the_file(repo):
    with connect('sqlite:///' + str(repo / 'map.db')) as store:  # t::add recorded in content git never saw
        MapWriter(store).write({'t::add': {'app/calc.py': {5}}}, blobs={'app/calc.py': '0' * 40})
    edit(repo, '        return LIMIT\n', '        return LIMIT + 0\n')
    tests, notes = selected(repo)
    assert tests == ['t::add', 't::high']  # t::add by rule 4; t::high by line 10, in the content git has
    assert any('(blob 000000000000) is not in git: every test that ran it' in note for note in notes)


def test_lines_run_outside_tests_in_an_unknown_content_select_every_test_of_the_file(repo):
    with connect('sqlite:///' + str(repo / 'map.db')) as store:
        MapWriter(store).write({IMPORT_TEST: {'app/calc.py': {1, 4, 8}}}, blobs={'app/calc.py': '0' * 40})
    edit(repo, 'LIMIT = 10\n', 'LIMIT = 11\n')
    tests, notes = selected(repo)
    assert tests == ['t::add', 't::high', 't::low']  # line 1 may have run at import: every test of the file
    assert any('for lines run outside tests: every test that ran the file' in note for note in notes)


def test_content_recorded_unknown_falls_back_to_the_file(repo):
    with connect('sqlite:///' + str(repo / 'map.db')) as store:  # as a version 1 trace file imports
        MapWriter(store).write({'t::add': {'app/calc.py': {5}}})
    edit(repo, '        return LIMIT\n', '        return LIMIT + 0\n')
    tests, notes = selected(repo)
    assert tests == ['t::add', 't::high']
    assert any('the content recorded is unknown' in note for note in notes)


def test_deleted_file_selects_its_tests_and_config_selects_everything(repo):
    (repo / 'app' / 'calc.py').unlink()
    tests, notes = selected(repo)
    assert tests == ['t::add', 't::high', 't::low'] and any('deleted' in n for n in notes)
    git(repo, 'checkout', '-q', 'app/calc.py')
    (repo / 'conftest.py').write_text('import os\n')
    tests, notes = selected(repo)
    assert tests == ['t::add', 't::high', 't::low'] and any('configuration' in n for n in notes)


def test_a_changed_test_file_selects_the_tests_defined_in_it(repo):
    (repo / 'tests').mkdir()
    (repo / 'tests' / 'test_io.py').write_text('def test_read():\n    pass\n')
    git(repo, 'add', 'tests')  # not map.db: a binary file the map has not seen would be named in a note
    git(repo, 'commit', '-qm', 'a test file')
    with connect('sqlite:///' + str(repo / 'map.db')) as store:  # recorded without its own lines
        MapWriter(store).write({'tests/test_io.py::test_read': {'app/calc.py': {5}}})
    (repo / 'tests' / 'test_io.py').write_text('def test_read():\n    assert True\n')
    assert selected(repo) == (['tests/test_io.py::test_read'], [])


def test_unseen_files_are_named_in_a_note(repo):
    (repo / 'app' / 'unused.py').write_text('X = 2\n')
    assert selected(repo) == ([], ['app/unused.py: not in the map (no recorded test ran it)'])


def test_patch_file_against_the_working_tree(repo, tmp_path):
    edit(repo, '    return a + b\n', '    return b + a\n')
    patch = tmp_path / 'change.patch'
    patch.write_text(subprocess.run(['git', 'diff'], cwd=str(repo), capture_output=True, text=True).stdout)
    git(repo, 'checkout', '-q', 'app/calc.py')  # not applied yet: the tree is the old side
    with connect('sqlite:///' + str(repo / 'map.db')) as store:
        assert select_for_patch(TestMap(store), str(patch), str(repo)).sorted_tests() == ['t::add']


def explained(repo, rev='HEAD'):
    with connect('sqlite:///' + str(repo / 'map.db')) as store:
        return select_for_diff(TestMap(store), rev, str(repo)).explained()


def test_explain_names_rule_1_and_the_changed_line(repo):
    edit(repo, '        return LIMIT\n', '        return LIMIT + 0\n')
    assert explained(repo) == [('t::high', 1, 'app/calc.py:10 changed')]


def test_explain_names_rule_2_and_the_line_bordering_an_insertion(repo):
    edit(repo, '    return x\n', '    return x\n    # the end\n')
    assert explained(repo) == [('t::low', 2, 'app/calc.py:11 borders an insertion')]


def test_explain_names_rule_3_and_the_module_level_line(repo):
    edit(repo, 'LIMIT = 10', 'LIMIT = 11')
    assert explained(repo) == [(test, 3, 'app/calc.py:1 runs at import') for test in ('t::add', 't::high', 't::low')]


def test_explain_names_rule_4_and_the_deleted_file(repo):
    (repo / 'app' / 'calc.py').unlink()
    assert explained(repo) == [(test, 4, 'app/calc.py: deleted') for test in ('t::add', 't::high', 't::low')]


def test_explain_names_rule_5_and_the_configuration_file(repo):
    (repo / 'conftest.py').write_text('import os\n')
    assert explained(repo) == [(test, 5, 'conftest.py: configuration changed')
                               for test in ('t::add', 't::high', 't::low')]


def test_explain_names_rule_6_and_the_changed_test_file(repo):
    (repo / 'tests').mkdir()
    (repo / 'tests' / 'test_io.py').write_text('def test_read():\n    pass\n')
    git(repo, 'add', '-A')
    git(repo, 'commit', '-qm', 'a test file')
    with connect('sqlite:///' + str(repo / 'map.db')) as store:
        MapWriter(store).write({'tests/test_io.py::test_read': {'app/calc.py': {5}}})
    (repo / 'tests' / 'test_io.py').write_text('def test_read():\n    assert True\n')
    assert explained(repo) == [('tests/test_io.py::test_read', 6, 'tests/test_io.py: a changed test file')]


def test_explain_keeps_the_first_reason_found_for_a_test(repo):
    edit(repo, '    if x > LIMIT:\n        return LIMIT\n', '    if x >= LIMIT:\n        return LIMIT + 0\n')
    assert explained(repo) == [('t::high', 1, 'app/calc.py:9 changed'), ('t::low', 1, 'app/calc.py:9 changed')]


def test_select_command(repo):
    edit(repo, '        return LIMIT\n', '        return LIMIT + 0\n')
    env = dict(os.environ, PYTHONPATH=ROOT)
    run = lambda *args: subprocess.run([sys.executable, os.path.join(ROOT, 'stave.py'), '--store',
                                        'sqlite:///' + str(repo / 'map.db'), 'select'] + list(args),
                                       cwd=str(repo), env=env, capture_output=True, text=True)
    result = run('--diff', 'HEAD')
    assert (result.returncode, result.stdout) == (0, 't::high\n')
    assert run('--diff', 'HEAD', '--format', 'json').stdout == '["t::high"]\n'
    git(repo, 'checkout', '-q', 'app/calc.py')
    assert run('--diff', 'HEAD').returncode == 1  # nothing changed, nothing selected
    bad = run('--diff', 'no-such-rev')
    assert bad.returncode == 2 and 'git diff' in bad.stderr


def test_select_command_explains_in_text_json_and_csv(repo):
    edit(repo, '        return LIMIT\n', '        return LIMIT + 0\n')
    env = dict(os.environ, PYTHONPATH=ROOT)
    run = lambda *args: subprocess.run([sys.executable, os.path.join(ROOT, 'stave.py'), '--store',
                                        'sqlite:///' + str(repo / 'map.db'), 'select', '--diff', 'HEAD',
                                        '--explain'] + list(args),
                                       cwd=str(repo), env=env, capture_output=True, text=True)
    assert run().stdout == 't::high\t1\tapp/calc.py:10 changed\n'
    assert json.loads(run('--format', 'json').stdout) == [
        {'test': 't::high', 'rule': 1, 'because': 'app/calc.py:10 changed'}]
    assert list(csv.reader(io.StringIO(run('--format', 'csv').stdout))) == [
        ['test', 'rule', 'because'], ['t::high', '1', 'app/calc.py:10 changed']]
