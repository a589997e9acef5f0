"""KC303: a layer built from non-serializable constructor values, with no `get_config`.

Keras 3 records a layer's constructor arguments automatically, but only when every one
is a basic value (str, int, float, bool, None, and lists/dicts of them). A sub-layer, a
function or a class handed to `__init__` turns that off, and measured on Keras 3.15
`model.save()` then fails with `NotImplementedError: Object X was created by passing
non-serializable argument values in __init__(), and therefore the object must override
get_config()`. Defaults count: Keras 3 records them too, so `activation=ops.gelu` in the
signature breaks saving even when the caller never passes it.
"""
from __future__ import annotations

import libcst as cst

from kerascheck.finding import Severity
from kerascheck.rules.base import Rule, effect, everywhere, said
from kerascheck.rules.support import parents, serializable, sublayers
from kerascheck.semantic import knowledge, syntax
from kerascheck.semantic.names import canonical_keras_name, cst_dotted


class GetConfigMissing(Rule):
    code = "KC303"
    name = "get-config-missing"
    severity = Severity.WARNING
    summary = "Layer given sub-layers/callables (or Model given any required argument) without get_config()."
    affects = "Keras 2 and Keras 3 (a sub-layer or callable passed in); Keras 3 (a Model's arguments, a callable default)"
    _SAVE_FAILS = said("saving fails", "NotImplementedError (\"must override get_config()\")")
    _CONFIG_OBJECT = (
        "saving raises NotImplementedError (\"must override get_config()\"); a namedtuple is saved as a list, "
        "and load_model then fails (TypeError)"
    )
    effects = {
        # tf_keras still writes a TensorFlow SavedModel directory (`model.save("dir")`,
        # measured); Keras 3 has no such format in save().
        "sublayer-arg+no-get-config": effect(
            keras3=_SAVE_FAILS,
            keras2=said(
                "saving to .keras or .h5 fails",
                "NotImplementedError (\"must override get_config()\"); a TensorFlow SavedModel directory still saves",
            ),
        ),
        # An object whose attributes __init__ reads (a config object, an array): saving
        # fails as for a sub-layer, on both; a namedtuple is recorded as a list, so the
        # model saves and its reload fails (measured; the SavedModel directory was not).
        "config-object-arg+no-get-config": effect(
            keras3=said("saving or reloading fails", _CONFIG_OBJECT),
            keras2=said("saving to .keras or .h5, or reloading, fails", _CONFIG_OBJECT),
        ),
        # A Model subclass given one: tf_keras writes a .keras file with an empty config
        # and its reload fails; .h5 refuses any subclassed model (measured).
        "model-sublayer-arg+no-get-config": effect(
            keras3=_SAVE_FAILS,
            keras2=said(
                "its .keras file does not reload",
                "the file holds an empty config, and load_model fails (TypeError: missing the constructor's "
                "arguments); a TensorFlow SavedModel directory still saves and reloads",
            ),
        ),
        # Keras 2's auto-config records only the arguments a caller passed; before it
        # (2.11 and older) get_config() refuses any layer whose constructor takes arguments.
        "function-default-not-passed": effect(keras3=_SAVE_FAILS, keras2=None, keras2_old=_SAVE_FAILS),
        # Keras 3's Model.__new__ hands no constructor argument on: no automatic config.
        "model-required-arg": effect(keras3=_SAVE_FAILS, keras2=None),
        # A functional Model subclass: its config is the graph, without the constructor's
        # arguments, so it saves and the reload fails, on both (measured).
        "functional-model-arg": everywhere(
            said(
                "the model saves, but load_model fails",
                "TypeError (the config holds the graph, not the constructor's arguments)",
            )
        ),
    }

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        keras_class = self.module.keras_class(node)
        if keras_class is None:
            return
        init = syntax.methods(node).get("__init__")
        if init is None or sublayers.throwaway_class(self.context, node) or _abstract(node):
            return
        index = self.module.index
        if index.defines_in_ancestry(keras_class.key, "get_config"):
            return
        if keras_class.is_model and index.defines_in_ancestry(keras_class.key, "save"):
            return  # its own save() runs instead of Keras's (one hands off to an inner model)
        if index.builtin_ancestors(keras_class.key) or self._sequential(keras_class.key):
            return  # a built-in base (Dense, Wrapper, Sequential...) brings its own get_config
        functional = keras_class.is_model and parents.builds_functional_model(node)
        offending = serializable.non_serializable_parameters(self.module, node, init)
        if keras_class.is_model:
            # An object read in a Model's __init__ was measured on layers only; a Model with
            # a required argument is reported below anyway.
            offending = [found for found in offending if found[2] != serializable.ATTRIBUTES]
        if offending:
            first, why, kind = offending[0]
            # The message names the first; the help names them all.
            more = f" (and {len(offending) - 1} more)" if len(offending) > 1 else ""
            names = ", ".join(f"'{param.name.value}'" for param, _, _ in offending)
            which = f"{names} cannot be recorded: " if more else ""
            if functional:
                situation = "functional-model-arg"
            elif kind == serializable.DEFAULT:
                situation = "function-default-not-passed"
            elif kind == serializable.ATTRIBUTES:
                situation = "config-object-arg+no-get-config"
            else:
                situation = "model-sublayer-arg+no-get-config" if keras_class.is_model else "sublayer-arg+no-get-config"
            consequence = self.consequence(situation)
            if consequence:
                self.report(
                    first.name,
                    f"'{first.name.value}' {why}{more}, and no get_config(): {self.consequence(situation, short=True)}",
                    help=f"{which}{consequence}; implement get_config() and from_config() "
                    "(keras.saving.serialize_keras_object)",
                )
        elif keras_class.is_model:
            required = serializable.required_parameters(init)
            situation = "functional-model-arg" if functional else "model-required-arg"
            consequence = self.consequence(situation)
            if required and consequence:
                self.report(
                    required[0].name,
                    f"a Model subclass with '{required[0].name.value}' required and no get_config(): "
                    f"{self.consequence(situation, short=True)}",
                    help=f"{consequence}; implement get_config() returning the constructor arguments",
                )

    def _sequential(self, key) -> bool:
        index = self.module.index
        for current in [key, *index.tree_ancestors(key)]:
            for target in index.base_targets(current):
                qualified = getattr(target, "qualified", None)
                if qualified and canonical_keras_name(qualified) in knowledge.SEQUENTIAL_BASES:
                    return True
        return False


def _abstract(class_def: cst.ClassDef) -> bool:
    """Whether the class declares abstract methods (`@abc.abstractmethod`): it is never
    instantiated, so never saved itself; its concrete subclasses are checked on their own."""
    for method in syntax.methods(class_def).values():
        for decorator in method.decorators:
            dotted = cst_dotted(decorator.decorator) or ""
            if dotted.rpartition(".")[2] == "abstractmethod":
                return True
    return False
