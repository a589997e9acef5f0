"""What each class rule's pitfall does on real Keras, as data.

Every case is a small program that uses the name `keras`, bound by the runner
(tests/test_affects.py) to Keras 3 (`import keras`) or to Keras 2 (`import tf_keras as
keras`); its own `import keras...` statements import from that same package. It ends
with the statement that raises when the pitfall bites; a silent effect ends with an
`assert` that fails when it bites. `keras3` / `keras2` record what was
measured: None when the program runs clean on that Keras, else a fragment of the
"ExceptionType: message" it raises. Variants named `control:...` are the Good twin of a
pitfall (they show that the failure comes from the pitfall, not from the harness); a
variant `x/path` is situation x reloaded through one path (`keras`: model.save to .keras
and load_model; `h5`: the same through .h5; `from-config`: cls.from_config(get_config());
`save-...`: the save alone, to tell a failing save from a failing reload).

Measured with Keras 3.15.1 / TensorFlow 2.21 (CPU) and tf_keras 2.21.
"""
from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass
from typing import Optional


@dataclass(frozen=True)
class Case:
    code: str
    variant: str
    source: str
    keras3: Optional[str]
    keras2: Optional[str]


def _src(text: str) -> str:
    return textwrap.dedent(text).strip() + "\n"


# (code, variant, source), in order; the outcomes are in MEASURED at the end of the file.
_SOURCES: list[tuple[str, str, str]] = []


def case(code: str, variant: str, source: str) -> None:
    _SOURCES.append((code, variant, _src(source)))


# ---- KC101 tf-variable-in-layer ---------------------------------------------------------
_KC101_LAYER = """
import numpy as np
import tensorflow as tf

class Linear(keras.layers.Layer):
    def __init__(self, units=2, **kwargs):
        super().__init__(**kwargs)
        self.units = units
    def build(self, input_shape):
        self.w = tf.Variable(tf.ones((input_shape[-1], self.units)), trainable=True)
    def call(self, inputs):
        return tf.matmul(inputs, self.w)
"""

case("KC101", "untracked/in-weights", _KC101_LAYER + """
layer = Linear()
layer(np.ones((1, 3), "float32"))
assert len(layer.weights) == 1, f"tf.Variable not in layer.weights: {layer.weights}"
""")

case("KC101", "untracked/trained-by-fit", _KC101_LAYER + """
inp = keras.Input((3,))
model = keras.Model(inp, Linear()(inp))
model.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse")
layer = model.layers[-1]
before = layer.w.numpy().copy()
model.fit(np.ones((4, 3), "float32"), np.zeros((4, 2), "float32"), epochs=1, verbose=0)
assert not np.allclose(before, layer.w.numpy()), "fit did not train the tf.Variable"
""")

case("KC101", "untracked/load-weights", _KC101_LAYER + """
inp = keras.Input((3,))
model = keras.Model(inp, Linear()(inp))
model.layers[-1].w.assign(tf.fill((3, 2), 7.0))
model.save_weights("w.weights.h5")
inp2 = keras.Input((3,))
fresh = keras.Model(inp2, Linear()(inp2))
fresh.load_weights("w.weights.h5")
assert np.allclose(fresh.layers[-1].w.numpy(), 7.0), "load_weights did not restore the tf.Variable"
""")

case("KC101", "untracked/load-model", _KC101_LAYER + """
inp = keras.Input((3,))
model = keras.Model(inp, Linear()(inp))
model.layers[-1].w.assign(tf.fill((3, 2), 7.0))
model.save("m.keras")
loaded = keras.models.load_model("m.keras", custom_objects={"Linear": Linear})
assert np.allclose(loaded.layers[-1].w.numpy(), 7.0), "load_model did not restore the tf.Variable"
""")

case("KC101", "mixed-float16", _KC101_LAYER + """
keras.mixed_precision.set_global_policy("mixed_float16")
layer = Linear()
layer(np.ones((1, 3), "float32"))
""")

# ---- KC102 weights-sized-by-constructor ---------------------------------------------------
case("KC102", "other-input-width", """
import numpy as np
import tensorflow as tf

class Linear(keras.layers.Layer):
    def __init__(self, units=4, input_dim=3, **kwargs):
        super().__init__(**kwargs)
        self.w = self.add_weight(name="w", shape=(input_dim, units), initializer="ones")
    def call(self, inputs):
        return tf.matmul(inputs, self.w)

Linear(units=4, input_dim=3)(np.ones((2, 5), "float32"))
""")

# ---- KC103 state-created-in-call -----------------------------------------------------------
case("KC103", "layer-in-call/weights", """
import numpy as np

class Classifier(keras.layers.Layer):
    def call(self, inputs):
        return keras.layers.Dense(2)(inputs)

layer = Classifier()
layer(np.ones((1, 3), "float32"))
layer(np.ones((1, 3), "float32"))
assert len(layer.weights) == 2, f"layer owns {len(layer.weights)} weights"
""")

case("KC103", "layer-in-call/fit", """
import numpy as np

class Classifier(keras.layers.Layer):
    def call(self, inputs):
        return keras.layers.Dense(2)(inputs)

inp = keras.Input((3,))
model = keras.Model(inp, Classifier()(inp))
model.compile(optimizer="sgd", loss="mse")
model.fit(np.ones((4, 3), "float32"), np.zeros((4, 2), "float32"), epochs=1, verbose=0)
""")

case("KC103", "variable-in-call/fit", """
import numpy as np
import tensorflow as tf

class Scale(keras.layers.Layer):
    def call(self, inputs):
        self.w = tf.Variable(tf.ones((inputs.shape[-1],)))
        return inputs * self.w

inp = keras.Input((3,))
model = keras.Model(inp, Scale()(inp))
model.compile(optimizer="sgd", loss="mse")
model.fit(np.ones((4, 3), "float32"), np.zeros((4, 3), "float32"), epochs=1, verbose=0)
""")

case("KC103", "add-weight-in-call/two-calls", """
import numpy as np

class Scale(keras.layers.Layer):
    def call(self, inputs):
        w = self.add_weight(name="w", shape=(inputs.shape[-1],), initializer="ones")
        return inputs * w

layer = Scale()
layer(np.ones((1, 3), "float32"))
layer(np.ones((1, 3), "float32"))
assert len(layer.weights) == 1, f"layer owns {len(layer.weights)} weights after two calls"
""")

# One call away: a module-level helper that makes the state, called from call().
case("KC103", "variable-in-call/through-helper", """
import numpy as np
import tensorflow as tf

def make_scale(width):
    return tf.Variable(tf.ones((width,)))

class Scale(keras.layers.Layer):
    def call(self, inputs):
        w = make_scale(inputs.shape[-1])
        return inputs * w

inp = keras.Input((3,))
model = keras.Model(inp, Scale()(inp))
model.compile(optimizer="sgd", loss="mse")
model.fit(np.ones((4, 3), "float32"), np.zeros((4, 3), "float32"), epochs=1, verbose=0)
""")

case("KC103", "layer-in-call/through-helper", """
import numpy as np

def make_head():
    return keras.layers.Dense(2)

class Classifier(keras.layers.Layer):
    def call(self, inputs):
        return make_head()(inputs)

layer = Classifier()
layer(np.ones((1, 3), "float32"))
layer(np.ones((1, 3), "float32"))
assert len(layer.weights) == 2, f"layer owns {len(layer.weights)} weights"
""")

case("KC103", "control:guarded-helper", """
import numpy as np
import tensorflow as tf

def make_scale(width):
    return tf.Variable(tf.ones((width,)))

class Scale(keras.layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.w = None
    def call(self, inputs):
        if self.w is None:
            self.w = make_scale(inputs.shape[-1])
        return inputs * self.w

layer = Scale()
layer(np.ones((1, 3), "float32"))
layer(np.ones((1, 3), "float32"))
""")

# ---- KC104 add-weight-positional-name ----------------------------------------------------
case("KC104", "layer", """
import numpy as np
import tensorflow as tf

class Linear(keras.layers.Layer):
    def build(self, input_shape):
        self.w = self.add_weight("kernel", shape=(input_shape[-1], 4))
    def call(self, inputs):
        return tf.matmul(inputs, self.w)

layer = Linear()
layer(np.ones((1, 3), "float32"))
assert layer.w.shape == (3, 4), layer.w.shape
assert "kernel" in layer.w.name, f"weight named {layer.w.name}"
""")

case("KC104", "metric", """
import tensorflow as tf

class Total(keras.metrics.Metric):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.total = self.add_weight("total", initializer="zeros")
    def update_state(self, y_true, y_pred, sample_weight=None):
        self.total.assign_add(tf.reduce_sum(tf.cast(y_pred, "float32")))
    def result(self):
        return self.total

metric = Total()
metric.update_state(None, [1.0, 2.0])
assert float(metric.result()) == 3.0, float(metric.result())
""")

# ---- KC105 attribute-reset-by-super-init --------------------------------------------------
def _kc105(variant: str, assignment: str, check: str) -> None:
    case("KC105", variant, f"""
import numpy as np

class Layer(keras.layers.Layer):
    def __init__(self, **kwargs):
        {assignment}
        super().__init__(**kwargs)
    def call(self, inputs):
        return inputs

layer = Layer()
{check}
""")


_kc105("supports-masking", "self.supports_masking = True",
       'assert layer.supports_masking is True, f"supports_masking reads back {layer.supports_masking}"')
_kc105("trainable", "self.trainable = False",
       'assert layer.trainable is False, f"trainable reads back {layer.trainable}"')
_kc105("built", "self.built = True",
       'assert layer.built is True, f"built reads back {layer.built}"')
_kc105("input-spec", "self.input_spec = keras.layers.InputSpec(ndim=2)",
       'assert layer.input_spec is not None, "input_spec reads back None"')
_kc105("activity-regularizer", 'self.activity_regularizer = keras.regularizers.L2(0.1)',
       'assert layer.activity_regularizer is not None, "activity_regularizer reads back None"')
_kc105("autocast", "self.autocast = False",
       'assert layer.autocast is False, f"autocast reads back {layer.autocast}"')
_kc105("dtype-policy", 'self.dtype_policy = keras.mixed_precision.Policy("mixed_float16")',
       'assert "float16" in str(layer.dtype_policy), f"dtype_policy reads back {layer.dtype_policy}"')
_kc105("supports-jit", "self.supports_jit = False",
       'assert layer.supports_jit is False, f"supports_jit reads back {getattr(layer, \'supports_jit\', None)}"')

case("KC105", "control:supports-masking+compute-mask", """
import numpy as np

class Layer(keras.layers.Layer):
    def __init__(self, **kwargs):
        self.supports_masking = True
        super().__init__(**kwargs)
    def call(self, inputs):
        return inputs
    def compute_mask(self, inputs, mask=None):
        return mask

layer = Layer()
assert layer.supports_masking is True, f"supports_masking reads back {layer.supports_masking}"
""")

case("KC105", "supports-masking/mask-dropped", """
import numpy as np

class Double(keras.layers.Layer):
    def __init__(self, **kwargs):
        self.supports_masking = True
        super().__init__(**kwargs)
    def call(self, inputs):
        return inputs * 2.0

inp = keras.Input((None,), dtype="int32")
x = keras.layers.Embedding(10, 2, mask_zero=True)(inp)
x = Double()(x)
out = keras.layers.LSTM(3)(x)
model = keras.Model(inp, out)
a = model.predict(np.array([[1, 2, 0, 0]]), verbose=0)
b = model.predict(np.array([[1, 2]]), verbose=0)
assert np.allclose(a, b, atol=1e-5), "the padding changed the LSTM output: mask dropped"
""")

case("KC101", "control:add-weight-mixed-float16", """
import numpy as np
import tensorflow as tf

class Linear(keras.layers.Layer):
    def build(self, input_shape):
        self.w = self.add_weight(name="w", shape=(input_shape[-1], 2), initializer="ones")
    def call(self, inputs):
        return tf.matmul(inputs, self.w)

keras.mixed_precision.set_global_policy("mixed_float16")
layer = Linear()
layer(np.ones((1, 3), "float32"))
""")

# ---- KC201 ungated-dropout ----------------------------------------------------------------
case("KC201", "tf-nn-dropout-in-predict", """
import numpy as np
import tensorflow as tf

class Noisy(keras.layers.Layer):
    def call(self, x):
        return tf.nn.dropout(x, rate=0.5)

inp = keras.Input((1000,))
model = keras.Model(inp, Noisy()(inp))
y = model.predict(np.ones((1, 1000), "float32"), verbose=0)
assert (y == 0).mean() < 0.1, f"predict zeroed {(y == 0).mean():.0%} of the outputs"
""")

# ---- KC202 training-defaults-true -----------------------------------------------------------
_KC202_LAYER = """
import numpy as np
import tensorflow as tf

class Drop(keras.layers.Layer):
    def call(self, x, training=True):
        if training:
            return tf.nn.dropout(x, rate=0.5)
        return x
"""
case("KC202", "default-true/plain-call", _KC202_LAYER + """
y = Drop()(np.ones((1, 1000), "float32")).numpy()
assert (y == 0).mean() < 0.1, f"a plain call zeroed {(y == 0).mean():.0%} of the outputs"
""")

case("KC202", "default-true/predict", _KC202_LAYER + """
inp = keras.Input((1000,))
model = keras.Model(inp, Drop()(inp))
y = model.predict(np.ones((1, 1000), "float32"), verbose=0)
assert (y == 0).mean() < 0.1, f"predict zeroed {(y == 0).mean():.0%} of the outputs"
""")

case("KC202", "default-true/leaks-to-nested-dropout", """
import numpy as np

class Block(keras.layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.dropout = keras.layers.Dropout(0.5)
    def call(self, x, training=True):
        return self.dropout(x)

y = Block()(np.ones((1, 1000), "float32")).numpy()
assert (y == 0).mean() < 0.1, f"a plain call: the nested Dropout zeroed {(y == 0).mean():.0%}"
""")

# ---- KC203 trainable-for-training -------------------------------------------------------------
_KC203_CALL = """
import numpy as np

class Head(keras.layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.dense = keras.layers.Dense(2)
    def call(self, x):
        return self.dense(x)

class Net(keras.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.dense = keras.layers.Dense(2)
    def call(self, x):
        return self.dense(x)

x = np.ones((1, 3), "float32")
"""
case("KC203", "call-kwarg-layer/custom-layer", _KC203_CALL + "Head()(x, trainable=False)\n")
case("KC203", "call-kwarg-layer/dense", _KC203_CALL + "keras.layers.Dense(2)(x, trainable=False)\n")
case("KC203", "call-kwarg-layer/subclassed-model", _KC203_CALL + "Net()(x, trainable=False)\n")
case("KC203", "call-kwarg-model/functional-on-data", _KC203_CALL + """
inp = keras.Input((3,))
base = keras.Model(inp, keras.layers.Dense(2)(inp))
base(x, trainable=False)
assert not base.trainable_weights, f"{len(base.trainable_weights)} weights still trainable"
""")
case("KC203", "call-kwarg-model/sequential-on-data", _KC203_CALL + """
base = keras.Sequential([keras.layers.Dense(2)])
base(x, trainable=False)
assert not base.trainable_weights, f"{len(base.trainable_weights)} weights still trainable"
""")
case("KC203", "call-kwarg-model/functional-on-input", _KC203_CALL + """
inp = keras.Input((3,))
base = keras.Model(inp, keras.layers.Dense(2)(inp))
outer_in = keras.Input((3,))
outer = keras.Model(outer_in, base(outer_in, trainable=False))
assert not base.trainable_weights, f"{len(base.trainable_weights)} weights still trainable"
""")
case("KC203", "call-kwarg-model/sequential-on-input", _KC203_CALL + """
base = keras.Sequential([keras.layers.Dense(2)])
outer_in = keras.Input((3,))
outer = keras.Model(outer_in, base(outer_in, trainable=False))
""")
# Callees whose kind the source does not show: a layer taken from a model, a loaded model.
case("KC203", "call-kwarg-unknown/layer-of-a-model", _KC203_CALL + """
inp = keras.Input((3,))
base = keras.Model(inp, keras.layers.Dense(2)(inp))
layer = base.layers[-1]
layer(x, trainable=False)
""")
case("KC203", "call-kwarg-unknown/loaded-model-on-data", _KC203_CALL + """
inp = keras.Input((3,))
keras.Model(inp, keras.layers.Dense(2)(inp)).save("base.keras")
base = keras.models.load_model("base.keras")
base(x, trainable=False)
assert not base.trainable_weights, f"{len(base.trainable_weights)} weights still trainable"
""")
case("KC203", "trainable-from-training/plain-call", """
import numpy as np

class Block(keras.layers.Layer):
    def call(self, x, training=None):
        return keras.layers.Dense(3, trainable=training)(x)

Block()(np.ones((1, 3), "float32"))
""")
case("KC203", "call-param-named-trainable", """
import numpy as np

class Probe(keras.layers.Layer):
    seen = []
    def call(self, x, trainable=None):
        Probe.seen.append(trainable)
        return x

inp = keras.Input((3,))
model = keras.Model(inp, keras.layers.Dense(1)(Probe()(inp)))
model.compile(optimizer="sgd", loss="mse")
Probe.seen.clear()
model.fit(np.ones((4, 3), "float32"), np.zeros((4, 1), "float32"), epochs=1, verbose=0)
assert True in Probe.seen, f"fit passed trainable={Probe.seen}"
""")
case("KC203", "training-from-self-trainable", """
import numpy as np

class Block(keras.layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.dropout = keras.layers.Dropout(0.5)
    def call(self, x):
        return self.dropout(x, training=self.trainable)

inp = keras.Input((1000,))
model = keras.Model(inp, Block()(inp))
y = model.predict(np.ones((1, 1000), "float32"), verbose=0)
assert (y == 0).mean() < 0.1, f"predict zeroed {(y == 0).mean():.0%} of the outputs"
""")

