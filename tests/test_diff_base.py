"""`--diff-base REF` in a real git repository: committed, staged, unstaged, untracked and
renamed changes are linted, nothing else; the index still knows the unchanged files."""
from __future__ import annotations

import json
import os
import subprocess

import pytest

from cliutil import KC101_SOURCE, run_cli, write
from kerascheck import check_paths
from kerascheck.config import Settings
from kerascheck.gitdiff import GitError, changed_files

BASE = """\
from tensorflow import keras

class Base(keras.layers.Layer):
    pass
"""
# A pitfall that is one only because Base (in another, unchanged file) is a Keras layer.
SUBCLASS = """\
import tensorflow as tf
from pkg.base import Base

class Scale(Base):
    def build(self, input_shape):
        self.w = tf.Variable(1.0)
"""


def git(repo, *args) -> str:
    completed = subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false", *args],
        cwd=str(repo), capture_output=True, text=True, check=True,
    )
    return completed.stdout


@pytest.fixture
def repo(tmp_path):
    """main: pkg/base.py, pkg/old.py (a pitfall nobody touches), pkg/moved.py, pkg/gone.py.
    Branch `work` forks from main."""
    write(tmp_path, {
        "pkg/__init__.py": "",
        "pkg/base.py": BASE,
        "pkg/old.py": KC101_SOURCE,
        "pkg/moved.py": KC101_SOURCE,
        "pkg/gone.py": KC101_SOURCE,
        "pkg/model.py": "x = 1\n",
    })
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-qm", "base")
    git(tmp_path, "checkout", "-qb", "work")
    return tmp_path


def linted(repo, *args):
    run = run_cli(["--isolated", "--output-format", "json", *args], cwd=repo)
    assert run.returncode in (0, 1), run.stderr
    return sorted({(f["path"], f["line"]) for f in json.loads(run.stdout)})


def test_every_kind_of_change_is_linted_and_nothing_else(repo):
    write(repo, {"pkg/model.py": SUBCLASS})  # committed on the branch
    git(repo, "commit", "-qam", "model")
    git(repo, "mv", "pkg/moved.py", "pkg/renamed.py")  # renamed: by its new name
    git(repo, "rm", "-q", "pkg/gone.py")  # deleted: nothing to lint
    write(repo, {"pkg/staged.py": KC101_SOURCE})
    git(repo, "add", "pkg/staged.py")
    write(repo, {"pkg/untracked.py": KC101_SOURCE})
    write(repo, {"pkg/base.py": BASE + "\n# edited, not staged\n"})
    assert linted(repo, "--diff-base", "main") == [
        ("pkg/model.py", 6),  # Base is known: the index was built from the whole tree
        ("pkg/renamed.py", 6),
        ("pkg/staged.py", 6),
        ("pkg/untracked.py", 6),
    ]
    run = run_cli(["--isolated", "--diff-base", "main"], cwd=repo)
    assert "4 problems in 4 files" in run.stderr
    assert linted(repo)  # without --diff-base, pkg/old.py is reported too
    assert ("pkg/old.py", 6) in linted(repo)


def test_unstaged_edit_is_linted(repo):
    write(repo, {"pkg/old.py": KC101_SOURCE + "\n# touched\n"})
    assert linted(repo, "--diff-base", "HEAD") == [("pkg/old.py", 6)]


def test_commits_on_the_base_branch_are_not_the_branchs_changes(repo):
    git(repo, "checkout", "-q", "main")
    write(repo, {"pkg/upstream.py": KC101_SOURCE})
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "upstream work")
    git(repo, "checkout", "-q", "work")
    write(repo, {"pkg/mine.py": KC101_SOURCE})
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "mine")
    # pkg/upstream.py differs between main and the work tree, but this branch did not add it.
    assert linted(repo, "--diff-base", "main") == [("pkg/mine.py", 6)]


def test_nothing_changed(repo):
    run = run_cli(["--isolated", "--diff-base", "HEAD"], cwd=repo)
    assert run.returncode == 0 and "0 files checked" in run.stderr


def test_paths_narrow_the_changed_files(repo):
    write(repo, {"pkg/a.py": KC101_SOURCE, "other/b.py": KC101_SOURCE})
    assert linted(repo, "--diff-base", "HEAD", "other") == [("other/b.py", 6)]


def test_notebooks_changed_are_linted(repo):
    write(repo, {"nb.ipynb": json.dumps({"cells": [{"cell_type": "code", "source": KC101_SOURCE}]})})
    run = run_cli(["--isolated", "--output-format", "concise", "--diff-base", "HEAD"], cwd=repo)
    assert run.stdout.startswith("nb.ipynb:cell 1:6:18: KC101")


def test_excluded_changes_stay_excluded(repo):
    write(repo, {"build/gen.py": KC101_SOURCE, "pkg/new.py": KC101_SOURCE})
    assert linted(repo, "--diff-base", "HEAD") == [("pkg/new.py", 6)]


def test_from_a_subdirectory(repo):
    write(repo, {"pkg/new.py": KC101_SOURCE})
    run = run_cli(["--isolated", "--output-format", "concise", "--diff-base", "HEAD"], cwd=repo / "pkg")
    assert run.stdout.startswith("new.py:6:18: KC101"), run.stdout + run.stderr


def test_api(repo, monkeypatch):
    monkeypatch.chdir(repo)
    write(repo, {"pkg/model.py": SUBCLASS})
    result = check_paths(["."], Settings(root=str(repo)), diff_base="HEAD")
    assert [(os.path.basename(f.path), f.code) for f in result.findings] == [("model.py", "KC101")]
    assert sorted(map(os.path.basename, changed_files("HEAD", str(repo)))) == ["model.py"]


@pytest.mark.parametrize(
    "args, message",
    [
        (["--diff-base", "no-such-branch"], "'no-such-branch' is not a commit"),
        (["--diff-base", "--output=x"], "is not a commit"),  # never read as an option of git
    ],
)
def test_bad_revision_is_a_usage_error(repo, args, message):
    run = run_cli(["--isolated", *args], cwd=repo)
    assert run.returncode == 2 and message in run.stderr and "Traceback" not in run.stderr
    assert not (repo / "x").exists()


def test_outside_a_repository(tmp_path):
    write(tmp_path, {"m.py": KC101_SOURCE})
    run = run_cli(["--isolated", "--diff-base", "HEAD"], cwd=tmp_path)
    assert run.returncode == 2 and "not in a git repository" in run.stderr
    with pytest.raises(GitError):
        changed_files("HEAD", str(tmp_path))
