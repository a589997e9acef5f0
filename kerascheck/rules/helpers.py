"""Small syntax questions several rules ask. Shared here so no rule copies another."""
from __future__ import annotations

import re
from typing import Iterator, Optional, Sequence

import libcst as cst

from kerascheck.cstwalk import syntax_children
from kerascheck.cstwalk import syntax_walk as walk  # rules scan syntax, never layout
from kerascheck.semantic import knowledge
from kerascheck.semantic.names import cst_dotted, resolves_to


def params(function: cst.FunctionDef) -> list[cst.Param]:
    p = function.params
    return [*p.posonly_params, *p.params, *p.kwonly_params]


def param_names(function: cst.FunctionDef) -> list[str]:
    return [param.name.value for param in params(function)]


def find_param(function: cst.FunctionDef, name: str) -> Optional[cst.Param]:
    return next((param for param in params(function) if param.name.value == name), None)


def self_name(function: cst.FunctionDef) -> Optional[str]:
    """The name the method calls its instance (`self` by convention)."""
    p = function.params
    first = (p.posonly_params or p.params or (None,))[0]
    return first.name.value if first is not None else None


def star_kwargs_name(function: cst.FunctionDef) -> Optional[str]:
    star = function.params.star_kwarg
    return star.name.value if star is not None else None


def methods(class_def: cst.ClassDef) -> dict[str, cst.FunctionDef]:
    """Methods defined directly in the class body, by name (the last definition wins)."""
    body = class_def.body
    if not isinstance(body, cst.IndentedBlock):
        return {}
    return {item.name.value: item for item in body.body if isinstance(item, cst.FunctionDef)}


def rooted_at(expression: cst.BaseExpression, name: str) -> bool:
    """Whether `expression` is `name.a`, `name.a[i]`, `name.a.b[...]`... (not `name` alone)."""
    node = expression
    depth = 0
    while isinstance(node, (cst.Attribute, cst.Subscript)):
        node = node.value
        depth += 1
    return depth > 0 and isinstance(node, cst.Name) and node.value == name


def first_attribute(expression: cst.BaseExpression) -> Optional[str]:
    """`a` for `self.a.b[0]`: the attribute right after the root name."""
    node = expression
    last = None
    while isinstance(node, (cst.Attribute, cst.Subscript)):
        if isinstance(node, cst.Attribute):
            last = node.attr.value
        node = node.value
    return last


def keyword(call: cst.Call, name: str) -> Optional[cst.Arg]:
    return next((arg for arg in call.args if arg.keyword and arg.keyword.value == name), None)


def positional(call: cst.Call) -> list[cst.Arg]:
    return [arg for arg in call.args if arg.keyword is None and not arg.star]


def callee_name(call: cst.Call) -> Optional[str]:
    """`self.dense` for `self.dense(x)`, `tf.nn.dropout` for `tf.nn.dropout(x)`."""
    return cst_dotted(call.func)


def method_call_name(call: cst.Call) -> Optional[str]:
    """`append` for `anything.append(x)`."""
    return call.func.attr.value if type(call.func) is cst.Attribute else None


def assign_targets(statement: cst.CSTNode) -> Sequence[cst.BaseExpression]:
    kind = type(statement)
    if kind is cst.Assign:
        return [target.target for target in statement.targets]
    if kind is cst.AnnAssign or kind is cst.AugAssign:
        return [statement.target]
    return []


def bound_names(node: cst.CSTNode) -> list[str]:
    """The names one node binds: assignment, loop, with, except and comprehension
    targets, walrus, imports, definitions, parameters, `global`/`nonlocal`. Dispatched
    on the exact node type: it runs on every node of a module."""
    binder = _BINDERS.get(type(node))
    return binder(node) if binder is not None else []


def names_bound_below(scope: cst.CSTNode) -> set[str]:
    """Every name bound anywhere below `scope` (see bound_names)."""
    found: set[str] = set()
    for node in walk(scope):
        binder = _BINDERS.get(type(node))
        if binder is not None:
            found.update(binder(node))
    return found


