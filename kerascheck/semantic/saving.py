"""Which classes of the project end up in a saved model, and how the project loads one
back (KC305), from the first pass's saving facts (kerascheck.semantic.saving_facts).

- A save (`model.save(path)`, `keras.models.save_model`, a `ModelCheckpoint` that saves the
  whole model) saves what the code before it built: the Keras classes constructed along
  its backward slice (kerascheck.semantic.model_slice; the whole function or class when
  the slice is empty), directly or through the project's builder functions (followed
  across files). So is a Model class that saves itself (`self.save(...)`). The classes a
  layer or model builds inside its own body are not followed: Keras rebuilds them by
  running that body, never by looking their names up.
- A load is a call of Keras's `load_model`. It may read what a save wrote when their paths
  may name the same file (the formats agree, and so do the file names where both are known
  in full; in a script's own statements, the load comes after the save), and either both
  sit in one file, or the two files are related (side by side in
  one folder, or reaching a common module of the tree through their imports) and their paths
  say it is the same file (one file name, or one shared path expression such as
  `config.MODEL_PATH`). A folder of independent example scripts is no project, and in a
  library every module reaches every other: a load of some path elsewhere is not taken
  to read this save.
- A class is covered when the project names it to Keras anywhere: a `custom_objects=`
  argument, a `custom_object_scope`, a `get_custom_objects()` update. One that is not a
  literal may name any class, and then every class counts as covered.

Computed once per project index, on first use, from the files that save, load or name
custom objects (ModuleTable.saving_paths): a check that asks depends on that list and on
those files, not on every file of the run.
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
_MAX_REACH = 400  # files followed through imports to relate a save and a load
_CACHE: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


@dataclass(frozen=True)
class Save:
    path: str
    unit: str
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


def _may_read(save: Save, load: Load) -> bool:
    """Whether the paths of a save and a load may name the same file: the formats agree
    (or one is unknown); the file names are equal where both are known, and a load of a
    named file does not read a save whose name is unknown. A load above the save in the
    same function reads an earlier run's file: only through the same path (a resumed
    run); one above it in a script's or notebook's own statements reads another file."""
    saved, loaded = save.site, load.site
    if saved.format is not None and loaded.format is not None and saved.format != loaded.format:
        return False
    if loaded.name is not None and saved.name != loaded.name:
        return False
    if load.path == save.path and loaded.unit == save.unit and loaded.line < saved.line:
        if save.unit == MODULE_BODY:
            return False  # a script or notebook runs top down: the load read an earlier file
        return (saved.path is not None and saved.path == loaded.path) or (
            saved.name is not None and saved.name == loaded.name)
    return True


def _same_file(save: Save, load: Load) -> bool:
    """Evidence that a save and a load in two files name the same file: the same file name
    (`"model.keras"` in both), or the same shared path expression (`config.MODEL_PATH`,
    `MODEL_PATH`; a bare local name like `path` says nothing)."""
    saved, loaded = save.site, load.site
    if saved.name is not None and saved.name == loaded.name:
        return True
    text = saved.path
    return text is not None and text == loaded.path and ("." in text or text.isupper())


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
        self._built_by: dict[tuple[str, str], frozenset] = {}
        self._reach: dict[str, frozenset] = {}
        for path in index.modules.saving_paths():
            self._collect(path, index.modules[path].saving)

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
        """The loads that may read what `save` wrote (see the module docstring);
        `compiled`: only those that rebuild the loss and metrics."""
        return [
            load for load in self.loads
            if (load.site.compiles or not compiled) and _may_read(save, load)
            and (load.path == save.path or (_same_file(save, load) and self._related(save.path, load.path)))
        ]

    def _related(self, first: str, second: str) -> bool:
        """Two files of one program: side by side (train.py and predict.py, two notebooks),
        or reaching a common module of the tree."""
        return os.path.dirname(first) == os.path.dirname(second) or bool(self.reach(first) & self.reach(second))

    def reach(self, path: str) -> frozenset:
        """The file, the tree modules it imports (transitively), and the packages (folders
        with an `__init__.py` in the tree) that hold any of them."""
        found = self._reach.get(path)
        if found is not None:
            return found
        modules = self.index.modules
        files, todo = {path}, [path]
        while todo and len(files) < _MAX_REACH:
            file = todo.pop()
            facts = modules.get(file)
            for anchor, target in [*facts.imports.values(), *facts.star_imports] if facts is not None else ():
                imported = self.index.module_file(file, anchor, target)
                if imported is not None and imported not in files:
                    files.add(imported)
                    todo.append(imported)
        packages = {os.path.dirname(file) for file in files
                    if os.path.join(os.path.dirname(file), "__init__.py") in modules}
        found = self._reach[path] = frozenset(files | packages)
        return found

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
            for site in unit.saves:
                if self._model_save(path, site):
                    for key in self._saved_classes(path, name, unit, site):
                        self.saved.setdefault(key, []).append(Save(path, name, site))

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

    def _saved_classes(self, path: str, unit_name: str, unit, site: SaveSite) -> set:
        """The Keras classes in the model `site` saves: those the code that built it
        constructs (its backward slice, else the whole function or class), directly or
        through the project's functions it calls."""
        facts = self.index.modules[path]
        if unit_name != MODULE_BODY and unit_name in facts.classes:
            key = ClassKey(path, unit_name)
            if saved_kind(self.index, key) == MODEL:
                return {key}  # a model that saves itself: what its body builds is not looked up
        if site.built is not None:
            callees = site.built
        else:
            callees = unit.callees if unit_name != MODULE_BODY else frozenset()
        return self._constructed(path, callees, 0, set())

    def _constructed(self, path: str, callees, depth: int, seen: set) -> set:
        found: set = set()
        for callee in callees:
            target = self.index.resolve(path, callee)
            if isinstance(target, ClassKey):
                if saved_kind(self.index, target):
                    found.add(target)
            elif target is None and depth < _MAX_DEPTH:
                function = project_function(self.index, path, callee)
                if function is not None and function not in seen:
                    seen.add(function)
                    found |= self._function_classes(function, depth + 1, seen)
        return found

    def _function_classes(self, function: tuple[str, str], depth: int, seen: set) -> frozenset:
        """The Keras classes a project function constructs, itself or through the functions it calls."""
        if function in self._built_by:
            return self._built_by[function]
        path, name = function
        unit = self.index.modules[path].saving.units[name]
        found = frozenset(self._constructed(path, unit.callees, depth, seen))
        self._built_by[function] = found
        return found


