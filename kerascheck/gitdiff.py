"""`--diff-base REF`: the files changed since a git revision.

"Changed" is what the review of a branch shows plus the work in progress: files that
differ between the working tree and the merge base of REF and HEAD (so commits on the
branch, staged and unstaged edits all count, and commits that landed on REF since the
branch forked do not), and untracked files that are not ignored. Deleted files are
left out; a renamed file counts under its new name. When REF is an ancestor of HEAD
(`HEAD~3`) the merge base is REF itself.
"""
from __future__ import annotations

import os
import subprocess


class GitError(Exception):
    """git is missing, the path is not in a repository, or REF is not a revision (exit 2)."""


def changed_files(ref: str, where: str = ".") -> list[str]:
    """Absolute paths of the files changed since `ref`, in the repository holding `where`."""
    directory = os.path.abspath(where)
    if not os.path.isdir(directory):
        directory = os.path.dirname(directory)
    top = _git(["rev-parse", "--show-toplevel"], directory).decode().strip()
    try:
        _git(["rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}"], top)
    except GitError:
        raise GitError(f"--diff-base: '{ref}' is not a commit of the repository at {top}") from None
    try:
        base = _git(["merge-base", "--end-of-options", ref, "HEAD"], top).decode().strip()
    except GitError:  # no common history (or no HEAD yet): compare with REF itself
        base = ref
    diff = _git(
        ["diff", "--name-only", "-z", "--no-ext-diff", "--no-textconv", "-M", "--diff-filter=d",
         "--end-of-options", base, "--"],
        top,
    )
    untracked = _git(["ls-files", "--others", "--exclude-standard", "-z", "--full-name"], top)
    names = dict.fromkeys(name for name in (diff + untracked).split(b"\0") if name)
    return [os.path.join(top, os.fsdecode(name)) for name in names]


def _git(args: list[str], cwd: str) -> bytes:
    try:
        completed = subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False)
    except FileNotFoundError:
        raise GitError("--diff-base needs git, and git is not installed") from None
    except OSError as error:
        raise GitError(f"cannot run git: {error}") from None
    if completed.returncode != 0:
        message = completed.stderr.decode(errors="replace").strip().splitlines()
        detail = message[-1] if message else f"git {args[0]} failed"
        if "not a git repository" in detail:
            detail = f"{cwd} is not in a git repository"
        raise GitError(f"--diff-base: {detail}")
    return completed.stdout
