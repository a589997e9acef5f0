"""What to execute to build one class without running the user's script.

Many Keras files are training scripts: their top level loads data, calls `fit` and
writes checkpoints. To build a flagged class, kerascheck executes only what the class
needs: the imports that bind names it uses, the class itself, and the module-level
definitions it references, transitively (base classes, helper functions, constants),
in this module and in the in-tree modules it imports. `if __name__ == "__main__":`
blocks, loops, `with` blocks and bare expression statements (`model.fit(...)`) are
never executed.

Two halves, both stdlib `ast` only:

- :class:`Planner` (main process) follows names through modules and imports and
  returns, per file, the module-level names that must exist ("needs").
- :func:`module_code` (worker process) turns a file and its needs into the code to
  execute, keeping the original line numbers, so tracebacks point at the user's lines.

A module absent from the plan (imported dynamically) gets its "quiet" view: its
imports, functions, classes and assignments whose values call nothing but builtins and
library functions. A module whose top level is definitions only may, as a fallback, be
imported for real (`mode="real"`).
"""
from __future__ import annotations

import ast
import builtins
import importlib.util
import os
import sys
from dataclasses import dataclass, field
from typing import Iterable, Optional, Union

ALL = "*"
BARE = None  # a name used as itself, not only through attributes (`m` vs `m.X`)
Needs = Union[frozenset, str]  # names, or ALL

_BUILTINS = frozenset(dir(builtins)) | {"__file__", "__name__", "__doc__", "__spec__", "__package__"}
# Top-level import names that are never a module of the user's tree.
PROTECTED = frozenset(
    {"keras", "tensorflow", "tf_keras", "keras_core", "numpy", "kerascheck", "__future__", "__main__"}
) | frozenset(getattr(sys, "stdlib_module_names", ()))

# Calls that keep an assignment "quiet" (safe to run when the module is imported whole).
_QUIET_CALLS = frozenset(
    """dict list tuple set frozenset int float str bool bytes complex range len sorted reversed
    enumerate zip min max abs round sum any all object type getattr hasattr isinstance issubclass
    namedtuple NamedTuple TypeVar NewType Generic Protocol getLogger get_logger compile join
    dirname abspath basename realpath normpath expanduser get getenv field dataclass partial
    OrderedDict defaultdict Counter deque Enum IntEnum cast format replace lower upper split
    strip keys values items copy deepcopy register_keras_serializable
    """.split()
)
# Methods whose call at module level means "this module runs things".
_RUNNING_CALLS = frozenset(
    """fit fit_generator evaluate evaluate_generator predict predict_generator train_on_batch
    test_on_batch predict_on_batch save save_weights load_weights load_model load_data compile
    adapt summary plot_model run main train download get_file read_csv read_parquet savefig
    show system popen call check_call check_output urlopen urlretrieve mkdir makedirs
    """.split()
)
# Method calls on a needed name that configure it (argparse, registries): kept.
_CONFIGURING_METHODS = frozenset(
    """add_argument add_argument_group add_mutually_exclusive_group set_defaults update
    append extend setdefault register add insert
    """.split()
)


# ---- reading modules ----------------------------------------------------------------------
def parse(text: str, path: str) -> ast.Module:
    return ast.parse(text, filename=path)


def is_main_guard(stmt: ast.stmt) -> bool:
    """`if __name__ == "__main__":` (either operand order)."""
    if not isinstance(stmt, ast.If) or not isinstance(stmt.test, ast.Compare):
        return False
    test = stmt.test
    if len(test.ops) != 1 or not isinstance(test.ops[0], ast.Eq):
        return False
    sides = [test.left, test.comparators[0]]
    names = [s.id for s in sides if isinstance(s, ast.Name)]
    strings = [s.value for s in sides if isinstance(s, ast.Constant)]
    return names == ["__name__"] and strings == ["__main__"]


def _alias_binding(alias: ast.alias, node: ast.stmt) -> Optional[str]:
    if alias.name == "*":
        return None
    if alias.asname:
        return alias.asname
    return alias.name.split(".")[0] if isinstance(node, ast.Import) else alias.name


def _target_names(target: ast.expr) -> list[str]:
    if isinstance(target, ast.Name):
        return [target.id]
    if isinstance(target, (ast.Tuple, ast.List)):
        return [name for element in target.elts for name in _target_names(element)]
    if isinstance(target, ast.Starred):
        return _target_names(target.value)
    return []


