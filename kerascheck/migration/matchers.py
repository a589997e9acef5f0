"""The matchers the migration table's rows configure.

A row names one or more matchers and gives each its parameters (data). A matcher is
instantiated per file and rule; its `visit_*` methods join the batched traversal, and it
reports through `rule.flag(node, message, fix=...)`, which applies the per-module Keras
decision and the version guards. Generic matchers:

- `symbol`: a removed or moved module attribute / import path (`K.set_value`,
  `keras.engine.topology.Layer`, `keras.layers.experimental.preprocessing.X`), with the
  spelling scope of each symbol;
- `keyword`: a removed or renamed keyword argument on Keras constructors, functions or
  methods (`Adam(lr=)`, `Embedding(input_length=)`, `compile(sample_weight_mode=)`);
- `method`: a removed method called on a known receiver (`model.fit_generator`);
- `attribute`: a removed attribute read on a known receiver (`model.optimizer.lr`);
- `path`: file path suffix checks (`save`, `save_weights`, `ModelCheckpoint`, `load_model`).

The special cases the spec lists (KerasTensors in tf ops, foreign layers, metrics_names,
Lambda + load_model, OptimizerV2 subclasses, tensor-valued `if`, Metric.reset_states
overrides, multi-output metrics) are small matchers at the end.
"""
from __future__ import annotations

from typing import Callable, Optional

import libcst as cst

from kerascheck.cstwalk import walk
from kerascheck.migration import edits
from kerascheck.migration.analysis import (
    FUNCTIONAL, LAYER, MODEL_KINDS, SEQUENTIAL, SHIM, STANDALONE, FileState, code_of, flavor, input_names,
)
from kerascheck.migration.table import BACKEND_MAP, TF_OP_MAP, TF_OP_MIN_ARGS, Entry, Move, backend_hint
from kerascheck.rules.support import syntax
from kerascheck.semantic import knowledge
from kerascheck.semantic.names import canonical_keras_name, cst_dotted, keras_class_name

MATCHERS: dict[str, type["Matcher"]] = {}


def matcher(name: str):
    def register(cls):
        MATCHERS[name] = cls
        cls.kind = name
        return cls

    return register


class Matcher:
    kind = ""

    def __init__(self, rule, entry: Entry, params: dict):
        self.rule = rule
        self.entry = entry
        self.params = params
        self.state: FileState = FileState.of(rule.context)
        self.context = rule.context
        self.module = rule.module

    def visitors(self) -> dict[str, Callable]:
        return {
            name: getattr(self, name)
            for name in dir(type(self))
            if name.startswith(("visit_", "leave_")) and callable(getattr(self, name))
        }

    def flag(self, node, message: str, fix=None, severity=None, guarded=None) -> None:
        self.rule.flag(node, message, fix=fix, severity=severity, guarded=guarded)

    def parent(self, skip: int = 1) -> Optional[cst.CSTNode]:
        chain = self.context.ancestors
        return chain[-1 - skip] if len(chain) > skip else None


def _spelling_ok(spelling: str, which: Optional[str]) -> bool:
    if which not in (STANDALONE, SHIM):
        return False  # tf_keras is Keras 2 itself, and non-Keras names are not ours
    return spelling == "all" or spelling == which


def _head(name: str) -> str:
    return name.split(".")[0]


# ---- symbol: removed or moved module attributes and import paths -----------------------------
def classify(symbols, canonical: Optional[str], which: Optional[str], following=()):
    """(symbol, member) of the first row that `canonical` (spelled `which`) matches.
    `following`: the names read from it next (`.X` of an attribute chain, or the names a
    `from ... import` takes); when they are all in the row's `skip`, it does not match."""
    if not canonical:
        return None
    for symbol in symbols:
        if not _spelling_ok(symbol.spelling, which):
            continue
        pattern = symbol.pattern
        if symbol.match == "exact":
            if canonical == pattern:
                return symbol, pattern.rpartition(".")[2]
            continue
        if not canonical.startswith(pattern + ".") and not (symbol.match == "prefix" and canonical == pattern):
            continue
        rest = canonical[len(pattern) + 1:]
        member = rest.split(".")[0] if rest else ""
        if symbol.match == "member" and (not member or "." in rest):
            continue
        if symbol.only and member not in symbol.only:
            continue
        if member and member in symbol.skip:
            continue
        if not member and symbol.skip and following and all(name in symbol.skip for name in following):
            continue
        return symbol, member
    return None


def moved(moves, canonical: str, which: Optional[str]) -> Optional[Move]:
    """The public Keras 3 name of a moved symbol (§B), as a Move with `new` filled in."""
    for move in moves:
        if move.old.endswith(".*"):
            base = move.old[:-2]
            if canonical.startswith(base + ".") and "." not in canonical[len(base) + 1:]:
                name = canonical[len(base) + 1:]
                allowed = move.names_shim if which == SHIM and move.names_shim else move.names
                if allowed and name not in allowed:
                    return None
                return Move(canonical, move.new[:-1] + name, move.safe)
        elif canonical == move.old:
            return move
    return None


