"""KC305: a custom class the project saves in a model and loads back, never registered.

A saved model names each custom Layer, Model, Loss and Metric class by its registered
name. `load_model` finds the class through `@keras.saving.register_keras_serializable`,
`custom_objects=` or a `custom_object_scope`, and without them it fails: measured on
Keras 3.15.1, `TypeError: ... could not be deserialized properly` (a layer) or `Could not
locate class` (a model, loss or metric), even in the process that defined the class
(keras#21046, tensorflow#61085). tf_keras imports a class's module to find it, so there a
subclassed Model, a Loss or a Metric reloads from a .keras file; a layer inside a
functional or Sequential model does not, and .h5 fails for all (measured).

The save and the load are looked up across the project (kerascheck.semantic.saving):
nothing is reported when the project never calls `load_model`, or names the class to
Keras anywhere, or when the saved path's format cannot be told on Keras 2.
"""
from __future__ import annotations

import os
import re
from typing import Optional

import libcst as cst

from kerascheck.finding import Severity
from kerascheck.rules.base import MESSAGE_LIMIT, Fix, Rule, effect, everywhere, own_length, said
from kerascheck.semantic import knowledge, target
from kerascheck.semantic.file_state import SHIM, STANDALONE, TF_KERAS, FileState, flavor
from kerascheck.semantic.names import cst_dotted
from kerascheck.semantic.saving import (
    LAYER, LOSS, METRIC, MODEL, Load, ProjectSaving, Save, registers, saved_kind, top_package,
)

_KERAS, _H5, _DIR = knowledge.FORMAT_KERAS, knowledge.FORMAT_H5, knowledge.FORMAT_DIR
# (kind, format saved to) -> situation. A layer or model in a SavedModel directory is no
# situation: tf_keras revives it from the saved graph (measured), Keras 3 cannot write one.
_SITUATIONS = {
    (LAYER, _KERAS): "layer+keras-file", (LAYER, _H5): "layer+h5-file",
    (MODEL, _KERAS): "model+keras-file", (MODEL, _H5): "model+h5-file",
    **{(kind, _KERAS): "loss-or-metric+keras-file" for kind in (LOSS, METRIC)},
    **{(kind, _H5): "loss-or-metric+h5-file" for kind in (LOSS, METRIC)},
    **{(kind, _DIR): "loss-or-metric+savedmodel-dir" for kind in (LOSS, METRIC)},
}
_FORMAT_LABELS = {_KERAS: "a .keras file", _H5: "an .h5 file", _DIR: "a SavedModel directory", None: "a file"}
_RELOAD = " while it rebuilds the compiled loss and metrics"
_LOAD_FAILS = "load_model fails"
_NOT_FOUND = said(_LOAD_FAILS, "TypeError (the class of the saved name is not found)")
_NOT_LOCATED = "TypeError (\"Could not locate class\")"
_UNKNOWN_LAYER = said(_LOAD_FAILS, "ValueError (\"Unknown layer\")")
_DECORATOR = {STANDALONE: "saving.register_keras_serializable", SHIM: "utils.register_keras_serializable"}


