"""The call matchers: `keyword` (a removed or renamed keyword argument on Keras
constructors, functions or methods: `Adam(lr=)`, `Embedding(input_length=)`,
`compile(sample_weight_mode=)`), `positional` (arguments passed by position that moved) and
`method` (a removed method called on a known receiver: `model.fit_generator`), with the
`CallTarget` that decides which calls a row is about."""
from __future__ import annotations

from typing import Optional

import libcst as cst

from kerascheck.rules.keras3 import edits
from kerascheck.rules.keras3.matcher import Matcher, matcher
from kerascheck.cstwalk import walk
from kerascheck.semantic import syntax
from kerascheck.semantic.file_state import MODEL, MODEL_KINDS, SEQUENTIAL, SHIM, STANDALONE, code_of, flavor
from kerascheck.semantic.names import canonical_keras_name, cst_dotted, keras_class_name

class CallTarget:
    """Decides whether a call is one of the row's targets. Params (all optional):
    `callees`: canonical names, `"prefix.*"` for the classes of a module;
    `layers`: built-in layer names (`"*"` for all), minus `exclude_layers`;
    `tree`: "layer" / "optimizer" / "loss" / "metric": in-tree subclasses of such Keras
    classes that do not define their own `__init__` (a layer's `**kwargs` reach Keras);
    `methods` + `receiver` (kinds, or None for any receiver) + `evidence` (keywords one of
    which makes an unknown receiver a Keras one); `self_methods`: `self.<m>(...)` inside a
    Keras class; `super_init`: `super().__init__(...)` in a Keras class's `__init__`;
    `subclasses` (with `layers`): in-tree subclasses of those layers, constructed or
    initialising their parent, when the keywords reach the built-in layer."""

    _TREE_PREFIX = {"optimizer": "keras.optimizers.", "loss": "keras.losses.", "metric": "keras.metrics."}

    def __init__(self, matcher_: Matcher, params: dict):
        self.m = matcher_
        self.p = params
        self.callees = frozenset(c for c in params.get("callees", ()) if not c.endswith(".*"))
        self.prefixes = tuple(c[:-1] for c in params.get("callees", ()) if c.endswith(".*"))
        self.layers = frozenset(params.get("layers", ()))
        self.exclude_layers = frozenset(params.get("exclude_layers", ()))

    def label(self, call: cst.Call) -> Optional[str]:
        """What the call is, as the message names it (`Adam`, `model.compile`), or None."""
        p = self.p
        func = call.func
        state = self.m.state
        method = syntax.method_call_name(call)
        if method and method in p.get("methods", ()):
            if self._method_receiver_ok(call, method):
                return f".{method}()"
        if method and method in p.get("self_methods", ()) and isinstance(func.value, cst.Name):
            if state._self_owner(func.value) is not None and self.m.context.current_method() is not None:
                return f"self.{method}()"
        if p.get("super_init") and syntax.is_super_call(call, "__init__"):
            found = self.m.context.current_method()
            if found is not None and found[1].name.value == "__init__":
                return found[0].key.name
        if self.callees or self.prefixes or self.layers:
            qualified = state.qualified(func)
            which = flavor(qualified)
            if which in (STANDALONE, SHIM):
                canonical = canonical_keras_name(qualified)
                last = canonical.rpartition(".")[2]
                if canonical in self.callees:
                    return cst_dotted(func) or last
                if any(canonical.startswith(prefix) and last[:1].isupper() and "." not in canonical[len(prefix):]
                       for prefix in self.prefixes):
                    return cst_dotted(func) or last
                layer = keras_class_name(qualified)
                if layer and ("*" in self.layers or layer in self.layers) and layer not in self.exclude_layers:
                    return layer
        tree = p.get("tree")
        if tree:
            key = self.m.module.tree_class(func)
            if key is not None and self._tree_ok(key, tree):
                return key.name
        if p.get("subclasses") and self.layers:
            return self._subclass_label(call)
        return None

    def _subclass_label(self, call: cst.Call) -> Optional[str]:
        """`TpuBN(fused=True)` for an in-tree subclass of one of the row's layers, and
        `super().__init__(fused=...)` in such a subclass's `__init__`, when the keywords
        reach the built-in layer: no in-tree class between them defines `__init__` (one
        that does may take the keyword itself)."""
        index = self.m.module.index
        if syntax.is_super_call(call, "__init__"):
            found = self.m.context.current_method()
            if found is None or found[1].name.value != "__init__":
                return None
            key, skip = found[0].key, 1
        else:
            key, skip = self.m.module.tree_class(call.func), 0
            if key is None:
                return None
        layer = next((name for name in sorted(index.builtin_ancestors(key)) if name in self.layers), None)
        if layer is None:
            return None
        if any(index.class_facts(current) is not None and "__init__" in index.class_facts(current).methods
               for current in [key, *index.tree_ancestors(key)][skip:]):
            return None
        return key.name

    def _tree_ok(self, key, tree: str) -> bool:
        index = self.m.module.index
        if tree == "layer":
            return index.keras_kind(key) is not None
        if index.defines_in_ancestry(key, "__init__"):
            return False
        return self.m.state._key_base(key, self._TREE_PREFIX[tree])

    def _method_receiver_ok(self, call: cst.Call, method: str) -> bool:
        p = self.p
        receiver = call.func.value
        kinds = p.get("receiver")
        known = self.m.state.kind_of(receiver)
        if known is None and syntax.is_super_attribute(call.func):
            # `super().save(...)` in a method of a Model subclass (an override that passes its arguments on)
            found = self.m.context.current_method()
            if found is not None and found[0].is_model:
                known = MODEL
        if kinds is None:
            if known is not None and known not in MODEL_KINDS and p.get("not_on") and known in p["not_on"]:
                return False
            if p.get("unless_defined") and self.m.state.defines_method(method) and known not in MODEL_KINDS:
                return False
            evidence = p.get("evidence")
            if method in p.get("evidence_methods", ()):
                return True
            if evidence and known not in MODEL_KINDS:
                present = {arg.keyword.value for arg in call.args if arg.keyword is not None}
                return bool(present & frozenset(evidence))
            return True
        return known in kinds


