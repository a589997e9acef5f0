"""Building fixes: arguments and parameters added or renamed with the layout kept."""
from __future__ import annotations

from typing import Optional

import libcst as cst


_NO_SPACE = cst.SimpleWhitespace("")


def as_keyword(arg: cst.Arg, name: str) -> cst.Arg:
    """`value` -> `name=value`, keeping the argument's comma and spacing."""
    return arg.with_changes(keyword=cst.Name(name), equal=cst.AssignEqual(whitespace_before=_NO_SPACE, whitespace_after=_NO_SPACE))


def _comma_like(previous) -> cst.Comma:
    """The comma to put after `previous` (an Arg or Param) when something follows it."""
    comma = previous.comma
    return comma if isinstance(comma, cst.Comma) else cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))


def with_last_arg(call: cst.Call, arg: cst.Arg) -> cst.Call:
    """`call` with `arg` appended; a trailing comma and one-argument-per-line layout are kept."""
    args = list(call.args)
    if not args:
        return call.with_changes(args=[arg])
    last = args[-1]
    if isinstance(last.comma, cst.Comma):  # `f(\n    a,\n)`: the new argument takes the trailing comma
        if len(args) > 1 and isinstance(args[-2].comma, cst.Comma):
            before = args[-2].comma
        else:
            before = last.comma.with_changes(whitespace_after=call.whitespace_before_args)
        args[-1] = last.with_changes(comma=before)
        return call.with_changes(args=[*args, arg.with_changes(comma=last.comma)])
    args[-1] = last.with_changes(comma=_comma_like(last))
    return call.with_changes(args=[*args, arg])


def with_star_kwarg(parameters: cst.Parameters, name: str) -> Optional[cst.Parameters]:
    """`parameters` with `**name` added at the end (there must be none yet); a trailing
    comma and one-parameter-per-line layout are kept. None when the last parameter is
    positional-only (`/` would need moving)."""
    if parameters.star_kwarg is not None or (
        parameters.posonly_params and not (parameters.params or parameters.star_arg or parameters.kwonly_params)
    ):
        return None
    before = [*parameters.posonly_params, *parameters.params]
    if isinstance(parameters.star_arg, (cst.Param, cst.ParamStar)):
        before.append(parameters.star_arg)
    before.extend(parameters.kwonly_params)
    star = cst.Param(name=cst.Name(name), star="**")
    if not before:
        return parameters.with_changes(star_kwarg=star)
    last = before[-1]
    if isinstance(last.comma, cst.Comma):
        previous = before[-2].comma if len(before) > 1 and isinstance(before[-2].comma, cst.Comma) else last.comma
        star = star.with_changes(comma=last.comma)
        new_last = last.with_changes(comma=previous)
    else:
        new_last = last.with_changes(comma=_comma_like(last))
    return _replace_param(parameters, last, new_last).with_changes(star_kwarg=star)


def with_param(parameters: cst.Parameters, param: cst.Param) -> Optional[cst.Parameters]:
    """`parameters` with `param` (one with a default) added as the last named parameter:
    after the positional-or-keyword ones, or after the keyword-only ones when there is a
    `*` or `*args`; before `**kwargs` in both cases. A trailing comma and one-parameter-
    per-line layout are kept. None when there is nothing before it, or only
    positional-only parameters (`/` would need moving)."""
    keyword_only = isinstance(parameters.star_arg, (cst.Param, cst.ParamStar))
    field = "kwonly_params" if keyword_only else "params"
    before = [*parameters.posonly_params, *parameters.params]
    if keyword_only:
        before += [parameters.star_arg, *parameters.kwonly_params]
    if not before or (parameters.posonly_params and not parameters.params and not keyword_only):
        return None
    last = before[-1]
    if parameters.star_kwarg is not None:  # `last` has its comma: the new one copies it
        new = param.with_changes(comma=last.comma)
    elif isinstance(last.comma, cst.Comma):  # a trailing comma: the new one takes it over
        previous = before[-2].comma if len(before) > 1 and isinstance(before[-2].comma, cst.Comma) else last.comma
        new = param.with_changes(comma=last.comma)
        parameters = _replace_param(parameters, last, last.with_changes(comma=previous))
    else:
        new = param
        parameters = _replace_param(parameters, last, last.with_changes(comma=_comma_like(last)))
    return parameters.with_changes(**{field: [*getattr(parameters, field), new]})


def _replace_param(parameters: cst.Parameters, old, new) -> cst.Parameters:
    if parameters.star_arg is old:
        return parameters.with_changes(star_arg=new)
    for field in ("posonly_params", "params", "kwonly_params"):
        values = list(getattr(parameters, field))
        if any(value is old for value in values):
            return parameters.with_changes(**{field: [new if value is old else value for value in values]})
    return parameters