@matcher("symbol")
class SymbolMatcher(Matcher):
    """Params: `symbols` (tuple of Symbol), `roots` (canonical prefixes worth resolving),
    `moves` (tuple of Move), `fix` ("move", "backend", "reduction" or None), `message`."""

    def __init__(self, rule, entry, params):
        super().__init__(rule, entry, params)
        self.symbols = params["symbols"]
        self.roots = params["roots"]
        self.moves = params.get("moves", ())

    def _worth(self, canonical: Optional[str]) -> bool:
        return bool(canonical) and any(canonical == root or canonical.startswith(root + ".") for root in self.roots)

    # `keras.backend.set_value`, `K.set_value`, `tf.keras.layers.experimental.preprocessing.X`
    def visit_Attribute(self, node: cst.Attribute) -> None:
        parent = self.parent()
        if isinstance(parent, cst.Attribute) and parent.value is node:
            return
        if isinstance(parent, (cst.ImportFrom, cst.ImportAlias)):
            return  # the import's own visitor reports it
        chain = []
        current = node
        while isinstance(current, cst.Attribute):
            chain.append(current)
            current = current.value
        if not isinstance(current, cst.Name):
            return
        chain.reverse()  # shortest prefix first: a.b, a.b.c, ...
        if not self.state.may_be_keras(current.value):
            return  # `self.x`, `np.y`: resolving the chain would be wasted
        head = self.state.qualified(current)  # None for names of the linted tree
        if head is None:
            return
        attributes = [link.attr.value for link in chain]
        outer = ".".join([head, *attributes])
        if flavor(outer) is None or not self._worth(canonical_keras_name(outer)):
            return
        if classify(self.symbols, canonical_keras_name(head), flavor(head)) is not None:
            return  # the name is bound by an import (reported there) or an alias (reported at its value)
        for position, prefix in enumerate(chain):
            qualified = ".".join([head, *attributes[: position + 1]])
            which = flavor(qualified)
            canonical = canonical_keras_name(qualified) if qualified else None
            following = [chain[position + 1].attr.value] if position + 1 < len(chain) else []
            hit = classify(self.symbols, canonical, which, following)
            if hit is None:
                continue
            symbol, member = hit
            self._report_attribute(chain[position:], canonical, symbol, member, which)
            return

    def _hint(self, symbol, member: str, candidates=(), which=None) -> str:
        if self.params.get("hint_function") == "backend":
            return backend_hint(member)
        if symbol.hint:
            return symbol.hint
        for name in candidates:
            move = moved(self.moves, name, which)
            if move is not None and move.new and (move.new.rpartition(".")[2][:1].isupper() or not move.names):
                return f"use `{move.new}`"
        return "import it from its public Keras 3 path"

    def _import_hint(self, fulls, which) -> Optional[str]:
        """"import them from `keras.layers`" when every imported name has a twin there."""
        if len(fulls) < 2 or not self.moves:
            return None
        modules = set()
        for full in fulls:
            move = moved(self.moves, full, which)
            if move is None or move.new is None:
                return None
            modules.add(move.new.rpartition(".")[0])
        return f"import them from `{modules.pop()}`" if len(modules) == 1 else None

    def _report_attribute(self, chain, canonical, symbol, member, which) -> None:
        node = chain[0]
        written = code_of(node)
        fix = None
        builder = self.params.get("fix")
        if builder == "backend":
            fix = backend_fix(self, node, member)
        elif builder == "move":
            fix = self._move_attribute(chain, canonical, which)
        elif builder == "reduction":
            fix = reduction_fix(chain, member)
        names = [canonical, *(f"{canonical}." + ".".join(n.attr.value for n in chain[1:k + 1])
                              for k in range(1, len(chain)))]
        hint = self._hint(symbol, member, list(reversed(names)), which)
        self.flag(node, self.entry.render(written=written, member=member, hint=hint, symbol=symbol, kind=symbol.kind,
                                          error=_attribute_error(canonical, which)),
                  fix=fix)

    def _move_attribute(self, chain, canonical, which):
        """Rewrite `keras.layers.core.Dense` (the removed module plus the names used after
        it) to its public Keras 3 path, spelled from the same root; the longest known path
        wins."""
        names = [canonical, *(f"{canonical}." + ".".join(n.attr.value for n in chain[1:k + 1])
                              for k in range(1, len(chain)))]
        for node, old in reversed(list(zip(chain, names))):
            move = moved(self.moves, old, which)
            if move is None or move.new is None or not move.new.rpartition(".")[2][:1].isupper() and move.names:
                continue
            text = self._respell(node, move.new)
            if text is None:
                continue
            new = cst.parse_expression(text)
            call = self.parent()
            if node is chain[-1] and type(call) is cst.Call and call.func is node and self._keyword_renames(call):
                renamed = self._renamed_call(call)  # `legacy.Adam(lr=...)`: lr= too, as the new class wants
                return None if renamed is None else edits.fix([(call, renamed.with_changes(func=new))], move.safe,
                                                              f"use {move.new}")
            return edits.fix([(node, new)], move.safe, f"use {move.new}")
        return None

    def _keyword_renames(self, call: cst.Call) -> list:
        """The arguments of `call` that the row's `call_keyword_renames` renames."""
        renames = self.params.get("call_keyword_renames")
        return [arg for arg in call.args if arg.keyword is not None and arg.keyword.value in renames] if renames else []

    def _renamed_call(self, call: cst.Call) -> Optional[cst.Call]:
        """`call` with the `call_keyword_renames` applied (`lr=` -> `learning_rate=`), None
        when the new name is passed already."""
        renames = self.params["call_keyword_renames"]
        given = {arg.keyword.value for arg in call.args if arg.keyword is not None}
        if any(renames[name] in given for name in given if name in renames):
            return None
        return call.with_changes(args=[
            edits.rename_keyword(arg, renames[arg.keyword.value])
            if arg.keyword is not None and arg.keyword.value in renames else arg
            for arg in call.args
        ])

    def _calls_of(self, names: set, modules: set = frozenset()) -> list:
        """The calls in the module of a plain name in `names` (`Adam(lr=0.1)` after `from
        ...legacy import Adam`), or of an attribute of a name in `modules` (`legacy.Adam(...)`),
        that pass a keyword the row's `call_keyword_renames` renames."""
        tree = self.module.tree
        if not (names or modules) or tree is None or not self.params.get("call_keyword_renames"):
            return []
        found = []
        for node in walk(tree):
            if type(node) is not cst.Call:
                continue
            func = node.func
            if type(func) is cst.Name and func.value in names or type(func) is cst.Attribute \
                    and type(func.value) is cst.Name and func.value.value in modules:
                if self._keyword_renames(node):
                    found.append(node)
        return found

    def _respell(self, node: cst.Attribute, new_canonical: str) -> Optional[str]:
        """`new_canonical` written from the longest prefix of `node` that it extends."""
        current = node
        while isinstance(current, cst.Attribute):
            current = current.value
            qualified = self.state.qualified(current)
            canonical = canonical_keras_name(qualified) if qualified else None
            if canonical and (new_canonical == canonical or new_canonical.startswith(canonical + ".")):
                return code_of(current) + new_canonical[len(canonical):]
        return None

    # `from keras.engine.topology import Layer`, `from keras.backend import set_value`
    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        if node.relative or node.module is None:
            return
        module = cst_dotted(node.module)
        if module is None or flavor(module) is None:
            return
        canonical = canonical_keras_name(module)
        names = [] if isinstance(node.names, cst.ImportStar) else list(node.names)
        fulls = [f"{canonical}.{cst_dotted(alias.name)}" for alias in names]
        if not self._worth(canonical) and not any(self._worth(full) for full in fulls):
            return
        if self.state.in_tree(_head(module)) or (names and self._alias_in_tree(names[0])):
            return
        which = flavor(module)
        hit = classify(self.symbols, canonical, which, [cst_dotted(alias.name) for alias in names])
        if hit is not None:
            symbol, member = hit
            fix = self._move_import(node, names, canonical, which) if self.params.get("fix") == "move" else None
            hint = self._import_hint(fulls, which) or self._hint(symbol, member, fulls, which)
            error = f"ModuleNotFoundError: No module named '{_missing_module(module, symbol.pattern)}'"
            self.flag(node.module, self.entry.render(written=module, member=member, hint=hint, symbol=symbol,
                                                     kind=symbol.kind, error=error), fix=fix)
            return
        fixed = False
        for alias, full in zip(names, fulls):
            hit = classify(self.symbols, full, which)
            if hit is None:
                continue
            symbol, member = hit
            fix = None
            if self.params.get("fix") == "move":
                fix = self._move_alias(node, alias, full, which)
            elif self.params.get("fix") == "backend" and not fixed:
                fix = backend_import_fix(node, names, canonical)
                fixed = True
            error = f"ImportError: cannot import name '{cst_dotted(alias.name)}' from '{module}'"
            self.flag(alias.name, self.entry.render(written=f"{module}.{cst_dotted(alias.name)}", member=member,
                                                    hint=self._hint(symbol, member, [full], which), symbol=symbol,
                                                    kind=symbol.kind, error=error),
                      fix=fix)

    def _alias_in_tree(self, alias: cst.ImportAlias) -> bool:
        local = alias.asname.name.value if alias.asname and isinstance(alias.asname.name, cst.Name) else cst_dotted(alias.name)
        return self.state.in_tree(local)

    def _move_import(self, node: cst.ImportFrom, names, canonical: str, which):
        """`from keras.layers.core import Dense, Dropout` -> `from keras.layers import ...`
        when every imported name has a public twin; names whose twins live in different
        modules are split into one import per module (`from keras.engine import Layer, Model`)."""
        if not names:
            return None
        moves, safe = [], True  # (new module, new alias) per imported name, in order
        for alias in names:
            name = cst_dotted(alias.name)
            move = moved(self.moves, f"{canonical}.{name}", which)
            if move is None or move.new is None:
                return None
            if not move.new.rpartition(".")[2][:1].isupper() and move.names:
                # `from keras.layers.experimental import preprocessing` -> `from keras import layers
                # as preprocessing`, only when every name used through it is in keras.layers.
                if not self._uses_within(alias, move.names):
                    return None
            new_module, _, new_name = move.new.rpartition(".")
            safe = safe and move.safe
            moves.append((new_module, _renamed_alias(alias, name, new_name)))
        written = cst_dotted(node.module)
        modules = list(dict.fromkeys(module for module, _ in moves))
        if len(modules) == 1:
            new_module = _respell_module(written, canonical, modules[0])
            pairs = [(node, node.with_changes(module=cst.parse_expression(new_module),
                                              names=[alias for _, alias in moves]))]
            description = f"import from {new_module}"
        else:
            line = self.parent()
            if type(line) is not cst.SimpleStatementLine or len(line.body) != 1 or "#" in code_of(node):
                return None  # another statement on the line, or comments inside the import
            statements = []
            for module in modules:
                aliases = [alias for target, alias in moves if target == module]
                aliases = [alias.with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))
                           for alias in aliases[:-1]] + [aliases[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)]
                statement = cst.ImportFrom(module=cst.parse_expression(_respell_module(written, canonical, module)),
                                           names=aliases)
                statements.append(cst.SimpleStatementLine(body=[statement]))
            statements[0] = statements[0].with_changes(leading_lines=line.leading_lines,
                                                       trailing_whitespace=line.trailing_whitespace)
            pairs = [(line, cst.FlattenSentinel(statements))]
            description = "import each name from its Keras 3 module"
        return self._with_renamed_calls(pairs, {_local_name(alias) for alias in names}, set(), safe, description)

    def _with_renamed_calls(self, pairs, names: set, modules: set, safe: bool, description: str):
        """The fix `pairs`, plus the renamed keywords (`lr=` -> `learning_rate=`) of the calls
        of the re-imported `names` (or of attributes of the `modules` aliases)."""
        for call in self._calls_of(names, modules):
            renamed = self._renamed_call(call)
            if renamed is None:
                return None
            pairs.append((call, renamed))
        return edits.fix(pairs, safe, description)

    def _move_alias(self, node: cst.ImportFrom, alias, full: str, which):
        """`from keras.layers import CuDNNLSTM` -> `from keras.layers import LSTM as CuDNNLSTM`."""
        move = moved(self.moves, full, which)
        if move is None or move.new is None:
            return None
        module = cst_dotted(node.module)
        new_module, _, new_name = move.new.rpartition(".")
        if new_module != canonical_keras_name(module):
            return None
        name = cst_dotted(alias.name)
        return edits.fix([(alias, _renamed_alias(alias, name, new_name))], move.safe, f"use {move.new}")

    # `import keras.engine.topology`
    def visit_Import(self, node: cst.Import) -> None:
        for alias in node.names:
            dotted = cst_dotted(alias.name)
            if dotted is None or flavor(dotted) is None:
                continue
            parts = dotted.split(".")
            for cut in range(1, len(parts) + 1):
                prefix = ".".join(parts[:cut])
                hit = classify(self.symbols, canonical_keras_name(prefix), flavor(prefix))
                if hit is not None:
                    if self.state.in_tree(_head(dotted)):
                        return
                    symbol, member = hit
                    fix = self._move_module_import(node, alias, dotted) if self.params.get("fix") == "move" else None
                    self.flag(alias.name, self.entry.render(written=dotted, member=member,
                                                            hint=self._hint(symbol, member), symbol=symbol,
                                                            kind=symbol.kind,
                                                            error=f"ModuleNotFoundError: No module named '{prefix}'"),
                              fix=fix)
                    break

    def _move_module_import(self, node: cst.Import, alias: cst.ImportAlias, dotted: str):
        """`import keras.utils.np_utils as np_utils` -> `from keras import utils as np_utils`
        when every name used through the alias has a twin of the same name in one public
        module; with `plain_import_fix`, `import keras.engine.topology` -> `import keras` (it
        binds the same name; the uses of the removed module are findings of their own)."""
        if alias.asname is None:
            if not self.params.get("plain_import_fix"):
                return None
            head = _head(dotted)
            return edits.fix([(alias.name, cst.Name(head))], True, f"import {head}")
        local = _local_name(alias)
        if local is None or len(node.names) != 1:
            return None
        canonical, which = canonical_keras_name(dotted), flavor(dotted)
        uses = self._attribute_uses(local)
        if not uses:
            return None
        modules, safe = set(), True
        for name in uses:
            move = moved(self.moves, f"{canonical}.{name}", which)
            if move is None or move.new is None or move.new.rpartition(".")[2] != name:
                return None
            modules.add(move.new.rpartition(".")[0])
            safe = safe and move.safe
        if len(modules) != 1:
            return None
        parent, _, last = _respell_module(dotted, canonical, modules.pop()).rpartition(".")
        if not parent:
            return None
        replacement = cst.ImportFrom(module=cst.parse_expression(parent),
                                     names=[cst.ImportAlias(name=cst.Name(last), asname=alias.asname)],
                                     semicolon=node.semicolon)
        return self._with_renamed_calls([(node, replacement)], set(), {local}, safe, f"import {last} from {parent}")

    def _attribute_uses(self, local: str) -> Optional[list[str]]:
        """The names read through the module alias `local` (`np_utils.to_categorical` ->
        "to_categorical"), or None when the alias is also used otherwise (passed around,
        rebound) or not at all."""
        tree = self.module.tree
        if tree is None:
            return None
        names, seen, attributes = [], 0, set()
        for node in walk(tree):  # pre-order: an Attribute comes before its `.attr` Name
            kind = type(node)
            if kind is cst.Name and node.value == local and id(node) not in attributes:
                seen += 1
            elif kind is cst.Attribute:
                attributes.add(id(node.attr))
                if type(node.value) is cst.Name and node.value.value == local:
                    names.append(node.attr.value)
        # Every Name but the one in the import's `as` is the value of one of these attributes.
        return list(dict.fromkeys(names)) if names and seen == len(names) + 1 else None

    def _uses_within(self, alias: cst.ImportAlias, names: frozenset) -> bool:
        local = alias.asname.name.value if alias.asname and isinstance(alias.asname.name, cst.Name) else cst_dotted(alias.name)
        tree = self.module.tree
        if tree is None:
            return False
        used = False
        for node in syntax.walk(tree):
            if isinstance(node, cst.Attribute) and isinstance(node.value, cst.Name) and node.value.value == local:
                if node.attr.value not in names:
                    return False
                used = True
        return used


def _attribute_error(canonical: str, which: Optional[str]) -> str:
    """The error reading a removed module as an attribute raises (`keras.engine.topology`
    after `import keras`): measured on Keras 3.15.1, `AttributeError: module 'keras' has no
    attribute 'engine'`. Through `tf.keras` the module Python names varies
    (`keras._tf_keras.keras`, `keras.utils`), so it is left out."""
    parent, _, name = canonical.rpartition(".")
    if which == STANDALONE and parent:
        return f"AttributeError: module '{parent}' has no attribute '{name}'"
    return f"AttributeError: ... has no attribute '{name}'"


def _missing_module(module: str, pattern: str) -> str:
    """The module an import of `module` reports missing, as written: the shortest prefix
    whose canonical name is the removed `pattern` (`tensorflow.keras.engine` of
    `from tensorflow.keras.engine.topology import Layer`)."""
    parts = module.split(".")
    for cut in range(1, len(parts) + 1):
        prefix = ".".join(parts[:cut])
        if canonical_keras_name(prefix) == pattern:
            return prefix
    return module


def _local_name(alias: cst.ImportAlias) -> Optional[str]:
    """The name an import alias binds (`Adam` for `Adam`, `A` for `Adam as A`)."""
    if alias.asname is not None:
        return alias.asname.name.value if type(alias.asname.name) is cst.Name else None
    return cst_dotted(alias.name)


def _renamed_alias(alias: cst.ImportAlias, old: str, new: str) -> cst.ImportAlias:
    if old == new:
        return alias
    if alias.asname is not None:
        return alias.with_changes(name=cst.Name(new))
    return alias.with_changes(name=cst.Name(new), asname=cst.AsName(name=cst.Name(old)))


def _respell_module(written: str, canonical: str, new_canonical: str) -> Optional[str]:
    """`tensorflow.keras.layers` for new `keras.layers` when `written` spelled
    `keras.layers.core` as `tensorflow.keras.layers.core`."""
    written_parts, canonical_parts = written.split("."), canonical.split(".")
    root = ".".join(written_parts[: len(written_parts) - len(canonical_parts) + 1])
    return root + new_canonical[len("keras"):]


# ---- KC501's fixes (§A) --------------------------------------------------------------------------
def _enclosing_call(matcher_: Matcher, node: cst.CSTNode) -> Optional[cst.Call]:
    parent = matcher_.parent()
    return parent if isinstance(parent, cst.Call) and parent.func is node else None


