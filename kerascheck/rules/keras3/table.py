"""The Keras 2 -> Keras 3 migration table (the spec's 37 entries, KC501-KC537, and KC538-KC541) as data.

Each `Entry` is one rule: its metadata (code, name, severity, default, which Keras it
breaks on), the matchers that find it and their parameters, the message (the measured
Keras 3 behaviour and what to do), the fix safety, the introspection probe `--confirm`
runs, and the Bad, Good and fixed examples the tests run. Adding an entry means adding a
row here, which makes the rule class and its registration, and writing its page
rules/KC5xx.md by hand, like every rule page: the page holds the prose (what it does,
why, how to fix, what is not flagged, references) and repeats the row's header and
examples, which tests/migration/test_kc5xx_pages.py keeps in step with the row.

Measured on keras 3.15.1 + TensorFlow 2.21 against tf_keras 2.21 (the spec's K3 / K2).
`BACKEND_MAP` is the spec's §A (`keras.backend` -> Keras 3), `MODULE_MOVES` its §B. The
Keras names the rows check against (what Keras 3 keeps, which layers it removed) are facts
of kerascheck.semantic.knowledge.
"""
from __future__ import annotations

import textwrap
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Mapping, NamedTuple, Optional

from kerascheck.finding import Severity
from kerascheck.semantic.knowledge import (
    BACKEND_SUBMODULES,
    DEFAULT_LEARNING_RATES,
    KERAS3_BACKEND,
    KERAS3_LAYER_NAMES,
    KERAS3_OPTIMIZERS,
    KERAS3_PREPROCESSING_IMAGE,
    KERAS3_PREPROCESSING_SEQUENCE,
    SHIM_BACKEND_MISSING,
    SHIM_ONLY_LAYERS,
)

ERROR, WARNING, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO
KERAS3 = "Keras 3 (works on Keras 2)"
STANDALONE_ONLY = "standalone Keras 3 (`tf.keras` on TF >= 2.16 keeps it, so `tf.keras` code is not flagged)"


@dataclass(frozen=True)
class Symbol:
    """A removed (or moved) Keras name, by canonical name. `match`: "exact" (this name),
    "prefix" (this name and everything under it) or "member" (one level under it, minus
    `skip`, or only `only`). `spelling`: "all", "keras" (the tf.keras shim keeps it) or
    "tf.keras" (only the shim lacks it)."""

    pattern: str
    match: str = "prefix"
    spelling: str = "all"
    only: frozenset = frozenset()
    skip: frozenset = frozenset()
    hint: str = ""
    kind: str = ""  # which of the entry's `messages` a finding of this symbol gets


@dataclass(frozen=True)
class Move:
    """A Keras 2 path and its public Keras 3 twin (`.*`: any name in `names`)."""

    old: str
    new: Optional[str]
    safe: bool = True
    names: frozenset = frozenset()
    names_shim: frozenset = frozenset()  # the names under tf.keras, when they differ


@dataclass(frozen=True)
class BackendRow:
    """§A: how a `keras.backend` function is written in Keras 3."""

    target: str  # "ops.sum", "random.normal", "activations.relu"; or a description
    safe: bool = True
    keywords: Mapping[str, str] = field(default_factory=dict)  # accepted keyword -> new keyword
    max_positional: int = 1
    explicit: tuple = ()  # (keyword, old default) written out when not given
    explicit_position: Mapping[str, int] = field(default_factory=dict)  # positional index of it
    template: Optional[str] = None  # a whole-call rewrite over the positional arguments


@dataclass(frozen=True)
class Probe:
    """What `--confirm` runs against the installed Keras: `code` (with `{member}` from the
    finding) raises one of `raises`, or, without `raises`, evaluates to True."""

    code: str
    raises: tuple = ()
    setup: str = "import keras"
    member: str = ""  # what `{member}` stands for when the finding gives none


@dataclass(frozen=True)
class Entry:
    code: str
    name: str
    summary: str
    severity: Severity
    affects: str
    matchers: tuple  # ((kind, params), ...)
    # str.format templates over written, member, hint, kind, value, error (the error the
    # symbol matchers give for the spelling) and exception (its name): the message (what is
    # wrong and what Keras 3 does, at most MESSAGE_LIMIT characters of its own) and the
    # help (the exact error and what to write instead).
    message: str
    bad: str  # the page's examples: Bad triggers the rule, Good does not
    good: str
    fixed: Optional[str] = None  # the Bad example after `--fix`/`--unsafe-fixes`
    fix_imports: tuple = ()  # imports the fix of the Bad example adds
    # Per `kind` overrides: a message template, or a (message, help) pair of templates.
    messages: Mapping[str, object] = field(default_factory=dict)
    help: str = ""
    default: bool = True
    needles: tuple = ()  # substrings one of which a module must contain to be looked at
    probe: Optional[Probe] = None
    # Rules about mixing the two Keras (KC512) ignore the module's own tf_keras import.
    mixing: bool = False
    # Codes whose findings this rule's finding replaces: "line" (same line) or "file".
    supersedes: Mapping[str, str] = field(default_factory=dict)
    # The safety of the fixes the rule offers ("safe", "unsafe"), as the page's Fix section
    # states it in bold; empty when it offers none. The rule class declares it.
    fix_safety: tuple = ()

    def render(self, **fields) -> "Text":
        """The finding's message and help for these fields."""
        template = self.messages.get(fields.get("kind") or "", self.message)
        message, help = template if isinstance(template, tuple) else (template, self.help)
        values = defaultdict(str, {k: v for k, v in fields.items() if v is not None})
        # The exception's name alone ("ImportError"), for the message; `error` in full goes to help.
        values["exception"] = values["error"].partition(":")[0]
        return Text(message.format_map(values), help.format_map(values))


class Text(NamedTuple):
    """A finding's words: the short message and its help."""

    message: str
    help: str = ""


# ---- §A: keras.backend -> Keras 3 ---------------------------------------------------------------------
_REDUCE = {"axis": "axis", "keepdims": "keepdims"}
BACKEND_MAP: dict[str, BackendRow] = {}
for _name in "sum mean max min std var prod any all".split():
    BACKEND_MAP[_name] = BackendRow(f"ops.{_name}", keywords=_REDUCE, max_positional=3)
for _name in "square sqrt exp log abs sign round sigmoid tanh softplus softsign stop_gradient".split():
    BACKEND_MAP[_name] = BackendRow(f"ops.{_name}")
for _name in ("ones_like", "zeros_like"):
    BACKEND_MAP[_name] = BackendRow(f"ops.{_name}", keywords={"dtype": "dtype"}, max_positional=2)
for _name in "equal not_equal greater less maximum minimum".split():
    BACKEND_MAP[_name] = BackendRow(f"ops.{_name}", max_positional=2)
BACKEND_MAP.update(
    {
        "cast": BackendRow("ops.cast", keywords={"dtype": "dtype"}, max_positional=2),
        "clip": BackendRow("ops.clip", max_positional=3),
        "stack": BackendRow("ops.stack", keywords={"axis": "axis"}, max_positional=2),
        "tile": BackendRow("ops.tile", max_positional=2),
        "pow": BackendRow("ops.power", max_positional=2),
        "softmax": BackendRow("ops.softmax", keywords={"axis": "axis"}, max_positional=2),
        "reshape": BackendRow("ops.reshape", max_positional=2),
        "permute_dimensions": BackendRow("ops.transpose", max_positional=2),
        "repeat_elements": BackendRow("ops.repeat", max_positional=3),
        "binary_crossentropy": BackendRow("ops.binary_crossentropy", keywords={"from_logits": "from_logits"}, max_positional=3),
        "categorical_crossentropy": BackendRow(
            "ops.categorical_crossentropy", keywords={"from_logits": "from_logits", "axis": "axis"}, max_positional=4),
        "sparse_categorical_crossentropy": BackendRow(
            "ops.sparse_categorical_crossentropy", keywords={"from_logits": "from_logits", "axis": "axis"}, max_positional=4),
        "random_normal": BackendRow("random.normal", max_positional=5,
                                    keywords={k: k for k in ("mean", "stddev", "dtype", "seed")}),
        "random_uniform": BackendRow("random.uniform", max_positional=5,
                                     keywords={k: k for k in ("minval", "maxval", "dtype", "seed")}),
        "one_hot": BackendRow("ops.one_hot", keywords={"num_classes": "num_classes"}, max_positional=2),
        "squeeze": BackendRow("ops.squeeze", keywords={"axis": "axis"}, max_positional=2),
        # differs: the old default is written out (unsafe)
        "expand_dims": BackendRow("ops.expand_dims", False, {"axis": "axis"}, 2, (("axis", "-1"),), {"axis": 1}),
        "concatenate": BackendRow("ops.concatenate", False, {"axis": "axis"}, 2, (("axis", "-1"),), {"axis": 1}),
        "argmax": BackendRow("ops.argmax", False, {"axis": "axis"}, 2, (("axis", "-1"),), {"axis": 1}),
        "argmin": BackendRow("ops.argmin", False, {"axis": "axis"}, 2, (("axis", "-1"),), {"axis": 1}),
        "cumsum": BackendRow("ops.cumsum", False, {"axis": "axis"}, 2, (("axis", "0"),), {"axis": 1}),
        "l2_normalize": BackendRow("ops.normalize", False, {"axis": "axis"}, 2, (("axis", "None"),), {"axis": 1}),
        "gather": BackendRow("ops.take", False, max_positional=2, template="{keras}.ops.take({0}, {1}, axis=0)"),
        "in_top_k": BackendRow("ops.in_top_k", False, max_positional=3, template="{keras}.ops.in_top_k({1}, {0}, {2})"),
        "shape": BackendRow("ops.shape", False),
        "int_shape": BackendRow("x.shape", False, template="{0}.shape"),
        "switch": BackendRow("ops.where", False, max_positional=3),
        "relu": BackendRow("activations.relu", True,
                           {"alpha": "negative_slope", "max_value": "max_value", "threshold": "threshold"}, 4),
        "variable": BackendRow("Variable", False, {"dtype": "dtype", "name": "name"}, 1),
        "constant": BackendRow("ops.convert_to_tensor", False, {"dtype": "dtype"}, 1),
        "get_value": BackendRow("ops.convert_to_numpy", template="{keras}.ops.convert_to_numpy({0})"),
        "batch_get_value": BackendRow("ops.convert_to_numpy", template="[{keras}.ops.convert_to_numpy(v) for v in {0}]"),
        "set_value": BackendRow("v.assign(x)", max_positional=2, template="{0}.assign({1})"),
        # Not in §A: Keras 2's K.name_scope (tf.name_scope) is keras.name_scope in Keras 3 (measured:
        # `keras.backend.name_scope` is an AttributeError on 3.15.1; the tf.keras shim keeps it).
        "name_scope": BackendRow("name_scope", keywords={"name": "name"}),
        "count_params": BackendRow("np.prod(w.shape)", False, template="int({np}.prod({0}.shape))"),
    }
)
# What the message recommends for the names §A gives no rewrite for.
BACKEND_HINTS = {
    "function": "build a sub-model instead: keras.Model(model.inputs, layer.output)",
    "learning_phase": "pass the `training` argument instead",
    "set_learning_phase": "pass the `training` argument instead",
    "in_train_phase": "branch on the `training` argument of call() instead",
    "in_test_phase": "branch on the `training` argument of call() instead",
    "placeholder": "use keras.Input",
    "get_session": "there is no session in Keras 3 (TF 2 runs eagerly)",
    "set_session": "there is no session in Keras 3 (TF 2 runs eagerly)",
    "batch_set_value": "call v.assign(x) for each pair",
    "dot": "use keras.ops.matmul (2-D) or keras.ops.einsum",
    "batch_dot": "use keras.ops.einsum or keras.ops.matmul",
    "ctc_batch_cost": "use keras.ops.ctc_loss (argument names and order differ)",
    "ctc_decode": "use keras.ops.ctc_decode (argument names and order differ)",
    "map_fn": "use keras.ops.map",
    "rnn": "use keras.layers.RNN",
    "manual_variable_initialization": "remove it (TF 2 initializes variables eagerly)",
    "reset_uids": "remove it",
    "set_backend": "use keras.config.set_backend, or set KERAS_BACKEND before importing keras",
    # Keras 2's TensorFlow backend module re-exported `tf` itself (`K.tf.where(...)`).
    "tf": "import tensorflow as tf and call it directly",
}


def backend_hint(name: str) -> str:
    row = BACKEND_MAP.get(name)
    if row is not None:
        if row.template and "{keras}" not in row.template:
            return f"use {row.target}" if row.target != "v.assign(x)" else "use v.assign(x)"
        return f"use keras.{row.target}" + ("" if row.safe else " (mind the different default)")
    return BACKEND_HINTS.get(name, "use keras.ops, keras.random or the tensor's own methods")


