"""KC302: a Keras class `__init__` that cannot take back what `get_config()` gives it.

Keras rebuilds a layer or model as `cls(**config)`, and the base config always holds
`name`, `trainable` and `dtype`. Measured on Keras 3.15: a layer whose
`__init__(self, units)` has no `**kwargs` saves, but `load_model` fails with
`TypeError: ... unexpected keyword argument 'trainable'`; a model whose `get_config`
merges `super().get_config()` fails on `name`. Accepting `**kwargs` and dropping them
silently loses the name, dtype and `trainable=False` the caller asked for. A splatted
name that does not exist (the tutorial's `super(MyModel, self).__init(**kwrags)`) is a
NameError waiting to happen.
"""
from __future__ import annotations

import builtins
from typing import Optional

import libcst as cst

from kerascheck.finding import Severity
from kerascheck.rules.base import Fix, Rule, effect, everywhere, said
from kerascheck.rules.support import arg_edits, parents, serializable, sublayers
from kerascheck.semantic import knowledge, syntax
from kerascheck.rules.support.serializable import non_serializable_parameters

_BUILTINS = frozenset(dir(builtins))
# `cls(**config)` given a keyword `__init__` does not take (measured): the message says
# that the reload fails, the help which keyword.
_REJECTS_TRAINABLE = said("load_model and from_config fail", "unexpected keyword argument 'trainable'")
_REJECTS_NAME = said("load_model and from_config fail", "unexpected keyword argument 'name'")
_FORWARD = "call super().__init__(**{})"