def _target_names(target: cst.BaseExpression) -> list[str]:
    names = []
    for flat in flatten_targets([target]):
        if type(flat) is cst.StarredElement:
            flat = flat.value
        if type(flat) is cst.Name:
            names.append(flat.value)
    return names


def _import_alias_names(node: cst.ImportAlias) -> list[str]:
    if node.asname is not None:
        return []  # the AsName below it binds the name
    dotted = cst_dotted(node.name)
    return [dotted.split(".")[0]] if dotted else []


_BINDERS = {
    cst.AssignTarget: lambda node: _target_names(node.target),
    cst.AnnAssign: lambda node: _target_names(node.target),
    cst.AugAssign: lambda node: _target_names(node.target),
    cst.For: lambda node: _target_names(node.target),
    cst.CompFor: lambda node: _target_names(node.target),
    cst.AsName: lambda node: _target_names(node.name),
    cst.NamedExpr: lambda node: _target_names(node.target),
    cst.Param: lambda node: [node.name.value],
    cst.FunctionDef: lambda node: [node.name.value],
    cst.ClassDef: lambda node: [node.name.value],
    cst.ImportAlias: _import_alias_names,
    cst.Global: lambda node: [item.name.value for item in node.names],
    cst.Nonlocal: lambda node: [item.name.value for item in node.names],
}


_SEQUENCE_DISPLAYS = frozenset({cst.Tuple, cst.List})


def flatten_targets(targets: Sequence[cst.BaseExpression]) -> Iterator[cst.BaseExpression]:
    """`a, (b, c) = ...` -> a, b, c."""
    for target in targets:
        if type(target) in _SEQUENCE_DISPLAYS:
            yield from flatten_targets([element.value for element in target.elements])
        else:
            yield target


def is_super_call(call: cst.Call, method: str) -> bool:
    """`super().method(...)` or `super(Cls, self).method(...)`."""
    func = call.func
    return is_super_attribute(func) and func.attr.value == method


def is_super_attribute(node: cst.BaseExpression) -> bool:
    """`super().<name>` or `super(Cls, self).<name>`. (Plain isinstance tests: importing
    libcst.matchers alone costs half a second, a warm cached run in all.)"""
    return (
        isinstance(node, cst.Attribute)
        and isinstance(node.value, cst.Call)
        and isinstance(node.value.func, cst.Name)
        and node.value.func.value == "super"
    )


def string_value(node: cst.BaseExpression) -> Optional[str]:
    """The value of a plain string literal, else None."""
    if isinstance(node, cst.SimpleString):
        try:
            return node.evaluated_value if isinstance(node.evaluated_value, str) else None
        except Exception:
            return None
    return None


# An exact type test: isinstance() against libcst's node classes goes through ABCMeta, a
# Python-level call per test, and walk_scope asks it of every node.
_NEW_SCOPES = frozenset({cst.FunctionDef, cst.ClassDef, cst.Lambda})


def walk_scope(node: cst.CSTNode) -> Iterator[cst.CSTNode]:
    """Like :func:`walk` (source order), but does not enter nested functions, classes or
    lambdas: what runs in this function's own frame."""
    stack = syntax_children(node)
    stack.reverse()
    while stack:
        current = stack.pop()
        yield current
        if current.__class__ not in _NEW_SCOPES:
            kids = syntax_children(current)
            if kids:
                kids.reverse()
                stack.extend(kids)


def self_attribute(expression: cst.CSTNode, owner: Optional[str]) -> Optional[str]:
    """`w` when `expression` is exactly `owner.w` (`self.w`), else None."""
    if (
        owner
        and isinstance(expression, cst.Attribute)
        and isinstance(expression.value, cst.Name)
        and expression.value.value == owner
    ):
        return expression.attr.value
    return None


def names_in(node: cst.CSTNode) -> set[str]:
    """Plain names an expression reads (`x` and `self` in `f(x, y=self.w)`, not `w`, `y`)."""
    found = set()
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, cst.Name):
            found.add(current.value)
        elif isinstance(current, cst.Attribute):
            stack.append(current.value)
        elif isinstance(current, cst.Arg):
            stack.append(current.value)
        else:
            stack.extend(syntax_children(current))
    return found