_KC203_GRAPH = """
import numpy as np

def build(trainable=True):
    inp = keras.Input((1000,))
    return keras.Model(inp, keras.layers.Dropout(0.5)(inp, training=trainable))

model = build()
x = np.ones((1, 1000), "float32")
"""
case("KC203", "training-from-trainable-in-graph/predict", _KC203_GRAPH + """
y = model.predict(x, verbose=0)
assert (y == 0).mean() < 0.1, f"predict zeroed {(y == 0).mean():.0%} of the outputs"
""")
case("KC203", "training-from-trainable-in-graph/plain-call", _KC203_GRAPH + """
y = np.asarray(model(x))
assert (y == 0).mean() < 0.1, f"model(x) zeroed {(y == 0).mean():.0%} of the outputs"
""")

# ---- KC204 sublayer-call-bypassed --------------------------------------------------------
case("KC204", "training-lost/under-training", """
import numpy as np

class Block(keras.layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.dropout = keras.layers.Dropout(0.5)
    def call(self, x, training=None):
        return self.dropout.call(x)

y = Block()(np.ones((1, 1000), "float32"), training=True).numpy()
assert (y == 0).mean() > 0.3, f"dropout.call zeroed {(y == 0).mean():.0%} under training=True"
""")

case("KC204", "training-lost/in-fit", """
import numpy as np

class Block(keras.layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.dropout = keras.layers.Dropout(0.999)
    def call(self, x, training=None):
        return self.dropout.call(x)

inp = keras.Input((50,))
model = keras.Model(inp, keras.layers.Dense(1, kernel_initializer="ones", use_bias=False)(Block()(inp)))
model.compile(optimizer=keras.optimizers.SGD(0.0), loss="mse")
x, y = np.ones((8, 50), "float32"), np.zeros((8, 1), "float32")
train_loss = model.fit(x, y, epochs=1, verbose=0).history["loss"][0]
eval_loss = model.evaluate(x, y, verbose=0)
assert abs(train_loss - eval_loss) > 1.0, f"fit loss {train_loss} == eval loss {eval_loss}: dropout inactive"
""")

_KC204_STEM = """
import numpy as np

class Net(keras.layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.stem = keras.layers.Dense(4)
    def build(self, input_shape):
        self.stem.build(input_shape)
    def call(self, inputs, training=None):
        return self.stem.call(inputs, training)
"""
case("KC204", "extra-training-arg/call", _KC204_STEM + """
x = np.ones((2, 3), "float32")
net = Net()
y = net(x)
assert np.allclose(y, net.stem(x)), "stem.call differs from stem(x)"
assert len(net.trainable_weights) == 2, f"{len(net.trainable_weights)} trainable weights"
""")
case("KC204", "extra-training-arg/fit", _KC204_STEM + """
inp = keras.Input((3,))
model = keras.Model(inp, Net()(inp))
model.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse")
kernel = model.layers[-1].stem.kernel
before = kernel.numpy().copy()
model.fit(np.ones((4, 3), "float32"), np.ones((4, 4), "float32"), epochs=1, verbose=0)
assert not np.allclose(before, kernel.numpy()), "fit did not train the stem"
""")
case("KC204", "extra-training-arg/mixed-float16", _KC204_STEM + """
keras.mixed_precision.set_global_policy("mixed_float16")
y = Net()(np.ones((2, 3), "float32"))
assert "float16" in str(y.dtype), y.dtype
""")
case("KC204", "control:built-elsewhere-no-training", _KC204_STEM.replace(
    "self.stem.call(inputs, training)", "self.stem.call(inputs)") + """
inp = keras.Input((3,))
model = keras.Model(inp, Net()(inp))
model.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse")
kernel = model.layers[-1].stem.kernel
before = kernel.numpy().copy()
model.fit(np.ones((4, 3), "float32"), np.ones((4, 4), "float32"), epochs=1, verbose=0)
assert not np.allclose(before, kernel.numpy()), "fit did not train the stem"
""")
case("KC204", "control:training-through-kwargs", """
import numpy as np

class Encoder(keras.layers.Layer):
    def __init__(self, inner, **kwargs):
        super().__init__(**kwargs)
        self.inner = inner
    def call(self, x, training=None):
        kwargs = {"training": training}
        return self.inner.call(x, **kwargs)

y = np.asarray(Encoder(keras.layers.Dropout(0.5))(np.ones((1, 1000), "float32"), training=True))
assert (y == 0).mean() > 0.3, f"dropout.call(**kwargs) zeroed {(y == 0).mean():.0%} under training=True"
""")
case("KC204", "never-built/call", """
import numpy as np

class Net(keras.layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.stem = keras.layers.Dense(4)
    def call(self, inputs):
        return self.stem.call(inputs)

Net()(np.ones((2, 3), "float32"))
""")

# ---- KC205 mask-dropped -------------------------------------------------------------------
def _kc205(variant: str, body: str) -> None:
    case("KC205", variant, f"""
import numpy as np
import tensorflow as tf

class Encoder(keras.layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.embedding = keras.layers.Embedding(10, 4, mask_zero=True)
        self.lstm = keras.layers.LSTM(3)
        self.pool = keras.layers.GlobalAveragePooling1D()
    def call(self, inputs):
        x = self.embedding(inputs)
        {body}

encoder = Encoder()
padded = encoder(np.array([[1, 2, 0, 0]])).numpy()
unpadded = encoder(np.array([[1, 2]])).numpy()
assert np.allclose(padded, unpadded, atol=1e-5), "the padding changed the output: mask not applied"
""")


_kc205("reduction/reduce-mean", "return tf.reduce_mean(x, axis=1)")
_kc205("raw-op-before-mask-consumer/relu-then-lstm", "return self.lstm(tf.nn.relu(x))")
_kc205("raw-op-before-mask-consumer/relu-then-pooling", "return self.pool(tf.nn.relu(x))")
_kc205("attention/softmax-scores", "scores = tf.matmul(x, x, transpose_b=True)\n"
       "        weights = tf.nn.softmax(scores, axis=-1)\n"
       "        return tf.matmul(weights, x)[:, 0, :]")
_kc205("control:direct-lstm", "return self.lstm(x)")
_kc205("control:direct-pooling", "return self.pool(x)")

# ---- KC206 call-dunder-overridden ----------------------------------------------------------
_KC206_NET = """
import numpy as np

class Probe(keras.layers.Layer):
    seen = []
    def call(self, x, training=None):
        Probe.seen.append(training)
        return x

class Net(keras.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.dense = keras.layers.Dense(2)
        self.probe = Probe()
    def __call__(self, x):
        return self.probe(self.dense(x))

x, y = np.ones((4, 3), "float32"), np.zeros((4, 2), "float32")
"""
# The same model whose __call__ takes `training` and hands it on.
_KC206_NET_TRAINING = _KC206_NET.replace(
    "def __call__(self, x):\n        return self.probe(self.dense(x))",
    "def __call__(self, x, training=None):\n        return self.probe(self.dense(x), training=training)",
)
case("KC206", "no-training/fit-training-flag", _KC206_NET + """
model = Net()
model.compile(optimizer="sgd", loss="mse")
Probe.seen.clear()
model.fit(x, y, epochs=1, verbose=0)
assert True in Probe.seen, f"fit: the sub-layers saw training={Probe.seen}"
""")
case("KC206", "no-training/built-after-call", _KC206_NET + """
model = Net()
model(x)
assert model.built, "model.built is False after a call"
""")
case("KC206", "no-training/save-reload-weights", _KC206_NET + """
model = Net()
model(x)
model.save("m.keras")
loaded = keras.models.load_model("m.keras", custom_objects={"Net": Net, "Probe": Probe})
loaded(x)
assert np.allclose(loaded(x), model(x)), "reloaded model computes something else"
""")

case("KC206", "takes-training/fit-training-flag", _KC206_NET_TRAINING + """
model = Net()
model.compile(optimizer="sgd", loss="mse")
Probe.seen.clear()
model.fit(x, y, epochs=1, verbose=0)
assert True in Probe.seen, f"fit: the sub-layers saw training={Probe.seen}"
""")
case("KC206", "takes-training/built-after-call", _KC206_NET_TRAINING + """
model = Net()
model(x)
assert model.built, "model.built is False after a call"
""")
case("KC206", "takes-training/save-reload-weights", _KC206_NET_TRAINING + """
model = Net()
model(x)
model.save("m.keras")
loaded = keras.models.load_model("m.keras", custom_objects={"Net": Net, "Probe": Probe})
loaded(x)
assert np.allclose(loaded(x), model(x)), "reloaded model computes something else"
""")

# ---- KC207 training-not-forwarded (opt-in: style) ------------------------------------------
case("KC207", "context-propagates-in-fit", """
import numpy as np

class Probe(keras.layers.Layer):
    seen = []
    def call(self, x, training=None):
        Probe.seen.append(training)
        return x

class Block(keras.layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.probe = Probe()
    def call(self, x):
        return self.probe(x)

inp = keras.Input((3,))
model = keras.Model(inp, keras.layers.Dense(1)(Block()(inp)))
model.compile(optimizer="sgd", loss="mse")
Probe.seen.clear()
model.fit(np.ones((4, 3), "float32"), np.zeros((4, 1), "float32"), epochs=1, verbose=0)
assert True in Probe.seen, f"fit: the nested layer saw training={Probe.seen}"
""")

# ---- KC208 training-hard-coded (opt-in) ----------------------------------------------------
case("KC208", "training-false/bn-in-fit", """
import numpy as np

class Block(keras.layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.bn = keras.layers.BatchNormalization()
    def call(self, x, training=None):
        return self.bn(x, training=False)

inp = keras.Input((3,))
block = Block()
model = keras.Model(inp, keras.layers.Dense(1)(block(inp)))
model.compile(optimizer="sgd", loss="mse")
model.fit(np.full((8, 3), 5.0, "float32"), np.zeros((8, 1), "float32"), epochs=1, verbose=0)
mean = block.bn.moving_mean.numpy()
assert not np.allclose(mean, 0.0), "fit left the BatchNormalization moving mean at 0"
""")
case("KC208", "training-true/dropout-in-predict", """
import numpy as np

class Block(keras.layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.dropout = keras.layers.Dropout(0.5)
    def call(self, x, training=None):
        return self.dropout(x, training=True)

inp = keras.Input((1000,))
model = keras.Model(inp, Block()(inp))
y = model.predict(np.ones((1, 1000), "float32"), verbose=0)
assert (y == 0).mean() < 0.1, f"predict zeroed {(y == 0).mean():.0%} of the outputs"
""")

# ---- KC209 misspelled-keras-attribute --------------------------------------------------------
case("KC209", "supports-masking/support-masking", """
import numpy as np

class Double(keras.layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.support_masking = True
    def call(self, inputs):
        return inputs * 2.0

inp = keras.Input((None,), dtype="int32")
x = keras.layers.Embedding(10, 2, mask_zero=True)(inp)
out = keras.layers.LSTM(3)(Double()(x))
model = keras.Model(inp, out)
a = model.predict(np.array([[1, 2, 0, 0]]), verbose=0)
b = model.predict(np.array([[1, 2]]), verbose=0)
assert np.allclose(a, b, atol=1e-5), "the padding changed the LSTM output: mask dropped"
""")
case("KC209", "trainable/trainabe", """
import numpy as np

class Frozen(keras.layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.trainabe = False
        self.dense = keras.layers.Dense(2)
    def call(self, x):
        return self.dense(x)

layer = Frozen()
layer(np.ones((1, 3), "float32"))
assert not layer.trainable_weights, f"{len(layer.trainable_weights)} weights still trainable"
""")
case("KC209", "input-spec/input-specs", """
import numpy as np

class Seq(keras.layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.input_specs = keras.layers.InputSpec(ndim=3)
    def call(self, x):
        return x

Seq()(np.ones((2, 3), "float32"))
raise AssertionError("a 2-D input was accepted by a layer meant for ndim=3")
""")
case("KC209", "built/bulit", """
import numpy as np

class Scale(keras.layers.Layer):
    builds = 0
    def build(self, input_shape):
        Scale.builds += 1
        self.w = self.add_weight(name="w", shape=(input_shape[-1],), initializer="ones")
        self.bulit = True
    def call(self, x):
        return x * self.w

layer = Scale()
layer(np.ones((1, 3), "float32"))
layer(np.ones((1, 3), "float32"))
assert Scale.builds == 1 and layer.built, f"build ran {Scale.builds} times, built={layer.built}"
""")

# ---- KC210 model-call-without-training ------------------------------------------------------
_KC210_NET = """
import numpy as np

class Probe(keras.layers.Layer):
    seen = []
    def call(self, x, training=None):
        Probe.seen.append(training)
        return x

class Net(keras.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.bn = keras.layers.BatchNormalization()
        self.probe = Probe()
        self.dense = keras.layers.Dense(1)
    def call(self, inputs):
        return self.dense(self.probe(self.bn(inputs)))

x, y = np.full((8, 3), 5.0, "float32"), np.zeros((8, 1), "float32")
"""
case("KC210", "not-in-training/bn-moving-stats", _KC210_NET + """
model = Net()
model.compile(optimizer="sgd", loss="mse")
model.fit(x, y, epochs=1, verbose=0)
assert not np.allclose(model.bn.moving_mean.numpy(), 0.0), "fit left the BatchNormalization moving mean at 0"
""")
case("KC210", "not-in-training/training-seen", _KC210_NET + """
model = Net()
model.compile(optimizer="sgd", loss="mse")
Probe.seen.clear()
model.fit(x, y, epochs=1, verbose=0)
assert True in Probe.seen, f"fit: the sub-layers saw training={Probe.seen}"
""")
case("KC210", "control:custom-train-step", _KC210_NET.replace("""    def call(self, inputs):
        return self.dense(self.probe(self.bn(inputs)))
""", """    def call(self, inputs):
        return self.dense(self.probe(self.bn(inputs)))
    def train_step(self, data):
        x, y = data
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(tf.square(self(x, training=True) - y))
        grads = tape.gradient(loss, self.trainable_variables)
        self.optimizer.apply_gradients(zip(grads, self.trainable_variables))
        return {"loss": loss}
""").replace("import numpy as np", "import numpy as np\nimport tensorflow as tf") + """
model = Net()
model.compile(optimizer="sgd", loss="mse")
Probe.seen.clear()
model.fit(x, y, epochs=1, verbose=0)
assert True in Probe.seen, f"train_step self(x, training=True): the sub-layers saw training={Probe.seen}"
assert not np.allclose(model.bn.moving_mean.numpy(), 0.0), "fit left the BatchNormalization moving mean at 0"
""")
case("KC210", "control:call-with-training", _KC210_NET.replace(
    "def call(self, inputs):", "def call(self, inputs, training=None):") + """
model = Net()
model.compile(optimizer="sgd", loss="mse")
Probe.seen.clear()
model.fit(x, y, epochs=1, verbose=0)
assert True in Probe.seen, f"fit: the sub-layers saw training={Probe.seen}"
""")

