"""The first pass for saving (KC305): what a module saves, what it loads, and which class
names it hands to Keras for a reload.

Stdlib `ast`, one module at a time, nothing resolved across files: calls are kept by their
dotted name as written (`model.save`, `keras.models.load_model`), and
:mod:`kerascheck.semantic.saving` resolves them with the project index. A module is cut
into units: each module-level function and class (all of its body, nested code
included) and the module's own statements. A unit that saves a model is where the
classes it constructs (or the builder functions it calls construct) end up in a saved
model. A saved path's format is read from its known end (a literal, the last text of an
f-string, `os.path.join(..., "m.h5")`, a local or module-level name assigned one of those).
"""
from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Optional

from kerascheck.semantic import knowledge
from kerascheck.semantic.model_slice import Slicer
from kerascheck.semantic.names import ast_dotted

MODULE_BODY = ""  # the unit of the module's own statements
_MAX_DEPTH = 3  # names followed to the value they were assigned
_PATH_WRAPPERS = frozenset({"join", "Path", "PurePath", "str", "abspath", "expanduser", "fspath", "realpath"})
_DEFINITIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


@dataclass(frozen=True)
class SaveSite:
    """A whole-model save: `x.save(path)`, `save_model(x, path)`, `ModelCheckpoint(path)`."""

    line: int
    callee: str  # as written
    format: Optional[str]  # knowledge.FORMAT_*, None when the path's end is not known
    name: Optional[str] = None  # the file's name ("model.keras"), when known in full
    path: Optional[str] = None  # the path expression, as written (`checkpoint_path`)
    # The callables called to build the saved model (kerascheck.semantic.model_slice),
    # None when the unit does not show how it was built.
    built: Optional[frozenset] = None


@dataclass(frozen=True)
class LoadSite:
    """A `load_model(path, ...)` call (resolved later: it may be a project's own function)."""

    line: int
    callee: str
    format: Optional[str]
    compiles: bool  # compile= is not False: the loss and metrics are rebuilt too
    name: Optional[str] = None
    path: Optional[str] = None
    unit: str = MODULE_BODY  # the unit that makes the call


@dataclass(frozen=True)
class Coverage:
    """The class names a module hands to Keras: `custom_objects=`, `custom_object_scope(...)`,
    `get_custom_objects()` updates, `register_keras_serializable(...)(cls)` calls."""

    names: frozenset = frozenset()  # string keys ("Scale")
    refs: frozenset = frozenset()  # values as written ("Scale", "blocks.Scale")
    unknown: bool = False  # one was not a literal: it may name any class

    def __or__(self, other: "Coverage") -> "Coverage":
        return Coverage(self.names | other.names, self.refs | other.refs, self.unknown or other.unknown)


@dataclass(frozen=True)
class Unit:
    callees: frozenset  # the dotted callables its code calls, as written
    saves: tuple  # SaveSite, in source order


@dataclass(frozen=True)
class SavingFacts:
    units: dict  # unit name (MODULE_BODY for the module's statements) -> Unit
    loads: tuple  # LoadSite
    coverage: Coverage

    @property
    def relevant(self) -> bool:
        """Whether the module saves a model, loads one or names custom objects."""
        coverage = self.coverage
        return bool(self.loads or coverage.names or coverage.refs or coverage.unknown
                    or any(unit.saves for unit in self.units.values()))


def collect(tree: ast.Module) -> SavingFacts:
    module_statements = [statement for statement in tree.body if not isinstance(statement, _DEFINITIONS)]
    bodies = [(MODULE_BODY, module_statements, ())]
    for statement in tree.body:
        if isinstance(statement, _DEFINITIONS):
            methods = tuple(item for item in statement.body if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef))) \
                if isinstance(statement, ast.ClassDef) else ()
            bodies.append((statement.name, [statement], methods))
    units: dict = {}
    loads: list = []
    coverage = Coverage()
    module_scope: Optional[_Scope] = None
    for name, roots, methods in bodies:
        nodes = _walk(roots)
        callees, relevant = _callees(nodes)
        if not relevant:  # most code saves, loads and registers nothing: its calls are enough
            if callees:
                units[name] = Unit(frozenset(callees), ())
            continue
        if module_scope is None:
            module_scope = _Scope(nodes if name == MODULE_BODY else _walk(module_statements), None)
        scope = module_scope if name == MODULE_BODY else _Scope(nodes, module_scope)
        reader = _UnitReader(name, scope, Slicer(nodes, methods))
        for node in nodes:
            reader.visit(node)
        units[name] = Unit(frozenset(callees), tuple(sorted(reader.saves, key=lambda site: site.line)))
        loads.extend(sorted(reader.loads, key=lambda site: site.line))
        coverage = coverage | reader.coverage
    return SavingFacts(units, tuple(loads), coverage)


