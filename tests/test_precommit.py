"""kerascheck as a pre-commit hook, run by the real pre-commit, and the cross-file index
when only some files of a project are passed (as pre-commit passes the staged ones)."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap

import pytest

from cliutil import write
from kerascheck import check_paths, engine
from kerascheck.config import Settings

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

BASE = """\
from tensorflow import keras

class Base(keras.layers.Layer):
    pass
"""
PITFALL = """\
import tensorflow as tf
from pkg.layers import Base

class Scale(Base):
    def build(self, input_shape):
        self.w = tf.Variable(1.0)
"""
FIXED = PITFALL.replace("tf.Variable(1.0)", 'self.add_weight(shape=(), name="w")')


def git(repo, *args) -> str:
    return subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false", *args],
        cwd=str(repo), capture_output=True, text=True, check=True,
    ).stdout


def snapshot_of_this_repository(destination) -> str:
    """A git repository holding this working tree as it is, new files included:
    `pre-commit try-repo` clones HEAD plus tracked changes, which would miss them."""
    listed = git(ROOT, "ls-files", "-z", "--cached", "--others", "--exclude-standard").split("\0")
    for relative in filter(None, listed):
        source = os.path.join(ROOT, relative)
        if os.path.isfile(source):
            target = os.path.join(destination, relative)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            shutil.copy2(source, target)
    git(destination, "init", "-q")
    git(destination, "add", "-A")
    git(destination, "commit", "-qm", "snapshot")
    return str(destination)


def test_manifest_is_what_pre_commit_accepts():
    from pre_commit.clientlib import load_manifest

    (hook,) = load_manifest(os.path.join(ROOT, ".pre-commit-hooks.yaml"))
    assert hook["id"] == "kerascheck"
    assert hook["language"] == "python"
    assert hook["types_or"] == ["python", "jupyter"]
    assert hook["require_serial"] is True
    assert hook["entry"].split()[:2] == ["kerascheck", "check"]


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory):
    return snapshot_of_this_repository(tmp_path_factory.mktemp("kerascheck-hook-repo"))


@pytest.fixture(scope="module")
def pre_commit_home(tmp_path_factory):
    return str(tmp_path_factory.mktemp("pre-commit-home"))


def try_repo(user_repo, hook_repo, home, *args) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("PRE_COMMIT", "KERASCHECK"))}
    environment["PRE_COMMIT_HOME"] = home
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "try-repo", hook_repo, "kerascheck", "--color=never", *args],
        cwd=str(user_repo), capture_output=True, text=True, env=environment, timeout=1200,
    )


def test_hook_fails_on_the_pitfall_then_passes_once_fixed(tmp_path, hook_repo, pre_commit_home):
    write(tmp_path, {
        "pkg/__init__.py": "",
        "pkg/layers/__init__.py": "from .base import Base\n",
        "pkg/layers/base.py": BASE,
        "pkg/model.py": PITFALL,
        "README.md": "not python\n",
    })
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", "-A")

    failed = try_repo(tmp_path, hook_repo, pre_commit_home, "--all-files")
    output = failed.stdout + failed.stderr
    assert failed.returncode == 1, output
    assert "pkg/model.py:6:18: KC101" in output
    assert "Failed" in output

    # Only the staged file is passed; its base class lives in files that are not.
    only = try_repo(tmp_path, hook_repo, pre_commit_home, "--files", "pkg/model.py")
    assert only.returncode == 1 and "pkg/model.py:6:18: KC101" in only.stdout + only.stderr

    write(tmp_path, {"pkg/model.py": FIXED})
    git(tmp_path, "add", "-A")
    passed = try_repo(tmp_path, hook_repo, pre_commit_home, "--all-files")
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "Passed" in passed.stdout


# ---- the index for files passed one by one ---------------------------------------------------
PROJECT = {
    "pyproject.toml": "[project]\nname = 'p'\n",
    "src/pkg/__init__.py": "",
    "src/pkg/layers/__init__.py": "from .base import *\n",
    "src/pkg/layers/base.py": BASE,
    "src/pkg/layers/deeper.py": "from pkg.layers import Base\n\nclass Middle(Base):\n    pass\n",
    "src/pkg/model.py": PITFALL.replace("from pkg.layers import Base", "from pkg.layers.deeper import Middle as Base"),
    "src/pkg/unrelated.py": "import numpy\n",
    "scripts/train.py": textwrap.dedent("""\
        import tensorflow as tf
        from pkg import model
        from pkg.layers.base import Base

        class Local(Base):
            def build(self, input_shape):
                self.v = tf.Variable(0.0)
        """),
}


def test_bases_in_files_not_passed_are_resolved(project):
    root = project(PROJECT)
    settings = Settings(root=root)
    result = check_paths([os.path.join(root, "src/pkg/model.py"), os.path.join(root, "scripts/train.py")], settings)
    assert sorted((os.path.relpath(f.path, root), f.code) for f in result.findings) == [
        ("scripts/train.py", "KC101"), ("src/pkg/model.py", "KC101")]
    # A directory is no different: its files' bases may live elsewhere in the project.
    only_scripts = check_paths([os.path.join(root, "scripts")], settings)
    assert [(os.path.relpath(f.path, root), f.line) for f in only_scripts.findings] == [("scripts/train.py", 7)]


def recorded_reads(monkeypatch, root) -> list:
    read = []
    original = engine.scan_file

    def recording(path, data=None):
        read.append(os.path.relpath(path, root))
        return original(path, data)

    monkeypatch.setattr(engine, "scan_file", recording)
    return read


def test_only_imported_project_files_are_read(project, monkeypatch):
    root = project({**PROJECT, "src/pkg/huge_unrelated.py": "x = 1\n" * 10})
    read = recorded_reads(monkeypatch, root)
    result = check_paths([os.path.join(root, "src/pkg/model.py")], Settings(root=root), jobs=1)
    assert [f.code for f in result.findings] == ["KC101"]
    assert sorted(read) == [
        "src/pkg/layers/__init__.py",  # deeper.py imports Base from the package ...
        "src/pkg/layers/base.py",  # ... which star-imports it from here
        "src/pkg/layers/deeper.py",
        "src/pkg/model.py",
    ]


def test_files_outside_the_project_are_never_read(project, monkeypatch):
    # keras.py beside the project (whose root is proj/, marked by its pyproject.toml)
    root = project({"keras.py": "x = 1\n", "proj/pyproject.toml": "", "proj/m.py": "import keras\n"})
    read = recorded_reads(monkeypatch, root)
    check_paths([os.path.join(root, "proj/m.py")], Settings(root=root), jobs=1)
    assert read == ["proj/m.py"]


def test_force_exclude_applies_the_configuration_to_named_files(tmp_path):
    from cliutil import KC101_SOURCE, run_cli

    write(tmp_path, {
        "kerascheck.toml": 'extend-exclude = ["legacy/", "*.ipynb"]\n',
        "legacy/old.py": KC101_SOURCE,
        "nb.ipynb": '{"cells": [{"cell_type": "code", "source": "x = (\\n"}]}',
        "build/gen.py": KC101_SOURCE,
        "pkg/m.py": KC101_SOURCE,
    })
    named = ["legacy/old.py", "nb.ipynb", "build/gen.py", "pkg/m.py"]
    forced = run_cli(["check", "--force-exclude", "--output-format", "concise", *named], cwd=tmp_path)
    assert [line.split(":")[0] for line in forced.stdout.splitlines()] == ["pkg/m.py"]
    plain = run_cli(["check", "--output-format", "concise", *named], cwd=tmp_path)
    assert sorted({line.split(":")[0] for line in plain.stdout.splitlines()}) == sorted(named)
