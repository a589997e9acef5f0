"""KC511's fix (TF_OP_MAP: a TensorFlow op -> its keras.ops twin), checked against the real
libraries: every row is fixed by the real fix loop on a snippet, and the rewritten call
computes the same values as the TensorFlow one on concrete tensors (TensorFlow and Keras 3
come with the test extra; skipped without them)."""
import os
import sys
import textwrap

import pytest

sys.path.insert(0, os.path.dirname(__file__))

from kc5_fixutil import fix_source  # noqa: E402

from kerascheck.rules.keras3.table import TF_OP_MAP  # noqa: E402

HEADER = """\
import keras
import tensorflow as tf

x = keras.Input(shape=(3,))
n = keras.Input(shape=(3,))
b = keras.Input(shape=(3,), dtype="bool")
i = keras.Input(shape=(3,), dtype="int32")
e = keras.Input(shape=(3, 1))
"""

# Calls beyond the generic ones below (several per row where defaults or keywords matter).
SPECIAL = {
    "concat": ["tf.concat([x, n], axis=-1)", "tf.concat([x, n], 0)", "tf.concat(values=[x, n], axis=1)"],
    "reshape": ["tf.reshape(x, (3, 2))", "tf.reshape(x, shape=(-1,))", "tf.reshape(tensor=x, shape=[6])"],
    "squeeze": ["tf.squeeze(e, axis=-1)", "tf.squeeze(e)", "tf.squeeze(input=e)"],
    "expand_dims": ["tf.expand_dims(x, -1)", "tf.expand_dims(x, axis=1)"],
    "transpose": ["tf.transpose(x)", "tf.transpose(x, perm=[1, 0])", "tf.transpose(a=x)"],
    "matmul": ["tf.matmul(x, tf.ones((3, 4)))", "tf.matmul(a=x, b=tf.ones((3, 2)))"],
    "linalg.matmul": ["tf.linalg.matmul(x, tf.ones((3, 4)))"],
    "stack": ["tf.stack([x, n], axis=1)", "tf.stack([x, n])"],
    "unstack": ["tf.unstack(x, axis=1)", "tf.unstack(x)"],
    "tile": ["tf.tile(x, [1, 2])", "tf.tile(x, multiples=[2, 1])"],
    "repeat": ["tf.repeat(x, 2, axis=1)", "tf.repeat(x, 2)"],
    "zeros_like": ["tf.zeros_like(x)", "tf.zeros_like(x, dtype=tf.int32)"],
    "ones_like": ["tf.ones_like(x)"],
    "clip_by_value": ["tf.clip_by_value(x, 0.5, 2.0)", "tf.clip_by_value(x, clip_value_min=0.4, clip_value_max=1.0)"],
    "einsum": ["tf.einsum('ij,kj->ik', x, n)"],
    "linalg.einsum": ["tf.linalg.einsum('ij->ji', x)"],
    "pad": ["tf.pad(x, [[0, 0], [1, 2]])"],
    "one_hot": ["tf.one_hot(i, 5)", "tf.one_hot(i, depth=4)"],
    "nn.softmax": ["tf.nn.softmax(x)", "tf.nn.softmax(x, axis=0)"],
    "math.softmax": ["tf.math.softmax(x)"],
    "nn.log_softmax": ["tf.nn.log_softmax(x)", "tf.nn.log_softmax(logits=x, axis=0)"],
    "math.log_softmax": ["tf.math.log_softmax(x)"],
    "nn.leaky_relu": ["tf.nn.leaky_relu(n)", "tf.nn.leaky_relu(n, alpha=0.1)", "tf.nn.leaky_relu(n, 0.3)"],
    "nn.silu": ["tf.nn.silu(n)"],
    "nn.swish": ["tf.nn.swish(n)"],
    "nn.gelu": ["tf.nn.gelu(n)", "tf.nn.gelu(n, approximate=True)", "tf.nn.gelu(n, True)"],
    "gather": ["tf.gather(x, [1, 0])", "tf.gather(x, [2, 0], axis=1)", "tf.gather(params=x, indices=[1])"],
    "cumsum": ["tf.cumsum(x)", "tf.cumsum(x, axis=1)", "tf.cumsum(x, 1)"],
    "math.cumsum": ["tf.math.cumsum(x)"],
    "math.cumprod": ["tf.math.cumprod(x)", "tf.math.cumprod(x, axis=1)"],
    "where": ["tf.where(b, x, n)", "tf.where(b, x=x, y=n)"],
    "argmax": ["tf.argmax(x)", "tf.argmax(x, axis=1)", "tf.argmax(x, 1)"],
    "math.argmax": ["tf.math.argmax(x)"],
    "argmin": ["tf.argmin(x)", "tf.argmin(x, axis=1)"],
    "math.argmin": ["tf.math.argmin(x)"],
    "math.logical_not": ["tf.math.logical_not(b)"],
    "logical_and": ["tf.logical_and(b, b)"],
    "math.logical_and": ["tf.math.logical_and(b, b)"],
    "logical_or": ["tf.logical_or(b, b)"],
    "math.logical_or": ["tf.math.logical_or(b, b)"],
}
# Calls KC511 flags but must leave alone: a TensorFlow-only argument, `name=`, a different
# meaning, or no keras.ops twin.
NOT_FIXED = [
    "tf.matmul(x, n, transpose_b=True)",
    "tf.reduce_mean(x, name='mean')",
    "tf.where(b)",
    "tf.nn.silu(n, beta=2.0)",
    "tf.split(x, 3, axis=1)",
    "tf.pad(x, [[0, 0], [1, 1]], mode='REFLECT')",
    "tf.nn.l2_normalize(x, axis=-1)",
    "tf.cumsum(x, exclusive=True)",
    "tf.gather(x, [0], batch_dims=0)",
]