# Nodes that hold no call and no name: not visited (a third of a tree).
_LEAVES = (ast.expr_context, ast.boolop, ast.operator, ast.unaryop, ast.cmpop)


def _walk(roots: list) -> list:
    """Every node under the roots (in no particular order), as `ast.walk` gives them,
    without the operator and context leaves."""
    found: list = []
    todo = list(roots)
    pop, push, keep = todo.pop, todo.append, found.append
    node_type, leaves = ast.AST, _LEAVES
    while todo:
        node = pop()
        keep(node)
        for field in node._fields:
            value = getattr(node, field, None)
            if value.__class__ is list:
                for item in value:
                    if isinstance(item, node_type):
                        push(item)
            elif isinstance(value, node_type) and not isinstance(value, leaves):
                push(value)
    return found


# The last names of the calls that make a unit worth reading in full.
_RELEVANT_CALLS = knowledge.SAVED_CALL_NAMES | knowledge.CUSTOM_OBJECT_SCOPES | {
    knowledge.LOAD_CALL_NAME, knowledge.CUSTOM_OBJECTS_FUNCTION, knowledge.REGISTER_DECORATOR}


def _callees(nodes: list) -> tuple[set, bool]:
    """The dotted callables the nodes call, and whether any call saves, loads or names
    custom objects."""
    callees: set = set()
    relevant = False
    for node in nodes:
        if type(node) is ast.Call:
            dotted = ast_dotted(node.func)
            if dotted is not None:
                callees.add(dotted)
            if not relevant:
                relevant = _last_name(node) in _RELEVANT_CALLS or any(
                    keyword.arg == knowledge.CUSTOM_OBJECTS_KEYWORD for keyword in node.keywords)
    return callees, relevant


def format_of(end: Optional[tuple[str, bool]]) -> Optional[str]:
    """The format Keras writes for a path with this known end: .keras, .h5/.hdf5, else
    (tf_keras) a SavedModel directory; None when the end is unknown or a placeholder."""
    if end is None:
        return None
    text = end[0].strip().lower()
    if text.endswith(knowledge.KERAS_FILE_SUFFIXES):
        return knowledge.FORMAT_KERAS
    if text.endswith(knowledge.H5_FILE_SUFFIXES):
        return knowledge.FORMAT_H5
    if not text or text.endswith(("}", "%s", "%d")):
        return None
    return knowledge.FORMAT_DIR


def file_name(end: Optional[tuple[str, bool]]) -> Optional[str]:
    """The file's name (its last path component) when the known end holds all of it:
    a whole literal, or text after a "/"; None for a placeholder or a partial name
    (`f"{run}_best.keras"`)."""
    if end is None:
        return None
    text, whole = end
    if "/" in text:
        text, whole = text.rstrip("/").rpartition("/")[2], True
    if not whole or not text or any(mark in text for mark in "{}%*"):
        return None
    return text


class _Scope:
    """The plain assignments of a unit (`name = value`, `name[key] = value`,
    `name.update(...)`), falling back to the module's for names the unit does not bind."""

    def __init__(self, nodes: list, outer: Optional["_Scope"]):
        self.outer = outer
        self.values: dict[str, list] = {}
        self.items: dict[str, list] = {}  # name -> [(key node or None, value node)]
        self.updates: dict[str, list] = {}  # name -> [update Call]
        for node in nodes:
            if isinstance(node, ast.Assign):
                for target in node.targets:
                    if isinstance(target, ast.Name):
                        self.values.setdefault(target.id, []).append(node.value)
                    elif isinstance(target, ast.Subscript) and isinstance(target.value, ast.Name):
                        self.items.setdefault(target.value.id, []).append((target.slice, node.value))
            elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value is not None:
                self.values.setdefault(node.target.id, []).append(node.value)
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "update" \
                    and isinstance(node.func.value, ast.Name):
                self.updates.setdefault(node.func.value.id, []).append(node)

    def value(self, name: str) -> Optional[ast.AST]:
        """The one value `name` is assigned here (or in the module), else None."""
        values = self.values.get(name)
        if values is None:
            return self.outer.value(name) if self.outer is not None else None
        return values[0] if len(values) == 1 else None

    def all_values(self, name: str) -> list:
        """Every value `name` is assigned here (or, if never here, in the module)."""
        if name not in self.values and self.outer is not None:
            return self.outer.all_values(name)
        return self.values.get(name, [])

    def owner(self, name: str) -> "_Scope":
        """The scope whose assignments `name` refers to."""
        if name in self.values or self.outer is None:
            return self
        return self.outer.owner(name)


