"""The import plan is layered: nothing low imports anything high (CONTRIBUTING.md, "Layering").

Every import statement of every module counts, at module level or inside a function
(a lazy import is an arrow all the same). Only imports under `if TYPE_CHECKING:` are
exempt: they exist for annotations and never run. A module inside a layer may import
another of the same layer."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "kerascheck"

# Lowest first. A module belongs to the layer of the longest prefix that names it.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("finding", "sources", "cstwalk", "notebooks", "pool"),
    ("semantic",),
    ("config", "pages", "suppress", "discovery", "gitdiff", "cache", "filters"),
    ("rules",),
    ("fix", "results"),  # fix/'s building blocks: applying edits, imports, diffs, writing
    ("engine",),
    ("fix.fixer", "request"),  # the fix orchestration drives the engine; a run's input
    ("report", "api", "confirm", "cli", "server", "__main__", ""),  # "": the package itself
)


def layer_of(module: str) -> int:
    """The layer of a dotted module name below `kerascheck` ("" for the package)."""
    best, found = -1, None
    for position, prefixes in enumerate(LAYERS):
        for prefix in prefixes:
            if module == prefix or (prefix and module.startswith(prefix + ".")):
                if len(prefix) > best:
                    best, found = len(prefix), position
    return found


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _type_checking_block(node: ast.AST) -> bool:
    test = node.test if isinstance(node, ast.If) else None
    return isinstance(test, ast.Name) and test.id == "TYPE_CHECKING" or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def imported_modules(tree: ast.AST):
    """(line, module below kerascheck) of every import that runs, skipping TYPE_CHECKING blocks."""
    stack = [tree]
    while stack:
        node = stack.pop()
        if _type_checking_block(node):
            stack.extend(node.orelse)
            continue
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module and (
                node.module == "kerascheck" or node.module.startswith("kerascheck.")):
            base = node.module[len("kerascheck."):] if node.module != "kerascheck" else ""
            for alias in node.names:
                # `from kerascheck.rules import base` imports the module rules.base
                candidate = f"{base}.{alias.name}" if base else alias.name
                target = candidate if (PACKAGE / candidate.replace(".", "/")).with_suffix(".py").exists() or \
                    (PACKAGE / candidate.replace(".", "/")).is_dir() else base
                yield node.lineno, target
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("kerascheck."):
                    yield node.lineno, alias.name[len("kerascheck."):]
        stack.extend(ast.iter_child_nodes(node))


MODULES = sorted(PACKAGE.rglob("*.py"))


def test_every_module_has_a_layer():
    assert MODULES
    unplaced = [module_name(path) for path in MODULES if layer_of(module_name(path)) is None]
    assert unplaced == []


@pytest.mark.parametrize("path", MODULES, ids=lambda path: module_name(path) or "kerascheck")
def test_no_import_points_up(path: Path):
    here = module_name(path)
    if layer_of(here) is None:
        pytest.skip("unplaced: test_every_module_has_a_layer reports it")
    upward = [
        f"line {line}: {target or 'kerascheck'} (layer {layer_of(target)}) from layer {layer_of(here)}"
        for line, target in imported_modules(ast.parse(path.read_text()))
        if layer_of(target) is not None and layer_of(target) > layer_of(here)
    ]
    assert upward == []


def test_the_check_sees_an_upward_import(tmp_path):
    """The walk finds lazy imports inside functions, and skips TYPE_CHECKING blocks."""
    source = (
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from kerascheck.cli import main\n"
        "def later():\n    from kerascheck.engine import run\n"
    )
    found = list(imported_modules(ast.parse(source)))
    assert found == [(5, "engine")]
    assert layer_of("engine") > layer_of("semantic.names")
    assert layer_of("fix.fixer") > layer_of("engine") > layer_of("fix.apply")
    assert layer_of("") is not None and layer_of("migration.table") is None