def registers(index: ProjectIndex, path: str, dotted: str) -> bool:
    """Whether the decorator `dotted` (as written in `path`) registers the class: Keras's
    `register_keras_serializable` under any name, or a project function or class that
    calls it (or fills `get_custom_objects()`)."""
    if dotted.rpartition(".")[2] == knowledge.REGISTER_DECORATOR:
        return True
    target = index.resolve(path, dotted)
    if isinstance(target, External):
        return target.qualified.rpartition(".")[2] == knowledge.REGISTER_DECORATOR
    found = (target.path, target.name) if isinstance(target, ClassKey) else project_function(index, path, dotted)
    if found is None:
        return False
    facts = index.modules.get(found[0])
    unit = facts.saving.units.get(found[1]) if facts is not None and facts.saving else None
    registering = (knowledge.REGISTER_DECORATOR, knowledge.CUSTOM_OBJECTS_FUNCTION)
    return unit is not None and any(callee.rpartition(".")[2] in registering for callee in unit.callees)


def project_function(index: ProjectIndex, path: str, dotted: str, depth: int = 0) -> Optional[tuple[str, str]]:
    """(file, name) of the module-level function of the tree `dotted` names in `path`."""
    facts = index.modules.get(path)
    if facts is None or depth > _MAX_DEPTH:
        return None
    head, _, rest = dotted.partition(".")
    if head in facts.imports:
        anchor, target = facts.imports[head]
        located = index.locate(path, anchor, f"{target}.{rest}" if rest else target)
        if located is None or len(located[1]) != 1:
            return None
        return project_function(index, located[0], located[1][0], depth + 1)
    if rest or facts.saving is None:
        return None
    if head in facts.aliases:
        return project_function(index, path, facts.aliases[head], depth + 1)
    if head in facts.saving.units and head not in facts.classes:
        return path, head
    return None