@matcher("keyword")
class KeywordMatcher(Matcher):
    """A removed or renamed keyword. Params: the CallTarget params, plus `keywords`:
    {name: {"fix": "rename"|"delete"|"positional"|<special>, "to": new name, "safe": bool,
    "skip_values": source texts that are harmless (`0`), "values": the only values that
    break (`"auto"`), "hint": what to do}}."""

    def __init__(self, rule, entry, params):
        super().__init__(rule, entry, params)
        self.target = CallTarget(self, params)
        self.keywords = params["keywords"]

    def visit_Call(self, node: cst.Call) -> None:
        present = [arg for arg in node.args if arg.keyword is not None and arg.keyword.value in self.keywords]
        if not present:
            return
        label = self.target.label(node)
        if label is None:
            return
        # What Keras's error names (the class), and what the message quotes (the code): they
        # differ for `super().__init__(fused=True)` in `class TpuBN(BatchNormalization)`.
        passed_to = label
        if syntax.is_super_call(node, "__init__"):
            label = "super().__init__"
        found = []
        for arg in present:
            spec = self.keywords[arg.keyword.value]
            value = code_of(arg.value)
            if value in spec.get("skip_values", ()):
                continue
            if spec.get("values") and value not in spec["values"]:
                continue
            found.append((arg, spec, value))
        if found and self.params.get("group"):  # one finding per call, one fix for all
            arg, spec, value = found[0]
            dropped = [a for a, _, _ in found]
            fix = edits.fix([(node, edits.without_args(node, dropped))], all(s.get("safe", False) for _, s, _ in found),
                            "remove " + ", ".join(f"{a.keyword.value}=" for a in dropped))
            members = " and ".join(f"`{a.keyword.value}=`" for a in dropped)
            self.flag(arg, self.entry.render(written=label, passed_to=passed_to, member=members,
                                             first=arg.keyword.value, value=value), fix=fix)
            return
        for arg, spec, value in found:
            fix = keyword_fix(self, node, arg, spec)
            self.flag(arg, self.entry.render(written=label, passed_to=passed_to, member=arg.keyword.value,
                                             hint=spec.get("hint", ""), value=value, kind=spec.get("kind")),
                      fix=fix, severity=spec.get("severity"))


