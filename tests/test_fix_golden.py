"""Every fix's golden output. `tests/fix/KCxxx.py` holds the cases of one rule (fixable
ones, and the traps its fix must leave alone); fixed by `--fix --unsafe-fixes` with only
that rule selected it must read exactly as `tests/fix/KCxxx.fixed.py`. After a
deliberate change of a fix, regenerate and READ the diff:

    KERASCHECK_UPDATE_GOLDEN=1 python -m pytest -q tests/test_fix_golden.py
"""
import ast
import os
import re

import pytest

from kerascheck.api import fix_source
from kerascheck.config import Settings
from kerascheck.rules import all_rules

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fix")
UPDATE = os.environ.get("KERASCHECK_UPDATE_GOLDEN") == "1"
CASES = sorted(name[:-3] for name in os.listdir(HERE) if re.fullmatch(r"KC\d{3}\.py", name))


def _read(name: str) -> str:
    with open(os.path.join(HERE, name), encoding="utf-8", newline="") as handle:
        return handle.read()


def _fix(code: str, text: str, unsafe: bool = True):
    return fix_source(text, path=f"{code}.py", config=Settings(select=(code,)), unsafe=unsafe)


def test_every_fixable_rule_has_a_golden():
    assert {code for code, rule in all_rules().items() if rule.fix_safety and code < "KC5"} <= set(CASES)


@pytest.mark.parametrize("code", CASES)
def test_golden(code):
    fixed, _findings, errors = _fix(code, _read(f"{code}.py"))
    assert errors == []
    if UPDATE:
        with open(os.path.join(HERE, f"{code}.fixed.py"), "w", encoding="utf-8", newline="") as handle:
            handle.write(fixed)
    assert fixed == _read(f"{code}.fixed.py")


@pytest.mark.parametrize("code", CASES)
def test_golden_is_fixed_for_good(code):
    """The fixed file parses, a second --fix changes nothing, and the findings left are
    the traps, which offer no fix."""
    golden = _read(f"{code}.fixed.py")
    ast.parse(golden)
    again, left, errors = _fix(code, golden)
    assert errors == [] and again == golden
    assert [finding for finding in left if finding.fixable] == []


@pytest.mark.parametrize("code", CASES)
def test_fix_alone_applies_only_safe_fixes(code):
    before = _read(f"{code}.py")
    fixed, left, errors = _fix(code, before, unsafe=False)
    assert errors == []
    safety = all_rules()[code].fix_safety
    if safety == ("unsafe",):
        assert fixed == before
    elif safety == ("safe",):
        assert fixed == _read(f"{code}.fixed.py")
    assert all(not finding.fix.safe for finding in left if finding.fix is not None)
