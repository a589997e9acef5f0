"""Base classes from installed third-party packages, read statically.

`class Block(keras_hub.layers.TransformerEncoder)` is a Keras layer because
TransformerEncoder derives, in keras_hub's own source, from `keras.layers.Layer`. The
project index meets such a base as an outside name (`External`); this module finds the
package's source on the running interpreter's `sys.path` and follows the class's bases
there until it reaches a Keras base or the chain ends.

Nothing is imported and nothing runs: the top-level package is located with
`importlib.machinery.PathFinder.find_spec` (which only looks at directories), submodules
by walking the package's directories, and each module read gets the same cheap first
pass as the linted files (:func:`kerascheck.semantic.facts.collect`), of which only the
import table, the aliases and each class's bases and method names are kept. The work is
bounded (``MAX_FILES`` modules read per run, ``MAX_DEPTH`` steps per chain, files above
``MAX_BYTES`` are skipped) and memoised per run: a module is read at most once.

Keras and TensorFlow themselves are never read (their names are known), nor is the
standard library (it holds no Keras class).
"""
from __future__ import annotations

import ast
import os
import sys
import warnings
from dataclasses import dataclass
from importlib.machinery import PathFinder
from typing import Optional, Sequence

from kerascheck.semantic import facts as facts_pass
from kerascheck.semantic.names import keras_base_kind

MAX_FILES = 200
MAX_DEPTH = 16
MAX_BYTES = 2_000_000

# Names kerascheck knows without reading them: Keras under every import name.
LIBRARY_HEADS = frozenset({"keras", "tensorflow", "tf_keras", "keras_core"})
_STDLIB = frozenset(getattr(sys, "stdlib_module_names", ())) | {"builtins", "__future__"}


@dataclass(frozen=True)
class ExternalClass:
    """What kerascheck knows of a Keras class defined in an installed package."""

    kind: str  # "layer" or "model"
    methods: frozenset  # methods defined along its chain of package classes
    keras_bases: frozenset  # the Keras classes the chain reaches (`keras.layers.Dropout`)


def worth_resolving(qualified: str) -> bool:
    """Whether an outside name may be a third-party class worth looking up."""
    head = qualified.partition(".")[0]
    return "." in qualified and head not in LIBRARY_HEADS and head not in _STDLIB


@dataclass
class _Module:
    """The part of a module's first-pass facts that base resolution needs."""

    name: str
    imports: dict  # local name -> absolute dotted target
    stars: tuple  # modules of `from m import *`, absolute
    aliases: dict
    classes: dict  # class name -> (bases as written, method names)
    defined: frozenset


