"""What one checking run is asked to do, as one value.

The API turns the configuration into a CheckRequest (`CheckRequest.from_settings`) and
hands it to `engine.run` (and `engine.file_targets`); the tests build theirs the same
way. The engine reads the request and never the configuration: which rules run, which
codes a file ignores and which fixes may show are decided here, once, so that a new
run-wide setting is one field and one line of `from_settings`, not a keyword threaded
through every layer.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Iterable, Mapping, Optional, Union

from kerascheck.cache import Cache
from kerascheck.config import Settings
from kerascheck.engine import prepare_options
from kerascheck.fix import FixMode
from kerascheck.fix.fixer import FixingRun
from kerascheck.rules import all_rules


@dataclass(frozen=True)
class CheckRequest:
    """One run: which files, with which rules and options, and how (processes, cache, fixing)."""

    files: tuple[str, ...]  # absolute paths: the files checked and reported
    rule_codes: tuple[str, ...]  # the enabled rules, sorted
    extra_bases: tuple[str, ...] = ()  # `extend-keras-bases`
    # Run-wide data the rules read from FileContext.options, as (key, value) pairs:
    # prepare_options() over `files` (the Keras target, the projects' pins).
    options: tuple = ()
    # Settings.per_file_ignore_matcher(): (compiled pattern, codes) pairs, matched
    # relative to `root` (or by file name).
    per_file_ignores: tuple = ()
    root: str = field(default_factory=os.getcwd)
    fixable: Optional[frozenset] = None  # the codes whose findings show their fix (None: all)
    # Whether a finding's fix carries its edits (see engine.RunPlan.fix_edits).
    fix_edits: bool = True
    cwd: str = field(default_factory=os.getcwd)  # findings' paths are shown relative to it
    jobs: Optional[int] = None  # worker processes (None: all cores)
    # (path, content) of the files not read from disk (stdin).
    sources: tuple[tuple[str, Union[bytes, str]], ...] = ()
    # Files that only inform the project index (with --diff-base, the unchanged ones).
    context_files: tuple[str, ...] = ()
    cache_dir: Optional[str] = None  # the result cache's directory (None: no cache)
    # A fixing run (the engine never fixes by itself: it hands the files to this).
    fix: Optional[FixingRun] = None

    @classmethod
    def from_settings(
        cls,
        files: Iterable[str],
        settings: Settings,
        *,
        jobs: Optional[int] = None,
        sources: Optional[Mapping[str, Union[bytes, str]]] = None,
        context_files: Iterable[str] = (),
        cache_dir: Optional[str] = None,
        fix: Optional[FixMode] = None,
        fix_edits: bool = True,
        cwd: Optional[str] = None,
    ) -> "CheckRequest":
        """The request for checking `files` (absolute paths) under `settings` (already
        validated): the one way the API, the CLI through it, and the tests build one."""
        files = tuple(files)
        registry = all_rules()
        return cls(
            files=files,
            rule_codes=tuple(sorted(settings.enabled_codes(registry))),
            extra_bases=tuple(settings.extra_bases),
            options=tuple(settings_options(files, settings).items()),
            per_file_ignores=tuple(settings.per_file_ignore_matcher()),
            root=settings.root,
            fixable=settings.fixable_codes(registry),
            fix_edits=fix_edits,
            cwd=cwd or os.getcwd(),
            jobs=jobs,
            sources=tuple((sources or {}).items()),
            context_files=tuple(context_files),
            cache_dir=cache_dir,
            fix=FixingRun(fix) if fix is not None else None,
        )

    def cache(self) -> Optional[Cache]:
        """The result cache of this run, keyed on every field that changes results: the
        rules, the extra bases, the options and whether fixes carry their edits. None
        without `cache_dir`, and for a fixing run (its results are those of the files it
        writes)."""
        if self.cache_dir is None or self.fix is not None:
            return None
        keyed = {**dict(self.options), "fix_edits": self.fix_edits}
        return Cache(self.cache_dir, self.rule_codes, self.extra_bases, keyed)


def settings_options(files: Iterable[str], settings: Settings) -> dict:
    """The run-wide options the rules read, for `files` under `settings`
    (engine.prepare_options: target-keras, or else the pins of the files' projects)."""
    return prepare_options(list(files), {"target_keras": settings.target_keras})
