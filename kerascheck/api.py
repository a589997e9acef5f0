"""The Python API. The CLI is a thin front end over these two functions.

    >>> import kerascheck
    >>> result = kerascheck.check_paths(["src/"])
    >>> for finding in result.findings: print(finding.code, finding.path, finding.line)
"""
from __future__ import annotations

import os
import warnings
from typing import Iterable, Optional, Union

from kerascheck import engine, gitdiff
from kerascheck.cache import DIRECTORY_NAME as CACHE_DIRECTORY_NAME
from kerascheck.config import Settings, load_settings
from kerascheck.discovery import DEFAULT_EXCLUDES, Excluder, discover
from kerascheck.filters import filter_findings
from kerascheck.finding import Finding
from kerascheck.fix import FixMode
from kerascheck.fix.fixer import Fixer
from kerascheck.request import CheckRequest, settings_options
from kerascheck.results import CheckResult
from kerascheck.rules import all_rules


def resolve_settings(config: Optional[Settings]) -> Settings:
    settings = config if config is not None else load_settings()
    settings.validate(all_rules())
    return settings


def discover_files(paths: Iterable[str], settings: Settings, force_exclude: bool = False) -> list[str]:
    """The files to lint. A file named explicitly is linted even when excluded, unless
    `force_exclude` (for pre-commit, which names every staged file)."""
    excludes = settings.exclude if settings.exclude is not None else DEFAULT_EXCLUDES
    excluder = Excluder(settings.root, [*excludes, *settings.extend_exclude])
    files = discover(paths, excluder)
    if force_exclude:
        files = [path for path in files if not _excluded_path(path, excluder)]
    return files


def _excluded_path(path: str, excluder: Excluder) -> bool:
    """Whether the file or a folder above it (up to the configuration root) is excluded."""
    current = path
    while True:
        if excluder.excludes(current, current != path):
            return True
        parent = os.path.dirname(current)
        relative = os.path.relpath(parent, excluder.root)
        if parent == current or relative in (".", "..") or relative.startswith(".." + os.sep):
            return False
        current = parent


def check_paths(
    paths: Iterable[str] = (".",),
    config: Optional[Settings] = None,
    jobs: Optional[int] = None,
    *,
    diff_base: Optional[str] = None,
    force_exclude: bool = False,
    cache_dir: Optional[str] = None,
    confirm: Optional[bool] = None,
    confirm_only: bool = False,
    confirm_options=None,
    fix=None,
    fix_edits: bool = True,
) -> CheckResult:
    """Lint files and directories. With `diff_base` (a git revision), only the files
    among them that changed since it (committed, staged, unstaged or untracked) are
    checked; the others still inform the cross-file index. Raises ConfigError /
    DiscoveryError / gitdiff.GitError for bad input. With `cache_dir` (see
    default_cache_dir), results are cached there and unchanged files are not re-checked.

    With `confirm` (default: the `confirm` setting), the flagged classes are then built
    with the installed Keras (this executes parts of the checked code, see
    kerascheck.confirm): each confirmable finding gets a `confirmation`, and
    `result.confirmation` the counts. `confirm_only` drops the findings that were tried
    and not reproduced. `confirm_options` is a kerascheck.confirm.runner.Options. When
    a finding is to be confirmed and no Keras can be imported, raises
    kerascheck.confirm.KerasMissing (an ImportError) saying what to install.

    With `fix` (a kerascheck.fix.FixMode), the files are fixed first (see
    kerascheck.fix) and the findings are those left; `result.fixes` says what changed.
    A fixing run is never confirmed (fixing never executes the code), as on the
    command line. `fix_edits=False` leaves out the edits of the fixes findings offer
    (their safety and description stay): computing them means applying each fix, a
    tenth of a cold run, for output that only the JSON and SARIF formats show.

    The steps, each once: discovery, the check (engine.run), then with `confirm` the
    confirmation of the check's findings (kerascheck.confirm.runner.Runner), then the
    confirm-only filter (kerascheck.filters)."""
    settings = resolve_settings(config)
    paths = _path_list(paths)
    run = dict(jobs=jobs, cache_dir=cache_dir, fix=fix, fix_edits=fix_edits)
    if fix is not None or not (confirm if confirm is not None else settings.confirm):
        return _check(paths, settings, force_exclude, diff_base, **run)[0]

    from kerascheck.confirm.runner import Runner, options_from_settings

    with Runner(confirm_options or options_from_settings(settings)) as runner:
        # The worker starts before discovery and the check: its Keras import (seconds)
        # overlaps them, and the check itself never imports Keras.
        runner.start()
        result, discovered = _check(paths, settings, force_exclude, diff_base, **run)
        result.findings = runner.confirm(result.findings, discovered)
        result.confirmation = runner.summary
    result.findings = filter_findings(result.findings, confirm_only=confirm_only)
    return result


def _check(paths: list, settings: Settings, force_exclude: bool, diff_base: Optional[str], **run):
    """Discovery and the check: (the result, every file discovered). --confirm looks for
    the flagged classes' call sites in all of them, the unchanged files of a
    `diff_base` run included."""
    discovered = discover_files(paths, settings, force_exclude)
    files, context = _changed_and_context(discovered, paths, diff_base)
    request = CheckRequest.from_settings(files, settings, context_files=context, **run)
    return engine.run(request), discovered


def add_noqa(
    paths: Iterable[str] = (".",),
    config: Optional[Settings] = None,
    jobs: Optional[int] = None,
    *,
    diff_base: Optional[str] = None,
    force_exclude: bool = False,
) -> CheckResult:
    """`--add-noqa`: write a `# noqa: CODE` directive for every finding check_paths would
    show (kerascheck.fix.noqa). `result.fixes` holds the changed files, each with the
    number of directives it got (`FileFix.noqa`); `result.findings` what no line
    directive silences (KC001)."""
    return check_paths(
        paths, config, jobs, diff_base=diff_base, force_exclude=force_exclude, confirm=False,
        fix=FixMode(add_noqa=True),
    )