def backend_fix(matcher_: Matcher, node: cst.CSTNode, name: str):
    """`K.sum(x, axis=1)` -> `keras.ops.sum(x, axis=1)` and the other §A rows."""
    row = BACKEND_MAP.get(name)
    call = _enclosing_call(matcher_, node)
    if row is None or call is None or any(arg.star for arg in call.args):
        return None
    positional = syntax.positional(call)
    keywords = {arg.keyword.value: arg for arg in call.args if arg.keyword is not None}
    if set(keywords) - set(row.keywords) or len(positional) > row.max_positional:
        return None
    if row.template:  # set_value, get_value, gather, in_top_k...
        if len(positional) != row.max_positional or keywords:
            return None
        imports = ()
        template = row.template
        if "{keras}" in template:
            spelled = matcher_.state.spell(STANDALONE, "ops")
            if spelled is None:
                return None
            template = template.replace("{keras}", spelled[0][: -len("ops")].rstrip(".") or "keras")
            imports = spelled[1]
        if "{np}" in template:
            np_name = _numpy_name(matcher_)
            if np_name is None:
                return None
            template = template.replace("{np}", np_name)
        new = edits.expression(template, *[arg.value for arg in positional])
        return edits.fix([(call, new)], row.safe, f"use {row.target}", imports)
    spelled = matcher_.state.spell(STANDALONE, row.target)
    if spelled is None:
        return None
    return row_call_fix(call, row, *spelled)


def row_call_fix(call: cst.Call, row, text: str, imports):
    """`call` with its function replaced by `text` (a §A / TF_OP_MAP row's target), its
    keywords renamed and the old defaults written out; None when it passes an argument
    the row does not map (a splat, a keyword it does not know, too many positionals)."""
    if any(arg.star for arg in call.args):
        return None
    positional = syntax.positional(call)
    keywords = {arg.keyword.value: arg for arg in call.args if arg.keyword is not None}
    if set(keywords) - set(row.keywords) or len(positional) > row.max_positional:
        return None
    new_call = call.with_changes(func=cst.parse_expression(text))
    renamed = []
    for arg in new_call.args:
        if arg.keyword is not None and row.keywords.get(arg.keyword.value) not in (None, arg.keyword.value):
            arg = edits.rename_keyword(arg, row.keywords[arg.keyword.value])
        renamed.append(arg)
    new_call = new_call.with_changes(args=renamed)
    for keyword, default in row.explicit:
        if keyword not in keywords and len(positional) <= row.explicit_position.get(keyword, 99):
            new_call = edits.with_arg(new_call, edits.keyword_arg(keyword, default))
    return edits.fix([(call, new_call)], row.safe, f"use {text}", imports)


def backend_import_fix(node: cst.ImportFrom, names, canonical: str):
    """`from keras.backend import sum, mean` -> `from keras.ops import sum, mean` when every
    name is a same-signature twin in keras.ops."""
    if canonical != "keras.backend" or not names:
        return None
    aliases = []
    for alias in names:
        row = BACKEND_MAP.get(cst_dotted(alias.name))
        if row is None or not row.safe or row.template or not row.target.startswith("ops."):
            return None
        aliases.append(_renamed_alias(alias, cst_dotted(alias.name), row.target[len("ops."):]))
    written = cst_dotted(node.module)
    new_module = written[: -len("backend")] + "ops"
    return edits.fix([(node, node.with_changes(module=cst.parse_expression(new_module), names=aliases))],
                     True, f"import from {new_module}")


def _numpy_name(matcher_: Matcher) -> Optional[str]:
    facts = matcher_.module.index.modules.get(matcher_.context.path)
    for local, (anchor, target) in sorted((facts.imports if facts else {}).items()):
        if not anchor and target == "numpy":
            return local
    return None


_REDUCTION_VALUES = {
    "AUTO": "sum_over_batch_size",
    "SUM_OVER_BATCH_SIZE": "sum_over_batch_size",
    "SUM": "sum",
    "NONE": "none",
}


def reduction_fix(chain, member):
    """`keras.losses.Reduction.SUM` -> `"sum"` (`chain`: the matched node, then the
    attributes read from it)."""
    target = next((node for node in chain if node.attr.value in _REDUCTION_VALUES), None)
    if target is None:
        return None
    key = target.attr.value
    return edits.fix([(target, cst.SimpleString(f'"{_REDUCTION_VALUES[key]}"'))], True,
                     f'use "{_REDUCTION_VALUES[key]}"')


# ---- which calls a keyword or method row is about --------------------------------------------
class CallTarget:
    """Decides whether a call is one of the row's targets. Params (all optional):
    `callees`: canonical names, `"prefix.*"` for the classes of a module;
    `layers`: built-in layer names (`"*"` for all), minus `exclude_layers`;
    `tree`: "layer" / "optimizer" / "loss" / "metric": in-tree subclasses of such Keras
    classes that do not define their own `__init__` (a layer's `**kwargs` reach Keras);
    `methods` + `receiver` (kinds, or None for any receiver) + `evidence` (keywords one of
    which makes an unknown receiver a Keras one); `self_methods`: `self.<m>(...)` inside a
    Keras class; `super_init`: `super().__init__(...)` in a Keras class's `__init__`;
    `subclasses` (with `layers`): in-tree subclasses of those layers, constructed or
    initialising their parent, when the keywords reach the built-in layer."""

    _TREE_PREFIX = {"optimizer": "keras.optimizers.", "loss": "keras.losses.", "metric": "keras.metrics."}

    def __init__(self, matcher_: Matcher, params: dict):
        self.m = matcher_
        self.p = params
        self.callees = frozenset(c for c in params.get("callees", ()) if not c.endswith(".*"))
        self.prefixes = tuple(c[:-1] for c in params.get("callees", ()) if c.endswith(".*"))
        self.layers = frozenset(params.get("layers", ()))
        self.exclude_layers = frozenset(params.get("exclude_layers", ()))

    def label(self, call: cst.Call) -> Optional[str]:
        """What the call is, as the message names it (`Adam`, `model.compile`), or None."""
        p = self.p
        func = call.func
        state = self.m.state
        method = syntax.method_call_name(call)
        if method and method in p.get("methods", ()):
            if self._method_receiver_ok(call, method):
                return f".{method}()"
        if method and method in p.get("self_methods", ()) and isinstance(func.value, cst.Name):
            if state._self_owner(func.value) is not None and self.m.context.current_method() is not None:
                return f"self.{method}()"
        if p.get("super_init") and syntax.is_super_call(call, "__init__"):
            found = self.m.context.current_method()
            if found is not None and found[1].name.value == "__init__":
                return f"{found[0].key.name} (Layer.__init__)"
        if self.callees or self.prefixes or self.layers:
            qualified = state.qualified(func)
            which = flavor(qualified)
            if which in (STANDALONE, SHIM):
                canonical = canonical_keras_name(qualified)
                last = canonical.rpartition(".")[2]
                if canonical in self.callees:
                    return cst_dotted(func) or last
                if any(canonical.startswith(prefix) and last[:1].isupper() and "." not in canonical[len(prefix):]
                       for prefix in self.prefixes):
                    return cst_dotted(func) or last
                layer = keras_class_name(qualified)
                if layer and ("*" in self.layers or layer in self.layers) and layer not in self.exclude_layers:
                    return layer
        tree = p.get("tree")
        if tree:
            key = self.m.module.tree_class(func)
            if key is not None and self._tree_ok(key, tree):
                return key.name
        if p.get("subclasses") and self.layers:
            return self._subclass_label(call)
        return None

    def _subclass_label(self, call: cst.Call) -> Optional[str]:
        """`TpuBN(fused=True)` for an in-tree subclass of one of the row's layers, and
        `super().__init__(fused=...)` in such a subclass's `__init__`, when the keywords
        reach the built-in layer: no in-tree class between them defines `__init__` (one
        that does may take the keyword itself)."""
        index = self.m.module.index
        if syntax.is_super_call(call, "__init__"):
            found = self.m.context.current_method()
            if found is None or found[1].name.value != "__init__":
                return None
            key, skip = found[0].key, 1
        else:
            key, skip = self.m.module.tree_class(call.func), 0
            if key is None:
                return None
        layer = next((name for name in sorted(index.builtin_ancestors(key)) if name in self.layers), None)
        if layer is None:
            return None
        if any(index.class_facts(current) is not None and "__init__" in index.class_facts(current).methods
               for current in [key, *index.tree_ancestors(key)][skip:]):
            return None
        return f"{key.name} ({layer}.__init__)" if skip else key.name

    def _tree_ok(self, key, tree: str) -> bool:
        index = self.m.module.index
        if tree == "layer":
            return index.keras_kind(key) is not None
        if index.defines_in_ancestry(key, "__init__"):
            return False
        return self.m.state._key_base(key, self._TREE_PREFIX[tree])

    def _method_receiver_ok(self, call: cst.Call, method: str) -> bool:
        p = self.p
        receiver = call.func.value
        kinds = p.get("receiver")
        known = self.m.state.kind_of(receiver)
        if kinds is None:
            if known is not None and known not in MODEL_KINDS and p.get("not_on") and known in p["not_on"]:
                return False
            if p.get("unless_defined") and self.m.state.defines_method(method) and known not in MODEL_KINDS:
                return False
            evidence = p.get("evidence")
            if method in p.get("evidence_methods", ()):
                return True
            if evidence and known not in MODEL_KINDS:
                present = {arg.keyword.value for arg in call.args if arg.keyword is not None}
                return bool(present & frozenset(evidence))
            return True
        return known in kinds


@matcher("keyword")
class KeywordMatcher(Matcher):
    """A removed or renamed keyword. Params: the CallTarget params, plus `keywords`:
    {name: {"fix": "rename"|"delete"|"positional"|<special>, "to": new name, "safe": bool,
    "skip_values": source texts that are harmless (`0`), "values": the only values that
    break (`"auto"`), "hint": what to do}}."""

    def __init__(self, rule, entry, params):
        super().__init__(rule, entry, params)
        self.target = CallTarget(self, params)
        self.keywords = params["keywords"]

    def visit_Call(self, node: cst.Call) -> None:
        present = [arg for arg in node.args if arg.keyword is not None and arg.keyword.value in self.keywords]
        if not present:
            return
        label = self.target.label(node)
        if label is None:
            return
        found = []
        for arg in present:
            spec = self.keywords[arg.keyword.value]
            value = code_of(arg.value)
            if value in spec.get("skip_values", ()):
                continue
            if spec.get("values") and value not in spec["values"]:
                continue
            found.append((arg, spec, value))
        if found and self.params.get("group"):  # one finding per call, one fix for all
            arg, spec, value = found[0]
            dropped = [a for a, _, _ in found]
            fix = edits.fix([(node, edits.without_args(node, dropped))], all(s.get("safe", False) for _, s, _ in found),
                            "remove " + ", ".join(f"{a.keyword.value}=" for a in dropped))
            members = " and ".join(f"`{a.keyword.value}=`" for a in dropped)
            self.flag(arg, self.entry.render(written=label, member=members, first=arg.keyword.value, value=value), fix=fix)
            return
        for arg, spec, value in found:
            fix = keyword_fix(self, node, arg, spec)
            self.flag(arg, self.entry.render(written=label, member=arg.keyword.value, hint=spec.get("hint", ""),
                                             value=value, kind=spec.get("kind")), fix=fix, severity=spec.get("severity"))


