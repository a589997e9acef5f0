"""Every rule has a page, and every page tells the truth: its Bad example triggers
exactly its code, its Good example triggers nothing, its header matches the rule."""
import re

import pytest

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