def _target_root(target: ast.expr) -> Optional[str]:
    """`CONFIG` for `CONFIG["a"] = ...` / `CONFIG.a = ...` (a mutation of a name)."""
    while isinstance(target, (ast.Subscript, ast.Attribute)):
        target = target.value
    return target.id if isinstance(target, ast.Name) else None


def assigned_names(stmt: ast.stmt) -> list[str]:
    if isinstance(stmt, ast.Assign):
        return [name for target in stmt.targets for name in _target_names(target)]
    if isinstance(stmt, (ast.AnnAssign, ast.AugAssign)):
        return _target_names(stmt.target)
    return []


def _mutated_name(stmt: ast.stmt) -> Optional[str]:
    """The module-level name a statement configures without binding it."""
    if isinstance(stmt, ast.Assign):
        roots = {_target_root(t) for t in stmt.targets if not isinstance(t, ast.Name)}
        roots.discard(None)
        return next(iter(roots)) if len(roots) == 1 and not assigned_names(stmt) else None
    if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call):
        func = stmt.value.func
        if isinstance(func, ast.Attribute) and func.attr in _CONFIGURING_METHODS:
            return _target_root(func.value)
    return None


def _called_names(expr: ast.AST) -> list[tuple[Optional[str], str]]:
    """(root name or None, last name) of every call in `expr`, outside lambdas."""
    found = []
    todo = [expr]
    while todo:
        node = todo.pop()
        if isinstance(node, ast.Lambda):
            continue
        if isinstance(node, ast.Call):
            func = node.func
            last = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            found.append((_target_root(func), last))
        todo.extend(ast.iter_child_nodes(node))
    return found


def quiet_value(value: Optional[ast.AST], imported: Iterable[str]) -> bool:
    """Does evaluating `value` call nothing but builtins and library functions that do not
    run a training (no `build_model()`, `model.fit()`, `load_data()`)?"""
    if value is None:
        return True
    imported = set(imported)
    for root, last in _called_names(value):
        if last in _RUNNING_CALLS:
            return False
        if last in _QUIET_CALLS:
            continue
        if root is not None and root in imported and root != last:
            continue  # keras.initializers.GlorotUniform(), np.zeros(...)
        return False
    return True


def _imported_names(body: list[ast.stmt]) -> set[str]:
    names = set()
    for stmt in body:
        if isinstance(stmt, (ast.Import, ast.ImportFrom)):
            names.update(filter(None, (_alias_binding(a, stmt) for a in stmt.names)))
        elif isinstance(stmt, ast.Try):
            for block in (stmt.body, *(h.body for h in stmt.handlers), stmt.orelse):
                names |= _imported_names(block)
        elif isinstance(stmt, ast.If):
            names |= _imported_names(stmt.body) | _imported_names(stmt.orelse)
    return names