# ---- KC301 super-init-missing ---------------------------------------------------------------
case("KC301", "no-super-layer", """
import numpy as np

class Scale(keras.layers.Layer):
    def __init__(self, factor=2.0):
        self.factor = factor
    def call(self, x):
        return x * self.factor

layer = Scale()
layer(np.ones((1, 3), "float32"))
""")
case("KC301", "no-super-model", """
import numpy as np

class Net(keras.Model):
    def __init__(self):
        self.dense = keras.layers.Dense(2)
    def call(self, x):
        return self.dense(x)

model = Net()
model(np.ones((1, 3), "float32"))
""")
case("KC301", "misspelled-super-init/misspelled-init", """
class Net(keras.Model):
    def __init__(self, **kwargs):
        super().__init(**kwargs)
        self.dense = keras.layers.Dense(2)
    def call(self, x):
        return self.dense(x)

Net()
""")
case("KC301", "misspelled-super-init/tutorial-kwrags", """
class MyModel(keras.Model):
    def __init__(self, **kwargs):
        super(MyModel, self).__init(**kwrags)
        self.dense = keras.layers.Dense(2)
    def call(self, x):
        return self.dense(x)

MyModel()
""")
case("KC301", "self-passed-twice", """
class Scale(keras.layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(self, **kwargs)
    def call(self, x):
        return x

Scale()
""")
case("KC301", "misspelled-def/keyword", """
class Linear(keras.layers.Layer):
    def __int__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.units = units
    def call(self, x):
        return x

Linear(units=3)
""")
case("KC301", "misspelled-def/positional", """
class Linear(keras.layers.Layer):
    def __int__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.units = units
    def call(self, x):
        return x

Linear(3)
""")

# ---- KC302 / KC303 / KC304: the save-reload matrix ----------------------------------------------
_SCALE_BODY = """
    def build(self, input_shape):
        self.w = self.add_weight(name="w", shape=(self.channels,), initializer="ones")
    def call(self, x):
        return x * self.w
"""
_MERGED_GET_CONFIG = """
    def get_config(self):
        config = super().get_config()
        config.update({"channels": self.channels})
        return config
"""
_ONLY_OWN_GET_CONFIG = """
    def get_config(self):
        return {"channels": self.channels}
"""
_NO_RETURN_GET_CONFIG = """
    def get_config(self):
        config = super().get_config()
        config.update({"channels": self.channels})
"""


def _layer(init: str, get_config: str = "") -> str:
    return "import numpy as np\n\nclass Scale(keras.layers.Layer):\n" + init + _SCALE_BODY + get_config


_NO_KWARGS = """
    def __init__(self, channels):
        super().__init__()
        self.channels = channels
"""
_WITH_KWARGS = """
    def __init__(self, channels, **kwargs):
        super().__init__(**kwargs)
        self.channels = channels
"""
_KWARGS_DROPPED = """
    def __init__(self, channels, **kwargs):
        super().__init__()
        self.channels = channels
"""

# How each reload path is exercised; `make` builds the layer, `check(layer)` the reloaded one.
_RELOAD = {
    "keras": """
inp = keras.Input((3,))
model = keras.Model(inp, {make}(inp))
model.save("m.keras")
loaded = keras.models.load_model("m.keras", custom_objects={custom})
layer = loaded.layers[-1]
""",
    "h5": """
inp = keras.Input((3,))
model = keras.Model(inp, {make}(inp))
model.save("m.h5")
loaded = keras.models.load_model("m.h5", custom_objects={custom})
layer = loaded.layers[-1]
""",
    "from-config": """
original = {make}
layer = type(original).from_config(original.get_config())
""",
}


def _matrix(code: str, variant: str, classes: str, make: str, custom: str, check: str, paths: tuple) -> None:
    """One case per reload path."""
    for path in paths:
        source = classes + _RELOAD[path].format(make=make, custom=custom) + check
        case(code, f"{variant}/{path}", source)


_NAME_CHECK = """
assert layer.name == "frozen", f"reloaded as {layer.name!r}"
assert layer.trainable is False, "reloaded trainable"
"""

# KC302 (a): no **kwargs, Keras's own get_config.
_matrix("KC302", "no-kwargs+no-get-config", _layer(_NO_KWARGS), "Scale(3)", '{"Scale": Scale}',
        "assert layer.channels == 3\n", ("keras", "h5", "from-config"))
# KC302 (b): no **kwargs, a get_config that merges super().get_config().
_matrix("KC302", "no-kwargs+merged-get-config", _layer(_NO_KWARGS, _MERGED_GET_CONFIG), "Scale(3)",
        '{"Scale": Scale}', "assert layer.channels == 3\n", ("keras", "h5", "from-config"))
# KC302 (b'): no **kwargs, a get_config of its own only (KC302 stays silent, KC304 reports it).
_matrix("KC302", "no-kwargs+own-get-config", _layer(_NO_KWARGS, _ONLY_OWN_GET_CONFIG), "Scale(3)",
        '{"Scale": Scale}', "assert layer.channels == 3\n",
        ("keras", "from-config"))
# KC302: **kwargs accepted but not forwarded.
case("KC302", "kwargs-not-forwarded/construct", _layer(_KWARGS_DROPPED) + """
layer = Scale(3, name="frozen", trainable=False)
""" + _NAME_CHECK)
case("KC302", "kwargs-not-forwarded/dtype", _layer(_KWARGS_DROPPED) + """
layer = Scale(3, dtype="float64")
assert "float64" in str(layer.dtype), f"dtype is {layer.dtype}"
""")
case("KC302", "kwargs-routed-to-sublayer", """
import numpy as np

class Outer(keras.layers.Layer):
    def __init__(self, units, **kwargs):
        super().__init__()
        self.dense = keras.layers.Dense(units, **kwargs)
    def call(self, x):
        return self.dense(x)

layer = Outer(2, name="frozen", trainable=False)
layer(np.ones((1, 3), "float32"))
assert layer.name == "frozen", f"outer layer named {layer.name!r}, its Dense {layer.dense.name!r}"
""")
case("KC302", "undefined-splat", """
class Net(keras.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwrags)
    def call(self, x):
        return x

Net()
""")
# Control: **kwargs forwarded, Keras's own get_config.
_matrix("KC302", "control:kwargs+no-get-config", _layer(_WITH_KWARGS), 'Scale(3, name="frozen", trainable=False)',
        '{"Scale": Scale}', "assert layer.channels == 3\n" + _NAME_CHECK,
        ("keras", "h5", "from-config"))

# Model subclasses.
_NET_REQUIRED = """
import numpy as np

class Net(keras.Model):
    def __init__(self, num_classes, **kwargs):
        super().__init__(**kwargs)
        self.num_classes = num_classes
        self.dense = keras.layers.Dense(num_classes)
    def call(self, x):
        return self.dense(x)

model = Net(2)
model(np.ones((1, 3), "float32"))
"""
_NET_DEFAULTED = _NET_REQUIRED.replace("num_classes, **kwargs", "num_classes=5, **kwargs")
_NET_NO_KWARGS_MERGED = """
import numpy as np

class Net(keras.Model):
    def __init__(self, num_classes):
        super().__init__()
        self.num_classes = num_classes
        self.dense = keras.layers.Dense(num_classes)
    def call(self, x):
        return self.dense(x)
    def get_config(self):
        return {**super().get_config(), "num_classes": self.num_classes}

model = Net(2)
model(np.ones((1, 3), "float32"))
"""
_MODEL_RELOAD = {
    "save-keras": 'model.save("m.keras")\n',
    "keras": 'model.save("m.keras")\nloaded = keras.models.load_model("m.keras", custom_objects={"Net": Net})\n',
    "h5": 'model.save("m.h5")\nloaded = keras.models.load_model("m.h5", custom_objects={"Net": Net})\n',
    "from-config": "loaded = Net.from_config(model.get_config())\n",
}


def _model_matrix(code: str, variant: str, classes: str, check: str, paths: tuple) -> None:
    for path in paths:
        tail = _MODEL_RELOAD[path] + (check if path != "save-keras" else "")
        case(code, f"{variant}/{path}", classes + tail)


_MODEL_CHECK = """
assert loaded.num_classes == 2, f"reloaded with num_classes={loaded.num_classes}"
"""
# (No `.h5` here: tf_keras refuses to save any subclassed Model to HDF5, get_config or not.)
_model_matrix("KC303", "model-required-arg", _NET_REQUIRED, _MODEL_CHECK,
              ("save-keras", "keras", "from-config"))
_model_matrix("KC303", "model-defaulted-arg", _NET_DEFAULTED, _MODEL_CHECK,
              ("keras", "from-config"))
# A functional Model subclass (keras-resnet's style): its config is the graph, which
# holds none of the constructor's arguments. It saves, and the reload fails, on both.
_NET_FUNCTIONAL = """
import numpy as np

class Net(keras.Model):
    def __init__(self, inputs, num_classes=2, **kwargs):
        self.num_classes = num_classes
        super().__init__(inputs=inputs, outputs=keras.layers.Dense(num_classes)(inputs), **kwargs)

model = Net(keras.Input((3,)))
"""
_model_matrix("KC303", "functional-model-arg", _NET_FUNCTIONAL, _MODEL_CHECK, ("save-keras", "keras", "h5"))
_model_matrix("KC302", "model-no-kwargs+merged-get-config", _NET_NO_KWARGS_MERGED, _MODEL_CHECK,
              ("keras", "from-config"))
# No **kwargs, no get_config, only defaulted arguments: Keras 3's own config holds trainable
# and dtype, which the constructor cannot take back (tf_keras's auto-config records only
# the constructor's arguments). A required argument fails to save first (KC303).
_NET_NO_KWARGS_DEFAULTED = _NET_NO_KWARGS_MERGED.replace("num_classes):", "num_classes=5):").replace(
    """    def get_config(self):
        return {**super().get_config(), "num_classes": self.num_classes}
""", "")
_model_matrix("KC302", "model-no-kwargs+no-get-config", _NET_NO_KWARGS_DEFAULTED, _MODEL_CHECK,
              ("keras", "from-config"))
# The same as a functional Model subclass: Keras 3's functional config of the subclass is
# name/trainable/dtype, which the constructor cannot take.
_FUNCTIONAL_NO_KWARGS = """
class Net(keras.Model):
    def __init__(self, num_classes=5):
        inputs = keras.Input((3,))
        super().__init__(inputs=inputs, outputs=keras.layers.Dense(num_classes)(inputs))
        self.num_classes = num_classes

model = Net(2)
"""
_model_matrix("KC302", "functional-model-no-kwargs+no-get-config", _FUNCTIONAL_NO_KWARGS, _MODEL_CHECK,
              ("keras", "from-config"))

# KC303: a layer given a sub-layer or a config object.
_WRAP = """
import numpy as np

class Wrap(keras.layers.Layer):
    def __init__(self, inner, **kwargs):
        super().__init__(**kwargs)
        self.inner = inner
    def call(self, x):
        return self.inner(x)
"""
_WRAP_NAIVE_GET_CONFIG = """
    def get_config(self):
        return {**super().get_config(), "inner": self.inner}
"""
_CFG = """
import numpy as np

class BlockConfig:
    def __init__(self, units):
        self.units = units

class Block(keras.layers.Layer):
    def __init__(self, config, **kwargs):
        super().__init__(**kwargs)
        self.config = config
        self.dense = keras.layers.Dense(config.units)
    def call(self, x):
        return self.dense(x)
"""
_CFG_NAIVE_GET_CONFIG = """
    def get_config(self):
        return {**super().get_config(), "config": self.config}
"""
_SUB_CHECK = """
assert np.allclose(loaded(np.ones((1, 3), "float32")), model(np.ones((1, 3), "float32")))
"""
_SUB_RELOAD = {
    "save-keras": 'model.save("m.keras")\n',
    "keras": 'model.save("m.keras")\nloaded = keras.models.load_model("m.keras", custom_objects={custom})\n' + _SUB_CHECK,
    "save-h5": 'model.save("m.h5")\n',
    "h5": 'model.save("m.h5")\nloaded = keras.models.load_model("m.h5", custom_objects={custom})\n' + _SUB_CHECK,
    "get-config": "layer.get_config()\n",
    "from-config": "type(layer).from_config(layer.get_config())\n",
    # tf_keras still writes (and reloads) a TensorFlow SavedModel directory; Keras 3's
    # save() has no such format (KC507's ValueError).
    "save-dir": 'model.save("m_dir")\n',
    "dir": 'model.save("m_dir")\nloaded = keras.models.load_model("m_dir", custom_objects={custom})\n' + _SUB_CHECK,
}


def _sub_matrix(variant: str, classes: str, make: str, custom: str, paths: tuple) -> None:
    head = f"""
layer = {make}
inp = keras.Input((3,))
model = keras.Model(inp, layer(inp))
"""
    for path in paths:
        case("KC303", f"{variant}/{path}", classes + head + _SUB_RELOAD[path].format(custom=custom))


_ALL_SUB = ("save-keras", "keras", "save-h5", "h5", "get-config", "from-config")
_sub_matrix("sublayer-arg+no-get-config", _WRAP, "Wrap(keras.layers.Dense(2))", '{"Wrap": Wrap}',
            _ALL_SUB + ("save-dir", "dir"))
_sub_matrix("sublayer-arg+naive-get-config", _WRAP.rstrip() + "\n" + _WRAP_NAIVE_GET_CONFIG,
            "Wrap(keras.layers.Dense(2))", '{"Wrap": Wrap}', _ALL_SUB)
_sub_matrix("config-object-arg+no-get-config", _CFG, "Block(BlockConfig(2))",
            '{"Block": Block, "BlockConfig": BlockConfig}', _ALL_SUB)
# A namedtuple of plain values is recorded (as a list): the model saves, and the reload
# hands __init__ a list, whose attributes do not exist.
_NAMEDTUPLE_CFG = """
import collections
import numpy as np

BlockArgs = collections.namedtuple("BlockArgs", ["units", "rate"])

class Block(keras.layers.Layer):
    def __init__(self, block_args, **kwargs):
        super().__init__(**kwargs)
        self.dense = keras.layers.Dense(block_args.units)
    def call(self, x):
        return self.dense(x)
"""
for _path in ("save-keras", "keras", "save-h5", "h5"):
    case("KC303", f"config-object-arg+no-get-config/namedtuple-{_path}", _NAMEDTUPLE_CFG + """
layer = Block(BlockArgs(2, 0.1))
inp = keras.Input((3,))
model = keras.Model(inp, layer(inp))
""" + _SUB_RELOAD[_path].format(custom='{"Block": Block}'))
_sub_matrix("config-object-arg+naive-get-config", _CFG.rstrip() + "\n" + _CFG_NAIVE_GET_CONFIG,
            "Block(BlockConfig(2))", '{"Block": Block, "BlockConfig": BlockConfig}',
            _ALL_SUB)
# A Model subclass given a sub-layer: tf_keras writes a .keras file with an empty config
# and fails to reload it; .h5 refuses every subclassed model (not this rule's finding).
_WRAP_NET = """
import numpy as np

class WrapNet(keras.Model):
    def __init__(self, inner, **kwargs):
        super().__init__(**kwargs)
        self.inner = inner
    def call(self, x):
        return self.inner(x)

model = WrapNet(keras.layers.Dense(2))
model(np.ones((1, 3), "float32"))
"""
for _path in ("save-keras", "keras", "save-dir", "dir"):
    case("KC303", f"model-sublayer-arg+no-get-config/{_path}",
         _WRAP_NET + _SUB_RELOAD[_path].format(custom='{"WrapNet": WrapNet}'))

_ACT_DEFAULT = """
import numpy as np

class Act(keras.layers.Layer):
    def __init__(self, activation=keras.activations.relu, **kwargs):
        super().__init__(**kwargs)
        self.activation = activation
    def call(self, x):
        return self.activation(x)
"""
_sub_matrix("function-default-not-passed", _ACT_DEFAULT, "Act()", '{"Act": Act}',
            ("save-keras", "keras", "save-h5", "from-config"))
_sub_matrix("control:plain-args+no-get-config", _layer(_WITH_KWARGS), "Scale(3)", '{"Scale": Scale}',
            ("save-keras", "keras", "save-h5", "h5", "from-config"))

# KC304: get_config that drops the base entries, or returns None.
_matrix("KC304", "own-entries-only", _layer(_WITH_KWARGS, _ONLY_OWN_GET_CONFIG),
        'Scale(3, name="frozen", trainable=False)', '{"Scale": Scale}', _NAME_CHECK,
        ("keras", "h5", "from-config"))
# ... and each base entry on its own (the checks above stop at the name).
_TRAINABLE_CHECK = """
original = Scale(3, trainable=False)
layer = Scale.from_config(original.get_config())
assert layer.trainable is False, "reloaded trainable"
"""
_DTYPE_CHECK = """
original = Scale(3, dtype="float64")
layer = Scale.from_config(original.get_config())
assert layer.dtype == "float64", f"reloaded with dtype {layer.dtype}"
"""
case("KC304", "own-entries-only/trainable", _layer(_WITH_KWARGS, _ONLY_OWN_GET_CONFIG) + _TRAINABLE_CHECK)
case("KC304", "own-entries-only/dtype", _layer(_WITH_KWARGS, _ONLY_OWN_GET_CONFIG) + _DTYPE_CHECK)
for _entry, _check in (("trainable", _TRAINABLE_CHECK), ("dtype", _DTYPE_CHECK)):
    case("KC304", f"control:merged/{_entry}", _layer(_WITH_KWARGS, _MERGED_GET_CONFIG) + _check)
