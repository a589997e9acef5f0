"""What names mean inside one module, for the rules of the second pass.

Wraps the project index for one file so a rule can ask, of a libcst node, "is this
`tf.Variable`?" or "is this class a Keras Model?" without caring how the user spelled
the import. It deliberately ignores local shadowing (a parameter named `Dense`): that
costs scope analysis on every node for a case real Keras code does not have.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from typing import Optional

import libcst as cst

from kerascheck.cstwalk import syntax_children, syntax_walk
from kerascheck.semantic import knowledge
from kerascheck.semantic.names import canonical_keras_name, cst_dotted, keras_class_name
from kerascheck.semantic.project import ClassKey, External, ProjectIndex


@dataclass(frozen=True)
class KerasClass:
    """A class of this module that is a Keras Layer or Model."""

    key: ClassKey
    kind: str  # "layer" or "model"
    node: cst.ClassDef

    @property
    def is_model(self) -> bool:
        return self.kind == "model"


class ModuleModel:
    def __init__(self, path: str, index: ProjectIndex, tree: Optional[cst.Module] = None):
        self.path = path
        self.index = index
        self.tree = tree  # needed only to tell apart two classes of the same name
        self._classes: dict[int, Optional[KerasClass]] = {}
        self._ordinals: Optional[dict[int, int]] = None
        self._unsaved_test_module: Optional[bool] = None

    def qualified_name(self, node: cst.CSTNode) -> Optional[str]:
        """The fully qualified name of an outside-the-tree name (`tensorflow.Variable`)."""
        dotted = cst_dotted(node)
        if dotted is None:
            return None
        target = self.index.resolve(self.path, dotted)
        return target.qualified if isinstance(target, External) else None

    def keras_name(self, node: cst.CSTNode) -> Optional[str]:
        """The canonical Keras name of `node` (`keras.layers.Dense`), or None."""
        qualified = self.qualified_name(node)
        return canonical_keras_name(qualified) if qualified else None

    def builtin_layer(self, node: cst.CSTNode) -> Optional[str]:
        """`"Dense"` when `node` names the built-in Keras layer class, under any spelling."""
        qualified = self.qualified_name(node)
        return keras_class_name(qualified) if qualified else None

    def tree_class(self, node: cst.CSTNode) -> Optional[ClassKey]:
        """The in-tree class `node` names (`Block`, `blocks.Block`), or None."""
        dotted = cst_dotted(node)
        if dotted is None:
            return None
        target = self.index.resolve(self.path, dotted)
        return target if isinstance(target, ClassKey) else None

    def tree_keras_class(self, node: cst.CSTNode) -> Optional[ClassKey]:
        """The in-tree Keras Layer/Model class `node` names, or None."""
        key = self.tree_class(node)
        return key if key is not None and self.index.keras_kind(key) else None

    def keras_class(self, node: cst.ClassDef) -> Optional[KerasClass]:
        """The Keras view of a class definition of this module, or None if it is not one."""
        cached = self._classes.get(id(node), False)
        if cached is not False:
            return cached
        key = self.class_key(node)
        kind = self.index.keras_kind(key) if self.index.class_facts(key) else None
        result = KerasClass(key, kind, node) if kind else None
        self._classes[id(node)] = result
        return result

    def unsaved_test_module(self) -> bool:
        """Whether this is a test module (pytest's `test_*.py` / `*_test.py`, or a
        conftest.py) that never saves, reloads or serializes anything. A class defined
        in a test module exists for its tests, so there a consequence that needs a save
        or a reload cannot happen."""
        if self._unsaved_test_module is None:
            self._unsaved_test_module = bool(
                _TEST_MODULE.fullmatch(os.path.basename(self.path))
                and self.tree is not None
                and not _calls_serialization(self.tree)
            )
        return self._unsaved_test_module

    def class_key(self, node: cst.ClassDef) -> ClassKey:
        """The index's key of a class definition of this module."""
        return ClassKey(self.path, node.name.value, self._ordinal(node))

    def _ordinal(self, node: cst.ClassDef) -> int:
        """Which definition of its name `node` is, numbered as the first pass numbers them
        (shallowest first, then in source order); 0 when the name is defined once."""
        facts = self.index.modules.get(self.path)
        if facts is None or node.name.value not in facts.redefinitions or self.tree is None:
            return 0
        if self._ordinals is None:
            self._ordinals = _class_ordinals(self.tree)
        return self._ordinals.get(id(node), 0)


# pytest's default `python_files`, and its conftest.
_TEST_MODULE = re.compile(r"test_.*\.py|.*_tests?\.py|conftest\.py")


def _calls_serialization(tree: cst.Module) -> bool:
    """Whether any call's name (its last part) may save, reload or serialize a model."""
    for node in syntax_walk(tree):
        if type(node) is cst.Call:
            callee = node.func
            name = callee.attr.value if isinstance(callee, cst.Attribute) else getattr(callee, "value", None)
            if isinstance(name, str) and name not in knowledge.WEIGHTS_ONLY_CALLS:
                lowered = name.lower()
                if any(fragment in lowered for fragment in knowledge.SERIALIZING_CALL_FRAGMENTS):
                    return True
    return False


def _class_ordinals(tree: cst.Module) -> dict[int, int]:
    """id(ClassDef) -> its ordinal among the classes of the same name."""
    by_name: dict[str, list[tuple[int, int, cst.ClassDef]]] = {}
    position = 0
    todo: list[tuple[cst.CSTNode, int]] = [(tree, 0)]
    while todo:  # pre-order, so `position` follows the source
        node, depth = todo.pop()
        kind = type(node)
        if kind is cst.ClassDef:
            by_name.setdefault(node.name.value, []).append((depth, position, node))
        position += 1
        inner = depth + (kind is cst.ClassDef or kind is cst.FunctionDef)
        todo.extend((child, inner) for child in reversed(syntax_children(node)))
    return {
        id(node): ordinal
        for definitions in by_name.values()
        for ordinal, (_, _, node) in enumerate(sorted(definitions, key=lambda item: item[:2]))
    }
