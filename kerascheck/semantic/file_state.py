"""Receiver kinds, Keras flavours and version guards of one file: what the KC5xx rules ask,
computed once per file and shared by them.

- `FileState.of(context)`: whether the migration rules run on this module at all
  (target-keras, project pins, the module's own Keras 2 / Keras 3 markers);
- `flavor(qualified)`: which Keras a reference is spelled with (standalone `keras`, the
  `tf.keras` shim, or `tf_keras`);
- `kind_of(expr)`: what a receiver is (a Sequential, a functional model, any model, an
  optimizer, a layer, a metric, a loss-scale optimizer), from the semantic model, the
  assignments of the enclosing scopes and what the project's functions return; None when
  unknown, and the matchers stay silent;
- `guarded()`: whether the node being visited sits in code that only runs on Keras 2 (a
  version test, a `hasattr` test, an import fallback);
- `spell(flavor, path)`: how to write `keras.<path>` in this file for a fix, and the
  import it needs.
"""
from __future__ import annotations

import re
import weakref
from typing import Optional

import libcst as cst

from kerascheck.cstwalk import walk
from kerascheck.semantic import knowledge, syntax, target
from kerascheck.semantic.names import canonical_keras_name, cst_dotted, keras_class_name
from kerascheck.semantic.project import ClassKey, External, ModuleRef

STANDALONE, SHIM, TF_KERAS = "keras", "tf.keras", "tf_keras"

# Receiver kinds.
SEQUENTIAL, FUNCTIONAL, MODEL, OPTIMIZER, LAYER, MODEL_LAYER, METRIC, LOSS_SCALE = (
    "sequential", "functional", "model", "optimizer", "layer", "model-layer", "metric", "loss-scale-optimizer"
)
MODEL_KINDS = frozenset({SEQUENTIAL, FUNCTIONAL, MODEL})
# LAYER: a layer constructed here; MODEL_LAYER: one taken from a model (`model.layers[i]`,
# `model.get_layer(...)`, `for layer in model.layers`), whose class is unknown.

# A test that picks code by Keras version (`keras.__version__`, `version.parse(tf.__version__)`,
# `hasattr(model, "fit_generator")`, `IS_KERAS_2`, `tf_keras` availability)...
# `IS_TF1`, `tf2.enabled()` (TensorFlow 1 vs 2 switches) too.
_VERSION_TEST = re.compile(
    r"__version__|\bversion\b|VERSION|hasattr\s*\(|keras_?[23]\b|legacy|tf_keras|(?<![a-z0-9])tf_?[12](?![a-z0-9])", re.I)
# `tf.executing_eagerly()` (also `tf.compat.v1.` and `..._outside_functions`): False only in
# TF 1 graph mode, which Keras 3 never runs in.
_EAGER_TESTS = frozenset({"executing_eagerly", "executing_eagerly_outside_functions"})
# ...except `hasattr(keras.optimizers, "legacy")`: that stub module exists in Keras 3 too.
_NOT_A_GUARD = re.compile(r"""hasattr\s*\([^()]*optimizers\s*,\s*["']legacy["']\s*\)""")
_IMPORT_ERRORS = frozenset({"ImportError", "ModuleNotFoundError", "AttributeError"})

_INPUT_LAST = frozenset(name.rpartition(".")[2] for name in knowledge.INPUT_FUNCTIONS)
_INPUT_NAMES: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def input_names(index) -> frozenset:
    """The last names a dotted callee can end in and still resolve to `keras.Input`: "Input",
    and every name bound (by an import or an alias, in any module of the project) to one
    of those (`from keras import Input as I`, `I = keras.Input`). Name resolution only
    replaces a dotted name's head, so a callee ending in another name is never the Input
    function: a cheap exact test before resolving. Computed once per project index."""
    cached = _INPUT_NAMES.get(index)
    if cached is None:
        bindings = [(local, target) for facts in index.modules.values()
                    for local, (_, target) in facts.imports.items()]
        bindings += [(local, value) for facts in index.modules.values() for local, value in facts.aliases.items()]
        names, changed = set(_INPUT_LAST), True
        while changed:
            changed = False
            for local, target in bindings:
                if local not in names and target.rpartition(".")[2] in names:
                    names.add(local)
                    changed = True
        cached = _INPUT_NAMES[index] = frozenset(names)
    return cached


