"""KC403: one module builds with both standalone `keras` and `tf.keras` / `tf_keras`.

On TensorFlow >= 2.16 without `TF_USE_LEGACY_KERAS`, `tf.keras` is Keras 3 and the two
spellings meet; everywhere else (TF <= 2.15, the legacy switch, `tf_keras`) they are
two libraries whose layers, models, optimizers and callbacks do not mix: "Only
instances of `keras.Layer` can be added to a Sequential model". A module that takes
its Keras objects from both works only on the one setup its author had.

"Uses" means references in code, not imports: `import tensorflow as tf` for `tf.data`
and `tf.nn` is not tf.keras, and an unused import is no mixing. Data-only helpers
(`get_file`, `datasets`, `to_categorical`) return plain values and combine nothing.
A name bound to either Keras depending on what is installed (try/except or if/else
imports, in this module or in the module of the tree it comes from) and a module that
aliases one Keras as the other in `sys.modules` are switches, not mixtures.
"""
from __future__ import annotations

import re
from typing import Optional

import libcst as cst

from kerascheck.finding import Severity
from kerascheck.rules.base import Rule, effect, said
from kerascheck.semantic import knowledge, syntax, target
from kerascheck.semantic.names import canonical_keras_name, cst_dotted, keras_flavor

_STANDALONE = "standalone keras"
_TF = "tf.keras"
_TF_KERAS = "tf_keras"
# How many uses of each Keras per scope are kept to look for two that run together.
_KEPT_USES = 16
# Where a use sits: the (if-statement id, branch) pairs around it. Uses in two branches of
# one `if` never run together.
Branches = tuple
# A local name bound to one Keras or the other depending on the installation.
_SWITCH = object()
# Where a name bound at module level (or resolved through the module's facts) is bound.
_MODULE = "module"
# Statements whose nested imports may or may not run.
_GUARDS = (cst.If, cst.Try, cst.ExceptHandler, cst.Else, cst.Finally)
# Tests that pick a Keras at run time: `keras.__version__`, `version.parse(tf.__version__)`,
# `hasattr(...)`, flags such as `IS_KERAS_3` or `use_legacy_keras`.
_VERSION_TEST = re.compile(r"version|hasattr|keras_?[23]|legacy", re.I)
_SYS_MODULES_WRITERS = frozenset({"setdefault", "update", "__setitem__"})
# Nodes whose `name` is a definition, not a use.
_NAMED_DEFINITIONS = frozenset({cst.Param, cst.FunctionDef, cst.ClassDef})


def _group(qualified: str) -> Optional[str]:
    """Which Keras a qualified name comes from (standalone keras, tf.keras or tf_keras),
    or None for non-Keras names."""
    if qualified == "tf_keras" or qualified.startswith("tf_keras."):
        return _TF_KERAS
    if qualified == "keras._tf_keras" or qualified.startswith("keras._tf_keras."):
        return _TF  # the package behind tf.keras on TF >= 2.16
    if qualified == "keras.src.engine" or qualified.startswith("keras.src.engine."):
        return _TF  # exists only in keras 2.13-2.15, the implementation of tf.keras there
    flavor = keras_flavor(qualified)
    if flavor is None:
        return None
    return _STANDALONE if flavor == knowledge.FLAVOR_STANDALONE else _TF


def _different_libraries(groups: set, legacy: bool, multi_backend: bool) -> bool:
    """Whether two Keras spellings are two libraries on a Keras 2 target. tf_keras is one
    of its own, unless TF_USE_LEGACY_KERAS makes tf.keras resolve to it; standalone keras
    and tf.keras are one library on TensorFlow <= 2.15 (keras 2.4+ is tf.keras there) and
    two under TF_USE_LEGACY_KERAS, next to an installed Keras 3, or where the project pins
    multi-backend keras (< 2.4), a library of its own."""
    if _TF_KERAS in groups:
        return not (legacy and groups == {_TF_KERAS, _TF})
    return legacy or multi_backend


def _data_only(qualified: str) -> bool:
    canonical = canonical_keras_name(qualified) or qualified
    for api in knowledge.KERAS_DATA_ONLY_APIS:
        if canonical == api.rstrip(".") or (api.endswith(".") and canonical.startswith(api)):
            return True
    return False


