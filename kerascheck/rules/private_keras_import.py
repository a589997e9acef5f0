"""KC404: an import from Keras internals that fails, or whose objects fail, on the file's Keras.

Internals are private: `keras.engine` was Keras 2's (2.12 and older) and is gone since
2.13; `keras.src` is the implementation tree of Keras 2.13+ and Keras 3, whose modules
differ between the two; `keras._tf_keras` exists only in Keras 3; `tensorflow.python.keras`
is TensorFlow's frozen copy of Keras 2.6, another library than the Keras models are built
with. The rule reports such an import only where something happens on the file's target
(measured: tests/affects_cases.py): an import that fails, or the legacy copy's layers,
models and optimizers, which the Keras in use does not take. A private import that works
on the target (a `keras.src` module that exists there) is not reported: it works today and
only may move in a later release. Nor are imports whose failure is handled: the `try:` of
an import fallback, the fallback itself, code under a version test.
"""
from __future__ import annotations

import re
from typing import Optional

import libcst as cst

from kerascheck.finding import Severity
from kerascheck.rules.base import Rule, effect, headline, said
from kerascheck.semantic import knowledge, syntax, target
from kerascheck.semantic.names import cst_dotted
from kerascheck.semantic.project import ClassKey, ModuleRef

_PRIVATE_LAST_PARTS = frozenset(prefix.rpartition(".")[2] for prefix in knowledge.PRIVATE_KERAS_MODULES)
_LEGACY = "tensorflow.python.keras"

_FAILS = "importing it fails"
_NO_KERAS_SRC = said(_FAILS, "keras.src exists only from Keras 2.13 on (ModuleNotFoundError)")
_LEGACY_COPY = "TensorFlow's frozen copy of Keras 2.6"
_LEGACY_MODELS = said(
    "its models do not train on TensorFlow 2.21",
    "fit() raises AttributeError (module 'tensorflow.python.distribute.input_lib' has no attribute "
    "'DistributedDatasetInterface')",
)
_LEGACY_OPTIMIZERS = said(
    "compile() does not take its optimizers", "(ValueError: Could not interpret optimizer identifier)", " "
)
# What each situation is: the message says the headline, the help all of it.
_WHAT = {
    "engine": said("Keras 2's internal package", "(Keras 2.12 and older)", " "),
    "src-keras2-only": said("an internal module of Keras 2", "(the keras.src of Keras 2.13 to 2.15)", " "),
    "src-keras3-only": "an internal module of Keras 3",
    "src": "Keras's internal tree",
    "private-tf-keras": "the private package behind tf.keras in Keras 3",
    "tensorflow-python-keras-layer": _LEGACY_COPY,
    "tensorflow-python-keras-model": _LEGACY_COPY,
    "tensorflow-python-keras-optimizer": _LEGACY_COPY,
}
# What to use instead, where the advice is not a name-by-name public home.
_INSTEAD = {
    "private-tf-keras": "import it through the public `tensorflow.keras` instead",
    "tensorflow-python-keras-layer": "take layers from the Keras your models use (`keras.layers`)",
    "tensorflow-python-keras-model": "build models with the Keras you use (`keras.Model`, `keras.Sequential`)",
    "tensorflow-python-keras-optimizer": "take optimizers from the Keras your models use (`keras.optimizers`)",
}
_IMPORT_FAILURES = frozenset({"engine", "src-keras2-only", "src-keras3-only", "src", "private-tf-keras"})

# A test that picks code by version: `tf.__version__ < "2.13"`, `version.parse(...)`,
# `hasattr(keras, "engine")`, flags such as `IS_KERAS_2`; and `if TYPE_CHECKING:`.
_GUARD_TEST = re.compile(
    r"__version__|\bversion\b|VERSION|hasattr\s*\(|keras_?[23]\b|legacy|tf_keras|TYPE_CHECKING"
    r"|(?<![a-z0-9])tf_?[12](?![a-z0-9])", re.I)
# Handler types that catch a failed import or a missing attribute.
_CATCHING = frozenset({"ImportError", "ModuleNotFoundError", "AttributeError", "Exception", "BaseException"})
# Calls that end the program: a handler made of them (and reports) lets the failure through.
_EXITS = frozenset({"sys.exit", "exit", "quit", "os._exit"})
_REPORTS = re.compile(r"^(print|warnings\.warn|(\w+\.)*(log|logger|logging|_logger|LOGGER)\.\w+)$")


def private_prefix(dotted: Optional[str]) -> Optional[str]:
    """The private Keras module prefix `dotted` starts with, or None."""
    if not dotted:
        return None
    for prefix in knowledge.PRIVATE_KERAS_MODULES:
        if dotted == prefix or dotted.startswith(prefix + "."):
            return prefix
    return None