class InitKwargs(Rule):
    code = "KC302"
    name = "init-kwargs"
    severity = Severity.WARNING
    summary = "Keras class __init__ without **kwargs, or not forwarding them to the parent."
    affects = "Keras 3; Keras 2 too when get_config() merges super().get_config()"
    fix_safety = ('safe', 'unsafe')
    effects = {
        # A Layer without **kwargs that keeps Keras's get_config: Keras 2's auto-config
        # records only the constructor's arguments; Keras 3 adds name/trainable/dtype.
        "no-kwargs+no-get-config": effect(keras3=_REJECTS_TRAINABLE, keras2=None),
        "no-kwargs+merged-get-config": everywhere(_REJECTS_NAME),
        "model-no-kwargs+no-get-config": effect(keras3=_REJECTS_TRAINABLE, keras2=None),
        "functional-model-no-kwargs+no-get-config": effect(keras3=_REJECTS_NAME, keras2=None),
        "model-no-kwargs+merged-get-config": effect(keras3=_REJECTS_NAME, keras2=None),
        "kwargs-not-forwarded": everywhere("the name, dtype and trainable given to it are silently dropped"),
        "kwargs-routed-to-sublayer": everywhere("the name, dtype and trainable given to it configure the sub-layer"),
        "undefined-splat": everywhere("the parent initializer call raises NameError"),
    }

    def __init__(self, context):
        super().__init__(context)
        self._module_names: Optional[frozenset[str]] = None

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        keras_class = self.module.keras_class(node)
        if keras_class is None:
            return
        init = syntax.methods(node).get("__init__")
        if init is None:
            return
        # A misspelled parent call is KC301's finding; its arguments still count here.
        calls = parents.parent_calls(init, "__init__") + parents.misspelled_init_calls(init)
        undefined = self._undefined_splats(init, calls)
        if undefined:
            for name in undefined:
                consequence = self.consequence("undefined-splat")
                self.report(
                    name,
                    f"'{name.value}' is not defined: {consequence}",
                    severity=Severity.ERROR,
                    fix=_respelled_splat(name, init, calls),
                    help=f"{consequence}; {self._did_you_mean(name.value, init)}",
                )
            return
        kwargs = syntax.star_kwargs_name(init)
        if kwargs is None:
            situation = None if sublayers.throwaway_class(self.context, node) else self._rebuilds(keras_class, node, init)
            consequence = self.consequence(situation) if situation else None
            if consequence:
                self.report(
                    init.name,
                    f"__init__ takes no **kwargs: {self.consequence(situation, short=True)}",
                    fix=_accept_and_forward(init, calls),
                    help=f"{consequence}; accept **kwargs and pass them to super().__init__(**kwargs)",
                )
            return
        if calls and not any(self._forwards(init, call, kwargs) for call in calls):
            routed = _routed_to(init, kwargs, calls)
            if routed:
                kind = "model" if keras_class.is_model else "layer"
                self.report(
                    init.name,
                    f"`**{kwargs}` goes to `{routed}`, not to super().__init__(): "
                    f"{self.consequence('kwargs-routed-to-sublayer')}",
                    help=f"the name, dtype and trainable=False given to this {kind} (and those from_config "
                    f"passes back) configure that sub-layer instead; take its options as a separate "
                    f"argument and {_FORWARD.format(kwargs)}",
                )
                return
            self.report(
                init.name,
                f"`**{kwargs}` is never passed to super().__init__(): {self.consequence('kwargs-not-forwarded')}",
                fix=_forward(init, calls, kwargs),
                help=f"the name, dtype and trainable given by the caller (and by from_config) are silently "
                f"dropped; {_FORWARD.format(kwargs)}",
            )

    # ---- the parent call ---------------------------------------------------------------
    def _undefined_splats(self, init: cst.FunctionDef, calls: list[cst.Call]) -> list[cst.Name]:
        splats = [arg.value for call in calls for arg in call.args if arg.star and isinstance(arg.value, cst.Name)]
        if not splats:
            return []
        local = set(syntax.param_names(init)) | syntax.names_bound_below(init)
        for star in (init.params.star_arg, init.params.star_kwarg):
            if isinstance(star, cst.Param):
                local.add(star.name.value)
        return [
            name
            for name in splats
            if name.value not in local and name.value not in _BUILTINS and not self._module_defines(name.value)
        ]

    def _module_defines(self, name: str) -> bool:
        """Whether `name` is bound anywhere in the file (any scope: a generous test, as only
        a name bound nowhere is certainly undefined), or the file star-imports."""
        if self._module_names is None:
            module = self.context.ancestors[0]
            names = syntax.names_bound_below(module)
            star = any(isinstance(node, cst.ImportStar) for node in syntax.walk(module))
            self._module_names = frozenset(names | ({"*"} if star else set()))
        return name in self._module_names or "*" in self._module_names

    @staticmethod
    def _did_you_mean(name: str, init: cst.FunctionDef) -> str:
        kwargs = syntax.star_kwargs_name(init)
        if kwargs and kwargs != name:
            return f"did you mean '{kwargs}'?"
        return f"accept **{name} or splat a name that exists"

    @staticmethod
    def _forwards(init: cst.FunctionDef, call: cst.Call, kwargs: str) -> bool:
        """Whether the parent call passes on `kwargs`, directly (`**kwargs`, `**{**kwargs}`,
        `kwargs=kwargs`) or through locals built from it (`base = dict(kwargs); ...`)."""
        carried = parents.carriers(init, (kwargs,))
        return any(syntax.names_in(arg.value) & carried for arg in call.args)

    # ---- without **kwargs ---------------------------------------------------------------
    def _rebuilds(self, keras_class, node: cst.ClassDef, init: cst.FunctionDef) -> Optional[str]:
        """The situation (a key of `effects`) in which `cls(**config)` receives keywords
        this `__init__` cannot take, or None when it cannot happen."""
        index = self.module.index
        if index.defines_in_ancestry(keras_class.key, "from_config"):
            return None  # the class rebuilds itself
        if set(knowledge.BASE_CONFIG_KEYS) <= set(syntax.param_names(init)):
            return None  # `name=None, trainable=True, dtype=None` taken explicitly
        get_config = syntax.methods(node).get("get_config")
        if get_config is not None:
            # A config that leaves out the base entries round-trips (KC304 reports the loss).
            if not parents.merges_parent_config(get_config):
                return None
        elif not index.defines_in_ancestry(keras_class.key, "get_config"):
            # Keras's own get_config, whose Keras 3 config holds name/trainable/dtype (the
            # auto-config of Keras 2 records only the constructor's arguments). Saving
            # fails first (KC303) for a class given values Keras cannot record, and for a
            # Model with a required argument; a Model on a built-in base (Sequential...)
            # rebuilds through that base's own config.
            if non_serializable_parameters(self.module, node, init):
                return None
            if keras_class.is_model:
                if serializable.required_parameters(init) or index.builtin_ancestors(keras_class.key):
                    return None
                if parents.builds_functional_model(node):
                    return "functional-model-no-kwargs+no-get-config"
                return "model-no-kwargs+no-get-config"
            return "no-kwargs+no-get-config"
        # Its own get_config, or an ancestor's, chains to Keras's: name/trainable/dtype.
        return "model-no-kwargs+merged-get-config" if keras_class.is_model else "no-kwargs+merged-get-config"