class SerializableNotRegistered(Rule):
    code = "KC305"
    name = "serializable-not-registered"
    severity = Severity.WARNING
    summary = "Custom Layer/Model/Loss/Metric the project saves and reloads, never registered nor passed as custom_objects."
    affects = ("Keras 3; Keras 2 for a layer in a .keras or .h5 file and a loss or metric in .h5 or a "
               "SavedModel directory")
    fix_safety = ("unsafe",)
    effects = {
        # (Before Keras 2.12 there is no .keras format: save() writes a SavedModel there.)
        "layer+keras-file": effect(keras3=_NOT_FOUND, keras2=_NOT_FOUND, keras2_old=None),
        "layer+h5-file": everywhere(_UNKNOWN_LAYER),
        # tf_keras imports the class's module and finds it there (measured with an
        # importable module, as a project's is); it cannot write a subclassed model to .h5.
        "model+keras-file": effect(keras3=said(_LOAD_FAILS, _NOT_LOCATED)),
        "model+h5-file": effect(keras3=_UNKNOWN_LAYER),
        "loss-or-metric+keras-file": effect(keras3=said(_LOAD_FAILS, _NOT_LOCATED + _RELOAD)),
        # Keras 3 reloads an .h5 file without a custom metric it cannot find, and the
        # reloaded model then fails to evaluate or train.
        "loss-or-metric+h5-file": effect(
            keras3=said(
                "the reload fails",
                "load_model (a loss), or the reloaded model's first evaluate or fit (a metric), raises ValueError "
                "(\"Could not interpret ... identifier\")",
            ),
            keras2=said(
                _LOAD_FAILS,
                "ValueError (\"Unknown loss function\" or \"Unknown metric function\")" + _RELOAD,
            ),
        ),
        "loss-or-metric+savedmodel-dir": effect(
            keras2=said(_LOAD_FAILS, "ValueError (an unknown loss or a metric it cannot restore)" + _RELOAD),
        ),
    }

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        index = self.module.index
        key = self.module.class_key(node)
        kind = saved_kind(index, key) if index.class_facts(key) is not None else None
        if kind is None or self._registered(node):
            return
        keras = self.context.target.keras
        if keras == target.KERAS3 and top_package(self.context.path) in knowledge.KERAS3_IMPORTED_PACKAGES:
            return  # Keras 3 imports modules of these packages to find a class
        # What the whole project saves and loads: asked last, as it makes this file's
        # findings depend on the files that save or load (the cache re-checks it when they change).
        project = ProjectSaving.of(index)
        saves = project.saved.get(key)
        if not saves or project.covered(key):
            return
        for save in saves:
            found = save.site.format or (_KERAS if keras == target.KERAS3 else None)  # Keras 3 writes .keras or .h5
            situation = _SITUATIONS.get((kind, found))
            consequence = self.consequence(situation) if situation else None
            loads = project.loads_for(save, compiled=kind in (LOSS, METRIC)) if consequence else []
            if loads:
                self._report(node, kind, save, loads[0], situation)
                return

    def _registered(self, node: cst.ClassDef) -> bool:
        for decorator in node.decorators:
            expression = decorator.decorator
            dotted = cst_dotted(expression.func if isinstance(expression, cst.Call) else expression)
            if dotted and registers(self.module.index, self.context.path, dotted):
                return True
        return False

    def _report(self, node: cst.ClassDef, kind: str, save: Save, load: Load, situation: str) -> None:
        """The message names the save and the load when they fit in it; the help always
        does, with the whole consequence and the registration to add."""
        name = node.name.value
        decorator = self._decorator(node)
        saved, loaded = self._where(save.path, save.site.line), self._where(load.path, load.site.line)
        consequence, short = self.consequence(situation), self.consequence(situation, short=True)
        message = f"{kind} '{name}' is saved ({saved}) and loaded back ({loaded}), unregistered: {short}"
        if own_length(message) > MESSAGE_LIMIT:
            message = f"{kind} '{name}' is saved and loaded back, unregistered: {short}"
        self.report(
            node.name,
            message,
            fix=_fix(node, *decorator) if decorator else None,
            help=f"{consequence}; it is saved by {save.site.callee} to {_FORMAT_LABELS[save.site.format]} ({saved}) "
            f"and loaded back ({loaded}), never registered nor passed as custom_objects; decorate it with "
            f"@{decorator[0] if decorator else 'keras.saving.register_keras_serializable()'} "
            f"(or pass custom_objects={{\"{name}\": {name}}} to load_model)",
        )

    def _where(self, path: str, line: int) -> str:
        if os.path.abspath(path) == os.path.abspath(self.context.path):
            return f"line {line}"
        return f"{os.path.basename(path)}:{line}"

    # ---- the fix ---------------------------------------------------------------------------
    def _decorator(self, node: cst.ClassDef) -> Optional[tuple[str, tuple[str, ...]]]:
        """`keras.saving.register_keras_serializable(package="...")` spelled the way the module
        spells Keras, and the import it needs; None without a safe spelling."""
        spelled = self._decorator_name(node)
        if spelled is None:
            return None
        callee, imports = spelled
        return f'{callee}(package="{_package(self.context.path)}")', imports

    def _decorator_name(self, node: cst.ClassDef) -> Optional[tuple[str, tuple[str, ...]]]:
        index = self.module.index
        flavours = {flavor(qualified) for qualified in index.external_ancestors(self.module.class_key(node))}
        state = FileState.of(self.context)
        for which in (STANDALONE, SHIM):
            if which in flavours:
                return state.spell(which, _DECORATOR[which])
        if TF_KERAS in flavours:
            facts = index.modules.get(self.context.path)
            imports = facts.imports if facts is not None else {}
            for local, (anchor, imported) in sorted(imports.items()):
                if not anchor and imported == "tf_keras":
                    return f"{local}.saving.register_keras_serializable", ()
            if facts is not None and "tf_keras" not in facts.defined:
                return "tf_keras.saving.register_keras_serializable", ("import tf_keras",)
        return None


def _fix(node: cst.ClassDef, text: str, imports: tuple[str, ...]) -> Fix:
    """The decorator on top. Unsafe: the registered name ("package>Class") is what files
    record from then on, so a file saved before under the bare class name still needs
    custom_objects to load."""
    decorator = cst.Decorator(decorator=cst.parse_expression(text))
    return Fix.replace(
        node, node.with_changes(decorators=[decorator, *node.decorators]), safe=False,
        description=f"register the class for serialization: @{text}", imports=imports,
    )


def _package(path: str) -> str:
    """The package the registered name is filed under: the module's top-level package, or
    the module's own name for a script."""
    found = top_package(path) or os.path.splitext(os.path.basename(path))[0] or "project"
    return re.sub(r"\W", "_", found)