def _in_src_set(relative: str, entries: frozenset, module: bool) -> bool:
    """Whether a path relative to `keras.src` is covered by one of `entries`. An entry
    "x.*" covers what is below the module x only when the path is known to be a module
    path (`module`): where x is a plain module, `x.name` may be one of its attributes."""
    parts = relative.split(".")
    for length in range(1, len(parts) + 1):
        head = ".".join(parts[:length])
        if head in entries or (module and length < len(parts) and head + ".*" in entries):
            return True
    return False


def situation_of(dotted: str, module: bool = True, whole: bool = True) -> Optional[str]:
    """Which situation (a key of `PrivateKerasImport.effects`) importing or reaching
    `dotted` is, or None when it is one the rule never reports. `module`: `dotted` is a
    module path (else its last parts may be attributes); `whole`: the code takes all of
    it (`import tensorflow.python.keras as k`, not `from tensorflow.python.keras import x`)."""
    prefix = private_prefix(dotted)
    if prefix is None or prefix == "tf_keras.src":
        return None  # tf_keras's own tree: the module that imports it runs tf_keras
    if prefix in ("keras.engine", "tf_keras.engine"):
        return "engine"
    if prefix == "keras._tf_keras":
        return "private-tf-keras"
    if prefix == _LEGACY:
        if dotted == _LEGACY:
            return "tensorflow-python-keras-layer" if whole else None  # mostly used for its layers
        return _legacy_situation(dotted[len(_LEGACY) + 1:].split("."))
    relative = dotted[len("keras.src") + 1:]
    if relative and _in_src_set(relative, knowledge.KERAS2_ONLY_SRC, module):
        return "src-keras2-only"
    if relative and _in_src_set(relative, knowledge.KERAS3_ONLY_SRC, module):
        return "src-keras3-only"
    return "src"


def _legacy_situation(parts: list[str]) -> Optional[str]:
    """The situation of `tensorflow.python.keras.<parts>`: its layers, models or
    optimizers; None for its helpers, which work (knowledge.TF_PYTHON_KERAS_*)."""
    head = parts[0]
    if head in knowledge.TF_PYTHON_KERAS_LAYER_NAMES:
        return "tensorflow-python-keras-layer"
    if head in knowledge.TF_PYTHON_KERAS_MODEL_NAMES:
        return "tensorflow-python-keras-model"
    if head in knowledge.TF_PYTHON_KERAS_OPTIMIZER_NAMES:
        return "tensorflow-python-keras-optimizer"
    if head == "engine" and len(parts) > 1:
        if parts[1] in knowledge.TF_PYTHON_KERAS_ENGINE_LAYER_MODULES:
            return "tensorflow-python-keras-layer"
        if parts[1] in knowledge.TF_PYTHON_KERAS_ENGINE_MODEL_MODULES:
            return "tensorflow-python-keras-model"
    return None