_matrix("KC304", "control:merged", _layer(_WITH_KWARGS, _MERGED_GET_CONFIG),
        'Scale(3, name="frozen", trainable=False)', '{"Scale": Scale}', _NAME_CHECK,
        ("keras", "h5", "from-config"))
# A functional Model subclass has no use for dtype: Keras 3 ignores it (the policy stays
# float32), tf_keras does not take it; a config without it loses nothing.
case("KC304", "control:functional-model/dtype", """
class Net(keras.Model):
    def __init__(self, units=3, **kwargs):
        inputs = keras.Input((3,))
        super().__init__(inputs=inputs, outputs=keras.layers.Dense(units)(inputs), **kwargs)
        self.units = units

    def get_config(self):
        return {"name": self.name, "trainable": self.trainable, "units": self.units}

original = Net(3, dtype="float16") if keras.__version__.startswith("3") else Net(3)
model = Net.from_config(original.get_config())
assert model.dtype_policy.name == original.dtype_policy.name == "float32", model.dtype_policy.name
""")
case("KC304", "no-return/save-keras", _layer(_WITH_KWARGS, _NO_RETURN_GET_CONFIG) + """
inp = keras.Input((3,))
model = keras.Model(inp, Scale(3)(inp))
model.save("m.keras")
""")
case("KC304", "no-return/save-h5", _layer(_WITH_KWARGS, _NO_RETURN_GET_CONFIG) + """
inp = keras.Input((3,))
model = keras.Model(inp, Scale(3)(inp))
model.save("m.h5")
""")
case("KC304", "no-return/from-config", _layer(_WITH_KWARGS, _NO_RETURN_GET_CONFIG) + """
layer = Scale(3)
Scale.from_config(layer.get_config())
""")

# Control for the Model rows: the same Model with a get_config of its own.
_NET_WITH_GET_CONFIG = _NET_REQUIRED.replace("""    def call(self, x):
        return self.dense(x)
""", """    def call(self, x):
        return self.dense(x)
    def get_config(self):
        return {**super().get_config(), "num_classes": self.num_classes}
""")
_model_matrix("KC303", "control:model-required-arg+get-config", _NET_WITH_GET_CONFIG, _MODEL_CHECK,
              ("keras", "from-config"))
_model_matrix("KC303", "control:model-defaulted-arg+get-config",
              _NET_WITH_GET_CONFIG.replace("num_classes, **kwargs", "num_classes=5, **kwargs"), _MODEL_CHECK,
              ("keras", "from-config"))

# ---- KC305 serializable-not-registered (begin) --------------------------------------------------
# Each program keeps its classes in a module that can be imported (as a project's are):
# tf_keras imports a class's module to find a class that is not registered, Keras 3 does
# not. The module has a name of its own per case, so no case finds another's classes.
def _kc305_module(name: str) -> str:
    return f"""
import sys
import types

import numpy as np

__name__ = "kc305_{name}"
sys.modules[__name__] = _module = types.ModuleType(__name__)
"""


_KC305_SCALE = """
class Scale(keras.layers.Layer):
    def __init__(self, factor=2.0, **kwargs):
        super().__init__(**kwargs)
        self.factor = factor
    def call(self, x):
        return x * self.factor
    def get_config(self):
        return {**super().get_config(), "factor": self.factor}
"""
_KC305_NET = """
class Net(keras.Model):
    def __init__(self, units=2, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.dense = keras.layers.Dense(units)
    def call(self, x):
        return self.dense(x)
    def get_config(self):
        return {**super().get_config(), "units": self.units}
"""
_KC305_LOSS = """
class SquaredError(keras.losses.Loss):
    def call(self, y_true, y_pred):
        return (y_true - y_pred) ** 2
"""
_KC305_METRIC = """
class Batches(keras.metrics.Metric):
    def __init__(self, name="batches", **kwargs):
        super().__init__(name=name, **kwargs)
        self.count = self.add_weight(name="count", initializer="zeros")
    def update_state(self, y_true, y_pred, sample_weight=None):
        self.count.assign_add(1.0)
    def result(self):
        return self.count
"""
_KC305_PUBLISH = "\nvars(_module).update(globals())\n"
_KC305_FUNCTIONAL = """
inp = keras.Input((3,))
model = keras.Model(inp, Scale()(inp))
"""
_KC305_SEQUENTIAL = """
model = keras.Sequential([keras.Input((3,)), Scale()])
"""
_KC305_SUBCLASSED = """
model = Net()
model(np.ones((1, 3), "float32"))
"""
_KC305_COMPILED = {
    "loss": """
inp = keras.Input((3,))
model = keras.Model(inp, keras.layers.Dense(2)(inp))
model.compile(optimizer="sgd", loss=SquaredError())
model.fit(np.ones((4, 3), "float32"), np.zeros((4, 2), "float32"), verbose=0)
""",
    "metric": """
inp = keras.Input((3,))
model = keras.Model(inp, keras.layers.Dense(2)(inp))
model.compile(optimizer="sgd", loss="mean_squared_error", metrics=[Batches()])
model.fit(np.ones((4, 3), "float32"), np.zeros((4, 2), "float32"), verbose=0)
""",
}
_KC305_SAME = """
x = np.ones((1, 3), "float32")
assert np.allclose(loaded.predict(x, verbose=0), model.predict(x, verbose=0)), "the reloaded model computes something else"
"""


def _kc305(variant: str, classes: str, build: str, tail: str) -> None:
    name = re.sub(r"\W", "_", variant)
    case("KC305", variant, _kc305_module(name) + classes + _KC305_PUBLISH + build + tail)


def _save_load(path: str, options: str = "") -> str:
    return f'model.save("{path}")\nloaded = keras.models.load_model("{path}"{options})\n'


# Keras 3 cannot write a SavedModel directory (KC507); tf_keras cannot write a subclassed
# model to .h5 (NotImplementedError at save, whatever the registration): those paths run
# on the other Keras only.
def _only_on(major: str, statements: str) -> str:
    body = "".join(f"    {line}\n" for line in statements.strip().splitlines())
    return f'if keras.__version__.startswith("{major}"):\n{body}'


_kc305("layer+keras-file/functional", _KC305_SCALE, _KC305_FUNCTIONAL, _save_load("m.keras"))
_kc305("layer+keras-file/sequential", _KC305_SCALE, _KC305_SEQUENTIAL, _save_load("m.keras"))
_kc305("layer+h5-file/functional", _KC305_SCALE, _KC305_FUNCTIONAL, _save_load("m.h5"))
_kc305("layer+h5-file/sequential", _KC305_SCALE, _KC305_SEQUENTIAL, _save_load("m.h5"))
# tf_keras revives the layer from the saved graph (a generic layer that computes the same).
_kc305("control:layer+savedmodel-dir", _KC305_SCALE, _KC305_FUNCTIONAL,
       _only_on("2", _save_load("m_dir") + _KC305_SAME))
_kc305("model+keras-file/subclassed", _KC305_NET, _KC305_SUBCLASSED, _save_load("m.keras"))
_kc305("model+h5-file/subclassed", _KC305_NET, _KC305_SUBCLASSED, _only_on("3", _save_load("m.h5")))
_kc305("control:model+savedmodel-dir", _KC305_NET, _KC305_SUBCLASSED,
       _only_on("2", _save_load("m_dir") + _KC305_SAME))
# Keras 3 reloads a custom metric from .h5 without it: the first evaluate (or fit) fails.
_KC305_EVALUATE = 'loaded.evaluate(np.ones((4, 3), "float32"), np.zeros((4, 2), "float32"), verbose=0)\n'
for _kind, _classes in (("loss", _KC305_LOSS), ("metric", _KC305_METRIC)):
    _build = _KC305_COMPILED[_kind]
    _kc305(f"loss-or-metric+keras-file/{_kind}", _classes, _build, _save_load("m.keras") + _KC305_EVALUATE)
    _kc305(f"loss-or-metric+h5-file/{_kind}", _classes, _build, _save_load("m.h5") + _KC305_EVALUATE)
    _kc305(f"loss-or-metric+savedmodel-dir/{_kind}", _classes, _build,
           _only_on("2", _save_load("m_dir") + _KC305_EVALUATE))
    # compile=False: the loss and metrics are not rebuilt.
    _kc305(f"control:loss-or-metric+h5-file/compile-false/{_kind}", _classes, _build,
           _save_load("m.h5", ", compile=False"))

# The ways to tell Keras the class: registered, custom_objects, a scope, the global dict.
_kc305("control:registered", '\n@keras.saving.register_keras_serializable(package="kc305")' + _KC305_SCALE,
       _KC305_FUNCTIONAL, _save_load("m.keras") + _KC305_SAME)
_kc305("control:custom-objects", _KC305_SCALE, _KC305_FUNCTIONAL,
       _save_load("m.keras", ', custom_objects={"Scale": Scale}') + _KC305_SAME)
_kc305("control:custom-object-scope", _KC305_SCALE, _KC305_FUNCTIONAL, """
model.save("m.keras")
with keras.saving.custom_object_scope({"Scale": Scale}):
    loaded = keras.models.load_model("m.keras")
""" + _KC305_SAME)
# (A name of its own: the global dict outlives the case.)
_kc305("control:get-custom-objects", _KC305_SCALE.replace("Scale", "GloballyKnownScale"), """
keras.saving.get_custom_objects()["GloballyKnownScale"] = GloballyKnownScale
inp = keras.Input((3,))
model = keras.Model(inp, GloballyKnownScale()(inp))
""", _save_load("m.keras") + _KC305_SAME)
# Saved, never loaded: nothing fails.
_kc305("control:saved-only", _KC305_SCALE, _KC305_FUNCTIONAL, 'model.save("m.keras")\n')
# A layer built inside a registered model's body is rebuilt by running that body.
_kc305("control:inner-layer", _KC305_SCALE + '\n@keras.saving.register_keras_serializable(package="kc305")'
       + _KC305_NET.replace("self.dense(x)", "self.dense(self.scale(x))").replace(
           "self.dense = keras.layers.Dense(units)", "self.dense = keras.layers.Dense(units)\n        self.scale = Scale()"),
       _KC305_SUBCLASSED, _save_load("m.keras") + _KC305_SAME)
# ---- KC305 (end) ---------------------------------------------------------------------------------

# ---- KC401 sequential-not-linear --------------------------------------------------------------
case("KC401", "list-layer-inside/concatenate-after-dense", """
model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2), keras.layers.Concatenate()])
""")
case("KC401", "list-layer-inside/add-after-dense-no-input", """
import numpy as np
model = keras.Sequential([keras.layers.Dense(2), keras.layers.Add()])
model(np.ones((1, 3), "float32"))
""")
case("KC401", "list-layer-inside/attention-after-dense", """
model = keras.Sequential([keras.Input((4, 3)), keras.layers.Dense(2), keras.layers.Attention()])
""")
case("KC401", "list-layer-inside/model-add-concatenate", """
model = keras.Sequential()
model.add(keras.Input((3,)))
model.add(keras.layers.Dense(2))
model.add(keras.layers.Concatenate())
""")
case("KC401", "several-inputs/call", """
import numpy as np
model = keras.Sequential([keras.layers.Dense(2)])
model([np.ones((1, 3), "float32"), np.ones((1, 3), "float32")])
""")
case("KC401", "several-inputs/fit", """
import numpy as np
model = keras.Sequential([keras.layers.Dense(1)])
model.compile(optimizer="sgd", loss="mse")
model.fit([np.ones((4, 3), "float32"), np.ones((4, 3), "float32")], np.zeros((4, 1), "float32"), epochs=1, verbose=0)
""")
case("KC401", "control:concatenate-first", """
import numpy as np
model = keras.Sequential([keras.layers.Concatenate(), keras.layers.Dense(2)])
model([np.ones((1, 3), "float32"), np.ones((1, 3), "float32")])
""")

# ---- KC402 input-shape-not-tuple --------------------------------------------------------------
case("KC402", "input-shape/keyword", "keras.Input(shape=3)\n")
case("KC402", "input-shape/positional", "keras.Input(3)\n")
case("KC402", "input-batch-shape", "keras.Input(batch_shape=8)\n")
case("KC402", "input-shape/numpy-int", """
import numpy as np
x_train = np.zeros((10, 3))
keras.Input(shape=x_train.shape[1])
""")
case("KC402", "inputlayer-input-shape/keyword", "keras.layers.InputLayer(input_shape=3)\n")
case("KC402", "inputlayer-shape", "keras.layers.InputLayer(shape=3)\n")
case("KC402", "inputlayer-input-shape/positional", "keras.layers.InputLayer(3)\n")
case("KC402", "inputlayer-batch-shape", "keras.layers.InputLayer(batch_shape=8)\n")
case("KC402", "inputlayer-batch-input-shape", "keras.layers.InputLayer(batch_input_shape=8)\n")
case("KC402", "layer-input-shape", """
import numpy as np
model = keras.Sequential([keras.layers.Dense(2, input_shape=3)])
model(np.ones((1, 3), "float32"))
""")
case("KC402", "layer-batch-input-shape", """
model = keras.Sequential([keras.layers.Dense(2, batch_input_shape=3)])
""")

# ---- KC403 mixed-keras-namespaces: this Keras next to tf.keras (Keras 3 on TF 2.21) ---------------
case("KC403", "two-libraries/sequential-of-tf-keras-layer", """
import tensorflow as tf
keras.Sequential([keras.Input((3,)), tf.keras.layers.Dense(2)])
""")
case("KC403", "two-libraries/tf-keras-sequential-of-this-layer", """
import tensorflow as tf
tf.keras.Sequential([tf.keras.Input((3,)), keras.layers.Dense(2)])
""")
case("KC403", "two-libraries/model-subclass", """
import numpy as np
import tensorflow as tf

class Net(keras.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.dense = tf.keras.layers.Dense(1)
    def call(self, x):
        return self.dense(x)

model = Net()
model.compile(optimizer="sgd", loss="mse")
model.fit(np.ones((4, 3), "float32"), np.zeros((4, 1), "float32"), epochs=1, verbose=0)
""")
case("KC403", "two-libraries/functional", """
import tensorflow as tf
import numpy as np
inp = keras.Input((3,))
model = keras.Model(inp, tf.keras.layers.Dense(1)(inp))
model.compile(optimizer="sgd", loss="mse")
model.fit(np.ones((4, 3), "float32"), np.zeros((4, 1), "float32"), epochs=1, verbose=0)
assert len(model.trainable_weights) == 2, f"{len(model.trainable_weights)} trainable weights"
""")
case("KC403", "two-libraries/optimizer", """
import numpy as np
import tensorflow as tf
model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
model.compile(optimizer=tf.keras.optimizers.Adam(), loss="mse")
model.fit(np.ones((4, 3), "float32"), np.zeros((4, 1), "float32"), epochs=1, verbose=0)
""")