def weight_creator(module, call: cst.Call, owner: Optional[str]) -> Optional[str]:
    """How `call` creates a variable: "add_weight" for `owner.add_weight(...)` /
    `owner.add_variable(...)`, "tf.Variable" or "keras.Variable"; None if it does not."""
    if method_call_name(call) in ("add_weight", "add_variable") and owner:
        if isinstance(call.func.value, cst.Name) and call.func.value.value == owner:
            return "add_weight"
    qualified = module.qualified_name(call.func)
    if resolves_to(qualified, knowledge.TF_VARIABLE):
        return "tf.Variable"
    if resolves_to(qualified, knowledge.KERAS_VARIABLE):
        return "keras.Variable"
    return None


_ASSIGNMENTS = frozenset({cst.Assign, cst.AnnAssign, cst.AugAssign})


def self_attribute_values(class_def: cst.ClassDef) -> dict[str, list[cst.BaseExpression]]:
    """What each `self.<name>` of a class is given in any of its methods: `self.x = v`,
    `self.x: T = v`, `self.x += v`, `self.x[k] = v`, `self.x.append(v)`, and the matching
    elements of `self.a, self.b = va, vb`. Name -> values, in source order."""
    found: dict[str, list[cst.BaseExpression]] = {}
    for method in methods(class_def).values():
        owner = self_name(method)
        if owner is None:
            continue
        for node in walk(method.body):
            pairs: list[tuple[cst.BaseExpression, Optional[cst.BaseExpression]]] = []
            kind = type(node)
            if kind in _ASSIGNMENTS:
                pairs = _target_value_pairs(assign_targets(node), node.value)
            elif kind is cst.Call and method_call_name(node) in ("append", "extend", "insert"):
                pairs = [(node.func.value, arg.value) for arg in node.args]
            for target, value in pairs:
                if value is not None and rooted_at(target, owner):
                    attribute = first_attribute(target)
                    if attribute:
                        found.setdefault(attribute, []).append(value)
    return found


def _target_value_pairs(targets, value):
    """(target, value) pairs of an assignment, matching `a, b = x, y` element-wise."""
    pairs = []
    for target in targets:
        if (
            isinstance(target, (cst.Tuple, cst.List))
            and isinstance(value, (cst.Tuple, cst.List))
            and len(target.elements) == len(value.elements)
        ):
            for element, element_value in zip(target.elements, value.elements):
                pairs.extend(_target_value_pairs([element.value], element_value.value))
        else:
            pairs.append((target, value))
    return pairs


def layers_constructed(module, expression: cst.CSTNode) -> list[tuple[object, cst.Call]]:
    """Keras layers an expression constructs, anywhere inside it (`Sequential([Dense(4),
    Dropout(0.1)])` -> Sequential, Dense, Dropout): (built-in class name such as
    "Dropout", or the ClassKey of an in-tree Keras class, the constructing call)."""
    found = []
    for node in walk(expression):
        if isinstance(node, cst.Call):
            builtin = module.builtin_layer(node.func)
            if builtin:
                found.append((builtin, node))
                continue
            key = module.tree_keras_class(node.func)
            if key is not None:
                found.append((key, node))
    return found


# ---- where a node sits: the Keras method around it, and training tests on the way ------
def enclosing_keras_method(context):
    """(KerasClass, method) for the method of a Keras class whose body lexically holds the
    node being visited, through nested functions and lambdas (unlike
    `context.current_method()`, which stops at the innermost function); None when a
    nested class comes first or there is no such method."""
    chain = context.ancestors
    for position in range(len(chain) - 1, -1, -1):
        node = chain[position]
        if isinstance(node, cst.ClassDef):
            return None
        if isinstance(node, cst.FunctionDef) and position >= 2 and isinstance(chain[position - 2], cst.ClassDef):
            keras_class = context.module.keras_class(chain[position - 2])
            return (keras_class, node) if keras_class is not None else None
    return None