def definitions_only(tree: ast.Module) -> bool:
    """Whether importing the module only defines things: imports, functions, classes,
    quiet assignments, `__main__` guards and version checks around those."""
    imported = _imported_names(tree.body)

    def block(body) -> bool:
        for stmt in body:
            if isinstance(stmt, (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.AsyncFunctionDef,
                                 ast.ClassDef, ast.Pass)):
                continue
            if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant):
                continue  # a docstring
            if isinstance(stmt, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
                if quiet_value(stmt.value, imported):
                    continue
                return False
            if isinstance(stmt, ast.If):
                if is_main_guard(stmt) or (block(stmt.body) and block(stmt.orelse)):
                    continue
                return False
            if isinstance(stmt, ast.Try):
                if all(block(b) for b in (stmt.body, *(h.body for h in stmt.handlers), stmt.orelse, stmt.finalbody)):
                    continue
                return False
            return False
        return True

    return block(tree.body)


# ---- names a statement reads ----------------------------------------------------------------
def _function_locals(node) -> set[str]:
    args = node.args
    names = {a.arg for a in (*args.posonlyargs, *args.args, *args.kwonlyargs)}
    names |= {a.arg for a in (args.vararg, args.kwarg) if a is not None}
    declared_global: set[str] = set()
    body = node.body if isinstance(node.body, list) else [node.body]
    for stmt in body:
        for sub in ast.walk(stmt):
            if isinstance(sub, ast.Name) and isinstance(sub.ctx, (ast.Store, ast.Del)):
                names.add(sub.id)
            elif isinstance(sub, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                names.add(sub.name)
            elif isinstance(sub, (ast.Import, ast.ImportFrom)):
                names.update(filter(None, (_alias_binding(a, sub) for a in sub.names)))
            elif isinstance(sub, ast.ExceptHandler) and sub.name:
                names.add(sub.name)
            elif isinstance(sub, ast.Global):
                declared_global.update(sub.names)
            elif isinstance(sub, ast.arg):
                names.add(sub.arg)
    return names - declared_global


class _Uses:
    """Free names of a module-level statement, each with the attribute chains read on it
    (`layers.Dense` -> {"layers": {("Dense",)}}); BARE in the set when used as itself."""

    def __init__(self):
        self.found: dict[str, set] = {}

    def add(self, name: str, chain) -> None:
        if name not in _BUILTINS:
            self.found.setdefault(name, set()).add(chain)

    def visit(self, node: ast.AST, local: frozenset) -> None:
        if isinstance(node, ast.Name):
            if isinstance(node.ctx, ast.Load) and node.id not in local:
                self.add(node.id, BARE)
            return
        if isinstance(node, ast.Attribute):
            chain = []
            base = node
            while isinstance(base, ast.Attribute):
                chain.append(base.attr)
                base = base.value
            if isinstance(base, ast.Name):
                if base.id not in local:
                    self.add(base.id, tuple(reversed(chain)))
                return
            self.visit(base, local)
            return
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            args = node.args
            for default in (*args.defaults, *(d for d in args.kw_defaults if d is not None)):
                self.visit(default, local)
            if not isinstance(node, ast.Lambda):
                for decorator in node.decorator_list:
                    self.visit(decorator, local)
            inner = local | _function_locals(node)
            body = node.body if isinstance(node.body, list) else [node.body]
            for stmt in body:
                self.visit(stmt, frozenset(inner))
            return
        if isinstance(node, ast.ClassDef):
            for expr in (*node.decorator_list, *node.bases, *(k.value for k in node.keywords)):
                self.visit(expr, local)
            class_names = {n for stmt in node.body for n in assigned_names(stmt)}
            class_names |= {s.name for s in node.body if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))}
            for stmt in node.body:
                if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    self.visit(stmt, local)  # methods do not see class-level names
                else:
                    self.visit(stmt, local | frozenset(class_names))
            return
        if isinstance(node, (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)):
            targets = {n.id for g in node.generators for n in ast.walk(g.target) if isinstance(n, ast.Name)}
            inner = local | frozenset(targets)
            for number, generator in enumerate(node.generators):
                self.visit(generator.iter, local if number == 0 else inner)
                for condition in generator.ifs:
                    self.visit(condition, inner)
            for part in ([node.key, node.value] if isinstance(node, ast.DictComp) else [node.elt]):
                self.visit(part, inner)
            return
        if isinstance(node, (ast.Import, ast.ImportFrom, ast.Global, ast.Nonlocal)):
            return
        for child in ast.iter_child_nodes(node):
            self.visit(child, local)


def uses(node: ast.AST) -> dict[str, set]:
    collector = _Uses()
    collector.visit(node, frozenset())
    return collector.found


# ---- the module's module-level bindings -----------------------------------------------------
@dataclass
class Binding:
    stmt: ast.stmt
    tests: list  # the `if` tests and enclosing statements it sits in (evaluated too)
    top: bool = True  # at the module's top level, not inside an `if` or `try`

    @property
    def line(self) -> int:
        return self.stmt.lineno


def choose(bindings: list, limit: float) -> list:
    """The bindings of a name in force at line `limit`, as the script would have them
    there: from the last unconditional binding before it on (conditional ones after it
    too), or, when the name is only bound later (a helper defined below the class),
    up to its first unconditional binding."""
    before = [b for b in bindings if b.line < limit]
    if before:
        tops = [b for b in before if b.top]
        return [b for b in before if b.line >= tops[-1].line] if tops else before
    tops = [b for b in bindings if b.top]
    return [b for b in bindings if b.line <= tops[0].line] if tops else list(bindings)