def _external_model_kind(qualified: str) -> Optional[str]:
    """The model kind a returned call of a library callable makes (`keras.Sequential(...)`,
    `keras.models.load_model(...)`), or None."""
    canonical = canonical_keras_name(qualified)
    if canonical is None:
        return None
    if canonical in knowledge.SEQUENTIAL_CLASSES:
        return SEQUENTIAL
    if canonical in knowledge.MODEL_CLASSES or canonical in knowledge.MODEL_FACTORIES:
        return MODEL
    module, _, last = canonical.rpartition(".")
    if canonical.startswith("keras.applications.") and last[:1].isupper():
        return MODEL
    return None


def flavor(qualified: Optional[str]) -> Optional[str]:
    """Which Keras a fully qualified name is spelled with, or None for non-Keras names."""
    if not qualified:
        return None
    if qualified == "tf_keras" or qualified.startswith("tf_keras."):
        return TF_KERAS
    if qualified == "tensorflow.python.keras" or qualified.startswith("tensorflow.python.keras."):
        return None  # TensorFlow's frozen copy of Keras 2.6, not Keras 3 (KC404's business)
    if qualified.startswith("keras._tf_keras"):
        return SHIM
    if qualified.startswith("tensorflow.") and ".keras" in qualified:
        return SHIM
    if canonical_keras_name(qualified) is not None:
        return STANDALONE
    return None


def code_of(node: cst.CSTNode) -> str:
    return cst.Module(body=[]).code_for_node(node)


