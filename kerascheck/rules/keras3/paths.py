"""The `path` matcher: the file name suffixes Keras 3's `save`, `save_weights`,
`ModelCheckpoint` and `load_model` insist on (KC505-KC508), followed through the variables
and f-strings a path is built from."""
from __future__ import annotations

from typing import Optional

import libcst as cst

from kerascheck.rules.keras3 import edits
from kerascheck.rules.keras3.matcher import Matcher, matcher
from kerascheck.semantic import syntax
from kerascheck.semantic.file_state import MODEL_KINDS, code_of

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


def path_arg(call: cst.Call, position: int, keyword: str) -> Optional[cst.Arg]:
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
        arg = path_arg(call, position, keyword)
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
            arg = path_arg(call, 0, "filepath")
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
        arg = path_arg(call, 0, "filepath")
        found = path_tail(self, arg.value) if arg is not None else None
        if found is None:
            return
        text = found[0]
        if text.endswith((".keras", ".h5", ".hdf5")) or text.startswith(("hf://", "kaggle://")):
            return
        self.flag(arg.value, self.entry.render(written=code_of(call.func), member=code_of(arg.value), kind="model"))