# ---- KC511: TensorFlow ops -> keras.ops ------------------------------------------------------------------
# The ops the Keras 3 migration guide's table maps, and the other TF functions people apply
# to KerasTensors, keyed by their name under `tensorflow.` (aliases each get a row). Every
# rewrite is unsafe (see KC511's page): the keywords are renamed, the TF default is written out
# where keras.ops has another, and calls with other keywords (`name=`...) are left alone.
# Checked against the signatures of TF 2.21 and keras 3.15.1 (tests/migration/test_kc5xx_tf_ops.py).
TF_OP_MAP: dict[str, BackendRow] = {}
_UNARY = {  # tf name -> keras.ops name, (x) -> (x)
    "abs": "abs", "exp": "exp", "sqrt": "sqrt", "square": "square", "sign": "sign", "sigmoid": "sigmoid",
    "tanh": "tanh", "math.log": "log", "math.sin": "sin", "math.cos": "cos", "math.log1p": "log1p",
    "math.rsqrt": "rsqrt", "math.floor": "floor", "math.ceil": "ceil", "math.negative": "negative",
    "math.reciprocal": "reciprocal", "math.erf": "erf", "math.logical_not": "logical_not",
}
for _name, _target in dict(_UNARY).items():
    if not _name.startswith("math."):
        _UNARY["math." + _name] = _target
for _name, _target in _UNARY.items():
    TF_OP_MAP[_name] = BackendRow(f"ops.{_target}", False, {"x": "x"}, 1)
for _name, _target in {"nn.relu": "relu", "nn.relu6": "relu6", "nn.elu": "elu", "nn.selu": "selu",
                       "nn.softplus": "softplus", "math.softplus": "softplus", "nn.softsign": "softsign",
                       "math.softsign": "softsign", "nn.sigmoid": "sigmoid", "nn.tanh": "tanh"}.items():
    TF_OP_MAP[_name] = BackendRow(f"ops.{_target}", False, {"features": "x", "x": "x"}, 1)
_BINARY = {
    "maximum": "maximum", "minimum": "minimum", "add": "add", "multiply": "multiply", "subtract": "subtract",
    "divide": "divide", "pow": "power", "equal": "equal", "not_equal": "not_equal", "greater": "greater",
    "less": "less", "greater_equal": "greater_equal", "less_equal": "less_equal", "logical_and": "logical_and",
    "logical_or": "logical_or",
}
for _name, _target in _BINARY.items():
    for _spelled in (_name, "math." + _name):
        TF_OP_MAP[_spelled] = BackendRow(f"ops.{_target}", False, {"x": "x1", "y": "x2"}, 2)
_REDUCE_OPS = {"reduce_mean": "mean", "reduce_sum": "sum", "reduce_max": "max", "reduce_min": "min",
               "reduce_prod": "prod", "reduce_any": "any", "reduce_all": "all", "reduce_logsumexp": "logsumexp",
               "reduce_variance": "var", "reduce_std": "std"}
for _name, _target in _REDUCE_OPS.items():
    for _spelled in (_name, "math." + _name):
        TF_OP_MAP[_spelled] = BackendRow(f"ops.{_target}", False, {"input_tensor": "x", "axis": "axis",
                                                                 "keepdims": "keepdims"}, 3)
for _spelled in ("reduce_variance", "reduce_std"):
    del TF_OP_MAP[_spelled]  # only tf.math has them
TF_OP_MAP.update({
    "concat": BackendRow("ops.concatenate", False, {"values": "xs", "axis": "axis"}, 2),
    "reshape": BackendRow("ops.reshape", False, {"tensor": "x", "shape": "newshape"}, 2),
    "squeeze": BackendRow("ops.squeeze", False, {"input": "x", "axis": "axis"}, 2),
    "expand_dims": BackendRow("ops.expand_dims", False, {"input": "x", "axis": "axis"}, 2),
    "transpose": BackendRow("ops.transpose", False, {"a": "x", "perm": "axes"}, 2),
    "matmul": BackendRow("ops.matmul", False, {"a": "x1", "b": "x2"}, 2),
    "linalg.matmul": BackendRow("ops.matmul", False, {"a": "x1", "b": "x2"}, 2),
    "stack": BackendRow("ops.stack", False, {"values": "x", "axis": "axis"}, 2),
    "unstack": BackendRow("ops.unstack", False, {"value": "x", "num": "num", "axis": "axis"}, 3),
    "tile": BackendRow("ops.tile", False, {"input": "x", "multiples": "repeats"}, 2),
    "repeat": BackendRow("ops.repeat", False, {"input": "x", "repeats": "repeats", "axis": "axis"}, 3),
    "zeros_like": BackendRow("ops.zeros_like", False, {"input": "x", "dtype": "dtype"}, 2),
    "ones_like": BackendRow("ops.ones_like", False, {"input": "x", "dtype": "dtype"}, 2),
    "clip_by_value": BackendRow("ops.clip", False, {"t": "x", "clip_value_min": "x_min", "clip_value_max": "x_max"}, 3),
    "einsum": BackendRow("ops.einsum", False, {}, 99),
    "linalg.einsum": BackendRow("ops.einsum", False, {}, 99),
    "pad": BackendRow("ops.pad", False, {"tensor": "x", "paddings": "pad_width"}, 2),
    "one_hot": BackendRow("ops.one_hot", False, {"indices": "x", "depth": "num_classes"}, 2),
    "nn.softmax": BackendRow("ops.softmax", False, {"logits": "x", "axis": "axis"}, 2),
    "math.softmax": BackendRow("ops.softmax", False, {"logits": "x", "axis": "axis"}, 2),
    "nn.log_softmax": BackendRow("ops.log_softmax", False, {"logits": "x", "axis": "axis"}, 2),
    "math.log_softmax": BackendRow("ops.log_softmax", False, {"logits": "x", "axis": "axis"}, 2),
    "nn.leaky_relu": BackendRow("ops.leaky_relu", False, {"features": "x", "alpha": "negative_slope"}, 2),
    "nn.silu": BackendRow("ops.silu", False, {"features": "x"}, 1),
    "nn.swish": BackendRow("ops.silu", False, {"features": "x"}, 1),
    # The TF default differs from keras.ops': written out.
    "nn.gelu": BackendRow("ops.gelu", False, {"features": "x", "approximate": "approximate"}, 2,
                          (("approximate", "False"),), {"approximate": 1}),
    "gather": BackendRow("ops.take", False, {"params": "x", "indices": "indices", "axis": "axis"}, 2,
                         (("axis", "0"),), {"axis": 2}),
    "cumsum": BackendRow("ops.cumsum", False, {"x": "x", "axis": "axis"}, 2, (("axis", "0"),), {"axis": 1}),
    "math.cumsum": BackendRow("ops.cumsum", False, {"x": "x", "axis": "axis"}, 2, (("axis", "0"),), {"axis": 1}),
    "math.cumprod": BackendRow("ops.cumprod", False, {"x": "x", "axis": "axis"}, 2, (("axis", "0"),), {"axis": 1}),
    "where": BackendRow("ops.where", False, {"condition": "condition", "x": "x1", "y": "x2"}, 3),
})
for _name in ("argmax", "argmin"):
    for _spelled in (_name, "math." + _name):
        TF_OP_MAP[_spelled] = BackendRow(f"ops.{_name}", False, {"input": "x", "axis": "axis"}, 2,
                                         (("axis", "0"),), {"axis": 1})
# How many arguments a call must have at least for the rewrite to mean the same (`tf.where(c)`
# returns indices, `keras.ops.where(c, a, b)` selects).
TF_OP_MIN_ARGS = {"where": 3}


# ---- §B: removed module paths -> public Keras 3 paths --------------------------------------------------
_LAYER_MODULES = ("core", "convolutional", "recurrent", "pooling", "normalization", "embeddings", "merge", "wrappers",
                  "advanced_activations", "noise", "local", "convolutional_recurrent", "cudnn_recurrent")
MODULE_MOVES: tuple = (
    *(Move(f"keras.engine.{m}.Layer", "keras.layers.Layer") for m in ("topology", "base_layer")),
    Move("keras.engine.Layer", "keras.layers.Layer"),
    *(Move(f"keras.engine.{m}.InputSpec", "keras.layers.InputSpec") for m in ("topology", "input_spec", "base_layer")),
    Move("keras.engine.InputSpec", "keras.layers.InputSpec"),
    Move("keras.engine.training.Model", "keras.models.Model"),
    Move("keras.engine.Model", "keras.models.Model"),
    Move("keras.engine.sequential.Sequential", "keras.models.Sequential"),
    *(Move(f"keras.engine.{m}.Input", "keras.layers.Input") for m in ("input_layer", "topology")),
    *(Move(f"keras.engine.{m}.InputLayer", "keras.layers.InputLayer") for m in ("input_layer", "topology")),
    *(Move(f"keras.layers.{m}.*", "keras.layers.*", names=KERAS3_LAYER_NAMES) for m in _LAYER_MODULES),
    Move("keras.utils.np_utils.to_categorical", "keras.utils.to_categorical"),
    Move("keras.utils.np_utils.normalize", "keras.utils.normalize"),
    Move("keras.utils.generic_utils.*", "keras.utils.*", names=frozenset(
        {"get_custom_objects", "CustomObjectScope", "custom_object_scope", "serialize_keras_object",
         "deserialize_keras_object", "Progbar"})),
    Move("keras.utils.vis_utils.*", "keras.utils.*", names=frozenset({"plot_model", "model_to_dot"})),
    Move("keras.utils.data_utils.*", "keras.utils.*", names=frozenset({"Sequence", "get_file"})),
)
_REMOVED_MODULES = (
    "keras.engine", *(f"keras.layers.{m}" for m in _LAYER_MODULES),
    "keras.utils.np_utils", "keras.utils.generic_utils", "keras.utils.vis_utils", "keras.utils.data_utils",
    "keras.utils.layer_utils", "keras.utils.conv_utils", "keras.backend.tensorflow_backend",
    "keras.saving.hdf5_format", "keras.wrappers.scikit_learn",
)
_MODULE_HINTS = {
    "keras.utils.conv_utils": "it has no public equivalent: copy the helper you need",
    "keras.utils.layer_utils": "it has no public equivalent (count_params: sum(int(np.prod(w.shape)) for w in weights))",
    "keras.backend.tensorflow_backend": "use tensorflow directly",
    "keras.saving.hdf5_format": "it has no public equivalent: use keras.saving.load_model",
    "keras.wrappers.scikit_learn": "use keras.wrappers.SKLearnClassifier/SKLearnRegressor (build_fn becomes model) or SciKeras",
}

# ---- the rows -------------------------------------------------------------------------------------------------
_OPTIMIZER_CALLEES = ("keras.optimizers.*", "keras.optimizers.legacy.*")
_RNN_LAYERS = ("LSTM", "GRU", "SimpleRNN", "RNN", "ConvLSTM1D", "ConvLSTM2D", "ConvLSTM3D")
_FIT_KEYWORDS = ("epochs", "batch_size", "validation_data", "steps_per_epoch", "callbacks", "verbose",
                 "validation_steps", "initial_epoch", "class_weight", "shuffle", "steps", "validation_split",
                 "sample_weight", "x", "y", "generator")
_COMPILE_KEYWORDS = ("optimizer", "loss", "metrics", "loss_weights", "weighted_metrics", "run_eagerly",
                     "steps_per_execution", "jit_compile")


def _code(text: str) -> str:
    return textwrap.dedent(text).strip("\n") + "\n"


ENTRIES: list[Entry] = []
# `fixed=SAME_AS_GOOD`: the fixer turns the Bad example into the Good one, to the letter.
SAME_AS_GOOD = object()


def entry(**fields) -> Entry:
    if fields.get("fixed") is SAME_AS_GOOD:
        fields["fixed"] = fields["good"]
    for key in ("bad", "good", "fixed"):
        if fields.get(key):
            fields[key] = _code(fields[key])
    made = Entry(**fields)
    ENTRIES.append(made)
    return made


# 1 ------------------------------------------------------------------------------------------------------------------
entry(
    code="KC501",
    name="removed-backend-function",
    summary="keras.backend function that Keras 3 removed (K.sum, K.set_value, K.function...): AttributeError.",
    severity=ERROR,
    affects="Keras 3 (standalone `keras.backend` keeps 14 names; `tf.keras.backend` keeps the math functions "
            "and lacks only learning_phase, function, placeholder and the session functions)",
    matchers=(("symbol", {
        "roots": ("keras.backend",),
        "symbols": (
            Symbol("keras.backend", "member", "keras", skip=KERAS3_BACKEND | BACKEND_SUBMODULES),
            Symbol("keras.backend", "member", "tf.keras", only=SHIM_BACKEND_MISSING),
        ),
        "fix": "backend",
        "hint_function": "backend",
    }),),
    message="`{written}` does not exist in Keras 3 ({exception})",
    help="{error}; {hint}",
    fix_safety=("safe", "unsafe"),
    bad="""
        from keras import backend as K


        def weighted_sum(x, weights):
            return K.sum(x * weights, axis=-1)
        """,
    good="""
        import keras


        def weighted_sum(x, weights):
            return keras.ops.sum(x * weights, axis=-1)
        """,
    fixed=SAME_AS_GOOD,
    fix_imports=("import keras",),
    needles=("backend",),
    probe=Probe("keras.backend.{member}", ("AttributeError",), member="set_value"),
)