class FileState:
    """Per-file facts shared by every KC5xx rule of one traversal."""

    def __init__(self, context):
        self.context = context
        self.module = context.module
        self.text = context.source
        file_target = context.target
        self.active, self.why = file_target.keras == target.KERAS3, file_target.reason
        # Rules that are about mixing the two Keras (KC512) ignore the module's own
        # tf_keras import, but not the target or the project's pins; a project on tf_keras
        # whose module uses the keras package itself (Keras 3 there) mixes them.
        setting = context.options.get(target.OPTION_TARGET, target.AUTO)
        project = context.project_pins
        keras2_project = project is not None and project.keras in target.KERAS2_TARGETS
        self.active_for_mixing = setting == target.KERAS3 or (
            setting == target.AUTO and (not keras2_project or (project.legacy_only and self.active))
        )
        self._scopes: dict[int, dict[str, Optional[str]]] = {}
        self._class_attrs: dict[int, dict[str, Optional[str]]] = {}
        self._defined_methods: Optional[frozenset] = None
        self._names: Optional[frozenset] = None
        self._reexported: dict[str, bool] = {}
        self._rebinds: dict[int, frozenset] = {}
        self._functions: dict[tuple[str, str], Optional[str]] = {}

    @classmethod
    def of(cls, context) -> "FileState":
        """The file's state: computed by the first KC5xx rule that asks, shared with the others."""
        state = context.shared.get(cls)
        if state is None:
            state = context.shared[cls] = cls(context)
        return state

    # ---- names ---------------------------------------------------------------------------
    def qualified(self, node: cst.CSTNode) -> Optional[str]:
        return self.module.qualified_name(node)

    def canonical(self, node: cst.CSTNode) -> Optional[str]:
        qualified = self.qualified(node)
        return canonical_keras_name(qualified) if qualified else None

    def in_tree(self, dotted: Optional[str]) -> bool:
        """Whether `dotted` names a module or class of the linted tree (a project that
        vendors Keras), not the installed library."""
        if not dotted:
            return False
        resolved = self.module.index.resolve(self.context.path, dotted)
        return isinstance(resolved, (ClassKey, ModuleRef))

    def may_be_keras(self, head: str) -> bool:
        """Cheap test before resolving a dotted name: can its first name mean Keras here?"""
        facts = self.module.index.modules.get(self.context.path)
        if facts is None:
            return True
        bound = facts.imports.get(head)
        if bound is not None:
            anchor, target_ = bound
            if anchor or target_.split(".")[0] in knowledge.KERAS_TOP_LEVEL_PACKAGES:
                return True
            # `from mypkg.backend import keras`: a name the project re-exports. Only a
            # module of the tree can hand Keras on; ask the index what the name is.
            return self._reexports_keras(head, target_)
        return head in facts.aliases or bool(facts.star_imports)

    def _reexports_keras(self, head: str, target_: str) -> bool:
        cached = self._reexported.get(head)
        if cached is None:
            index = self.module.index
            cached = index.module_file(self.context.path, "", target_) is not None and flavor(
                self.qualified(cst.Name(head))) is not None
            self._reexported[head] = cached
        return cached

    def defines_method(self, name: str) -> bool:
        """Whether any class of the linted project defines a method `name` (then a call of
        that name on an unknown receiver may be the project's own method)."""
        if self._defined_methods is None:
            found = set()
            for facts in self.module.index.modules.values():
                for classes in (facts.classes.values(), *facts.redefinitions.values()):
                    for cls in classes:
                        found |= cls.methods
            self._defined_methods = frozenset(found)
        return name in self._defined_methods

    # ---- guards --------------------------------------------------------------------------
    def guarded(self) -> bool:
        """Whether the node being visited only runs on Keras 2, or is one side of a
        dual-Keras switch: an `if`/conditional on a version test; the graph-mode branch of
        `if not tf.executing_eagerly():` (the `else` of `if tf.executing_eagerly():`); the
        branch of `if K.backend() == "theano":` (a backend Keras 3 does not have); the
        body or fallback of a `try` whose handler catches ImportError/AttributeError; or
        the body of a `try` whose broad handler (bare, Exception) is the alternative to it:
        a body of at most three simple statements (the call that fails on Keras 3 is what
        raises) and a handler that does other work than passing, logging, re-raising or
        returning a constant (`except Exception: return t.numpy()`). A broad except around
        real work (a block, a loop) or one that only swallows the error is no guard."""
        chain = self.context.ancestors
        for position in range(len(chain) - 2, -1, -1):
            parent, child = chain[position], chain[position + 1]
            if isinstance(parent, (cst.If, cst.IfExp)) and child is not parent.test:
                test = code_of(parent.test)
                if _VERSION_TEST.search(test) and not _NOT_A_GUARD.search(test):
                    return True
                negated = test.strip().startswith("not ")
                if _NOT_A_GUARD.fullmatch(test.strip()[4:].strip() if negated else test.strip()):
                    # `hasattr(tf.keras.optimizers, "legacy")` holds on TF 2.11+ and Keras 3:
                    # the branch taken without it runs only on older TensorFlow.
                    if child is (parent.body if negated else parent.orelse):
                        return True
                eager = _eager_test(parent.test)
                if eager is not None and child is (parent.orelse if eager else parent.body):
                    return True  # the graph-mode (TF 1) branch
                gone = _keras2_backend_test(parent.test)
                if gone is not None and child is (parent.body if gone else parent.orelse):
                    return True  # the Theano/CNTK branch
            elif isinstance(parent, cst.Try) and child is parent.body:
                if any(_catches_import_errors(handler, parent) or _falls_back(handler, parent)
                       for handler in parent.handlers):
                    return True
            elif isinstance(parent, cst.ExceptHandler):
                try_node = chain[position - 1] if position else None
                if isinstance(try_node, cst.Try) and _catches_import_errors(parent, try_node):
                    return True
        return False

    # ---- receivers ----------------------------------------------------------------------
    def kind_of(self, expr: cst.CSTNode, depth: int = 0) -> Optional[str]:
        """What kind of Keras object `expr` is, or None when not known."""
        if depth > 4:
            return None
        if isinstance(expr, cst.Call):
            return self.call_kind(expr, depth)
        if isinstance(expr, cst.Subscript):
            value = expr.value
            if isinstance(value, cst.Attribute) and value.attr.value in ("layers", "_layers"):
                return MODEL_LAYER
            return None
        if isinstance(expr, cst.Attribute):
            attribute = expr.attr.value
            if attribute == "optimizer":
                return OPTIMIZER
            owner = self._self_owner(expr.value)
            if owner is not None:
                if attribute == "model" and self._class_base(owner, "keras.callbacks."):
                    return MODEL
                return self._class_attributes(owner).get(attribute)
            return None
        if isinstance(expr, cst.Name):
            owner = self._self_owner(expr)
            if owner is not None:
                return self._class_kind(owner)
            return self._binding(expr.value, depth)
        return None

    def call_kind(self, call: cst.Call, depth: int = 0) -> Optional[str]:
        func = call.func
        if isinstance(func, cst.Attribute) and func.attr.value == "get_layer":
            return MODEL_LAYER
        canonical = self.canonical(func)
        if canonical:
            if canonical in knowledge.SEQUENTIAL_CLASSES:
                return SEQUENTIAL
            if canonical in knowledge.MODEL_CLASSES:
                return FUNCTIONAL if call.args else MODEL
            if canonical in knowledge.MODEL_FACTORIES:
                return MODEL
            if canonical in knowledge.LOSS_SCALE_OPTIMIZERS:
                return LOSS_SCALE
            module, _, last = canonical.rpartition(".")
            if canonical.startswith("keras.applications.") and last[:1].isupper():
                return MODEL
            if module in ("keras.optimizers", "keras.optimizers.legacy") and last[:1].isupper():
                return OPTIMIZER
            if module == "keras.metrics" and last[:1].isupper():
                return METRIC
            if keras_class_name(self.qualified(func) or ""):
                return LAYER
            return None
        key = self.module.tree_class(func)
        if key is not None:
            return self._key_kind(key)
        dotted = cst_dotted(func)
        found = self.module.index.function(self.context.path, dotted) if dotted else None
        return self._function_kind(found, depth) if found is not None else None

    def _function_kind(self, found: tuple[str, str], depth: int) -> Optional[str]:
        """What a project function returns (`def build(): return MyModel()`), when every
        return agrees; None when unknown."""
        if found in self._functions:
            return self._functions[found]
        self._functions[found] = None  # recursion: unknown
        index = self.module.index
        path, name = found
        kinds = set()
        for callee in index.modules[path].returns[name]:
            target_ = index.resolve(path, callee)
            if isinstance(target_, ClassKey):
                kind = self._key_kind(target_)
            elif isinstance(target_, External):
                kind = _external_model_kind(target_.qualified)
            else:
                inner = index.function(path, callee)
                kind = self._function_kind(inner, depth + 1) if inner is not None and depth < 4 else None
            if kind is None:
                kinds = set()
                break
            kinds.add(kind)
        if len(kinds) == 1:
            result = kinds.pop()
        elif kinds and kinds <= MODEL_KINDS:
            result = MODEL
        else:
            result = None
        self._functions[found] = result
        return result

    def class_name(self, expr: cst.CSTNode) -> Optional[str]:
        """The class Python names in an error about `expr` (`type(expr).__name__`) when
        its construction says it: `keras.optimizers.SGD(...)` -> "SGD", `keras.Model(inputs,
        outputs)` -> "Functional", a project class -> its name; through a name bound to
        such a call in the enclosing scopes too. None when not known (a parameter,
        `model.optimizer`, `model.layers[0]`, `load_model(...)`, `self`)."""
        if type(expr) is cst.Name and self._self_owner(expr) is None:
            expr = self._bound_value(expr) or expr
        if type(expr) is not cst.Call:
            return None
        func = expr.func
        canonical = self.canonical(func)
        if canonical:
            if canonical in knowledge.SEQUENTIAL_CLASSES:
                return "Sequential"
            if canonical in knowledge.MODEL_CLASSES:
                return "Functional" if expr.args else "Model"
            module, _, last = canonical.rpartition(".")
            if not last[:1].isupper():
                return None
            if module in ("keras.optimizers", "keras.metrics", "keras.mixed_precision"):
                return last
            layer = keras_class_name(self.qualified(func) or "")
            if layer and canonical == f"keras.layers.{layer}":
                return knowledge.LAYER_ALIASES.get(layer, layer)
            return None
        key = self.module.tree_class(func)
        return key.name if key is not None else None

    def owner_phrase(self, expr: cst.CSTNode) -> str:
        """How a quoted AttributeError names the receiver's class: "'SGD'" when known,
        "..." otherwise (never a class the user's object is not)."""
        name = self.class_name(expr)
        return f"'{name}'" if name else "..."

    def _key_kind(self, key: ClassKey) -> Optional[str]:
        kind = self.module.index.keras_kind(key)
        if kind == "model":
            return MODEL
        if kind == "layer":
            return LAYER
        if self._key_base(key, "keras.metrics."):
            return METRIC
        if self._key_base(key, "keras.optimizers."):
            return OPTIMIZER
        return None

    def _class_kind(self, class_def: cst.ClassDef) -> Optional[str]:
        keras_class = self.module.keras_class(class_def)
        if keras_class is not None:
            return MODEL if keras_class.is_model else LAYER
        if self._class_base(class_def, "keras.metrics."):
            return METRIC
        if self._class_base(class_def, "keras.optimizers."):
            return OPTIMIZER
        return None

    def class_base(self, class_def: cst.ClassDef, prefix: str) -> bool:
        return self._class_base(class_def, prefix)

    def _class_base(self, class_def: cst.ClassDef, prefix: str) -> bool:
        """Whether the class derives (directly or through in-tree classes) from a Keras
        class whose canonical name starts with `prefix` (`keras.metrics.`)."""
        for base in class_def.bases:
            canonical = self.canonical(base.value)
            if canonical and canonical.startswith(prefix):
                return True
            key = self.module.tree_class(base.value)
            if key is not None and self._key_base(key, prefix):
                return True
        return False

    def _key_base(self, key: ClassKey, prefix: str) -> bool:
        index = self.module.index
        for current in [key, *index.tree_ancestors(key)]:
            facts = index.class_facts(current)
            for base in facts.bases if facts else ():
                target_ = index.resolve(current.path, base)
                qualified = getattr(target_, "qualified", None)
                canonical = canonical_keras_name(qualified) if qualified else None
                if canonical and canonical.startswith(prefix):
                    return True
        return False

    def _self_owner(self, expr: cst.CSTNode) -> Optional[cst.ClassDef]:
        """The class whose method is being visited when `expr` is that method's `self`."""
        if not isinstance(expr, cst.Name):
            return None
        chain = self.context.ancestors
        for position in range(len(chain) - 1, 0, -1):
            node = chain[position]
            if isinstance(node, cst.FunctionDef):
                owner = chain[position - 2] if position >= 2 else None
                if isinstance(owner, cst.ClassDef) and syntax.self_name(node) == expr.value:
                    return owner
                return None
            if isinstance(node, (cst.ClassDef, cst.Lambda)):
                return None
        return None

    def _class_attributes(self, class_def: cst.ClassDef) -> dict[str, Optional[str]]:
        """`self.x = keras.metrics.Mean()` in any method -> {"x": "metric"}."""
        cached = self._class_attrs.get(id(class_def))
        if cached is not None:
            return cached
        found: dict[str, Optional[str]] = {}
        for method in syntax.methods(class_def).values():
            owner = syntax.self_name(method)
            for node in syntax.walk_scope(method):
                if isinstance(node, cst.Assign) and len(node.targets) == 1:
                    name = syntax.self_attribute(node.targets[0].target, owner)
                    if name:
                        kind = self._expression_kind(node.value)
                        found[name] = kind if found.get(name, kind) == kind else None
        self._class_attrs[id(class_def)] = found
        return found

    def _expression_kind(self, value: cst.CSTNode) -> Optional[str]:
        if isinstance(value, cst.Call):
            return self.call_kind(value)
        return None

    def _binding(self, name: str, depth: int) -> Optional[str]:
        """The kind a plain name is bound to in the innermost scope that binds it: by the
        last binding before the node being visited (scripts and notebooks rebind `model`
        many times), else by all of them when they agree."""
        chain = self.context.ancestors
        for scope in [node for node in reversed(chain) if type(node) is cst.FunctionDef or type(node) is cst.Module]:
            bindings = self._scope_bindings(scope, depth)
            if name in bindings.merged:
                position = next((bindings.order[id(n)] for n in reversed(chain) if id(n) in bindings.order), None)
                return bindings.at(name, position)
        return None

    def local_value(self, name: str) -> Optional[cst.CSTNode]:
        """The expression a plain name holds where the node being visited sits, when the
        innermost function (or the module, at module level) binds it exactly once, by a
        plain `name = value` before that node, and nothing else rebinds it (`+=`, `:=`,
        `global`, `del`, a loop, a `with ... as`, a parameter). None otherwise."""
        chain = self.context.ancestors
        scope = next((node for node in reversed(chain) if type(node) in _SCOPE_NODES), None)
        if type(scope) is not cst.FunctionDef and type(scope) is not cst.Module:
            return None
        bindings = self._scope_bindings(scope, 0)
        values = bindings.values.get(name, ())
        if len(values) != 1 or values[0][1] is None:
            return None
        position = next((bindings.order[id(n)] for n in reversed(chain) if id(n) in bindings.order), None)
        if position is None or values[0][0] >= position or name in self._rebound(scope):
            return None
        return values[0][1]

    def _rebound(self, scope: cst.CSTNode) -> frozenset:
        """Names a scope binds other than by `=` (a module's names also by a `global` anywhere)."""
        cached = self._rebinds.get(id(scope))
        if cached is None:
            found = set()
            nodes = walk(scope, layout=False) if type(scope) is cst.Module else syntax.walk_scope(scope.body)
            for node in nodes:
                node_type = type(node)
                if node_type is cst.AugAssign or node_type is cst.NamedExpr:
                    if type(node.target) is cst.Name:
                        found.add(node.target.value)
                elif node_type is cst.Global or node_type is cst.Nonlocal:
                    found.update(item.name.value for item in node.names)
                elif node_type is cst.Del:
                    found.update(name.value for name in walk(node.target) if type(name) is cst.Name)
            cached = self._rebinds[id(scope)] = frozenset(found)
        return cached

    def receiver_defines(self, expr: cst.CSTNode, method: str) -> bool:
        """Whether `expr` is an instance of an in-tree class that defines `method` itself
        or through an in-tree ancestor (`self` in such a class, `MyMetric()`, a name bound
        to `MyMetric(...)`): then `expr.method()` is the project's own method."""
        if type(expr) is cst.Name:
            owner = self._self_owner(expr)
            if owner is not None:
                return method in syntax.methods(owner) or any(
                    key is not None and self.module.index.defines_in_ancestry(key, method)
                    for key in (self.module.tree_class(base.value) for base in owner.bases))
            expr = self._bound_value(expr)
            if expr is None:
                return False
        if type(expr) is cst.Call:
            key = self.module.tree_class(expr.func)
            return key is not None and self.module.index.defines_in_ancestry(key, method)
        return False

    def _bound_value(self, name: cst.Name) -> Optional[cst.CSTNode]:
        """The value `name` is bound to at the node being visited, in the innermost
        enclosing function or module scope that binds it (None: no scope binds it)."""
        chain = self.context.ancestors
        for scope in [node for node in reversed(chain) if type(node) is cst.FunctionDef or type(node) is cst.Module]:
            bindings = self._scope_bindings(scope, 0)
            if name.value in bindings.merged:
                position = next((bindings.order[id(n)] for n in reversed(chain) if id(n) in bindings.order), None)
                return bindings.value_at(name.value, position)
        return None

    def _scope_bindings(self, scope: cst.CSTNode, depth: int) -> "_Bindings":
        cached = self._scopes.get(id(scope))
        if cached is not None:
            return cached
        found = _Bindings()
        self._scopes[id(scope)] = found  # a name used in its own definition stays unknown
        is_function = type(scope) is cst.FunctionDef
        body = scope.body if is_function else scope
        if is_function:
            for param in syntax.params(scope):
                found.bind(param.name.value, -1, None)
        order = found.order
        # Exact type tests: isinstance() against libcst classes is slow, and this sees every node.
        for position, node in enumerate(syntax.walk_scope(body)):
            order[id(node)] = position
            node_type = type(node)
            if node_type not in _BINDING_NODES:
                continue
            if node_type is cst.Assign:
                kind = self._value_kind(node.value, found, position, depth)
                for target_ in node.targets:
                    if type(target_.target) is cst.Name:
                        found.bind(target_.target.value, position, kind, node.value)
                    else:
                        for name in syntax.flatten_targets([target_.target]):
                            if isinstance(name, cst.Name):
                                found.bind(name.value, position, None)
            elif node_type is cst.AnnAssign:
                if type(node.target) is cst.Name and node.value is not None:
                    found.bind(node.target.value, position, self._value_kind(node.value, found, position, depth))
            elif node_type is cst.For or node_type is cst.CompFor:
                kind = MODEL_LAYER if _iterates_layers(node.iter) else None
                targets = list(syntax.flatten_targets([node.target]))
                if kind and isinstance(node.iter, cst.Call) and targets:
                    targets, rest = targets[-1:], targets[:-1]  # enumerate(model.layers)
                    for name in rest:
                        if isinstance(name, cst.Name):
                            found.bind(name.value, position, None)
                for name in targets:
                    if isinstance(name, cst.Name):
                        found.bind(name.value, position, kind)
            elif node_type is cst.FunctionDef or node_type is cst.ClassDef:
                found.bind(node.name.value, position, None)
            elif type(node.name) is cst.Name:  # AsName
                found.bind(node.name.value, position, None)
        return found

    def _value_kind(self, value: cst.CSTNode, found: "_Bindings", position: int, depth: int) -> Optional[str]:
        if isinstance(value, cst.Name):
            return found.at(value.value, position) if value.value in found.merged else None
        if isinstance(value, cst.Call):
            return self.call_kind(value, depth + 1)
        if isinstance(value, (cst.Subscript, cst.Attribute)):
            return self.kind_of(value, depth + 1)
        return None

    def fresh_name(self, base: str) -> str:
        """`base`, or `base_2`, `base_3`...: a name used nowhere in the module, for a
        variable a fix introduces (it must not rebind one of the user's)."""
        if self._names is None:
            self._names = frozenset(node.value for node in walk(self.module.tree) if type(node) is cst.Name) \
                if self.module.tree is not None else frozenset()
        name, number = base, 1
        while name in self._names:
            number += 1
            name = f"{base}_{number}"
        return name

    # ---- spelling for fixes ------------------------------------------------------------
    def spell(self, which: str, path: str) -> Optional[tuple[str, tuple[str, ...]]]:
        """How to write `keras.<path>` here for Keras spelled `which` (standalone or the
        tf.keras shim), with the import the code then needs; None if no safe spelling."""
        facts = self.module.index.modules.get(self.context.path)
        imports = facts.imports if facts is not None else {}
        if which == SHIM:
            for local, (anchor, target_) in sorted(imports.items()):
                if not anchor and target_ == "tensorflow.keras":
                    return f"{local}.{path}", ()
            for local, (anchor, target_) in sorted(imports.items()):
                if not anchor and target_ == "tensorflow":
                    return f"{local}.keras.{path}", ()
            return None
        for local, (anchor, target_) in sorted(imports.items()):
            if not anchor and target_ == "keras" and local == "keras":
                return f"keras.{path}", ()
        for local, (anchor, target_) in sorted(imports.items()):
            if not anchor and target_ == "keras":
                return f"{local}.{path}", ()
        head = path.split(".")[0]
        for local, (anchor, target_) in sorted(imports.items()):
            if not anchor and target_ == f"keras.{head}" and local == head:
                return path, ()
        if "keras" in imports or (facts is not None and "keras" in facts.defined):
            return None  # `keras` means something else here
        return f"keras.{path}", ("import keras",)


