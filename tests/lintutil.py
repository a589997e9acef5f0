"""Test helpers: lint snippets and projects, and turn VALID/INVALID tables into tests."""
from __future__ import annotations

import textwrap
from typing import Iterable, Optional

from kerascheck import check_source
from kerascheck.config import Settings


def lint(code: str, select: Optional[Iterable[str]] = ("ALL",), path: str = "snippet.py", target_keras: str = "auto"):
    """Findings for a snippet, with every rule (default) or the given selection, for the
    given Keras target (auto: the snippet's own imports; no pins, so Keras 3 assumed)."""
    settings = Settings(select=tuple(select) if select is not None else None, target_keras=target_keras)
    return check_source(textwrap.dedent(code), path=path, config=settings)


def codes(code: str, select=("ALL",)) -> list[str]:
    return [finding.code for finding in lint(code, select)]


def assert_triggers(rule_code: str, code: str, count: int = 1, line: Optional[int] = None):
    """`code` yields exactly `count` findings of `rule_code` (other rules are not run)."""
    found = [f for f in lint(code, (rule_code,)) if f.code == rule_code]
    assert len(found) == count, f"expected {count} {rule_code}, got {found}"
    if line is not None:
        assert found[0].line == line, found
    return found


def assert_clean(rule_code: str, code: str):
    found = [f for f in lint(code, (rule_code,)) if f.code == rule_code]
    assert found == [], f"{rule_code} must not trigger, got {found}"
