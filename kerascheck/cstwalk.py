"""Read-only traversal of libcst trees, without libcst's rebuilding.

libcst walks a tree by rebuilding it: `node.visit(visitor)` and `node.children` both go
through `_visit_and_replace_children`, which constructs (and validates) a new copy of
every node it passes, even for a visitor that only reads. For a linter that is most of
the cost of the second pass. This module reads, once per node class, the order in which
libcst visits that class's fields (the string field names passed to `visit_required`,
`visit_sequence`... in the source of its `_visit_and_replace_children`) and generates a
small function returning the same children, in the same order, by plain attribute
access. `tests/test_cstwalk.py` checks it against `node.children` on real code.

:func:`walk_batched` runs visitors the way `libcst.visit_batched` does (each node's
`visit_<Type>` functions in order, its children, then its `leave_<Type>` functions), with
an explicit stack instead of recursion, so no nesting depth exhausts Python's stack.
"""
from __future__ import annotations

import ast
import functools
import inspect
import os
import queue
import re
import textwrap
import threading
from typing import Callable, Iterator, Optional, Sequence

import libcst as cst
from libcst._nodes.base import BaseLeaf
from libcst._nodes.internal import CodegenState

from kerascheck.sources import SourceProblem, parse_ast

_SEQUENCE_HELPERS = frozenset(
    {"visit_sequence", "visit_iterable", "visit_body_sequence", "visit_body_iterable"}
)
_SINGLE_HELPERS = frozenset({"visit_required", "visit_optional", "visit_sentinel"})

_NEWLINE = re.compile(r"\r\n?|\n")  # as libcst's position provider splits tokens

_CHILDREN: dict[type, Callable[[cst.CSTNode], list]] = {}
_SYNTAX_CHILDREN: dict[type, Callable[[cst.CSTNode], list]] = {}

# Fields that hold nothing but layout: whitespace, comments, blank lines, brackets and
# punctuation (`relative`: the dots of `from .. import`). About two thirds of a tree's nodes hang there (a `SimpleWhitespace`
# alone is 40% of keras-io's nodes); no rule visits them, so the batched traversal
# skips them (`syntax_children`).
TRIVIA_FIELDS = frozenset({
    "colon", "comma", "comment", "dot", "empty_lines", "equal", "first_colon", "first_line",
    "footer", "header", "last_line", "lbrace", "lbracket", "leading_lines",
    "leading_whitespace", "lines_after_decorators", "lpar", "newline", "rbrace", "rbracket",
    "relative", "rpar", "second_colon", "semicolon", "trailing_comma", "trailing_whitespace",
})
# The node types found in those fields (and below them): a rule with a hook for one of
# them gets the full traversal.
TRIVIA_TYPES = frozenset({
    cst.SimpleWhitespace, cst.ParenthesizedWhitespace, cst.TrailingWhitespace, cst.Newline,
    cst.EmptyLine, cst.Comment, cst.Comma, cst.Dot, cst.Colon, cst.Semicolon, cst.AssignEqual,
    cst.LeftParen, cst.RightParen, cst.LeftSquareBracket, cst.RightSquareBracket,
    cst.LeftCurlyBrace, cst.RightCurlyBrace,
})


def _is_trivia_field(name: str) -> bool:
    return name in TRIVIA_FIELDS or name.startswith("whitespace")


def children(node: cst.CSTNode) -> list:
    """The immediate children of `node`, exactly as `node.children` lists them."""
    cls = node.__class__
    getter = _CHILDREN.get(cls)
    if getter is None:
        getter = _CHILDREN[cls] = _children_getter(cls)
    return getter(node)


def syntax_children(node: cst.CSTNode) -> list:
    """`children(node)` without the layout ones (see TRIVIA_FIELDS), in the same order."""
    cls = node.__class__
    getter = _SYNTAX_CHILDREN.get(cls)
    if getter is None:
        getter = _SYNTAX_CHILDREN[cls] = _children_getter(cls, layout=False)
    return getter(node)