# 2 ------------------------------------------------------------------------------------------------------------------
entry(
    code="KC502",
    name="optimizer-lr-argument",
    summary="Optimizer(lr=...): Keras 3 raises ValueError (tf.keras 2.11-2.15 silently ignored it).",
    severity=ERROR,
    affects="Keras 3 (and `tf.keras` 2.11-2.15, where the new optimizers silently ignored `lr`)",
    matchers=(("keyword", {
        "callees": ("keras.optimizers.*",),  # not `...optimizers.legacy.X(lr=...)`: KC523 reports (and fixes) it
        "tree": "optimizer",
        "keywords": {"lr": {"fix": "rename", "to": "learning_rate", "safe": True}},
    }),),
    message="`{written}(lr=...)` fails on Keras 3 (ValueError): its optimizers no longer take `lr`",
    help="ValueError: Argument(s) not recognized: {{'lr': ...}}; pass `learning_rate=` instead",
    fix_safety=("safe",),
    bad="""
        import keras

        optimizer = keras.optimizers.Adam(lr=0.01)
        """,
    good="""
        import keras

        optimizer = keras.optimizers.Adam(learning_rate=0.01)
        """,
    fixed=SAME_AS_GOOD,
    needles=("lr",),
    probe=Probe("keras.optimizers.Adam(lr=0.01)", ("ValueError", "TypeError")),
)

# 3 ------------------------------------------------------------------------------------------------------------------
entry(
    code="KC503",
    name="optimizer-lr-attribute",
    summary="optimizer.lr read or assigned: Keras 3 optimizers only have learning_rate (AttributeError).",
    severity=ERROR,
    affects=KERAS3 + "; `tf.keras` on TF >= 2.16 too",
    matchers=(("attribute", {
        "receiver": ("optimizer",),
        "attributes": {"lr": {"to": ".learning_rate", "safe": True}},
        "not_self": True,
    }),),
    message="`{written}` fails on Keras 3 (AttributeError): its optimizers have no `lr`",
    help="AttributeError: {owner} object has no attribute 'lr'; use `.learning_rate`",
    fix_safety=("safe",),
    bad="""
        import keras


        class HalveLearningRate(keras.callbacks.Callback):
            def on_epoch_end(self, epoch, logs=None):
                self.model.optimizer.lr = self.model.optimizer.lr * 0.5
        """,
    good="""
        import keras


        class HalveLearningRate(keras.callbacks.Callback):
            def on_epoch_end(self, epoch, logs=None):
                optimizer = self.model.optimizer
                optimizer.learning_rate = optimizer.learning_rate * 0.5
        """,
    fixed="""
        import keras


        class HalveLearningRate(keras.callbacks.Callback):
            def on_epoch_end(self, epoch, logs=None):
                self.model.optimizer.learning_rate = self.model.optimizer.learning_rate * 0.5
        """,
    needles=(".lr",),
    probe=Probe("keras.optimizers.Adam().lr", ("AttributeError",)),
)

# 4 ------------------------------------------------------------------------------------------------------------------
entry(
    code="KC504",
    name="fit-generator",
    summary="model.fit_generator / evaluate_generator / predict_generator: removed in Keras 3.",
    severity=ERROR,
    affects=KERAS3 + "; `tf.keras` on TF >= 2.16 too",
    matchers=(("method", {
        "methods": ("fit_generator", "evaluate_generator", "predict_generator"),
        "receiver": None,
        "unless_defined": True,
        "renames": {"fit_generator": "fit", "evaluate_generator": "evaluate", "predict_generator": "predict"},
        "keyword_renames": {"generator": "x"},
        "unsafe_with": ("workers", "use_multiprocessing", "max_queue_size"),
    }),),
    message="`{written}()` does not exist in Keras 3 (AttributeError)",
    help="AttributeError: {owner} object has no attribute '{member}'; call `.{hint}()` with the generator as `x`",
    fix_safety=("safe", "unsafe"),
    bad="""
        import keras


        def train(model: keras.Model, batches, steps):
            model.fit_generator(batches, steps_per_epoch=steps, epochs=10)
        """,
    good="""
        import keras


        def train(model: keras.Model, batches, steps):
            model.fit(batches, steps_per_epoch=steps, epochs=10)
        """,
    fixed=SAME_AS_GOOD,
    needles=("_generator",),
    probe=Probe("keras.Sequential().{member}", ("AttributeError",), member="fit_generator"),
)

# 5 ------------------------------------------------------------------------------------------------------------------
entry(
    code="KC505",
    name="save-weights-filename",
    summary="save_weights() to a name not ending in .weights.h5: Keras 3 raises ValueError.",
    severity=ERROR,
    affects=KERAS3 + "; `tf.keras` on TF >= 2.16 too",
    matchers=(("path", {"check": "save_weights"}),),
    message="`{written}({member})` fails on Keras 3 (ValueError): the file name must end in .weights.h5",
    help="ValueError: The filename must end in `.weights.h5`; name the file `*.weights.h5` and load it from that name",
    fix_safety=("unsafe",),
    bad="""
        import keras

        model = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(1)])
        model.save_weights("model.h5")
        """,
    good="""
        import keras

        model = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(1)])
        model.save_weights("model.weights.h5")
        """,
    fixed=SAME_AS_GOOD,
    needles=("save_weights",),
    probe=Probe("keras.Sequential([keras.Input((1,)), keras.layers.Dense(1)]).save_weights('/nonexistent/w.h5')",
                ("ValueError",)),
)

# 6 ------------------------------------------------------------------------------------------------------------------
entry(
    code="KC506",
    name="model-checkpoint-filename",
    summary="ModelCheckpoint path with a Keras 2 suffix (.hdf5, .h5 for weights, none): Keras 3 raises ValueError.",
    severity=ERROR,
    affects=KERAS3 + "; `tf.keras` on TF >= 2.16 too",
    matchers=(("path", {"check": "checkpoint"}),),
    message="",
    messages={
        "weights": ("`ModelCheckpoint({member}, save_weights_only=True)` fails on Keras 3 (ValueError): the name "
                    "must end in .weights.h5",
                    "ValueError: the filepath provided must end in `.weights.h5`; name the file `*.weights.h5`"),
        "model": ("`ModelCheckpoint({member})` fails on Keras 3 (ValueError): a model file must end in .keras or .h5",
                  "ValueError: The filepath provided must end in `.keras` (Keras model format); name the file "
                  "`*.keras` (or `*.h5`)"),
    },
    fix_safety=("unsafe",),
    bad="""
        import keras

        checkpoint = keras.callbacks.ModelCheckpoint("weights.{epoch:02d}-{val_loss:.2f}.hdf5", save_best_only=True)
        """,
    good="""
        import keras

        checkpoint = keras.callbacks.ModelCheckpoint("model.{epoch:02d}-{val_loss:.2f}.keras", save_best_only=True)
        """,
    fixed="""
        import keras

        checkpoint = keras.callbacks.ModelCheckpoint("weights.{epoch:02d}-{val_loss:.2f}.keras", save_best_only=True)
        """,
    needles=("ModelCheckpoint",),
    # The finding's own `save_weights_only` (kerascheck.confirm.targets reads it at the finding).
    probe=Probe("keras.callbacks.ModelCheckpoint('ckpt.hdf5', save_weights_only={member})", ("ValueError",),
                member="False"),
)

# 7 ------------------------------------------------------------------------------------------------------------------
entry(
    code="KC507",
    name="savedmodel-save",
    summary="model.save() to a SavedModel directory or with save_format='tf': Keras 3 raises ValueError.",
    severity=ERROR,
    affects=KERAS3 + "; `tf.keras` on TF >= 2.16 too",
    matchers=(("path", {"check": "save"}),),
    message="",
    messages={
        "path": ("`{written}({member})` fails on Keras 3 (ValueError): save() no longer writes SavedModels",
                 "ValueError: Invalid filepath extension for saving; save to `*.keras` to reload in Keras, or "
                 "`model.export(dir)` for a SavedModel to serve"),
        "format": ("`{written}(..., save_format=\"tf\")`: Keras 3's save() no longer writes SavedModels (ValueError)",
                   "ValueError: The `save_format` argument is deprecated in Keras 3. Please remove this argument and "
                   "pass a file path with either `.keras` or `.h5` extension (with a .keras/.h5 name, only a warning); "
                   "use `model.export(dir)` to serve, `*.keras` to reload"),
    },
    fix_safety=(),
    bad="""
        import keras

        model = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(1)])
        model.save("exported_model")
        """,
    good="""
        import keras

        model = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(1)])
        model.save("model.keras")
        model.export("exported_model")
        """,
    needles=("save",),
    probe=Probe("keras.Sequential([keras.Input((1,)), keras.layers.Dense(1)]).save('/nonexistent/saved_model_dir')",
                ("ValueError",)),
)

# 8 ------------------------------------------------------------------------------------------------------------------
entry(
    code="KC508",
    name="savedmodel-load",
    summary="load_model() of a SavedModel directory, or load_weights() of a TF checkpoint: unsupported in Keras 3.",
    severity=ERROR,
    affects=KERAS3 + "; `tf.keras` on TF >= 2.16 too",
    matchers=(("path", {"check": "load"}),),
    message="",
    messages={
        "model": ("`{written}({member})` fails on Keras 3 (ValueError): load_model() cannot read a SavedModel",
                  "ValueError: File format not supported ... the legacy SavedModel format is not supported by "
                  "`load_model()`; reload a `.keras`/`.h5` file, or wrap the SavedModel in "
                  "`keras.layers.TFSMLayer(path, call_endpoint=\"serving_default\")` for inference"),
        "weights": ("`{written}({member})` reads a TensorFlow checkpoint, which Keras 3 cannot load (ValueError)",
                    "ValueError: File format not supported; save and load `*.weights.h5` files"),
    },
    fix_safety=(),
    bad="""
        import keras

        model = keras.models.load_model("exported_model")
        """,
    good="""
        import keras

        model = keras.models.load_model("model.keras")
        serving = keras.layers.TFSMLayer("exported_model", call_endpoint="serving_default")
        """,
    needles=("load_model", "load_weights"),
    probe=Probe("keras.models.load_model('/nonexistent/saved_model_dir')", ("ValueError",)),
)

# 9 ------------------------------------------------------------------------------------------------------------------
entry(
    code="KC509",
    name="removed-keras-module",
    summary="Import from a Keras 2 module Keras 3 removed (keras.engine, keras.layers.core, keras.utils.np_utils...).",
    severity=ERROR,
    affects="Keras 3 (several of these were already gone from `tf.keras` 2.x; only standalone keras <= 2.12 had them)",
    matchers=(("symbol", {
        "roots": _REMOVED_MODULES,
        "symbols": tuple(Symbol(module, "prefix", "all", hint=_MODULE_HINTS.get(module, "")) for module in _REMOVED_MODULES),
        "moves": MODULE_MOVES,
        "fix": "move",
        "plain_import_fix": True,
    }),),
    message="`{written}` does not exist in Keras 3 ({exception})",
    help="{error}; {hint}",
    fix_safety=("safe",),
    bad="""
        from keras.engine.topology import Layer
        from keras.utils.np_utils import to_categorical
        """,
    good="""
        from keras.layers import Layer
        from keras.utils import to_categorical
        """,
    fixed=SAME_AS_GOOD,
    needles=("engine", "layers.", "utils.", "tensorflow_backend", "hdf5_format", "scikit_learn",
             *(f"layers import {m}" for m in _LAYER_MODULES)),
    probe=Probe("import importlib; importlib.import_module('{member}')", ("ModuleNotFoundError", "ImportError"),
                member="keras.engine"),
    supersedes={"KC404": "line"},
)