# The nodes that open a scope of their own.
_SCOPE_NODES = frozenset({cst.FunctionDef, cst.ClassDef, cst.Lambda, cst.Module})
# The nodes _scope_bindings looks into (every other node only gets its position).
_BINDING_NODES = frozenset({cst.Assign, cst.AnnAssign, cst.For, cst.CompFor, cst.FunctionDef, cst.ClassDef, cst.AsName})


class _Bindings:
    """The bindings of one scope: per name, (position in source order, kind)."""

    def __init__(self):
        self.order: dict[int, int] = {}  # id(node) -> position in the scope's walk
        self.history: dict[str, list[tuple[int, Optional[str]]]] = {}
        self.merged: dict[str, Optional[str]] = {}
        self.values: dict[str, list[tuple[int, Optional[cst.CSTNode]]]] = {}  # the assigned expressions

    def bind(self, name: str, position: int, kind: Optional[str], value: Optional[cst.CSTNode] = None) -> None:
        self.history.setdefault(name, []).append((position, kind))
        self.values.setdefault(name, []).append((position, value))
        if name not in self.merged or self.merged[name] == kind:
            self.merged[name] = kind
        elif self.merged[name] in MODEL_KINDS and kind in MODEL_KINDS:
            self.merged[name] = MODEL  # a Sequential here, a functional model there: a model
        else:
            self.merged[name] = None  # bound to different things: unknown

    def value_at(self, name: str, position: Optional[int]) -> Optional[cst.CSTNode]:
        """The expression `name` was last assigned before `position` (None: a parameter,
        a loop variable, an import, or not known)."""
        values = self.values.get(name, ())
        if position is not None:
            before = [value for where, value in values if where < position]
            if before:
                return before[-1]
        return values[-1][1] if len(values) == 1 else None

    def at(self, name: str, position: Optional[int]) -> Optional[str]:
        if position is not None:
            before = [kind for where, kind in self.history.get(name, ()) if where < position]
            if before:
                return before[-1]
        return self.merged.get(name)