def keyword_fix(matcher_: Matcher, call: cst.Call, arg: cst.Arg, spec: dict):
    kind = spec.get("fix")
    safe = spec.get("safe", False)
    if kind == "rename":
        if syntax.keyword(call, spec["to"]) is not None:
            return None
        return edits.fix([(arg, edits.rename_keyword(arg, spec["to"]))], safe, f"rename {arg.keyword.value}= to {spec['to']}=")
    if kind == "delete":
        return edits.fix([(call, edits.without_args(call, [arg]))], safe, f"remove {arg.keyword.value}=")
    if kind == "value":
        return edits.fix([(arg.value, cst.parse_expression(spec["to"]))], safe, f"use {spec['to']}")
    if kind == "positional":  # l2(l=0.01) -> l2(0.01)
        if len(call.args) == 1:
            return edits.fix([(arg, edits.positional(arg))], safe, "pass it positionally")
        name = (cst_dotted(call.func) or "").rpartition(".")[2].lower()
        return edits.fix([(arg, edits.rename_keyword(arg, name))], safe, f"rename l= to {name}=") if name in ("l1", "l2") else None
    special = SPECIAL_FIXES.get(kind)
    return special(matcher_, call, arg, spec) if special else None


def _decay_fix(matcher_: Matcher, call: cst.Call, arg: cst.Arg, spec: dict):
    """`Adam(lr, decay=d)` -> `Adam(learning_rate=InverseTimeDecay(lr, decay_steps=1,
    decay_rate=d))`: the Keras 2 formula lr / (1 + d * iterations), applied per step."""
    rate = syntax.keyword(call, "learning_rate") or syntax.keyword(call, "lr")
    positional = syntax.positional(call)
    if rate is None and positional:
        rate = positional[0]
    which = flavor(matcher_.state.qualified(call.func)) or STANDALONE
    spelled = matcher_.state.spell(which, "optimizers.schedules.InverseTimeDecay")
    if spelled is None or any(a.star for a in call.args):
        return None
    schedule_name, imports = spelled
    last = (cst_dotted(call.func) or "").rpartition(".")[2]
    initial = rate.value if rate is not None else cst.parse_expression(spec.get("defaults", {}).get(last, "0.001"))
    schedule = edits.expression(f"{schedule_name}({{0}}, decay_steps=1, decay_rate={{1}})", initial, arg.value)
    args = [a for a in call.args if a is not arg and a is not rate]
    new_rate = cst.Arg(keyword=cst.Name("learning_rate"), value=schedule,
                       equal=cst.AssignEqual(whitespace_before=cst.SimpleWhitespace(""),
                                             whitespace_after=cst.SimpleWhitespace("")))
    positional_args = [a for a in args if a.keyword is None and not a.star]
    rest = [a for a in args if a.keyword is not None or a.star]
    new_args = [*positional_args, new_rate, *rest]
    new_args = [a.with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))) for a in new_args[:-1]] + [
        new_args[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
    ]
    return edits.fix([(call, call.with_changes(args=new_args))], False,
                     "move decay into an InverseTimeDecay schedule", imports)


def _sequential_list_position(matcher_: Matcher, call: cst.Call) -> Optional[tuple[cst.List, int]]:
    """(the list, index) when `call` is an element of `Sequential([...])`'s layer list."""
    chain = matcher_.context.ancestors
    if len(chain) < 4 or not isinstance(chain[-2], cst.Element) or not isinstance(chain[-3], cst.List):
        return None
    element, listing, arg = chain[-2], chain[-3], chain[-4]
    outer = chain[-5] if len(chain) >= 5 else None
    if not isinstance(arg, cst.Arg) or not isinstance(outer, cst.Call) or matcher_.state.call_kind(outer) != SEQUENTIAL:
        return None
    return listing, next(i for i, e in enumerate(listing.elements) if e is element)


def _sequential_add(matcher_: Matcher, call: cst.Call):
    """When `call` is the layer of a statement `seq.add(<call>)` on a known Sequential:
    (that statement, the receiver, whether the layer is the model's first), where "first"
    is True when the statements before it in the same block lead back to `seq =
    Sequential()` (no layers) without touching `seq`, False when an earlier `seq.add(...)`
    or `Sequential([...])` with layers comes first, and None when it cannot be told."""
    arg, add, expression, line, block = (matcher_.parent(k) for k in range(1, 6))
    if type(arg) is not cst.Arg or type(add) is not cst.Call or syntax.method_call_name(add) != "add":
        return None
    receiver = add.func.value
    if not add.args or add.args[0] is not arg or type(receiver) is not cst.Name:
        return None
    if matcher_.state.kind_of(receiver) != SEQUENTIAL:
        return None
    if type(expression) is not cst.Expr or type(line) is not cst.SimpleStatementLine or len(line.body) != 1:
        return None
    body = getattr(block, "body", None)
    if not isinstance(body, (list, tuple)) or not any(statement is line for statement in body):
        return None
    name = receiver.value
    position = next(k for k, statement in enumerate(body) if statement is line)
    for statement in reversed(body[:position]):
        if not any(type(node) is cst.Name and node.value == name for node in walk(statement)):
            continue  # does not touch the model
        small = statement.body[0] if type(statement) is cst.SimpleStatementLine and len(statement.body) == 1 else None
        if type(small) is cst.Assign and len(small.targets) == 1 and type(small.targets[0].target) is cst.Name \
                and small.targets[0].target.value == name and type(small.value) is cst.Call:
            if matcher_.state.call_kind(small.value) != SEQUENTIAL:
                return line, receiver, None
            layers = syntax.keyword(small.value, "layers") or next(iter(syntax.positional(small.value)), None)
            if layers is None or (type(layers.value) in (cst.List, cst.Tuple) and not layers.value.elements):
                return line, receiver, True
            return line, receiver, False if type(layers.value) in (cst.List, cst.Tuple) else None
        if type(small) is cst.Expr and type(small.value) is cst.Call and syntax.method_call_name(small.value) == "add" \
                and type(small.value.func.value) is cst.Name and small.value.func.value.value == name:
            return line, receiver, False  # an earlier layer
        return line, receiver, None
    return line, receiver, None


def _input_first_fix(matcher_: Matcher, call: cst.Call, arg: cst.Arg, spec: dict):
    """Put `keras.Input(...)` first where the layer is a Sequential's first:
    `Sequential([Embedding(..., input_length=N), ...])` -> `Sequential([keras.Input(shape=(N,)),
    Embedding(...), ...])`, and `seq.add(Embedding(..., input_length=N))` right after `seq =
    Sequential()` -> `seq.add(keras.Input(shape=(N,)))` before it (both unsafe: the model is
    built at construction again, as in Keras 2). `LSTM(..., batch_input_shape=S)` likewise
    with `keras.Input(batch_shape=S)`. A layer that is not the first: the keyword is dropped
    (`drop_when_not_first`: Keras 2 ignored it there too) or left alone. A layer called
    directly (functional code): dropped, safe only with `safe_outside`."""
    description = f"remove {arg.keyword.value}="
    new_call = edits.without_args(call, [arg])
    found = _sequential_list_position(matcher_, call)
    added = _sequential_add(matcher_, call) if found is None else None
    if found is not None and found[1] != 0 or added is not None and added[2] is False:
        return edits.fix([(call, new_call)], True, description) if spec.get("drop_when_not_first") else None
    if added is not None and added[2] is None:
        return None  # maybe the first layer, maybe not: the author knows
    if found is None and added is None:
        if spec.get("needs_input") or _in_add(matcher_):
            return None
        return edits.fix([(call, new_call)], spec.get("safe_outside", False), description)
    which = flavor(matcher_.state.qualified(call.func)) or STANDALONE
    spelled = matcher_.state.spell(which, "Input")
    if spelled is None:
        return None
    name, imports = spelled
    input_call = cst.parse_expression(spec["input"].format(input=name, value=code_of(arg.value)))
    if added is not None:
        line, receiver, _ = added
        first = cst.SimpleStatementLine(body=[cst.Expr(edits.expression("{0}.add({1})", receiver, input_call))],
                                        leading_lines=line.leading_lines)
        second = line.deep_replace(call, new_call).with_changes(leading_lines=())
        return edits.fix([(line, cst.FlattenSentinel([first, second]))], False,
                         f"start the Sequential with {name}(...)", imports)
    listing, _ = found
    first = listing.elements[0]
    new_elements = [
        cst.Element(value=input_call, comma=first.comma if first.comma is not cst.MaybeSentinel.DEFAULT
                    else cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))),
        first.with_changes(value=new_call),
        *listing.elements[1:],
    ]
    return edits.fix([(listing, listing.with_changes(elements=new_elements))], False,
                     f"start the Sequential with {name}(...)", imports)


def _in_add(matcher_: Matcher) -> bool:
    """Whether the call being visited is the argument of some `.add(...)`."""
    outer = matcher_.parent(2)
    return type(outer) is cst.Call and syntax.method_call_name(outer) == "add"


SPECIAL_FIXES = {"decay": _decay_fix, "input_first": _input_first_fix}


# ---- method: a removed method on a known receiver --------------------------------------------
@matcher("positional")
class PositionalMatcher(Matcher):
    """Arguments given by position to parameters Keras 3 removed from a method's signature
    (`model.predict(x, 32, 0, None, None, 10, 1, False)`). Params: `names`: the Keras 2
    names of the removed positions, in order; `methods`: {method: (index of the first
    removed position, how many positions Keras 3 takes, the Keras 3 parameter the first
    removed position silently becomes when no TypeError stops the call, or "")};
    `evidence`: keywords one of which makes an unknown receiver a Keras model (else it must
    be known to be one)."""

    def visit_Call(self, node: cst.Call) -> None:
        method = syntax.method_call_name(node)
        spec = self.params["methods"].get(method) if method else None
        if spec is None:
            return
        first, keeps, becomes = spec
        names = self.params["names"]
        if any(arg.star for arg in node.args):
            return
        positional = syntax.positional(node)
        removed = positional[first:first + len(names)]
        if not removed:
            return
        if len(positional) <= keeps and type(removed[0].value) is not cst.Integer:
            return  # `evaluate(x, y, ..., True)`: Keras 3 code passing return_dict; a queue size is a number
        if self.state.kind_of(node.func.value) not in MODEL_KINDS:
            present = {arg.keyword.value for arg in node.args if arg.keyword is not None}
            if not present & frozenset(self.params.get("evidence", ())):
                return
        members = ", ".join(names[: len(removed)])
        written = code_of(node.func)
        fix = edits.fix([(node, edits.without_args(node, removed))], False, f"remove the positional {members}")
        if len(positional) <= keeps:  # no TypeError: the last one lands on a Keras 3 parameter
            message = self.entry.render(written=written, member=members, method=method, value=becomes,
                                        kind="positional-silent")
        else:
            message = self.entry.render(written=written, member=members, method=method, kind="positional",
                                        value=f"takes from {2 if method == 'predict' else 1} to {keeps + 1} "
                                              f"positional arguments but {len(positional) + 1} were given")
        self.flag(removed[0], message, fix=fix)


