"""kerascheck.filters: the order of the finding filters (see its docstring)."""
from kerascheck.filters import filter_findings
from kerascheck.finding import Confirmation, Finding, FixInfo
from kerascheck.suppress import Suppressions


class _Replacing:
    supersedes = {"KC404": "line"}


class _Plain:
    supersedes: dict = {}  # Rule's default


RULES = {"KC405": _Replacing, "KC404": _Plain, "KC101": _Plain}


def finding(code, line=3, **fields):
    return Finding("m.py", line, 1, code, f"{code} message", **fields)


def codes(findings):
    return [f.code for f in findings]


def test_a_silenced_finding_supersedes_nothing():
    both = [finding("KC405"), finding("KC404")]
    noqa = Suppressions({3: frozenset({"KC405"})}, frozenset())
    assert codes(filter_findings(both, noqa=noqa, rules=RULES)) == ["KC404"]
    assert codes(filter_findings(both, rules=RULES)) == ["KC405"]


def test_a_rule_ignored_in_a_file_still_supersedes_there():
    both = [finding("KC405"), finding("KC404")]
    assert codes(filter_findings(both, rules=RULES, ignored=frozenset({"KC405"}))) == []


def test_fixable_hides_the_fix_not_the_finding():
    offered = finding("KC101", fixable=True, fix=FixInfo(True, "add **kwargs"))
    [shown] = filter_findings([offered], fixable=frozenset({"KC302"}))
    assert (shown.code, shown.fixable, shown.fix) == ("KC101", False, None)
    assert filter_findings([offered], fixable=None) == [offered]


def test_confirm_only_drops_what_was_not_reproduced():
    tried = [
        finding("KC101", line=1, confirmation=Confirmation("not-reproduced")),
        finding("KC101", line=2, confirmation=Confirmation("confirmed")),
        finding("KC101", line=3),
    ]
    assert [f.line for f in filter_findings(tried, confirm_only=True)] == [2, 3]
    assert len(filter_findings(tried)) == 3