class _UnitReader:
    def __init__(self, name: str, scope: _Scope, slicer: Slicer):
        self.name = name
        self.scope = scope
        self.slicer = slicer
        self.saves: list = []
        self.loads: list = []
        self.coverage = Coverage()
        self._registries = {name for name, values in scope.values.items()
                            if any(_last_name(value) == knowledge.CUSTOM_OBJECTS_FUNCTION for value in values)}
        for name in self._registries:  # objects = get_custom_objects(); objects[...] = ...; objects.update(...)
            self.coverage = self.coverage | self._filled(scope, name)

    def visit(self, node: ast.AST) -> None:
        if isinstance(node, ast.Assign):
            for target in node.targets:  # get_custom_objects()["Scale"] = Scale
                if isinstance(target, ast.Subscript) and _last_name(target.value) == knowledge.CUSTOM_OBJECTS_FUNCTION:
                    self.coverage = self.coverage | _item(target.slice, node.value)
            return
        if not isinstance(node, ast.Call):
            return
        dotted = ast_dotted(node.func)
        name = _last_name(node)
        for keyword in node.keywords:
            # `custom_objects=` of any call; a load_model(path, **options) may hold one too.
            if keyword.arg == knowledge.CUSTOM_OBJECTS_KEYWORD or (keyword.arg is None and name == knowledge.LOAD_CALL_NAME):
                self.coverage = self.coverage | self._objects(keyword.value)
        if name in knowledge.SAVED_CALL_NAMES:
            self._save(node, dotted, name)
        elif name == knowledge.LOAD_CALL_NAME:
            self._load(node, dotted)
        elif name in knowledge.CUSTOM_OBJECT_SCOPES:
            for argument in node.args:
                self.coverage = self.coverage | self._objects(argument)
        elif name == "update" and isinstance(node.func, ast.Attribute) \
                and _last_name(node.func.value) == knowledge.CUSTOM_OBJECTS_FUNCTION:
            self.coverage = self.coverage | self._update(node)
        elif isinstance(node.func, ast.Call) and _last_name(node.func) == knowledge.REGISTER_DECORATOR:
            refs = frozenset(filter(None, map(ast_dotted, node.args)))  # register(...)(Scale)
            self.coverage = self.coverage | Coverage(refs=refs)

    # ---- saves and loads -------------------------------------------------------------------
    def _save(self, node: ast.Call, dotted: Optional[str], name: str) -> None:
        if dotted is None:
            return
        if name == "ModelCheckpoint":
            weights_only = _keyword(node, "save_weights_only")
            if weights_only is not None and not _is_false(weights_only):
                return
            path = _argument(node, 0, "filepath")
        else:
            path = _argument(node, 1 if name == "save_model" else 0, "filepath")
        if path is None:
            return
        end = _end(path, self.scope)
        found = format_of(end)
        requested = _keyword(node, "save_format")
        if isinstance(requested, ast.Constant) and requested.value in knowledge.SAVE_FORMATS:
            found = knowledge.SAVE_FORMATS[requested.value]
        if name == knowledge.SAVE_METHOD and found not in (knowledge.FORMAT_KERAS, knowledge.FORMAT_H5):
            # `x.save(path)` on anything: a checkpoint, a tokenizer, a TF1 Saver. Without a
            # model file's name, only a receiver named like a model counts.
            receiver = dotted.rpartition(".")[0].rpartition(".")[2]
            if "model" not in receiver.lower():
                return
        self.saves.append(SaveSite(node.lineno, dotted, found, file_name(end), _source(path), self._built(node, name)))

    def _built(self, node: ast.Call, name: str) -> Optional[frozenset]:
        """What the saved model is built from, by a backward slice from the save."""
        if name == "ModelCheckpoint":
            fitted = self.slicer.fitted_model(node)
            return self.slicer.built_from(*fitted) if fitted is not None else None
        model = node.func.value if name == knowledge.SAVE_METHOD else _argument(node, 0, "model")
        receiver = ast_dotted(model) if model is not None else None
        return self.slicer.built_from(receiver, node.lineno) if receiver is not None else None

    def _load(self, node: ast.Call, dotted: Optional[str]) -> None:
        if dotted is None:
            return
        path = _argument(node, 0, "filepath")
        objects = _argument(node, 1, knowledge.CUSTOM_OBJECTS_KEYWORD)
        if objects is not None and _keyword(node, knowledge.CUSTOM_OBJECTS_KEYWORD) is None:
            self.coverage = self.coverage | self._objects(objects)  # load_model(path, {"Scale": Scale})
        compile_flag = _argument(node, 2, "compile")
        end = _end(path, self.scope) if path is not None else None
        self.loads.append(LoadSite(node.lineno, dotted, format_of(end), compile_flag is None or not _is_false(compile_flag),
                                   file_name(end), _source(path) if path is not None else None, self.name))

    # ---- what the custom objects name ---------------------------------------------------------
    def _objects(self, node: ast.AST, depth: int = 0) -> Coverage:
        """The names and classes a custom-objects value holds."""
        if isinstance(node, ast.Constant) and node.value is None:
            return Coverage()
        if isinstance(node, ast.Dict):
            found = Coverage()
            for key, value in zip(node.keys, node.values):
                found = found | (self._objects(value, depth + 1) if key is None else _item(key, value))
            return found
        if isinstance(node, ast.Call) and _last_name(node) == "dict":
            found = Coverage()
            for argument in node.args:
                found = found | self._objects(argument, depth + 1)
            for keyword in node.keywords:
                if keyword.arg is None:
                    found = found | self._objects(keyword.value, depth + 1)
                else:
                    found = found | _item(ast.Constant(keyword.arg), keyword.value)
            return found
        if isinstance(node, ast.Name) and depth < _MAX_DEPTH and node.id not in self._registries:
            value = self.scope.value(node.id)
            if value is not None:
                return self._objects(value, depth + 1) | self._filled(self.scope.owner(node.id), node.id)
        return Coverage(unknown=True)

    def _filled(self, scope: _Scope, name: str) -> Coverage:
        """What `name[key] = value` and `name.update(...)` add to a dict."""
        found = Coverage()
        for key, value in scope.items.get(name, ()):
            found = found | _item(key, value)
        for call in scope.updates.get(name, ()):
            found = found | self._update(call)
        return found

    def _update(self, call: ast.Call) -> Coverage:
        found = Coverage()
        for argument in call.args:
            found = found | self._objects(argument)
        for keyword in call.keywords:
            if keyword.arg is None:
                found = found | self._objects(keyword.value)
            else:
                found = found | _item(ast.Constant(keyword.arg), keyword.value)
        return found