# 10 -----------------------------------------------------------------------------------------------------------------
_EXPERIMENTAL_NAMES = KERAS3_LAYER_NAMES - {"Layer", "Input", "InputLayer", "InputSpec"}
entry(
    code="KC510",
    name="experimental-preprocessing",
    summary="keras.layers.experimental.preprocessing.X: Keras 3 has no layers.experimental (use keras.layers.X).",
    severity=ERROR,
    affects=KERAS3 + "; `tf.keras` on TF >= 2.16 too",
    matchers=(("symbol", {
        "roots": ("keras.layers.experimental",),
        "symbols": (Symbol("keras.layers.experimental", "prefix", "all", skip=frozenset({"RandomFourierFeatures"})),),
        "moves": (
            Move("keras.layers.experimental.preprocessing.*", "keras.layers.*", names=_EXPERIMENTAL_NAMES,
                 names_shim=_EXPERIMENTAL_NAMES | SHIM_ONLY_LAYERS),
            Move("keras.layers.experimental.EinsumDense", "keras.layers.EinsumDense"),
            Move("keras.layers.experimental.preprocessing", "keras.layers", names=_EXPERIMENTAL_NAMES),
        ),
        "fix": "move",
        "plain_import_fix": True,
    }),),
    message="`{written}` does not exist in Keras 3 ({exception})",
    help="{error}; the preprocessing layers are in `keras.layers`",
    fix_safety=("safe",),
    bad="""
        from tensorflow import keras

        augment = keras.Sequential([
            keras.layers.experimental.preprocessing.RandomFlip("horizontal"),
            keras.layers.experimental.preprocessing.RandomRotation(0.1),
        ])
        """,
    good="""
        from tensorflow import keras

        augment = keras.Sequential([
            keras.layers.RandomFlip("horizontal"),
            keras.layers.RandomRotation(0.1),
        ])
        """,
    fixed=SAME_AS_GOOD,
    needles=("experimental",),
    probe=Probe("keras.layers.experimental", ("AttributeError",)),
)

# 11 -----------------------------------------------------------------------------------------------------------------
entry(
    code="KC511",
    name="tf-op-on-keras-tensor",
    summary="A tf.* op applied to a keras.Input / layer output while building a model: Keras 3 raises ValueError.",
    severity=ERROR,
    affects=KERAS3 + " (Keras 2 wrapped the op in a TFOpLambda layer silently)",
    matchers=(("keras_tensor_in_tf_op", {}),),
    message="`{written}(...)` is given `{member}`, a symbolic KerasTensor: Keras 3 raises ValueError",
    help="ValueError: A KerasTensor cannot be used as input to a TensorFlow function; use the `keras.ops` "
         "equivalent or wrap the op in a layer",
    fix_safety=("unsafe",),
    bad="""
        import keras
        import tensorflow as tf

        inputs = keras.Input(shape=(28, 28, 1))
        images = tf.squeeze(inputs, axis=-1)
        """,
    good="""
        import keras

        inputs = keras.Input(shape=(28, 28, 1))
        images = keras.ops.squeeze(inputs, axis=-1)
        """,
    fixed=SAME_AS_GOOD,
    needles=("Input",),
    probe=Probe("import tensorflow as tf; tf.squeeze(keras.Input((1, 3)), axis=1)", ("ValueError",)),
)

# 12 -----------------------------------------------------------------------------------------------------------------
entry(
    code="KC512",
    name="foreign-keras-layer",
    summary="A tensorflow_hub / tf_keras layer put into a Keras 3 model (or the reverse): ValueError.",
    severity=ERROR,
    affects="Keras 3 models meeting Keras 2 objects (`hub.KerasLayer` is built on tf_keras)",
    matchers=(("foreign_layer", {}),),
    message="`{written}(...)` mixes two Keras in one model: Keras 3 rejects the other Keras's layers",
    help="build every layer with the same Keras",
    messages={
        "hub": ("`{written}(...)` is a tf_keras (Keras 2) layer from TF Hub, put into {hint} of a Keras 3 model: "
                "ValueError",
                "Keras 3 raises ValueError: Only instances of `keras.Layer` can be added to a Sequential model; load "
                "the model with `keras.layers.TFSMLayer`, or keep the whole model on tf_keras (TF_USE_LEGACY_KERAS=1)"),
        "2": ("`{written}(...)` is a tf_keras (Keras 2) layer, put into {hint} of a Keras 3 model: ValueError",
              "Keras 3 raises ValueError: Only instances of `keras.Layer` can be added to a Sequential model; build "
              "every layer with the same Keras"),
        "3": ("`{written}(...)` is a Keras 3 layer, put into {hint} of a tf_keras (Keras 2) model: TypeError",
              "TypeError: The added layer must be an instance of class Layer; build every layer with the same Keras"),
    },
    fix_safety=(),
    bad="""
        import keras
        import tensorflow_hub as hub

        model = keras.Sequential([
            hub.KerasLayer("https://tfhub.dev/google/imagenet/mobilenet_v2_100_224/feature_vector/5"),
            keras.layers.Dense(10),
        ])
        """,
    good="""
        import keras

        backbone = keras.layers.TFSMLayer("mobilenet_savedmodel", call_endpoint="serving_default")
        model = keras.Sequential([keras.Input(shape=(224, 224, 3)), backbone, keras.layers.Dense(10)])
        """,
    needles=("KerasLayer", "tf_keras"),
    mixing=True,
    supersedes={"KC403": "file"},
    probe=Probe("import tf_keras; keras.Sequential([tf_keras.layers.Dense(1)])", ("ValueError", "TypeError")),
)

# 13 -----------------------------------------------------------------------------------------------------------------
entry(
    code="KC513",
    name="fit-multiprocessing-arguments",
    summary="fit/evaluate/predict(workers=, use_multiprocessing=, max_queue_size=): Keras 3 raises TypeError.",
    severity=ERROR,
    affects=KERAS3 + "; `tf.keras` on TF >= 2.16 too",
    matchers=(("keyword", {
        "methods": ("fit", "evaluate", "predict", "fit_generator", "evaluate_generator", "predict_generator"),
        "receiver": None,
        "evidence": _FIT_KEYWORDS + ("use_multiprocessing", "max_queue_size"),
        "evidence_methods": ("fit_generator", "evaluate_generator", "predict_generator"),
        "group": True,
        "keywords": {name: {"fix": "delete", "safe": False} for name in ("workers", "use_multiprocessing", "max_queue_size")},
    }), ("positional", {
        # Measured: Keras 2 (tf_keras 2.21) and Keras 3.15.1 signatures agree up to these positions.
        "names": ("max_queue_size", "workers", "use_multiprocessing"),
        "methods": {
            "fit": (16, 16, ""),
            "predict": (5, 5, ""),
            "evaluate": (7, 8, "return_dict"),  # Keras 2's 8th is max_queue_size, Keras 3's return_dict
        },
        "evidence": _FIT_KEYWORDS,
    })),
    message="fit()/evaluate()/predict() no longer take {member} in Keras 3 (TypeError)",
    help="TypeError: fit() got an unexpected keyword argument '{first}'; pass workers/use_multiprocessing/"
         "max_queue_size to a keras.utils.PyDataset instead",
    messages={
        "positional": ("`{written}()` passes {member} by position, parameters Keras 3 removed (TypeError)",
                       "TypeError: {method}() {value}; drop them and pass them to a keras.utils.PyDataset instead"),
        "positional-silent": ("`{written}()` passes {member} by position: Keras 3 silently takes it as `{value}`",
                              "No error: on Keras 3 that position is `{value}`, so the value silently changes what "
                              "{method}() returns; drop it and pass it to a keras.utils.PyDataset instead"),
    },
    fix_safety=("unsafe",),
    bad="""
        import keras


        def train(model: keras.Model, dataset):
            model.fit(dataset, epochs=10, workers=4, use_multiprocessing=True)
        """,
    good="""
        import keras


        class Batches(keras.utils.PyDataset):
            def __init__(self, x, y, **kwargs):
                super().__init__(**kwargs)
                self.x, self.y = x, y

            def __len__(self):
                return len(self.x) // 32

            def __getitem__(self, index):
                return self.x[index * 32:(index + 1) * 32], self.y[index * 32:(index + 1) * 32]


        def train(model: keras.Model, x, y):
            model.fit(Batches(x, y, workers=4, use_multiprocessing=True), epochs=10)
        """,
    fixed="""
        import keras


        def train(model: keras.Model, dataset):
            model.fit(dataset, epochs=10)
        """,
    needles=("workers", "use_multiprocessing", "max_queue_size", ".fit(", ".evaluate(", ".predict("),
    probe=Probe("import inspect; 'workers' not in inspect.signature(keras.Model.fit).parameters"),
)

# 14 -----------------------------------------------------------------------------------------------------------------
entry(
    code="KC514",
    name="embedding-input-length",
    summary="Embedding(input_length=...): silently dropped by Keras 3, so a Sequential is no longer built.",
    severity=WARNING,
    affects=KERAS3 + "; `tf.keras` on TF >= 2.16 too",
    matchers=(("keyword", {
        "layers": ("Embedding",),
        "keywords": {"input_length": {"fix": "input_first", "input": "{input}(shape=({value},))", "safe_outside": True,
                                      "drop_when_not_first": True}},
    }),),
    message="`{written}(input_length=...)` is ignored by Keras 3: a Sequential that starts with it is not built",
    help="UserWarning: Argument `input_length` is deprecated; the model is not built, so summary() shows no "
         "parameters; start the model with `keras.Input(shape=({value},))` instead",
    fix_safety=("safe", "unsafe"),
    bad="""
        import keras

        model = keras.Sequential([
            keras.layers.Embedding(10000, 64, input_length=200),
            keras.layers.GlobalAveragePooling1D(),
            keras.layers.Dense(1, activation="sigmoid"),
        ])
        """,
    good="""
        import keras

        model = keras.Sequential([
            keras.Input(shape=(200,)),
            keras.layers.Embedding(10000, 64),
            keras.layers.GlobalAveragePooling1D(),
            keras.layers.Dense(1, activation="sigmoid"),
        ])
        """,
    fixed=SAME_AS_GOOD,
    needles=("input_length",),
    probe=Probe("not keras.Sequential([keras.layers.Embedding(10, 2, input_length=5)]).built"),
)

# 15 -----------------------------------------------------------------------------------------------------------------
_LAYER_ATTRIBUTES = {
    "output_shape": {"to": ".output.shape", "safe": False},
    "input_shape": {"to": ".input.shape", "safe": False},
    **{name: {} for name in ("inbound_nodes", "outbound_nodes", "updates", "compute_output_signature", "dynamic")},
    **{name: {} for name in ("get_output_at", "get_input_at", "get_output_shape_at", "get_input_shape_at")},
}
entry(
    code="KC515",
    name="removed-layer-attribute",
    summary="layer.output_shape / input_shape / inbound_nodes / get_output_at()...: gone from Keras 3 layers.",
    severity=ERROR,
    affects=KERAS3 + "; `tf.keras` on TF >= 2.16 too (Model.input_shape/output_shape still exist)",
    matchers=(
        ("attribute", {"receiver": ("layer", "model-layer"), "attributes": _LAYER_ATTRIBUTES, "not_self": True}),
        ("attribute", {"receiver": ("model-layer",), "attributes": {"stateful": {}}, "not_self": True}),
    ),
    message="`{written}` fails on Keras 3 layers (AttributeError)",
    help="AttributeError: {owner} object has no attribute '{member}'; use `layer.output.shape` / "
         "`layer.input.shape`, or `layer.compute_output_shape(shape)`",
    fix_safety=("unsafe",),
    bad="""
        import keras

        model = keras.applications.MobileNetV2(weights=None)
        for layer in model.layers:
            print(layer.name, layer.output_shape)
        """,
    good="""
        import keras

        model = keras.applications.MobileNetV2(weights=None)
        for layer in model.layers:
            print(layer.name, layer.output.shape)
        """,
    fixed=SAME_AS_GOOD,
    needles=("output_shape", "input_shape", "inbound_nodes", "outbound_nodes", "_at(", "updates",
             "compute_output_signature", "stateful", "dynamic"),
    probe=Probe("keras.layers.Dense(1).{member}", ("AttributeError",), member="output_shape"),
)

# 16 -----------------------------------------------------------------------------------------------------------------
entry(
    code="KC516",
    name="batch-input-shape",
    summary="Layer(batch_input_shape=...): Keras 3 layers reject it (ValueError).",
    severity=ERROR,
    affects=KERAS3 + "; `tf.keras` on TF >= 2.16 too",
    matchers=(("keyword", {
        "layers": ("*",),
        "exclude_layers": ("InputLayer",),
        "tree": "layer",
        "keywords": {"batch_input_shape": {"fix": "input_first", "input": "{input}(batch_shape={value})",
                                           "needs_input": True}},
    }),),
    message="`{written}(batch_input_shape=...)` fails on Keras 3 (ValueError): its layers no longer take it",
    help="ValueError: Unrecognized keyword arguments passed to {written}: {{'batch_input_shape': ...}}; start the "
         "model with `keras.Input(batch_shape={value})`",
    fix_safety=("unsafe",),
    bad="""
        import keras

        model = keras.Sequential([
            keras.layers.LSTM(32, batch_input_shape=(16, 10, 8), stateful=True),
            keras.layers.Dense(1),
        ])
        """,
    good="""
        import keras

        model = keras.Sequential([
            keras.Input(batch_shape=(16, 10, 8)),
            keras.layers.LSTM(32, stateful=True),
            keras.layers.Dense(1),
        ])
        """,
    fixed=SAME_AS_GOOD,
    needles=("batch_input_shape",),
    probe=Probe("keras.layers.Dense(1, batch_input_shape=(None, 4))", ("ValueError",)),
)