def _iterates_layers(iterable: cst.CSTNode) -> bool:
    """`model.layers`, `model.layers[1:]`, `enumerate(model.layers)`, `reversed(...)`."""
    if isinstance(iterable, cst.Call) and isinstance(iterable.func, cst.Name) and iterable.func.value in ("enumerate", "reversed") and iterable.args:
        iterable = iterable.args[0].value
    if isinstance(iterable, cst.Subscript):
        iterable = iterable.value
    return isinstance(iterable, cst.Attribute) and iterable.attr.value in ("layers", "_layers")


def _catches_import_errors(handler: cst.ExceptHandler, try_node: cst.Try) -> bool:
    if handler.type is None:
        return _imports_only(try_node.body)
    names = set()
    types = handler.type.elements if isinstance(handler.type, cst.Tuple) else [handler.type]
    for element in types:
        value = element.value if isinstance(element, cst.Element) else element
        dotted = cst_dotted(value)
        if dotted:
            names.add(dotted.rpartition(".")[2])
    if names & _IMPORT_ERRORS:
        return True
    return bool(names & {"Exception", "BaseException"}) and _imports_only(try_node.body)


def _eager_test(test: cst.BaseExpression) -> Optional[bool]:
    """True for `tf.executing_eagerly()` (any spelling ending so), False for its `not`,
    None for any other test."""
    negated = False
    while isinstance(test, cst.UnaryOperation) and isinstance(test.operator, cst.Not):
        negated, test = not negated, test.expression
    if isinstance(test, cst.Call) and not test.args:
        dotted = cst_dotted(test.func)
        if dotted and dotted.rpartition(".")[2] in _EAGER_TESTS:
            return not negated
    return None