@matcher("method")
class MethodMatcher(Matcher):
    """Params: CallTarget params (`methods`, `receiver`, `unless_defined`, `evidence`,
    `self_methods`), `renames`: {old: new} (a safe rename), `rename_safe`, `keyword_renames`:
    {old: new} applied with the rename, `unsafe_with`: keywords that make the rename unsafe,
    `fix`: a special builder name, `outside`: method names whose calls inside them do not
    count (`call`)."""

    def __init__(self, rule, entry, params):
        super().__init__(rule, entry, params)
        self.target = CallTarget(self, params)
        self.names = frozenset(params.get("methods", ())) | frozenset(params.get("self_methods", ()))

    def visit_Call(self, node: cst.Call) -> None:
        method = syntax.method_call_name(node)
        if method not in self.names:
            return
        if self.params.get("outside"):
            found = self.context.current_method()
            if found is not None and found[1].name.value in self.params["outside"]:
                return
        if self.params.get("not_self") and self.state._self_owner(node.func.value) is not None:
            return
        label = self.target.label(node)
        if label is None:
            return
        if self.params.get("unless_receiver_defines") and self.state.receiver_defines(node.func.value, method):
            return  # the project's own method of that name (a Metric keeping a reset_states alias)
        receiver = code_of(node.func.value)
        fix = self._fix(node, method)
        hint = self.params.get("hints", {}).get(method) or self.params.get("renames", {}).get(method, "")
        kind = self.params.get("kind")
        if self.params.get("kind_by_receiver"):
            kind = self.params["kind_by_receiver"].get(self.state.kind_of(node.func.value), kind)
        self.flag(node.func, self.entry.render(written=f"{receiver}.{method}", member=method, hint=hint,
                                               kind=kind, owner=self.state.owner_phrase(node.func.value)), fix=fix)

    def _fix(self, call: cst.Call, method: str):
        special = self.params.get("fix")
        by_kind = self.params.get("fix_by_receiver")
        if by_kind and not special:
            special = by_kind.get(self.state.kind_of(call.func.value))
        if special:
            builder = METHOD_FIXES.get(special)
            return builder(self, call, method) if builder else None
        renames = self.params.get("renames", {})
        if method not in renames:
            return None
        kinds = self.params.get("rename_receiver")
        if kinds is not None and self.state.kind_of(call.func.value) not in kinds:
            return None
        new_call = call.with_changes(func=call.func.with_changes(attr=cst.Name(renames[method])))
        args = []
        for arg in new_call.args:
            new_name = self.params.get("keyword_renames", {}).get(arg.keyword.value if arg.keyword else None)
            args.append(edits.rename_keyword(arg, new_name) if new_name else arg)
        new_call = new_call.with_changes(args=args)
        present = {arg.keyword.value for arg in call.args if arg.keyword is not None}
        safe = self.params.get("rename_safe", True) and not (present & frozenset(self.params.get("unsafe_with", ())))
        return edits.fix([(call, new_call)], safe, f"use .{renames[method]}()")


def _unwrap_assign_fix(matcher_: Matcher, call: cst.Call, method: str):
    """`self.add_update(self.v.assign(x))` -> `self.v.assign(x)`."""
    args = syntax.positional(call)
    if len(call.args) != 1 or len(args) != 1:
        return None
    value = args[0].value
    if isinstance(value, cst.Call) and (syntax.method_call_name(value) or "").startswith("assign"):
        return edits.fix([(call, value)], True, "call the assignment directly")
    return None


def _loss_scale_fix(matcher_: Matcher, call: cst.Call, method: str):
    """`opt.get_scaled_loss(l)` -> `opt.scale_loss(l)`; `opt.get_unscaled_gradients(g)` -> `g`
    (Keras 3's apply_gradients unscales): unsafe, the two go together."""
    if method == "get_scaled_loss":
        return edits.fix([(call.func.attr, cst.Name("scale_loss"))], False, "use .scale_loss()")
    args = syntax.positional(call)
    if method == "get_unscaled_gradients" and len(call.args) == 1 and len(args) == 1:
        return edits.fix([(call, args[0].value)], False, "apply_gradients unscales in Keras 3")
    return None


def _minimize_fix(matcher_: Matcher, call: cst.Call, method: str):
    """`opt.minimize(loss, vars, tape=tape)` -> `opt.apply_gradients(zip(tape.gradient(loss,
    vars), vars))` when `vars` is a plain name or attribute (evaluated twice)."""
    if method != "minimize":
        return None
    tape = syntax.keyword(call, "tape")
    args = syntax.positional(call)
    variables = syntax.keyword(call, "var_list")
    if tape is None or not args:
        return None
    loss = args[0].value
    variables = variables.value if variables is not None else (args[1].value if len(args) > 1 else None)
    if variables is None or cst_dotted(variables) is None or len(call.args) != 3:
        return None
    new = edits.expression("{0}.apply_gradients(zip({1}.gradient({2}, {3}), {3}))",
                           call.func.value, tape.value, loss, variables)
    return edits.fix([(call, new)], False, "take the gradients with the tape and apply them")


def _reset_layers_fix(matcher_: Matcher, call: cst.Call, method: str):
    """`model.reset_states()` as a statement of its own -> a loop resetting the layers that
    have state (what Keras 2's Model.reset_states did, minus nested models):
    `for layer in model.layers: if hasattr(layer, "reset_states"): layer.reset_states()`."""
    expression, line = matcher_.parent(1), matcher_.parent(2)
    if call.args or cst_dotted(call.func.value) is None:
        return None
    if type(expression) is not cst.Expr or type(line) is not cst.SimpleStatementLine or len(line.body) != 1:
        return None
    variable = matcher_.state.fresh_name("layer")
    loop = edits.statement(
        f"for {variable} in {{0}}.layers:\n    if hasattr({variable}, \"reset_states\"):\n        {variable}.reset_states()\n",
        call.func.value)
    inner_if = loop.body.body[0]
    inner_line = inner_if.body.body[0].with_changes(trailing_whitespace=line.trailing_whitespace)
    loop = loop.with_changes(
        leading_lines=line.leading_lines,
        body=loop.body.with_changes(body=[inner_if.with_changes(body=inner_if.body.with_changes(body=[inner_line]))]),
    )
    return edits.fix([(line, loop)], False, "reset the stateful layers one by one")


METHOD_FIXES = {"unwrap_assign": _unwrap_assign_fix, "loss_scale": _loss_scale_fix, "minimize": _minimize_fix,
                "reset_layers": _reset_layers_fix}


# ---- attribute: a removed attribute on a known receiver ----------------------------------------
@matcher("attribute")
class AttributeMatcher(Matcher):
    """Params: `attributes`: {name: {"to": suffix template or None, "safe": bool}},
    `receiver`: the kinds it applies to."""

    def visit_Attribute(self, node: cst.Attribute) -> None:
        name = node.attr.value
        spec = self.params["attributes"].get(name)
        if spec is None:
            return
        if self.params.get("not_self") and self.state._self_owner(node.value) is not None:
            return  # the class's own attribute of that name (`self.output_shape = output_shape`)
        kind = self.state.kind_of(node.value)
        if kind not in self.params["receiver"]:
            return
        parent = self.parent()
        if spec.get("not_called") and isinstance(parent, cst.Call) and parent.func is node:
            return
        fix = None
        if spec.get("to"):
            fix = edits.fix([(node, edits.expression("{0}" + spec["to"], node.value))], spec.get("safe", False),
                            f"use {spec['to']}")
        self.flag(node, self.entry.render(written=code_of(node), member=name, hint=spec.get("hint", ""), kind=kind,
                                          owner=self.state.owner_phrase(node.value)),
                  fix=fix)


# ---- path: file name suffix checks -----------------------------------------------------------------
def path_tail(matcher_: Matcher, node: cst.CSTNode, depth: int = 0) -> Optional[tuple[str, Optional[cst.CSTNode]]]:
    """The known end of a path expression, and the literal node holding it: a string,
    the last text of an f-string, `os.path.join(..., "x.h5")`, `d + "/x.h5"`,
    `Path(d) / "x.h5"`, `str(...)` of those, or a local variable assigned one of those
    once in the same function (`path = out + "/w.h5"`; then the literal is None: a fix
    there would rename the file for every other use of the variable too). None when the
    end is not a literal."""
    if type(node) is cst.Name:
        value = matcher_.state.local_value(node.value) if depth < 3 else None
        found = path_tail(matcher_, value, depth + 1) if value is not None else None
        return (found[0], None) if found is not None else None
    if isinstance(node, cst.SimpleString):
        value = syntax.string_value(node)
        return (value, node) if value is not None else None
    if isinstance(node, cst.ConcatenatedString):
        return path_tail(matcher_, node.right, depth)
    if isinstance(node, cst.FormattedString):
        last = node.parts[-1] if node.parts else None
        if isinstance(last, cst.FormattedStringText):
            return last.value, last
        return None
    if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, (cst.Add, cst.Divide)):
        return path_tail(matcher_, node.right, depth)
    if isinstance(node, cst.Call):
        qualified = matcher_.state.qualified(node.func) or ""
        if qualified in ("os.path.join", "posixpath.join", "pathlib.Path", "pathlib.PurePath", "str") or (
            isinstance(node.func, cst.Name) and node.func.value in ("str", "Path")
        ):
            args = [arg for arg in node.args if arg.keyword is None]
            if args and not args[-1].star:
                return path_tail(matcher_, args[-1].value, depth)
        if isinstance(node.func, cst.Attribute) and node.func.attr.value == "format":
            found = path_tail(matcher_, node.func.value, depth)
            if found is None or found[0].rstrip().endswith("}"):
                return None  # `"{}".format(path)`: the end is the argument, unknown
            return found
    return None


def _path_arg(call: cst.Call, position: int, keyword: str) -> Optional[cst.Arg]:
    found = syntax.keyword(call, keyword)
    if found is not None:
        return found
    positional = syntax.positional(call)
    if any(arg.star for arg in call.args[: position + 1]):
        return None
    return positional[position] if len(positional) > position else None


_SUFFIXES = (".weights.h5", ".keras", ".hdf5", ".h5", ".ckpt", ".tf", ".pb", ".pkl")


def _strip_suffix(text: str) -> str:
    for suffix in _SUFFIXES:
        if text.endswith(suffix):
            return text[: -len(suffix)]
    return text.rstrip("/")


def suffix_fix(literal: cst.CSTNode, text: str, suffix: str, description: str):
    new_text = _strip_suffix(text) + suffix
    if isinstance(literal, cst.SimpleString):
        new = edits.string_with(literal, new_text)
    elif isinstance(literal, cst.FormattedStringText):
        new = literal.with_changes(value=new_text)
    else:
        return None
    return edits.fix([(literal, new)], False, description)


@matcher("path")
class PathMatcher(Matcher):
    """Params: `check`: "save_weights" (KC505), "checkpoint" (KC506), "save" (KC507),
    "load" (KC508)."""

    def visit_Call(self, node: cst.Call) -> None:
        getattr(self, "_" + self.params["check"])(node)

    def _tail(self, call: cst.Call, position: int = 0, keyword: str = "filepath"):
        arg = _path_arg(call, position, keyword)
        if arg is None:
            return None
        found = path_tail(self, arg.value)
        return (arg, *found) if found else None

    def _save_weights(self, call: cst.Call) -> None:
        if syntax.method_call_name(call) != "save_weights":
            return
        found = self._tail(call)
        if found is None or found[1].endswith(".weights.h5"):
            return
        arg, text, literal = found
        fix = suffix_fix(literal, text, ".weights.h5", "name the file *.weights.h5")
        self.flag(arg.value, self.entry.render(written=code_of(call.func), member=code_of(arg.value)), fix=fix)

    def _checkpoint(self, call: cst.Call) -> None:
        if self.state.canonical(call.func) != "keras.callbacks.ModelCheckpoint":
            return
        found = self._tail(call)
        if found is None:
            return
        arg, text, literal = found
        weights_only = syntax.keyword(call, "save_weights_only")
        positional = syntax.positional(call)
        # save_weights_only is the fifth parameter (Keras 2 and 3): filepath, monitor, verbose, save_best_only.
        flag_node = weights_only.value if weights_only is not None else (positional[4].value if len(positional) > 4 else None)
        weights = code_of(flag_node) if flag_node is not None else "False"
        if weights == "True":
            if text.endswith(".weights.h5"):
                return
            fix = suffix_fix(literal, text, ".weights.h5", "name the file *.weights.h5")
            kind = "weights"
        elif weights == "False":
            if text.endswith((".keras", ".h5")):
                return
            fix = suffix_fix(literal, text, ".keras", "name the file *.keras")
            kind = "model"
        else:
            return
        self.flag(arg.value, self.entry.render(written="ModelCheckpoint", member=code_of(arg.value), kind=kind), fix=fix)

    def _save(self, call: cst.Call) -> None:
        method = syntax.method_call_name(call)
        canonical = None
        if method == "save":
            if self.state.kind_of(call.func.value) not in MODEL_KINDS:
                return
            found = self._tail(call)
        else:
            canonical = self.state.canonical(call.func)
            if canonical not in ("keras.models.save_model", "keras.saving.save_model"):
                return
            found = self._tail(call, 1)
        save_format = syntax.keyword(call, "save_format")
        if save_format is not None and code_of(save_format.value).strip("\"'") == "tf":
            self.flag(save_format, self.entry.render(written=code_of(call.func), member="save_format", kind="format"))
            return
        if found is None or found[1].endswith((".keras", ".h5", ".hdf5")):
            return
        arg, text, _ = found
        self.flag(arg.value, self.entry.render(written=code_of(call.func), member=code_of(arg.value), kind="path"))

    def _load(self, call: cst.Call) -> None:
        method = syntax.method_call_name(call)
        if method == "load_weights":
            arg = _path_arg(call, 0, "filepath")
            if arg is None:
                return
            value = arg.value
            if isinstance(value, cst.Call) and (self.state.qualified(value.func) or "").endswith("train.latest_checkpoint"):
                self.flag(value, self.entry.render(written=code_of(call.func), member=code_of(value), kind="weights"))
                return
            parent = self.parent()
            chained = isinstance(parent, cst.Attribute) and parent.value is call and parent.attr.value in (
                "expect_partial", "assert_consumed", "assert_existing_objects_matched")
            found = path_tail(self, value)
            if found is not None:
                text = found[0]
                if text.endswith((".keras", ".weights.h5", ".weights.json", ".h5", ".hdf5")):
                    return
                if not (text.endswith((".ckpt", ".index")) or "." not in text.rsplit("/", 1)[-1] or chained):
                    return
            elif not chained:
                return
            self.flag(value, self.entry.render(written=code_of(call.func), member=code_of(value), kind="weights"))
            return
        canonical = self.state.canonical(call.func)
        if canonical not in ("keras.models.load_model", "keras.saving.load_model"):
            return
        arg = _path_arg(call, 0, "filepath")
        found = path_tail(self, arg.value) if arg is not None else None
        if found is None:
            return
        text = found[0]
        if text.endswith((".keras", ".h5", ".hdf5")) or text.startswith(("hf://", "kaggle://")):
            return
        self.flag(arg.value, self.entry.render(written=code_of(call.func), member=code_of(arg.value), kind="model"))

