"""KC002 (opt-in): a `# noqa` directive that suppresses nothing, as ruff's RUF100.

A directive outlives the finding it silenced: the code was fixed, the rule changed, the
line moved. Such a directive hides the next real finding on its line. This rule reports
the kerascheck codes of a line directive that silenced nothing in this run: unused (the
rule is enabled and reported nothing there), non-enabled (the rule did not run),
unknown (no such kerascheck rule) and duplicated ones.

What it leaves alone, and why:
- other tools' codes (`E501`, `F401`, anything not `KC`-prefixed): kerascheck cannot
  know whether ruff or flake8 still needs them;
- a blanket `# noqa`: it is shared with those tools as well, so that it silences nothing
  of kerascheck's proves nothing;
- a directive that names KC002 itself, and the file-level `# kerascheck: noqa` ones.

The engine produces the findings (after the noqa stage, which recorded what each
directive silenced); this module decides them from that record, without looking at the
code. The fix, safe, removes the reported codes from the directive, or the whole
directive when none of its codes is left (the comment too when it held nothing else),
as ruff's does.
"""
from __future__ import annotations

from typing import Optional

import libcst as cst

from kerascheck.finding import Severity
from kerascheck.rules.base import Report, Rule
from kerascheck.rules.support.comments import directive_comments
from kerascheck.suppress import Directive, Suppressions, own

# How each kind of dead code is named in the message, in this order (ruff's words), and
# what it means, for the help.
_KINDS = {
    "unused": "the rule ran and reported nothing on this line",
    "non-enabled": "the rule did not run (not selected, or opt-in)",
    "unknown": "no kerascheck rule has that code",
    "duplicated": "the code is listed twice",
}


class UnusedNoqa(Rule):
    code = "KC002"
    name = "unused-noqa"
    severity = Severity.WARNING
    default = False
    summary = "A `# noqa` directive whose kerascheck codes suppress nothing (unused, unknown or not enabled)."
    affects = "any Python (the comments only: nothing runs differently)"
    fix_safety = ("safe",)

    @classmethod
    def judge_suppressions(
        cls, noqa: Suppressions, module: cst.Module, enabled: frozenset, known: frozenset
    ) -> list[Report]:
        verdicts = {}
        for line, directive in sorted(noqa.directives.items()):
            verdict = dead_codes(directive, noqa.silenced(line), enabled, known)
            if verdict is not None:
                verdicts[line] = verdict
        reports = []
        for directive, node, comments in directive_comments(module, (noqa.directives[line] for line in verdicts)):
            dead, kept = verdicts[directive.line]
            text = with_codes(directive, kept) if kept else without_directive(directive)
            description = "Remove the unused codes" if kept else "Remove the unused `noqa` directive"
            fix = comments.fix(directive.line, directive.column, text, description)
            shown = "; ".join(f"{kind}: {', '.join(f'`{code}`' for code in codes)}" for kind, codes in dead.items())
            meanings = "; ".join(f"{kind}: {_KINDS[kind]}" for kind in dead)
            help = f"{meanings}. Left in place, a code hides the next finding of its rule on this line"
            reports.append(Report(cls.code, node, f"Unused `noqa` directive ({shown})", cls.severity, fix, help=help))
        return reports


def dead_codes(directive: Directive, used: set, enabled: frozenset, known: frozenset) -> Optional[tuple[dict, list]]:
    """({kind: [codes]} of the directive's dead codes, [the codes to keep]), or None when
    it has none to report: a blanket or invalid one, one naming KC002, one whose
    kerascheck codes all silenced something. `used`: the codes it silenced."""
    if not directive.codes or directive.invalid or UnusedNoqa.code in directive.codes:
        return None
    dead: dict[str, list[str]] = {}
    kept: list[str] = []
    seen: set[str] = set()
    for code in directive.codes:
        if code in seen:
            kind = "duplicated"
        elif not own(code) or code in used:
            kind = None
        elif code in enabled:
            kind = "unused"
        elif code in known:
            kind = "non-enabled"
        else:
            kind = "unknown"
        seen.add(code)
        if kind is None:
            kept.append(code)
        else:
            dead.setdefault(kind, []).append(code)
    if not dead:
        return None
    return {kind: dead[kind] for kind in _KINDS if kind in dead}, kept


def with_codes(directive: Directive, codes: list[str]) -> str:
    """The comment with the directive listing only `codes` (what follows it stays)."""
    comment = directive.comment
    return f"{comment[:directive.start]}# noqa: {', '.join(codes)}{comment[directive.end:]}"


def without_directive(directive: Directive) -> Optional[str]:
    """The comment without the directive, or None when nothing would be left. Another
    comment after it (`# noqa: KC101  # type: ignore`) stays; words after it are its
    reason and go with it, as ruff does."""
    comment = directive.comment
    before = comment[:directive.start].rstrip()
    after = comment[directive.end:].lstrip()
    if after.startswith("#"):
        return comment[:directive.start] + after
    return before or None