def _keras2_backend_test(test: cst.BaseExpression) -> Optional[bool]:
    """True for `K.backend() == "theano"` (a backend Keras 3 does not have; either order,
    any spelling ending in `backend()`), False for `!=`, None for any other test."""
    if not isinstance(test, cst.Comparison) or len(test.comparisons) != 1:
        return None
    comparison = test.comparisons[0]
    if not isinstance(comparison.operator, (cst.Equal, cst.NotEqual)):
        return None
    sides = (test.left, comparison.comparator)
    backend = [side for side in sides if isinstance(side, cst.Call) and not side.args
               and (cst_dotted(side.func) or "").rpartition(".")[2] == "backend"]
    names = [syntax.string_value(side) for side in sides if isinstance(side, cst.SimpleString)]
    if not backend or not names or names[0] not in knowledge.KERAS2_ONLY_BACKENDS:
        return None
    return isinstance(comparison.operator, cst.Equal)


_MAX_FALLBACK_BODY = 3
# Calls that report an error rather than provide an alternative: `print(e)`, `logger.warning(...)`.
_REPORTING = re.compile(r"^(print|warn|warnings\.\w+|traceback\.\w+|sys\.exit|exit|"
                        r"(\w+\.)*(log|logger|logging|_logger|LOGGER|log\w*)\.\w+|(\w+\.)*(exception|error|warning|info|debug))$")


