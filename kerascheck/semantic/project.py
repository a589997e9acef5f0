"""The project index: resolves names across files and answers questions about classes.

Built once per run from every file's :class:`~kerascheck.semantic.facts.ModuleFacts`.
A name is followed through imports (absolute, relative, `src/` layouts, namespace
packages), re-exports, module-level aliases and star imports until it reaches either a
class defined in the tree or a name outside it (`tensorflow.keras.layers.Layer`).
Class traits (is it a Keras Layer or Model, does its `call` take `training`, does it own
weights or training-sensitive layers) are computed on demand and memoised.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, Optional, Union

from kerascheck.semantic import knowledge
from kerascheck.semantic.external import ExternalClass, ExternalResolver, worth_resolving
from kerascheck.semantic.facts import ClassFacts, ModuleFacts
from kerascheck.semantic.names import (
    canonical_keras_name,
    keras_base_kind,
    keras_class_name,
    resolves_to,
)

_MAX_DEPTH = 12


@dataclass(frozen=True)
class ClassKey:
    """A class defined in the linted tree. `ordinal` tells apart the definitions of one
    name in one file (0: the one the name resolves to; see ModuleFacts.redefinitions)."""

    path: str
    name: str
    ordinal: int = 0


@dataclass(frozen=True)
class External:
    """A name defined outside the tree, fully qualified (`tensorflow.keras.layers.Dense`)."""

    qualified: str


@dataclass(frozen=True)
class ModuleRef:
    """A module of the tree (`from . import blocks` binds one)."""

    path: str


Resolved = Union[ClassKey, External, ModuleRef, None]

# Names a raw dotted callee must resolve to for the trait questions.
_WEIGHT_CREATORS = knowledge.TF_VARIABLE | knowledge.KERAS_VARIABLE


# ---- KC305: a summary over every module (begin) ------------------------------------------
# The result cache records a check that asked ModuleTable.saving_paths() under this name
# (never a path), whose content is the list of those files: the check then depends on it,
# and on the saving files it reads, not on every file of the run.
SAVING_DEPENDENCY = "summary:saving"


def saving_paths(modules: Iterable[ModuleFacts]) -> tuple[str, ...]:
    """The files whose first pass saw a save, a load or custom objects, in path order."""
    return tuple(sorted(facts.path for facts in modules if facts.saving is not None and facts.saving.relevant))


class ModuleTable(dict):
    """The run's first-pass facts by path, with the summaries a question over every module
    needs, computed once (the engine's recording view answers them as one dependency)."""

    _saving_paths: Optional[tuple[str, ...]] = None

    def looked_up(self, paths: Iterable[str]) -> None:
        """`paths` were looked up through a memo instead of this table (see
        ProjectIndex._locate): nothing to note here; a recording view notes them."""

    def saving_paths(self) -> tuple[str, ...]:
        if self._saving_paths is None:
            self._saving_paths = saving_paths(self.values())
        return self._saving_paths
# ---- KC305 (end) ---------------------------------------------------------------------------


class ProjectIndex:
    def __init__(self, modules: Iterable[ModuleFacts], extra_bases: Iterable[str] = (), external=None,
                 located: Optional[dict] = None):
        """`external`: what classes of installed packages are (an object with
        `get(qualified) -> ExternalClass or None`, see kerascheck.semantic.external);
        by default they are read from this interpreter's sys.path when first asked.
        `located`: a memo of module lookups to share with other indexes over the same
        modules (the engine's per-file recording indexes); each hit tells `modules`
        which paths the lookup examined."""
        self.modules: ModuleTable = ModuleTable((m.path, m) for m in modules)
        self._extra_bases = tuple(extra_bases)
        self.external = external if external is not None else ExternalResolver()
        self._resolve = lru_cache(maxsize=None)(self._resolve_uncached)
        self._kind = lru_cache(maxsize=None)(self._kind_uncached)
        self._traits: dict[tuple[str, ClassKey], bool] = {}
        self._located: dict[tuple[str, str, str], tuple] = located if located is not None else {}

    # ---- name resolution ---------------------------------------------------------------
    def resolve(self, path: str, dotted: str) -> Resolved:
        """What `dotted` (as written in the file at `path`) refers to."""
        return self._resolve(path, dotted, 0)

    def _resolve_uncached(self, path: str, dotted: str, depth: int) -> Resolved:
        facts = self.modules.get(path)
        if facts is None or depth > _MAX_DEPTH:
            return None
        head, _, rest = dotted.partition(".")
        if head in facts.imports:
            anchor, target = facts.imports[head]
            return self._resolve_target(path, anchor, _join(target, rest), depth + 1)
        if head in facts.classes:
            return ClassKey(path, head) if not rest else None
        if head in facts.aliases:
            return self._resolve(path, _join(facts.aliases[head], rest), depth + 1)
        for anchor, module in facts.star_imports:
            found = self._resolve_star(path, anchor, module, head, depth)
            if found is not None:
                return self._resolve_target(path, anchor, _join(found, rest), depth + 1)
        return None

    def passes_switch(self, path: str, dotted: str, depth: int = 0) -> bool:
        """Whether `dotted` (as written in the file at `path`) reaches, through the tree's
        imports and module-level aliases, a name its module imports from one package or
        another depending on what is installed (ModuleFacts.switched)."""
        facts = self.modules.get(path)
        if facts is None or depth > _MAX_DEPTH:
            return False
        head, _, rest = dotted.partition(".")
        if head in facts.switched:
            return True
        if head in facts.imports:
            anchor, target = facts.imports[head]
            located = self._locate(path, anchor, _join(target, rest))
            return located is not None and bool(located[1]) and self.passes_switch(
                located[0], ".".join(located[1]), depth + 1)
        if head in facts.aliases:
            return self.passes_switch(path, _join(facts.aliases[head], rest), depth + 1)
        return False

    def _resolve_star(self, path: str, anchor: str, module: str, head: str, depth: int):
        """The dotted target `head` gets from `from module import *`, if it gets one."""
        located = self._locate(path, anchor, module)
        if located is not None:
            file, attrs = located
            if not attrs and head in self.modules[file].defined | set(self.modules[file].classes):
                return _join(module, head)
            return None
        if not anchor and (keras_class_name(_join(module, head)) or keras_base_kind(_join(module, head))):
            return _join(module, head)
        return None

    def _resolve_target(self, path: str, anchor: str, target: str, depth: int) -> Resolved:
        located = self._locate(path, anchor, target)
        if located is None:
            return External(target) if not anchor else None
        file, attrs = located
        if not attrs:
            return ModuleRef(file)
        return self._resolve(file, ".".join(attrs), depth + 1)

    def function(self, path: str, dotted: str, depth: int = 0) -> Optional[tuple[str, str]]:
        """(file, name) of the module-level function of the tree that `dotted` (as written
        in `path`) names, when the first pass knows what it returns (ModuleFacts.returns);
        followed through imports and re-exports. None otherwise."""
        facts = self.modules.get(path)
        if facts is None or depth > _MAX_DEPTH:
            return None
        head, _, rest = dotted.partition(".")
        if head in facts.imports:
            anchor, target = facts.imports[head]
            located = self._locate(path, anchor, _join(target, rest))
            if located is None or not located[1]:
                return None
            return self.function(located[0], ".".join(located[1]), depth + 1)
        if not rest and head in facts.returns and head not in facts.aliases and head not in facts.classes:
            return path, head
        return None

    def returns_keras(self, found: tuple[str, str], depth: int = 0) -> bool:
        """Whether a project function (see `function`) may return a Keras object: one of
        its returned calls names a Keras class of the tree, a Keras name, or such a function."""
        path, name = found
        if depth > _MAX_DEPTH:
            return False
        for callee in self.modules[path].returns[name]:
            target = self.resolve(path, callee)
            if isinstance(target, ClassKey) and self.keras_kind(target):
                return True
            if isinstance(target, External) and canonical_keras_name(target.qualified):
                return True
            inner = self.function(path, callee) if target is None else None
            if inner is not None and inner != found and self.returns_keras(inner, depth + 1):
                return True
        return False

    def module_file(self, path: str, anchor: str, target: str) -> Optional[str]:
        """The tree file of the module an import in `path` takes `target` from."""
        located = self._locate(path, anchor, target)
        return located[0] if located is not None else None

    def locate(self, path: str, anchor: str, target: str) -> Optional[tuple[str, list[str]]]:
        """The tree file an import in `path` takes `target` from, with the attribute parts
        that follow its module (`["build"]` for `pkg.models.build`); None outside the tree."""
        return self._locate(path, anchor, target)

    def _locate(self, path: str, anchor: str, target: str):
        """The tree file that the longest module prefix of `target` names, with the
        remaining attribute parts, or None when no prefix is a file of the tree."""
        parts = target.split(".") if target else []
        roots = [anchor] if anchor else _import_roots(path)
        if not anchor and parts and parts[0] in knowledge.KERAS_TOP_LEVEL_PACKAGES:
            # `import keras` in pkg/model.py means Keras, not the sibling pkg/keras.py (an
            # integration module): inside a package, Python 3 imports are absolute.
            roots = [root for root in roots if os.path.join(root, "__init__.py") not in self.modules]
        key = (os.path.dirname(path), anchor, target)
        memo = self._located.get(key)
        if memo is None:  # the files of one directory import the same modules
            memo = self._located[key] = self._first_files(roots, parts, bool(anchor))
        else:
            self.modules.looked_up(memo[1])
        return next(((file, list(rest)) for file, rest in memo[0] if file != path), None)

    def _first_files(self, roots: list, parts: list, anchored: bool) -> tuple:
        """(the first two tree files among the module candidates (the first may be the
        importing file itself, which an import never names), every candidate examined)."""
        found, examined = [], []
        for candidate, rest in module_candidates(roots, parts, anchored):
            examined.append(candidate)
            if candidate in self.modules:
                found.append((candidate, tuple(rest)))
                if len(found) == 2:
                    break
        return tuple(found), tuple(examined)

    # ---- class questions -----------------------------------------------------------------
    def class_facts(self, key: ClassKey) -> Optional[ClassFacts]:
        module = self.modules.get(key.path)
        if module is None:
            return None
        if key.ordinal == 0:
            return module.classes.get(key.name)
        later = module.redefinitions.get(key.name, ())
        return later[key.ordinal - 1] if key.ordinal <= len(later) else None

    def base_targets(self, key: ClassKey) -> list[Resolved]:
        facts = self.class_facts(key)
        return [self.resolve(key.path, base) for base in facts.bases] if facts else []

    def keras_kind(self, key: ClassKey) -> Optional[str]:
        """`"model"`, `"layer"` or None (not a Keras class), through in-tree inheritance."""
        return self._kind(key, 0)

    def _kind_uncached(self, key: ClassKey, depth: int) -> Optional[str]:
        if depth > _MAX_DEPTH:
            return None
        kinds = set()
        for target in self.base_targets(key):
            if isinstance(target, External):
                kind = keras_base_kind(target.qualified) or self._extra_kind(target.qualified)
                if kind is None:
                    found = self.external_class(target.qualified)
                    kind = found.kind if found is not None else None
            elif isinstance(target, ClassKey):
                kind = self._kind(target, depth + 1)
            else:
                kind = None
            if kind:
                kinds.add(kind)
        if "model" in kinds:
            return "model"
        return "layer" if kinds else None

    def _extra_kind(self, qualified: str) -> Optional[str]:
        """The kind `extend-keras-bases` gives `qualified`: a Model when the class name
        ends in `Model`, else a Layer; None when no entry names it."""
        for base in self._extra_bases:
            if qualified == base or (base.endswith(".*") and qualified.startswith(base[:-1])):
                return "model" if qualified.rpartition(".")[2].endswith("Model") else "layer"
        return None

    def external_class(self, qualified: str) -> Optional[ExternalClass]:
        """The Keras class of an installed package that `qualified` names, if it is one
        (not for Keras's own names, nor for those `extend-keras-bases` declares)."""
        if not worth_resolving(qualified) or keras_base_kind(qualified) or self._extra_kind(qualified):
            return None
        return self.external.get(qualified)

    def external_bases(self) -> dict:
        """{qualified: ExternalClass or None} for every outside name a class of the tree
        derives from that may be an installed package's class (worked out once per run)."""
        found: dict = {}
        for module in self.modules.values():
            definitions = [(name, 0) for name in module.classes]
            definitions += [(name, k + 1) for name, later in module.redefinitions.items() for k in range(len(later))]
            for name, ordinal in definitions:
                for target in self.base_targets(ClassKey(module.path, name, ordinal)):
                    if isinstance(target, External) and target.qualified not in found:
                        if worth_resolving(target.qualified) and not keras_base_kind(target.qualified) and not self._extra_kind(target.qualified):
                            found[target.qualified] = self.external.get(target.qualified)
        return found

    def _external_classes(self, key: ClassKey) -> list[ExternalClass]:
        """The installed-package Keras classes the class or its in-tree ancestors derive from."""
        found = []
        for current in [key, *self.tree_ancestors(key)]:
            for target in self.base_targets(current):
                if isinstance(target, External):
                    external = self.external_class(target.qualified)
                    if external is not None:
                        found.append(external)
        return found

    def builtin_ancestors(self, key: ClassKey) -> set[str]:
        """Built-in Keras layer names (`"Dropout"`) this class inherits from, via the tree."""
        names = (keras_class_name(qualified) for qualified in self.external_ancestors(key))
        return {name for name in names if name}

    def external_ancestors(self, key: ClassKey) -> set[str]:
        """Qualified names of the library classes (`keras.metrics.Metric`) this class
        inherits from, via the tree."""
        found: set[str] = set()
        seen: set[ClassKey] = set()
        todo = [key]
        while todo:
            current = todo.pop()
            if current in seen:
                continue
            seen.add(current)
            for target in self.base_targets(current):
                if isinstance(target, External):
                    found.add(target.qualified)
                    external = self.external_class(target.qualified)
                    if external is not None:
                        found.update(external.keras_bases)
                elif isinstance(target, ClassKey):
                    todo.append(target)
        return found

    def tree_ancestors(self, key: ClassKey) -> list[ClassKey]:
        """In-tree base classes, nearest first, without the class itself."""
        order: list[ClassKey] = []
        todo = [key]
        while todo:
            current = todo.pop(0)
            for target in self.base_targets(current):
                if isinstance(target, ClassKey) and target not in order and target != key:
                    order.append(target)
                    todo.append(target)
        return order

    def defines_in_ancestry(self, key: ClassKey, method: str) -> bool:
        """Whether the class, an in-tree ancestor or an installed package's class it
        derives from defines `method`."""
        return any(
            method in facts.methods
            for facts in map(self.class_facts, [key, *self.tree_ancestors(key)])
            if facts
        ) or any(method in external.methods for external in self._external_classes(key))

    def call_takes_training(self, key: ClassKey) -> bool:
        """Whether the `call` this class runs (its own or the nearest in-tree ancestor's)
        declares a `training` parameter."""
        for current in [key, *self.tree_ancestors(key)]:
            facts = self.class_facts(current)
            if facts and facts.call_params is not None:
                return "training" in facts.call_params
        return False

    def call_reads_training(self, key: ClassKey) -> bool:
        """Whether the `call` this class runs reads its `training` argument."""
        for current in [key, *self.tree_ancestors(key)]:
            facts = self.class_facts(current)
            if facts and facts.call_params is not None:
                return "training" in facts.call_params and facts.call_reads_training
        return False

    def is_training_sensitive(self, key: ClassKey) -> bool:
        """Does the class behave differently in training: its `call` reads `training`, it is
        (or inherits) a Dropout/BatchNormalization, or it builds such layers, directly or
        through in-tree classes."""
        return self._trait("training", key, knowledge.TRAINING_SENSITIVE_LAYERS, frozenset())

    def owns_weights(self, key: ClassKey) -> bool:
        """Does the class create weights: `add_weight`, variables, or weight-owning layers,
        directly or through in-tree classes."""
        return self._trait("weights", key, knowledge.WEIGHT_OWNING_LAYERS, _WEIGHT_CREATORS)

    def _trait(self, trait: str, key: ClassKey, layers: frozenset, creators: frozenset) -> bool:
        memo_key = (trait, key)
        if memo_key in self._traits:
            return self._traits[memo_key]
        self._traits[memo_key] = False  # cycles resolve to False
        result = self._compute_trait(trait, key, layers, creators)
        self._traits[memo_key] = result
        return result

    def _compute_trait(self, trait, key, layers, creators) -> bool:
        facts = self.class_facts(key)
        if facts is None:
            return False
        if trait == "training" and self.call_reads_training(key):
            return True
        if self.builtin_ancestors(key) & layers:
            return True
        for ancestor in self.tree_ancestors(key):
            if self._trait(trait, ancestor, layers, creators):
                return True
        for callee in facts.callees:
            if trait == "weights" and callee.rpartition(".")[2] in ("add_weight", "add_variable"):
                if callee.startswith("self."):
                    return True
            target = self.resolve(key.path, callee)
            if isinstance(target, External):
                name = keras_class_name(target.qualified)
                if (name and name in layers) or resolves_to(target.qualified, creators):
                    return True
            elif isinstance(target, ClassKey) and self.keras_kind(target):
                if self._trait(trait, target, layers, creators):
                    return True
        return False


def _join(left: str, right: str) -> str:
    if not left:
        return right
    return f"{left}.{right}" if right else left


def module_candidates(roots, parts: list, anchored: bool):
    """(file, remaining attribute parts) a module path may name, in import order: the
    longest module prefix first, then each root in turn; `a.py` before `a/__init__.py`.
    An absolute import never names a root itself, a relative one (`from . import x`) may."""
    for cut in range(len(parts), -1, -1):
        if cut == 0 and not anchored:
            return
        for root in roots:
            base = os.path.join(root, *parts[:cut])
            for candidate in (base + ".py", os.path.join(base, "__init__.py")):
                yield candidate, parts[cut:]


def _import_roots(path: str) -> list[str]:
    """Directories an absolute import in `path` may be relative to: each ancestor
    directory (a script's own folder is on sys.path; a package's root is above it)
    and its `src/` folder, nearest first."""
    roots = []
    directory = os.path.dirname(path)
    while True:
        roots.append(directory)
        roots.append(os.path.join(directory, "src"))
        parent = os.path.dirname(directory)
        if parent == directory:
            return roots
        directory = parent
