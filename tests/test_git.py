"""stave.git: the one place stave runs git, on real repositories."""
import subprocess

import pytest

from stave.errors import StaveError
from stave.git import GitError, git, head_commit


def run(repo, *args):
    return subprocess.run(['git', '-c', 'user.email=t@t', '-c', 'user.name=t'] + list(args), cwd=str(repo),
                          check=True, capture_output=True, text=True).stdout


@pytest.fixture
def repo(tmp_path):
    """A repository with one commit holding a file that is not UTF-8."""
    (tmp_path / 'data.bin').write_bytes(b'caf\xe9\n')
    run(tmp_path, 'init', '-q')
    run(tmp_path, 'add', '-A')
    run(tmp_path, 'commit', '-qm', 'base')
    return tmp_path


def test_head_commit_is_the_commit_head_names(repo):
    assert head_commit(str(repo)) == run(repo, 'rev-parse', 'HEAD').strip()
    assert len(head_commit(str(repo))) == 40


def test_head_commit_is_none_outside_a_repository(tmp_path, monkeypatch):
    monkeypatch.setenv('GIT_CEILING_DIRECTORIES', str(tmp_path.parent))  # even if /tmp were in one
    assert head_commit(str(tmp_path)) is None


def test_head_commit_is_none_before_the_first_commit(tmp_path):
    run(tmp_path, 'init', '-q')
    assert head_commit(str(tmp_path)) is None


def test_output_is_text_or_the_exact_bytes_when_binary(repo):
    assert git(['show', 'HEAD:data.bin'], str(repo), binary=True) == b'caf\xe9\n'
    assert git(['show', 'HEAD:data.bin'], str(repo)) == 'caf\ufffd\n'


def test_a_failing_git_is_a_stave_error_naming_the_command_and_what_git_said(repo):
    with pytest.raises(GitError) as caught:
        git(['show', 'no-such-rev:data.bin'], str(repo))
    assert isinstance(caught.value, StaveError)
    assert str(caught.value).startswith('git show no-such-rev:data.bin failed: fatal: ')


def test_git_missing_is_a_stave_error_saying_it_cannot_run(repo, tmp_path, monkeypatch):
    monkeypatch.setenv('PATH', str(tmp_path / 'no-bin'))
    with pytest.raises(GitError, match='^cannot run git: '):
        git(['status'], str(repo))
    assert head_commit(str(repo)) is None
