"""Which findings a run shows: every filter, in one function and one order.

A run's findings pass these stages, in this order:

1. noqa (`# noqa`, `# kerascheck: noqa`, kerascheck.suppress): the author silenced the
   finding on its line or in its file. First, so that a silenced finding does nothing
   else: no fix is worked out for it and it supersedes nothing. The stage records which
   codes each line directive silenced (`Suppressions.used`); the rules about the
   directives themselves (KC002 unused-noqa, KC003 invalid-noqa) read that record right
   after it (Rule.judge_suppressions, called by the engine), so they see what every
   other rule reported, and their own findings pass this stage too.
2. supersession (a rule's `supersedes`): one finding per problem. After noqa, so that
   silencing the finding that replaces another brings that other one back.
3. per-file ignores (configuration): codes switched off by path. Stages 1 and 2 depend
   on the file's content alone and run with the check, whose findings are cached;
   stages 3 to 5 depend on the configuration and run on every run, after the cache.
   A rule ignored in a file still supersedes there.
4. fixable: a finding of a rule that is not `fixable` shows no fix (it stays shown).
5. confirm-only (--confirm-only): drops the findings that --confirm tried and did not
   reproduce. Last: the confirmation runs on the findings the other stages left.

Each caller passes what its point in the run knows (the checker the suppressions and
the rules, the run the ignores and `fixable`, the API the confirmation), and a stage
left out is skipped.
"""
from __future__ import annotations

import os
from dataclasses import replace
from typing import Mapping, Optional, Sequence

from kerascheck.finding import Finding
from kerascheck.suppress import Suppressions


def filter_findings(
    findings: Sequence[Finding],
    *,
    noqa: Optional[Suppressions] = None,
    rules: Optional[Mapping] = None,
    ignored: frozenset = frozenset(),
    fixable: Optional[frozenset] = None,
    confirm_only: bool = False,
) -> list[Finding]:
    """The findings that stages 1-5 above keep: `noqa`, the file's suppressions;
    `rules`, the registry whose `supersedes` apply; `ignored`, the file's per-file-ignored
    code prefixes; `fixable`, the codes whose findings show their fix (None: all);
    `confirm_only`, drop what --confirm did not reproduce."""
    kept = list(findings)
    if noqa is not None:
        kept = [f for f in kept if not noqa.suppresses(f.code, f.line)]
    if rules is not None:
        kept = _drop_superseded(kept, rules)
    if ignored:
        kept = [f for f in kept if not any(f.code.startswith(code) for code in ignored)]
    if fixable is not None:
        kept = [f if f.fix is None or f.code in fixable else replace(f, fix=None, fixable=False) for f in kept]
    if confirm_only:
        kept = [f for f in kept if f.confirmation is None or f.confirmation.status != "not-reproduced"]
    return kept


def ignored_codes(path: str, root: str, per_file_ignores) -> frozenset:
    """The code prefixes per-file-ignores switch off for `path` (matched relative to the
    configuration's `root`, or by file name)."""
    if not per_file_ignores:
        return frozenset()
    relative = os.path.relpath(path, root).replace(os.sep, "/")
    codes: set = set()
    for spec, ignored in per_file_ignores:
        if spec.match_file(relative) or spec.match_file(os.path.basename(path)):
            codes |= ignored
    return frozenset(codes)


def _drop_superseded(findings: list[Finding], registry) -> list[Finding]:
    """One finding per problem: a rule that declares `supersedes = {"KC404": "line"}`
    (or "file") replaces that rule's findings on the same line (or in the same file)."""
    replaced: dict[str, set] = {}
    for finding in findings:
        for code, scope in registry[finding.code].supersedes.items():
            replaced.setdefault(code, set()).add(None if scope == "file" else (finding.cell, finding.line))
    if not replaced:
        return findings
    return [
        finding for finding in findings
        if finding.code not in replaced
        or not ({None, (finding.cell, finding.line)} & replaced[finding.code])
    ]
