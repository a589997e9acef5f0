"""KC536 (h5-loss-alias): a model compiled with a loss alias, saved to HDF5 and loaded back."""
from __future__ import annotations

import libcst as cst

from kerascheck.rules.keras3 import edits
from kerascheck.rules.keras3.matcher import Matcher, matcher
from kerascheck.rules.keras3.paths import path_arg, path_tail
from kerascheck.semantic import syntax
from kerascheck.semantic.file_state import code_of

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
            self._check_save(path_arg(node, 0, "filepath"), self._aliased[receiver.value])
        elif canonical in self._SAVERS and node.args and isinstance(node.args[0].value, cst.Name) \
                and node.args[0].value.value in self._aliased:
            self._check_save(path_arg(node, 1, "filepath"), self._aliased[node.args[0].value.value])
        elif canonical in self._LOADERS:
            arg = path_arg(node, 0, "filepath")
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


