"""The fix safety each KC5xx rule declares (`fix_safety`, from the table's row) is the one
its fixes really have: every fix offered on the row's examples, its INVALID cases and its
golden fix cases is of a declared safety, and every declared safety is offered somewhere.
tests/test_rule_pages.py then checks that the page's Fix section states the same, in bold.
"""
import os
import sys
import textwrap
from collections import defaultdict

import pytest

sys.path.insert(0, os.path.dirname(__file__))

from kc5_cases import INVALID  # noqa: E402
from test_kc5xx_fixes import CASES  # noqa: E402

from kerascheck.rules.keras3.table import BY_CODE, ENTRIES  # noqa: E402
from kerascheck.rules import all_rules  # noqa: E402
from lintutil import lint  # noqa: E402

RULES = all_rules()


def _offered() -> dict:
    """code -> {"safe", "unsafe"}: the safeties of the fixes offered on every snippet."""
    snippets = defaultdict(list)
    for entry in ENTRIES:
        snippets[entry.code].append(entry.bad)
    for code, cases in INVALID.items():
        snippets[code].extend(cases.values())
    for code, before, _safe, _unsafe in CASES.values():
        snippets[code].append(before)
    offered = defaultdict(set)
    for code, texts in snippets.items():
        for text in texts:
            for finding in lint(textwrap.dedent(text), (code,)):
                if finding.code == code and finding.fix is not None:
                    offered[code].add(finding.fix.applicability)
    return offered


OFFERED = _offered()


@pytest.mark.parametrize("code", [entry.code for entry in ENTRIES])
def test_declared_fix_safety_is_what_the_fixes_are(code):
    entry = BY_CODE[code]
    assert RULES[code].fix_safety == entry.fix_safety
    assert set(entry.fix_safety) == OFFERED.get(code, set()), (
        f"{code} declares {entry.fix_safety}, its fixes are {sorted(OFFERED.get(code, ()))}"
    )
    assert (entry.fixed is None) or entry.fix_safety, f"{code} shows a fixed example but declares no fix"