def keyword_fix(matcher_: Matcher, call: cst.Call, arg: cst.Arg, spec: dict):
    kind = spec.get("fix")
    safe = spec.get("safe", False)
    if kind == "rename":
        if syntax.keyword(call, spec["to"]) is not None:
            return None
        return edits.fix([(arg, edits.rename_keyword(arg, spec["to"]))], safe, f"rename {arg.keyword.value}= to {spec['to']}=")
    if kind == "delete":
        return edits.fix([(call, edits.without_args(call, [arg]))], safe, f"remove {arg.keyword.value}=")
    if kind == "value":
        return edits.fix([(arg.value, cst.parse_expression(spec["to"]))], safe, f"use {spec['to']}")
    if kind == "positional":  # l2(l=0.01) -> l2(0.01)
        if len(call.args) == 1:
            return edits.fix([(arg, edits.positional(arg))], safe, "pass it positionally")
        name = (cst_dotted(call.func) or "").rpartition(".")[2].lower()
        return edits.fix([(arg, edits.rename_keyword(arg, name))], safe, f"rename l= to {name}=") if name in ("l1", "l2") else None
    special = SPECIAL_FIXES.get(kind)
    return special(matcher_, call, arg, spec) if special else None


def _decay_fix(matcher_: Matcher, call: cst.Call, arg: cst.Arg, spec: dict):
    """`Adam(lr, decay=d)` -> `Adam(learning_rate=InverseTimeDecay(lr, decay_steps=1,
    decay_rate=d))`: the Keras 2 formula lr / (1 + d * iterations), applied per step."""
    rate = syntax.keyword(call, "learning_rate") or syntax.keyword(call, "lr")
    positional = syntax.positional(call)
    if rate is None and positional:
        rate = positional[0]
    which = flavor(matcher_.state.qualified(call.func)) or STANDALONE
    spelled = matcher_.state.spell(which, "optimizers.schedules.InverseTimeDecay")
    if spelled is None or any(a.star for a in call.args):
        return None
    schedule_name, imports = spelled
    last = (cst_dotted(call.func) or "").rpartition(".")[2]
    initial = rate.value if rate is not None else cst.parse_expression(spec.get("defaults", {}).get(last, "0.001"))
    schedule = edits.expression(f"{schedule_name}({{0}}, decay_steps=1, decay_rate={{1}})", initial, arg.value)
    args = [a for a in call.args if a is not arg and a is not rate]
    new_rate = cst.Arg(keyword=cst.Name("learning_rate"), value=schedule,
                       equal=cst.AssignEqual(whitespace_before=cst.SimpleWhitespace(""),
                                             whitespace_after=cst.SimpleWhitespace("")))
    positional_args = [a for a in args if a.keyword is None and not a.star]
    rest = [a for a in args if a.keyword is not None or a.star]
    new_args = [*positional_args, new_rate, *rest]
    new_args = [a.with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))) for a in new_args[:-1]] + [
        new_args[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
    ]
    return edits.fix([(call, call.with_changes(args=new_args))], False,
                     "move decay into an InverseTimeDecay schedule", imports)


def _sequential_list_position(matcher_: Matcher, call: cst.Call) -> Optional[tuple[cst.List, int]]:
    """(the list, index) when `call` is an element of `Sequential([...])`'s layer list."""
    chain = matcher_.context.ancestors
    if len(chain) < 4 or not isinstance(chain[-2], cst.Element) or not isinstance(chain[-3], cst.List):
        return None
    element, listing, arg = chain[-2], chain[-3], chain[-4]
    outer = chain[-5] if len(chain) >= 5 else None
    if not isinstance(arg, cst.Arg) or not isinstance(outer, cst.Call) or matcher_.state.call_kind(outer) != SEQUENTIAL:
        return None
    return listing, next(i for i, e in enumerate(listing.elements) if e is element)


def _sequential_add(matcher_: Matcher, call: cst.Call):
    """When `call` is the layer of a statement `seq.add(<call>)` on a known Sequential:
    (that statement, the receiver, whether the layer is the model's first), where "first"
    is True when the statements before it in the same block lead back to `seq =
    Sequential()` (no layers) without touching `seq`, False when an earlier `seq.add(...)`
    or `Sequential([...])` with layers comes first, and None when it cannot be told."""
    arg, add, expression, line, block = (matcher_.parent(k) for k in range(1, 6))
    if type(arg) is not cst.Arg or type(add) is not cst.Call or syntax.method_call_name(add) != "add":
        return None
    receiver = add.func.value
    if not add.args or add.args[0] is not arg or type(receiver) is not cst.Name:
        return None
    if matcher_.state.kind_of(receiver) != SEQUENTIAL:
        return None
    if type(expression) is not cst.Expr or type(line) is not cst.SimpleStatementLine or len(line.body) != 1:
        return None
    body = getattr(block, "body", None)
    if not isinstance(body, (list, tuple)) or not any(statement is line for statement in body):
        return None
    name = receiver.value
    position = next(k for k, statement in enumerate(body) if statement is line)
    for statement in reversed(body[:position]):
        if not any(type(node) is cst.Name and node.value == name for node in walk(statement)):
            continue  # does not touch the model
        small = statement.body[0] if type(statement) is cst.SimpleStatementLine and len(statement.body) == 1 else None
        if type(small) is cst.Assign and len(small.targets) == 1 and type(small.targets[0].target) is cst.Name \
                and small.targets[0].target.value == name and type(small.value) is cst.Call:
            if matcher_.state.call_kind(small.value) != SEQUENTIAL:
                return line, receiver, None
            layers = syntax.keyword(small.value, "layers") or next(iter(syntax.positional(small.value)), None)
            if layers is None or (type(layers.value) in (cst.List, cst.Tuple) and not layers.value.elements):
                return line, receiver, True
            return line, receiver, False if type(layers.value) in (cst.List, cst.Tuple) else None
        if type(small) is cst.Expr and type(small.value) is cst.Call and syntax.method_call_name(small.value) == "add" \
                and type(small.value.func.value) is cst.Name and small.value.func.value.value == name:
            return line, receiver, False  # an earlier layer
        return line, receiver, None
    return line, receiver, None


def _input_first_fix(matcher_: Matcher, call: cst.Call, arg: cst.Arg, spec: dict):
    """Put `keras.Input(...)` first where the layer is a Sequential's first:
    `Sequential([Embedding(..., input_length=N), ...])` -> `Sequential([keras.Input(shape=(N,)),
    Embedding(...), ...])`, and `seq.add(Embedding(..., input_length=N))` right after `seq =
    Sequential()` -> `seq.add(keras.Input(shape=(N,)))` before it (both unsafe: the model is
    built at construction again, as in Keras 2). `LSTM(..., batch_input_shape=S)` likewise
    with `keras.Input(batch_shape=S)`. A layer that is not the first: the keyword is dropped
    (`drop_when_not_first`: Keras 2 ignored it there too) or left alone. A layer called
    directly (functional code): dropped, safe only with `safe_outside`."""
    description = f"remove {arg.keyword.value}="
    new_call = edits.without_args(call, [arg])
    found = _sequential_list_position(matcher_, call)
    added = _sequential_add(matcher_, call) if found is None else None
    if found is not None and found[1] != 0 or added is not None and added[2] is False:
        return edits.fix([(call, new_call)], True, description) if spec.get("drop_when_not_first") else None
    if added is not None and added[2] is None:
        return None  # maybe the first layer, maybe not: the author knows
    if found is None and added is None:
        if spec.get("needs_input") or _in_add(matcher_):
            return None
        return edits.fix([(call, new_call)], spec.get("safe_outside", False), description)
    which = flavor(matcher_.state.qualified(call.func)) or STANDALONE
    spelled = matcher_.state.spell(which, "Input")
    if spelled is None:
        return None
    name, imports = spelled
    input_call = cst.parse_expression(spec["input"].format(input=name, value=code_of(arg.value)))
    if added is not None:
        line, receiver, _ = added
        first = cst.SimpleStatementLine(body=[cst.Expr(edits.expression("{0}.add({1})", receiver, input_call))],
                                        leading_lines=line.leading_lines)
        second = line.deep_replace(call, new_call).with_changes(leading_lines=())
        return edits.fix([(line, cst.FlattenSentinel([first, second]))], False,
                         f"start the Sequential with {name}(...)", imports)
    listing, _ = found
    first = listing.elements[0]
    new_elements = [
        cst.Element(value=input_call, comma=first.comma if first.comma is not cst.MaybeSentinel.DEFAULT
                    else cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))),
        first.with_changes(value=new_call),
        *listing.elements[1:],
    ]
    return edits.fix([(listing, listing.with_changes(elements=new_elements))], False,
                     f"start the Sequential with {name}(...)", imports)


