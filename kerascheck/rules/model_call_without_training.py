"""KC210: a subclassed Model with Dropout/BatchNormalization whose `call` has no `training`.

Keras 3's `fit` passes `training=True` to a subclassed Model only when the model's
`call` signature declares a parameter named `training` (`**kwargs` does not count).
Without it, the training phase never reaches the model's layers: Dropout drops nothing
and BatchNormalization never updates its moving statistics, with no warning. Keras 2
set the learning phase globally, so the same code trained correctly there, which is why
tutorials written for it omit the parameter.

Models that define no `call` of their own (functional-construction subclasses calling
`super().__init__(inputs, outputs)`, or classes inheriting `Sequential`) are fine: the
functional and sequential `call` take `training` and pass it through. So are models whose
custom `train_step` never runs the model itself (GANs training their sub-models), and a
`call` that pins `training=` on every sensitive sub-layer (an inference-only path).
"""
from __future__ import annotations

from typing import Optional

import libcst as cst

from kerascheck.finding import Severity
from kerascheck.rules.base import Fix, Rule, effect, said
from kerascheck.rules.support import arg_edits, sublayers
from kerascheck.semantic import knowledge, syntax
from kerascheck.semantic.names import cst_dotted, keras_class_name
from kerascheck.semantic.project import ClassKey, External

_SHOWN = 3  # how many training-sensitive layers the message names
# How a custom train_step runs the model itself (dotted callees of the first pass).
_SELF_CALLS = frozenset({"self", "self.call", "self.__call__"})