def walk(node: cst.CSTNode, layout: bool = True) -> Iterator[cst.CSTNode]:
    """`node` and every node below it, in pre-order (source order); `layout=False`
    leaves out whitespace, comments and punctuation (see TRIVIA_FIELDS)."""
    kids_of = children if layout else syntax_children
    stack = [node]
    pop, extend = stack.pop, stack.extend
    while stack:
        current = pop()
        yield current
        kids = kids_of(current)
        if kids:
            kids.reverse()
            extend(kids)


# What rules scan: the syntax, never the layout.
syntax_walk = functools.partial(walk, layout=False)


def _visited_fields(cls: type) -> Optional[list[tuple[str, str]]]:
    """(field, "one" | "many" | "either") in libcst's visiting order, or None when the
    class's `_visit_and_replace_children` is not in the usual shape."""
    method = cls._visit_and_replace_children
    if method is BaseLeaf._visit_and_replace_children:
        return []
    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(method)))
    except (OSError, TypeError, SyntaxError):
        return None
    calls = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            helper = node.func.id
            if helper in _SEQUENCE_HELPERS or helper in _SINGLE_HELPERS:
                if len(node.args) < 2 or not isinstance(node.args[1], ast.Constant):
                    return None
                calls.append(((node.lineno, node.col_offset), node.args[1].value, helper))
        elif isinstance(node, ast.Attribute) and node.attr == "visit":
            return None  # visits something by hand: not a shape we can mirror
    fields: list[tuple[str, str]] = []
    for _, name, helper in sorted(calls):
        kind = "many" if helper in _SEQUENCE_HELPERS else "one"
        if fields and fields[-1][0] == name:  # `a if isinstance(...) else b` on one field
            fields[-1] = (name, "either" if fields[-1][1] != kind else kind)
        elif any(existing == name for existing, _ in fields):
            return None
        else:
            fields.append((name, kind))
    return fields


def _children_getter(cls: type, layout: bool = True) -> Callable[[cst.CSTNode], list]:
    fields = _visited_fields(cls)
    if fields is None:
        if layout:
            return lambda node: list(node.children)
        return lambda node: [kid for kid in node.children if kid.__class__ not in TRIVIA_TYPES]
    if not layout:
        fields = [(name, kind) for name, kind in fields if not _is_trivia_field(name)]
    if not fields:
        return lambda node: []
    lines = ["def children(node):", "    out = []"]
    for name, kind in fields:
        lines.append(f"    value = node.{name}")
        # `isinstance(value, CSTNode)` would go through ABCMeta: a microsecond per field.
        if kind == "many":
            lines.append("    if value: out.extend(value)")
        elif kind == "one":
            lines.append("    if value is not None and value.__class__ is not MaybeSentinel: out.append(value)")
        else:
            lines.append("    if value.__class__ is tuple or value.__class__ is list: out.extend(value)")
            lines.append("    elif value is not None and value.__class__ is not MaybeSentinel: out.append(value)")
    lines.append("    return out")
    namespace: dict = {"MaybeSentinel": cst.MaybeSentinel}
    exec("\n".join(lines), namespace)  # noqa: S102 - generated from libcst's own field names
    return namespace["children"]


# ---- batched visiting -----------------------------------------------------------------------
Hook = Callable[[cst.CSTNode], object]