# ---- KC404 private-keras-import ------------------------------------------------------------------
# A case's `from keras...` imports from the package its `keras` is (tf_keras for Keras 2): the
# runner maps them, as they resolve in a program whose `keras` is that Keras.
case("KC404", "engine/module", """
from keras.engine import base_layer
""")
case("KC404", "engine/name", """
from keras.engine.base_layer import Layer
""")
case("KC404", "engine/plain-import", """
import keras.engine.training
""")
case("KC404", "engine/attribute", """
class Old(keras.engine.base_layer.Layer):
    pass
""")
case("KC404", "engine/reraised", """
try:
    from keras.engine.base_layer import Layer
except ImportError as error:
    raise ImportError("this code needs Keras 2.12 or older") from error
""")
case("KC404", "control:engine-fallback", """
try:
    from keras.engine.base_layer import Layer
except ImportError:
    from keras.layers import Layer

class Mine(Layer):
    pass

Mine()
""")
case("KC404", "control:engine-as-fallback", """
try:
    from keras.layers import Layer
except ImportError:  # Keras 2.12 and older
    from keras.engine.base_layer import Layer

class Mine(Layer):
    pass

Mine()
""")
case("KC404", "control:engine-version-test", """
major, minor = (int(part) for part in keras.__version__.split(".")[:2])
if (major, minor) < (2, 13):
    from keras.engine.base_layer import Layer
else:
    from keras.layers import Layer
Layer
""")
case("KC404", "src-keras2-only/engine", """
from keras.src.engine.base_layer import Layer
""")
case("KC404", "src-keras2-only/module-as-name", """
from keras.src.utils import generic_utils
generic_utils.to_snake_case("Dense")
""")
case("KC404", "src-keras2-only/conv-utils", """
from keras.src.utils.conv_utils import normalize_tuple
normalize_tuple(3, 2, "kernel_size")
""")
case("KC404", "src-keras3-only/testing", """
from keras.src.testing import TestCase
""")
case("KC404", "src-keras3-only/ops", """
from keras.src import ops
""")
case("KC404", "src-keras3-only/argument-validation", """
from keras.src.utils.argument_validation import standardize_tuple
""")
case("KC404", "src/layers", """
from keras.src.layers import Dense
Dense(2)
""")
case("KC404", "src/imagenet-utils", """
from keras.src.applications.imagenet_utils import correct_pad, obtain_input_shape
""")
case("KC404", "src/attribute", """
store = keras.src.saving.saving_lib.H5IOStore
""")
case("KC404", "private-tf-keras/import", """
from keras._tf_keras.keras import layers
""")
case("KC404", "tensorflow-python-keras-layer/import", """
from tensorflow.python.keras import layers as legacy_layers
legacy_layers.Dense(1)
""")
case("KC404", "tensorflow-python-keras-layer/sequential", """
import numpy as np
from tensorflow.python.keras import layers as legacy_layers
model = keras.Sequential([keras.Input((3,)), legacy_layers.Dense(1)])
model.compile(optimizer="sgd", loss="mse")
model.fit(np.ones((4, 3), "float32"), np.zeros((4, 1), "float32"), epochs=1, verbose=0)
assert len(model.trainable_weights) == 2, f"{len(model.trainable_weights)} trainable weights"
""")
case("KC404", "tensorflow-python-keras-layer/functional", """
import numpy as np
from tensorflow.python.keras import layers as legacy_layers
inputs = keras.Input((3,))
model = keras.Model(inputs, legacy_layers.Dense(1)(inputs))
model.compile(optimizer="sgd", loss="mse")
model.fit(np.ones((4, 3), "float32"), np.zeros((4, 1), "float32"), epochs=1, verbose=0)
assert len(model.trainable_weights) == 2, f"{len(model.trainable_weights)} trainable weights"
""")
case("KC404", "tensorflow-python-keras-layer/subclass-weights", """
import numpy as np
from tensorflow.python.keras.engine.base_layer import Layer

class Scale(Layer):
    def build(self, input_shape):
        self.w = self.add_weight(name="w", shape=(1,), initializer="ones")
    def call(self, inputs):
        return inputs * self.w

inputs = keras.Input((3,))
model = keras.Model(inputs, keras.layers.Dense(1)(Scale()(inputs)))
model.compile(optimizer="sgd", loss="mse")
model.fit(np.ones((4, 3), "float32"), np.zeros((4, 1), "float32"), epochs=1, verbose=0)
assert len(model.trainable_weights) == 3, f"{len(model.trainable_weights)} trainable weights"
""")
case("KC404", "tensorflow-python-keras-layer/whole-copy", """
from tensorflow.python import keras as legacy
model = keras.Sequential([keras.Input((3,)), legacy.layers.Dense(1)])
""")
case("KC404", "tensorflow-python-keras-layer/guarded-import", """
try:
    from tensorflow.python.keras import layers as legacy_layers
except ImportError:
    legacy_layers = keras.layers
model = keras.Sequential([keras.Input((3,)), legacy_layers.Dense(1)])
""")
case("KC404", "tensorflow-python-keras-model/fit", """
import numpy as np
from tensorflow.python.keras import models as legacy_models
from tensorflow.python.keras.layers import Dense
model = legacy_models.Sequential([Dense(1, input_shape=(3,))])
model.compile(optimizer="sgd", loss="mse")
model.fit(np.ones((4, 3), "float32"), np.zeros((4, 1), "float32"), epochs=1, verbose=0)
""")
case("KC404", "tensorflow-python-keras-optimizer/compile", """
import numpy as np
from tensorflow.python.keras.optimizer_v2.adam import Adam
model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
model.compile(optimizer=Adam(), loss="mse")
model.fit(np.ones((4, 3), "float32"), np.zeros((4, 1), "float32"), epochs=1, verbose=0)
""")
case("KC404", "control:tensorflow-python-keras-helper", """
import numpy as np
from tensorflow.python.keras.utils import conv_utils
size = conv_utils.normalize_tuple(3, 2, "kernel_size")
keras.layers.Conv2D(4, size)(np.ones((1, 8, 8, 3), "float32"))
""")
case("KC404", "control:tensorflow-python-keras-backend", """
import numpy as np
from tensorflow.python.keras import backend as K
assert K.int_shape(keras.layers.Dense(2)(np.ones((1, 3), "float32"))) == (1, 2)
""")
case("KC404", "control:tensorflow-python-keras-callback", """
import numpy as np
from tensorflow.python.keras.callbacks import EarlyStopping
model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
model.compile(optimizer="sgd", loss="mse")
model.fit(np.ones((4, 3), "float32"), np.zeros((4, 1), "float32"), epochs=2, verbose=0,
          callbacks=[EarlyStopping(monitor="loss")])
""")
case("KC404", "control:tensorflow-python-keras-loss", """
import numpy as np
from tensorflow.python.keras.losses import MeanSquaredError
model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
model.compile(optimizer="sgd", loss=MeanSquaredError())
model.fit(np.ones((4, 3), "float32"), np.zeros((4, 1), "float32"), epochs=1, verbose=0)
""")
case("KC404", "control:tensorflow-python-keras-fallback", """
try:
    from tensorflow.keras.layers import Dense
except ImportError:  # TensorFlow 1
    from tensorflow.python.keras.layers import Dense
Dense(1)
""")
case("KC404", "control:tf-keras-src", """
from tf_keras.src.engine import base_layer
base_layer.Layer
""")


# ==== issue 15: KC211, KC212, KC405, KC406 (begin) ==============================================
# ---- KC211 numpy-in-call --------------------------------------------------------------------
_KC211_LAYER = """
import numpy as np

class Scale(keras.layers.Layer):
    def call(self, inputs):
        return inputs * float(inputs.numpy().mean())
"""
_KC211_MODEL = """
import numpy as np

class Net(keras.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.dense = keras.layers.Dense(1)
    def call(self, inputs):
        scale = {scale}
        return self.dense(inputs) * scale
"""
_KC211_FIT = """
model = Net()
model.compile(optimizer="sgd", loss="mse")
model.fit(np.ones((4, 3), "float32"), np.zeros((4, 1), "float32"), epochs=1, verbose=0)
"""
case("KC211", "numpy-method/functional", _KC211_LAYER + """
inputs = keras.Input((3,))
keras.Model(inputs, Scale()(inputs))
""")
case("KC211", "numpy-method/predict", _KC211_LAYER + """
model = keras.Sequential([keras.Input((3,)), Scale()])
model.predict(np.ones((2, 3), "float32"), verbose=0)
""")
case("KC211", "numpy-method/fit", _KC211_MODEL.format(scale="inputs.numpy().mean()") + _KC211_FIT)
case("KC211", "numpy-method/sublayer-output", """
import numpy as np

class Block(keras.layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.dense = keras.layers.Dense(3)
    def call(self, inputs):
        hidden = self.dense(inputs)
        return hidden * float(hidden.numpy().mean())

inputs = keras.Input((3,))
keras.Model(inputs, Block()(inputs))
""")
case("KC211", "numpy-function/functional", """
import numpy as np

class Center(keras.layers.Layer):
    def call(self, inputs):
        return inputs - np.mean(inputs)

inputs = keras.Input((3,))
keras.Model(inputs, Center()(inputs))
""")
case("KC211", "numpy-function/fit", _KC211_MODEL.format(scale="float(np.asarray(inputs).mean())") + _KC211_FIT)
case("KC211", "control:numpy-on-shape", """
import numpy as np

class Normalize(keras.layers.Layer):
    def call(self, inputs):
        return inputs / np.sqrt(inputs.shape[-1])

model = keras.Sequential([keras.Input((3,)), Normalize()])
model.compile(optimizer="sgd", loss="mse")
model.fit(np.ones((4, 3), "float32"), np.zeros((4, 3), "float32"), epochs=1, verbose=0)
""")
case("KC211", "control:executing-eagerly", """
import numpy as np
import tensorflow as tf

class Trace(keras.layers.Layer):
    def call(self, inputs):
        if tf.executing_eagerly():
            print(inputs.numpy().mean())
        return inputs * 2.0

model = keras.Sequential([keras.Input((3,)), Trace()])
model.compile(optimizer="sgd", loss="mse")
model.fit(np.ones((4, 3), "float32"), np.zeros((4, 3), "float32"), epochs=1, verbose=0)
""")

# ---- KC212 tf-function-on-model-call ----------------------------------------------------------
_KC212_MODEL = """
import numpy as np
import tensorflow as tf

class Net(keras.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.dense = keras.layers.Dense(1)
    @tf.function
    def call(self, inputs):
        return self.dense(inputs)
"""
case("KC212", "sublayers-built-in-trace/fit", _KC212_MODEL + """
model = Net()
model.compile(optimizer="sgd", loss="mse")
model.fit(np.ones((4, 3), "float32"), np.zeros((4, 1), "float32"), epochs=1, verbose=0)
""")
case("KC212", "sublayers-built-in-trace/functional", _KC212_MODEL + """
inputs = keras.Input((3,))
model = keras.Model(inputs, Net()(inputs))
model.compile(optimizer="sgd", loss="mse")
model.fit(np.ones((4, 3), "float32"), np.zeros((4, 1), "float32"), epochs=1, verbose=0)
""")
case("KC212", "sublayers-built-in-trace/gradient-tape", _KC212_MODEL + """
model = Net()
x = np.ones((4, 3), "float32")
model(x)
with tf.GradientTape() as tape:
    loss = tf.reduce_mean(model(x) ** 2)
gradients = tape.gradient(loss, model.trainable_variables)
assert all(g is not None for g in gradients), f"gradients: {gradients}"
""")
case("KC212", "sublayers-built-in-trace/layer-in-functional", """
import numpy as np
import tensorflow as tf

class Block(keras.layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.dense = keras.layers.Dense(1)
    @tf.function
    def call(self, inputs):
        return self.dense(inputs)

inputs = keras.Input((3,))
model = keras.Model(inputs, Block()(inputs))
model.compile(optimizer="sgd", loss="mse")
model.fit(np.ones((4, 3), "float32"), np.zeros((4, 1), "float32"), epochs=1, verbose=0)
""")
case("KC212", "sublayers-built-in-trace/layer-with-own-build", """
import numpy as np
import tensorflow as tf

class Block(keras.layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.dense = keras.layers.Dense(1)
    def build(self, input_shape):
        super().build(input_shape)
    @tf.function
    def call(self, inputs):
        return self.dense(inputs)

inputs = keras.Input((3,))
model = keras.Model(inputs, Block()(inputs))
model.compile(optimizer="sgd", loss="mse")
model.fit(np.ones((4, 3), "float32"), np.zeros((4, 1), "float32"), epochs=1, verbose=0)
""")
case("KC212", "control:model-defines-build", """
import numpy as np
import tensorflow as tf

class Net(keras.Model):
    def build(self, input_shape):
        self.hidden = keras.layers.Dense(4)
        self.head = keras.layers.Dense(1)
        super().build(input_shape)
    @tf.function(input_signature=[tf.TensorSpec(shape=[None, 3], dtype=tf.float32)])
    def call(self, inputs):
        return self.head(self.hidden(inputs))

model = Net()
model.compile(optimizer="sgd", loss="mse")
model.fit(np.ones((4, 3), "float32"), np.ones((4, 1), "float32"), epochs=1, verbose=0)
before = model.head.bias.numpy().copy()  # the bias always gets a gradient here
model.fit(np.ones((4, 3), "float32"), np.ones((4, 1), "float32"), epochs=1, verbose=0)
assert not np.allclose(before, model.head.bias.numpy()), "fit did not train the model"
""")
case("KC212", "control:built-by-itself", """
import numpy as np
import tensorflow as tf

class Net(keras.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.dense = keras.layers.Dense(1)
        self(tf.zeros((1, 3)))
    @tf.function
    def call(self, inputs):
        return self.dense(inputs)

model = Net()
model.compile(optimizer="sgd", loss="mse")
model.fit(np.ones((4, 3), "float32"), np.ones((4, 1), "float32"), epochs=1, verbose=0)
before = model.dense.kernel.numpy().copy()
model.fit(np.ones((4, 3), "float32"), np.ones((4, 1), "float32"), epochs=1, verbose=0)
assert not np.allclose(before, model.dense.kernel.numpy()), "fit did not train the model"
""")
case("KC212", "control:weights-made-in-build", """
import numpy as np
import tensorflow as tf

class Linear(keras.layers.Layer):
    def build(self, input_shape):
        self.w = self.add_weight(name="w", shape=(input_shape[-1], 1), initializer="ones")
    @tf.function
    def call(self, inputs):
        return tf.matmul(inputs, self.w)

model = keras.Sequential([keras.Input((3,)), Linear()])
model.compile(optimizer="sgd", loss="mse")
before = model.trainable_weights[0].numpy().copy()
model.fit(np.ones((4, 3), "float32"), np.zeros((4, 1), "float32"), epochs=1, verbose=0)
assert not np.allclose(before, model.trainable_weights[0].numpy()), "fit did not train the layer"
""")
case("KC212", "control:sublayers-built-in-build", """
import numpy as np
import tensorflow as tf

class Net(keras.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.dense = keras.layers.Dense(1)
    def build(self, input_shape):
        self.dense.build(input_shape)
    @tf.function
    def call(self, inputs):
        return self.dense(inputs)

model = Net()
model.compile(optimizer="sgd", loss="mse")
model.fit(np.ones((4, 3), "float32"), np.zeros((4, 1), "float32"), epochs=1, verbose=0)
before = model.dense.kernel.numpy().copy()
model.fit(np.ones((4, 3), "float32"), np.ones((4, 1), "float32"), epochs=1, verbose=0)
assert not np.allclose(before, model.dense.kernel.numpy()), "fit did not train the model"
""")

# ---- KC405 slash-in-layer-name -----------------------------------------------------------------
case("KC405", "slash/layer", 'keras.layers.Dense(4, name="block1/dense")\n')
case("KC405", "slash/input", 'keras.Input((3,), name="image/input")\n')
case("KC405", "slash/sequential", 'keras.Sequential([keras.layers.Dense(1)], name="heads/regression")\n')
case("KC405", "slash/functional-model", """
inputs = keras.Input((3,))
keras.Model(inputs, keras.layers.Dense(1)(inputs), name="tower/a")
""")
case("KC405", "slash/f-string", """
stage = 2
keras.layers.Conv2D(8, 3, name=f"stage{stage}/conv")
""")
case("KC405", "slash/concatenation", """
prefix = "encoder"
keras.layers.LayerNormalization(name=prefix + "/norm")
""")
case("KC405", "slash/super-init", """
class Block(keras.layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(name="blocks/block", **kwargs)

Block()
""")
case("KC405", "slash/add-weight", """
import numpy as np

class Scale(keras.layers.Layer):
    def build(self, input_shape):
        self.scale = self.add_weight(name="scale/gamma", shape=(1,), initializer="ones")
    def call(self, inputs):
        return inputs * self.scale

Scale()(np.ones((1, 2), "float32"))
""")
case("KC405", "slash/fit-save-reload", """
import numpy as np
inputs = keras.Input((3,))
model = keras.Model(inputs, keras.layers.Dense(1, name="head/dense")(inputs))
model.compile(optimizer="sgd", loss="mse")
model.fit(np.ones((4, 3), "float32"), np.zeros((4, 1), "float32"), epochs=1, verbose=0)
model.save("model.h5")
reloaded = keras.models.load_model("model.h5")
assert reloaded.get_layer("head/dense").kernel.shape == (3, 1)
""")
case("KC405", "control:underscore", 'keras.layers.Dense(4, name="block1_dense")\n')

# ---- KC406 sequential-io-before-build ------------------------------------------------------------
_KC406_NO_INPUT = """
model = keras.Sequential([keras.layers.Dense(4, name="hidden"), keras.layers.Dense(1)])
"""
case("KC406", "model-io/functional", _KC406_NO_INPUT + "keras.Model(model.inputs, model.outputs)\n")
case("KC406", "model-io/first-input", _KC406_NO_INPUT + "model.inputs[0]\n")
case("KC406", "model-io/added-layers", """
model = keras.Sequential()
model.add(keras.layers.Dense(4))
model.add(keras.layers.Dense(1))
model.outputs[0]
""")
case("KC406", "layer-io/indexed", _KC406_NO_INPUT + "model.layers[0].output\n")
case("KC406", "layer-io/get-layer", _KC406_NO_INPUT + 'model.get_layer("hidden").output\n')
case("KC406", "layer-io/every-layer", _KC406_NO_INPUT + "[layer.output for layer in model.layers]\n")
case("KC406", "layer-io/last-input", _KC406_NO_INPUT + "model.layers[-1].input\n")
_KC406_USES = """
features = keras.Model(model.inputs, model.get_layer("hidden").output)
model.outputs[0], [layer.output for layer in model.layers]
"""
case("KC406", "control:input", """
model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(4, name="hidden"), keras.layers.Dense(1)])
""" + _KC406_USES)
case("KC406", "control:input-shape", """
model = keras.Sequential([keras.layers.Dense(4, input_shape=(3,), name="hidden"), keras.layers.Dense(1)])
""" + _KC406_USES)
case("KC406", "control:called-on-input", _KC406_NO_INPUT + "model(keras.Input((3,)))\n" + _KC406_USES)
case("KC406", "control:built", _KC406_NO_INPUT + "model.build((None, 3))\n" + _KC406_USES)
case("KC406", "control:fit-first", """
import numpy as np
""" + _KC406_NO_INPUT + """
model.compile(optimizer="sgd", loss="mse")
model.fit(np.ones((4, 3), "float32"), np.zeros((4, 1), "float32"), epochs=1, verbose=0)
""" + _KC406_USES)
# ==== issue 15: KC211, KC212, KC405, KC406 (end) ================================================