# 17 -----------------------------------------------------------------------------------------------------------------
entry(
    code="KC517",
    name="legacy-preprocessing",
    summary="keras.preprocessing.image.ImageDataGenerator / keras.preprocessing.text / TimeseriesGenerator: gone from standalone Keras 3.",
    severity=ERROR,
    affects=STANDALONE_ONLY,
    matchers=(("symbol", {
        "roots": ("keras.preprocessing",),
        "symbols": (
            Symbol("keras.preprocessing.image", "member", "keras", skip=KERAS3_PREPROCESSING_IMAGE,
                   hint="use keras.utils.image_dataset_from_directory with augmentation layers (keras.layers.RandomFlip...)"),
            Symbol("keras.preprocessing.text", "prefix", "keras",
                   hint="use keras.layers.TextVectorization"),
            Symbol("keras.preprocessing.sequence", "member", "keras", skip=KERAS3_PREPROCESSING_SEQUENCE,
                   hint="use keras.utils.timeseries_dataset_from_array"),
        ),
    }),),
    message="`{written}` does not exist in standalone Keras 3 ({exception})",
    help="{error}; {hint}",
    fix_safety=(),
    bad="""
        from keras.preprocessing.image import ImageDataGenerator

        augment = ImageDataGenerator(rotation_range=20, horizontal_flip=True)
        """,
    good="""
        import keras

        augment = keras.Sequential([keras.layers.RandomRotation(20 / 360), keras.layers.RandomFlip("horizontal")])
        """,
    needles=("preprocessing",),
    probe=Probe("keras.preprocessing.image.ImageDataGenerator", ("AttributeError",)),
)

# 18 -----------------------------------------------------------------------------------------------------------------
entry(
    code="KC518",
    name="sequential-input-output",
    summary="sequential.input / .output: Keras 3's Sequential raises AttributeError (use inputs[0] / outputs[0]).",
    severity=ERROR,
    affects=KERAS3 + "; `tf.keras` on TF >= 2.16 too",
    matchers=(("attribute", {
        "receiver": ("sequential",),
        "attributes": {"input": {"to": ".inputs[0]", "safe": True}, "output": {"to": ".outputs[0]", "safe": True}},
    }),),
    message="`{written}` fails on a Keras 3 Sequential (AttributeError)",
    help="AttributeError: The layer sequential has never been called and thus has no defined {member}; "
         "use `.{member}s[0]`",
    fix_safety=("safe",),
    bad="""
        import keras

        model = keras.Sequential([keras.Input(shape=(32, 32, 3)), keras.layers.Conv2D(8, 3, name="conv"),
                                  keras.layers.Flatten(), keras.layers.Dense(10)])
        grad_model = keras.Model(model.input, [model.get_layer("conv").output, model.output])
        """,
    good="""
        import keras

        model = keras.Sequential([keras.Input(shape=(32, 32, 3)), keras.layers.Conv2D(8, 3, name="conv"),
                                  keras.layers.Flatten(), keras.layers.Dense(10)])
        grad_model = keras.Model(model.inputs[0], [model.get_layer("conv").output, model.outputs[0]])
        """,
    fixed=SAME_AS_GOOD,
    needles=(".input", ".output"),
    probe=Probe("keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)]).{member}", ("AttributeError", "ValueError"),
                member="input"),
)

# 19 -----------------------------------------------------------------------------------------------------------------
entry(
    code="KC519",
    name="symbolic-add-loss",
    summary="model.add_loss(tensor) on a functional model: Keras 3 raises NotImplementedError.",
    severity=ERROR,
    affects=KERAS3 + "; `tf.keras` on TF >= 2.16 too",
    matchers=(("method", {"methods": ("add_loss",), "receiver": ("functional",), "outside": ("call",)}),),
    message="`{written}(...)` on a functional model is not supported by Keras 3 (NotImplementedError)",
    help="NotImplementedError: symbolic add_loss; add the loss in a layer's call() with self.add_loss(...), or "
         "override compute_loss",
    fix_safety=(),
    bad="""
        import keras

        inputs = keras.Input(shape=(8,))
        outputs = keras.layers.Dense(8)(inputs)
        model = keras.Model(inputs, outputs)
        model.add_loss(keras.ops.mean(outputs ** 2))
        """,
    good="""
        import keras


        class ActivityPenalty(keras.layers.Layer):
            def call(self, inputs):
                self.add_loss(keras.ops.mean(inputs ** 2))
                return inputs


        inputs = keras.Input(shape=(8,))
        outputs = ActivityPenalty()(keras.layers.Dense(8)(inputs))
        model = keras.Model(inputs, outputs)
        """,
    needles=("add_loss",),
    probe=Probe("i = keras.Input((2,)); o = keras.layers.Dense(1)(i); keras.Model(i, o).add_loss(keras.ops.mean(o)) or True",
                ("NotImplementedError",)),
)

# 20 -----------------------------------------------------------------------------------------------------------------
entry(
    code="KC520",
    name="metrics-names-zip",
    summary="zip(model.metrics_names, model.evaluate(...)): Keras 3's metrics_names no longer match (silently wrong).",
    severity=WARNING,
    affects=KERAS3 + "; `tf.keras` on TF >= 2.16 too",
    matchers=(("metrics_names", {}),),
    message="`{written}` is ['loss', 'compile_metrics'] in Keras 3: zipped with evaluate()'s results, metrics "
            "are mislabeled",
    help="No error: it is not one name per metric, so pairing it with evaluate()'s results silently mislabels or "
         "drops metrics; use `evaluate(..., return_dict=True)`",
    fix_safety=("unsafe",),
    bad="""
        import keras


        def report(model: keras.Model, x, y):
            return dict(zip(model.metrics_names, model.evaluate(x, y, verbose=0)))
        """,
    good="""
        import keras


        def report(model: keras.Model, x, y):
            return model.evaluate(x, y, verbose=0, return_dict=True)
        """,
    fixed=SAME_AS_GOOD,
    needles=("metrics_names",),
    probe=Probe("m = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1)]); m.compile(loss='mse', "
                "metrics=['mae', 'mse']); import numpy as np; m.evaluate(np.zeros((2, 1)), np.zeros((2, 1)), verbose=0); "
                "m.metrics_names == ['loss', 'compile_metrics']"),
)

# 21 -----------------------------------------------------------------------------------------------------------------
entry(
    code="KC521",
    name="add-metric",
    summary="add_metric(...) on a layer or model: removed in Keras 3 (NotImplementedError).",
    severity=ERROR,
    affects=KERAS3 + "; `tf.keras` on TF >= 2.16 too",
    matchers=(("method", {"self_methods": ("add_metric",), "methods": ("add_metric",),
                          "receiver": ("sequential", "functional", "model")}),),
    message="`{written}(...)` is gone from Keras 3 (NotImplementedError)",
    help="NotImplementedError: Layer `add_metric()` method is deprecated; create a keras.metrics.Mean() in "
         "__init__, update it in call()/train_step, and list it in `metrics`",
    fix_safety=(),
    bad="""
        import keras


        class Scaled(keras.layers.Layer):
            def call(self, inputs):
                self.add_metric(keras.ops.mean(inputs), name="mean_activation")
                return inputs * 2.0
        """,
    good="""
        import keras


        class Scaled(keras.layers.Layer):
            def __init__(self, **kwargs):
                super().__init__(**kwargs)
                self.mean_activation = keras.metrics.Mean(name="mean_activation")

            def call(self, inputs):
                self.mean_activation.update_state(inputs)
                return inputs * 2.0
        """,
    needles=("add_metric",),
    probe=Probe("keras.layers.Dense(1).add_metric(1.0) or True", ("NotImplementedError", "AttributeError", "TypeError")),
)

# 22 -----------------------------------------------------------------------------------------------------------------
entry(
    code="KC522",
    name="optimizer-decay-argument",
    summary="Optimizer(decay=...): Keras 3 ignores it with a warning, so the learning rate no longer decays.",
    severity=WARNING,
    affects="Keras 3 (silently ignored; TF 2.11-2.15 raised ValueError, TF <= 2.10 decayed)",
    matchers=(("keyword", {
        "callees": _OPTIMIZER_CALLEES,
        "tree": "optimizer",
        "keywords": {"decay": {"fix": "decay", "skip_values": ("0", "0.0", "0.", "None"),
                               "defaults": DEFAULT_LEARNING_RATES}},
    }),),
    message="`{written}(decay={value})` is ignored by Keras 3: the learning rate stays constant",
    help="UserWarning: Argument `decay` is no longer supported and will be ignored; pass a schedule: "
         "learning_rate=keras.optimizers.schedules.InverseTimeDecay(lr, decay_steps=1, decay_rate={value})",
    fix_safety=("unsafe",),
    bad="""
        import keras

        optimizer = keras.optimizers.SGD(learning_rate=0.01, decay=1e-6)
        """,
    good="""
        import keras

        schedule = keras.optimizers.schedules.InverseTimeDecay(0.01, decay_steps=1, decay_rate=1e-6)
        optimizer = keras.optimizers.SGD(learning_rate=schedule)
        """,
    fixed="""
        import keras

        optimizer = keras.optimizers.SGD(learning_rate=keras.optimizers.schedules.InverseTimeDecay(0.01, decay_steps=1, decay_rate=1e-6))
        """,
    needles=("decay",),
    probe=Probe("import warnings\nwith warnings.catch_warnings(record=True) as caught:\n    warnings.simplefilter('always')\n"
                "    opt = keras.optimizers.SGD(learning_rate=0.1, decay=0.5)\n'decay' not in opt.get_config()"),
)

# 23 -----------------------------------------------------------------------------------------------------------------
entry(
    code="KC523",
    name="legacy-optimizer",
    summary="keras.optimizers.legacy.X: Keras 3 raises ImportError.",
    severity=ERROR,
    affects=KERAS3 + "; `tf.keras` on TF >= 2.16 too",
    matchers=(("symbol", {
        "roots": ("keras.optimizers.legacy",),
        "symbols": (Symbol("keras.optimizers.legacy", "prefix", "all"),),
        "moves": (Move("keras.optimizers.legacy.*", "keras.optimizers.*", safe=False, names=KERAS3_OPTIMIZERS),),
        "fix": "move",
        "call_keyword_renames": {"lr": "learning_rate"},
    }),),
    message="`{written}` is not supported in Keras 3 (ImportError)",
    help="ImportError: `keras.optimizers.legacy` is not supported in Keras 3; use `keras.optimizers.<Name>` "
         "(move `decay` to a schedule)",
    fix_safety=("unsafe",),
    bad="""
        from tensorflow import keras

        optimizer = keras.optimizers.legacy.Adam(learning_rate=0.001)
        """,
    good="""
        from tensorflow import keras

        optimizer = keras.optimizers.Adam(learning_rate=0.001)
        """,
    fixed=SAME_AS_GOOD,
    needles=("legacy",),
    probe=Probe("keras.optimizers.legacy.Adam()", ("ImportError",)),
    supersedes={"KC522": "line"},
)

# 24 -----------------------------------------------------------------------------------------------------------------
entry(
    code="KC524",
    name="lambda-load-safe-mode",
    summary="A module with Lambda(lambda ...) layers loads models without safe_mode: Keras 3 refuses to load them.",
    severity=WARNING,
    affects="Keras 3 (`.keras` files, and `.h5` files since Keras 3.12 / PR #21602)",
    matchers=(("lambda_and_load", {}),),
    message="`{written}(...)` in a module that builds Lambda layers from lambdas: Keras 3 refuses to load them "
            "(ValueError)",
    help="ValueError: Requested the deserialization of a `Lambda` layer whose `function` is a Python lambda ... "
         "disallowed by default, also from Keras 2 `.h5` files; replace the lambda with a registered layer, or pass "
         "safe_mode=False for files you trust",
    fix_safety=(),
    bad="""
        import keras

        inputs = keras.Input(shape=(4,))
        outputs = keras.layers.Lambda(lambda t: t * 2.0)(inputs)
        model = keras.Model(inputs, outputs)
        model.save("double.keras")
        reloaded = keras.models.load_model("double.keras")
        """,
    good="""
        import keras


        @keras.saving.register_keras_serializable()
        class Double(keras.layers.Layer):
            def call(self, inputs):
                return inputs * 2.0


        inputs = keras.Input(shape=(4,))
        outputs = Double()(inputs)
        model = keras.Model(inputs, outputs)
        model.save("double.keras")
        reloaded = keras.models.load_model("double.keras")
        """,
    needles=("Lambda",),
    probe=Probe("import inspect; 'safe_mode' in inspect.signature(keras.models.load_model).parameters"),
)