def walk_batched(
    module: cst.CSTNode,
    visits: dict[type, Sequence[Hook]],
    leaves: dict[type, Sequence[Hook]],
    ancestors: list,
    layout: bool = True,
) -> None:
    """Call `visits[type(node)]` on entering and `leaves[type(node)]` on leaving every
    node, keeping `ancestors` as the chain from `module` to the current node (the node
    included) while its hooks run. Hooks that raise are the caller's business: wrap them.
    `layout=False` skips whitespace, comments and punctuation (TRIVIA_FIELDS)."""
    kids_of = children if layout else syntax_children
    stack: list = [module]
    pop, push, extend = stack.pop, stack.append, stack.extend
    enter, leave = ancestors.append, ancestors.pop
    while stack:
        node = pop()
        if node is None:  # the marker under a node's children: they are all done
            node = pop()
            hooks = leaves.get(node.__class__)
            if hooks:
                for hook in hooks:
                    hook(node)
            leave()
            continue
        enter(node)
        cls = node.__class__
        hooks = visits.get(cls)
        if hooks:
            for hook in hooks:
                hook(node)
        kids = kids_of(node)
        if kids:
            push(node)
            push(None)
            kids.reverse()
            extend(kids)
        else:
            hooks = leaves.get(cls)
            if hooks:
                for hook in hooks:
                    hook(node)
            leave()




# ---- a deep stack for libcst's parser ------------------------------------------------------
class DeepStack:
    """Runs calls on one long-lived thread with a large stack.

    libcst's native parser recurses on the C stack and, past about two thousand levels of
    nesting on the usual 8 MB main-thread stack, crashes the whole process with a
    segmentation fault instead of raising. A flat chain that `ast` accepts is enough
    (`a and a and ...` ten thousand times). On this thread, whose stack is only reserved
    (pages are committed when touched), the same parse has about a hundred times the room.
    One thread per process, started on first use (again after a fork), reused for every
    file: starting a thread per file would cost more than the parse of a small file."""

    STACK_BYTES = 1 << 30

    def __init__(self):
        self._pid: Optional[int] = None
        self._jobs = None

    def call(self, function: Callable, *args):
        """`function(*args)` on the deep thread; its exception, if any, is re-raised here."""
        if self._pid != os.getpid():
            self._start()
        done = threading.Event()
        box: list = []
        self._jobs.put((function, args, box, done))
        interrupted: Optional[BaseException] = None
        while True:
            try:
                done.wait()
                break
            except BaseException as error:  # Ctrl-C, a timer: raised once the call is over,
                interrupted = interrupted or error  # as an exit with libcst still running aborts
        if interrupted is not None:
            raise interrupted
        outcome, value = box[0]
        if outcome == "error":
            raise value
        return value

    def _start(self) -> None:
        self._jobs = queue.SimpleQueue()
        previous = threading.stack_size()
        try:
            threading.stack_size(self.STACK_BYTES)
        except (ValueError, RuntimeError):  # a platform that caps thread stacks
            pass
        try:
            threading.Thread(target=self._serve, args=(self._jobs,), name="kerascheck-deep-stack", daemon=True).start()
        finally:
            threading.stack_size(previous)
        self._pid = os.getpid()

    @staticmethod
    def _serve(jobs) -> None:
        while True:
            function, args, box, done = jobs.get()
            try:
                box.append(("value", function(*args)))
            except BaseException as error:  # handed to the caller, raised there
                box.append(("error", error))
            finally:
                done.set()


deep_stack = DeepStack()


# ---- positions, for the nodes that have findings only ---------------------------------------
Span = tuple[int, int, int, int]  # start line (1-based), start column (0-based), end line, end column


class _Found(Exception):
    """Raised inside code generation once every wanted node has its span."""


