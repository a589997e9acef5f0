"""Applying fixes to a libcst tree: choosing the ones that do not overlap, and replacing
their nodes in one pass.

A :class:`~kerascheck.rules.base.Fix` names original nodes of the tree the rules saw and
the nodes to put in their place (or `cst.RemoveFromParent()`, or a `cst.FlattenSentinel`
to put several statements where one was). The transformer finds them by identity, so a
fix can never land on an equal-looking node elsewhere, and it only walks down the paths
that lead to a replaced node: the rest of the tree is kept as it is, formatting and
comments included.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Mapping, Optional, Sequence

import libcst as cst

from kerascheck.cstwalk import children, deep_stack
from kerascheck.fix.imports import ImportConflict, add_imports
from kerascheck.fix.orphans import without_orphans


class FixFailed(Exception):
    """A fix could not be applied as its rule described it (a bug in the rule's fix)."""


@dataclass
class Candidate:
    """One finding's fix, where its finding starts (for the order) and what it touches."""

    fix: object  # kerascheck.rules.base.Fix
    start: tuple[int, int]  # (line, column) of the finding
    code: str
    key: tuple  # (code, message): what the finding is, wherever it moves
    spans: tuple[tuple[tuple[int, int], tuple[int, int]], ...]  # of the replaced nodes


def spans_of(fix, positions: Mapping) -> tuple:
    """The (start, end) of every node the fix replaces, from `positions` (node -> (line,
    column, end line, end column) as kerascheck.cstwalk.positions gives them). A node
    that is not in the tree (a rule bug) raises FixFailed."""
    spans = []
    for old, _new in fix.replacements:
        where = positions.get(old)
        if where is None:
            raise FixFailed(f"the {type(old).__name__} to replace is not part of the file")
        spans.append(((where[0], where[1]), (where[2], where[3])))
    return tuple(spans)


def _overlap(a, b) -> bool:
    (a_start, a_end), (b_start, b_end) = a, b
    if a_start == a_end or b_start == b_end:  # an empty node (zero width): touching counts
        return a_start <= b_end and b_start <= a_end
    return a_start < b_end and b_start < a_end


def select(candidates: Sequence[Candidate]) -> tuple[list[Candidate], list[Candidate]]:
    """(chosen, waiting): the fixes to apply together now, and the ones that touch a
    chosen fix's nodes and wait for the next round. The order is the findings' reading
    order (then the code), so the outcome never depends on which rule reported first.
    Findings that share one Fix object are repaired together: the fix counts once."""
    chosen: list[Candidate] = []
    waiting: list[Candidate] = []
    taken: list = []
    seen: set[int] = set()
    for candidate in sorted(candidates, key=lambda c: (c.start, c.code)):
        if id(candidate.fix) in seen:
            chosen.append(candidate)  # the same repair as one already chosen
            continue
        if any(_overlap(span, other) for span in candidate.spans for other in taken):
            waiting.append(candidate)
            continue
        seen.add(id(candidate.fix))
        taken.extend(candidate.spans)
        chosen.append(candidate)
    return chosen, waiting


def apply_fixes(module: cst.Module, fixes: Iterable) -> cst.Module:
    """`module` with every fix's replacements made, the imports they need added and
    those they orphaned removed (kerascheck.fix.orphans).
    The fixes must not overlap (see :func:`select`). Raises FixFailed when a node to
    replace is not in the tree, or RecursionError for absurdly deep code."""
    replacements: dict[int, object] = {}
    imports: list[str] = []
    unique = {id(fix): fix for fix in fixes}
    for fix in unique.values():
        for old, new in fix.replacements:
            if id(old) in replacements:
                raise FixFailed(f"two replacements of one {type(old).__name__}")
            replacements[id(old)] = new
        imports.extend(fix.imports)
    if not replacements and not imports:
        return module
    fixed = deep_stack.call(_transform, module, replacements)
    if imports:
        try:
            fixed = add_imports(fixed, imports)
        except ImportConflict as error:
            raise FixFailed(str(error)) from None
    replaced = [old for fix in unique.values() for old, _new in fix.replacements]
    return deep_stack.call(without_orphans, module, fixed, replaced)


def _transform(module: cst.Module, replacements: dict[int, object]) -> cst.Module:
    path = _paths_to(module, set(replacements))
    if len(path["found"]) != len(replacements):
        raise FixFailed("a node to replace is not part of the file")
    applier = _Replacer(replacements, path["ancestors"])
    fixed = module.visit(applier)
    if applier.done != set(replacements):
        raise FixFailed("a node to replace was not reached")
    return fixed


def _paths_to(module: cst.Module, targets: set[int]) -> dict:
    """The ids of the targets found in the tree and of all their ancestors."""
    ancestors: set[int] = set()
    found: set[int] = set()
    stack: list = [(module, None)]
    parents: dict[int, Optional[cst.CSTNode]] = {}
    while stack:
        node, parent = stack.pop()
        parents[id(node)] = parent
        if id(node) in targets:
            found.add(id(node))
            up = parent
            while up is not None and id(up) not in ancestors:
                ancestors.add(id(up))
                up = parents[id(up)]
            continue
        stack.extend((child, node) for child in children(node))
    return {"found": found, "ancestors": ancestors}


class _Replacer(cst.CSTTransformer):
    def __init__(self, replacements: dict[int, object], ancestors: set[int]):
        super().__init__()
        self.replacements = replacements
        self.ancestors = ancestors
        self.done: set[int] = set()

    def on_visit(self, node: cst.CSTNode) -> bool:
        # Below a replaced node or off every path to one there is nothing to do.
        return id(node) in self.ancestors

    def on_leave(self, original_node, updated_node):
        new = self.replacements.get(id(original_node))
        if new is None:
            return updated_node
        self.done.add(id(original_node))
        return new


def code_of(module: cst.Module) -> str:
    """The module's source (deep code needs the deep stack)."""
    return deep_stack.call(lambda: module.code)