class PrivateKerasImport(Rule):
    code = "KC404"
    name = "private-keras-import"
    severity = Severity.WARNING
    summary = "Import from Keras internals that fails on the file's Keras (keras.engine, keras.src, tensorflow.python.keras)."
    affects = "Keras 3 and Keras 2, each for the internals it lacks (a keras.src module that exists is not reported)"
    # Measured on Keras 3.15.1 and tf_keras 2.21 (tests/affects_cases.py); the Keras 2.11
    # column follows the layout of the keras 2.x pip packages (keras-team/keras release
    # tags): keras.engine up to 2.12, keras.src from 2.13, keras._tf_keras in none. It claims
    # nothing for tensorflow.python.keras, which was not measured on TensorFlow <= 2.11.
    effects = {
        "engine": effect(
            keras3=said(_FAILS, "ModuleNotFoundError (AttributeError when reached as `keras.engine`)"),
            keras2=said(
                "importing it fails from Keras 2.13 on",
                "where it moved to keras.src.engine: ModuleNotFoundError (AttributeError when reached as "
                "`keras.engine`)",
                ", ",
            ),
            keras2_old=None,  # keras.engine is there
        ),
        "src-keras2-only": effect(
            keras3=said(_FAILS, "Keras 3 has no such module (ModuleNotFoundError or ImportError)"),
            keras2=None,
            keras2_old=_NO_KERAS_SRC,
        ),
        "src-keras3-only": effect(
            keras3=None,
            keras2=said(_FAILS, "Keras 2 has no such module (ModuleNotFoundError or ImportError)"),
        ),
        "src": effect(keras3=None, keras2=None, keras2_old=_NO_KERAS_SRC),
        "private-tf-keras": effect(
            keras3=None,
            keras2=said(_FAILS, "Keras 2 has no keras._tf_keras (ModuleNotFoundError)"),
        ),
        "tensorflow-python-keras-layer": effect(
            keras3=said(
                "its layers are not Keras 3 layers",
                "a Sequential model refuses them (ValueError: Only instances of `keras.Layer` can be added to a "
                "Sequential model), a functional model fails on them or trains none of their weights",
            ),
            keras2=said(
                "its layers are not this Keras's layers",
                "a functional model fails on them (TypeError) or trains none of their weights",
            ),
            keras2_old=None,
        ),
        "tensorflow-python-keras-model": effect(keras3=_LEGACY_MODELS, keras2=_LEGACY_MODELS, keras2_old=None),
        "tensorflow-python-keras-optimizer": effect(
            keras3=_LEGACY_OPTIMIZERS, keras2=_LEGACY_OPTIMIZERS, keras2_old=None
        ),
    }

    def __init__(self, context):
        super().__init__(context)
        self._version_names: Optional[frozenset] = None

    # ---- imports -------------------------------------------------------------------------
    def visit_Import(self, node: cst.Import) -> None:
        for local, _, full, name_node in syntax.import_bindings(node):
            if private_prefix(full) and not self._in_tree(full if local == full.split(".")[0] else local):
                if self._check(name_node, [(situation_of(full), full, [full.rpartition(".")[2]])]):
                    return

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        bindings = syntax.import_bindings(node)
        if not bindings:
            return
        module = cst_dotted(node.module)
        if private_prefix(module):
            local, _, full, _ = bindings[0]
            if self._in_tree(local):
                return
            # The module, then each name, which may be a module of its own
            # (`from keras.src.utils import conv_utils`) or one of its attributes.
            names = [full for _, _, full, _ in bindings if full != module]
            bare = [full.rpartition(".")[2] for full in names] or [module.rpartition(".")[2]]
            candidates = [(situation_of(module, whole=False), module, bare)]
            candidates += [(situation_of(full, module=False), full, [full.rpartition(".")[2]]) for full in names]
            self._check(node.module, candidates)
            return
        # `from tensorflow.python import keras`, `from keras import src`.
        for local, _, full, name_node in bindings:
            if private_prefix(full) and not self._in_tree(local):
                if self._check(name_node, [(situation_of(full), full, [full.rpartition(".")[2]])]):
                    return

    def visit_Attribute(self, node: cst.Attribute) -> None:
        """`keras.engine.base_layer.Layer` after a plain `import keras`: the same dependency
        on internals, without a private import to report."""
        if node.attr.value not in _PRIVATE_LAST_PARTS:
            return
        qualified = self.module.qualified_name(node)
        if qualified in knowledge.PRIVATE_KERAS_MODULES and self.context.enclosing(
            (cst.Import, cst.ImportFrom)
        ) is None:
            reached = self._outermost_name(node) or qualified
            bare = [reached.rpartition(".")[2]]
            self._check(node, [(situation_of(qualified), reached, bare),
                               (situation_of(reached, module=False), reached, bare)])

    def _outermost_name(self, node: cst.Attribute) -> Optional[str]:
        """`keras.src.saving.saving_lib.H5IOStore` for the `keras.src` of it: what the code
        reaches for."""
        chain = self.context.ancestors
        position = len(chain) - 1
        while position > 0 and isinstance(chain[position - 1], cst.Attribute) and chain[position - 1].value is chain[position]:
            position -= 1
        return self.module.qualified_name(chain[position])

    def _in_tree(self, dotted: Optional[str]) -> bool:
        """Whether the import names a module of the linted tree (a project that vendors
        or is Keras itself), not the installed library."""
        if not dotted:
            return False
        resolved = self.module.index.resolve(self.context.path, dotted)
        return isinstance(resolved, (ClassKey, ModuleRef))

    # ---- reporting -----------------------------------------------------------------------
    def _check(self, node: cst.CSTNode, candidates: list[tuple[Optional[str], str, list[str]]]) -> bool:
        """Reports the first candidate (situation, the private name as shown, the names it
        imports) whose situation does something on this file's Keras, with where the
        public API has those names; True when reported."""
        guard = self._how_it_runs()
        if guard == "skipped":
            return False
        for situation, shown, names in candidates:
            if situation is None or (guard == "caught" and situation in _IMPORT_FAILURES):
                continue
            consequence = self.consequence(situation)
            if consequence is None:
                continue
            advice = _INSTEAD.get(situation) or self._homes(names)
            what = _WHAT[situation]
            self.report(
                node,
                f"'{shown}' is {headline(what)}: {self.consequence(situation, short=True)}",
                help=f"it is {what}: {consequence}; {advice}",
            )
            return True
        return False

    def _homes(self, names: list[str]) -> str:
        """Where each name lives in the public API of this file's Keras, or that it lives
        nowhere there (verified names only)."""
        keras3 = self.context.target.keras == target.KERAS3
        where = "Keras 3" if keras3 else "Keras 2"
        found, none, unknown = [], [], []
        for name in dict.fromkeys(names):
            if name in knowledge.PUBLIC_HOMES:
                home = knowledge.PUBLIC_HOMES[name][0 if keras3 else 1]
                (found if home else none).append(home or name)
            else:
                unknown.append(name)
        parts = []
        if found:
            parts.append("use " + ", ".join(found) + " instead")
        if none:
            parts.append(", ".join(f"`{name}`" for name in none)
                         + (" has" if len(none) == 1 else " have") + f" no public equivalent on {where}")
        if unknown:
            parts.append("import " + ", ".join(f"`{name}`" for name in unknown)
                         + " from the public API if it is there (kerascheck has not checked it)")
        return "; ".join(parts)

    def _how_it_runs(self) -> Optional[str]:
        """How the code being visited runs: "skipped" when it runs only where the import
        works (an `except` branch that handles an import failure, a branch of a version
        test, `if TYPE_CHECKING:`); "caught" in the `try:` of a handler that catches a
        failed import without re-raising it; else None."""
        chain = self.context.ancestors
        caught = in_function = False
        for position in range(len(chain) - 2, -1, -1):
            parent, child = chain[position], chain[position + 1]
            if isinstance(parent, (cst.FunctionDef, cst.Lambda)):
                in_function = True  # a `try:` around the definition does not run the import
            elif isinstance(parent, (cst.If, cst.IfExp)) and child is not parent.test:
                if self._version_test(parent.test):
                    return "skipped"
            elif isinstance(parent, cst.Try) and child is parent.body and not in_function:
                if any(_catches(handler) and not _lets_through(handler) for handler in parent.handlers):
                    caught = True
            elif isinstance(parent, cst.ExceptHandler) and _catches(parent):
                return "skipped"
        return "caught" if caught else None

    def _version_test(self, test: cst.BaseExpression) -> bool:
        """Whether an `if` test picks code by version: it says so (`tf.__version__`,
        `version.parse`, `hasattr`, `TYPE_CHECKING`), or it reads a name the module
        assigns from such an expression (`major, minor = ... keras.__version__ ...`)."""
        if _GUARD_TEST.search(_code(test)):
            return True
        if self._version_names is None:
            self._version_names = _version_names(self.context.ancestors[0])
        return bool(self._version_names) and bool(syntax.names_in(test) & self._version_names)


