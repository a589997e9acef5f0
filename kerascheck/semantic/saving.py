"""Which classes of the project end up in a saved model, and how the project loads one
back (KC305), from the first pass's saving facts (kerascheck.semantic.saving_facts).

- A save (`model.save(path)`, `keras.models.save_model`, a `ModelCheckpoint` that saves the
  whole model) happens in a unit: a module-level function or class, or the module's own
  statements. The Keras classes that unit constructs, directly or through the project's
  builder functions it calls (followed across files), are in the saved model. So is a
  Model class that saves itself (`self.save(...)` in one of its methods). The classes a
  layer or model builds inside its own body are not followed: Keras rebuilds them by
  running that body, never by looking their names up.
- A load is a call of Keras's `load_model`, wherever the project makes it.
- A class is covered when the project names it to Keras anywhere: a `custom_objects=`
  argument, a `custom_object_scope`, a `get_custom_objects()` update. One that is not a
  literal may name any class, and then every class counts as covered.

Computed once per project index, on first use (it reads every module's facts, so a
check that asks depends on every file).
"""
from __future__ import annotations

import os
import weakref
from dataclasses import dataclass
from typing import Optional

from kerascheck.semantic import knowledge
from kerascheck.semantic.names import canonical_keras_name
from kerascheck.semantic.project import ClassKey, External, ProjectIndex
from kerascheck.semantic.saving_facts import MODULE_BODY, LoadSite, SaveSite

LAYER, MODEL, LOSS, METRIC = "layer", "model", "loss", "metric"
_MAX_DEPTH = 6  # builder functions followed from a unit that saves
_CACHE: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


@dataclass(frozen=True)
class Save:
    path: str
    site: SaveSite


@dataclass(frozen=True)
class Load:
    path: str
    site: LoadSite


def saved_kind(index: ProjectIndex, key: ClassKey) -> Optional[str]:
    """What a class of the tree is to Keras's saving: a layer, a model, a loss or a metric
    (by its Keras ancestry), else None."""
    kind = index.keras_kind(key)
    if kind is not None:
        return kind
    for qualified in index.external_ancestors(key):
        canonical = canonical_keras_name(qualified) or ""
        if canonical.startswith(knowledge.LOSS_MODULES):
            return LOSS
        if canonical.startswith(knowledge.METRIC_MODULES):
            return METRIC
    return None


def top_package(path: str) -> Optional[str]:
    """The top-level package a file belongs to (the outermost folder above it with an
    `__init__.py`), or None for a script."""
    found = None
    directory = os.path.dirname(os.path.abspath(path))
    while os.path.isfile(os.path.join(directory, "__init__.py")):
        found = os.path.basename(directory)
        parent = os.path.dirname(directory)
        if parent == directory:
            break
        directory = parent
    return found