# ==== issue 15: KC306, KC307, KC308 (begin) =====================================================
# ---- KC306 init-returns-value -----------------------------------------------------------------
_KC306_LAYER = """
class Scale(keras.layers.Layer):
    def __init__(self, factor=2.0, **kwargs):
        super().__init__(**kwargs)
        self.factor = factor
        {ending}
    def call(self, x):
        return x * self.factor
"""
case("KC306", "returns-value/self", _KC306_LAYER.format(ending="return self") + "Scale()\n")
case("KC306", "returns-value/early", _KC306_LAYER.format(ending="if factor == 1.0:\n            return factor")
     + "Scale(1.0)\n")
case("KC306", "returns-value/model-sublayer", """
class Net(keras.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.dense = keras.layers.Dense(1)
        return self.dense
    def call(self, x):
        return self.dense(x)

Net()
""")
case("KC306", "control:bare-return", _KC306_LAYER.format(ending="if factor:\n            return") + "Scale()\n")
case("KC306", "control:return-none", _KC306_LAYER.format(ending="return None") + "Scale()\n")
case("KC306", "control:return-super-init", """
class Scale(keras.layers.Layer):
    def __init__(self, factor=2.0, **kwargs):
        self.factor = factor
        return super().__init__(**kwargs)
    def call(self, x):
        return x * self.factor

Scale()
""")

# ---- KC307 get-config-swapped-keys ------------------------------------------------------------
# `units` sizes the kernel, `scale` does not: the swapped config reloads a (3, 2) kernel slot
# for (3, 4) saved weights (fails), or silently another scale.
_KC307_LAYER = """
import numpy as np

class Block(keras.layers.Layer):
    def __init__(self, units, scale, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.scale = scale
    def build(self, input_shape):
        self.w = self.add_weight(name="w", shape=(input_shape[-1], self.units), initializer="ones")
    def call(self, x):
        return (x @ self.w) * self.scale
    def get_config(self):
        config = super().get_config()
        config.update({{"units": {units}, "scale": {scale}}})
        return config
"""
_KC307_SWAPPED = _KC307_LAYER.format(units="self.scale", scale="self.units")
_KC307_RIGHT = _KC307_LAYER.format(units="self.units", scale="self.scale")
_KC307_CHECK = "assert (layer.units, layer.scale) == (4, 2), f\"reloaded as units={layer.units}, scale={layer.scale}\"\n"
for _path in ("keras", "h5", "from-config"):
    case("KC307", f"swapped/{_path}", _KC307_SWAPPED + _RELOAD[_path].format(make="Block(4, 2)", custom='{"Block": Block}')
         + _KC307_CHECK)
    case("KC307", f"control:matched/{_path}", _KC307_RIGHT + _RELOAD[_path].format(make="Block(4, 2)",
         custom='{"Block": Block}') + _KC307_CHECK)
case("KC307", "swapped/same-shape", """
class WindowAttention(keras.layers.Layer):
    def __init__(self, num_heads=2, window_size=7, **kwargs):
        super().__init__(**kwargs)
        self.num_heads = num_heads
        self.window_size = window_size
    def call(self, x):
        return x
    def get_config(self):
        config = super().get_config()
        config.update({"num_heads": self.num_heads, "window_size": self.num_heads})
        return config

layer = WindowAttention.from_config(WindowAttention(num_heads=3, window_size=7).get_config())
assert layer.window_size == 7, f"reloaded with window_size={layer.window_size}"
""")
case("KC307", "control:private-attribute", """
class Conv(keras.layers.Layer):
    def __init__(self, filters=8, kernel_size=3, **kwargs):
        super().__init__(**kwargs)
        self._filters = filters
        self._kernel_size = kernel_size
    def call(self, x):
        return x
    def get_config(self):
        return {**super().get_config(), "filters": self._filters, "kernel_size": self._kernel_size}

layer = Conv.from_config(Conv(4, 5).get_config())
assert (layer._filters, layer._kernel_size) == (4, 5)
""")

# ---- KC308 config-attribute-overwritten -------------------------------------------------------
# A number argument's attribute later holds the layer built from it, and get_config emits it.
_KC308_LAYER = """
import numpy as np

class Head(keras.layers.Layer):
    def __init__(self, units=4, rate=0.1, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.rate = rate
        self.dense = keras.layers.Dense(units)
        {dropout} = keras.layers.Dropout(rate)
    def call(self, x, training=None):
        return {dropout}(self.dense(x), training=training)
    def get_config(self):
        config = super().get_config()
        config.update({{"units": self.units, "rate": self.rate}})
        return config
"""
_KC308_OVERWRITTEN = _KC308_LAYER.format(dropout="self.rate")
_KC308_KEPT = _KC308_LAYER.format(dropout="self.dropout")
for _source, _variant in ((_KC308_OVERWRITTEN, "layer-object"), (_KC308_KEPT, "control:number-kept")):
    for _path in ("keras", "h5"):
        case("KC308", f"{_variant}/{_path}", _source + _RELOAD[_path].format(make="Head()", custom='{"Head": Head}') + """
x, y = np.ones((4, 3), "float32"), np.zeros((4, 4), "float32")
loaded.compile(optimizer="sgd", loss="mse")
loaded.fit(x, y, epochs=1, verbose=0)
""")
    case("KC308", f"{_variant}/from-config", _source + """
layer = Head.from_config(Head().get_config())
layer(np.ones((4, 3), "float32"), training=True)
""")
    case("KC308", f"{_variant}/json", _source + """
import json
json.dumps(Head().get_config())
""")
case("KC308", "layer-object/direct", """
import numpy as np

class Project(keras.layers.Layer):
    def __init__(self, units=4, **kwargs):
        super().__init__(**kwargs)
        self.units = keras.layers.Dense(units)
    def call(self, x):
        return self.units(x)
    def get_config(self):
        return {**super().get_config(), "units": self.units}

Project.from_config(Project().get_config())(np.ones((1, 3), "float32"))
""")
# ==== issue 15: KC306, KC307, KC308 (end) =======================================================