def _version_names(module: cst.CSTNode) -> frozenset:
    """The names a module's top-level statements assign from a version expression."""
    found: set[str] = set()
    for statement in getattr(module, "body", ()):
        if not isinstance(statement, cst.SimpleStatementLine):
            continue
        for small in statement.body:
            if isinstance(small, (cst.Assign, cst.AnnAssign)) and small.value is not None:
                if _GUARD_TEST.search(_code(small.value)):
                    for target in syntax.assign_targets(small):
                        found.update(syntax.target_roots(target))
    return frozenset(found)


def _catches(handler: cst.ExceptHandler) -> bool:
    """Whether the handler catches a failed import (ImportError and broader)."""
    if handler.type is None:
        return True
    types = handler.type.elements if isinstance(handler.type, cst.Tuple) else [handler.type]
    for element in types:
        dotted = cst_dotted(element.value if isinstance(element, cst.Element) else element)
        if dotted and dotted.rpartition(".")[2] in _CATCHING:
            return True
    return False


def _lets_through(handler: cst.ExceptHandler) -> bool:
    """Whether the handler only reports and re-raises or exits: the failure goes on."""
    statements = getattr(handler.body, "body", ())
    ends = False
    for statement in statements:
        if not isinstance(statement, cst.SimpleStatementLine):
            return False
        for small in statement.body:
            if isinstance(small, cst.Raise):
                ends = True
                continue
            if isinstance(small, cst.Expr) and isinstance(small.value, cst.Call):
                called = cst_dotted(small.value.func) or ""
                if called in _EXITS:
                    ends = True
                    continue
                if _REPORTS.match(called):
                    continue
            return False
    return ends


def _code(node: cst.CSTNode) -> str:
    return cst.Module(body=[]).code_for_node(node)
