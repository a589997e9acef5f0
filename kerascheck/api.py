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
from kerascheck.cache import Cache
from kerascheck.config import Settings, load_settings
from kerascheck.discovery import DEFAULT_EXCLUDES, Excluder, discover
from kerascheck.filters import filter_findings
from kerascheck.finding import Finding
from kerascheck.fix import FixMode
from kerascheck.fix.fixer import Fixer, FixingRun
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
    and not reproduced. `confirm_options` is a kerascheck.confirm.runner.Options.

    With `fix` (a kerascheck.fix.FixMode), the files are fixed first (see
    kerascheck.fix) and the findings are those left; `result.fixes` says what changed.
    `fix_edits=False` leaves out the edits of the fixes findings offer (their safety and
    description stay): computing them means applying each fix, a tenth of a cold run,
    for output that only the JSON and SARIF formats show."""
    settings = resolve_settings(config)
    if confirm if confirm is not None else settings.confirm:
        return _check_and_confirm(
            paths, settings, jobs, confirm_only, confirm_options,
            diff_base=diff_base, force_exclude=force_exclude, cache_dir=cache_dir, fix_edits=fix_edits,
        )
    files, context = _files_and_context(paths, settings, force_exclude, diff_base)
    return _run(files, settings, jobs, context_files=context, cache_dir=cache_dir, fix=fix, fix_edits=fix_edits)


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


def _files_and_context(paths, settings: Settings, force_exclude: bool, diff_base: Optional[str]):
    """(the files to check, the files that only inform the index: with `diff_base`, the
    unchanged ones)."""
    # check_paths("src/") means one path, not the characters s, r, c, /.
    paths = [paths] if isinstance(paths, (str, os.PathLike)) else list(paths)
    files = discover_files(paths, settings, force_exclude)
    context: list[str] = []
    if diff_base is not None:
        changed = {os.path.realpath(path) for path in gitdiff.changed_files(diff_base, paths[0] if paths else ".")}
        context = [path for path in files if os.path.realpath(path) not in changed]
        files = [path for path in files if os.path.realpath(path) in changed]
    return files, context


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
    sources = {}
    if stdin is not None:
        files, context = [os.path.abspath(stdin[0])], []
        sources = {files[0]: stdin[1]}
    else:
        files, context = _files_and_context(paths, settings, force_exclude, diff_base)
    return engine.file_targets(
        files, _options(files, settings), extra_bases=settings.extra_bases, jobs=jobs,
        sources=sources, context_files=context, forced_by=forced_by,
    )


def _options(files: list[str], settings: Settings) -> dict:
    """The run-wide options the rules read (engine.prepare_options)."""
    return engine.prepare_options(files, {"target_keras": settings.target_keras})


def _check_and_confirm(paths, settings: Settings, jobs, confirm_only: bool, options, **static) -> CheckResult:
    """The static run, then --confirm over its findings. The worker starts first, so
    Keras imports while the static run goes on; the static run itself never imports it."""
    from kerascheck.confirm.runner import Runner, options_from_settings

    paths = [paths] if isinstance(paths, (str, os.PathLike)) else list(paths)
    with Runner(options or options_from_settings(settings)) as runner:
        runner.start()
        result = check_paths(paths, settings, jobs, confirm=False, **static)
        files = discover_files(paths, settings, static.get("force_exclude", False))
        result.findings = runner.confirm(result.findings, files)
        result.confirmation = runner.summary
    if confirm_only:
        result.findings = filter_findings(result.findings, confirm_only=True)
    return result


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
    return _run([absolute], settings, jobs, sources={absolute: data}, fix=fix)


def _run(
    files: list[str],
    settings: Settings,
    jobs: Optional[int],
    cache_dir: Optional[str] = None,
    fix: Optional[FixMode] = None,
    fix_edits: bool = True,
    **inputs,
) -> CheckResult:
    codes = settings.enabled_codes(all_rules())
    options = _options(files, settings)
    # The options (the Keras target, the projects' pins) and whether fixes carry their
    # edits change results: key the cache on them.
    keyed = {**options, "fix_edits": fix_edits}
    return engine.run(
        files,
        codes,
        extra_bases=settings.extra_bases,
        per_file_ignores=settings.per_file_ignore_matcher(),
        jobs=jobs,
        config_root=settings.root,
        cache=Cache(cache_dir, codes, settings.extra_bases, keyed) if cache_dir else None,
        options=options,
        fixable=settings.fixable_codes(all_rules()),
        fix=FixingRun(fix) if fix is not None else None,
        fix_edits=fix_edits,
        **inputs,
    )


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
        settings.enabled_codes(all_rules()), [scan], settings.extra_bases, options=_options(pinned, settings)
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
        settings.enabled_codes(all_rules()), [scan], settings.extra_bases, options=_options([], settings)
    )
    mode = FixMode(unsafe=unsafe, write=False, fixable=settings.fixable_codes(all_rules()))
    findings, errors, done = Fixer.for_plan(plan).fix(scan, mode)
    fixed = done.content if done is not None and done.content is not None else text
    return fixed, filter_findings(findings, fixable=settings.fixable_codes(all_rules())), errors