def _literal_strings(node: cst.CSTNode) -> list[cst.SimpleString]:
    """The string literals of a loss argument: a string, or the items of a list, tuple or dict."""
    if isinstance(node, cst.SimpleString):
        return [node] if syntax.string_value(node) else []
    if isinstance(node, (cst.List, cst.Tuple)):
        return [v for element in node.elements for v in _literal_strings(element.value)]
    if isinstance(node, cst.Dict):
        return [v for element in node.elements if isinstance(element, cst.DictElement) for v in _literal_strings(element.value)]
    return []


@matcher("h5_loss_alias")
class H5LossAlias(Matcher):
    """KC536, followed in source order within the module: a model compiled with a loss
    alias (`loss="mse"`) is saved to `.h5`/`.hdf5` (flagged), and `load_model` of that same
    path (flagged). One safe fix serves both: the alias is spelled out in `compile`
    (`"mse"` -> `"mean_squared_error"`, the same function), which Keras 3 reloads."""

    _ALIASES = {"mse": "mean_squared_error", "mae": "mean_absolute_error", "mape": "mean_absolute_percentage_error",
                "msle": "mean_squared_logarithmic_error", "kld": "kl_divergence", "logcosh": "log_cosh"}
    _LOADERS = frozenset({"keras.models.load_model", "keras.saving.load_model"})
    _SAVERS = frozenset({"keras.models.save_model", "keras.saving.save_model"})

    def __init__(self, rule, entry, params):
        super().__init__(rule, entry, params)
        self._aliased: dict[str, object] = {}  # names of models compiled with a loss alias -> the fix
        self._saved: dict[str, object] = {}  # the .h5 path expressions they were saved to -> the fix

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            if isinstance(target.target, cst.Name):
                self._aliased.pop(target.target.value, None)  # a new object

    def visit_Call(self, node: cst.Call) -> None:
        method = syntax.method_call_name(node)
        receiver = node.func.value if method else None
        if method == "compile" and isinstance(receiver, cst.Name):
            loss = syntax.keyword(node, "loss")
            aliases = [s for s in _literal_strings(loss.value) if syntax.string_value(s) in self._ALIASES] if loss else []
            if aliases:
                self._aliased[receiver.value] = edits.fix(
                    [(s, edits.string_with(s, self._ALIASES[syntax.string_value(s)])) for s in aliases], True,
                    "spell the loss out: " + ", ".join(f'"{self._ALIASES[syntax.string_value(s)]}"' for s in aliases))
            else:
                self._aliased.pop(receiver.value, None)
            return
        canonical = self.state.canonical(node.func)
        if method == "save" and isinstance(receiver, cst.Name) and receiver.value in self._aliased:
            self._check_save(_path_arg(node, 0, "filepath"), self._aliased[receiver.value])
        elif canonical in self._SAVERS and node.args and isinstance(node.args[0].value, cst.Name) \
                and node.args[0].value.value in self._aliased:
            self._check_save(_path_arg(node, 1, "filepath"), self._aliased[node.args[0].value.value])
        elif canonical in self._LOADERS:
            arg = _path_arg(node, 0, "filepath")
            compile_arg = syntax.keyword(node, "compile")
            if arg is None or code_of(arg.value) not in self._saved:
                return
            if compile_arg is not None and code_of(compile_arg.value) == "False":
                return
            self.flag(arg.value, self.entry.render(written=code_of(node.func), member=code_of(arg.value),
                                                   kind="load"), fix=self._saved[code_of(arg.value)])

    def _check_save(self, arg, fix) -> None:
        found = path_tail(self, arg.value) if arg is not None else None
        if found is None or not found[0].endswith((".h5", ".hdf5")):
            return
        self._saved[code_of(arg.value)] = fix
        self.flag(arg.value, self.entry.render(written="save", member=code_of(arg.value), kind="save"), fix=fix)


# ---- special cases ------------------------------------------------------------------------------------
_NOTHING: frozenset = frozenset()


@matcher("keras_tensor_in_tf_op")
class KerasTensorInTfOp(Matcher):
    """KC511: `tf.<op>(t)` at model-building scope where `t` is a `keras.Input(...)` or a
    layer's output (a KerasTensor), in the same function or module scope. The fix rewrites
    the call with its `keras.ops` twin (TF_OP_MAP), always unsafe.

    It visits every Assign and Call of most Keras files, so it is written for speed: exact
    type tests, the cheap conditions first (a name argument, a scope with KerasTensors)
    before any name resolution, and the per-function facts memoised."""

    _NOT_OPS = ("tensorflow.keras", "tensorflow.data", "tensorflow.io", "tensorflow.compat", "tensorflow.distribute",
                "tensorflow.saved_model", "tensorflow.train", "tensorflow.summary", "tensorflow.config")
    _NOT_OP_NAMES = frozenset({"TensorShape", "TensorSpec", "function", "Variable", "constant", "print",
                               "is_tensor", "get_static_value", "identity", "name_scope", "device", "py_function",
                               "numpy_function", "GradientTape", "Module", "cast"})

    def __init__(self, rule, entry, params):
        super().__init__(rule, entry, params)
        self._symbolic: dict[int, set[str]] = {}  # id(scope) -> names bound to KerasTensors there
        self._layer_code: dict[int, bool] = {}  # id(innermost def/lambda/class) -> is it layer code
        self._input_names = input_names(self.module.index)

    def _scope(self) -> tuple[cst.CSTNode, int]:
        """(the scope of the node being visited: its innermost function, lambda or the
        module; the position in the ancestors of its innermost def, lambda or class, or -1)."""
        chain = self.context.ancestors
        owner = -1
        for position in range(len(chain) - 1, -1, -1):
            kind = type(chain[position])
            if kind is cst.FunctionDef or kind is cst.Lambda:
                return chain[position], (owner if owner >= 0 else position)
            if kind is cst.ClassDef:
                if owner < 0:
                    owner = position
            elif kind is cst.Module:
                return chain[position], owner
        return chain[0], owner

    def _layer_code_at(self, owner: int) -> bool:
        """Whether the node being visited is layer code (the values are real tensors):
        inside a `lambda`, or directly in a method of a Keras class. `owner`: as _scope
        gives it."""
        if owner < 0:
            return False
        chain = self.context.ancestors
        node = chain[owner]
        layer = self._layer_code.get(id(node))
        if layer is None:
            kind = type(node)
            if kind is cst.Lambda:
                layer = True
            elif kind is cst.ClassDef:
                layer = False  # a class body, not a method
            else:
                holder = chain[owner - 2] if owner >= 2 else None
                layer = type(holder) is cst.ClassDef and self.module.keras_class(holder) is not None
            self._layer_code[id(node)] = layer
        return layer

    def _symbolic_value(self, value: cst.CSTNode, symbolic: set) -> bool:
        """A KerasTensor: `keras.Input(...)`, a layer applied to something symbolic
        (`Dense(3)(x)`, `layer(x)` for a name bound to a layer), or a name already known
        symbolic."""
        kind = type(value)
        if kind is cst.Name:
            return value.value in symbolic
        if kind is not cst.Call:
            return False
        func = value.func
        kind = type(func)
        if kind is cst.Call:
            return any(self._symbolic_value(arg.value, symbolic) for arg in value.args) and \
                self.state.call_kind(func) == LAYER
        if kind is cst.Name:
            last = func.value
        elif kind is cst.Attribute:
            last = func.attr.value
        else:
            return False
        if last in self._input_names and self.state.canonical(func) in knowledge.INPUT_FUNCTIONS:
            return True
        return kind is cst.Name and any(self._symbolic_value(arg.value, symbolic) for arg in value.args) and \
            self.state.kind_of(func) == LAYER

    def visit_Assign(self, node: cst.Assign) -> None:
        scope, owner = self._scope()
        symbolic = self._symbolic.get(id(scope))
        value = node.value
        kind = type(value)
        is_symbolic = (kind is cst.Name or kind is cst.Call) and self._symbolic_value(value, symbolic or _NOTHING)
        if not is_symbolic and not (symbolic and any(
                type(target.target) is cst.Name and target.target.value in symbolic for target in node.targets)):
            return  # nothing to record (the test below is the costly one)
        if self._layer_code_at(owner):
            return
        if symbolic is None:
            symbolic = self._symbolic[id(scope)] = set()
        for target in node.targets:
            name = target.target
            if type(name) is cst.Name:
                if is_symbolic:
                    symbolic.add(name.value)
                else:
                    symbolic.discard(name.value)

    def visit_Call(self, node: cst.Call) -> None:
        if not self._symbolic:
            return
        names = []
        for arg in node.args:
            value = arg.value
            kind = type(value)
            if kind is cst.Name:
                names.append(value.value)
            elif kind is cst.List or kind is cst.Tuple:
                names.extend(e.value.value for e in value.elements if type(e.value) is cst.Name)
        if not names:
            return
        scope, owner = self._scope()
        symbolic = self._symbolic.get(id(scope))
        if not symbolic:
            return
        hit = next((name for name in names if name in symbolic), None)
        if hit is None:
            return
        qualified = self.state.qualified(node.func)
        if not qualified or not qualified.startswith("tensorflow.") or qualified.startswith(self._NOT_OPS):
            return
        last = qualified.rpartition(".")[2]
        if last in self._NOT_OP_NAMES or last[:1].isupper() or self._layer_code_at(owner):
            return
        self.flag(node.func, self.entry.render(written=cst_dotted(node.func) or qualified, member=hit),
                  fix=self._fix(node, qualified[len("tensorflow."):]))

    def _fix(self, call: cst.Call, name: str):
        """`tf.concat([a, b], -1)` -> `keras.ops.concatenate([a, b], -1)` (TF_OP_MAP)."""
        row = TF_OP_MAP.get(name)
        if row is None or len(call.args) < TF_OP_MIN_ARGS.get(name, 0):
            return None
        spelled = self._spell_ops(row.target)
        if spelled is None:
            return None
        return row_call_fix(call, row, *spelled)

    def _spell_ops(self, target: str):
        """`keras.ops.<x>` as this module spells Keras: the standalone package when it
        imports it, else the `tf.keras` it already uses, else a new `import keras`."""
        facts = self.module.index.modules.get(self.context.path)
        imports = facts.imports.values() if facts is not None else ()
        if not any(not anchor and (target_ == "keras" or target_.startswith("keras.")) for anchor, target_ in imports):
            spelled = self.state.spell(SHIM, target)
            if spelled is not None:
                return spelled
        return self.state.spell(STANDALONE, target)


