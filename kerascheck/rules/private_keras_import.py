"""KC404: an import from Keras internals (`keras.src`, `keras.engine`, `tensorflow.python.keras`).

Only the public API is stable. `keras.src` is Keras 3's implementation tree and is
reorganised between minor releases; `keras.engine` was Keras 2's and is gone from Keras 3;
`tensorflow.python.keras` is TensorFlow's frozen legacy copy of Keras 2.6, not the Keras
the rest of the program uses.
"""
from __future__ import annotations

from typing import Optional

import libcst as cst

from kerascheck.finding import Severity
from kerascheck.rules.base import Rule
from kerascheck.rules.support import syntax
from kerascheck.semantic import knowledge
from kerascheck.semantic.names import cst_dotted
from kerascheck.semantic.project import ClassKey, ModuleRef

# What each private tree is, and where its public twin lives ({} is the first module
# after the private prefix: `saving` for `keras.src.saving.serialization_lib`).
_PRIVATE_TREES = {
    "keras.src": ("Keras 3's internal tree, reorganised between releases without deprecation", "keras.{}"),
    "keras.engine": ("Keras 2's internal package, gone in Keras 3 (ModuleNotFoundError)",
                     "keras.layers.Layer, keras.Model, keras.Input"),
    "keras._tf_keras": ("the private package behind tf.keras", "tf.keras"),
    "tensorflow.python.keras": ("TensorFlow's frozen legacy copy of Keras 2.6, another library than "
                                "the Keras your models use", "keras.{}"),
    "tf_keras.src": ("tf_keras's internal tree", "tf_keras.{}"),
}

_PRIVATE_LAST_PARTS = frozenset(prefix.rpartition(".")[2] for prefix in knowledge.PRIVATE_KERAS_MODULES)


def private_prefix(dotted: Optional[str]) -> Optional[str]:
    """The private Keras module prefix `dotted` starts with, or None."""
    if not dotted:
        return None
    for prefix in knowledge.PRIVATE_KERAS_MODULES:
        if dotted == prefix or dotted.startswith(prefix + "."):
            return prefix
    return None


class PrivateKerasImport(Rule):
    code = "KC404"
    name = "private-keras-import"
    severity = Severity.WARNING
    summary = "Import from Keras internals (keras.src, keras.engine, tensorflow.python.keras)."
    affects = "Keras 2 and Keras 3 (internals move between releases)"

    def visit_Import(self, node: cst.Import) -> None:
        for local, _, full, name_node in syntax.import_bindings(node):
            prefix = private_prefix(full)
            if prefix and not self._in_tree(full if local == full.split(".")[0] else local, full):
                self._report(name_node, full, prefix)

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        bindings = syntax.import_bindings(node)
        if not bindings:
            return
        module = cst_dotted(node.module)
        prefix = private_prefix(module)
        if prefix:
            local, _, full, _ = bindings[0]
            if not self._in_tree(local, full):
                self._report(node.module, module, prefix)
            return
        # `from tensorflow.python import keras`, `from keras import src`.
        for local, _, full, name_node in bindings:
            prefix = private_prefix(full)
            if prefix and not self._in_tree(local, full):
                self._report(name_node, full, prefix)

    def visit_Attribute(self, node: cst.Attribute) -> None:
        """`keras.src.saving.saving_lib.H5IOStore(...)` after a plain `import keras`: the
        same dependency on internals, without a private import to report."""
        if node.attr.value not in _PRIVATE_LAST_PARTS:
            return
        qualified = self.module.qualified_name(node)
        if qualified in knowledge.PRIVATE_KERAS_MODULES and self.context.enclosing(
            (cst.Import, cst.ImportFrom)
        ) is None:
            self._report(node, self._outermost_name(node) or qualified, qualified)

    def _outermost_name(self, node: cst.Attribute) -> Optional[str]:
        """`keras.src.saving.saving_lib` for the `keras.src` of `keras.src.saving.saving_lib.f`:
        the message names the private module the code reaches for."""
        chain = self.context.ancestors
        position = len(chain) - 1
        while position > 0 and isinstance(chain[position - 1], cst.Attribute) and chain[position - 1].value is chain[position]:
            position -= 1
        return self.module.qualified_name(chain[position])

    def _in_tree(self, dotted: Optional[str], full: str) -> bool:
        """Whether the import names a module of the linted tree (a project that vendors
        or is Keras itself), not the installed library."""
        if not dotted:
            return False
        resolved = self.module.index.resolve(self.context.path, dotted)
        return isinstance(resolved, (ClassKey, ModuleRef))

    def _report(self, node: cst.CSTNode, module: str, prefix: str) -> None:
        what, public = _PRIVATE_TREES[prefix]
        rest = module[len(prefix) + 1:].split(".")[0] if module != prefix else ""
        if "{}" in public:
            library = public.split(".")[0]
            if rest == "engine":  # Keras 2's engine had no public module of that name
                public = f"{library}.layers.Layer, {library}.Model"
            else:
                public = public.format(rest) if rest and not rest.startswith("_") else library
        self.report(node, f"'{module}' is private: {what}; use the public API ({public}) instead")