@dataclass
class ModuleInfo:
    tree: ast.Module
    bindings: dict = field(default_factory=dict)  # name -> [Binding] (def, class, assignment)
    mutations: dict = field(default_factory=dict)  # name -> [Binding] (x["a"] = ..., p.add_argument)
    imports: dict = field(default_factory=dict)  # name -> [(Import/ImportFrom node, alias)]
    stars: list = field(default_factory=list)  # ImportFrom nodes with `*`
    classes_in_functions: set = field(default_factory=set)

    @classmethod
    def of(cls, tree: ast.Module) -> "ModuleInfo":
        info = cls(tree)
        info._scan(tree.body, [], True)
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                info.classes_in_functions |= {n.name for n in ast.walk(node) if isinstance(n, ast.ClassDef)}
        return info

    def _scan(self, body, tests, top) -> None:
        for stmt in body:
            if isinstance(stmt, (ast.Import, ast.ImportFrom)):
                for alias in stmt.names:
                    if alias.name == "*":
                        self.stars.append(stmt)
                    else:
                        self.imports.setdefault(_alias_binding(alias, stmt), []).append((stmt, alias))
            elif isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                self.bindings.setdefault(stmt.name, []).append(Binding(stmt, tests, top))
            elif isinstance(stmt, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
                for name in assigned_names(stmt):
                    self.bindings.setdefault(name, []).append(Binding(stmt, tests, top and not isinstance(stmt, ast.AugAssign)))
                mutated = _mutated_name(stmt)
                if mutated:
                    self.mutations.setdefault(mutated, []).append(Binding(stmt, tests, top))
            elif isinstance(stmt, ast.Expr):
                mutated = _mutated_name(stmt)
                if mutated:
                    self.mutations.setdefault(mutated, []).append(Binding(stmt, tests, top))
            elif isinstance(stmt, ast.If) and not is_main_guard(stmt):
                self._scan(stmt.body, [*tests, stmt.test], False)
                self._scan(stmt.orelse, [*tests, stmt.test], False)
            elif isinstance(stmt, ast.Try):
                for block in (stmt.body, *(h.body for h in stmt.handlers), stmt.orelse, stmt.finalbody):
                    self._scan(block, tests, False)

    def defines(self, name: str) -> bool:
        return name in self.bindings or name in self.imports

    def quiet_names(self) -> set[str]:
        """The names the module's "quiet" view defines (see module docstring)."""
        imported = set(self.imports)
        names = set(imported)
        for name, bindings in self.bindings.items():
            if all(
                isinstance(b.stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
                or quiet_value(b.stmt.value, imported)
                for b in bindings
            ):
                names.add(name)
        return names


# ---- selecting the statements to run (worker side) ---------------------------------------------
def select(tree: ast.Module, needs, target: Optional[tuple[str, int]] = None) -> ast.Module:
    """The module with only the statements that define `needs`: ALL (the quiet view),
    names (every binding of them), or the planner's {"names": [...], "lines": [...]}
    (imports binding those names, and the binding statements starting on those lines).
    `target` (class name, line) keeps only that definition of the class."""
    info = ModuleInfo.of(tree)
    lines = None
    if needs == ALL:
        wanted = set(info.quiet_names())
    elif isinstance(needs, dict):
        wanted, lines = set(needs.get("names", ())), set(needs.get("lines", ()))
    else:
        wanted = set(needs)
    unresolved = {n for n in wanted if not info.defines(n)}

    def keep_def(stmt) -> bool:
        if lines is not None:
            return stmt.lineno in lines
        if stmt.name not in wanted:
            return False
        if target is not None and stmt.name == target[0] and isinstance(stmt, ast.ClassDef):
            first = min([stmt.lineno, *(d.lineno for d in stmt.decorator_list)])
            return first <= target[1] <= stmt.end_lineno
        return True

    def block(body) -> list:
        out = []
        for stmt in body:
            if isinstance(stmt, ast.ImportFrom) and stmt.module == "__future__":
                out.append(stmt)
            elif isinstance(stmt, (ast.Import, ast.ImportFrom)):
                aliases = [
                    a for a in stmt.names
                    if (a.name == "*" and unresolved) or (a.name != "*" and _alias_binding(a, stmt) in wanted)
                ]
                if aliases:
                    clone = ast.Import(names=aliases) if isinstance(stmt, ast.Import) else ast.ImportFrom(
                        module=stmt.module, names=aliases, level=stmt.level
                    )
                    out.append(ast.copy_location(clone, stmt))
            elif isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                if keep_def(stmt):
                    out.append(stmt)
            elif isinstance(stmt, (ast.Assign, ast.AnnAssign, ast.AugAssign, ast.Expr)):
                if lines is not None:
                    if stmt.lineno in lines and (assigned_names(stmt) or _mutated_name(stmt)):
                        out.append(stmt)
                elif set(assigned_names(stmt)) & wanted or _mutated_name(stmt) in wanted:
                    out.append(stmt)
            elif isinstance(stmt, ast.If) and not is_main_guard(stmt):
                body_kept, else_kept = block(stmt.body), block(stmt.orelse)
                if body_kept or else_kept:
                    clone = ast.If(test=stmt.test, body=body_kept or [_pass(stmt)], orelse=else_kept)
                    out.append(ast.copy_location(clone, stmt))
            elif isinstance(stmt, ast.Try):
                body_kept = block(stmt.body)
                handlers = [
                    ast.copy_location(
                        ast.ExceptHandler(type=h.type, name=h.name, body=block(h.body) or [_pass(h)]), h
                    )
                    for h in stmt.handlers
                ]
                orelse, final = block(stmt.orelse), block(stmt.finalbody)
                if body_kept or orelse or any(not isinstance(h.body[0], ast.Pass) for h in handlers):
                    clone = ast.Try(body=body_kept or [_pass(stmt)], handlers=handlers, orelse=orelse,
                                    finalbody=final)
                    if not handlers and not final:
                        clone.finalbody = [_pass(stmt)]
                    out.append(ast.copy_location(clone, stmt))
        return out

    module = ast.Module(body=block(tree.body), type_ignores=[])
    return ast.fix_missing_locations(module)


def _pass(near: ast.AST) -> ast.Pass:
    return ast.copy_location(ast.Pass(), near)


def module_code(text: str, path: str, needs: Needs, mode: str = "filtered", target=None):
    """The code object to execute for the module at `path` (worker side)."""
    tree = parse(text, path)
    if mode == "real" and definitions_only(tree):
        return compile(tree, path, "exec")
    return compile(select(tree, needs, target), path, "exec")


# ---- finding modules in the tree --------------------------------------------------------------
def module_name(path: str) -> tuple[str, str]:
    """(dotted module name, the directory it is importable from) for a file, by walking
    up the folders that hold an `__init__.py`."""
    directory, filename = os.path.split(os.path.abspath(path))
    stem = os.path.splitext(filename)[0]
    parts = [] if stem == "__init__" else [stem]
    while os.path.isfile(os.path.join(directory, "__init__.py")):
        parts.insert(0, os.path.basename(directory))
        parent = os.path.dirname(directory)
        if parent == directory:
            break
        directory = parent
    if not parts:  # an __init__.py at the file system root
        parts = [os.path.basename(directory) or "module"]
    return ".".join(parts), directory


def import_roots(path: str, project_root: str) -> list[str]:
    """Where top-level names are looked up for a class in `path`: the folder its package
    is importable from, then each folder up to the project root (and their `src/`)."""
    _, home = module_name(path)
    roots = [home]
    directory = os.path.dirname(os.path.abspath(path))
    stop = os.path.abspath(project_root)
    while True:
        for candidate in (directory, os.path.join(directory, "src")):
            if candidate not in roots and os.path.isdir(candidate):
                roots.append(candidate)
        if directory == stop or not directory.startswith(stop.rstrip(os.sep) + os.sep):
            break
        parent = os.path.dirname(directory)
        if parent == directory:
            break
        directory = parent
    return roots


@dataclass(frozen=True)
class Located:
    file: Optional[str]  # None for a namespace package
    dirs: tuple  # search locations when it is a package

    @property
    def is_package(self) -> bool:
        return bool(self.dirs)


def find_in(name: str, dirs: Iterable[str]) -> Optional[Located]:
    """`name` (one component) as a module or package in `dirs`, as Python's path finder
    would find it (regular package, then module, then namespace portions)."""
    portions = []
    for directory in dirs:
        package = os.path.join(directory, name)
        init = os.path.join(package, "__init__.py")
        if os.path.isfile(init):
            return Located(init, (package,))
        module = package + ".py"
        if os.path.isfile(module):
            return Located(module, ())
        if os.path.isdir(package) and name.isidentifier():
            portions.append(package)
    return Located(None, tuple(portions)) if portions else None


def locate(dotted: str, roots: list[str]) -> list[tuple[str, Located]]:
    """The modules importing `dotted` loads, outermost first: [("a", ...), ("a.b", ...)];
    shorter than the dotted name when a part is not in the tree."""
    parts = dotted.split(".")
    if not parts or parts[0] in PROTECTED:
        return []
    found = []
    dirs = roots
    for number, part in enumerate(parts):
        located = find_in(part, dirs)
        if located is None:
            break
        found.append((".".join(parts[: number + 1]), located))
        if not located.is_package:
            break
        dirs = located.dirs
    return found


# ---- the plan (main process) ------------------------------------------------------------------
@dataclass
class Plan:
    module: str  # the target's dotted module name
    path: str
    class_name: str
    line: int
    roots: list
    needs: dict  # file -> sorted names or ALL

    def to_json(self) -> dict:
        return {
            "module": self.module, "path": self.path, "class": self.class_name, "line": self.line,
            "roots": self.roots,
            "needs": {
                path: need if need == ALL else {"names": sorted(need["names"]), "lines": sorted(need["lines"])}
                for path, need in self.needs.items()
            },
        }


class NotIsolatable(Exception):
    """The class cannot be built without running code around it (why in the message)."""


class Planner:
    """Follows a class's names through its module and the in-tree modules it imports."""

    def __init__(self, read_text, project_root_of):
        self._read_text = read_text  # path -> source text (notebooks already converted)
        self._project_root_of = project_root_of
        self._infos: dict[str, Optional[ModuleInfo]] = {}

    def info(self, path: str) -> Optional[ModuleInfo]:
        if path not in self._infos:
            try:
                self._infos[path] = ModuleInfo.of(parse(self._read_text(path), path))
            except (OSError, SyntaxError, ValueError, RecursionError):
                self._infos[path] = None
        return self._infos[path]

    def plan(self, path: str, class_name: str, line: int, module: Optional[str] = None) -> Plan:
        info = self.info(path)
        if info is None:
            raise NotIsolatable("the file cannot be read or parsed")
        if class_name not in info.bindings:
            if class_name in info.classes_in_functions:
                raise NotIsolatable("the class is defined inside a function: it cannot be built without running it")
            raise NotIsolatable("the class is not defined at module level")
        dotted, _ = module_name(path)
        roots = import_roots(path, self._project_root_of(path))
        state = _PlanState(self, roots)
        state.module_names[path] = module or dotted
        definition = next(
            (b for b in info.bindings[class_name]
             if isinstance(b.stmt, ast.ClassDef) and line <= b.stmt.lineno <= b.stmt.end_lineno),
            None,
        )
        if definition is None:
            raise NotIsolatable("the class is not defined at module level")
        state.require(path, set())
        state.needs[path]["names"].add(class_name)
        state.keep(path, info, definition)
        for name, located in locate(dotted, roots)[:-1]:
            state.require(located.file, set()) if located.file else None
        state.run()
        return Plan(module or dotted, path, class_name, line, roots, state.needs)


_END = float("inf")


class _PlanState:
    def __init__(self, planner: Planner, roots: list):
        self.planner = planner
        self.roots = roots
        # file -> {"names": import-bound and requested names, "lines": statements to run}, or ALL
        self.needs: dict[str, Union[dict, str]] = {}
        self.module_names: dict[str, str] = {}
        self.requested: set = set()
        self.todo: list[tuple[str, str, float]] = []

    def require(self, path: Optional[str], names, limit: float = _END) -> None:
        """`names` of the module at `path` must exist (as bound before line `limit`)."""
        if path is None:
            return
        current = self.needs.get(path)
        if current == ALL:
            return
        if names == ALL:
            self.needs[path] = ALL
            info = self.planner.info(path)
            for name in sorted(info.quiet_names() if info else ()):
                self.todo.append((path, name, _END))
            return
        if current is None:
            self.needs[path] = {"names": set(), "lines": set()}
        for name in names:
            if (path, name, limit) not in self.requested:
                self.requested.add((path, name, limit))
                self.todo.append((path, name, limit))

    def run(self) -> None:
        while self.todo:
            path, name, limit = self.todo.pop()
            info = self.planner.info(path)
            if info is not None:
                self._need_name(path, info, name, limit)

    def keep(self, path: str, info: ModuleInfo, binding: Binding) -> None:
        """Run this statement, and what it reads, as bound where it stands."""
        need = self.needs[path]
        if need == ALL or binding.line in need["lines"]:
            return
        need["lines"].add(binding.line)
        for node in [*binding.tests, binding.stmt]:
            self._need_uses(path, info, uses(node), binding.line)

    def _need_name(self, path: str, info: ModuleInfo, name: str, limit: float) -> None:
        need = self.needs[path]
        if need != ALL:
            need["names"].add(name)
        chosen = choose(info.bindings[name], limit) if name in info.bindings else []
        start = min((b.line for b in chosen), default=0)
        for binding in chosen:
            self.keep(path, info, binding)
        for mutation in info.mutations.get(name, ()):
            if start <= mutation.line < limit:
                self.keep(path, info, mutation)
        for node, alias in info.imports.get(name, ()):
            self._follow_import(path, node, alias, {BARE})
        if not info.defines(name):
            for star in info.stars:
                for _, located in self._modules_of(path, star, star.module or ""):
                    other = self.planner.info(located.file) if located.file else None
                    if other is not None and other.defines(name):
                        self.require(located.file, {name})

    def _need_uses(self, path: str, info: ModuleInfo, found: dict, limit: float) -> None:
        for name, chains in found.items():
            if name in info.bindings or name in info.mutations:
                self.require(path, {name}, limit)
            if name in info.imports:
                self.require(path, {name}, limit)
                for node, alias in info.imports[name]:
                    self._follow_import(path, node, alias, chains)
            if not info.defines(name) and info.stars:
                self.require(path, {name}, limit)

    def _package_of(self, path: str) -> str:
        name = self.module_names.get(path) or module_name(path)[0]
        return name if os.path.basename(path) == "__init__.py" else name.rpartition(".")[0]

    def _absolute(self, path: str, node: ast.ImportFrom, module: str) -> Optional[str]:
        if not node.level:
            return module
        try:
            return importlib.util.resolve_name("." * node.level + module, self._package_of(path))
        except (ImportError, ValueError):
            return None

    def _modules_of(self, path: str, node, module: str) -> list:
        dotted = self._absolute(path, node, module) if isinstance(node, ast.ImportFrom) else module
        if not dotted:
            return []
        found = locate(dotted, self.roots)
        for name, located in found:
            if located.file:
                self.module_names.setdefault(located.file, name)
                self.require(located.file, set())  # its package __init__ runs
        return found if found and found[-1][0] == dotted else []

    def _follow_import(self, path: str, node, alias: ast.alias, chains: set) -> None:
        if isinstance(node, ast.Import):
            if alias.asname:
                found = self._modules_of(path, node, alias.name)
                if found:
                    self._need_module(found[-1][1], alias.name, chains)
                return
            head = alias.name.split(".")[0]
            found = self._modules_of(path, node, alias.name)
            if not found and head != alias.name:
                found = self._modules_of(path, node, head)
            if found:
                self._need_module(found[0][1], head, chains)
            return
        module = node.module or ""
        submodule = f"{module}.{alias.name}" if module else alias.name
        found = self._modules_of(path, node, submodule)
        if found:  # `from pkg import submodule`
            self._need_module(found[-1][1], self._absolute(path, node, submodule), chains)
            return
        found = self._modules_of(path, node, module)
        if found and found[-1][1].file:
            self.require(found[-1][1].file, {alias.name})

    def _need_module(self, located: Located, dotted: Optional[str], chains: set) -> None:
        """A module used through a name: what the chains read on it (`m.X`, `m.sub.Y`)."""
        if BARE in chains:
            self.require(located.file, ALL)
            return
        for chain in chains:
            current, current_name = located, dotted
            for part in chain:
                if current.is_package and current_name:
                    sub = find_in(part, current.dirs)
                    if sub is not None:
                        current_name = f"{current_name}.{part}"
                        if sub.file:
                            self.module_names.setdefault(sub.file, current_name)
                            self.require(sub.file, set())
                        current = sub
                        continue
                self.require(current.file, {part})
                break