@matcher("foreign_layer")
class ForeignLayer(Matcher):
    """KC512: a layer of another Keras put into a Keras 3 model: `hub.KerasLayer(...)` or a
    `tf_keras.layers.X(...)` inside `keras.Sequential([...])`, passed to `.add(...)` of a
    Keras 3 Sequential, or called on a `keras.Input`; a Keras 3 layer into a tf_keras model."""

    def _model_keras(self, call: cst.Call) -> Optional[str]:
        """Which Keras a Sequential/Model call or receiver belongs to: "3", "2" or None."""
        qualified = self.state.qualified(call.func) if isinstance(call, cst.Call) else None
        which = flavor(qualified)
        if which == "tf_keras":
            return "2"
        if which in (STANDALONE, SHIM):
            return "3"
        return None

    def _layer_keras(self, node: cst.CSTNode) -> Optional[str]:
        if not isinstance(node, cst.Call):
            return None
        qualified = self.state.qualified(node.func) or ""
        if qualified in ("tensorflow_hub.KerasLayer", "tensorflow_hub.keras_layer.KerasLayer"):
            return "hub"
        which = flavor(qualified)
        if keras_class_name(qualified):
            return "2" if which == "tf_keras" else "3"
        return None

    def _check(self, layer: cst.CSTNode, model_keras: Optional[str], where: str) -> None:
        layer_keras = self._layer_keras(layer)
        if layer_keras is None or model_keras is None:
            return
        if layer_keras == "hub" and model_keras == "3":
            self.flag(layer, self.entry.render(written=code_of(layer.func), kind="hub", hint=where))
        elif layer_keras != "hub" and layer_keras != model_keras:
            self.flag(layer, self.entry.render(written=code_of(layer.func), kind=layer_keras, hint=where))

    def visit_Call(self, node: cst.Call) -> None:
        kind = self.state.call_kind(node)
        if kind == SEQUENTIAL and node.args and isinstance(node.args[0].value, (cst.List, cst.Tuple)):
            model_keras = self._model_keras(node)
            for element in node.args[0].value.elements:
                self._check(element.value, model_keras, "Sequential([...])")
            return
        if syntax.method_call_name(node) == "add" and node.args:
            receiver = node.func.value
            if self.state.kind_of(receiver) == SEQUENTIAL:
                binding = self._binding_call(receiver)
                self._check(node.args[0].value, self._model_keras(binding) if binding is not None else None, ".add(...)")
            return
        if isinstance(node.func, cst.Call) and self._layer_keras(node.func) is not None and node.args:
            value = node.args[0].value
            inputs = self._input_keras(value)
            if inputs is not None:
                self._check(node.func, inputs, "a keras.Input")

    def _binding_call(self, receiver: cst.CSTNode) -> Optional[cst.Call]:
        if not isinstance(receiver, cst.Name):
            return None
        for scope in [n for n in reversed(self.context.ancestors) if isinstance(n, (cst.FunctionDef, cst.Module))]:
            for node in syntax.walk_scope(scope.body if isinstance(scope, cst.FunctionDef) else scope):
                if isinstance(node, cst.Assign) and isinstance(node.value, cst.Call):
                    if any(isinstance(t.target, cst.Name) and t.target.value == receiver.value for t in node.targets):
                        return node.value
        return None

    def _input_keras(self, value: cst.CSTNode) -> Optional[str]:
        if isinstance(value, cst.Call) and self.state.canonical(value.func) in knowledge.INPUT_FUNCTIONS:
            return self._model_keras(value)
        if isinstance(value, cst.Name):
            binding = self._binding_call(value)
            if binding is not None and self.state.canonical(binding.func) in knowledge.INPUT_FUNCTIONS:
                return self._model_keras(binding)
        return None


@matcher("metrics_names")
class MetricsNames(Matcher):
    """KC520: `zip(model.metrics_names, scores)`, `scores[model.metrics_names.index(...)]`."""

    _RESULTS = frozenset({"evaluate", "test_on_batch", "train_on_batch", "evaluate_generator"})

    def _model_names(self, node: cst.Attribute) -> bool:
        """`model.metrics_names` of a known Keras model (not a library's own attribute)."""
        return self.state.kind_of(node.value) in MODEL_KINDS

    def _results(self, value: cst.CSTNode) -> bool:
        """The list evaluate() (or test/train_on_batch) returned, directly or by a name bound
        to it in the same scope."""
        if isinstance(value, cst.Call):
            return syntax.method_call_name(value) in self._RESULTS
        if isinstance(value, cst.Name):
            scope = next(n for n in reversed(self.context.ancestors) if isinstance(n, (cst.FunctionDef, cst.Module)))
            for node in syntax.walk_scope(scope.body if isinstance(scope, cst.FunctionDef) else scope):
                if isinstance(node, cst.Assign) and any(
                    isinstance(t.target, cst.Name) and t.target.value == value.value for t in node.targets
                ) and isinstance(node.value, cst.Call) and syntax.method_call_name(node.value) in self._RESULTS:
                    return True
        return False

    def visit_Call(self, node: cst.Call) -> None:
        if isinstance(node.func, cst.Name) and node.func.value == "zip" and len(node.args) >= 2:
            names = [arg for arg in node.args if _is_metrics_names(arg.value)]
            if not names:
                return
            others = [arg.value for arg in node.args if arg not in names]
            if not (self._model_names(names[0].value) or any(self._results(value) for value in others)):
                return
            fix = self._fix(node)
            self.flag(names[0].value, self.entry.render(written=code_of(names[0].value), member="zip"), fix=fix)

    def visit_Subscript(self, node: cst.Subscript) -> None:
        for element in node.slice:
            index = getattr(element.slice, "value", None)
            if isinstance(index, cst.Call) and syntax.method_call_name(index) == "index" and _is_metrics_names(index.func.value) \
                    and (self._model_names(index.func.value) or self._results(node.value)):
                self.flag(index.func.value, self.entry.render(written=code_of(index.func.value), member="index"))
                return

    def _fix(self, zip_call: cst.Call):
        """`dict(zip(model.metrics_names, model.evaluate(x, y)))` -> `model.evaluate(x, y, return_dict=True)`."""
        parent = self.parent()
        if not (isinstance(parent, cst.Arg) and isinstance(self.parent(2), cst.Call)):
            return None
        outer = self.parent(2)
        if not (isinstance(outer.func, cst.Name) and outer.func.value == "dict" and len(outer.args) == 1 and len(zip_call.args) == 2):
            return None
        other = zip_call.args[1].value
        if not (isinstance(other, cst.Call) and syntax.method_call_name(other) == "evaluate"):
            return None
        if syntax.keyword(other, "return_dict") is not None:
            return None
        return edits.fix([(outer, edits.with_arg(other, edits.keyword_arg("return_dict", "True")))], False,
                         "evaluate(..., return_dict=True)")


def _is_metrics_names(node: cst.CSTNode) -> bool:
    return isinstance(node, cst.Attribute) and node.attr.value == "metrics_names"


@matcher("lambda_and_load")
class LambdaAndLoad(Matcher):
    """KC524: a model that contains a `Lambda(lambda ...)` layer is saved to a path and
    loaded back from the same path without `safe_mode=`: Keras 3 refuses to deserialize
    the lambda. The chain is followed within the module, in source order: names bound to
    such layers, models built with them (a Sequential listing or `.add`-ing one, a
    functional model built after one was called in the same scope), their `save(path)`,
    and `load_model(path)` / `model_from_json(...)` of that model."""

    _LOADERS = frozenset({"keras.models.load_model", "keras.saving.load_model"})
    _SAVERS = frozenset({"keras.models.save_model", "keras.saving.save_model"})

    def __init__(self, rule, entry, params):
        super().__init__(rule, entry, params)
        self._layers: set[str] = set()  # names bound to Lambda(lambda ...) layers
        self._called: set[int] = set()  # scopes where such a layer was called since the last model
        self._models: set[str] = set()  # names bound to models that contain one
        self._saved: set[str] = set()  # path expressions those models were saved to
        self._json: set[str] = set()  # names holding their to_json()

    def _scope(self) -> int:
        return id(next(n for n in reversed(self.context.ancestors) if isinstance(n, (cst.FunctionDef, cst.Module))))

    def _lambda_layer(self, node) -> bool:
        if isinstance(node, cst.Name):
            return node.value in self._layers
        if isinstance(node, cst.Call) and self.module.builtin_layer(node.func) == "Lambda":
            function = syntax.keyword(node, "function") or (node.args[0] if node.args else None)
            return function is not None and isinstance(function.value, cst.Lambda)
        return False

    def _has_lambda(self, model: cst.CSTNode) -> bool:
        if isinstance(model, cst.Name):
            return model.value in self._models
        if isinstance(model, cst.Call):
            kind = self.state.call_kind(model)
            if kind == SEQUENTIAL and model.args and isinstance(model.args[0].value, (cst.List, cst.Tuple)):
                return any(self._lambda_layer(e.value) for e in model.args[0].value.elements)
            if kind == FUNCTIONAL:
                return self._scope() in self._called
        return False

    def visit_Assign(self, node: cst.Assign) -> None:
        value = node.value
        names = [t.target.value for t in node.targets if isinstance(t.target, cst.Name)]
        if self._lambda_layer(value) and isinstance(value, cst.Call):
            self._layers.update(names)
        if isinstance(value, cst.Call) and self.state.call_kind(value) in (SEQUENTIAL, FUNCTIONAL):
            contains = self._has_lambda(value)
            self._called.discard(self._scope())
            for name in names:
                (self._models.add if contains else self._models.discard)(name)
        if isinstance(value, cst.Call) and syntax.method_call_name(value) == "to_json" and self._has_lambda(value.func.value):
            self._json.update(names)

    def visit_Call(self, node: cst.Call) -> None:
        if isinstance(node.func, (cst.Call, cst.Name)) and self._lambda_layer(node.func) and node.args:
            self._called.add(self._scope())  # the layer applied to a tensor
            return
        method = syntax.method_call_name(node)
        if method == "add" and node.args and self._lambda_layer(node.args[0].value) and isinstance(node.func.value, cst.Name):
            self._models.add(node.func.value.value)
            return
        if method == "save" and node.args and self._has_lambda(node.func.value):
            self._saved.add(code_of(node.args[0].value))
            return
        canonical = self.state.canonical(node.func)
        if canonical in self._SAVERS and len(node.args) > 1 and self._has_lambda(node.args[0].value):
            self._saved.add(code_of(node.args[1].value))
            return
        if syntax.keyword(node, "safe_mode") is not None or not node.args:
            return
        first = code_of(node.args[0].value)
        loads = canonical in self._LOADERS and first in self._saved
        loads = loads or (canonical == "keras.models.model_from_json" and first in self._json)
        if loads:
            self.flag(node.func, self.entry.render(written=code_of(node.func)))


