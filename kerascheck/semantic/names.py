"""Dotted names: reading them off syntax trees and mapping Keras spellings to one form.

Users reach the same Keras class as `tf.keras.layers.Dense`, `tensorflow.keras...`,
`tf_keras...`, `keras.src.layers.core.dense.Dense` or `keras.layers.Dense`. Rules compare
canonical names only, so every spelling is handled in this one place.
"""
from __future__ import annotations

import ast
from typing import Optional

import libcst as cst

from kerascheck.semantic import knowledge


def cst_dotted(node: cst.CSTNode) -> Optional[str]:
    """`a.b.c` for a chain of Name/Attribute nodes, else None (calls, subscripts...)."""
    parts = []
    while type(node) is cst.Attribute:  # exact type tests: libcst's isinstance is slow
        parts.append(node.attr.value)
        node = node.value
    if type(node) is not cst.Name:
        return None
    parts.append(node.value)
    return ".".join(reversed(parts))


def ast_dotted(node: ast.AST) -> Optional[str]:
    """The `ast` twin of :func:`cst_dotted`, for the cheap first pass."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    parts.append(node.id)
    return ".".join(reversed(parts))


def canonical_keras_name(qualified: str) -> Optional[str]:
    """`tensorflow.keras.layers.Dense` -> `keras.layers.Dense`; None for non-Keras names.

    Private paths (`keras.src.layers.core.dense.Dense`, Keras 2's `keras.layers.core.Dense`)
    keep their path: :func:`keras_class_name` reduces them to the class name.
    """
    for prefix, replacement in knowledge.KERAS_ALIASES:
        if qualified == prefix or qualified.startswith(prefix + "."):
            return replacement + qualified[len(prefix):]
    return None


def keras_flavor(qualified: str) -> Optional[str]:
    """Which Keras a qualified name comes from: standalone `keras`, `tf.keras` or `tf_keras`."""
    if qualified == "tf_keras" or qualified.startswith("tf_keras."):
        return knowledge.FLAVOR_TF_KERAS
    if qualified.startswith("tensorflow.") and ".keras" in qualified:
        return knowledge.FLAVOR_TF
    if canonical_keras_name(qualified) is not None:
        return knowledge.FLAVOR_STANDALONE
    return None


def keras_class_name(qualified: str) -> Optional[str]:
    """The bare class name of a built-in Keras layer (`Dense`) under any spelling, else None."""
    canonical = canonical_keras_name(qualified)
    if canonical is None:
        return None
    module, _, name = canonical.rpartition(".")
    if name in knowledge.BUILTIN_LAYERS and (".layers" in module or module.startswith("keras.src")):
        return name
    return None


def keras_base_kind(qualified: str) -> Optional[str]:
    """`"model"`, `"layer"` or None: what a base class named `qualified` makes a subclass."""
    canonical = canonical_keras_name(qualified)
    if canonical is None:
        return None
    if canonical in knowledge.MODEL_BASES:
        return "model"
    if canonical in knowledge.LAYER_BASES or keras_class_name(qualified):
        return "layer"
    return None


def resolves_to(qualified: Optional[str], names: frozenset) -> bool:
    """True when `qualified` (raw or canonical) is in the set of canonical `names`."""
    if qualified is None:
        return False
    return qualified in names or canonical_keras_name(qualified) in names