# 25 -----------------------------------------------------------------------------------------------------------------
entry(
    code="KC525",
    name="relu-alpha",
    summary="activations.relu(x, alpha=...) (TypeError in Keras 3) and LeakyReLU(alpha=...) (deprecated).",
    severity=ERROR,
    affects=KERAS3 + "; `tf.keras` on TF >= 2.16 too",
    matchers=(
        ("keyword", {"callees": ("keras.activations.relu",),
                     "keywords": {"alpha": {"fix": "rename", "to": "negative_slope", "safe": True}}}),
        ("keyword", {"layers": ("LeakyReLU",),
                     "keywords": {"alpha": {"fix": "rename", "to": "negative_slope", "safe": True, "severity": "warning",
                                            "kind": "layer"}}}),
    ),
    message="`{written}(alpha=...)` fails on Keras 3 (TypeError): the argument is `negative_slope`",
    help="TypeError: relu() got an unexpected keyword argument 'alpha'; use `negative_slope=`",
    messages={"layer": ("`{written}(alpha=...)` is deprecated in Keras 3 (UserWarning): the argument is "
                        "`negative_slope`",
                        "UserWarning: Argument `alpha` is deprecated. Use `negative_slope` instead")},
    fix_safety=("safe",),
    bad="""
        import keras


        def leaky(x):
            return keras.activations.relu(x, alpha=0.1)
        """,
    good="""
        import keras


        def leaky(x):
            return keras.activations.relu(x, negative_slope=0.1)
        """,
    fixed=SAME_AS_GOOD,
    needles=("alpha",),
    probe=Probe("keras.activations.relu(keras.ops.ones((1,)), alpha=0.1)", ("TypeError",)),
)

# 26 -----------------------------------------------------------------------------------------------------------------
entry(
    code="KC526",
    name="optimizer-v2-api",
    summary="Custom optimizer or training loop on the OptimizerV2 API (_resource_apply_dense, minimize(tape=)...): gone in Keras 3.",
    severity=ERROR,
    affects=KERAS3 + "; `tf.keras` on TF >= 2.16 too",
    matchers=(
        ("optimizer_v2_subclass", {}),
        ("method", {"methods": ("minimize", "get_gradients"), "receiver": ("optimizer",), "fix": "minimize",
                    "kind": "call", "not_self": True}),
    ),
    message="`{written}` uses the Keras 2 OptimizerV2 API (`{member}`), which Keras 3 optimizers never call",
    help="NotImplementedError from update_step at the first fit step; implement build(var_list) and "
         "update_step(gradient, variable, learning_rate)",
    messages={
        "call": ("`{written}(...)` does not exist on Keras 3 optimizers (AttributeError)",
                 "AttributeError: {owner} object has no attribute '{member}'; take the gradients with a GradientTape "
                 "and call optimizer.apply_gradients(zip(grads, vars))"),
    },
    fix_safety=("unsafe",),
    bad="""
        import keras
        import tensorflow as tf

        optimizer = keras.optimizers.SGD(learning_rate=0.01)


        def train_step(model, x, y):
            with tf.GradientTape() as tape:
                loss = keras.ops.mean((model(x) - y) ** 2)
            optimizer.minimize(loss, model.trainable_variables, tape=tape)
        """,
    good="""
        import keras
        import tensorflow as tf

        optimizer = keras.optimizers.SGD(learning_rate=0.01)


        def train_step(model, x, y):
            with tf.GradientTape() as tape:
                loss = keras.ops.mean((model(x) - y) ** 2)
            gradients = tape.gradient(loss, model.trainable_variables)
            optimizer.apply_gradients(zip(gradients, model.trainable_variables))


        class PlainSGD(keras.optimizers.Optimizer):
            def update_step(self, gradient, variable, learning_rate):
                self.assign_sub(variable, learning_rate * gradient)
        """,
    fixed="""
        import keras
        import tensorflow as tf

        optimizer = keras.optimizers.SGD(learning_rate=0.01)


        def train_step(model, x, y):
            with tf.GradientTape() as tape:
                loss = keras.ops.mean((model(x) - y) ** 2)
            optimizer.apply_gradients(zip(tape.gradient(loss, model.trainable_variables), model.trainable_variables))
        """,
    needles=("_resource_apply", "_create_slots", "get_updates", "_set_hyper", "_get_hyper", "minimize",
             "get_gradients", "_prepare_local"),
    probe=Probe("keras.optimizers.SGD().minimize", ("AttributeError",)),
)

# 27 -----------------------------------------------------------------------------------------------------------------
entry(
    code="KC527",
    name="tensor-python-condition",
    summary="Python if/while on a tensor inside call(): Keras 3 does not autograph call() (opt-in, heuristic).",
    severity=INFO,
    default=False,
    affects=KERAS3 + " (Keras 2 ran autograph on call())",
    matchers=(("tensor_condition", {}),),
    message="Python `{member}` on a tensor in call() (`{written}`): Keras 3 does not turn it into graph control flow",
    help="OperatorNotAllowedInGraphError at predict/fit (Keras 3 does not autograph call()); use keras.ops.cond / "
         "keras.ops.where",
    fix_safety=(),
    bad="""
        import keras


        class ClipNegative(keras.layers.Layer):
            def call(self, inputs):
                if keras.ops.min(inputs) < 0:
                    return keras.ops.relu(inputs)
                return inputs
        """,
    good="""
        import keras


        class ClipNegative(keras.layers.Layer):
            def call(self, inputs):
                return keras.ops.where(inputs < 0, 0.0, inputs)
        """,
    needles=("def call",),
    probe=Probe("import numpy as np\nclass L(keras.layers.Layer):\n    def call(self, x):\n"
                "        if keras.ops.min(x) < 0:\n            return x\n        return -x\n"
                "keras.Sequential([keras.Input((2,)), L()]).predict(np.ones((1, 2)), verbose=0)",
                ("OperatorNotAllowedInGraphError",)),
)

# 28 -----------------------------------------------------------------------------------------------------------------
_REMOVED_CLASSES = ("CuDNNLSTM", "CuDNNGRU", "LocallyConnected1D", "LocallyConnected2D")
entry(
    code="KC528",
    name="removed-layer-class",
    summary="Layer or constraint class Keras 3 removed (CuDNNLSTM, LocallyConnected2D, ThresholdedReLU...).",
    severity=ERROR,
    affects="Keras 3 (ThresholdedReLU, RandomHeight and RandomWidth only in standalone keras: `tf.keras` keeps them)",
    matchers=(("symbol", {
        "roots": ("keras.layers", "keras.constraints"),
        "symbols": (
            Symbol("keras.layers.CuDNNLSTM", "exact", "all", hint="use keras.layers.LSTM (it uses cuDNN by itself)"),
            Symbol("keras.layers.CuDNNGRU", "exact", "all", hint="use keras.layers.GRU (it uses cuDNN by itself)"),
            *(Symbol(f"keras.layers.{name}", "exact", "all", hint="copy the Keras 2 layer's code into the project")
              for name in ("LocallyConnected1D", "LocallyConnected2D")),
            Symbol("keras.layers.experimental.RandomFourierFeatures", "exact", "all",
                   hint="copy the Keras 2 layer's code into the project"),
            Symbol("keras.constraints.RadialConstraint", "exact", "all", hint="copy the Keras 2 constraint's code"),
            Symbol("keras.layers.ThresholdedReLU", "exact", "keras",
                   hint="use keras.layers.ReLU(threshold=theta) (the boundary is >= instead of >)"),
            *(Symbol(f"keras.layers.{name}", "exact", "keras", hint="use tf.keras.layers, or copy the layer")
              for name in ("RandomHeight", "RandomWidth")),
        ),
        "moves": (Move("keras.layers.CuDNNLSTM", "keras.layers.LSTM", safe=False),
                  Move("keras.layers.CuDNNGRU", "keras.layers.GRU", safe=False)),
        "fix": "move",
    }),),
    message="`{written}` does not exist in Keras 3 ({exception})",
    help="{error}; {hint}",
    fix_safety=("unsafe",),
    bad="""
        import keras

        encoder = keras.layers.CuDNNLSTM(128, return_sequences=True)
        """,
    good="""
        import keras

        encoder = keras.layers.LSTM(128, return_sequences=True)
        """,
    fixed=SAME_AS_GOOD,
    needles=(*_REMOVED_CLASSES, "RandomFourierFeatures", "RadialConstraint", *sorted(SHIM_ONLY_LAYERS)),
    probe=Probe("keras.layers.{member}", ("AttributeError",), member="CuDNNLSTM"),
)

# 29 -----------------------------------------------------------------------------------------------------------------
entry(
    code="KC529",
    name="experimental-mixed-precision",
    summary="keras.mixed_precision.experimental / LossScaleOptimizer.get_scaled_loss: gone from Keras 3.",
    severity=ERROR,
    affects="Keras 3 (`mixed_precision.experimental` was already gone in TF 2.9; `get_scaled_loss` works on Keras 2)",
    matchers=(
        ("symbol", {
            "roots": ("keras.mixed_precision.experimental",),
            "symbols": (Symbol("keras.mixed_precision.experimental", "prefix", "all"),),
            "moves": (Move("keras.mixed_precision.experimental.set_policy", "keras.mixed_precision.set_global_policy"),
                      Move("keras.mixed_precision.experimental.global_policy", "keras.mixed_precision.global_policy",
                           safe=False),
                      Move("keras.mixed_precision.experimental.Policy", "keras.mixed_precision.Policy", safe=False)),
            "fix": "move",
        }),
        ("method", {"methods": ("get_scaled_loss", "get_unscaled_gradients"), "receiver": ("loss-scale-optimizer",),
                    "fix": "loss_scale", "kind": "call"}),
    ),
    message="`{written}` does not exist in Keras 3 ({exception})",
    help="{error}; use keras.mixed_precision.set_global_policy(...) / Policy / LossScaleOptimizer",
    messages={"call": ("`{written}(...)` does not exist in Keras 3 (AttributeError)",
                       "AttributeError: 'LossScaleOptimizer' object has no attribute '{member}'; use "
                       "`scaled = opt.scale_loss(loss)`, take the gradients of `scaled`, and let opt.apply_gradients "
                       "unscale them")},
    fix_safety=("safe", "unsafe"),
    bad="""
        from tensorflow import keras

        keras.mixed_precision.experimental.set_policy("mixed_float16")
        """,
    good="""
        from tensorflow import keras

        keras.mixed_precision.set_global_policy("mixed_float16")
        """,
    fixed=SAME_AS_GOOD,
    needles=("experimental", "get_scaled_loss", "get_unscaled_gradients"),
    probe=Probe("keras.mixed_precision.experimental", ("AttributeError",)),
)

# 30 -----------------------------------------------------------------------------------------------------------------
entry(
    code="KC530",
    name="loss-reduction",
    summary="keras.losses.Reduction / reduction='auto': Keras 3 has string reductions only.",
    severity=ERROR,
    affects="Keras 3 (`tf.keras.losses.Reduction` still exists on TF >= 2.16, but its AUTO value is rejected)",
    matchers=(
        ("symbol", {
            "roots": ("keras.losses.Reduction", "keras.utils.losses_utils"),
            "symbols": (
                Symbol("keras.losses.Reduction", "member", "all", only=frozenset({"AUTO"}), kind="auto"),
                Symbol("keras.losses.Reduction", "prefix", "keras", kind="enum"),
                Symbol("keras.utils.losses_utils", "prefix", "all", kind="module"),
            ),
            "fix": "reduction",
        }),
        ("keyword", {
            "callees": ("keras.losses.*",),
            "tree": "loss",
            "keywords": {"reduction": {"fix": "value", "to": '"sum_over_batch_size"', "safe": True,
                                       "values": ('"auto"', "'auto'"), "kind": "auto_keyword"}},
        }),
    ),
    message="`{written}`: Keras 3 losses take a string reduction only",
    help="pass \"sum_over_batch_size\", \"sum\" or \"none\"",
    messages={
        "enum": ("`{written}` does not exist in standalone Keras 3 ({exception})",
                 "{error}; pass the string: \"sum_over_batch_size\" (for AUTO and SUM_OVER_BATCH_SIZE), \"sum\", "
                 "\"none\""),
        "auto": ("`{written}` is rejected by Keras 3 losses (ValueError)",
                 "ValueError: Invalid value for argument `reduction` ... Received: reduction=auto; `tf.keras` keeps "
                 "the Reduction enum but no loss accepts AUTO: pass \"sum_over_batch_size\""),
        "module": ("`{written}` does not exist in Keras 3 ({exception})",
                   "{error}; pass the string reduction: \"sum_over_batch_size\", \"sum\", \"none\""),
        "auto_keyword": ("`{written}(reduction=\"auto\")` is rejected by Keras 3 (ValueError), also through `tf.keras`",
                         "ValueError: Invalid value for argument `reduction` ... Received: reduction=auto; pass "
                         "\"sum_over_batch_size\""),
    },
    fix_safety=("safe",),
    bad="""
        import keras

        loss = keras.losses.MeanSquaredError(reduction=keras.losses.Reduction.SUM)
        """,
    good="""
        import keras

        loss = keras.losses.MeanSquaredError(reduction="sum")
        """,
    fixed=SAME_AS_GOOD,
    needles=("Reduction", "reduction", "losses_utils"),
    probe=Probe("keras.losses.Reduction", ("AttributeError",)),
)