def _item(key: ast.AST, value: ast.AST) -> Coverage:
    """One entry `key: value` of a custom-objects dict."""
    names = frozenset({key.value}) if isinstance(key, ast.Constant) and isinstance(key.value, str) else frozenset()
    ref = ast_dotted(value)
    if not names and ref is None:
        return Coverage(unknown=True)
    return Coverage(names=names, refs=frozenset({ref}) if ref else frozenset())


def _end(node: ast.AST, scope: _Scope, depth: int = 0) -> Optional[tuple[str, bool]]:
    """The known end of a path expression, and whether it is a whole path or path
    component (a literal) rather than the tail of a longer name; None when unknown."""
    if isinstance(node, ast.Constant):
        return (node.value, True) if isinstance(node.value, str) else None
    if isinstance(node, ast.JoinedStr):
        last = node.values[-1] if node.values else None
        whole = len(node.values) == 1
        return (last.value, whole) if isinstance(last, ast.Constant) and isinstance(last.value, str) else None
    if isinstance(node, ast.BinOp):
        if isinstance(node.op, ast.Div):  # Path(d) / "m.keras": a whole component
            return _end(node.right, scope, depth)
        if isinstance(node.op, ast.Add):
            found = _end(node.right, scope, depth)
            return (found[0], False) if found else None
        if isinstance(node.op, ast.Mod):  # "m_%d.h5" % epoch
            found = _end(node.left, scope, depth)
            return (found[0], False) if found else None
        return None
    if isinstance(node, ast.Call):
        name = _last_name(node)
        if name in _PATH_WRAPPERS and node.args and not isinstance(node.args[-1], ast.Starred):
            return _end(node.args[-1], scope, depth)
        if name == "format" and isinstance(node.func, ast.Attribute):
            found = _end(node.func.value, scope, depth)
            return (found[0], False) if found else None
        return None
    if isinstance(node, ast.Name) and depth < _MAX_DEPTH:
        ends = {_end(value, scope, depth + 1) for value in scope.all_values(node.id)}
        return ends.pop() if len(ends) == 1 else None  # assigned once, or the same end each time
    return None


def _last_name(node: ast.AST) -> Optional[str]:
    """The last name of a call's callee (`load_model` in `keras.models.load_model(...)`)."""
    if isinstance(node, ast.Call):
        node = node.func
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Name):
        return node.id
    return None


def _keyword(call: ast.Call, name: str) -> Optional[ast.AST]:
    return next((keyword.value for keyword in call.keywords if keyword.arg == name), None)


def _argument(call: ast.Call, position: int, name: str) -> Optional[ast.AST]:
    found = _keyword(call, name)
    if found is not None:
        return found
    if any(isinstance(argument, ast.Starred) for argument in call.args[: position + 1]):
        return None
    return call.args[position] if len(call.args) > position else None


def _source(node: ast.AST) -> Optional[str]:
    text = ast.unparse(node)
    return text if len(text) <= 200 else None


def _is_false(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and node.value is False