# ---- what was measured ------------------------------------------------------------------------
# case id -> (Keras 3.15.1, tf_keras 2.21): None = runs clean, else a fragment of "Type: message".
MEASURED: dict[str, tuple[Optional[str], Optional[str]]] = {
    'KC101:untracked/in-weights': (
        'AssertionError: tf.Variable not in layer.weights',
        None,
    ),
    'KC101:untracked/trained-by-fit': (
        'AssertionError: fit did not train the tf.Variable',
        None,
    ),
    'KC101:untracked/load-weights': (
        'AssertionError: load_weights did not restore the tf.Variable',
        None,
    ),
    'KC101:untracked/load-model': (
        'AssertionError: load_model did not restore the tf.Variable',
        None,
    ),
    'KC101:mixed-float16': (
        'expected to be a half tensor but is a float tensor',
        'expected to be a half tensor but is a float tensor',
    ),
    'KC102:other-input-width': (
        'Matrix size-incompatible: In[0]: [2,5], In[1]: [3,4]',
        'Matrix size-incompatible: In[0]: [2,5], In[1]: [3,4]',
    ),
    'KC103:layer-in-call/weights': (
        'AssertionError: layer owns 0 weights',
        'AssertionError: layer owns 0 weights',
    ),
    'KC103:layer-in-call/fit': (
        'tf.function only supports singleton tf.Variables created on the first call',
        'tf.function only supports singleton tf.Variables created on the first call',
    ),
    'KC103:variable-in-call/fit': (
        'could not be lifted out of a `tf.function`',
        'could not be lifted out of a `tf.function`',
    ),
    'KC103:add-weight-in-call/two-calls': (
        'You cannot add new elements of state (variables or sub-layers) to a layer that is already built',
        'AssertionError: layer owns 2 weights after two calls',
    ),
    'KC103:variable-in-call/through-helper': (
        'could not be lifted out of a `tf.function`',
        'could not be lifted out of a `tf.function`',
    ),
    'KC103:layer-in-call/through-helper': (
        'AssertionError: layer owns 0 weights',
        'AssertionError: layer owns 0 weights',
    ),
    'KC103:control:guarded-helper': (
        None,
        None,
    ),
    'KC104:layer': (
        "ValueError: `name` must be passed as a keyword argument. Received: add_weight('kernel', ...)",
        None,
    ),
    'KC104:metric': (
        "ValueError: Cannot convert 'total' to a shape",
        None,
    ),
    'KC105:supports-masking': (
        'AssertionError: supports_masking reads back False',
        'AssertionError: supports_masking reads back False',
    ),
    'KC105:trainable': (
        'AssertionError: trainable reads back True',
        'AssertionError: trainable reads back True',
    ),
    'KC105:built': (
        'AssertionError: built reads back False',
        'AssertionError: built reads back False',
    ),
    'KC105:input-spec': (
        'AssertionError: input_spec reads back None',
        'AssertionError: input_spec reads back None',
    ),
    'KC105:activity-regularizer': (
        'AssertionError: activity_regularizer reads back None',
        'AssertionError: activity_regularizer reads back None',
    ),
    'KC105:autocast': (
        'AssertionError: autocast reads back True',
        None,
    ),
    'KC105:dtype-policy': (
        "AttributeError: 'Layer' object has no attribute '_dtype_policy'",
        'AttributeError: Can\'t set the attribute "dtype_policy"',
    ),
    'KC105:supports-jit': (
        'AssertionError: supports_jit reads back True',
        None,
    ),
    'KC105:control:supports-masking+compute-mask': (
        None,
        None,
    ),
    'KC105:supports-masking/mask-dropped': (
        'AssertionError: the padding changed the LSTM output: mask dropped',
        'AssertionError: the padding changed the LSTM output: mask dropped',
    ),
    'KC101:control:add-weight-mixed-float16': (
        None,
        None,
    ),
    'KC201:tf-nn-dropout-in-predict': (
        'AssertionError: predict zeroed',
        'AssertionError: predict zeroed',
    ),
    'KC202:default-true/plain-call': (
        'AssertionError: a plain call zeroed',
        'AssertionError: a plain call zeroed',
    ),
    'KC202:default-true/predict': (
        None,
        None,
    ),
    'KC202:default-true/leaks-to-nested-dropout': (
        'AssertionError: a plain call: the nested Dropout zeroed',
        'AssertionError: a plain call: the nested Dropout zeroed',
    ),
    'KC203:call-kwarg-layer/custom-layer': (
        "TypeError: got an unexpected keyword argument 'trainable'",
        "TypeError: Head.call() got an unexpected keyword argument 'trainable'",
    ),
    'KC203:call-kwarg-layer/dense': (
        "TypeError: got an unexpected keyword argument 'trainable'",
        "TypeError: Dense.call() got an unexpected keyword argument 'trainable'",
    ),
    'KC203:call-kwarg-layer/subclassed-model': (
        "TypeError: got an unexpected keyword argument 'trainable'",
        "TypeError: Net.call() got an unexpected keyword argument 'trainable'",
    ),
    'KC203:call-kwarg-model/functional-on-data': (
        'AssertionError: 2 weights still trainable',
        "TypeError: Functional.call() got an unexpected keyword argument 'trainable'",
    ),
    'KC203:call-kwarg-model/sequential-on-data': (
        'AssertionError: 2 weights still trainable',
        "TypeError: Sequential.call() got an unexpected keyword argument 'trainable'",
    ),
    'KC203:call-kwarg-model/functional-on-input': (
        "Functional.compute_output_spec() got an unexpected keyword argument 'trainable'",
        "TypeError: Functional.call() got an unexpected keyword argument 'trainable'",
    ),
    'KC203:call-kwarg-model/sequential-on-input': (
        "Functional.compute_output_spec() got an unexpected keyword argument 'trainable'",
        "TypeError: Sequential.call() got an unexpected keyword argument 'trainable'",
    ),
    'KC203:call-kwarg-unknown/layer-of-a-model': (
        "TypeError: got an unexpected keyword argument 'trainable'",
        "TypeError: Dense.call() got an unexpected keyword argument 'trainable'",
    ),
    'KC203:call-kwarg-unknown/loaded-model-on-data': (
        'AssertionError: 2 weights still trainable',
        "TypeError: Functional.call() got an unexpected keyword argument 'trainable'",
    ),
    'KC203:trainable-from-training/plain-call': (
        'Expected `trainable` to be a boolean. Received: trainable=None',
        'Expected `trainable` argument to be a boolean, but got: None',
    ),
    'KC203:call-param-named-trainable': (
        'AssertionError: fit passed trainable=[None',
        'AssertionError: fit passed trainable=[None',
    ),
    'KC203:training-from-self-trainable': (
        'AssertionError: predict zeroed',
        'AssertionError: predict zeroed',
    ),
    'KC204:training-lost/under-training': (
        'AssertionError: dropout.call zeroed',
        'AssertionError: dropout.call zeroed',
    ),
    'KC204:training-lost/in-fit': (
        'dropout inactive',
        'dropout inactive',
    ),
    'KC204:extra-training-arg/call': (
        None,
        'Dense.call() takes 2 positional arguments but 3 were given',
    ),
    'KC204:extra-training-arg/fit': (
        None,
        'TypeError: Dense.call() takes 2 positional arguments but 3 were given',
    ),
    'KC204:extra-training-arg/mixed-float16': (
        None,
        'Dense.call() takes 2 positional arguments but 3 were given',
    ),
    'KC204:control:built-elsewhere-no-training': (
        None,
        None,
    ),
    'KC204:control:training-through-kwargs': (
        None,
        None,
    ),
    'KC204:never-built/call': (
        'You must build the layer before accessing `kernel`',
        "'Dense' object has no attribute 'kernel'",
    ),
    'KC205:reduction/reduce-mean': (
        'AssertionError: the padding changed the output: mask not applied',
        'AssertionError: the padding changed the output: mask not applied',
    ),
    'KC205:raw-op-before-mask-consumer/relu-then-lstm': (
        'AssertionError: the padding changed the output: mask not applied',
        'AssertionError: the padding changed the output: mask not applied',
    ),
    'KC205:raw-op-before-mask-consumer/relu-then-pooling': (
        'AssertionError: the padding changed the output: mask not applied',
        'AssertionError: the padding changed the output: mask not applied',
    ),
    'KC205:attention/softmax-scores': (
        'AssertionError: the padding changed the output: mask not applied',
        'AssertionError: the padding changed the output: mask not applied',
    ),
    'KC205:control:direct-lstm': (
        None,
        None,
    ),
    'KC205:control:direct-pooling': (
        None,
        None,
    ),
    'KC206:no-training/fit-training-flag': (
        'AssertionError: fit: the sub-layers saw training=[None',
        "TypeError: Net.__call__() got an unexpected keyword argument 'training'",
    ),
    'KC206:no-training/built-after-call': (
        'AssertionError: model.built is False after a call',
        'AssertionError: model.built is False after a call',
    ),
    'KC206:no-training/save-reload-weights': (
        'AssertionError: reloaded model computes something else',
        'expected 0 variables, but received 2 variables during loading',
    ),
    'KC206:takes-training/fit-training-flag': (
        'AssertionError: fit: the sub-layers saw training=[None',
        None,
    ),
    'KC206:takes-training/built-after-call': (
        'AssertionError: model.built is False after a call',
        'AssertionError: model.built is False after a call',
    ),
    'KC206:takes-training/save-reload-weights': (
        'AssertionError: reloaded model computes something else',
        'expected 0 variables, but received 2 variables during loading',
    ),
    'KC207:context-propagates-in-fit': (
        None,
        None,
    ),
    'KC208:training-false/bn-in-fit': (
        'AssertionError: fit left the BatchNormalization moving mean at 0',
        'AssertionError: fit left the BatchNormalization moving mean at 0',
    ),
    'KC208:training-true/dropout-in-predict': (
        'AssertionError: predict zeroed',
        'AssertionError: predict zeroed',
    ),
    'KC209:supports-masking/support-masking': (
        'AssertionError: the padding changed the LSTM output: mask dropped',
        'AssertionError: the padding changed the LSTM output: mask dropped',
    ),
    'KC209:trainable/trainabe': (
        'AssertionError: 2 weights still trainable',
        'AssertionError: 2 weights still trainable',
    ),
    'KC209:input-spec/input-specs': (
        'AssertionError: a 2-D input was accepted by a layer meant for ndim=3',
        'AssertionError: a 2-D input was accepted by a layer meant for ndim=3',
    ),
    'KC209:built/bulit': (
        None,
        None,
    ),
    'KC210:not-in-training/bn-moving-stats': (
        'AssertionError: fit left the BatchNormalization moving mean at 0',
        None,
    ),
    'KC210:not-in-training/training-seen': (
        'AssertionError: fit: the sub-layers saw training=[None',
        None,
    ),
    'KC210:control:custom-train-step': (
        None,
        None,
    ),
    'KC210:control:call-with-training': (
        None,
        None,
    ),
    'KC301:no-super-layer': (
        "RuntimeError: In layer 'Scale', you forgot to call `super().__init__()`",
        'RuntimeError: You must call `super().__init__()` in the layer constructor',
    ),
    'KC301:no-super-model': (
        "RuntimeError: In layer 'Net', you forgot to call `super().__init__()`",
        'RuntimeError: It looks like you are subclassing `Model` and you forgot to call `super().__init__()`',
    ),
    'KC301:misspelled-super-init/misspelled-init': (
        "AttributeError: 'super' object has no attribute '_Net__init'",
        "AttributeError: 'super' object has no attribute '_Net__init'",
    ),
    'KC301:misspelled-super-init/tutorial-kwrags': (
        "AttributeError: 'super' object has no attribute '_MyModel__init'",
        "AttributeError: 'super' object has no attribute '_MyModel__init'",
    ),
    'KC301:self-passed-twice': (
        'TypeError: Layer.__init__() takes 1 positional argument but 2 were given',
        'TypeError: Expected `trainable` argument to be a boolean, but got: <',
    ),
    'KC301:misspelled-def/keyword': (
        "ValueError: Unrecognized keyword arguments passed to Linear: {'units': 3}",
        "TypeError: ('Keyword argument not understood:', 'units')",
    ),
    'KC301:misspelled-def/positional': (
        'TypeError: Layer.__init__() takes 1 positional argument but 2 were given',
        'TypeError: Expected `trainable` argument to be a boolean, but got: 3',
    ),
    'KC302:no-kwargs+no-get-config/keras': (
        "Scale.__init__() got an unexpected keyword argument 'trainable'",
        None,
    ),
    'KC302:no-kwargs+no-get-config/h5': (
        "Scale.__init__() got an unexpected keyword argument 'trainable'",
        None,
    ),
    'KC302:no-kwargs+no-get-config/from-config': (
        "Scale.__init__() got an unexpected keyword argument 'trainable'",
        None,
    ),
    'KC302:no-kwargs+merged-get-config/keras': (
        "Scale.__init__() got an unexpected keyword argument 'name'",
        "Scale.__init__() got an unexpected keyword argument 'name'",
    ),
    'KC302:no-kwargs+merged-get-config/h5': (
        "Scale.__init__() got an unexpected keyword argument 'name'",
        "Scale.__init__() got an unexpected keyword argument 'name'",
    ),
    'KC302:no-kwargs+merged-get-config/from-config': (
        "Scale.__init__() got an unexpected keyword argument 'name'",
        "Scale.__init__() got an unexpected keyword argument 'name'",
    ),
    'KC302:no-kwargs+own-get-config/keras': (
        None,
        None,
    ),
    'KC302:no-kwargs+own-get-config/from-config': (
        None,
        None,
    ),
    'KC302:kwargs-not-forwarded/construct': (
        "AssertionError: reloaded as 'scale'",
        "AssertionError: reloaded as 'scale'",
    ),
    'KC302:kwargs-not-forwarded/dtype': (
        'AssertionError: dtype is float32',
        'AssertionError: dtype is float32',
    ),
    'KC302:kwargs-routed-to-sublayer': (
        "AssertionError: outer layer named 'outer', its Dense 'frozen'",
        "AssertionError: outer layer named 'outer', its Dense 'frozen'",
    ),
    'KC302:undefined-splat': (
        "NameError: name 'kwrags' is not defined",
        "NameError: name 'kwrags' is not defined",
    ),
    'KC302:control:kwargs+no-get-config/keras': (
        None,
        None,
    ),
    'KC302:control:kwargs+no-get-config/h5': (
        None,
        None,
    ),
    'KC302:control:kwargs+no-get-config/from-config': (
        None,
        None,
    ),
    'KC303:model-required-arg/save-keras': (
        'Object Net was created by passing',
        None,
    ),
    'KC303:model-required-arg/keras': (
        'Object Net was created by passing',
        None,
    ),
    'KC303:model-required-arg/from-config': (
        'Object Net was created by passing',
        None,
    ),
    'KC303:functional-model-arg/save-keras': (
        None,
        None,
    ),
    'KC303:functional-model-arg/keras': (
        'could not be deserialized properly',
        'Unable to revive model from config',
    ),
    'KC303:functional-model-arg/h5': (
        'Unable to revive model from config',
        'Unable to revive model from config',
    ),
    'KC303:model-defaulted-arg/keras': (
        'expected 2 variables, but received 0 variables during loading',
        None,
    ),
    'KC303:model-defaulted-arg/from-config': (
        'AssertionError: reloaded with num_classes=5',
        None,
    ),
    'KC302:model-no-kwargs+merged-get-config/keras': (
        "Net.__init__() got an unexpected keyword argument 'name'",
        None,
    ),
    'KC302:model-no-kwargs+merged-get-config/from-config': (
        "Net.__init__() got an unexpected keyword argument 'name'",
        None,
    ),
    'KC303:sublayer-arg+no-get-config/save-keras': (
        'Object Wrap was created by passing',
        'Layer Wrap was created by passing',
    ),
    'KC303:sublayer-arg+no-get-config/keras': (
        'Object Wrap was created by passing',
        'Layer Wrap was created by passing',
    ),
    'KC303:sublayer-arg+no-get-config/save-h5': (
        'Object Wrap was created by passing',
        'Layer Wrap was created by passing',
    ),
    'KC303:sublayer-arg+no-get-config/h5': (
        'Object Wrap was created by passing',
        'Layer Wrap was created by passing',
    ),
    'KC303:sublayer-arg+no-get-config/get-config': (
        'Object Wrap was created by passing',
        'Layer Wrap was created by passing',
    ),
    'KC303:sublayer-arg+no-get-config/from-config': (
        'Object Wrap was created by passing',
        'Layer Wrap was created by passing',
    ),
    'KC303:sublayer-arg+no-get-config/save-dir': (
        'Invalid filepath extension for saving',
        None,
    ),
    'KC303:sublayer-arg+no-get-config/dir': (
        'Invalid filepath extension for saving',
        None,
    ),
    'KC303:model-sublayer-arg+no-get-config/save-keras': (
        'Object WrapNet was created by passing',
        None,
    ),
    'KC303:model-sublayer-arg+no-get-config/keras': (
        'Object WrapNet was created by passing',
        "missing 1 required positional argument: 'inner'",
    ),
    'KC303:model-sublayer-arg+no-get-config/save-dir': (
        'Invalid filepath extension for saving',
        None,
    ),
    'KC303:model-sublayer-arg+no-get-config/dir': (
        'Invalid filepath extension for saving',
        None,
    ),
    'KC303:sublayer-arg+naive-get-config/save-keras': (
        None,
        None,
    ),
    'KC303:sublayer-arg+naive-get-config/keras': (
        "'TrackedDict' object is not callable",
        'could not be deserialized properly',
    ),
    'KC303:sublayer-arg+naive-get-config/save-h5': (
        None,
        None,
    ),
    'KC303:sublayer-arg+naive-get-config/h5': (
        None,
        None,
    ),
    'KC303:sublayer-arg+naive-get-config/get-config': (
        None,
        None,
    ),
    'KC303:sublayer-arg+naive-get-config/from-config': (
        None,
        None,
    ),
    'KC303:config-object-arg+no-get-config/save-keras': (
        'Object Block was created by passing',
        'Layer Block was created by passing',
    ),
    'KC303:config-object-arg+no-get-config/keras': (
        'Object Block was created by passing',
        'Layer Block was created by passing',
    ),
    'KC303:config-object-arg+no-get-config/save-h5': (
        'Object Block was created by passing',
        'Layer Block was created by passing',
    ),
    'KC303:config-object-arg+no-get-config/h5': (
        'Object Block was created by passing',
        'Layer Block was created by passing',
    ),
    'KC303:config-object-arg+no-get-config/get-config': (
        'Object Block was created by passing',
        'Layer Block was created by passing',
    ),
    'KC303:config-object-arg+no-get-config/from-config': (
        'Object Block was created by passing',
        'Layer Block was created by passing',
    ),
    'KC303:config-object-arg+no-get-config/namedtuple-save-keras': (
        None,
        None,
    ),
    'KC303:config-object-arg+no-get-config/namedtuple-keras': (
        'TypeError: <class \'keras.src.models.functional.Functional\'> could not be deserialized properly',
        "TypeError: Error when deserializing class 'Block'",
    ),
    'KC303:config-object-arg+no-get-config/namedtuple-save-h5': (
        None,
        None,
    ),
    'KC303:config-object-arg+no-get-config/namedtuple-h5': (
        "TypeError: Error when deserializing class 'Block'",
        "TypeError: Error when deserializing class 'Block'",
    ),
    'KC303:config-object-arg+naive-get-config/save-keras': (
        'TypeError: Cannot serialize object',
        'TypeError: Cannot serialize object',
    ),
    'KC303:config-object-arg+naive-get-config/keras': (
        'TypeError: Cannot serialize object',
        'TypeError: Cannot serialize object',
    ),
    'KC303:config-object-arg+naive-get-config/save-h5': (
        'TypeError: Unable to serialize',
        'TypeError: Unable to serialize',
    ),
    'KC303:config-object-arg+naive-get-config/h5': (
        'TypeError: Unable to serialize',
        'TypeError: Unable to serialize',
    ),
    'KC303:config-object-arg+naive-get-config/get-config': (
        None,
        None,
    ),
    'KC303:config-object-arg+naive-get-config/from-config': (
        None,
        None,
    ),
    'KC303:function-default-not-passed/save-keras': (
        'Object Act was created by passing',
        None,
    ),
    'KC303:function-default-not-passed/keras': (
        'Object Act was created by passing',
        None,
    ),
    'KC303:function-default-not-passed/save-h5': (
        'Object Act was created by passing',
        None,
    ),
    'KC303:function-default-not-passed/from-config': (
        'Object Act was created by passing',
        None,
    ),
    'KC303:control:plain-args+no-get-config/save-keras': (
        None,
        None,
    ),
    'KC303:control:plain-args+no-get-config/keras': (
        None,
        None,
    ),
    'KC303:control:plain-args+no-get-config/save-h5': (
        None,
        None,
    ),
    'KC303:control:plain-args+no-get-config/h5': (
        None,
        None,
    ),
    'KC303:control:plain-args+no-get-config/from-config': (
        None,
        None,
    ),
    'KC304:own-entries-only/keras': (
        "AssertionError: reloaded as 'scale'",
        "AssertionError: reloaded as 'scale'",
    ),
    'KC304:own-entries-only/h5': (
        "AssertionError: reloaded as 'scale'",
        "AssertionError: reloaded as 'scale'",
    ),
    'KC304:own-entries-only/from-config': (
        "AssertionError: reloaded as 'scale'",
        "AssertionError: reloaded as 'scale'",
    ),
    'KC304:own-entries-only/trainable': (
        'AssertionError: reloaded trainable',
        'AssertionError: reloaded trainable',
    ),
    'KC304:own-entries-only/dtype': (
        'AssertionError: reloaded with dtype float32',
        'AssertionError: reloaded with dtype float32',
    ),
    'KC304:control:merged/trainable': (
        None,
        None,
    ),
    'KC304:control:merged/dtype': (
        None,
        None,
    ),
    'KC304:control:functional-model/dtype': (
        None,
        None,
    ),
    'KC304:control:merged/keras': (
        None,
        None,
    ),
    'KC304:control:merged/h5': (
        None,
        None,
    ),
    'KC304:control:merged/from-config': (
        None,
        None,
    ),
    'KC304:no-return/save-keras': (
        'should return a dict. It returned: None',
        'should return a dict. It returned: None',
    ),
    'KC304:no-return/save-h5': (
        "AttributeError: 'NoneType' object has no attribute 'items'",
        "AttributeError: 'NoneType' object has no attribute 'items'",
    ),
    'KC304:no-return/from-config': (
        "TypeError: argument of type 'NoneType' is not iterable",
        'argument after ** must be a mapping, not NoneType',
    ),
    'KC303:control:model-required-arg+get-config/keras': (
        None,
        None,
    ),
    'KC303:control:model-required-arg+get-config/from-config': (
        None,
        None,
    ),
    'KC303:control:model-defaulted-arg+get-config/keras': (
        None,
        None,
    ),
    'KC303:control:model-defaulted-arg+get-config/from-config': (
        None,
        None,
    ),
    # ---- KC305 (begin) ----
    'KC305:layer+keras-file/functional': (
        "TypeError: <class 'keras.src.models.functional.Functional'> could not be deserialized properly",
        "TypeError: 'str' object is not callable",
    ),
    'KC305:layer+keras-file/sequential': (
        "TypeError: <class 'keras.src.models.sequential.Sequential'> could not be deserialized properly",
        "TypeError: The added layer must be an instance of class Layer. Received: layer=Scale of type <class 'str'>",
    ),
    'KC305:layer+h5-file/functional': (
        "ValueError: Unknown layer: 'Scale'",
        "ValueError: Unknown layer: 'Scale'",
    ),
    'KC305:layer+h5-file/sequential': (
        "ValueError: Unknown layer: 'Scale'",
        "ValueError: Unknown layer: 'Scale'",
    ),
    'KC305:control:layer+savedmodel-dir': (
        None,
        None,
    ),
    'KC305:model+keras-file/subclassed': (
        "TypeError: Could not locate class 'Net'",
        None,
    ),
    'KC305:model+h5-file/subclassed': (
        "ValueError: Unknown layer: 'Net'",
        None,
    ),
    'KC305:control:model+savedmodel-dir': (
        None,
        None,
    ),
    'KC305:loss-or-metric+keras-file/loss': (
        "TypeError: Could not locate class 'SquaredError'",
        None,
    ),
    'KC305:loss-or-metric+h5-file/loss': (
        'ValueError: Could not interpret loss identifier: squared_error',
        "ValueError: Unknown loss function: 'SquaredError'",
    ),
    'KC305:loss-or-metric+savedmodel-dir/loss': (
        None,
        "ValueError: Unknown loss function: 'SquaredError'",
    ),
    'KC305:control:loss-or-metric+h5-file/compile-false/loss': (
        None,
        None,
    ),
    'KC305:loss-or-metric+keras-file/metric': (
        "TypeError: Could not locate class 'Batches'",
        None,
    ),
    'KC305:loss-or-metric+h5-file/metric': (
        'ValueError: Could not interpret metric identifier: Batches',
        "ValueError: Unknown metric function: 'Batches'",
    ),
    'KC305:loss-or-metric+savedmodel-dir/metric': (
        None,
        'ValueError: Unable to restore custom object of class "Batches"',
    ),
    'KC305:control:loss-or-metric+h5-file/compile-false/metric': (
        None,
        None,
    ),
    'KC305:control:registered': (
        None,
        None,
    ),
    'KC305:control:custom-objects': (
        None,
        None,
    ),
    'KC305:control:custom-object-scope': (
        None,
        None,
    ),
    'KC305:control:get-custom-objects': (
        None,
        None,
    ),
    'KC305:control:saved-only': (
        None,
        None,
    ),
    'KC305:control:inner-layer': (
        None,
        None,
    ),
    # ---- KC305 (end) ----
    'KC401:list-layer-inside/concatenate-after-dense': (
        'ValueError: A `Concatenate` layer should be called on a list of at least 1 input. Received:',
        'ValueError: A `Concatenate` layer should be called on a list of at least 1 input. Received:',
    ),
    'KC401:list-layer-inside/add-after-dense-no-input': (
        'A merge layer should be called on a list of inputs. Received: input_shape=(1, 2)',
        'A merge layer should be called on a list of inputs. Received: input_shape=(1, 2)',
    ),
    'KC401:list-layer-inside/attention-after-dense': (
        'Attention layer must be called on a list of inputs',
        'Attention layer must be called on a list of inputs',
    ),
    'KC401:list-layer-inside/model-add-concatenate': (
        'ValueError: A `Concatenate` layer should be called on a list of at least 1 input. Received:',
        'ValueError: A `Concatenate` layer should be called on a list of at least 1 input. Received:',
    ),
    'KC401:several-inputs/call': (
        'Layer "dense" expects 1 input(s), but it received 2 input tensors',
        'Layer "dense" expects 1 input(s), but it received 2 input tensors',
    ),
    'KC401:several-inputs/fit': (
        'Layer "dense" expects 1 input(s), but it received 2 input tensors',
        'Layer "dense" expects 1 input(s), but it received 2 input tensors',
    ),
    'KC401:control:concatenate-first': (
        None,
        None,
    ),
    'KC402:input-shape/keyword': (
        "ValueError: Cannot convert '3' to a shape",
        None,
    ),
    'KC402:input-shape/positional': (
        "ValueError: Cannot convert '3' to a shape",
        None,
    ),
    'KC402:input-batch-shape': (
        "ValueError: Cannot convert '8' to a shape",
        "TypeError: 'int' object is not subscriptable",
    ),
    'KC402:input-shape/numpy-int': (
        "ValueError: Cannot convert '3' to a shape",
        None,
    ),
    'KC402:inputlayer-input-shape/keyword': (
        "ValueError: Cannot convert '3' to a shape",
        None,
    ),
    'KC402:inputlayer-input-shape/positional': (
        "ValueError: Cannot convert '3' to a shape",
        None,
    ),
    'KC402:inputlayer-batch-shape': (
        "ValueError: Cannot convert '8' to a shape",
        "ValueError: Unrecognized keyword arguments: ['batch_shape']",
    ),
    'KC402:inputlayer-batch-input-shape': (
        "ValueError: Cannot convert '8' to a shape",
        "TypeError: 'int' object is not subscriptable",
    ),
    'KC402:inputlayer-shape': (
        "ValueError: Cannot convert '3' to a shape",
        "ValueError: Unrecognized keyword arguments: ['shape']",
    ),
    'KC402:layer-input-shape': (
        "ValueError: Cannot convert '3' to a shape",
        "TypeError: 'int' object is not iterable",
    ),
    'KC402:layer-batch-input-shape': (
        "ValueError: Unrecognized keyword arguments passed to Dense: {'batch_input_shape': 3}",
        "TypeError: 'int' object is not iterable",
    ),
    'KC403:two-libraries/sequential-of-tf-keras-layer': (
        None,
        'TypeError: The added layer must be an instance of class Layer',
    ),
    'KC403:two-libraries/tf-keras-sequential-of-this-layer': (
        None,
        'ValueError: Only instances of `keras.Layer` can be added to a Sequential model',
    ),
    'KC403:two-libraries/model-subclass': (
        None,
        "AttributeError: 'Variable' object has no attribute '_unique_id'",
    ),
    'KC403:two-libraries/functional': (
        None,
        'AssertionError: 0 trainable weights',
    ),
    'KC403:two-libraries/optimizer': (
        None,
        'ValueError: Could not interpret optimizer identifier',
    ),
    'KC404:engine/module': (
        "ModuleNotFoundError: No module named 'keras.engine'",
        "ModuleNotFoundError: No module named 'tf_keras.engine'",
    ),
    'KC404:engine/name': (
        "ModuleNotFoundError: No module named 'keras.engine'",
        "ModuleNotFoundError: No module named 'tf_keras.engine'",
    ),
    'KC404:engine/plain-import': (
        "ModuleNotFoundError: No module named 'keras.engine'",
        "ModuleNotFoundError: No module named 'tf_keras.engine'",
    ),
    'KC404:engine/attribute': (
        "AttributeError: module 'keras' has no attribute 'engine'",
        "AttributeError: module 'tf_keras' has no attribute 'engine'",
    ),
    'KC404:engine/reraised': (
        'ImportError: this code needs Keras 2.12 or older',
        'ImportError: this code needs Keras 2.12 or older',
    ),
    'KC404:control:engine-fallback': (
        None,
        None,
    ),
    'KC404:control:engine-as-fallback': (
        None,
        None,
    ),
    'KC404:control:engine-version-test': (
        None,
        None,
    ),
    'KC404:src-keras2-only/engine': (
        "ModuleNotFoundError: No module named 'keras.src.engine'",
        None,
    ),
    'KC404:src-keras2-only/module-as-name': (
        "ImportError: cannot import name 'generic_utils' from 'keras.src.utils'",
        None,
    ),
    'KC404:src-keras2-only/conv-utils': (
        "ModuleNotFoundError: No module named 'keras.src.utils.conv_utils'",
        None,
    ),
    'KC404:src-keras3-only/testing': (
        None,
        "ModuleNotFoundError: No module named 'tf_keras.src.testing'",
    ),
    'KC404:src-keras3-only/ops': (
        None,
        "ImportError: cannot import name 'ops' from 'tf_keras.src'",
    ),
    'KC404:src-keras3-only/argument-validation': (
        None,
        "ModuleNotFoundError: No module named 'tf_keras.src.utils.argument_validation'",
    ),
    'KC404:src/layers': (
        None,
        None,
    ),
    'KC404:src/imagenet-utils': (
        None,
        None,
    ),
    'KC404:src/attribute': (
        None,
        None,
    ),
    'KC404:private-tf-keras/import': (
        None,
        "ModuleNotFoundError: No module named 'tf_keras._tf_keras'",
    ),
    'KC302:model-no-kwargs+no-get-config/keras': (
        "Net.__init__() got an unexpected keyword argument 'trainable'",
        None,
    ),
    'KC302:model-no-kwargs+no-get-config/from-config': (
        "Net.__init__() got an unexpected keyword argument 'trainable'",
        None,
    ),
    'KC302:functional-model-no-kwargs+no-get-config/keras': (
        "Net.__init__() got an unexpected keyword argument 'name'",
        None,
    ),
    'KC302:functional-model-no-kwargs+no-get-config/from-config': (
        "Net.__init__() got an unexpected keyword argument 'name'",
        None,
    ),
    'KC203:training-from-trainable-in-graph/predict': (
        None,
        'AssertionError: predict zeroed',
    ),
    'KC203:training-from-trainable-in-graph/plain-call': (
        'AssertionError: model(x) zeroed',
        'AssertionError: model(x) zeroed',
    ),
    'KC404:tensorflow-python-keras-layer/import': (
        None,
        None,
    ),
    'KC404:tensorflow-python-keras-layer/sequential': (
        'ValueError: Only instances of `keras.Layer` can be added to a Sequential model',
        None,
    ),
    'KC404:tensorflow-python-keras-layer/functional': (
        "AttributeError: 'tuple' object has no attribute 'rank'",
        'TypeError: You are passing KerasTensor',
    ),
    'KC404:tensorflow-python-keras-layer/subclass-weights': (
        'AssertionError: 2 trainable weights',
        'AssertionError: 2 trainable weights',
    ),
    'KC404:tensorflow-python-keras-layer/whole-copy': (
        'ValueError: Only instances of `keras.Layer` can be added to a Sequential model',
        None,
    ),
    'KC404:tensorflow-python-keras-layer/guarded-import': (
        'ValueError: Only instances of `keras.Layer` can be added to a Sequential model',
        None,
    ),
    'KC404:tensorflow-python-keras-model/fit': (
        "AttributeError: module 'tensorflow.python.distribute.input_lib' has no attribute 'DistributedDatasetInterface'",
        "AttributeError: module 'tensorflow.python.distribute.input_lib' has no attribute 'DistributedDatasetInterface'",
    ),
    'KC404:tensorflow-python-keras-optimizer/compile': (
        'ValueError: Could not interpret optimizer identifier',
        'ValueError: Could not interpret optimizer identifier',
    ),
    'KC404:control:tensorflow-python-keras-helper': (
        None,
        None,
    ),
    'KC404:control:tensorflow-python-keras-backend': (
        None,
        None,
    ),
    'KC404:control:tensorflow-python-keras-callback': (
        None,
        None,
    ),
    'KC404:control:tensorflow-python-keras-loss': (
        None,
        None,
    ),
    'KC404:control:tensorflow-python-keras-fallback': (
        None,
        None,
    ),
    'KC404:control:tf-keras-src': (
        None,
        None,
    ),
}