# 31 -----------------------------------------------------------------------------------------------------------------
entry(
    code="KC531",
    name="metric-reset-states",
    summary="Metric.reset_states (defined or called) and model.reset_states(): renamed reset_state / removed in Keras 3.",
    severity=ERROR,
    affects=KERAS3 + "; `tf.keras` on TF >= 2.16 too",
    matchers=(
        ("reset_states_override", {}),
        ("method", {"methods": ("reset_states",), "receiver": ("metric", "sequential", "functional", "model"),
                    "renames": {"reset_states": "reset_state"}, "rename_receiver": ("metric",),
                    "fix_by_receiver": {"sequential": "reset_layers", "functional": "reset_layers", "model": "reset_layers"},
                    "unless_receiver_defines": True,
                    "kind_by_receiver": {"sequential": "model", "functional": "model", "model": "model"}}),
    ),
    message="`{written}()` does not exist in Keras 3 (AttributeError)",
    help="AttributeError: {owner} object has no attribute 'reset_states'; metrics have reset_state(), and models "
         "reset their RNN layers one by one",
    messages={"model": ("`{written}()` does not exist on Keras 3 models (AttributeError)",
                        "AttributeError: {owner} object has no attribute 'reset_states'; reset the stateful RNN layers "
                        "one by one: `for layer in model.layers: if hasattr(layer, \"reset_states\"): "
                        "layer.reset_states()`"),
              "override": ("`{written}` is never called by Keras 3: between epochs Keras 3 zeroes the metric's "
                           "variables instead",
                           "No error: the Keras 3 method is reset_state, so this reset is silently skipped; rename it "
                           "to reset_state")},
    fix_safety=("safe", "unsafe"),
    bad="""
        import keras


        class LowestError(keras.metrics.Metric):
            def __init__(self, **kwargs):
                super().__init__(**kwargs)
                self.lowest = self.add_weight(name="lowest", initializer=keras.initializers.Constant(1e9))

            def update_state(self, y_true, y_pred, sample_weight=None):
                error = keras.ops.mean(keras.ops.square(y_true - y_pred))
                self.lowest.assign(keras.ops.minimum(self.lowest, error))

            def result(self):
                return self.lowest

            def reset_states(self):
                self.lowest.assign(1e9)
        """,
    good="""
        import keras


        class LowestError(keras.metrics.Metric):
            def __init__(self, **kwargs):
                super().__init__(**kwargs)
                self.lowest = self.add_weight(name="lowest", initializer=keras.initializers.Constant(1e9))

            def update_state(self, y_true, y_pred, sample_weight=None):
                error = keras.ops.mean(keras.ops.square(y_true - y_pred))
                self.lowest.assign(keras.ops.minimum(self.lowest, error))

            def result(self):
                return self.lowest

            def reset_state(self):
                self.lowest.assign(1e9)
        """,
    fixed=SAME_AS_GOOD,
    needles=("reset_states",),
    probe=Probe("keras.metrics.Mean().reset_states", ("AttributeError",)),
)

# 32 -----------------------------------------------------------------------------------------------------------------
entry(
    code="KC532",
    name="add-update",
    summary="self.add_update(...) in a layer: removed in Keras 3 (AttributeError).",
    severity=ERROR,
    affects=KERAS3 + "; `tf.keras` on TF >= 2.16 too",
    matchers=(("method", {"self_methods": ("add_update",), "fix": "unwrap_assign"}),),
    message="`{written}(...)` does not exist in Keras 3 (AttributeError)",
    help="AttributeError: object has no attribute 'add_update'; run the update directly in call(): "
         "`self.v.assign(...)`",
    fix_safety=("safe",),
    bad="""
        import keras


        class RunningMean(keras.layers.Layer):
            def build(self, input_shape):
                self.mean = self.add_weight(name="mean", shape=(input_shape[-1],), initializer="zeros", trainable=False)

            def call(self, inputs):
                self.add_update(self.mean.assign(keras.ops.mean(inputs, axis=0)))
                return inputs - self.mean
        """,
    good="""
        import keras


        class RunningMean(keras.layers.Layer):
            def build(self, input_shape):
                self.mean = self.add_weight(name="mean", shape=(input_shape[-1],), initializer="zeros", trainable=False)

            def call(self, inputs):
                self.mean.assign(keras.ops.mean(inputs, axis=0))
                return inputs - self.mean
        """,
    fixed=SAME_AS_GOOD,
    needles=("add_update",),
    probe=Probe("keras.layers.Dense(1).add_update", ("AttributeError",)),
)

# 33 -----------------------------------------------------------------------------------------------------------------
entry(
    code="KC533",
    name="removed-compile-argument",
    summary="compile(sample_weight_mode=, experimental_run_tf_function=, distribute=, target_tensors=): TypeError in Keras 3.",
    severity=ERROR,
    affects=KERAS3 + "; `tf.keras` on TF >= 2.16 too",
    matchers=(("keyword", {
        "methods": ("compile",),
        "receiver": None,
        "evidence": _COMPILE_KEYWORDS + ("sample_weight_mode", "experimental_run_tf_function", "target_tensors"),
        "group": True,
        "keywords": {name: {"fix": "delete", "safe": False}
                     for name in ("sample_weight_mode", "experimental_run_tf_function", "distribute", "target_tensors")},
    }),),
    message="compile() no longer takes {member} in Keras 3 (TypeError)",
    help="TypeError: compile() got an unexpected keyword argument '{first}'; remove it",
    fix_safety=("unsafe",),
    bad="""
        import keras

        model = keras.Sequential([keras.Input(shape=(10, 4)), keras.layers.Dense(1)])
        model.compile(optimizer="adam", loss="mse", sample_weight_mode="temporal")
        """,
    good="""
        import keras

        model = keras.Sequential([keras.Input(shape=(10, 4)), keras.layers.Dense(1)])
        model.compile(optimizer="adam", loss="mse")
        """,
    fixed=SAME_AS_GOOD,
    needles=("sample_weight_mode", "experimental_run_tf_function", "distribute", "target_tensors"),
    probe=Probe("import inspect; 'sample_weight_mode' not in inspect.signature(keras.Model.compile).parameters"),
)

# 34 -----------------------------------------------------------------------------------------------------------------
entry(
    code="KC534",
    name="removed-layer-argument",
    summary="Keras 2 layer arguments Keras 3 rejects: dynamic=, fused=, virtual_batch_size=, time_major=, add_weight(use_resource=)...",
    severity=ERROR,
    affects=KERAS3 + "; `tf.keras` on TF >= 2.16 too",
    matchers=(
        ("keyword", {"layers": ("*",), "tree": "layer", "super_init": True,
                     "keywords": {"dynamic": {"fix": "delete", "safe": False,
                                              "hint": "use compile(run_eagerly=True) for eager execution"}}}),
        ("keyword", {"layers": ("BatchNormalization",), "subclasses": True,
                     "keywords": {"fused": {"fix": "delete", "safe": True, "hint": "remove it (performance only)"},
                                  "virtual_batch_size": {"fix": "delete", "safe": False, "hint": "remove it"},
                                  "adjustment": {"fix": "delete", "safe": False, "hint": "remove it"}}}),
        ("keyword", {"layers": _RNN_LAYERS,
                     "keywords": {"time_major": {"fix": "delete", "safe": False,
                                                 "hint": "transpose the inputs to (batch, time, features) instead"}}}),
        ("keyword", {"self_methods": ("add_weight",),
                     "keywords": {"use_resource": {"kind": "add_weight", "fix": "delete", "safe": True, "hint": "remove it (Keras 3 variables are resource variables)"},
                                  "getter": {"kind": "add_weight", "fix": "delete", "safe": False, "hint": "remove it"},
                                  "partitioner": {"kind": "add_weight", "fix": "delete", "safe": False, "hint": "remove it"}}}),
    ),
    message="`{written}({member}=...)` is rejected by Keras 3 (ValueError)",
    help="ValueError: Unrecognized keyword arguments passed to {passed_to}: {{'{member}': ...}}; {hint}",
    messages={"add_weight": ("`add_weight({member}=...)` is rejected by Keras 3 (TypeError)",
                             "TypeError: Layer.add_weight() got an unexpected keyword argument '{member}'; {hint}")},
    fix_safety=("safe", "unsafe"),
    bad="""
        import keras

        norm = keras.layers.BatchNormalization(fused=True)
        """,
    good="""
        import keras

        norm = keras.layers.BatchNormalization()
        """,
    fixed=SAME_AS_GOOD,
    needles=("dynamic", "fused", "virtual_batch_size", "adjustment", "time_major", "use_resource", "getter",
             "partitioner"),
    probe=Probe("keras.layers.BatchNormalization(fused=True)", ("ValueError", "TypeError")),
)

# 35 -----------------------------------------------------------------------------------------------------------------
entry(
    code="KC535",
    name="multi-output-flat-metrics",
    summary="Multi-output model compiled with a flat metrics list shorter than its outputs: Keras 3 fails in fit.",
    severity=ERROR,
    affects=KERAS3 + "; `tf.keras` on TF >= 2.16 too (Keras 2 applied each metric to every output)",
    matchers=(("multi_output_metrics", {}),),
    message="`metrics={written}` for a model with {member} outputs: Keras 3 fails at fit (ValueError)",
    help="ValueError: tuple arity mismatch; give one list per output (`[[...], [...]]`) or a dict by output name",
    fix_safety=("unsafe",),
    bad="""
        import keras

        inputs = keras.Input(shape=(8,))
        age = keras.layers.Dense(1, name="age")(inputs)
        income = keras.layers.Dense(1, name="income")(inputs)
        model = keras.Model(inputs, [age, income])
        model.compile(optimizer="adam", loss="mse", metrics=["mae"])
        """,
    good="""
        import keras

        inputs = keras.Input(shape=(8,))
        age = keras.layers.Dense(1, name="age")(inputs)
        income = keras.layers.Dense(1, name="income")(inputs)
        model = keras.Model(inputs, [age, income])
        model.compile(optimizer="adam", loss="mse", metrics={"age": ["mae"], "income": ["mae"]})
        """,
    fixed="""
        import keras

        inputs = keras.Input(shape=(8,))
        age = keras.layers.Dense(1, name="age")(inputs)
        income = keras.layers.Dense(1, name="income")(inputs)
        model = keras.Model(inputs, [age, income])
        model.compile(optimizer="adam", loss="mse", metrics=[["mae"], ["mae"]])
        """,
    needles=("metrics",),
    probe=Probe("import numpy as np\ni = keras.Input((2,))\nm = keras.Model(i, [keras.layers.Dense(1)(i), keras.layers.Dense(1)(i)])\n"
                "m.compile(loss='mean_squared_error', metrics=['mae'])\n"
                "m.fit(np.zeros((2, 2)), [np.zeros((2, 1)), np.zeros((2, 1))], verbose=0)", ("ValueError",)),
)