class ProjectSaving:
    """The project's saves, loads and coverage; see the module docstring."""

    def __init__(self, index: ProjectIndex):
        self.index = index
        self.saved: dict[ClassKey, list[Save]] = {}
        self.loads: list[Load] = []
        self._names: set = set()
        self._refs: set = set()
        self._unknown = False
        self._constructed: dict[tuple[str, str], frozenset] = {}
        for path, facts in list(index.modules.items()):
            saving = facts.saving
            if saving is None:
                continue
            self._collect(path, saving)

    @classmethod
    def of(cls, index: ProjectIndex) -> "ProjectSaving":
        found = _CACHE.get(index)
        if found is None:
            found = _CACHE[index] = cls(index)
        return found

    def covered(self, key: ClassKey) -> bool:
        """Whether the project names the class to Keras somewhere (or might)."""
        return self._unknown or key.name in self._names or key in self._refs

    def loads_for(self, save: Save, compiled: bool) -> list[Load]:
        """The loads that may read what `save` wrote: the formats agree (or one is not
        known); `compiled`: only those that rebuild the loss and metrics."""
        wanted = save.site.format
        return [
            load for load in self.loads
            if (wanted is None or load.site.format is None or load.site.format == wanted)
            and (load.site.compiles or not compiled)
        ]

    def registers(self, path: str, dotted: str) -> bool:
        """Whether the decorator `dotted` (as written in `path`) registers the class: Keras's
        `register_keras_serializable` under any name, or a project function or class that
        calls it (or fills `get_custom_objects()`)."""
        if dotted.rpartition(".")[2] == knowledge.REGISTER_DECORATOR:
            return True
        target = self.index.resolve(path, dotted)
        if isinstance(target, External):
            return target.qualified.rpartition(".")[2] == knowledge.REGISTER_DECORATOR
        found = (target.path, target.name) if isinstance(target, ClassKey) else self._function(path, dotted)
        if found is None:
            return False
        facts = self.index.modules.get(found[0])
        unit = facts.saving.units.get(found[1]) if facts is not None and facts.saving else None
        registering = (knowledge.REGISTER_DECORATOR, knowledge.CUSTOM_OBJECTS_FUNCTION)
        return unit is not None and any(callee.rpartition(".")[2] in registering for callee in unit.callees)

    # ---- building it --------------------------------------------------------------------------
    def _collect(self, path: str, saving) -> None:
        coverage = saving.coverage
        self._unknown = self._unknown or coverage.unknown
        self._names |= coverage.names
        for ref in coverage.refs:
            target = self.index.resolve(path, ref)
            if isinstance(target, ClassKey):
                self._refs.add(target)
        for site in saving.loads:
            if self._keras_call(path, site.callee, knowledge.LOAD_FUNCTIONS):
                self.loads.append(Load(path, site))
        for name, unit in saving.units.items():
            saves = [Save(path, site) for site in unit.saves if self._model_save(path, site)]
            if not saves:
                continue
            for key in self._classes_built(path, name, 0, set()):
                self.saved.setdefault(key, []).extend(saves)

    def _keras_call(self, path: str, callee: str, names: frozenset) -> bool:
        target = self.index.resolve(path, callee)
        return isinstance(target, External) and canonical_keras_name(target.qualified) in names

    def _model_save(self, path: str, site: SaveSite) -> bool:
        receiver, _, name = site.callee.rpartition(".")
        if name == "save_model":
            return self._keras_call(path, site.callee, knowledge.SAVE_FUNCTIONS)
        if name == "ModelCheckpoint":
            return self._keras_call(path, site.callee, knowledge.CHECKPOINT_CALLBACKS)
        # x.save(path): a model, unless x names a module or a class (np.save, tf.saved_model.save)
        return bool(receiver) and self.index.resolve(path, receiver) is None

    def _classes_built(self, path: str, unit_name: str, depth: int, seen: set) -> frozenset:
        """The Keras classes a unit constructs, itself or through the project functions it calls."""
        memo = (path, unit_name)
        if memo in self._constructed:
            return self._constructed[memo]
        seen.add(memo)
        facts = self.index.modules.get(path)
        unit = facts.saving.units.get(unit_name) if facts is not None and facts.saving else None
        found: set = set()
        if unit_name != MODULE_BODY and facts is not None and unit_name in facts.classes:
            key = ClassKey(path, unit_name)
            if saved_kind(self.index, key) == MODEL:
                found.add(key)  # a model class that saves itself
        for callee in unit.callees if unit is not None else ():
            target = self.index.resolve(path, callee)
            if isinstance(target, ClassKey):
                if saved_kind(self.index, target):
                    found.add(target)
            elif target is None and depth < _MAX_DEPTH:
                function = self._function(path, callee)
                if function is not None and function not in seen:
                    found |= self._classes_built(*function, depth + 1, seen)
        result = frozenset(found)
        if depth == 0:
            self._constructed[memo] = result
        return result

    def _function(self, path: str, dotted: str, depth: int = 0) -> Optional[tuple[str, str]]:
        """(file, name) of the module-level function of the tree `dotted` names in `path`."""
        facts = self.index.modules.get(path)
        if facts is None or depth > _MAX_DEPTH:
            return None
        head, _, rest = dotted.partition(".")
        if head in facts.imports:
            anchor, target = facts.imports[head]
            located = self.index.locate(path, anchor, f"{target}.{rest}" if rest else target)
            if located is None or len(located[1]) != 1:
                return None
            return self._function(located[0], located[1][0], depth + 1)
        if rest or facts.saving is None:
            return None
        if head in facts.aliases:
            return self._function(path, facts.aliases[head], depth + 1)
        if head in facts.saving.units and head not in facts.classes:
            return path, head
        return None
