"""Fix, re-lint, repeat until nothing fixable is left, then prove the file is not broken.

Each round applies every fix that does not overlap an earlier one (in the findings'
reading order) in one pass over the tree, and lints the new text from scratch, facts
and all. Fixes that had to wait, and findings a fix uncovered, are fixed in the next
round; after :data:`MAX_ROUNDS` rounds with fixes still pending the file is given up.

The promises, checked before anything is written (otherwise the file stays as it was
and the run reports why, exit code 2):

1. the fixed text parses (`ast` and libcst: the lint of the last round read it);
2. every fixed finding is gone;
3. no finding appears that the original text did not have;
4. a second `--fix` changes nothing: the last lint has no applicable fix left.

Findings are compared by rule and message, which name what is wrong and never where.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Callable, Mapping, Optional

import libcst as cst

from kerascheck.fix.apply import Candidate, FixFailed, apply_fixes, code_of, select

MAX_ROUNDS = 10


@dataclass
class Pass:
    """One lint of one version of a file's text (built by the engine)."""

    text: str
    module: Optional[cst.Module] = None  # None: the text does not parse
    candidates: list[Candidate] = field(default_factory=list)  # fixes that may be applied
    keys: Counter = field(default_factory=Counter)  # (code, message) of every finding shown
    failure: Optional[str] = None  # why this lint cannot be trusted (a parse error, a rule crash)
    result: object = None  # what the engine wants back for the final text (its findings)


@dataclass
class Outcome:
    first: Pass
    last: Pass
    fixed: Counter = field(default_factory=Counter)  # (code, message) -> findings fixed
    failure: Optional[str] = None

    @property
    def text(self) -> str:
        return self.last.text

    @property
    def changed(self) -> bool:
        return self.failure is None and self.last.text != self.first.text

    @property
    def count(self) -> int:
        return sum(self.fixed.values())


def fix_until_stable(first: Pass, lint: Callable[[str], Pass], max_rounds: int = MAX_ROUNDS) -> Outcome:
    """Apply `first`'s fixes, re-linting with `lint` after each round."""
    if first.module is None or first.failure is not None or not first.candidates:
        return Outcome(first, first)
    current = first
    fixed: Counter = Counter()
    for _ in range(max_rounds):
        if not current.candidates:
            break
        chosen, _waiting = select(current.candidates)
        codes = _codes(chosen)
        try:
            text = code_of(apply_fixes(current.module, [candidate.fix for candidate in chosen]))
        except FixFailed as error:
            return _failed(first, current, f"the {codes} fix is broken: {error}")
        except RecursionError:
            return _failed(first, current, "too deeply nested to fix")
        if text == current.text:
            return _failed(first, current, f"the {codes} fix changes nothing")
        fixed.update(candidate.key for candidate in chosen)
        current = lint(text)
        if current.failure is not None:
            return _failed(first, current, f"after the {codes} fix, {current.failure}")
    else:
        if current.candidates:
            return _failed(first, current, f"the fixes did not settle after {max_rounds} rounds")
    problem = verify(first.keys, fixed, current.keys)
    if problem is not None:
        return _failed(first, current, problem)
    return Outcome(first, current, fixed)


def verify(before: Mapping, fixed: Mapping, after: Mapping) -> Optional[str]:
    """Promises 2 and 3: every finding after the fixes was there before and was not fixed."""
    for key, count in sorted(after.items()):
        allowed = max(0, before.get(key, 0) - fixed.get(key, 0))
        if count > allowed:
            code, message = key
            if before.get(key, 0) == 0:
                return f"fixing would add a finding it did not have: {code} {message}"
            return f"a fixed {code} finding is still there: {message}"
    return None


def _failed(first: Pass, current: Pass, why: str) -> Outcome:
    return Outcome(first, first, failure=why)


def _codes(chosen) -> str:
    codes = sorted({candidate.code for candidate in chosen})
    return "/".join(codes)