def _in_add(matcher_: Matcher) -> bool:
    """Whether the call being visited is the argument of some `.add(...)`."""
    outer = matcher_.parent(2)
    return type(outer) is cst.Call and syntax.method_call_name(outer) == "add"


SPECIAL_FIXES = {"decay": _decay_fix, "input_first": _input_first_fix}


# ---- method: a removed method on a known receiver --------------------------------------------
@matcher("positional")
class PositionalMatcher(Matcher):
    """Arguments given by position to parameters Keras 3 removed from a method's signature
    (`model.predict(x, 32, 0, None, None, 10, 1, False)`). Params: `names`: the Keras 2
    names of the removed positions, in order; `methods`: {method: (index of the first
    removed position, how many positions Keras 3 takes, the Keras 3 parameter the first
    removed position silently becomes when no TypeError stops the call, or "")};
    `evidence`: keywords one of which makes an unknown receiver a Keras model (else it must
    be known to be one)."""

    def visit_Call(self, node: cst.Call) -> None:
        method = syntax.method_call_name(node)
        spec = self.params["methods"].get(method) if method else None
        if spec is None:
            return
        first, keeps, becomes = spec
        names = self.params["names"]
        if any(arg.star for arg in node.args):
            return
        positional = syntax.positional(node)
        removed = positional[first:first + len(names)]
        if not removed:
            return
        if len(positional) <= keeps and type(removed[0].value) is not cst.Integer:
            return  # `evaluate(x, y, ..., True)`: Keras 3 code passing return_dict; a queue size is a number
        if self.state.kind_of(node.func.value) not in MODEL_KINDS:
            present = {arg.keyword.value for arg in node.args if arg.keyword is not None}
            if not present & frozenset(self.params.get("evidence", ())):
                return
        members = ", ".join(names[: len(removed)])
        written = code_of(node.func)
        fix = edits.fix([(node, edits.without_args(node, removed))], False, f"remove the positional {members}")
        if len(positional) <= keeps:  # no TypeError: the last one lands on a Keras 3 parameter
            text = self.entry.render(written=written, member=members, method=method, value=becomes,
                                        kind="positional-silent")
        else:
            text = self.entry.render(written=written, member=members, method=method, kind="positional",
                                        value=f"takes from {2 if method == 'predict' else 1} to {keeps + 1} "
                                              f"positional arguments but {len(positional) + 1} were given")
        self.flag(removed[0], text, fix=fix)


