"""Test helpers: lint snippets and projects, and turn VALID/INVALID tables into tests."""
from __future__ import annotations

import textwrap
from dataclasses import dataclass
from typing import Iterable, Optional, Union

import pytest

from kerascheck import check_source
from kerascheck.config import Settings
from kerascheck.finding import Severity
from kerascheck.rules import all_rules
from kerascheck.rules.base import MESSAGE_LIMIT, own_length


def lint(code: str, select: Optional[Iterable[str]] = ("ALL",), path: str = "snippet.py", target_keras: str = "auto"):
    """Findings for a snippet, with every rule (default) or the given selection, for the
    given Keras target (auto: the snippet's own imports; no pins, so Keras 3 assumed)."""
    settings = Settings(select=tuple(select) if select is not None else None, target_keras=target_keras)
    return check_source(textwrap.dedent(code), path=path, config=settings)


def codes(code: str, select=("ALL",)) -> list[str]:
    return [finding.code for finding in lint(code, select)]


def assert_short(findings) -> None:
    """Each finding's message fits MESSAGE_LIMIT characters of its own (what it quotes of
    the user's code not counted) and carries the detail in its help."""
    for finding in findings:
        assert own_length(finding.message) <= MESSAGE_LIMIT, (own_length(finding.message), finding.message)
        assert finding.help, f"{finding.code} gives no help: {finding.message}"


def assert_triggers(rule_code: str, code: str, count: int = 1, line: Optional[int] = None, target_keras: str = "auto"):
    """`code` yields exactly `count` findings of `rule_code` (other rules are not run)."""
    found = [f for f in lint(code, (rule_code,), target_keras=target_keras) if f.code == rule_code]
    assert len(found) == count, f"expected {count} {rule_code}, got {found}"
    if line is not None:
        assert found[0].line == line, found
    return found


def assert_clean(rule_code: str, code: str, target_keras: str = "auto"):
    found = [f for f in lint(code, (rule_code,), target_keras=target_keras) if f.code == rule_code]
    assert found == [], f"{rule_code} must not trigger, got {found}"


@dataclass(frozen=True)
class Invalid:
    """An INVALID entry that expects more than the default (one finding at the rule's own
    severity): `count` findings, another `severity`, words `message_contains` must hold."""

    code: str
    count: int = 1
    severity: Optional[Severity] = None
    message_contains: str = ""


def rule_tests(rule_code: str, invalid: dict[str, Union[str, Invalid]], valid: dict[str, str], target_keras: str = "auto"):
    """The shared runner: a rule's test module holds its cases as data and binds the two
    parametrized tests made from them, `test_triggers, test_does_not_trigger = rule_tests(
    "KCxxx", INVALID, VALID)`. Each INVALID entry (a snippet, or an `Invalid`) must yield
    its findings of the rule, each VALID snippet none, on `target_keras`."""
    expected_cases = [case if isinstance(case, Invalid) else Invalid(case) for case in invalid.values()]

    @pytest.mark.parametrize("expected", expected_cases, ids=list(invalid))
    def test_triggers(expected: Invalid):
        found = assert_triggers(rule_code, expected.code, count=expected.count, target_keras=target_keras)
        severity = expected.severity or all_rules()[rule_code].severity
        assert [f.severity for f in found] == [severity] * expected.count, found
        assert all(expected.message_contains in f.message + " " + f.help for f in found), found
        assert_short(found)

    @pytest.mark.parametrize("code", list(valid.values()), ids=list(valid))
    def test_does_not_trigger(code: str):
        assert_clean(rule_code, code, target_keras=target_keras)

    return test_triggers, test_does_not_trigger
