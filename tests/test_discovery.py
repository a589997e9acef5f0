"""Which files get linted."""
import os
import subprocess

import pytest

from cliutil import KC101_SOURCE, run_cli, write
from kerascheck.api import discover_files
from kerascheck.config import Settings
from kerascheck.discovery import DEFAULT_EXCLUDES, DiscoveryError, Excluder, discover


def found(root, paths=None, **settings) -> list[str]:
    """Files discovered under `root` (or the given paths), relative to root."""
    root = str(root)
    config = Settings(root=root, **settings)
    given = [os.path.join(root, p) for p in paths] if paths else [root]
    return [os.path.relpath(path, root).replace(os.sep, "/") for path in discover_files(given, config)]


def git_init(root) -> None:
    subprocess.run(["git", "init", "-q", str(root)], check=True)


def test_recursive_python_files_only_sorted(tmp_path):
    write(
        tmp_path,
        {
            "b.py": "",
            "a.py": "",
            "pkg/__init__.py": "",
            "pkg/sub/deep/model.py": "",
            "notes.txt": "",
            "data.json": "{}",
            "stub.pyi": "",
            "script": "#!/usr/bin/env python\n",
        },
    )
    assert found(tmp_path) == ["a.py", "b.py", "pkg/__init__.py", "pkg/sub/deep/model.py"]


@pytest.mark.parametrize(
    "directory",
    [".git", "venv", ".venv", "build", "dist", "__pycache__", "site-packages", "node_modules",
     ".tox", "env", "pkg.egg-info", ".mypy_cache"],
)
def test_default_excludes(tmp_path, directory):
    write(tmp_path, {f"{directory}/m.py": "", f"src/{directory}/m.py": "", "src/model.py": ""})
    assert found(tmp_path) == ["src/model.py"]


def test_default_excludes_list():
    for name in (".git", "venv", ".venv", "build", "dist", "__pycache__", "site-packages", "node_modules"):
        assert name in DEFAULT_EXCLUDES


def test_excluded_names_only_match_whole_components(tmp_path):
    write(tmp_path, {"builder/m.py": "", "distance.py": "", "my_venv_tools/m.py": "", "environment.py": ""})
    assert found(tmp_path) == ["builder/m.py", "distance.py", "environment.py", "my_venv_tools/m.py"]


def test_extend_exclude_and_exclude(tmp_path):
    write(tmp_path, {"gen/m.py": "", "pkg/gen/m.py": "", "pkg/a_pb2.py": "", "pkg/model.py": "", "venv/m.py": ""})
    assert found(tmp_path, extend_exclude=("gen",)) == ["pkg/a_pb2.py", "pkg/model.py"]
    assert found(tmp_path, extend_exclude=("*_pb2.py",)) == ["gen/m.py", "pkg/gen/m.py", "pkg/model.py"]
    assert found(tmp_path, extend_exclude=("/gen",)) == ["pkg/a_pb2.py", "pkg/gen/m.py", "pkg/model.py"]
    # `exclude` replaces the defaults: the virtualenv comes back
    assert found(tmp_path, exclude=("gen",)) == ["pkg/a_pb2.py", "pkg/model.py", "venv/m.py"]
    assert found(tmp_path, exclude=()) == ["gen/m.py", "pkg/a_pb2.py", "pkg/gen/m.py", "pkg/model.py", "venv/m.py"]


def test_gitignore_in_a_git_repository(tmp_path):
    git_init(tmp_path)
    write(
        tmp_path,
        {
            ".gitignore": "scratch/\n*_generated.py\n",
            "pkg/.gitignore": "local.py\n!keep_generated.py\n",
            "pkg/sub/.gitignore": "/only_here.py\n",
            "scratch/m.py": "",
            "model.py": "",
            "model_generated.py": "",
            "pkg/local.py": "",
            "pkg/sub/local.py": "",
            "pkg/keep_generated.py": "",
            "pkg/other_generated.py": "",
            "pkg/sub/only_here.py": "",
            "pkg/sub/deeper/only_here.py": "",
            "pkg/model.py": "",
        },
    )
    assert found(tmp_path) == [
        "model.py",
        "pkg/keep_generated.py",
        "pkg/model.py",
        "pkg/sub/deeper/only_here.py",
    ]


def test_gitignore_above_the_named_directory_applies_inside_the_repository(tmp_path):
    git_init(tmp_path)
    write(tmp_path, {".gitignore": "secret.py\n", "pkg/secret.py": "", "pkg/model.py": ""})
    assert found(tmp_path, ["pkg"]) == ["pkg/model.py"]


def test_gitignore_outside_a_git_repository_is_read_below_the_named_directory(tmp_path):
    write(tmp_path, {"proj/.gitignore": "secret.py\n", "proj/secret.py": "", "proj/model.py": ""})
    assert found(tmp_path, ["proj"]) == ["proj/model.py"]


def test_gitignore_above_the_repository_root_does_not_apply(tmp_path):
    write(tmp_path, {".gitignore": "model.py\n", "repo/model.py": ""})
    git_init(tmp_path / "repo")
    assert found(tmp_path, ["repo"]) == ["repo/model.py"]