_TRAINING_PARAM = re.compile(r"(^|_)train(ing)?($|_)|^deterministic$", re.I)


def training_names(function: Optional[cst.FunctionDef]) -> frozenset[str]:
    """Names that carry the training flag in `function`: `training`, plus parameters such
    as `is_training`, `train`, `training_mode` or `deterministic` (never `trainable`)."""
    found = {"training"}
    if function is not None:
        found.update(name for name in param_names(function) if _TRAINING_PARAM.search(name))
    return frozenset(found)


def mentions_training(node: cst.CSTNode, names=("training",)) -> bool:
    """Whether an expression reads the training flag: a name in `names` (also as an
    attribute, `self.training`) or the learning phase (`K.learning_phase()`). Keyword
    names of arguments (`f(training=x)`) are not reads."""
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, cst.Name):
            if current.value in names or current.value in knowledge.LEARNING_PHASE_NAMES:
                return True
        elif isinstance(current, cst.Arg):
            stack.append(current.value)
        else:
            stack.extend(syntax_children(current))
    return False


def training_switch(module, call: cst.Call, names=("training",)) -> bool:
    """Whether `call` chooses a branch on training: `tf.cond`/`smart_cond`/`ops.cond` with
    the training flag among its arguments, or `K.in_train_phase`/`in_test_phase`."""
    dotted = cst_dotted(call.func) or ""
    bare = dotted.rpartition(".")[2]
    if bare in knowledge.LEARNING_PHASE_SWITCH_NAMES:
        return True
    if bare not in knowledge.TRAINING_SWITCH_NAMES and not resolves_to(
        module.qualified_name(call.func), knowledge.TRAINING_SWITCHES
    ):
        return False
    return any(mentions_training(arg.value, names) for arg in call.args)


def walk_with_chain(node: cst.CSTNode) -> Iterator[tuple[cst.CSTNode, tuple]]:
    """Every node below `node` with its chain of ancestors (from `node`, itself included)."""
    stack = [(node, (node,))]
    while stack:
        current, chain = stack.pop()
        yield current, chain
        stack.extend((child, chain + (child,)) for child in reversed(syntax_children(current)))


def under_training_test(context, names=("training",)) -> bool:
    """Whether the node being visited only runs (or only counts) on one side of a test of
    the training flag: inside `if training:` (either branch), `a if training else b`,
    `training and a`, the arguments of a training switch (`tf.cond(training, ...)`,
    `K.in_train_phase(...)`), after an early `if not training: return ...`, or in a
    nested function that is only used under such a test."""
    if isinstance(names, str):
        names = (names,)
    return chain_under_training_test(context.module, context.ancestors, names)


def chain_under_training_test(module, chain, names=("training",)) -> bool:
    """:func:`under_training_test` for an explicit chain of ancestors (the node last)."""
    for position in range(len(chain) - 1, 0, -1):
        child, parent = chain[position], chain[position - 1]
        if isinstance(parent, cst.ClassDef):
            return False
        if isinstance(parent, (cst.If, cst.IfExp)) and child is not parent.test:
            if mentions_training(parent.test, names):
                return True
        elif isinstance(parent, cst.BooleanOperation) and child is parent.right:
            if mentions_training(parent.left, names):
                return True
        elif isinstance(parent, cst.Call) and child is not parent.func:
            if training_switch(module, parent, names):
                return True
        elif isinstance(parent, (cst.IndentedBlock, cst.Module)):
            if _training_exit_before(parent.body, child, names):
                return True
        if isinstance(child, cst.FunctionDef) and not (
            position >= 2 and isinstance(chain[position - 2], cst.ClassDef)
        ):
            scope = next(
                (node for node in reversed(chain[:position]) if isinstance(node, (cst.FunctionDef, cst.Module))),
                None,
            )
            if scope is not None and name_used_under_training_test(module, scope, child.name.value, names, child):
                return True
    return False