class ExternalResolver:
    """Resolves outside names to :class:`ExternalClass` (or None), memoised for a run."""

    def __init__(self, search_path: Optional[Sequence[str]] = None, max_files: int = MAX_FILES):
        self._path = list(sys.path if search_path is None else search_path)
        self._max_files = max_files
        self.files_read = 0
        self._located: dict = {}  # dotted module -> (file or None, search locations) or None
        self._modules: dict = {}  # dotted module -> _Module or None
        self._classes: dict = {}  # qualified -> ExternalClass or None

    def get(self, qualified: str) -> Optional[ExternalClass]:
        return self._summary(qualified, 0)

    # ---- classes ---------------------------------------------------------------------------
    def _summary(self, qualified: str, depth: int) -> Optional[ExternalClass]:
        if qualified in self._classes:
            return self._classes[qualified]
        if depth > MAX_DEPTH:
            return None
        self._classes[qualified] = None  # a cycle ends the chain
        found = self._compute(qualified, depth)
        self._classes[qualified] = found
        return found

    def _compute(self, qualified: str, depth: int) -> Optional[ExternalClass]:
        target = self._find(qualified, depth)
        if target is None:
            return None
        if isinstance(target, str):  # a Keras name
            kind = keras_base_kind(target)
            return ExternalClass(kind, frozenset(), frozenset({target})) if kind else None
        module, name = target
        defined = f"{module.name}.{name}"
        if defined != qualified:  # a re-export: one answer per class, under its own name
            return self._summary(defined, depth + 1)
        bases, methods = module.classes[name]
        kinds, keras, inherited = set(), set(), set(methods)
        for base in bases:
            absolute = self._qualify(module, base, depth + 1)
            parent = self._summary(absolute, depth + 1) if absolute else None
            if parent is not None:
                kinds.add(parent.kind)
                keras |= parent.keras_bases
                inherited |= parent.methods
        if not kinds:
            return None
        kind = "model" if "model" in kinds else "layer"
        return ExternalClass(kind, frozenset(inherited), frozenset(keras))

    def _find(self, qualified: str, depth: int):
        """A Keras name (str), (module, class name) for a class defined in a package, or None."""
        if depth > MAX_DEPTH:
            return None
        parts = qualified.split(".")
        if parts[0] in LIBRARY_HEADS:
            return qualified
        if parts[0] in _STDLIB:
            return None
        for cut in range(len(parts) - 1, 0, -1):
            module = self._module(".".join(parts[:cut]))
            if module is None:
                continue
            rest = parts[cut:]
            if len(rest) == 1 and rest[0] in module.classes:
                return module, rest[0]
            further = self._qualify(module, ".".join(rest), depth + 1)
            if further is None or further == qualified:
                return None
            return self._find(further, depth + 1)
        return None

    def _qualify(self, module: _Module, dotted: str, depth: int) -> Optional[str]:
        """The absolute name `dotted`, as written in `module`, stands for."""
        if depth > MAX_DEPTH:
            return None
        head, _, rest = dotted.partition(".")
        if head in module.classes:
            return f"{module.name}.{head}" if not rest else None
        if head in module.imports:
            return _join(module.imports[head], rest)
        if head in module.aliases:
            return self._qualify(module, _join(module.aliases[head], rest), depth + 1)
        for star in module.stars:
            if star.partition(".")[0] in LIBRARY_HEADS:
                if keras_base_kind(f"{star}.{head}"):
                    return _join(f"{star}.{head}", rest)
                continue
            source = self._module(star)
            if source is not None and head in source.defined:
                return _join(f"{star}.{head}", rest)
        return None

    # ---- modules ---------------------------------------------------------------------------
    def _module(self, name: str) -> Optional[_Module]:
        if name in self._modules:
            return self._modules[name]
        located = self._locate(name)
        module = None
        if located is not None:
            file, _ = located
            module = _Module(name, {}, (), {}, {}, frozenset()) if file is None else self._read(name, file)
        self._modules[name] = module
        return module

    def _read(self, name: str, file: str) -> Optional[_Module]:
        if self.files_read >= self._max_files:
            return None
        self.files_read += 1
        try:
            if os.path.getsize(file) > MAX_BYTES:
                return None
            with open(file, "rb") as handle:
                data = handle.read()
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                tree = ast.parse(data, file)
        except (OSError, SyntaxError, ValueError, RecursionError, MemoryError):
            return None
        facts = facts_pass.collect(file, tree)
        package = name if os.path.basename(file) == "__init__.py" else name.rpartition(".")[0]
        here = os.path.dirname(file)

        def absolute(anchor: str, target: str) -> str:
            if not anchor:
                return target
            steps = 0 if anchor == here else len(os.path.relpath(here, anchor).split(os.sep))
            base = ".".join(package.split(".")[: max(0, len(package.split(".")) - steps)])
            return _join(base, target)

        classes = {
            class_name: (tuple(found.bases), found.methods) for class_name, found in facts.classes.items()
        }
        return _Module(
            name=name,
            imports={local: absolute(*ref) for local, ref in facts.imports.items()},
            stars=tuple(absolute(*ref) for ref in facts.star_imports),
            aliases=dict(facts.aliases),
            classes=classes,
            defined=facts.defined | frozenset(classes),
        )

    def _locate(self, name: str):
        """(source file or None for a namespace package, submodule search locations)."""
        if name in self._located:
            return self._located[name]
        parent_name, _, last = name.rpartition(".")
        found = None
        if not parent_name:
            try:
                spec = PathFinder.find_spec(name, self._path)
            except (ImportError, ValueError, OSError):
                spec = None
            if spec is not None:
                origin = spec.origin if spec.has_location else None
                file = origin if origin and origin.endswith(".py") else None
                locations = list(spec.submodule_search_locations or ())
                if file is not None or locations:
                    found = (file, locations)
        else:
            parent = self._locate(parent_name)
            if parent is not None:
                found = _submodule(parent[1], last)
        self._located[name] = found
        return found


def _submodule(locations: list, name: str):
    portions = []
    for location in locations:
        directory = os.path.join(location, name)
        init = os.path.join(directory, "__init__.py")
        if os.path.isfile(init):
            return init, [directory]
        if os.path.isfile(directory + ".py"):
            return directory + ".py", []
        if os.path.isdir(directory):
            portions.append(directory)
    return (None, portions) if portions else None


def _join(left: str, right: str) -> str:
    if not left:
        return right
    return f"{left}.{right}" if right else left


class KnownExternals:
    """The answers of one run, worked out once in the main process and shipped to the
    workers (`known`), with a resolver of their own for a name nobody asked before (a
    fix that rewrote a file). `asked`, when a set, records every name looked up, for
    the result cache."""

    def __init__(self, known=(), asked: Optional[set] = None, fallback: Optional[ExternalResolver] = None):
        self.known = dict(known)
        self.asked = asked
        self._fallback = fallback

    def recording(self, asked: set) -> "KnownExternals":
        twin = KnownExternals((), asked, self._resolver())
        twin.known = self.known
        return twin

    def get(self, qualified: str) -> Optional[ExternalClass]:
        if self.asked is not None:
            self.asked.add(qualified)
        if qualified in self.known:
            return self.known[qualified]
        return self._resolver().get(qualified)

    def _resolver(self) -> ExternalResolver:
        if self._fallback is None:
            self._fallback = ExternalResolver()
        return self._fallback


# The cache records an external name as a dependency under this prefix (never a path).
DEPENDENCY_PREFIX = "external:"