class ModelCallWithoutTraining(Rule):
    code = "KC210"
    name = "model-call-without-training"
    severity = Severity.ERROR
    summary = "Model.call() without `training`: Keras 3 fit() never enables Dropout/BatchNorm training."
    affects = "Keras 3 (Keras 2 sets the learning phase globally and trains correctly)"
    fix_safety = ("unsafe",)
    effects = {
        "not-in-training": effect(
            keras3=said(
                "fit() never runs them in training mode",
                "(Dropout does nothing, BatchNormalization never updates its moving statistics), silently",
                " ",
            ),
            keras2=None,
        ),
    }

    def __init__(self, context):
        super().__init__(context)
        self._functions: Optional[dict[str, cst.FunctionDef]] = None

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        keras_class = self.module.keras_class(node)
        if keras_class is None or not keras_class.is_model:
            return
        index = self.module.index
        call = syntax.methods(node).get("call")
        if call is not None:
            if "training" in syntax.param_names(call):
                return
            anchor = call.name
        else:
            owner = self._call_owner(keras_class.key)
            if owner is None or index.call_takes_training(owner):
                return  # functional / Sequential call, which forwards training
            if index.keras_kind(owner) == "model" and self._sensitive_layers(owner):
                return  # reported on the model that defines that call
            anchor = node.name
        consequence = self.consequence("not-in-training", short=True)
        if consequence is None or not self._call_is_trained(keras_class.key, node):
            return
        sensitive = self._sensitive_layers(keras_class.key)
        if not sensitive or (call is not None and self._training_pinned(node, call)):
            return
        shown = ", ".join(f"`{label}`" for label in sensitive[:_SHOWN]) + (", ..." if len(sensitive) > _SHOWN else "")
        self.report(
            anchor,
            f"Model '{node.name.value}' has {shown} but call() takes no `training`: {consequence}",
            help=f"{self.consequence('not-in-training')}; add `training=None` to call() and pass it to those layers",
            fix=self._training_fix(node, call) if call is not None else None,
        )

    def _training_fix(self, class_def: cst.ClassDef, call: cst.FunctionDef) -> Optional[Fix]:
        """`def call(self, x)` -> `def call(self, x, training=None)`, and
        `training=training` passed to each training-sensitive sub-layer call() runs that
        passes none (`self.dropout(x)` -> `self.dropout(x, training=training)`). Unsafe:
        fit() then trains those layers, which it did not. None when `training` already
        names something in call() (it would be shadowed) or the signature cannot take it."""
        if "training" in syntax.names_in(call.body):
            return None
        parameters = arg_edits.with_param(call.params, _TRAINING_PARAM)
        if parameters is None:
            return None
        owner = syntax.self_name(call)
        aliases = sublayers.sublayer_aliases(call, owner)
        sensitive = sublayers.training_sensitive_attributes(self.module, class_def)
        targets = {
            id(node) for node in syntax.walk_scope(call)
            if isinstance(node, cst.Call) and syntax.keyword(node, "training") is None
            and self._runs_sensitive_layer(node, owner, aliases, sensitive)
        }
        new = call.with_changes(params=parameters).visit(_PassTraining(targets)) if targets else call.with_changes(params=parameters)
        return Fix.replace(
            call, new, safe=False, description="add `training=None` to call() and pass it to the training-sensitive layers"
        )

    def _runs_sensitive_layer(self, node: cst.Call, owner, aliases, sensitive) -> bool:
        """Whether a call runs a training-sensitive layer: a sub-layer attribute holding
        one (`self.dropout(x)`, `block(x)` over `self.blocks`) or one built on the spot
        (`layers.Dropout(0.1)(x)`)."""
        attribute = sublayers.sublayer_called(node, owner, aliases)
        if attribute is not None:
            return attribute in sensitive
        if isinstance(node.func, cst.Call):
            built = sublayers.layers_constructed(self.module, node.func)
            return bool(built) and built[0][1] is node.func and bool(
                sublayers.training_sensitive_label(self.module.index, built[0][0])
            )
        return False

    def _call_is_trained(self, key: ClassKey, class_def: cst.ClassDef) -> bool:
        """Whether fit() goes through call() without the training flag: always, unless a
        custom `train_step` takes over. One that never calls the model itself (GANs training
        their sub-models) does not go through call(); one that calls `self(x,
        training=True)` hands the flag to the layers itself (measured on Keras 3.15: they
        train). Only this class's own train_step can be read for that; an inherited one
        gives the benefit of the doubt."""
        index = self.module.index
        if not index.defines_in_ancestry(key, "train_step"):
            return True
        own = syntax.methods(class_def).get("train_step")
        if own is None:
            return False
        owner = syntax.self_name(own) or "self"
        runs = [
            node for node in syntax.walk(own.body)
            if isinstance(node, cst.Call) and _as_self(cst_dotted(node.func), owner) in _SELF_CALLS
        ]
        return any(syntax.keyword(node, "training") is None for node in runs)

    def _training_pinned(self, class_def: cst.ClassDef, call: cst.FunctionDef) -> bool:
        """Whether call() fixes `training` itself on every training-sensitive sub-layer it
        runs (`stage(x, training=False)`): then it is an inference path and fit() does not
        go through it (a custom train_step calls the layers with the real flag)."""
        owner = syntax.self_name(call)
        aliases = sublayers.sublayer_aliases(call, owner)
        sensitive = sublayers.training_sensitive_attributes(self.module, class_def)
        pinned = False
        for node in syntax.walk_scope(call):
            if not isinstance(node, cst.Call):
                continue
            attribute = sublayers.sublayer_called(node, owner, aliases)
            if attribute is None:
                continue
            if syntax.keyword(node, "training") is not None:
                pinned = True
            elif attribute in sensitive:
                return False
        return pinned

    def _factory_layer(self, name: str, seen: set) -> Optional[str]:
        """A label such as `Dropout (via create_ffn())` when `name` is a module-level function
        of this file that builds a training-sensitive layer, directly or through other such
        functions; else None."""
        if self._functions is None:
            module = self.context.ancestors[0]
            self._functions = {
                item.name.value: item for item in getattr(module, "body", ()) if isinstance(item, cst.FunctionDef)
            }
        function = self._functions.get(name)
        if function is None or name in seen:
            return None
        seen.add(name)
        for layer, _ in sublayers.layers_constructed(self.module, function.body):
            label = sublayers.training_sensitive_label(self.module.index, layer)
            if label:
                return f"{label} (via {name}())"
        for node in syntax.walk(function.body):
            if isinstance(node, cst.Call) and isinstance(node.func, cst.Name):
                label = self._factory_layer(node.func.value, seen)
                if label:
                    return label
        return None

    def _call_owner(self, key: ClassKey) -> Optional[ClassKey]:
        """The nearest in-tree ancestor that defines `call`, or None."""
        for ancestor in self.module.index.tree_ancestors(key):
            facts = self.module.index.class_facts(ancestor)
            if facts is not None and facts.call_params is not None:
                return ancestor
        return None

    def _sensitive_layers(self, key: ClassKey) -> list[str]:
        """Training-sensitive layers the class (or an in-tree ancestor) builds: built-in
        ones by name, in-tree Keras classes that are training-sensitive by their name."""
        index = self.module.index
        found: list[str] = []
        for current in [key, *index.tree_ancestors(key)]:
            facts = index.class_facts(current)
            if facts is None:
                continue
            for callee in sorted(facts.callees):
                target = index.resolve(current.path, callee)
                if isinstance(target, External):
                    name = keras_class_name(target.qualified)
                    label = name if name in knowledge.TRAINING_SENSITIVE_LAYERS else None
                elif isinstance(target, ClassKey) and target != key and index.keras_kind(target):
                    label = target.name if index.is_training_sensitive(target) else None
                elif target is None and current.path == self.module.path:
                    label = self._factory_layer(callee, set())
                else:
                    label = None
                if label and label not in found:
                    found.append(label)
        return found


_NO_SPACE = cst.SimpleWhitespace("")
_TRAINING_PARAM = cst.Param(
    cst.Name("training"), default=cst.Name("None"), equal=cst.AssignEqual(whitespace_before=_NO_SPACE, whitespace_after=_NO_SPACE)
)
_TRAINING_ARG = arg_edits.as_keyword(cst.Arg(cst.Name("training")), "training")


class _PassTraining(cst.CSTTransformer):
    """Adds `training=training` to the calls whose original nodes are `targets` (by id),
    nested ones included."""

    def __init__(self, targets: set[int]):
        super().__init__()
        self.targets = targets

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.Call:
        if id(original_node) in self.targets:
            return arg_edits.with_last_arg(updated_node, _TRAINING_ARG)
        return updated_node


def _as_self(dotted: Optional[str], owner: str) -> Optional[str]:
    """`this.call` -> `self.call` when the method names its first parameter `this`."""
    if dotted is None or not (dotted == owner or dotted.startswith(owner + ".")):
        return dotted
    return "self" + dotted[len(owner):]