@matcher("method")
class MethodMatcher(Matcher):
    """Params: CallTarget params (`methods`, `receiver`, `unless_defined`, `evidence`,
    `self_methods`), `renames`: {old: new} (a safe rename), `rename_safe`, `keyword_renames`:
    {old: new} applied with the rename, `unsafe_with`: keywords that make the rename unsafe,
    `fix`: a special builder name, `outside`: method names whose calls inside them do not
    count (`call`)."""

    def __init__(self, rule, entry, params):
        super().__init__(rule, entry, params)
        self.target = CallTarget(self, params)
        self.names = frozenset(params.get("methods", ())) | frozenset(params.get("self_methods", ()))

    def visit_Call(self, node: cst.Call) -> None:
        method = syntax.method_call_name(node)
        if method not in self.names:
            return
        if self.params.get("outside"):
            found = self.context.current_method()
            if found is not None and found[1].name.value in self.params["outside"]:
                return
        if self.params.get("not_self") and self.state._self_owner(node.func.value) is not None:
            return
        label = self.target.label(node)
        if label is None:
            return
        if self.params.get("unless_receiver_defines") and self.state.receiver_defines(node.func.value, method):
            return  # the project's own method of that name (a Metric keeping a reset_states alias)
        receiver = code_of(node.func.value)
        fix = self._fix(node, method)
        hint = self.params.get("hints", {}).get(method) or self.params.get("renames", {}).get(method, "")
        kind = self.params.get("kind")
        if self.params.get("kind_by_receiver"):
            kind = self.params["kind_by_receiver"].get(self.state.kind_of(node.func.value), kind)
        self.flag(node.func, self.entry.render(written=f"{receiver}.{method}", member=method, hint=hint,
                                               kind=kind, owner=self.state.owner_phrase(node.func.value)), fix=fix)

    def _fix(self, call: cst.Call, method: str):
        special = self.params.get("fix")
        by_kind = self.params.get("fix_by_receiver")
        if by_kind and not special:
            special = by_kind.get(self.state.kind_of(call.func.value))
        if special:
            builder = METHOD_FIXES.get(special)
            return builder(self, call, method) if builder else None
        renames = self.params.get("renames", {})
        if method not in renames:
            return None
        kinds = self.params.get("rename_receiver")
        if kinds is not None and self.state.kind_of(call.func.value) not in kinds:
            return None
        new_call = call.with_changes(func=call.func.with_changes(attr=cst.Name(renames[method])))
        args = []
        for arg in new_call.args:
            new_name = self.params.get("keyword_renames", {}).get(arg.keyword.value if arg.keyword else None)
            args.append(edits.rename_keyword(arg, new_name) if new_name else arg)
        new_call = new_call.with_changes(args=args)
        present = {arg.keyword.value for arg in call.args if arg.keyword is not None}
        safe = self.params.get("rename_safe", True) and not (present & frozenset(self.params.get("unsafe_with", ())))
        return edits.fix([(call, new_call)], safe, f"use .{renames[method]}()")