def _falls_back(handler: cst.ExceptHandler, try_node: cst.Try) -> bool:
    """A broad handler (bare, Exception, BaseException) that is the alternative to a
    short `try` body: `try: return t.eval(...)` / `except Exception: return t.numpy()`."""
    if handler.type is not None:
        types = handler.type.elements if isinstance(handler.type, cst.Tuple) else [handler.type]
        names = set()
        for element in types:
            dotted = cst_dotted(element.value if isinstance(element, cst.Element) else element)
            names.add(dotted.rpartition(".")[2] if dotted else "")
        if not names & {"Exception", "BaseException"}:
            return False
    body = getattr(try_node.body, "body", ())
    if not body or len(body) > _MAX_FALLBACK_BODY or not all(isinstance(s, cst.SimpleStatementLine) for s in body):
        return False
    return any(_does_work(statement) for statement in getattr(handler.body, "body", ()))


def _does_work(statement: cst.CSTNode) -> bool:
    """Whether a handler statement is an alternative: not `pass`, `...`, `raise`,
    `continue`/`break`, a report (`print`, logging, warnings), or a constant returned or
    assigned (`return None`, `ok = False`)."""
    if not isinstance(statement, cst.SimpleStatementLine):
        return True  # a block: `if`, `with`, a loop
    for small in statement.body:
        if isinstance(small, (cst.Pass, cst.Raise, cst.Continue, cst.Break)):
            continue
        value = small.value if isinstance(small, (cst.Expr, cst.Return, cst.Assign, cst.AnnAssign)) else small
        if value is None or _constant(value):
            continue
        if isinstance(small, cst.Expr) and isinstance(value, cst.Call) and _REPORTING.match(cst_dotted(value.func) or ""):
            continue
        return True
    return False


def _constant(node: cst.CSTNode) -> bool:
    if isinstance(node, (cst.Integer, cst.Float, cst.SimpleString, cst.Ellipsis)):
        return True
    if isinstance(node, cst.Name) and node.value in ("None", "True", "False"):
        return True
    return isinstance(node, (cst.List, cst.Tuple, cst.Dict)) and not getattr(node, "elements", ())


def _imports_only(block: cst.BaseSuite) -> bool:
    statements = getattr(block, "body", ())
    for statement in statements:
        if not isinstance(statement, cst.SimpleStatementLine):
            return False
        for small in statement.body:
            if isinstance(small, cst.Assign) and isinstance(small.value, (cst.Name, cst.Attribute)):
                continue  # `Layer = keras.engine.Layer`
            if not isinstance(small, (cst.Import, cst.ImportFrom)):
                return False
    return True
