"""What a run returns: the findings, the errors and what else happened.

Its own module, beside kerascheck.finding, so that the reports, the CLI and API users
read a result without importing the engine that produces it.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Optional

from kerascheck.finding import Finding, RunError

if TYPE_CHECKING:
    from kerascheck.fix import FileFix, FixMode


@dataclass
class CheckResult:
    findings: list[Finding] = field(default_factory=list)
    errors: list[RunError] = field(default_factory=list)
    files_checked: int = 0
    # One-line warnings about the run itself (the cache could not be written...).
    notices: list[str] = field(default_factory=list)
    # With --fix/--diff (kerascheck.fix): what was done, and each changed file.
    fix_mode: Optional[FixMode] = None
    fixes: list[FileFix] = field(default_factory=list)
    # With --confirm: the kerascheck.confirm.runner.Summary (counts, Keras version, timing).
    confirmation: Optional[object] = None