class _PositionState(CodegenState):
    """Code generation that keeps libcst's PositionProvider arithmetic (syntactic spans,
    whitespace-inclusive spans for nodes that record none) with plain tuples in place of
    CodePosition/CodeRange objects, and stops once the wanted nodes are done. libcst's
    provider spends about ten microseconds per node of the file; most files with a
    finding need the span of one or two nodes."""

    def __init__(self, module: cst.Module, wanted, line: int = 1):
        super().__init__(default_indent=module.default_indent, default_newline=module.default_newline)
        self.line = line
        self.column = 0
        self.spans: dict = {}
        self.starts: list = []
        self.remaining = set(wanted)

    def add_indent_tokens(self) -> None:
        for token in self.indent_tokens:
            self.add_token(token)

    def add_token(self, value: str) -> None:
        self.tokens.append(value)
        if "\n" in value or "\r" in value:
            segments = _NEWLINE.split(value)
            self.line += len(segments) - 1
            self.column = len(segments[-1])
        else:
            self.column += len(value)

    def before_codegen(self, node) -> None:
        self.starts.append((self.line, self.column))

    def after_codegen(self, node) -> None:
        line, column = self.starts.pop()
        if node not in self.spans:
            self.spans[node] = (line, column, self.line, self.column)
        if node in self.remaining:
            self.remaining.discard(node)
            if not self.remaining:
                raise _Found

    def record_syntactic_position(self, node, *, start_node=None, end_node=None):
        return _Syntactic(self, node, start_node, end_node)


class _Syntactic:
    __slots__ = ("state", "node", "start_node", "end_node", "start")

    def __init__(self, state, node, start_node, end_node):
        self.state, self.node, self.start_node, self.end_node = state, node, start_node, end_node

    def __enter__(self):
        self.start = (self.state.line, self.state.column)

    def __exit__(self, error_type, *_):
        if error_type is not None:  # _Found on its way out: nothing more to record
            return False
        state = self.state
        line, column = self.start
        end_line, end_column = state.line, state.column
        if self.start_node is not None:
            line, column = state.spans[self.start_node][:2]
        if self.end_node is not None:
            end_line, end_column = state.spans[self.end_node][2:]
        state.spans[self.node] = (line, column, end_line, end_column)
        return False


def positions(module: cst.Module, nodes, statements: Optional[dict] = None, text: Optional[str] = None) -> dict:
    """node -> Span for each of `nodes`, exactly as libcst's PositionProvider gives them.

    `statements` (node -> the top-level statement holding it) and `text` (the module's
    source) let the code generation run over those statements alone, each from the line
    it starts on (`statement_lines`), instead of over everything before the last node;
    a node not found in its statement gets the whole-module generation."""
    wanted = set(nodes)
    if not wanted:
        return {}
    spans: dict = {}
    starts = statement_lines(module, text) if statements and text is not None else None
    if starts:
        groups: dict = {}
        for node in wanted:
            statement = statements.get(node)
            if statement is not None and id(statement) in starts:
                groups.setdefault(statement, set()).add(node)
        for statement, group in groups.items():
            state = _PositionState(module, group, line=starts[id(statement)])
            try:
                statement._codegen(state)
            except _Found:
                pass
            spans.update((node, state.spans[node]) for node in group if node in state.spans)
    remaining = wanted - spans.keys()
    if remaining:
        state = _PositionState(module, remaining)
        try:
            module._codegen(state)
        except _Found:
            pass
        spans.update((node, state.spans[node]) for node in remaining if node in state.spans)
    return spans


def statement_lines(module: cst.Module, text: str) -> Optional[dict]:
    """id(top-level statement) -> the line its code generation starts on (its leading
    blank and comment lines included), from the stdlib `ast` of the same text (ten times
    cheaper than generating the code before it). None when the two trees do not line up."""
    tree = parse_ast(text, "<positions>", top_level_await=True)  # notebooks may await at top level
    if isinstance(tree, SourceProblem):
        return None
    body = tree.body
    starts: dict = {}
    index = 0
    for statement in module.body:
        if index >= len(body):
            return None
        first = body[index]
        code_line = min([first.lineno, *(d.lineno for d in getattr(first, "decorator_list", ()))])
        above = len(statement.leading_lines)
        if getattr(statement, "decorators", None):
            above += len(statement.decorators[0].leading_lines)
        starts[id(statement)] = code_line - above
        index += len(statement.body) if type(statement) is cst.SimpleStatementLine else 1
    return starts if index == len(body) else None


__all__ = ["children", "syntax_children", "syntax_walk", "walk", "walk_batched", "DeepStack", "deep_stack", "positions", "statement_lines"]