def name_used_under_training_test(module, scope, name: str, names=("training",), skip=None) -> bool:
    """Whether some read of `name` in `scope` sits under a training test (a nested
    `def dropped(): ...` passed to `K.in_train_phase`, a result picked by `tf.cond`)."""
    for node, chain in walk_with_chain(scope):
        if node is skip:
            continue
        if isinstance(node, cst.Name) and node.value == name and not _is_binding(chain):
            if chain_under_training_test(module, chain, names):
                return True
    return False


def _is_binding(chain) -> bool:
    """Whether the Name ending `chain` is a definition's name or a keyword, not a read."""
    if len(chain) < 2:
        return False
    name, parent = chain[-1], chain[-2]
    if isinstance(parent, (cst.FunctionDef, cst.ClassDef)) and parent.name is name:
        return True
    if isinstance(parent, cst.Arg) and parent.keyword is name:
        return True
    if isinstance(parent, cst.AssignTarget) and parent.target is name:
        return True
    if isinstance(parent, cst.Attribute) and parent.attr is name:
        return True
    return False


def _training_exit_before(statements, child, names) -> bool:
    """An `if <training test>: ... return/raise` among the statements before `child`."""
    for statement in statements:
        if statement is child:
            return False
        if isinstance(statement, cst.If) and mentions_training(statement.test, names):
            if _always_exits(statement.body):
                return True
    return False


def _always_exits(block) -> bool:
    if isinstance(block, cst.SimpleStatementSuite):
        return any(isinstance(small, (cst.Return, cst.Raise)) for small in block.body)
    if isinstance(block, cst.IndentedBlock) and block.body:
        last = block.body[-1]
        if isinstance(last, cst.SimpleStatementLine):
            return any(isinstance(small, (cst.Return, cst.Raise)) for small in last.body)
    return False


# ---- the parent class's methods (KC301, KC302, KC304) ---------------------------------------
def is_parent_call(call: cst.Call, method: str, owner: Optional[str]) -> bool:
    """`super().method(...)`, `super(Cls, self).method(...)`, or `Base.method(self, ...)`
    (keras-hub style) where `owner` is the name the method calls its instance."""
    if is_super_call(call, method):
        return True
    if owner is None or method_call_name(call) != method:
        return False
    base = call.func.value
    if cst_dotted(base) is None or (isinstance(base, cst.Name) and base.value == owner):
        return False
    arguments = positional(call)
    return bool(arguments) and isinstance(arguments[0].value, cst.Name) and arguments[0].value.value == owner


def parent_calls(function: cst.FunctionDef, method: str) -> list[cst.Call]:
    """The calls of the parent class's `method` in `function`'s own frame, in source order."""
    owner = self_name(function)
    return [
        node
        for node in walk_scope(function.body)
        if isinstance(node, cst.Call) and is_parent_call(node, method, owner)
    ]


# Real methods a near miss of `__init__` may be: `__exit__` (2 edits), `__int__` (1 edit,
# the int() conversion; callers decide whether a given `__int__` is a constructor).
_INIT_LOOKALIKES = frozenset({"__exit__"})


def is_init_misspelling(name: str) -> bool:
    """`__init`, `__init_`, `_init_`, `__int__`, `__inti__`, `__Init__`...: within two edits
    of `__init__`, underscored like a dunder, and not another real method."""
    return (
        name != "__init__"
        and name.startswith("_")
        and name not in _INIT_LOOKALIKES
        and typo_distance(name.lower(), "__init__") <= 2
    )