class MixedKerasNamespaces(Rule):
    code = "KC403"
    name = "mixed-keras-namespaces"
    severity = Severity.WARNING
    summary = "One module uses both standalone keras and tf.keras / tf_keras objects."
    affects = "Keras 2 next to Keras 3: tf_keras, or TF_USE_LEGACY_KERAS=1 (one library on Keras 3 alone)"
    effects = {
        # On TensorFlow 2.21 without the legacy switch, keras and tf.keras are one Keras 3.
        "two-libraries": effect(
            keras3=None,
            keras2=said(
                "they are two libraries whose objects do not mix",
                "(Sequential, optimizers and fit raise; a functional model trains none of the other library's "
                "weights)",
                " ",
            ),
        ),
    }

    def __init__(self, context):
        super().__init__(context)
        # Scope (module or function node id) -> local name -> what the import visited
        # last bound it to (or _SWITCH), and whether that import was guarded (if/try).
        self._bindings: dict[int, dict[str, tuple[object, bool]]] = {}
        # Where a use's name was bound (`_MODULE`, or the id of the function whose local
        # import bound it) -> group -> (source order, first node using it, the name as
        # written there, which Keras that is). Local imports in two different functions
        # (one per Keras: dual support) do not meet; each meets the module's own uses.
        self._first_use: dict[object, dict[str, tuple[int, cst.CSTNode, str, str]]] = {}
        self._uses = 0
        self._aliased = False
        # Every name an import visited so far bound, in any scope; with the module's
        # facts, a cheap first test that a name can be Keras at all (most are not).
        self._imported: set[str] = set()
        self._facts = None

    # ---- imports -----------------------------------------------------------------------
    def visit_Import(self, node: cst.Import) -> None:
        self._bind(node)

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        self._bind(node)

    def _bind(self, statement) -> None:
        guarded = any(isinstance(node, _GUARDS) for node in self.context.ancestors)
        scope = self._scopes()[0]
        bindings = self._bindings.setdefault(id(scope), {})
        for local, meaning, _, _ in syntax.import_bindings(statement):
            if local is None:
                continue
            self._imported.add(local)
            previous = bindings.get(local)
            if previous is not None and (guarded or previous[1]) and self._differs(previous[0], meaning):
                bindings[local] = (_SWITCH, True)
            else:
                bindings[local] = (meaning, guarded)

    def _scopes(self) -> list[cst.CSTNode]:
        """The functions around the node being visited, innermost first, then the module."""
        chain = self.context.ancestors
        return [node for node in reversed(chain) if isinstance(node, (cst.FunctionDef, cst.Lambda))] + [chain[0]]

    def _binding(self, name: str):
        found, _ = self._binding_and_scope(name)
        return found

    def _binding_and_scope(self, name: str):
        """What an import bound `name` to, and where: `_MODULE` or a function's id."""
        scopes = self._scopes()
        for scope in scopes:
            found = self._bindings.get(id(scope), {}).get(name)
            if found is not None:
                return found, (_MODULE if scope is scopes[-1] else id(scope))
        return None, _MODULE

    @staticmethod
    def _differs(previous: object, meaning: str) -> bool:
        if previous is _SWITCH:
            return True
        return _group(previous) != _group(meaning)

    # ---- sys.modules aliasing ------------------------------------------------------------
    def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
        target = node.target
        if isinstance(target, cst.Subscript) and self._is_sys_modules(target.value):
            self._aliased = True

    def visit_Call(self, node: cst.Call) -> None:
        if syntax.method_call_name(node) in _SYS_MODULES_WRITERS and self._is_sys_modules(node.func.value):
            self._aliased = True

    def _is_sys_modules(self, node: cst.BaseExpression) -> bool:
        return cst_dotted(node) is not None and self.module.qualified_name(node) == "sys.modules"

    # ---- uses ------------------------------------------------------------------------------
    def visit_Name(self, node: cst.Name) -> None:
        if not self._may_be_keras(node.value):
            return
        parent = self.context.ancestors[-2] if len(self.context.ancestors) > 1 else None
        kind = type(parent)
        if kind is cst.Attribute:
            return  # part of a dotted chain: seen as a whole by visit_Attribute
        if kind is cst.Arg and parent.keyword is node:
            return
        if kind in _NAMED_DEFINITIONS and parent.name is node:
            return
        self._use(node, node.value)

    def visit_Attribute(self, node: cst.Attribute) -> None:
        parent = self.context.ancestors[-2] if len(self.context.ancestors) > 1 else None
        if type(parent) is cst.Attribute and parent.value is node:
            return  # the outermost chain is the one that names the object
        head = node.value
        while type(head) is cst.Attribute:
            head = head.value
        if type(head) is not cst.Name or not self._may_be_keras(head.value):
            return
        dotted = cst_dotted(node)
        if dotted is not None:
            self._use(node, dotted)

    def _use(self, node: cst.CSTNode, dotted: str) -> None:
        head, _, rest = dotted.partition(".")
        binding, where = self._binding_and_scope(head) if self._bindings else (None, _MODULE)
        if binding is not None:
            meaning = binding[0]
            if meaning is _SWITCH:
                return
            qualified = f"{meaning}.{rest}" if rest else meaning
        elif self._resolvable(head):
            # Relative imports, module-level aliases, star imports, imports further down;
            # a name another module picks by what is installed is a switch there too.
            if self.module.index.passes_switch(self.context.path, dotted):
                return
            qualified = self.module.qualified_name(node)
        else:
            return
        if qualified is None:
            return
        group = _group(qualified)
        uses = self._first_use.setdefault(where, {})
        if group is None or len(uses.get(group, ())) >= _KEPT_USES or _data_only(qualified):
            return
        if self._guarded_use():
            return
        self._uses += 1
        uses.setdefault(group, []).append((self._uses, node, dotted, group, self._branches()))

    def _branches(self) -> Branches:
        """The (if statement, branch) pairs around the node being visited."""
        chain = self.context.ancestors
        found = []
        for position in range(len(chain) - 1):
            parent, child = chain[position], chain[position + 1]
            if type(parent) is cst.If and child is not parent.test:
                found.append((id(parent), child is parent.body))
        return tuple(found)

    def _guarded_use(self) -> bool:
        """Whether the use being visited is dual-Keras support rather than mixing: in an
        import, in an `except` fallback, under a version test (`if keras.__version__...`,
        `if hasattr(...)`), or in a type test (`isinstance(x, (keras.Layer, tf.keras...))`)."""
        chain = self.context.ancestors
        for position in range(len(chain) - 2, -1, -1):
            parent, child = chain[position], chain[position + 1]
            if isinstance(parent, (cst.Import, cst.ImportFrom, cst.ExceptHandler)):
                return True
            if isinstance(parent, (cst.If, cst.IfExp)) and child is not parent.test:
                if _VERSION_TEST.search(_code(parent.test)):
                    return True
            if isinstance(parent, cst.Call) and child is not parent.func:
                if isinstance(parent.func, cst.Name) and parent.func.value in ("isinstance", "issubclass"):
                    return True
        return False

    def _may_be_keras(self, head: str) -> bool:
        """Whether a name can stand for something imported (else it is no Keras object)."""
        return head in self._imported or self._resolvable(head)

    def _resolvable(self, head: str) -> bool:
        if self._facts is None:
            self._facts = self.module.index.modules.get(self.context.path) or False
        facts = self._facts
        return bool(facts) and (
            head in facts.imports or head in facts.aliases or bool(facts.star_imports)
        )

    def leave_Module(self, original_node: cst.Module) -> None:
        if self._aliased:
            return
        module_uses = self._first_use.get(_MODULE, {})
        meetings = []  # (first use, second use) where two Kerases meet, per local scope
        for where, uses in self._first_use.items():
            merged = {group: list(found) for group, found in module_uses.items()}
            if where is not _MODULE:
                for group, found in uses.items():
                    merged.setdefault(group, []).extend(found)
            meeting = _first_meeting(merged)
            if meeting is not None:
                meetings.append(meeting)
        if not meetings:
            return
        (_, _, first_name, first, _), (_, node, second_name, second, _) = min(meetings, key=lambda pair: pair[1][0])
        pins = self.context.project_pins
        legacy = target.sets_legacy_keras(self.context.source) or "TF_USE_LEGACY_KERAS" in (pins.reason if pins else "")
        # Under TF_USE_LEGACY_KERAS, tf.keras is tf_keras (Keras 2) even where the module's own
        # `import keras` keeps it on Keras 3.
        keras = target.KERAS2 if legacy else None
        consequence = self.consequence("two-libraries", keras)
        multi_backend = pins is not None and pins.multi_backend
        if consequence is None or not _different_libraries({first, second}, legacy, multi_backend):
            return
        self.report(
            node,
            f"{first} `{first_name}` mixed with {second} `{second_name}`: "
            f"{self.consequence('two-libraries', keras, short=True)}",
            help=f"this module takes Keras objects from both {first} (`{first_name}`) and {second} "
            f"(`{second_name}`): {consequence}; take every Keras object from one of them",
        )


def _first_meeting(uses: dict) -> Optional[tuple]:
    """The earliest (use, later use of another Keras) that can run together: not in two
    branches of one `if`."""
    ordered = sorted((use for group in uses.values() for use in group), key=lambda use: use[0])
    for position, later in enumerate(ordered):
        for earlier in ordered[:position]:
            if earlier[3] != later[3] and _together(earlier[4], later[4]):
                return earlier, later
    return None


def _together(left: Branches, right: Branches) -> bool:
    branch = dict(left)
    return all(branch.get(statement, side) == side for statement, side in right)


def _code(node: cst.CSTNode) -> str:
    return cst.Module(body=[]).code_for_node(node)
