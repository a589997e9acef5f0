"""The Python API. The CLI is a thin front end over these two functions.

    >>> import kerascheck
    >>> result = kerascheck.check_paths(["src/"])
    >>> for finding in result.findings: print(finding.code, finding.path, finding.line)
"""
from __future__ import annotations

import os
import warnings
from typing import Iterable, Optional

from kerascheck import engine
from kerascheck.config import Settings, load_settings
from kerascheck.discovery import DEFAULT_EXCLUDES, Excluder, discover
from kerascheck.finding import Finding
from kerascheck.rules import all_rules


def resolve_settings(config: Optional[Settings]) -> Settings:
    settings = config if config is not None else load_settings()
    settings.validate(all_rules())
    return settings


def discover_files(paths: Iterable[str], settings: Settings) -> list[str]:
    excludes = settings.exclude if settings.exclude is not None else DEFAULT_EXCLUDES
    excluder = Excluder(settings.root, [*excludes, *settings.extend_exclude])
    return discover(paths, excluder)


def check_paths(
    paths: Iterable[str] = (".",),
    config: Optional[Settings] = None,
    jobs: Optional[int] = None,
) -> engine.CheckResult:
    """Lint files and directories. Raises ConfigError / DiscoveryError for bad input."""
    settings = resolve_settings(config)
    files = discover_files(list(paths), settings)
    return engine.run(
        files,
        settings.enabled_codes(all_rules()),
        extra_bases=settings.extra_bases,
        per_file_ignores=settings.per_file_ignore_matcher(),
        jobs=jobs,
        config_root=settings.root,
    )


def check_source(
    text: str, path: str = "<string>.py", config: Optional[Settings] = None
) -> list[Finding]:
    """Lint one module given as text (editors, tests). Bases defined in other files are
    unknown here; use check_paths for cross-file checks."""
    settings = resolve_settings(config if config is not None else Settings())
    scan = engine.scan_text(path, text)
    plan = engine.RunPlan(
        rule_codes=tuple(sorted(settings.enabled_codes(all_rules()))),
        modules=(scan.facts,) if scan.facts else (),
        extra_bases=settings.extra_bases,
        cwd=os.getcwd(),
    )
    findings, errors = engine.Checker(plan).check_text(scan, text)
    for error in errors:  # a rule crashed: say so without hiding the other findings
        warnings.warn(str(error), RuntimeWarning, stacklevel=2)
    return findings