def import_bindings(statement) -> list[tuple[Optional[str], str, str, cst.CSTNode]]:
    """What an absolute `import`/`from ... import` statement binds, per imported name:
    (local name, what the local name means, the full dotted name imported, its node).
    `import a.b` -> ("a", "a", "a.b"); `import a.b as x` -> ("x", "a.b", "a.b");
    `from a import b as y` -> ("y", "a.b", "a.b"); `from a import *` -> (None, "a", "a").
    Relative imports (`from . import x`) name the linted tree, not a library: []."""
    found = []
    if isinstance(statement, cst.Import):
        for alias in statement.names:
            full = cst_dotted(alias.name)
            if full is None:
                continue
            if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                found.append((alias.asname.name.value, full, full, alias.name))
            else:
                head = full.split(".")[0]
                found.append((head, head, full, alias.name))
    elif isinstance(statement, cst.ImportFrom) and not statement.relative and statement.module is not None:
        module = cst_dotted(statement.module)
        if module is None:
            return found
        if isinstance(statement.names, cst.ImportStar):
            return [(None, module, module, statement.module)]
        for alias in statement.names:
            name = cst_dotted(alias.name)
            if name is None:
                continue
            local = alias.asname.name.value if alias.asname is not None and isinstance(alias.asname.name, cst.Name) else name
            found.append((local, f"{module}.{name}", f"{module}.{name}", alias.name))
    return found


def sublayer_aliases(function: cst.FunctionDef, owner: Optional[str]) -> dict[str, str]:
    """Local names of `function` that stand for a `self` attribute: loop variables over
    `self.blocks` (also `enumerate(self.blocks)`/`reversed(...)`) and `layer = self.x`.
    Local name -> attribute."""
    aliases: dict[str, str] = {}
    if owner is None:
        return aliases
    for node in walk_scope(function):
        kind = type(node)
        if kind is cst.For or kind is cst.CompFor:
            source, target = node.iter, node.target
            if isinstance(source, cst.Call) and callee_name(source) in ("enumerate", "reversed", "list") and source.args:
                source = source.args[0].value
                if isinstance(target, cst.Tuple) and len(target.elements) == 2 and callee_name(node.iter) == "enumerate":
                    target = target.elements[1].value
            if isinstance(target, cst.Name) and rooted_at(source, owner):
                aliases[target.value] = first_attribute(source)
        elif kind is cst.Assign and len(node.targets) == 1:
            target = node.targets[0].target
            if type(target) is cst.Name and rooted_at(node.value, owner):
                aliases[target.value] = first_attribute(node.value)
    return aliases


def sublayer_called(call: cst.Call, owner: Optional[str], aliases: dict[str, str]) -> Optional[str]:
    """The `self` attribute a call invokes as a layer: `self.x(...)`, `self.x[i](...)`,
    or a local alias from :func:`sublayer_aliases`; None for anything else (methods of
    a sub-layer such as `self.x.call(...)`, plain functions)."""
    func = call.func
    while isinstance(func, cst.Subscript):
        func = func.value
    if isinstance(func, cst.Name):
        return aliases.get(func.value)
    return self_attribute(func, owner)


def training_sensitive_label(index, layer) -> Optional[str]:
    """For a layer from :func:`layers_constructed`: its name when it behaves differently
    in training (a built-in Dropout/BatchNormalization/..., or an in-tree class that
    builds one or whose `call` takes `training`), else None."""
    if isinstance(layer, str):
        return layer if layer in knowledge.TRAINING_SENSITIVE_LAYERS else None
    return layer.name if index.is_training_sensitive(layer) else None


def training_sensitive_attributes(module, class_def: cst.ClassDef) -> dict[str, str]:
    """`self` attributes of a class that hold a training-sensitive layer (also inside a
    list or a `Sequential`): attribute -> the sensitive layer's name."""
    found: dict[str, str] = {}
    for attribute, values in self_attribute_values(class_def).items():
        labels = [_sensitive_value_label(module, value) for value in values]
        if any(label == "" for label in labels):
            continue  # also given a plain layer (`Identity()` in another branch): it depends
        label = next(filter(None, labels), None)
        if label:
            found[attribute] = label
    return found


def _sensitive_value_label(module, value: cst.BaseExpression) -> Optional[str]:
    """The sensitive layer a value builds (named with its container: "Sequential with
    Dropout"); "" when the value is a layer that is not sensitive; None otherwise."""
    built = layers_constructed(module, value)
    for layer, constructor in built:
        label = training_sensitive_label(module.index, layer)
        if label is None:
            continue
        if isinstance(value, cst.Call) and constructor is not value:
            label = f"{(callee_name(value) or '?').rpartition('.')[2]} with {label}"
        return label
    if built and built[0][1] is value:
        return ""
    return None