@matcher("optimizer_v2_subclass")
class OptimizerV2Subclass(Matcher):
    """KC526: a Keras optimizer subclass written against OptimizerV2: it defines
    `_resource_apply_dense` / `_resource_apply_sparse` / `_create_slots` / `get_updates`, or
    calls `self._set_hyper` / `self._get_hyper`."""

    _METHODS = frozenset({"_resource_apply_dense", "_resource_apply_sparse", "_create_slots", "get_updates",
                          "_prepare_local"})
    _CALLS = frozenset({"_set_hyper", "_get_hyper"})

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        if not self.state.class_base(node, "keras.optimizers."):
            return
        methods = syntax.methods(node)
        defined = sorted(set(methods) & self._METHODS)
        if defined:
            self.flag(methods[defined[0]].name, self.entry.render(written=node.name.value, member=defined[0]))
            return
        for method in methods.values():
            for sub in syntax.walk(method):
                if isinstance(sub, cst.Call) and syntax.method_call_name(sub) in self._CALLS and isinstance(sub.func.value, cst.Name):
                    self.flag(sub.func, self.entry.render(written=node.name.value, member=sub.func.attr.value))
                    return


@matcher("tensor_condition")
class TensorCondition(Matcher):
    """KC527 (opt-in): `if`/`while` in `call()` whose test compares or reduces the call's
    tensor arguments."""

    _STATIC = frozenset({"shape", "ndim", "dtype", "rank", "_keras_mask", "built", "name"})

    def _check(self, node, test) -> None:
        found = self.context.current_method()
        if found is None or found[1].name.value != "call":
            return
        method = found[1]
        names = syntax.param_names(method)
        # The inputs: the first parameter after self. The others are often Python values
        # (`padding="same"`, `mlen=0`) that a Python `if` may test.
        tensors = {names[1]} if len(names) > 1 and names[1] not in ("training", "mask") else set()
        if tensors and self._tensor_test(test, tensors):
            self.flag(test, self.entry.render(written=code_of(test)[:60], member=type(node).__name__.lower()))

    def _tensor_test(self, test: cst.CSTNode, tensors: set) -> bool:
        if isinstance(test, cst.BooleanOperation):
            return self._tensor_test(test.left, tensors) or self._tensor_test(test.right, tensors)
        if isinstance(test, cst.UnaryOperation):
            return self._tensor_test(test.expression, tensors)
        if isinstance(test, cst.Comparison):
            if any(isinstance(c.operator, (cst.Is, cst.IsNot, cst.In, cst.NotIn)) for c in test.comparisons):
                return False
            if any(isinstance(part, (cst.SimpleString, cst.FormattedString, cst.ConcatenatedString))
                   for part in [test.left, *[c.comparator for c in test.comparisons]]):
                return False
            return any(self._tensor_value(part, tensors) for part in [test.left, *[c.comparator for c in test.comparisons]])
        if isinstance(test, cst.Call):
            return self._reduction(test, tensors)
        return False

    def _tensor_value(self, node: cst.CSTNode, tensors: set) -> bool:
        if isinstance(node, cst.Name):
            return node.value in tensors
        if isinstance(node, cst.Subscript):
            return self._tensor_value(node.value, tensors)
        if isinstance(node, cst.Attribute):
            return False  # `x.shape`, `x.dtype`: static
        if isinstance(node, cst.BinaryOperation):
            return self._tensor_value(node.left, tensors) or self._tensor_value(node.right, tensors)
        if isinstance(node, cst.Call):
            return self._reduction(node, tensors)
        return False

    def _reduction(self, call: cst.Call, tensors: set) -> bool:
        qualified = self.state.qualified(call.func) or ""
        if not qualified.startswith(("tensorflow.", "keras.ops.", "keras.backend.")) and flavor(qualified) is None:
            return False
        last = qualified.rpartition(".")[2]
        if last in ("shape", "rank", "size", "is_tensor", "executing_eagerly", "int_shape", "ndim"):
            return False
        return any(self._tensor_value(arg.value, tensors) for arg in call.args)

    def visit_If(self, node: cst.If) -> None:
        self._check(node, node.test)

    def visit_While(self, node: cst.While) -> None:
        self._check(node, node.test)


@matcher("reset_states_override")
class ResetStatesOverride(Matcher):
    """KC531: a Metric subclass that defines `reset_states(self)`: Keras 3 never calls it."""

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        if not self.state.class_base(node, "keras.metrics."):
            return
        methods = syntax.methods(node)
        method = methods.get("reset_states")
        if method is None or "reset_state" in methods:
            return  # with reset_state defined too, reset_states is an alias kept for old callers
        if _zeroes_every_variable(node, method):
            return  # what Keras 3's default reset_state does anyway: dead code, not a lost reset
        fix = edits.fix([(method.name, cst.Name("reset_state"))], True, "rename to reset_state")
        self.flag(method.name, self.entry.render(written=f"{node.name.value}.reset_states", member="reset_states",
                                                 kind="override"), fix=fix, severity="warning")


_ZERO_FACTORIES = frozenset({"zeros", "zeros_like"})
_METRIC_VARIABLES = frozenset({"variables", "weights"})


def _metric_variables(class_def: cst.ClassDef) -> set:
    """The `self.x` of `self.x = self.add_variable(...)` / `self.add_weight(...)` in any
    method (on Keras 3.15.1 add_weight is an alias of add_variable)."""
    found = set()
    for method in syntax.methods(class_def).values():
        owner = syntax.self_name(method)
        for node in syntax.walk_scope(method):
            if isinstance(node, cst.Assign) and len(node.targets) == 1 and isinstance(node.value, cst.Call):
                name = syntax.self_attribute(node.targets[0].target, owner)
                func = node.value.func
                if name and isinstance(func, cst.Attribute) and func.attr.value in ("add_variable", "add_weight") \
                        and syntax.self_attribute(func, owner) is not None:
                    found.add(name)
    return found


def _zero(node: cst.CSTNode) -> bool:
    """`0`, `0.0`, `keras.ops.zeros(...)`, `tf.zeros_like(v)`, `np.zeros(...)`."""
    if isinstance(node, (cst.Integer, cst.Float)):
        try:
            return float(node.value) == 0
        except ValueError:
            return False
    if isinstance(node, cst.Call):
        dotted = cst_dotted(node.func)
        return bool(dotted) and dotted.rpartition(".")[2] in _ZERO_FACTORIES
    return False


def _zeroes_every_variable(class_def: cst.ClassDef, method: cst.FunctionDef) -> bool:
    """Whether `reset_states` only zeroes the metric's variables, all of them - what Keras
    3's default `reset_state()` does (measured on 3.15.1: every variable of
    `self.add_variable`/`self.add_weight`, whatever its initializer, becomes 0): then the
    override is never called but nothing is lost. Recognised: `self.x.assign(0)`,
    `K.set_value(self.x, 0)`, `for v in self.variables: v.assign(...zeros...)`,
    `K.batch_set_value([(v, 0) for v in self.variables])`, with zero literals or zeros/
    zeros_like calls; anything else in the body (a non-zero value, Python-side state) is
    a reset Keras 3 loses."""
    variables = _metric_variables(class_def)
    if not variables:
        return False
    owner = syntax.self_name(method)
    zeroed: set = set()
    every = False
    for statement in getattr(method.body, "body", ()):
        if isinstance(statement, cst.For):
            iterated = syntax.self_attribute(statement.iter, owner)
            inner = getattr(statement.body, "body", ())
            if iterated not in _METRIC_VARIABLES or not isinstance(statement.target, cst.Name) or len(inner) != 1 \
                    or statement.orelse is not None:
                return False
            call = _single_call(inner[0])
            if call is None or syntax.method_call_name(call) != "assign" or len(call.args) != 1 \
                    or not isinstance(call.func.value, cst.Name) or call.func.value.value != statement.target.value \
                    or not _zero(call.args[0].value):
                return False
            every = True
            continue
        if not isinstance(statement, cst.SimpleStatementLine):
            return False
        for small in statement.body:
            if isinstance(small, cst.Pass) or (isinstance(small, cst.Expr) and isinstance(small.value, cst.SimpleString)):
                continue
            call = small.value if isinstance(small, cst.Expr) and isinstance(small.value, cst.Call) else None
            if call is None:
                return False
            method_name = syntax.method_call_name(call) or (cst_dotted(call.func) or "").rpartition(".")[2]
            if method_name == "assign" and len(call.args) == 1 and _zero(call.args[0].value):
                name = syntax.self_attribute(call.func.value, owner)
                if name not in variables:
                    return False
                zeroed.add(name)
            elif method_name == "set_value" and len(call.args) == 2 and _zero(call.args[1].value):
                name = syntax.self_attribute(call.args[0].value, owner)
                if name not in variables:
                    return False
                zeroed.add(name)
            elif method_name == "batch_set_value" and len(call.args) == 1 and _zeroes_all_pairs(call.args[0].value, owner):
                every = True
            else:
                return False
    return every or zeroed >= variables


def _single_call(statement: cst.CSTNode) -> Optional[cst.Call]:
    if isinstance(statement, cst.SimpleStatementLine) and len(statement.body) == 1:
        small = statement.body[0]
        if isinstance(small, cst.Expr) and isinstance(small.value, cst.Call):
            return small.value
    return None


def _zeroes_all_pairs(value: cst.CSTNode, owner: Optional[str]) -> bool:
    """`[(v, 0) for v in self.variables]`."""
    if not isinstance(value, cst.ListComp) or not isinstance(value.elt, cst.Tuple) or len(value.elt.elements) != 2:
        return False
    first, second = (element.value for element in value.elt.elements)
    loop = value.for_in
    return (loop.inner_for_in is None and not loop.ifs and isinstance(loop.target, cst.Name)
            and isinstance(first, cst.Name) and first.value == loop.target.value and _zero(second)
            and syntax.self_attribute(loop.iter, owner) in _METRIC_VARIABLES)


@matcher("multi_output_metrics")
class MultiOutputMetrics(Matcher):
    """KC535: `Model(inp, [a, b])` in the module, compiled with a flat `metrics=[...]`
    shorter than the number of outputs."""

    def __init__(self, rule, entry, params):
        super().__init__(rule, entry, params)
        # (scope, name) -> number of outputs, as the latest assignment in source order left it.
        self._outputs: dict[tuple, int] = {}

    def _scope(self) -> int:
        return id(next(n for n in reversed(self.context.ancestors) if isinstance(n, (cst.FunctionDef, cst.Module))))

    def visit_Assign(self, node: cst.Assign) -> None:
        count = self._output_count(node.value)
        for target in node.targets:
            if isinstance(target.target, cst.Name):
                key = (self._scope(), target.target.value)
                if count is None:
                    self._outputs.pop(key, None)
                else:
                    self._outputs[key] = count

    def _output_count(self, value) -> Optional[int]:
        if not isinstance(value, cst.Call) or self.state.call_kind(value) != FUNCTIONAL:
            return None
        outputs = syntax.keyword(value, "outputs")
        positional = syntax.positional(value)
        outputs = outputs.value if outputs is not None else (positional[1].value if len(positional) > 1 else None)
        if isinstance(outputs, (cst.List, cst.Tuple)) and len(outputs.elements) >= 2 and not any(
            isinstance(e, cst.StarredElement) for e in outputs.elements
        ):
            return len(outputs.elements)
        return None

    def visit_Call(self, node: cst.Call) -> None:
        if syntax.method_call_name(node) != "compile" or not isinstance(node.func.value, cst.Name):
            return
        count = self._outputs.get((self._scope(), node.func.value.value))
        metrics = syntax.keyword(node, "metrics")
        if count is None or metrics is None or not isinstance(metrics.value, (cst.List, cst.Tuple)):
            return
        elements = metrics.value.elements
        if not elements or any(isinstance(e.value, (cst.List, cst.Tuple, cst.Dict)) or isinstance(e, cst.StarredElement) for e in elements):
            return
        if len(elements) >= count:
            return
        per_output = code_of(metrics.value)
        new = cst.parse_expression("[" + ", ".join([per_output] * count) + "]")
        fix = edits.fix([(metrics.value, new)], False, "one metrics list per output")
        self.flag(metrics.value, self.entry.render(written=code_of(metrics.value), member=str(count)), fix=fix)