def test_explicit_file_is_linted_even_if_excluded(tmp_path):
    git_init(tmp_path)
    write(tmp_path, {".gitignore": "ignored.py\n", "ignored.py": "", "venv/tool.py": "", "gen/x.py": ""})
    assert found(tmp_path, ["ignored.py", "venv/tool.py"]) == ["ignored.py", "venv/tool.py"]
    assert found(tmp_path, ["gen/x.py"], extend_exclude=("gen",)) == ["gen/x.py"]


def test_explicit_excluded_directory_is_linted(tmp_path):
    """`kerascheck build/` lints build/, rather than silently checking nothing; the
    patterns still apply below it."""
    git_init(tmp_path)
    write(
        tmp_path,
        {
            ".gitignore": "scratch/\n",
            "build/m.py": "",
            "build/lib/m.py": "",
            "build/venv/m.py": "",
            "scratch/m.py": "",
        },
    )
    assert found(tmp_path) == []
    assert found(tmp_path, ["build"]) == ["build/lib/m.py", "build/m.py"]
    assert found(tmp_path, ["build/lib"]) == ["build/lib/m.py"]
    assert found(tmp_path, ["scratch"]) == ["scratch/m.py"]


def test_explicit_file_with_any_suffix(tmp_path):
    write(tmp_path, {"tool": "import keras\n"})
    assert found(tmp_path, ["tool"]) == ["tool"]


def test_duplicates_are_linted_once(tmp_path):
    write(tmp_path, {"pkg/m.py": ""})
    assert found(tmp_path, ["pkg", "pkg/m.py", "."]) == ["pkg/m.py"]


def test_nonexistent_path_is_a_discovery_error(tmp_path):
    with pytest.raises(DiscoveryError, match="path does not exist: nothere"):
        discover(["nothere"], Excluder(str(tmp_path), DEFAULT_EXCLUDES))


def test_nonexistent_path_exits_2_with_one_line(tmp_path):
    write(tmp_path, {"model.py": KC101_SOURCE})
    run = run_cli(["model.py", "missing_dir/"], cwd=tmp_path)
    assert run.returncode == 2
    assert run.stdout == ""
    assert run.stderr.splitlines() == ["kerascheck: error: path does not exist: missing_dir/"]


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
def test_symlink_loop_terminates(tmp_path):
    write(tmp_path, {"pkg/model.py": "", "pkg/sub/m.py": ""})
    os.symlink(str(tmp_path / "pkg"), str(tmp_path / "pkg" / "sub" / "loop"))
    os.symlink(str(tmp_path / "pkg" / "sub"), str(tmp_path / "pkg" / "sub" / "self"))
    assert found(tmp_path) == ["pkg/model.py", "pkg/sub/m.py"]


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
def test_dangling_symlink_is_skipped(tmp_path):
    write(tmp_path, {"model.py": ""})
    os.symlink(str(tmp_path / "gone.py"), str(tmp_path / "dangling.py"))
    assert found(tmp_path) == ["model.py"]


def test_directory_named_like_a_module(tmp_path):
    write(tmp_path, {"weird.py/inner.py": "", "weird.py/notes.md": "", "top.py": ""})
    assert found(tmp_path) == ["top.py", "weird.py/inner.py"]
    assert found(tmp_path, ["weird.py"]) == ["weird.py/inner.py"]


def test_directory_named_like_a_module_through_the_cli(tmp_path):
    write(tmp_path, {"weird.py/inner.py": KC101_SOURCE})
    run = run_cli(["--output-format", "concise"], cwd=tmp_path)
    assert run.returncode == 1
    assert run.stdout.startswith("weird.py/inner.py:6:18: KC101 ")


def test_no_arguments_lints_the_current_directory(tmp_path):
    write(tmp_path, {"pkg/model.py": KC101_SOURCE, "venv/lib/model.py": KC101_SOURCE})
    run = run_cli(["--output-format", "concise"], cwd=tmp_path / "pkg")
    assert run.stdout.startswith("model.py:6:18: KC101 ")
    run = run_cli(["--output-format", "concise"], cwd=tmp_path)
    assert [line.split(":")[0] for line in run.stdout.splitlines()] == ["pkg/model.py"]
    assert "in 1 file" in run.stderr


def test_empty_directory(tmp_path):
    """As ruff: a warning that nothing was found, and exit 0."""
    write(tmp_path, {"notes.txt": "x = 1\n", "venv/lib.py": "x = 1\n"})
    run = run_cli([], cwd=tmp_path)
    assert run.returncode == 0
    assert run.stdout == ""
    assert run.stderr.splitlines() == [
        "kerascheck: warning: No Python files found under the given path(s)",
        "All checks passed (0 files checked).",
    ]
    for args in (["--fix"], ["--output-format", "json"], ["--show-files"]):
        run = run_cli(args, cwd=tmp_path)
        assert run.returncode == 0
        assert "kerascheck: warning: No Python files found under the given path(s)" in run.stderr.splitlines()
    run = run_cli(["-q"], cwd=tmp_path)
    assert (run.returncode, run.stdout, run.stderr) == (0, "", "")
