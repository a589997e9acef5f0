"""kerascheck.cstwalk must see trees exactly as libcst does: the same children in the same
order, the same visiting order for batched visitors, the same positions. It is checked
against libcst itself on every Python file of this repository and on random programs."""
import functools
import glob
import os

import hypothesis
import hypothesmith
import libcst as cst
import pytest
from hypothesis import HealthCheck, given
from libcst.metadata import MetadataWrapper, PositionProvider

from kerascheck.cstwalk import (
    TRIVIA_TYPES,
    DeepStack,
    children,
    positions,
    statement_lines,
    syntax_children,
    walk,
    walk_batched,
)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SOURCES = sorted(
    path
    for pattern in ("kerascheck/**/*.py", "tests/**/*.py", "fixtures/**/*.py")
    for path in glob.glob(os.path.join(ROOT, pattern), recursive=True)
)
PROPERTY = hypothesis.settings(
    max_examples=40, deadline=None, database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
# Constructs worth having whatever the repository's files happen to use.
EXTRA = '''\
from __future__ import annotations
import a.b as c, d
from . import (e as f, g,)
from ..h import *
@decorator(1)
@other
async def f(a, /, b: int = 1, *args, c, d=2, **kwargs) -> "T":
    global x
    async with a as b, c:
        async for i in range(3):
            await g(i)
    x: int = yield from h
    del a[1:2, ::3], b.c
    lambda *, k=1: (yield)
    try:
        pass
    except* (A, B) as e:
        raise X from e
    else:
        ...
    finally:
        return [i async for i in y if i if not i], {k: v for k, v in z}, {*a, *b}
match command:
    case [1, *rest] | {"k": v, **kw} if v > 0:
        pass
    case Point(x=0, y=0) | None | "s" | -1 | 1 + 2j:
        pass
    case _:
        pass
x = f"{a!r:>{width}} {b=}" "plain" r"raw"; w = rb"bytes" b"more"
y = a if b else c; z = not a or b and c < d <= e is not f in g
type Alias[T: int, *Ts, **P] = list[T]
class C[T](Base, metaclass=M):
    def m[U](self) -> U: ...
'''


@functools.lru_cache(maxsize=None)
def _parse(path):
    if path == "constructs":
        return cst.parse_module(EXTRA)
    with open(os.path.join(ROOT, path), "rb") as handle:
        return cst.parse_module(handle.read())


def _modules(every: int = 1):
    names = ["constructs", *(os.path.relpath(path, ROOT) for path in SOURCES)]
    return [(name, _parse(name)) for name in names[::every]]


def _assert_same_children(module):
    count = 0
    for node in walk(module):
        ours, theirs = children(node), node.children
        assert len(ours) == len(theirs) and all(a is b for a, b in zip(ours, theirs)), type(node).__name__
        count += 1
    return count


def test_children_are_libcsts_on_every_file_of_the_repository():
    assert len(SOURCES) > 50
    assert sum(_assert_same_children(module) for _, module in _modules()) > 100_000


def _without_layout(node):
    """Pre-order, leaving out every layout node (and what is below it)."""
    if type(node) in TRIVIA_TYPES:
        return
    yield node
    for kid in children(node):
        yield from _without_layout(kid)


def _syntax_walk(module):
    stack, found = [module], []
    while stack:
        node = stack.pop()
        found.append(node)
        stack.extend(reversed(syntax_children(node)))
    return found


def test_syntax_children_leave_out_exactly_the_layout():
    """Everything the layout fields hold is a layout type, and layout types are found
    nowhere else: skipping those fields loses no node a rule could visit."""
    total = 0
    for name, module in _modules():
        ours, expected = _syntax_walk(module), list(_without_layout(module))
        assert len(ours) == len(expected) and all(a is b for a, b in zip(ours, expected)), name
        total += len(ours)
    assert total > 50_000


def test_batched_visiting_without_layout():
    module = _parse("constructs")
    log, ancestors = [], []
    types = {type(node) for node in walk(module)} - TRIVIA_TYPES
    visits = {t: [lambda node: log.append(("visit", id(node), len(ancestors)))] for t in types}
    leaves = {t: [lambda node: log.append(("leave", id(node), len(ancestors)))] for t in types}
    walk_batched(module, visits, leaves, ancestors, layout=False)
    assert log == [entry for entry in _libcst_order(module) if entry[1] in {id(n) for n in _without_layout(module)}]


def _libcst_order(module):
    log, ancestors = [], []

    def hook(kind, name):
        def method(self, node):
            log.append((kind, id(node), len(ancestors)))

        method.__name__ = f"{kind}_{name}"  # libcst's get_visitors goes by __name__
        return method

    names = {type(node).__name__ for node in walk(module)}
    methods = {f"{kind}_{name}": hook(kind, name) for name in names for kind in ("visit", "leave")}
    recorder = type("Recorder", (cst.BatchableCSTVisitor,), methods)()  # a hook for every type
    cst.visit_batched(module, [recorder], before_visit=ancestors.append, after_leave=lambda _: ancestors.pop())
    return log


def _our_order(module):
    log, ancestors = [], []
    types = {type(node) for node in walk(module)}
    visits = {t: [lambda node: log.append(("visit", id(node), len(ancestors)))] for t in types}
    leaves = {t: [lambda node: log.append(("leave", id(node), len(ancestors)))] for t in types}
    walk_batched(module, visits, leaves, ancestors)
    assert ancestors == []
    return log


@pytest.mark.parametrize("name", ["constructs", "kerascheck/cstwalk.py", "kerascheck/cache.py"])
def test_batched_visiting_order_and_ancestors_are_libcsts(name):
    module = _parse(name)
    assert _our_order(module) == _libcst_order(module)


def _libcst_spans(module):
    ranges = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
    return {node: (r.start.line, r.start.column, r.end.line, r.end.column) for node, r in ranges.items()}


def test_positions_are_libcsts():
    for name, module in _modules(every=3):
        nodes = list(walk(module))
        expected = _libcst_spans(module)
        assert positions(module, nodes) == {node: expected[node] for node in nodes}, name
        # and when asked for a few nodes only (code generation stops early)
        few = nodes[len(nodes) // 3:: max(1, len(nodes) // 4)]
        assert positions(module, few) == {node: expected[node] for node in few}, name


def test_positions_from_the_statements_alone_are_the_same():
    """Given each node's top-level statement and the text, code generation runs over
    those statements only, from the line `statement_lines` (the `ast`) says they start on."""
    checked = 0
    for name, module in _modules(every=2):
        if name == "constructs":
            continue
        with open(os.path.join(ROOT, name), encoding="utf-8") as handle:
            text = handle.read()
        assert statement_lines(module, text) is not None, name
        statements = {node: statement for statement in module.body for node in walk(statement)}
        nodes = list(statements)
        assert positions(module, nodes, statements, text) == positions(module, nodes), name
        few = nodes[len(nodes) // 2:: max(1, len(nodes) // 3)]
        assert positions(module, few, statements, text) == positions(module, few), name
        checked += 1
    assert checked > 25


def test_positions_fall_back_when_a_hint_is_wrong_or_the_text_does_not_parse():
    module = cst.parse_module("import keras\n\n# a comment\n@decorator\nclass A:\n    x = 1\n")
    name = module.body[1].body.body[0].body[0].targets[0].target  # `x`
    expected = positions(module, [name])
    assert expected[name][:2] == (6, 4)
    assert positions(module, [name], {name: module.body[0]}, module.code) == expected  # wrong statement
    assert positions(module, [name], {name: module.body[1]}, "def (") == expected  # no ast
    assert statement_lines(module, module.code) == {id(module.body[0]): 1, id(module.body[1]): 2}


def test_positions_of_nothing_and_of_foreign_nodes():
    module = cst.parse_module("x = 1\n")
    assert positions(module, []) == {}
    assert positions(module, [cst.Name("elsewhere")]) == {}


@PROPERTY
@given(source=hypothesmith.from_grammar())
def test_random_programs(source):
    try:
        module = cst.parse_module(source)
    except cst.ParserSyntaxError:
        return  # hypothesmith writes what CPython accepts; libcst lags on a few things
    _assert_same_children(module)
    assert _our_order(module) == _libcst_order(module)
    nodes = list(walk(module))
    expected = _libcst_spans(module)
    assert positions(module, nodes) == {node: expected[node] for node in nodes}


def test_deep_stack_runs_what_would_overflow_the_main_thread():
    deep = DeepStack()
    source = "x = " + " and ".join(["a"] * 20_000) + "\n"  # segfaults libcst on an 8 MB stack
    module = deep.call(cst.parse_module, source)
    assert isinstance(module, cst.Module)
    with pytest.raises(cst.ParserSyntaxError):
        deep.call(cst.parse_module, "x = (\n")
    assert deep.call(sum, [1, 2]) == 3  # the same thread serves every call