def _unwrap_assign_fix(matcher_: Matcher, call: cst.Call, method: str):
    """`self.add_update(self.v.assign(x))` -> `self.v.assign(x)`."""
    args = syntax.positional(call)
    if len(call.args) != 1 or len(args) != 1:
        return None
    value = args[0].value
    if isinstance(value, cst.Call) and (syntax.method_call_name(value) or "").startswith("assign"):
        return edits.fix([(call, value)], True, "call the assignment directly")
    return None


def _loss_scale_fix(matcher_: Matcher, call: cst.Call, method: str):
    """`opt.get_scaled_loss(l)` -> `opt.scale_loss(l)`; `opt.get_unscaled_gradients(g)` -> `g`
    (Keras 3's apply_gradients unscales): unsafe, the two go together."""
    if method == "get_scaled_loss":
        return edits.fix([(call.func.attr, cst.Name("scale_loss"))], False, "use .scale_loss()")
    args = syntax.positional(call)
    if method == "get_unscaled_gradients" and len(call.args) == 1 and len(args) == 1:
        return edits.fix([(call, args[0].value)], False, "apply_gradients unscales in Keras 3")
    return None


def _minimize_fix(matcher_: Matcher, call: cst.Call, method: str):
    """`opt.minimize(loss, vars, tape=tape)` -> `opt.apply_gradients(zip(tape.gradient(loss,
    vars), vars))` when `vars` is a plain name or attribute (evaluated twice)."""
    if method != "minimize":
        return None
    tape = syntax.keyword(call, "tape")
    args = syntax.positional(call)
    variables = syntax.keyword(call, "var_list")
    if tape is None or not args:
        return None
    loss = args[0].value
    variables = variables.value if variables is not None else (args[1].value if len(args) > 1 else None)
    if variables is None or cst_dotted(variables) is None or len(call.args) != 3:
        return None
    new = edits.expression("{0}.apply_gradients(zip({1}.gradient({2}, {3}), {3}))",
                           call.func.value, tape.value, loss, variables)
    return edits.fix([(call, new)], False, "take the gradients with the tape and apply them")


def _reset_layers_fix(matcher_: Matcher, call: cst.Call, method: str):
    """`model.reset_states()` as a statement of its own -> a loop resetting the layers that
    have state (what Keras 2's Model.reset_states did, minus nested models):
    `for layer in model.layers: if hasattr(layer, "reset_states"): layer.reset_states()`."""
    expression, line = matcher_.parent(1), matcher_.parent(2)
    if call.args or cst_dotted(call.func.value) is None:
        return None
    if type(expression) is not cst.Expr or type(line) is not cst.SimpleStatementLine or len(line.body) != 1:
        return None
    variable = matcher_.state.fresh_name("layer")
    loop = edits.statement(
        f"for {variable} in {{0}}.layers:\n    if hasattr({variable}, \"reset_states\"):\n        {variable}.reset_states()\n",
        call.func.value)
    inner_if = loop.body.body[0]
    inner_line = inner_if.body.body[0].with_changes(trailing_whitespace=line.trailing_whitespace)
    loop = loop.with_changes(
        leading_lines=line.leading_lines,
        body=loop.body.with_changes(body=[inner_if.with_changes(body=inner_if.body.with_changes(body=[inner_line]))]),
    )
    return edits.fix([(line, loop)], False, "reset the stateful layers one by one")


METHOD_FIXES = {"unwrap_assign": _unwrap_assign_fix, "loss_scale": _loss_scale_fix, "minimize": _minimize_fix,
                "reset_layers": _reset_layers_fix}


