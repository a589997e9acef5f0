"""Fixes that rewrite or delete a comment: the `# noqa` directives KC002 and KC003 repair.

A comment is a leaf of libcst's tree, in the `TrailingWhitespace` after code or in an
`EmptyLine` of its own. The tokenizer says where a directive is (line, column); this
module finds that Comment node, and builds the Fix that puts new text in its place or
deletes it: with the whitespace before it after code, or the whole line when the
comment was alone on it.
"""
from __future__ import annotations

from typing import Iterable, Iterator, Optional

import libcst as cst

from kerascheck.cstwalk import children, positions
from kerascheck.rules.base import Fix
from kerascheck.suppress import Directive


class Comments:
    """The comments of one module, found by where they start."""

    def __init__(self, module: cst.Module):
        found: list[tuple[cst.Comment, cst.CSTNode]] = []
        stack: list[cst.CSTNode] = [module]
        while stack:
            node = stack.pop()
            for child in children(node):
                if type(child) is cst.Comment:
                    found.append((child, node))
                else:
                    stack.append(child)
        spans = positions(module, [comment for comment, _ in found]) if found else {}
        self._at = {spans[comment][:2]: (comment, parent) for comment, parent in found if comment in spans}

    def at(self, line: int, column: int) -> Optional[tuple[cst.Comment, cst.CSTNode]]:
        """(the Comment, the node holding it) starting at `line` (1-based), `column`
        (0-based), or None."""
        return self._at.get((line, column))

    def fix(self, line: int, column: int, text: Optional[str], description: str) -> Optional[Fix]:
        """A safe Fix that makes the comment at (line, column) read `text`, or deletes it
        when `text` is None; None when no comment starts there."""
        found = self.at(line, column)
        if found is None:
            return None
        comment, parent = found
        if text is not None:
            return Fix.replace(comment, cst.Comment(text), safe=True, description=description)
        if isinstance(parent, cst.EmptyLine):
            return Fix.replace(parent, cst.RemoveFromParent(), safe=True, description=description)
        if isinstance(parent, cst.TrailingWhitespace):
            bare = parent.with_changes(whitespace=cst.SimpleWhitespace(""), comment=None)
            return Fix.replace(parent, bare, safe=True, description=description)
        return None


def directive_comments(module: cst.Module, directives: Iterable[Directive]) -> Iterator[tuple[Directive, cst.Comment, Comments]]:
    """(directive, its Comment node, the module's Comments) for each of `directives`;
    the comments are looked up only if there is one. A directive whose comment libcst
    does not have where the tokenizer saw it is left out (never seen; nothing to fix)."""
    comments: Optional[Comments] = None
    for directive in directives:
        comments = comments or Comments(module)
        found = comments.at(directive.line, directive.column)
        if found is not None:
            yield directive, found[0], comments
