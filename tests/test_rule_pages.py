"""Every rule has a page, and every page tells the truth: its Bad example triggers
exactly its code, its Good example triggers nothing, its header matches the rule."""
import ast
import re

import pytest

from kerascheck.api import fix_source
from kerascheck.config import Settings
from kerascheck.pages import code_block, page_text, section
from kerascheck.rules import all_rules
from lintutil import lint

RULES = all_rules()
REQUIRED_SECTIONS = ("What it does", "Why is this bad?", "Bad", "Good", "How to fix")


def _selection(code):
    """The default rule set plus the page's own rule (which may be opt-in)."""
    return tuple(c for c, rule in RULES.items() if rule.default) + (code,)


@pytest.mark.parametrize("code", RULES)
def test_page_exists_with_all_sections(code):
    text = page_text(code)
    assert text is not None, f"rules/{code}.md is missing"
    assert text.startswith(f"# {code}: {RULES[code].name}\n")
    for heading in REQUIRED_SECTIONS:
        assert section(text, heading), f"{code}.md lacks a '## {heading}' section"


@pytest.mark.parametrize("code", RULES)
def test_page_header_matches_rule(code):
    text = page_text(code)
    rule = RULES[code]
    assert re.search(rf"^- \*\*Severity:\*\* {rule.severity.value}$", text, re.M)
    assert re.search(rf"^- \*\*Default:\*\* {'on' if rule.default else 'off'}", text, re.M)
    assert re.search(r"^- \*\*Affects:\*\* \S", text, re.M)


@pytest.mark.parametrize("code", RULES)
def test_bad_example_triggers_exactly_its_code(code):
    bad = code_block(page_text(code), "Bad")
    assert bad, f"{code}.md has no python block under '## Bad'"
    found = {finding.code for finding in lint(bad, _selection(code))}
    assert found == {code}


@pytest.mark.parametrize("code", RULES)
def test_good_example_is_clean(code):
    good = code_block(page_text(code), "Good")
    assert good, f"{code}.md has no python block under '## Good'"
    assert lint(good, _selection(code)) == []


FIXABLE = [code for code, rule in RULES.items() if rule.fix_safety]


@pytest.mark.parametrize("code", FIXABLE)
def test_fix_section_states_the_safety(code):
    """A rule that offers fixes says so on its page, with their safety in bold."""
    body = section(page_text(code), "Fix")
    assert body, f"{code}.md lacks a '## Fix' section"
    assert set(re.findall(r"\*\*(safe|unsafe)\*\*", body)) == set(RULES[code].fix_safety)


@pytest.mark.parametrize("code", FIXABLE)
def test_bad_example_is_fixed(code):
    """`--fix --unsafe-fixes` repairs the page's Bad example: its finding is gone and the
    result parses (the fixer's own checks passed: no error)."""
    bad = code_block(page_text(code), "Bad")
    fixed, findings, errors = fix_source(bad, config=Settings(select=_selection(code)), unsafe=True)
    assert errors == []
    assert fixed != bad
    assert code not in {finding.code for finding in findings}
    ast.parse(fixed)