def _routed_to(init: cst.FunctionDef, kwargs: str, parent_calls: list[cst.Call]) -> Optional[str]:
    """Where `**kwargs` (or a dict built from it) goes instead of the parent initializer:
    a call it is splatted into (`layers.Conv2D(...)`) or a `self` attribute that keeps it
    for later (`self.classifier_kwargs`); None when it goes nowhere."""
    carried = parents.carriers(init, (kwargs,))
    owner = syntax.self_name(init)
    nodes = list(syntax.walk_scope(init.body))
    for node in nodes:
        if isinstance(node, cst.Call) and not any(node is call for call in parent_calls):
            for arg in node.args:
                if arg.star == "**" and syntax.names_in(arg.value) & carried:
                    return f"{syntax.callee_name(node) or 'another call'}(...)"
    for node in nodes:
        if isinstance(node, (cst.Assign, cst.AnnAssign)) and node.value is not None:
            if syntax.names_in(node.value) & carried:
                for target in syntax.assign_targets(node):
                    attribute = syntax.self_attribute(target, owner)
                    if attribute:
                        return f"self.{attribute}"
    return None


# ---- fixes -------------------------------------------------------------------------------
def _respelled_splat(name: cst.Name, init: cst.FunctionDef, calls: list[cst.Call]) -> Optional[Fix]:
    """`**kwrags` -> `**kwargs`, the `**` parameter it misspells (not a `*` splat: that
    one would unpack the dict's keys)."""
    kwargs = syntax.star_kwargs_name(init)
    if kwargs is None or kwargs == name.value:
        return None
    if not any(arg.value is name and arg.star == "**" for call in calls for arg in call.args):
        return None
    return Fix.replace(name, cst.Name(kwargs), safe=True, description=f"splat **{kwargs}")


def _forwardable(init: cst.FunctionDef, calls: list[cst.Call]) -> Optional[cst.Call]:
    """The one parent initializer call `**kwargs` can be added to: it splats nothing yet,
    and passes name/trainable/dtype only when `__init__` takes them as parameters (else
    the config's would reach the call twice: TypeError)."""
    if len(calls) != 1:
        return None
    call = calls[0]
    if any(arg.star == "**" for arg in call.args):
        return None
    taken = set(syntax.param_names(init))
    if any(syntax.keyword(call, key) is not None and key not in taken for key in knowledge.BASE_CONFIG_KEYS):
        return None
    return call


def _kwarg(name: str) -> cst.Arg:
    return cst.Arg(value=cst.Name(name), star="**")


def _accept_and_forward(init: cst.FunctionDef, calls: list[cst.Call]) -> Optional[Fix]:
    """`def __init__(self, units)` + `super().__init__()` -> `def __init__(self, units,
    **kwargs)` + `super().__init__(**kwargs)`: every call that worked still does, and
    the config's name/trainable/dtype now reach the parent."""
    call = _forwardable(init, calls)
    if call is None or "kwargs" in syntax.names_bound_below(init):
        return None
    parameters = arg_edits.with_star_kwarg(init.params, "kwargs")
    if parameters is None:
        return None
    return Fix(
        ((init.params, parameters), (call, arg_edits.with_last_arg(call, _kwarg("kwargs")))),
        safe=True,
        description="accept **kwargs and pass them to the parent initializer",
    )


def _forward(init: cst.FunctionDef, calls: list[cst.Call], kwargs: str) -> Optional[Fix]:
    """`super().__init__()` -> `super().__init__(**kwargs)` when `kwargs` is used nowhere
    else. Unsafe: a keyword the caller passed and the layer ignored now reaches
    Layer.__init__, which rejects what it does not know."""
    call = _forwardable(init, calls)
    if call is None:
        return None
    uses = sum(1 for node in syntax.walk(init.body) if isinstance(node, cst.Name) and node.value == kwargs)
    if uses:
        return None
    return Fix.replace(
        call, arg_edits.with_last_arg(call, _kwarg(kwargs)), safe=False,
        description=f"pass **{kwargs} to the parent initializer",
    )