def calls_parent(expression: cst.CSTNode, function: cst.FunctionDef, method: str) -> bool:
    """Whether `expression` (inside `function`) calls the parent class's `method`."""
    owner = self_name(function)
    return any(isinstance(node, cst.Call) and is_parent_call(node, method, owner) for node in walk(expression))


_FILLING_METHODS = frozenset({"update", "setdefault", "__setitem__", "extend", "append"})


def carriers(function: cst.FunctionDef, seeds=(), parent_method: Optional[str] = None) -> set[str]:
    """Names of `function` whose value is built from one of `seeds` or from a call of the
    parent's `parent_method`: assigned from an expression mentioning it, filled with it
    (`x.update(it)`, `x[k] = it`), or looped over it (`for k, v in kwargs.items()`)."""
    found = set(seeds)
    nodes = list(walk_scope(function.body))

    def carries(expression: cst.CSTNode) -> bool:
        if names_in(expression) & found:
            return True
        return parent_method is not None and calls_parent(expression, function, parent_method)

    changed = True
    while changed:
        changed = False
        for node in nodes:
            pairs: list = []
            if isinstance(node, (cst.Assign, cst.AnnAssign, cst.AugAssign)) and node.value is not None:
                pairs = [(target, node.value) for target in assign_targets(node)]
            elif isinstance(node, (cst.For, cst.CompFor)):
                pairs = [(node.target, node.iter)]
            elif isinstance(node, cst.NamedExpr):
                pairs = [(node.target, node.value)]
            elif isinstance(node, cst.Call) and method_call_name(node) in _FILLING_METHODS:
                pairs = [(node.func.value, arg.value) for arg in node.args]
            for target, value in pairs:
                if carries(value):
                    for name in target_roots(target):
                        if name not in found:
                            found.add(name)
                            changed = True
    return found


def target_roots(target: cst.CSTNode) -> list[str]:
    """`x` for `x`, `x[k]`, `x.a`; every name of `a, (b, c)`."""
    roots = []
    for flat in flatten_targets([target]):
        node = flat.value if isinstance(flat, cst.StarredElement) else flat
        while isinstance(node, (cst.Attribute, cst.Subscript)):
            node = node.value
        if isinstance(node, cst.Name):
            roots.append(node.value)
    return roots


def returns(function: cst.FunctionDef) -> list[cst.Return]:
    """The `return` statements of `function`'s own frame."""
    return [node for node in walk_scope(function.body) if isinstance(node, cst.Return)]


def merges_parent_config(get_config: cst.FunctionDef) -> bool:
    """Whether some value `get_config` returns is built from `super().get_config()` (or
    `Base.get_config(self)`): `config = super().get_config(); config.update(...)`,
    `{**base_config, ...}`, `dict(list(base_config.items()) + ...)`..."""
    built = carriers(get_config, parent_method="get_config")
    return any(
        names_in(node.value) & built or calls_parent(node.value, get_config, "get_config")
        for node in returns(get_config)
        if node.value is not None
    )


def throwaway_class(context, class_def: cst.ClassDef) -> bool:
    """Whether the class being visited is defined inside a function (a test's or a
    builder's local helper that is never looked up by name when loading), unless it is
    registered for serialization (`@keras.saving.register_keras_serializable()`)."""
    if not any(isinstance(node, cst.FunctionDef) for node in context.ancestors[:-1]):
        return False
    for decorator in class_def.decorators:
        expression = decorator.decorator
        dotted = cst_dotted(expression.func if isinstance(expression, cst.Call) else expression) or ""
        if dotted.rpartition(".")[2] == "register_keras_serializable":
            return False
    return True