def _calls(name, row):
    if name in SPECIAL:
        return SPECIAL[name]
    if "input_tensor" in row.keywords:  # reductions
        tensor = "b" if row.target in ("ops.any", "ops.all") else "x"
        return [f"tf.{name}({tensor})", f"tf.{name}({tensor}, axis=1)", f"tf.{name}({tensor}, 0, True)",
                f"tf.{name}(input_tensor={tensor}, keepdims=True)"]
    if row.keywords.get("y") == "x2":  # binary
        return [f"tf.{name}(x, n)", f"tf.{name}(x, 2.0)", f"tf.{name}(x=x, y=n)"]
    return [f"tf.{name}(x)"]  # unary (on positive values: log, sqrt and rsqrt are defined)


SAMPLES = [(name, call) for name, row in sorted(TF_OP_MAP.items()) for call in _calls(name, row)]


def _fixed_call(call: str) -> str:
    before = HEADER + f"y = {call}\n"
    fixed, _, errors = fix_source(before, ["KC511"], unsafe=True)
    assert errors == []
    # Where the fix leaves `import tensorflow as tf` unused, the fixer removes it.
    header = HEADER if "tf." in fixed else HEADER.replace("import tensorflow as tf\n", "")
    assert fixed.startswith(header), fixed
    return fixed[len(header):].strip()[len("y = "):]


def _values():
    import numpy as np
    import tensorflow as tf

    x = np.array([[0.5, 1.5, 2.5], [3.0, 0.25, 1.0]], dtype="float32")
    n = np.array([[-1.0, 0.5, 2.0], [-0.25, 3.0, -2.0]], dtype="float32")
    return {
        "tf": tf, "keras": pytest.importorskip("keras"), "np": np,
        "x": tf.constant(x), "n": tf.constant(n), "b": tf.constant(x > 1.0),
        "i": tf.constant([[0, 2, 1], [3, 1, 0]], dtype=tf.int32), "e": tf.constant(x[..., None]),
    }


def _same(a, b):
    import numpy as np

    if isinstance(a, (list, tuple)):
        assert isinstance(b, (list, tuple)) and len(a) == len(b)
        for left, right in zip(a, b):
            _same(left, right)
        return
    a, b = np.asarray(a), np.asarray(b)
    assert a.shape == b.shape, (a.shape, b.shape)
    if a.dtype == bool or b.dtype == bool:
        assert (a == b).all()
    else:
        np.testing.assert_allclose(a.astype("float64"), b.astype("float64"), rtol=1e-5, atol=1e-6)


def test_every_row_has_samples():
    assert {name for name, _ in SAMPLES} == set(TF_OP_MAP)


@pytest.mark.parametrize("name,call", SAMPLES, ids=[call for _, call in SAMPLES])
def test_the_rewrite_computes_the_same(name, call):
    pytest.importorskip("tensorflow")
    rewritten = _fixed_call(call)
    assert rewritten.startswith("keras.ops."), rewritten
    env = _values()
    _same(eval(call, env), eval(rewritten, env))


@pytest.mark.parametrize("call", NOT_FIXED)
def test_left_alone(call):
    source = textwrap.dedent(HEADER) + f"y = {call}\n"
    fixed, findings, errors = fix_source(source, ["KC511"], unsafe=True)
    assert errors == [] and fixed == source
    assert [f.code for f in findings] == ["KC511"]
