"""KC003: `# noqa KC101`, a directive that names kerascheck codes without the colon.

flake8 reads `# noqa KC101` as a blanket `# noqa` and silences everything on the line,
which is never what was meant; kerascheck reads it as invalid: it silences nothing, and
this rule says why the finding it was meant for is still there. (ruff warns about the
same directive, "Invalid `# noqa` directive".) A colon-less directive naming only other
tools' codes (`# noqa E501`) is theirs, and not reported.

The engine produces the findings, after the noqa stage; the fix, safe, puts the colon
in: `# noqa: KC101`.
"""
from __future__ import annotations

import libcst as cst

from kerascheck.finding import Severity
from kerascheck.rules.base import Report, Rule
from kerascheck.rules.support.comments import directive_comments
from kerascheck.suppress import Suppressions


class InvalidNoqa(Rule):
    code = "KC003"
    name = "invalid-noqa"
    severity = Severity.WARNING
    summary = "`# noqa KC101` without the colon: it suppresses nothing (write `# noqa: KC101`)."
    affects = "any Python (the comments only: nothing runs differently)"
    fix_safety = ("safe",)

    @classmethod
    def judge_suppressions(
        cls, noqa: Suppressions, module: cst.Module, enabled: frozenset, known: frozenset
    ) -> list[Report]:
        reports = []
        invalid = [directive for _line, directive in sorted(noqa.directives.items()) if directive.invalid]
        for directive, node, comments in directive_comments(module, invalid):
            at = directive.colon_at
            spacing = "" if directive.comment[at:at + 1].isspace() else " "
            fix = comments.fix(directive.line, directive.column, f"{directive.comment[:at]}:{spacing}{directive.comment[at:]}", "Add the colon")
            written = directive.comment[directive.start:directive.end]
            reports.append(Report(
                cls.code, node,
                f"Invalid `noqa` directive `{written}`: without a colon it suppresses nothing",
                cls.severity, fix,
                help=f"flake8 reads it as a blanket `# noqa` for the whole line, and kerascheck ignores it; "
                f"write `# noqa: {', '.join(directive.codes)}`",
            ))
        return reports