def typo_distance(left: str, right: str) -> int:
    """Edit distance counting a swap of two adjacent letters as one edit, like the other
    typos (insertion, deletion, substitution): `bulit` is one typo away from `built`."""
    rows = [list(range(len(right) + 1))]
    for i, a in enumerate(left, 1):
        row = [i]
        for j, b in enumerate(right, 1):
            cost = min(rows[-1][j] + 1, row[j - 1] + 1, rows[-1][j - 1] + (a != b))
            if i > 1 and j > 1 and a == right[j - 2] and left[i - 2] == b:
                cost = min(cost, rows[-2][j - 2] + 1)
            row.append(cost)
        rows.append(row)
    return rows[-1][-1]


def misspelled_init_calls(function: cst.FunctionDef) -> list[cst.Call]:
    """`super().__init(...)`, `super(C, self).__int__(...)`... in `function`'s own frame."""
    return [
        node
        for node in walk_scope(function.body)
        if isinstance(node, cst.Call)
        and is_super_attribute(node.func)
        and is_init_misspelling(node.func.attr.value)
    ]


# ---- building fixes (rules offer them with their findings) ----------------------------------
_NO_SPACE = cst.SimpleWhitespace("")


def as_keyword(arg: cst.Arg, name: str) -> cst.Arg:
    """`value` -> `name=value`, keeping the argument's comma and spacing."""
    return arg.with_changes(keyword=cst.Name(name), equal=cst.AssignEqual(whitespace_before=_NO_SPACE, whitespace_after=_NO_SPACE))


def _comma_like(previous) -> cst.Comma:
    """The comma to put after `previous` (an Arg or Param) when something follows it."""
    comma = previous.comma
    return comma if isinstance(comma, cst.Comma) else cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))


def with_last_arg(call: cst.Call, arg: cst.Arg) -> cst.Call:
    """`call` with `arg` appended; a trailing comma and one-argument-per-line layout are kept."""
    args = list(call.args)
    if not args:
        return call.with_changes(args=[arg])
    last = args[-1]
    if isinstance(last.comma, cst.Comma):  # `f(\n    a,\n)`: the new argument takes the trailing comma
        if len(args) > 1 and isinstance(args[-2].comma, cst.Comma):
            before = args[-2].comma
        else:
            before = last.comma.with_changes(whitespace_after=call.whitespace_before_args)
        args[-1] = last.with_changes(comma=before)
        return call.with_changes(args=[*args, arg.with_changes(comma=last.comma)])
    args[-1] = last.with_changes(comma=_comma_like(last))
    return call.with_changes(args=[*args, arg])


def with_star_kwarg(parameters: cst.Parameters, name: str) -> Optional[cst.Parameters]:
    """`parameters` with `**name` added at the end (there must be none yet); a trailing
    comma and one-parameter-per-line layout are kept. None when the last parameter is
    positional-only (`/` would need moving)."""
    if parameters.star_kwarg is not None or (
        parameters.posonly_params and not (parameters.params or parameters.star_arg or parameters.kwonly_params)
    ):
        return None
    before = [*parameters.posonly_params, *parameters.params]
    if isinstance(parameters.star_arg, (cst.Param, cst.ParamStar)):
        before.append(parameters.star_arg)
    before.extend(parameters.kwonly_params)
    star = cst.Param(name=cst.Name(name), star="**")
    if not before:
        return parameters.with_changes(star_kwarg=star)
    last = before[-1]
    if isinstance(last.comma, cst.Comma):
        previous = before[-2].comma if len(before) > 1 and isinstance(before[-2].comma, cst.Comma) else last.comma
        star = star.with_changes(comma=last.comma)
        new_last = last.with_changes(comma=previous)
    else:
        new_last = last.with_changes(comma=_comma_like(last))
    return _replace_param(parameters, last, new_last).with_changes(star_kwarg=star)


def _replace_param(parameters: cst.Parameters, old, new) -> cst.Parameters:
    if parameters.star_arg is old:
        return parameters.with_changes(star_arg=new)
    for field in ("posonly_params", "params", "kwonly_params"):
        values = list(getattr(parameters, field))
        if any(value is old for value in values):
            return parameters.with_changes(**{field: [new if value is old else value for value in values]})
    return parameters