def files_to_check(
    paths: Iterable[str] = (".",),
    config: Optional[Settings] = None,
    *,
    diff_base: Optional[str] = None,
    force_exclude: bool = False,
) -> list[str]:
    """The files (absolute paths) a check_paths run with these arguments would check
    (`kerascheck --show-files`). Raises as check_paths does for bad input."""
    paths = _path_list(paths)
    discovered = discover_files(paths, resolve_settings(config), force_exclude)
    return _changed_and_context(discovered, paths, diff_base)[0]


def _path_list(paths) -> list:
    # check_paths("src/") means one path, not the characters s, r, c, /.
    return [paths] if isinstance(paths, (str, os.PathLike)) else list(paths)


def _changed_and_context(files: list[str], paths: list, diff_base: Optional[str]):
    """(the files to check, the files that only inform the index): with `diff_base`, the
    changed files and the unchanged ones; else all of them and none."""
    if diff_base is None:
        return files, []
    changed = {os.path.realpath(path) for path in gitdiff.changed_files(diff_base, paths[0] if paths else ".")}
    return (
        [path for path in files if os.path.realpath(path) in changed],
        [path for path in files if os.path.realpath(path) not in changed],
    )


def file_targets(
    paths: Iterable[str] = (".",),
    config: Optional[Settings] = None,
    jobs: Optional[int] = None,
    *,
    diff_base: Optional[str] = None,
    force_exclude: bool = False,
    stdin: Optional[tuple[str, Union[bytes, str]]] = None,
    forced_by: Optional[str] = None,
) -> list:
    """The Keras each file a check_paths run (or, with `stdin` = (path, content), a
    check_stdin run) would check runs on, and why: [(shown path, Target or RunError)],
    computed as the rules get it (kerascheck.semantic.target.file_target). Nothing is
    linted. `forced_by` words the reason when target-keras forces the target
    (`--target-keras 2`). Raises as check_paths does for bad input."""
    settings = resolve_settings(config)
    if stdin is not None:
        absolute = os.path.abspath(stdin[0])
        request = CheckRequest.from_settings([absolute], settings, jobs=jobs, sources={absolute: stdin[1]})
    else:
        paths = _path_list(paths)
        files, context = _changed_and_context(discover_files(paths, settings, force_exclude), paths, diff_base)
        request = CheckRequest.from_settings(files, settings, jobs=jobs, context_files=context)
    return engine.file_targets(request, forced_by=forced_by)


def check_stdin(
    path: str,
    data: Union[bytes, str],
    config: Optional[Settings] = None,
    jobs: Optional[int] = None,
    fix=None,
) -> CheckResult:
    """Lint `data` as the content of the file `path` (editors pipe unsaved buffers):
    findings carry `path`, per-file-ignores match it, and the project files it imports
    inform the index as for a file on disk. With `fix` (a FixMode), the fixed content
    is in `result.fixes[0].content` (no fix: `result.fixes` is empty)."""
    settings = resolve_settings(config)
    absolute = os.path.abspath(path)
    return engine.run(CheckRequest.from_settings([absolute], settings, jobs=jobs, sources={absolute: data}, fix=fix))


def default_cache_dir(settings: Settings) -> str:
    """Where the CLI keeps its cache: `.kerascheck_cache` beside the configuration file
    (or in the current directory when there is none)."""
    return os.path.join(settings.root, CACHE_DIRECTORY_NAME)


def check_source(
    text: str, path: str = "<string>.py", config: Optional[Settings] = None
) -> list[Finding]:
    """Lint one module given as text (editors, tests); a `path` ending in `.ipynb` reads
    `text` as a notebook. Bases defined in other files are unknown here; use
    check_paths or check_stdin for cross-file checks."""
    settings = resolve_settings(config if config is not None else Settings())
    scan = engine.scan_file(path, text)
    # Dependency pins apply to a module that lives in a real project folder.
    pinned = [path] if os.path.isabs(path) and os.path.isdir(os.path.dirname(path)) else []
    plan = engine.build_plan(
        settings.enabled_codes(all_rules()), [scan], settings.extra_bases, options=settings_options(pinned, settings)
    )
    findings, errors = engine.Checker(plan).check_data(scan, text)
    for error in errors:  # a rule crashed: say so without hiding the other findings
        warnings.warn(str(error), RuntimeWarning, stacklevel=2)
    return filter_findings(findings, fixable=settings.fixable_codes(all_rules()))


def fix_source(
    text: str, path: str = "<string>.py", config: Optional[Settings] = None, unsafe: bool = False
) -> tuple[str, list[Finding], list]:
    """Fix one module given as text, as `--fix` (with `unsafe`: `--unsafe-fixes`) would:
    (the fixed text, the findings left in it, the run errors: a fix that was refused is
    one, and the text is then returned unchanged)."""
    settings = resolve_settings(config if config is not None else Settings())
    scan = engine.scan_file(path, text)
    plan = engine.build_plan(
        settings.enabled_codes(all_rules()), [scan], settings.extra_bases, options=settings_options([], settings)
    )
    mode = FixMode(unsafe=unsafe, write=False, fixable=settings.fixable_codes(all_rules()))
    findings, errors, done = Fixer.for_plan(plan).fix(scan, mode)
    fixed = done.content if done is not None and done.content is not None else text
    return fixed, filter_findings(findings, fixable=settings.fixable_codes(all_rules())), errors