# ==== issue 15: KC211, KC212, KC405, KC406 (begin) ==============================================
MEASURED.update({
    'KC211:numpy-method/functional': (
        "'SymbolicTensor' object has no attribute 'numpy'",
        "'SymbolicTensor' object has no attribute 'numpy'",
    ),
    'KC211:numpy-method/predict': (
        "'SymbolicTensor' object has no attribute 'numpy'",
        "'SymbolicTensor' object has no attribute 'numpy'",
    ),
    'KC211:numpy-method/fit': (
        "'SymbolicTensor' object has no attribute 'numpy'",
        "'SymbolicTensor' object has no attribute 'numpy'",
    ),
    'KC211:numpy-method/sublayer-output': (
        "'SymbolicTensor' object has no attribute 'numpy'",
        "'SymbolicTensor' object has no attribute 'numpy'",
    ),
    'KC211:numpy-function/functional': (
        'Cannot convert a symbolic tf.Tensor',
        'Cannot convert a symbolic tf.Tensor',
    ),
    'KC211:numpy-function/fit': (
        'Cannot convert a symbolic tf.Tensor',
        'Cannot convert a symbolic tf.Tensor',
    ),
    'KC211:control:numpy-on-shape': (
        None,
        None,
    ),
    'KC211:control:executing-eagerly': (
        None,
        None,
    ),
    'KC212:sublayers-built-in-trace/fit': (
        'ValueError: No gradients provided for any variable',
        None,
    ),
    'KC212:sublayers-built-in-trace/functional': (
        'ValueError: No gradients provided for any variable',
        None,
    ),
    'KC212:sublayers-built-in-trace/gradient-tape': (
        'AssertionError: gradients: [None, None]',
        None,
    ),
    'KC212:sublayers-built-in-trace/layer-in-functional': (
        'ValueError: No gradients provided for any variable',
        None,
    ),
    'KC212:sublayers-built-in-trace/layer-with-own-build': (
        'ValueError: No gradients provided for any variable',
        None,
    ),
    'KC212:control:model-defines-build': (
        None,
        None,
    ),
    'KC212:control:built-by-itself': (
        None,
        None,
    ),
    'KC212:control:weights-made-in-build': (
        None,
        None,
    ),
    'KC212:control:sublayers-built-in-build': (
        None,
        None,
    ),
    'KC405:slash/layer': (
        'ValueError: Argument `name` must be a string and cannot contain character `/`',
        None,
    ),
    'KC405:slash/input': (
        'ValueError: Argument `name` must be a string and cannot contain character `/`',
        None,
    ),
    'KC405:slash/sequential': (
        'ValueError: Argument `name` must be a string and cannot contain character `/`',
        None,
    ),
    'KC405:slash/functional-model': (
        'ValueError: Argument `name` must be a string and cannot contain character `/`',
        None,
    ),
    'KC405:slash/f-string': (
        'ValueError: Argument `name` must be a string and cannot contain character `/`',
        None,
    ),
    'KC405:slash/concatenation': (
        'ValueError: Argument `name` must be a string and cannot contain character `/`',
        None,
    ),
    'KC405:slash/super-init': (
        'ValueError: Argument `name` must be a string and cannot contain character `/`',
        None,
    ),
    'KC405:slash/add-weight': (
        'ValueError: Argument `name` must be a string and cannot contain character `/`',
        None,
    ),
    'KC405:slash/fit-save-reload': (
        'ValueError: Argument `name` must be a string and cannot contain character `/`',
        None,
    ),
    'KC405:control:underscore': (
        None,
        None,
    ),
    'KC406:model-io/functional': (
        "AttributeError: Sequential model 'sequential' has no defined inputs yet",
        'ValueError: Found unexpected instance while processing input tensors for keras functional model',
    ),
    'KC406:model-io/first-input': (
        "AttributeError: Sequential model 'sequential' has no defined inputs yet",
        "TypeError: 'NoneType' object is not subscriptable",
    ),
    'KC406:model-io/added-layers': (
        "AttributeError: Sequential model 'sequential' has no defined outputs yet",
        "TypeError: 'NoneType' object is not subscriptable",
    ),
    'KC406:layer-io/indexed': (
        'AttributeError: The layer hidden has never been called and thus has no defined output',
        'AttributeError: Layer hidden has no inbound nodes',
    ),
    'KC406:layer-io/get-layer': (
        'AttributeError: The layer hidden has never been called and thus has no defined output',
        'AttributeError: Layer hidden has no inbound nodes',
    ),
    'KC406:layer-io/every-layer': (
        'AttributeError: The layer hidden has never been called and thus has no defined output',
        'AttributeError: Layer hidden has no inbound nodes',
    ),
    'KC406:layer-io/last-input': (
        'AttributeError: The layer dense has never been called and thus has no defined input',
        'AttributeError: Layer dense is not connected, no input to return',
    ),
    'KC406:control:input': (
        None,
        None,
    ),
    'KC406:control:input-shape': (
        None,
        None,
    ),
    'KC406:control:called-on-input': (
        None,
        None,
    ),
    'KC406:control:built': (
        None,
        None,
    ),
    'KC406:control:fit-first': (
        None,
        None,
    ),
})
# ==== issue 15: KC211, KC212, KC405, KC406 (end) ================================================


# ==== issue 15: KC306, KC307, KC308 (begin) =====================================================
MEASURED.update({
    'KC306:returns-value/self': (
        "TypeError: __init__() should return None, not 'Scale'",
        "TypeError: __init__() should return None, not 'Scale'",
    ),
    'KC306:returns-value/early': (
        "TypeError: __init__() should return None, not 'float'",
        "TypeError: __init__() should return None, not 'float'",
    ),
    'KC306:returns-value/model-sublayer': (
        "TypeError: __init__() should return None, not 'Dense'",
        "TypeError: __init__() should return None, not 'Dense'",
    ),
    'KC306:control:bare-return': (
        None,
        None,
    ),
    'KC306:control:return-none': (
        None,
        None,
    ),
    'KC306:control:return-super-init': (
        None,
        None,
    ),
    'KC307:swapped/keras': (
        'The shape of the target variable and the shape of the target value in `variable.assign(value)` must match',
        "ValueError: Cannot assign value to variable ' block/w:0': Shape mismatch",
    ),
    'KC307:control:matched/keras': (
        None,
        None,
    ),
    'KC307:swapped/h5': (
        'ValueError: Shape mismatch in layer #0 (named block)for weight block/w',
        "ValueError: Cannot assign value to variable ' block/w:0': Shape mismatch",
    ),
    'KC307:control:matched/h5': (
        None,
        None,
    ),
    'KC307:swapped/from-config': (
        'AssertionError: reloaded as units=2, scale=4',
        'AssertionError: reloaded as units=2, scale=4',
    ),
    'KC307:control:matched/from-config': (
        None,
        None,
    ),
    'KC307:swapped/same-shape': (
        'AssertionError: reloaded with window_size=3',
        'AssertionError: reloaded with window_size=3',
    ),
    'KC307:control:private-attribute': (
        None,
        None,
    ),
    'KC308:layer-object/keras': (
        "TypeError: <class 'keras.src.models.functional.Functional'> could not be deserialized properly",
        '`rate` must be a scalar or scalar tensor',
    ),
    'KC308:layer-object/h5': (
        "TypeError: Error when deserializing class 'Head'",
        '`rate` must be a scalar or scalar tensor',
    ),
    'KC308:layer-object/from-config': (
        "TypeError: Error when deserializing class 'Head'",
        '`rate` must be a scalar or scalar tensor',
    ),
    'KC308:layer-object/json': (
        'TypeError: Object of type Dropout is not JSON serializable',
        'TypeError: Object of type Dropout is not JSON serializable',
    ),
    'KC308:control:number-kept/keras': (
        None,
        None,
    ),
    'KC308:control:number-kept/h5': (
        None,
        None,
    ),
    'KC308:control:number-kept/from-config': (
        None,
        None,
    ),
    'KC308:control:number-kept/json': (
        None,
        None,
    ),
    'KC308:layer-object/direct': (
        "TypeError: Error when deserializing class 'Project'",
        "TypeError: Error when deserializing class 'Project'",
    ),
})
# ==== issue 15: KC306, KC307, KC308 (end) =======================================================


def _cases() -> list[Case]:
    ids = [f"{code}:{variant}" for code, variant, _ in _SOURCES]
    missing = [key for key in ids if key not in MEASURED]
    unknown = sorted(set(MEASURED) - set(ids))
    if missing or unknown:
        raise ValueError(f"affects_cases: no outcome recorded for {missing}; outcomes of no case: {unknown}")
    return [Case(code, variant, source, *MEASURED[f"{code}:{variant}"]) for code, variant, source in _SOURCES]


CASES: list[Case] = _cases()
