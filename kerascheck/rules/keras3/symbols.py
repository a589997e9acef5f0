"""The `symbol` matcher: a removed or moved module attribute or import path (`K.set_value`,
`keras.engine.topology.Layer`, `keras.layers.experimental.preprocessing.X`), with the
spelling scope of each symbol; and KC501's fixes (the spec's §A, `keras.backend` ->
`keras.ops`)."""
from __future__ import annotations

from typing import Optional

import libcst as cst

from kerascheck.rules.keras3 import edits
from kerascheck.rules.keras3.matcher import Matcher, matcher
from kerascheck.rules.keras3.table import BACKEND_MAP, Move, backend_hint
from kerascheck.cstwalk import walk
from kerascheck.semantic import syntax
from kerascheck.semantic.file_state import SHIM, STANDALONE, code_of, flavor
from kerascheck.semantic.names import canonical_keras_name, cst_dotted

def _spelling_ok(spelling: str, which: Optional[str]) -> bool:
    if which not in (STANDALONE, SHIM):
        return False  # tf_keras is Keras 2 itself, and non-Keras names are not ours
    return spelling == "all" or spelling == which


def _head(name: str) -> str:
    return name.split(".")[0]


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
    `moves` (tuple of Move), `fix` ("move", "backend", "reduction" or None), `message`,
    `hints` (what to do instead of a name that has no move, by canonical name; "*": of any
    other name, when a whole removed module is one Symbol)."""

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
        hints = self.params.get("hints", {})
        for name in candidates:
            move = moved(self.moves, name, which)
            if move is not None and move.new and (move.new.rpartition(".")[2][:1].isupper() or not move.names):
                return f"use `{move.new}`"
            if name in hints:
                return hints[name]
        return hints.get("*", "import it from its public Keras 3 path")

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
    return edits.row_call_fix(call, row, *spelled)




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

