"""Small libcst builders for the KC5xx fixes: every fix replaces original nodes by new
ones and keeps the untouched children (comments, formatting) as they were."""
from __future__ import annotations

from typing import Iterable, Optional, Sequence

import libcst as cst

from kerascheck.rules.base import Fix
from kerascheck.semantic import syntax

_HOLE = "__kerascheck_hole__"


class _Fill(cst.CSTTransformer):
    def __init__(self, nodes: Sequence[cst.CSTNode]):
        super().__init__()
        self.nodes = list(nodes)

    def leave_Name(self, original, updated):
        if updated.value.startswith(_HOLE):
            return self.nodes[int(updated.value[len(_HOLE):])]
        return updated


def expression(template: str, *nodes: cst.CSTNode) -> cst.BaseExpression:
    """Parse `template` with `{0}`, `{1}`... standing for the given (original) nodes."""
    text = template.format(*(f"{_HOLE}{position}" for position in range(len(nodes))))
    return cst.parse_expression(text).visit(_Fill(nodes))


def statement(template: str, *nodes: cst.CSTNode) -> cst.BaseStatement:
    """Parse the statement `template` with `{0}`, `{1}`... standing for the given nodes."""
    text = template.format(*(f"{_HOLE}{position}" for position in range(len(nodes))))
    return cst.parse_statement(text).visit(_Fill(nodes))


def rename_keyword(arg: cst.Arg, name: str) -> cst.Arg:
    return arg.with_changes(keyword=cst.Name(name))


def positional(arg: cst.Arg) -> cst.Arg:
    return arg.with_changes(keyword=None, equal=cst.MaybeSentinel.DEFAULT)


def without_args(call: cst.Call, dropped: Iterable[cst.Arg]) -> cst.Call:
    """The call without the given arguments, keeping the comma style of the rest."""
    dropped_ids = {id(arg) for arg in dropped}
    kept = [arg for arg in call.args if id(arg) not in dropped_ids]
    if kept and kept[-1].comma is not cst.MaybeSentinel.DEFAULT and call.args[-1] is not kept[-1]:
        last = call.args[-1]
        kept[-1] = kept[-1].with_changes(comma=last.comma)
    return call.with_changes(args=kept)


def keyword_arg(name: str, value: str) -> cst.Arg:
    return cst.Arg(
        keyword=cst.Name(name),
        value=cst.parse_expression(value),
        equal=cst.AssignEqual(whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace("")),
    )


def with_arg(call: cst.Call, arg: cst.Arg) -> cst.Call:
    """The call with `arg` appended."""
    args = list(call.args)
    if args:
        last = args[-1]
        if last.comma is cst.MaybeSentinel.DEFAULT:
            args[-1] = last.with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))
            return call.with_changes(args=[*args, arg])
        return call.with_changes(args=[*args, arg.with_changes(comma=cst.MaybeSentinel.DEFAULT)])
    return call.with_changes(args=[arg])


def string_with(node: cst.SimpleString, text: str) -> cst.SimpleString:
    """A literal like `node` (same prefix and quotes) holding `text`."""
    prefix = node.prefix
    quote = node.quote
    body = text.replace("\\", "\\\\") if "r" not in prefix.lower() else text
    if quote in body:
        return cst.SimpleString(repr(text))
    return cst.SimpleString(f"{prefix}{quote}{body}{quote}")


def fix(pairs, safe: bool, description: str, imports: Iterable[str] = ()) -> Optional[Fix]:
    pairs = tuple((old, new) for old, new in pairs if old is not None and new is not None)
    if not pairs:
        return None
    description = description[:1].upper() + description[1:]  # an imperative phrase, like every fix's
    return Fix(replacements=pairs, safe=safe, description=description, imports=tuple(imports))


def row_call_fix(call: cst.Call, row, text: str, imports):
    """`call` with its function replaced by `text` (a §A / TF_OP_MAP row's target), its
    keywords renamed and the old defaults written out; None when it passes an argument
    the row does not map (a splat, a keyword it does not know, too many positionals)."""
    if any(arg.star for arg in call.args):
        return None
    positional = syntax.positional(call)
    keywords = {arg.keyword.value: arg for arg in call.args if arg.keyword is not None}
    if set(keywords) - set(row.keywords) or len(positional) > row.max_positional:
        return None
    new_call = call.with_changes(func=cst.parse_expression(text))
    renamed = []
    for arg in new_call.args:
        if arg.keyword is not None and row.keywords.get(arg.keyword.value) not in (None, arg.keyword.value):
            arg = rename_keyword(arg, row.keywords[arg.keyword.value])
        renamed.append(arg)
    new_call = new_call.with_changes(args=renamed)
    for keyword, default in row.explicit:
        if keyword not in keywords and len(positional) <= row.explicit_position.get(keyword, 99):
            new_call = with_arg(new_call, keyword_arg(keyword, default))
    return fix([(call, new_call)], row.safe, f"use {text}", imports)