# 36 -----------------------------------------------------------------------------------------------------------------
entry(
    code="KC536",
    name="h5-loss-alias",
    summary="A legacy .h5 model compiled with a loss alias ('mse', 'mae') does not reload in Keras 3.",
    severity=WARNING,
    affects="Keras 3 (files written by Keras 2 and by Keras 3)",
    matchers=(("h5_loss_alias", {}),),
    message="",
    messages={
        "load": ("`{written}({member})` reloads an .h5 model this module compiles with a loss alias: Keras 3 fails "
                 "(ValueError)",
                 "ValueError: Could not deserialize 'keras.metrics.mse' because it is not a KerasSaveable subclass "
                 "(the loss alias 'mse'...); load with compile=False and compile again, or use the full loss name / "
                 "a .keras file"),
        "save": ("a model compiled with a loss alias ('mse'...) is saved to `{member}`: Keras 3 cannot reload the file",
                 "ValueError at load_model: Could not deserialize 'keras.metrics.mse'; use the full loss name "
                 "(\"mean_squared_error\") or save to .keras"),
    },
    fix_safety=("safe",),
    bad="""
        import keras

        model = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(1)])
        model.compile(optimizer="adam", loss="mse")
        model.save("regressor.h5")
        restored = keras.models.load_model("regressor.h5")
        """,
    good="""
        import keras

        model = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(1)])
        model.compile(optimizer="adam", loss="mean_squared_error")
        model.save("regressor.keras")
        restored = keras.models.load_model("regressor.keras")
        """,
    fixed="""
        import keras

        model = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(1)])
        model.compile(optimizer="adam", loss="mean_squared_error")
        model.save("regressor.h5")
        restored = keras.models.load_model("regressor.h5")
        """,
    needles=(".h5", ".hdf5"),
    probe=Probe("import os, tempfile\npath = os.path.join(tempfile.mkdtemp(), 'm.h5')\n"
                "m = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1)])\nm.compile(loss='mse')\nm.save(path)\n"
                "keras.models.load_model(path)", ("ValueError", "TypeError")),
)

# 37 -----------------------------------------------------------------------------------------------------------------
entry(
    code="KC537",
    name="regularizer-l-argument",
    summary="regularizers.l1(l=...) / l2(l=...): Keras 3 raises TypeError.",
    severity=ERROR,
    affects=KERAS3 + "; `tf.keras` on TF >= 2.16 too",
    matchers=(("keyword", {
        "callees": ("keras.regularizers.l1", "keras.regularizers.l2", "keras.regularizers.L1", "keras.regularizers.L2"),
        "keywords": {"l": {"fix": "positional", "safe": True}},
    }),),
    message="`{written}(l=...)` fails on Keras 3 (TypeError): the factor has no `l` name there",
    help="TypeError: L1.__init__() (l1) or L2.__init__() (l2) got an unexpected keyword argument 'l'; "
         "pass the factor positionally",
    fix_safety=("safe",),
    bad="""
        import keras

        dense = keras.layers.Dense(64, kernel_regularizer=keras.regularizers.l2(l=0.01))
        """,
    good="""
        import keras

        dense = keras.layers.Dense(64, kernel_regularizer=keras.regularizers.l2(0.01))
        """,
    fixed=SAME_AS_GOOD,
    needles=("l2(", "l1(", "L2(", "L1("),
    probe=Probe("keras.regularizers.l2(l=0.01)", ("TypeError",)),
)


# ==== issue 15: KC538, KC539 (begin) ================================================================
# 38 -----------------------------------------------------------------------------------------------------------------
entry(
    code="KC538",
    name="compiled-loss-in-train-step",
    summary="self.compiled_loss / self.compiled_metrics in a custom train_step: deprecated shims in Keras 3 "
            "(the logged loss goes wrong).",
    severity=WARNING,
    affects=KERAS3 + "; `tf.keras` on TF >= 2.16 too",
    matchers=(("compiled_loss_in_train_step", {}),),
    message="",
    messages={
        "loss": ("`{written}(...)` is a deprecated shim in Keras 3 that ignores `regularization_losses=`",
                 "UserWarning: `model.compiled_loss()` is deprecated; call `self.compute_loss(y=..., y_pred=..., "
                 "sample_weight=...)`, which adds self.losses itself"),
        "metrics": ("`{written}(...)` is a deprecated shim in Keras 3: the logged `loss` silently becomes the mean of "
                    "y_pred",
                    "No error: it updates every metric in self.metrics, the loss tracker included, with the "
                    "predictions; update the metrics yourself: `for metric in self.metrics:` the \"loss\" one with "
                    "the loss, the others with (y, y_pred)"),
        "attribute": ("`{written}` fails on Keras 3 (AttributeError): compiled_loss/compiled_metrics are deprecated "
                      "shims there",
                      "AttributeError: {owner} has no attribute '{member}'; use self.metrics (and self.compute_loss)"),
    },
    fix_safety=("unsafe",),
    bad="""
        import keras
        import tensorflow as tf


        class Regressor(keras.Model):
            def train_step(self, data):
                x, y = data
                with tf.GradientTape() as tape:
                    y_pred = self(x, training=True)
                    loss = self.compiled_loss(y, y_pred, regularization_losses=self.losses)
                gradients = tape.gradient(loss, self.trainable_variables)
                self.optimizer.apply_gradients(zip(gradients, self.trainable_variables))
                self.compiled_metrics.update_state(y, y_pred)
                return {m.name: m.result() for m in self.metrics}
        """,
    good="""
        import keras
        import tensorflow as tf


        class Regressor(keras.Model):
            def train_step(self, data):
                x, y = data
                with tf.GradientTape() as tape:
                    y_pred = self(x, training=True)
                    loss = self.compute_loss(y=y, y_pred=y_pred)
                gradients = tape.gradient(loss, self.trainable_variables)
                self.optimizer.apply_gradients(zip(gradients, self.trainable_variables))
                for metric in self.metrics:
                    if metric.name == "loss":
                        metric.update_state(loss)
                    else:
                        metric.update_state(y, y_pred)
                return {m.name: m.result() for m in self.metrics}
        """,
    fixed=SAME_AS_GOOD,
    needles=("compiled_loss", "compiled_metrics"),
    # The silent half, measured by the probe: the "loss" that evaluate() reports is the mean of y_pred (3.0, not 9.0).
    probe=Probe("import numpy as np\nclass M(keras.Model):\n    def test_step(self, data):\n        x, y = data\n"
                "        self.compiled_metrics.update_state(y, self(x, training=False))\n"
                "        return {m.name: m.result() for m in self.metrics}\n"
                "i = keras.Input((1,))\nm = M(i, keras.layers.Dense(1, kernel_initializer='ones', use_bias=False)(i))\n"
                "m.compile(loss='mean_squared_error')\n"
                "loss_reported = m.evaluate(np.full((2, 1), 3.0), np.zeros((2, 1)), verbose=0, return_dict=True)['loss']\n"
                "round(loss_reported, 3) == 3.0"),
)

# 39 -----------------------------------------------------------------------------------------------------------------
entry(
    code="KC539",
    name="callbacks-experimental",
    summary="keras.callbacks.experimental.X: Keras 3 has no callbacks.experimental (use keras.callbacks.BackupAndRestore).",
    severity=ERROR,
    affects=KERAS3 + "; `tf.keras` on TF >= 2.16 too",
    matchers=(("symbol", {
        "roots": ("keras.callbacks.experimental",),
        "symbols": (Symbol("keras.callbacks.experimental", "prefix", "all"),),
        "moves": (Move("keras.callbacks.experimental.BackupAndRestore", "keras.callbacks.BackupAndRestore"),),
        "fix": "move",
        "plain_import_fix": True,
    }),),
    message="`{written}` does not exist in Keras 3 ({exception})",
    help="{error}; BackupAndRestore is `keras.callbacks.BackupAndRestore` (UpdateEmbeddingCallback has no Keras 3 "
         "equivalent)",
    fix_safety=("safe",),
    bad="""
        from tensorflow import keras

        backup = keras.callbacks.experimental.BackupAndRestore(backup_dir="/tmp/backup")
        """,
    good="""
        from tensorflow import keras

        backup = keras.callbacks.BackupAndRestore(backup_dir="/tmp/backup")
        """,
    fixed=SAME_AS_GOOD,
    needles=("experimental",),
    probe=Probe("keras.callbacks.experimental", ("AttributeError",)),
)
# ==== issue 15: KC538, KC539 (end) ==================================================================

# ==== issue 15: KC540, KC541 (begin) ================================================================
# 40 -----------------------------------------------------------------------------------------------------------------
_SAVEDMODEL_KEYWORDS = ("signatures", "options", "save_traces")  # measured: include_optimizer= is still taken
entry(
    code="KC540",
    name="save-savedmodel-arguments",
    summary="model.save(signatures=, options=, save_traces=): SavedModel arguments Keras 3's save() rejects (ValueError).",
    severity=ERROR,
    affects=KERAS3 + "; `tf.keras` on TF >= 2.16 too",
    matchers=(("keyword", {
        "methods": ("save",),
        "receiver": None,  # a known model, or any receiver given a keyword only Keras' save() takes
        "evidence": ("save_traces", "include_optimizer", "save_format"),
        "unless_defined": True,
        "callees": ("keras.models.save_model", "keras.saving.save_model"),
        "group": True,
        "keywords": {name: {"fix": "delete", "safe": False} for name in _SAVEDMODEL_KEYWORDS},
    }),),
    message="`{written}` no longer takes {member} in Keras 3 (ValueError): it saves only .keras and .h5 files",
    help="Keras 3 raises ValueError: The following argument(s) are not supported: ['{first}'...], whatever the path "
         "(tf_keras used them for SavedModel directories and ignored them for .h5 files). Drop them and save to "
         "`*.keras` to reload the model in Keras; to serve it, `model.export(path)` writes a SavedModel "
         "(`tf.saved_model.save(model, path, signatures=...)` keeps custom signatures).",
    fix_safety=("unsafe",),
    bad="""
        import keras

        model = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(1)])
        model.save("model.h5", include_optimizer=False, save_traces=False)
        """,
    good="""
        import keras

        model = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(1)])
        model.save("model.h5", include_optimizer=False)
        """,
    fixed=SAME_AS_GOOD,
    needles=_SAVEDMODEL_KEYWORDS,
    # An .h5 path: tf_keras takes the argument there, Keras 3 raises before writing.
    probe=Probe("import os, tempfile\nm = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1)])\n"
                "m.save(os.path.join(tempfile.mkdtemp(), 'm.h5'), signatures=None)", ("ValueError",)),
)

# 41 -----------------------------------------------------------------------------------------------------------------
_NO_LINEAR_COSINE = "Keras 3 has no linear cosine decay: write a LearningRateSchedule subclass"
_NO_PREMADE = "Keras 3 has no premade models: build it from keras.layers.Dense"
entry(
    code="KC541",
    name="keras-experimental-schedules",
    summary="keras.experimental.CosineDecay and the rest of keras.experimental: gone in Keras 3 "
            "(use keras.optimizers.schedules).",
    severity=ERROR,
    affects=KERAS3 + "; `tf.keras` on TF >= 2.16 too",
    matchers=(("symbol", {
        "roots": ("keras.experimental",),
        "symbols": (Symbol("keras.experimental", "prefix", "all"),),
        # Measured: the same class in tf_keras 2.21; the same arguments and learning rates in Keras 3.15.1.
        "moves": tuple(Move(f"keras.experimental.{name}", f"keras.optimizers.schedules.{name}")
                       for name in ("CosineDecay", "CosineDecayRestarts")),
        "hints": {
            "keras.experimental.LinearCosineDecay": _NO_LINEAR_COSINE,
            "keras.experimental.NoisyLinearCosineDecay": _NO_LINEAR_COSINE,
            "keras.experimental.LinearModel": _NO_PREMADE,
            "keras.experimental.WideDeepModel": _NO_PREMADE,
            "keras.experimental.SequenceFeatures": "Keras 3 has no feature columns: use keras.utils.FeatureSpace",
            "keras.experimental.PeepholeLSTMCell": "use keras.layers.LSTMCell (without peephole connections)",
            "keras.experimental.export_saved_model": "use `model.export(path)`",
            "keras.experimental.load_from_saved_model": "use keras.layers.TFSMLayer(path) for inference",
            "*": "it has no Keras 3 equivalent",
        },
        "fix": "move",
        "plain_import_fix": True,
    }),),
    message="`{written}` does not exist in Keras 3; {hint}",
    help="{error} (tf_keras 2.21 keeps keras.experimental). keras.optimizers.schedules.CosineDecay and "
         "CosineDecayRestarts take the same arguments and give the same learning rates (Keras 3 adds "
         "warmup_target/warmup_steps, off by default).",
    fix_safety=("safe",),
    bad="""
        import tensorflow as tf

        schedule = tf.keras.experimental.CosineDecay(0.1, decay_steps=10000)
        optimizer = tf.keras.optimizers.SGD(learning_rate=schedule, momentum=0.9)
        """,
    good="""
        import tensorflow as tf

        schedule = tf.keras.optimizers.schedules.CosineDecay(0.1, decay_steps=10000)
        optimizer = tf.keras.optimizers.SGD(learning_rate=schedule, momentum=0.9)
        """,
    fixed=SAME_AS_GOOD,
    needles=("experimental",),
    probe=Probe("keras.experimental", ("AttributeError",)),
)
# ==== issue 15: KC540, KC541 (end) ==================================================================

BY_CODE: dict[str, Entry] = {row.code: row for row in ENTRIES}
