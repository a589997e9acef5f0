"""Per-entry cases for the KC5xx rules: INVALID snippets (each yields exactly `count`
findings of the code, default 1) and VALID ones (none), including the `tf.keras`
spellings the compatibility layer keeps and the traps found on real code."""

INVALID = {
    "KC501": {
        "K.get_session in the TensorFlow branch of a backend switch (that one runs)": """
            from keras import backend as K

            def run(t):
                if K.backend() == "tensorflow":
                    return K.get_session().run(t)
                return t
        """,
        "keras.backend.name_scope (gone on Keras 3.15.1)": """
            import keras

            def block(x):
                with keras.backend.name_scope("block"):
                    return keras.layers.Dense(4)(x)
        """,
        "K.set_value in a callback": """
            from keras import backend as K

            def on_epoch_end(model, lr):
                K.set_value(model.optimizer.learning_rate, lr)
        """,
        "import keras; keras.backend.int_shape": """
            import keras

            def width(x):
                return keras.backend.int_shape(x)[-1]
        """,
        "from keras.backend import": """
            from keras.backend import sum, mean
        """,
        "tf.keras.backend.function (the shim lacks it)": """
            import tensorflow as tf

            def extractor(model, layer):
                return tf.keras.backend.function([model.input], [layer.output])
        """,
        "from tensorflow.keras import backend as K; K.learning_phase": """
            from tensorflow.keras import backend as K

            phase = K.learning_phase()
        """,
        "keras.backend.eval": """
            import keras

            value = keras.backend.eval(keras.ops.ones((2,)))
        """,
    },
    "KC502": {
        "SGD(lr=) imported by name": """
            from keras.optimizers import SGD

            opt = SGD(lr=0.1, momentum=0.9)
        """,
        "tf.keras spelling (fails too)": """
            import tensorflow as tf

            opt = tf.keras.optimizers.RMSprop(lr=0.001)
        """,
        "in-tree subclass without __init__": """
            import keras

            class MyAdam(keras.optimizers.Adam):
                pass

            opt = MyAdam(lr=0.01)
        """,
    },
    "KC503": {
        "K.get_value(model.optimizer.lr) (KC501 is another rule)": """
            import keras

            def current(model):
                return float(keras.ops.convert_to_numpy(model.optimizer.lr))
        """,
        "a name bound to an optimizer": """
            from tensorflow import keras

            opt = keras.optimizers.Adam(learning_rate=0.1)
            opt.lr = 0.01
        """,
    },
    "KC504": {
        "predict_generator on a Sequential": """
            import keras

            model = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(1)])
            preds = model.predict_generator(batches, steps=10)
        """,
        "tf.keras evaluate_generator": """
            import tensorflow as tf

            def score(model, gen):
                return model.evaluate_generator(gen)
        """,
    },
    "KC505": {
        "os.path.join ending in .hdf5": """
            import os
            import keras

            def save(model, out):
                model.save_weights(os.path.join(out, "weights.hdf5"))
        """,
        "f-string checkpoint prefix": """
            import keras

            def save(model, step):
                model.save_weights(f"checkpoints/{step}/ckpt")
        """,
        "pathlib": """
            from pathlib import Path
            import keras

            def save(model, out: Path):
                model.save_weights(out / "model.ckpt")
        """,
        "a local variable assigned a string": """
            import keras

            def save(model):
                path = "model.h5"
                model.save_weights(path)
        """,
        "a local variable assigned a concatenation": """
            import keras

            def save(model, out_dir):
                path = out_dir + "/w.h5"
                model.save_weights(path)
        """,
        "a local variable assigned an f-string, kept through another name": """
            import keras

            def save(model, name):
                stem = f"{name}.h5"
                path = stem
                model.save_weights(filepath=path)
        """,
    },
    "KC506": {
        "weights only, .h5": """
            from keras.callbacks import ModelCheckpoint

            cb = ModelCheckpoint("best.h5", save_weights_only=True, monitor="val_loss")
        """,
        "weights only, save_weights_only passed positionally (the fifth parameter)": """
            from keras.callbacks import ModelCheckpoint

            cb = ModelCheckpoint("best.h5", "val_loss", 0, True, True)
        """,
        "full model, no suffix, filepath=": """
            import tensorflow as tf

            cb = tf.keras.callbacks.ModelCheckpoint(filepath="ckpt/model-{epoch}")
        """,
    },
    "KC507": {
        "save_format='tf'": """
            import keras

            model = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(1)])
            model.save("model.h5", save_format="tf")
        """,
        "keras.models.save_model to a directory": """
            import keras

            model = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(1)])
            keras.models.save_model(model, "saved/1")
        """,
        "a functional model saved in a function": """
            import keras

            def export(inputs, outputs):
                model = keras.Model(inputs, outputs)
                model.save("serving_dir")
        """,
        "a directory name in a local variable": """
            import os
            import keras

            def export(inputs, outputs, root):
                model = keras.Model(inputs, outputs)
                target = os.path.join(root, "serving")
                model.save(target)
        """,
        "a model returned by a project function": """
            import keras

            class Classifier(keras.Model):
                def call(self, inputs):
                    return inputs

            def build(width):
                model = Classifier()
                model.compile(optimizer="adam", loss="mse")
                return model

            def export(width):
                trained = build(width)
                trained.save("exported")
        """,
    },
    "KC508": {
        "load_weights(tf.train.latest_checkpoint(...))": """
            import keras
            import tensorflow as tf

            def restore(model, directory):
                model.load_weights(tf.train.latest_checkpoint(directory))
        """,
        "load_weights(...).expect_partial()": """
            import keras

            def restore(model, path):
                model.load_weights(path).expect_partial()
        """,
        "tf.keras.models.load_model of a directory": """
            import tensorflow as tf

            model = tf.keras.models.load_model("saved_model/1")
        """,
    },
    "KC509": {
        "keras.layers.core import (several names)": """
            from keras.layers.core import Dense, Dropout, Activation
        """,
        "attribute path after import keras": """
            import keras

            to_categorical = keras.utils.np_utils.to_categorical
        """,
        "import keras.engine.topology": """
            import keras.engine.topology
        """,
        "tensorflow.keras spelling": """
            from tensorflow.keras.utils.generic_utils import get_custom_objects
        """,
        "scikit_learn wrapper (no fix)": """
            from keras.wrappers.scikit_learn import KerasClassifier
        """,
    },
    "KC510": {
        "from keras.layers.experimental import preprocessing": """
            from keras.layers.experimental import preprocessing

            rescale = preprocessing.Rescaling(1 / 255)
        """,
        "from ...experimental.preprocessing import X": """
            from tensorflow.keras.layers.experimental.preprocessing import Normalization
        """,
        "SyncBatchNormalization": """
            import tensorflow as tf

            bn = tf.keras.layers.experimental.SyncBatchNormalization()
        """,
    },
    "KC511": {
        "tf.concat of two layer outputs": """
            import keras
            import tensorflow as tf

            def build():
                a = keras.Input(shape=(4,))
                b = keras.layers.Dense(4)(a)
                merged = tf.concat([a, b], axis=-1)
                return keras.Model(a, merged)
        """,
        "tf.nn op on a named layer's output": """
            from tensorflow import keras
            import tensorflow as tf

            inputs = keras.Input(shape=(8,))
            dense = keras.layers.Dense(8)
            hidden = dense(inputs)
            out = tf.nn.relu(hidden)
        """,
    },
    "KC512": {
        "tf_keras layer in a keras Sequential": """
            import keras
            import tf_keras

            model = keras.Sequential([keras.Input(shape=(4,)), tf_keras.layers.Dense(2)])
        """,
        "hub layer called on a keras.Input": """
            import keras
            import tensorflow_hub as hub

            inputs = keras.Input(shape=(), dtype="string")
            embedded = hub.KerasLayer("https://tfhub.dev/google/nnlm-en-dim50/2")(inputs)
        """,
        "hub layer .add()-ed to a tf.keras Sequential": """
            import tensorflow as tf
            import tensorflow_hub as hub

            model = tf.keras.Sequential()
            model.add(hub.KerasLayer("https://tfhub.dev/google/nnlm-en-dim50/2"))
        """,
    },
    "KC513": {
        "max_queue_size alone": """
            def train(model, seq):
                model.fit(seq, epochs=3, max_queue_size=20)
        """,
        "fit_generator with workers (KC504 is another rule)": """
            def train(model, gen):
                model.fit_generator(gen, workers=8)
        """,
        "predict with the loader arguments by position": """
            import keras

            model = keras.Sequential([keras.Input(shape=(2,)), keras.layers.Dense(1)])

            def infer(x, callbacks):
                return model.predict(x, 64, 0, None, callbacks, 10, 4, True)
        """,
        "fit with the loader arguments by position": """
            import keras

            def train(inputs, outputs, x, y):
                model = keras.Model(inputs, outputs)
                model.fit(x, y, 32, 5, 1, None, 0.1, None, True, None, None, 0, None, None, None, 1, 10, 2)
        """,
        "evaluate with max_queue_size by position (becomes return_dict)": """
            import keras

            model = keras.Sequential([keras.Input(shape=(2,)), keras.layers.Dense(1)])
            loss = model.evaluate(x_test, y_test, 64, 0, None, None, None, 10)
        """,
        "an unknown receiver a Keras keyword identifies": """
            def infer(model, x):
                return model.predict(x, 64, 0, None, None, 10, 4, steps=None)
        """,
    },
    "KC514": {
        "functional Embedding": """
            import keras

            ids = keras.Input(shape=(100,))
            vectors = keras.layers.Embedding(5000, 32, input_length=100)(ids)
        """,
        "tf.keras spelling added to a Sequential": """
            from tensorflow.keras.layers import Embedding
            from tensorflow.keras.models import Sequential

            model = Sequential()
            model.add(Embedding(1000, 8, input_length=10))
        """,
    },
    "KC515": {
        "model.layers[i].output_shape": """
            import keras

            def last_width(model: keras.Model):
                return model.layers[-1].output_shape[-1]
        """,
        "get_layer(...).get_output_at(0)": """
            def feature(model):
                return model.get_layer("conv").get_output_at(0)
        """,
        "stateful of a model's layers": """
            def stateful_layers(model):
                return [layer for layer in model.layers if layer.stateful]
        """,
        "inbound_nodes": """
            def fan_in(model):
                for i, layer in enumerate(model.layers):
                    print(i, len(layer.inbound_nodes))
        """,
    },
    "KC516": {
        "Dense(batch_input_shape=) in a Sequential": """
            from keras.models import Sequential
            from keras.layers import Dense

            model = Sequential([Dense(4, batch_input_shape=(None, 3))])
        """,
        "the project's own layer": """
            import keras

            class Scale(keras.layers.Layer):
                def call(self, inputs):
                    return inputs * 2.0

            layer = Scale(batch_input_shape=(8, 3))
        """,
    },
    "KC517": {
        "keras.preprocessing.text.Tokenizer": """
            import keras

            tokenizer = keras.preprocessing.text.Tokenizer(num_words=1000)
        """,
        "TimeseriesGenerator": """
            from keras.preprocessing.sequence import TimeseriesGenerator
        """,
        "import keras.preprocessing.text": """
            import keras.preprocessing.text
        """,
    },
    "KC518": {
        "Sequential .input in a function": """
            import keras

            def features(layers):
                seq = keras.Sequential(layers)
                return keras.Model(seq.input, seq.layers[-2].output)
        """,
    },
    "KC519": {
        "VAE kl loss": """
            from tensorflow import keras

            def build(encoder_inputs, z_mean, z_log_var, outputs):
                vae = keras.Model(encoder_inputs, outputs)
                vae.add_loss(-0.5 * keras.ops.mean(1 + z_log_var - keras.ops.square(z_mean)))
                return vae
        """,
    },
    "KC520": {
        "index into evaluate results": """
            def accuracy(model, x, y):
                scores = model.evaluate(x, y)
                return scores[model.metrics_names.index("accuracy")]
        """,
        "zip with evaluate() inline (fixable)": """
            def report(model, x, y):
                return dict(zip(model.metrics_names, model.evaluate(x, y)))
        """,
    },
    "KC521": {
        "functional model.add_metric": """
            import keras

            inputs = keras.Input(shape=(3,))
            outputs = keras.layers.Dense(1)(inputs)
            model = keras.Model(inputs, outputs)
            model.add_metric(keras.ops.mean(outputs), name="mean")
        """,
    },
    "KC522": {
        "Adam(lr, decay) positional rate": """
            from keras.optimizers import Adam

            opt = Adam(0.001, decay=1e-5)
        """,
    },
    "KC523": {
        "from keras.optimizers.legacy import": """
            from keras.optimizers.legacy import SGD
        """,
        "tf.keras.optimizers.legacy.Adam(lr=...): one finding, this one": """
            import tensorflow as tf

            opt = tf.keras.optimizers.legacy.Adam(lr=0.001)
        """,
        "hasattr(..., 'legacy') guards nothing": """
            import tensorflow as tf

            if hasattr(tf.keras.optimizers, "legacy"):
                opt = tf.keras.optimizers.legacy.Adam()
        """,
        "subclassing legacy.Optimizer": """
            import tensorflow as tf

            class Mine(tf.keras.optimizers.legacy.Optimizer):
                pass
        """,
    },
    "KC524": {
        "Sequential with a lambda layer, saved and loaded": """
            import keras

            double = keras.layers.Lambda(lambda t: t * 2)
            model = keras.Sequential([keras.Input(shape=(2,)), double])
            model.save("double.h5")
            again = keras.models.load_model("double.h5")
        """,
    },
    "KC525": {
        "LeakyReLU(alpha=) (warning)": """
            import keras

            act = keras.layers.LeakyReLU(alpha=0.2)
        """,
        "tf.keras.activations.relu": """
            import tensorflow as tf

            def f(x):
                return tf.keras.activations.relu(x, alpha=0.1)
        """,
    },
    "KC526": {
        "_resource_apply_dense override": """
            import keras

            class PlainSGD(keras.optimizers.Optimizer):
                def _resource_apply_dense(self, grad, var, apply_state=None):
                    return var.assign_sub(0.01 * grad)
        """,
        "get_updates override": """
            from keras import optimizers

            class Old(optimizers.Optimizer):
                def get_updates(self, loss, params):
                    return []
        """,
        "_set_hyper call": """
            import tensorflow as tf

            class Mine(tf.keras.optimizers.Optimizer):
                def __init__(self, learning_rate=0.01, **kwargs):
                    super().__init__(**kwargs)
                    self._set_hyper("learning_rate", learning_rate)
        """,
        "opt.minimize(loss, vars, tape=tape)": """
            import keras
            import tensorflow as tf

            opt = keras.optimizers.SGD(learning_rate=0.1)

            def step(model, loss_fn):
                with tf.GradientTape() as tape:
                    loss = loss_fn()
                opt.minimize(loss, model.trainable_variables, tape=tape)
        """,
    },
    "KC527": {
        "while on the inputs": """
            import keras

            class Halve(keras.layers.Layer):
                def call(self, x):
                    while keras.ops.max(x) > 1:
                        x = x / 2
                    return x
        """,
    },
    "KC528": {
        "tf.compat.v1.keras.layers.CuDNNGRU": """
            import tensorflow as tf

            rnn = tf.compat.v1.keras.layers.CuDNNGRU(64)
        """,
        "from keras.layers import CuDNNLSTM": """
            from keras.layers import CuDNNLSTM

            rnn = CuDNNLSTM(64)
        """,
        "standalone ThresholdedReLU": """
            import keras

            act = keras.layers.ThresholdedReLU(theta=1.0)
        """,
        "LocallyConnected2D through tf.keras": """
            import tensorflow as tf

            layer = tf.keras.layers.LocallyConnected2D(8, 3)
        """,
    },
    "KC529": {
        "import experimental as mixed_precision": """
            from tensorflow.keras.mixed_precision import experimental as mixed_precision

            mixed_precision.set_policy("mixed_float16")
        """,
        "get_scaled_loss on a LossScaleOptimizer": """
            import keras

            opt = keras.mixed_precision.LossScaleOptimizer(keras.optimizers.Adam())

            def scaled(loss):
                return opt.get_scaled_loss(loss)
        """,
    },
    "KC530": {
        "reduction='auto'": """
            import tensorflow as tf

            loss = tf.keras.losses.CategoricalCrossentropy(reduction="auto")
        """,
        "tf.keras Reduction.AUTO": """
            import tensorflow as tf

            loss = tf.keras.losses.MeanSquaredError(reduction=tf.keras.losses.Reduction.AUTO)
        """,
        "from keras.losses import Reduction": """
            from keras.losses import Reduction
        """,
    },
    "KC531": {
        "reset_states resets an add_variable variable to a non-zero value": """
            import keras


            class Best(keras.metrics.Metric):
                def __init__(self, **kwargs):
                    super().__init__(**kwargs)
                    self.best = self.add_variable(shape=(), initializer="ones", name="best")

                def update_state(self, y_true, y_pred, sample_weight=None):
                    self.best.assign(keras.ops.minimum(self.best, keras.ops.min(y_pred)))

                def result(self):
                    return self.best

                def reset_states(self):
                    self.best.assign(1.0)
        """,
        "reset_states zeroes one add_variable variable of two (Keras 3 zeroes both)": """
            import keras


            class Running(keras.metrics.Metric):
                def __init__(self, **kwargs):
                    super().__init__(**kwargs)
                    self.batch = self.add_variable(shape=(), initializer="zeros", name="batch")
                    self.lifetime = self.add_variable(shape=(), initializer="zeros", name="lifetime")

                def update_state(self, y_true, y_pred, sample_weight=None):
                    self.batch.assign_add(1.0)
                    self.lifetime.assign_add(1.0)

                def result(self):
                    return self.lifetime

                def reset_states(self):
                    self.batch.assign(0.0)
        """,
        "metric tracker in a Model subclass": """
            import keras

            class Trainer(keras.Model):
                def __init__(self, **kwargs):
                    super().__init__(**kwargs)
                    self.loss_tracker = keras.metrics.Mean(name="loss")

                def call(self, inputs, training=None):
                    return inputs

                def on_epoch(self):
                    self.loss_tracker.reset_states()
        """,
        "model.reset_states() on a Sequential": """
            import keras

            model = keras.Sequential([keras.Input(batch_shape=(1, 5, 2)), keras.layers.LSTM(4, stateful=True)])
            model.reset_states()
        """,
        "override without reset_state; calls of it on the project's own metric are not reported too": """
            import keras

            class Hits(keras.metrics.Metric):
                def reset_states(self):
                    self.hits.assign(0.0)

            hits = Hits()
            hits.reset_states()
        """,
        "tf.keras metric reset_states() (the shim fails too)": """
            import tensorflow as tf

            accuracy = tf.keras.metrics.SparseCategoricalAccuracy()
            accuracy.reset_states()
        """,
    },
    "KC532": {
        "add_update with a list (no fix)": """
            import keras

            class Counter(keras.layers.Layer):
                def build(self, input_shape):
                    self.count = self.add_weight(name="count", shape=(), initializer="zeros", trainable=False)

                def call(self, inputs):
                    self.add_update([self.count.assign_add(1.0)])
                    return inputs
        """,
    },
    "KC533": {
        "target_tensors and experimental_run_tf_function": """
            def setup(model):
                model.compile(optimizer="sgd", loss="mean_squared_error", target_tensors=[None],
                              experimental_run_tf_function=False)
        """,
        "distribute with compile arguments": """
            def setup(model, strategy):
                model.compile(optimizer="sgd", loss="mean_squared_error", distribute=strategy)
        """,
    },
    "KC534": {
        "super().__init__(dynamic=True)": """
            import keras

            class Eager(keras.layers.Layer):
                def __init__(self, **kwargs):
                    super().__init__(dynamic=True, **kwargs)
        """,
        "LSTM(time_major=True)": """
            import tensorflow as tf

            rnn = tf.keras.layers.LSTM(8, time_major=True)
        """,
        "add_weight(use_resource=True)": """
            import keras

            class Scale(keras.layers.Layer):
                def build(self, input_shape):
                    self.scale = self.add_weight(name="scale", shape=(), initializer="ones", use_resource=True)

                def call(self, inputs):
                    return inputs * self.scale
        """,
        "fused= passed on by a BatchNormalization subclass": """
            import keras

            class TpuBN(keras.layers.BatchNormalization):
                def __init__(self, fused=False, **kwargs):
                    super().__init__(fused=fused, **kwargs)
        """,
        "fused= given to a subclass without __init__": """
            import tensorflow as tf

            class Norm(tf.keras.layers.BatchNormalization):
                def call(self, inputs, training=None):
                    return super().call(inputs, training=training)

            norm = Norm(momentum=0.9, fused=True)
        """,
        "fused= from a grandchild, through a parent without __init__": """
            import keras

            class Norm(keras.layers.BatchNormalization):
                pass

            class SyncNorm(Norm):
                def __init__(self, **kwargs):
                    super(SyncNorm, self).__init__(fused=None, **kwargs)
        """,
    },
    "KC535": {
        "tuple outputs, outputs= keyword": """
            import keras

            inputs = keras.Input(shape=(3,))
            a = keras.layers.Dense(1)(inputs)
            b = keras.layers.Dense(1)(inputs)
            c = keras.layers.Dense(1)(inputs)
            model = keras.Model(inputs=inputs, outputs=(a, b, c))
            model.compile(loss="mean_squared_error", metrics=["mae", "mse"])
        """,
    },
    "KC536": {
        "save_model(m, 'x.hdf5') after compile(loss='mae')": """
            import keras

            model = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(1)])
            model.compile(optimizer="adam", loss="mae")
            keras.models.save_model(model, "m.hdf5")
        """,
    },
    "KC537": {
        "l1(l=) with other arguments renamed": """
            from keras import regularizers

            reg = regularizers.l1(l=0.01)
        """,
        "tf.keras L2": """
            import tensorflow as tf

            reg = tf.keras.regularizers.L2(l=0.001)
        """,
    },
}

VALID = {
    "KC501": {
        "K.get_session in a try whose broad except is the eager alternative": """
            from tensorflow.keras import backend as K

            def to_numpy(t):
                try:
                    return t.eval(session=K.get_session())
                except Exception:
                    return t.numpy()
        """,
        "K.get_session in the TF 1 graph-mode branch": """
            import tensorflow as tf
            from tensorflow.keras import backend as K

            def run(t):
                if not tf.executing_eagerly():
                    return K.get_session().run(t)
                return t.numpy()
        """,
        "K.get_session in the Theano branch of a backend switch (Keras 3 has no Theano)": """
            from keras import backend as K

            def run(t):
                if K.backend() == "theano":
                    return K.get_session().run(t)
                return t
        """,
        "K.get_session in the else of `!= 'cntk'`": """
            from keras import backend as K

            def run(t):
                if "cntk" != K.backend():
                    return t
                else:
                    return K.get_session().run(t)
        """,
        "tf.keras.backend.name_scope (the shim keeps it)": """
            import tensorflow as tf

            def block(x):
                with tf.keras.backend.name_scope("block"):
                    return tf.keras.layers.Dense(4)(x)
        """,
        "a project's own keras module (keras-cv, keras-hub)": """
            from keras_cv.backend import keras

            def block(x):
                with keras.backend.name_scope("block"):
                    return x
        """,
        "kept names": """
            from keras import backend as K

            K.clear_session()
            eps = K.epsilon()
            fmt = K.image_data_format()
        """,
        "tf.keras.backend math (the shim keeps it)": """
            import tensorflow as tf
            from tensorflow.keras import backend as K

            def loss(y_true, y_pred):
                return K.mean(K.square(y_true - y_pred)) + tf.keras.backend.sum(y_pred)
        """,
        "tf_keras backend": """
            import tf_keras as keras

            keras.backend.set_value(v, 1.0)
        """,
        "a project's own backend module": """
            from mylib import backend as K

            K.set_value(v, 1)
        """,
        "keras.backend.tensorflow_backend is KC509's": """
            from keras.backend import tensorflow_backend
        """,
    },
    "KC502": {
        "lr= in the branch taken without optimizers.legacy (TF < 2.11 only)": """
            import tensorflow as tf

            if hasattr(tf.keras.optimizers, "legacy"):
                optimizer = tf.keras.optimizers.SGD(learning_rate=0.1)
            else:
                optimizer = tf.keras.optimizers.SGD(lr=0.1)
        """,
        "lr= under `if not hasattr(optimizers, 'legacy')`": """
            from tensorflow import keras

            if not hasattr(keras.optimizers, "legacy"):
                optimizer = keras.optimizers.Adam(lr=0.1)
        """,
        "torch optimizer": """
            import torch

            opt = torch.optim.Adam(params, lr=0.01)
        """,
        "tf.keras.optimizers.legacy.Adam(lr=...): KC523 is the failure (ImportError first)": """
            import tensorflow as tf

            opt = tf.keras.optimizers.legacy.Adam(lr=0.001)
        """,
        "legacy optimizer imported by name, called with lr=": """
            from keras.optimizers.legacy import SGD

            opt = SGD(lr=0.1, momentum=0.9)
        """,
        "in-tree optimizer with its own __init__": """
            import keras

            class Mine(keras.optimizers.Optimizer):
                def __init__(self, lr=0.01, **kwargs):
                    super().__init__(learning_rate=lr, **kwargs)

            opt = Mine(lr=0.1)
        """,
    },
    "KC503": {
        "args.lr / config.lr": """
            import keras

            def make(args):
                return keras.optimizers.Adam(learning_rate=args.lr)
        """,
        "learning_rate": """
            def halve(model):
                model.optimizer.learning_rate = model.optimizer.learning_rate * 0.5
        """,
    },
    "KC504": {
        "a trainer's own fit_generator": """
            class Trainer:
                def fit_generator(self, gen):
                    return list(gen)

            def run(trainer, gen):
                trainer.fit_generator(gen)
        """,
        "hasattr guard": """
            def train(model, gen):
                if hasattr(model, "fit_generator"):
                    model.fit_generator(gen)
                else:
                    model.fit(gen)
        """,
        "version guard": """
            import keras

            def train(model, gen):
                if keras.__version__.startswith("2"):
                    model.fit_generator(gen)
        """,
        "try/except AttributeError fallback": """
            def train(model, gen):
                try:
                    model.fit_generator(gen)
                except AttributeError:
                    model.fit(gen)
        """,
    },
    "KC505": {
        "opaque path": """
            def save(model, path):
                model.save_weights(path)
        """,
        ".weights.h5 in an f-string": """
            def save(model, step):
                model.save_weights(f"ckpt/{step}.weights.h5")
        """,
        "a format placeholder at the end": """
            def save(model, path):
                model.save_weights("{}".format(path))
        """,
        "a local variable assigned twice (the branch decides)": """
            def save(model, legacy):
                path = "model.weights.h5"
                if legacy:
                    path = "model.h5"
                model.save_weights(path)
        """,
        "a local variable extended with +=": """
            def save(model):
                path = "model"
                path += ".weights.h5"
                model.save_weights(path)
        """,
        "a local variable assigned after the call (a loop)": """
            def save(model, epochs):
                for epoch in range(epochs):
                    if epoch:
                        model.save_weights(path)
                    path = f"ckpt/{epoch}.h5"
        """,
        "a variable of the enclosing function": """
            def save(model):
                path = "model.h5"

                def later():
                    model.save_weights(path)
                return later
        """,
        "a module variable another function rebinds (global)": """
            PATH = "model.h5"

            def configure(out):
                global PATH
                PATH = out + ".weights.h5"

            model = make_model()
            model.save_weights(PATH)
        """,
        "a local variable ending in .weights.h5": """
            def save(model, out_dir):
                path = out_dir + "/model.weights.h5"
                model.save_weights(path)
        """,
    },
    "KC506": {
        "full model to .h5": """
            import keras

            cb = keras.callbacks.ModelCheckpoint("best.h5", save_best_only=True)
        """,
        "weights to .weights.h5": """
            import keras

            cb = keras.callbacks.ModelCheckpoint("w.{epoch:02d}.weights.h5", save_weights_only=True)
        """,
        "save_weights_only not a literal": """
            import keras

            def make(flag):
                return keras.callbacks.ModelCheckpoint("w.h5", save_weights_only=flag)
        """,
    },
    "KC507": {
        "a project function that may return something else": """
            import keras

            class Classifier(keras.Model):
                pass

            def build(pretrained):
                if pretrained:
                    return load_checkpoint_manager()
                return Classifier()

            build(True).save("exported")
        """,
        "a project function returning its argument or a non-Keras object": """
            import keras

            class Trainer:
                def save(self, path):
                    pass

            def make_trainer():
                return Trainer()

            def wrap(model):
                return model

            make_trainer().save("exported")
            wrap(keras.Sequential()).save("exported")
        """,
        "a project generator function": """
            import keras

            def models():
                yield keras.Sequential()

            for_later = models()
            for_later.save("exported")
        """,
        "a local variable naming an .h5 file (Keras 3 still writes H5)": """
            import keras

            model = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(1)])
            path = "model.h5"
            model.save(path)
        """,
        "tf.train.Checkpoint.save": """
            import tensorflow as tf

            ckpt = tf.train.Checkpoint(step=tf.Variable(1))
            ckpt.save("ckpt/prefix")
        """,
        "PIL image save": """
            from PIL import Image

            img = Image.new("RGB", (2, 2))
            img.save("out")
        """,
        ".keras, .h5, .hdf5": """
            import keras

            model = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(1)])
            model.save("a.keras")
            model.save("b.h5")
            model.save("c.hdf5")
        """,
        "save_format='h5' with an .h5 name": """
            import keras

            model = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(1)])
            model.save("b.h5", save_format="h5")
        """,
    },
    "KC508": {
        "legacy H5 weights still load": """
            def restore(model):
                model.load_weights("weights.h5")
        """,
        "hf:// presets": """
            import keras

            model = keras.saving.load_model("hf://user/model")
        """,
        "an opaque path": """
            import keras

            def load(path):
                return keras.models.load_model(path)
        """,
    },
    "KC509": {
        "public paths": """
            from keras.layers import Dense, Layer
            from keras.utils import to_categorical
        """,
        "try: old path except ImportError: new path": """
            try:
                from keras.engine.topology import Layer
            except ImportError:
                from keras.layers import Layer
        """,
    },
    "KC510": {
        "keras.layers.Rescaling": """
            import keras

            rescale = keras.layers.Rescaling(1 / 255)
        """,
        "RandomFourierFeatures is KC528's": """
            import tensorflow as tf

            rff = tf.keras.layers.experimental.RandomFourierFeatures(64)
        """,
    },
    "KC511": {
        "tf op inside a Lambda": """
            import keras
            import tensorflow as tf

            inputs = keras.Input(shape=(4, 1))
            squeezed = keras.layers.Lambda(lambda t: tf.squeeze(t, axis=-1))(inputs)
        """,
        "tf op inside call()": """
            import keras
            import tensorflow as tf

            class Squeeze(keras.layers.Layer):
                def call(self, inputs):
                    return tf.squeeze(inputs, axis=-1)
        """,
        "operator with a tf constant": """
            import keras
            import tensorflow as tf

            inputs = keras.Input(shape=(4,))
            doubled = inputs * tf.constant(2.0)
        """,
        "tf ops on data": """
            import tensorflow as tf

            def preprocess(images):
                return tf.image.resize(images, (32, 32))
        """,
    },
    "KC512": {
        "hub layer in a tf_keras model": """
            import tf_keras
            import tensorflow_hub as hub

            model = tf_keras.Sequential([hub.KerasLayer("https://tfhub.dev/x/1"), tf_keras.layers.Dense(1)])
        """,
        "one Keras throughout": """
            import keras

            model = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(2)])
        """,
    },
    "KC513": {
        "sklearn-like fit with workers only": """
            def train(estimator, x, y):
                estimator.fit(x, y, workers=4)
        """,
        "many positional arguments on an unknown receiver": """
            def infer(model, x):
                return model.predict(x, 64, 0, None, None, 10, 4, True)
        """,
        "predict with the five positions Keras 3 keeps": """
            import keras

            model = keras.Sequential([keras.Input(shape=(2,)), keras.layers.Dense(1)])
            y = model.predict(x, 64, 0, None, [])
        """,
        "Keras 3 evaluate with return_dict by position": """
            import keras

            model = keras.Sequential([keras.Input(shape=(2,)), keras.layers.Dense(1)])
            scores = model.evaluate(x, y, 64, 0, None, None, None, True)
        """,
        "positions after *args are unknown": """
            import keras

            model = keras.Sequential([keras.Input(shape=(2,)), keras.layers.Dense(1)])
            y = model.predict(*arguments, 64, 0, None, None, 10)
        """,
        "PyDataset takes them": """
            import keras

            class Data(keras.utils.PyDataset):
                def __len__(self):
                    return 1

                def __getitem__(self, i):
                    return [0], [0]

            data = Data(workers=4, use_multiprocessing=True)
        """,
    },
    "KC514": {
        "no input_length": """
            import keras

            layer = keras.layers.Embedding(100, 8)
        """,
    },
    "KC515": {
        "model.output_shape on the model": """
            def shape(model):
                return model.output_shape
        """,
        "a layer's own output_shape attribute": """
            import keras

            class Proj(keras.layers.Layer):
                def __init__(self, output_shape, **kwargs):
                    super().__init__(**kwargs)
                    self.output_shape = output_shape
        """,
        "stateful of a constructed LSTM": """
            import keras

            lstm = keras.layers.LSTM(4, stateful=True)
            flag = lstm.stateful
        """,
        "unknown receivers": """
            def shape(thing):
                return thing.output_shape
        """,
    },
    "KC516": {
        "InputLayer(batch_input_shape=)": """
            import keras

            layer = keras.layers.InputLayer(batch_input_shape=(None, 3))
        """,
        "input_shape= (only warns)": """
            import keras

            layer = keras.layers.Dense(3, input_shape=(4,))
        """,
    },
    "KC517": {
        "tf.keras.preprocessing (the shim keeps it)": """
            import tensorflow as tf
            from tensorflow.keras.preprocessing.image import ImageDataGenerator
            from tensorflow.keras.preprocessing.text import Tokenizer

            gen = ImageDataGenerator(rescale=1 / 255)
            tok = tf.keras.preprocessing.text.Tokenizer()
        """,
        "kept standalone names": """
            from keras.preprocessing.image import load_img, img_to_array
            from keras.preprocessing.sequence import pad_sequences
        """,
    },
    "KC518": {
        "functional model .input": """
            import keras

            inputs = keras.Input(shape=(3,))
            model = keras.Model(inputs, keras.layers.Dense(1)(inputs))
            again = keras.Model(model.input, model.output)
        """,
        "unknown receiver": """
            def io(model):
                return model.input, model.output
        """,
    },
    "KC519": {
        "add_loss in call()": """
            import keras

            class Penalty(keras.layers.Layer):
                def call(self, inputs):
                    self.add_loss(keras.ops.sum(inputs))
                    return inputs
        """,
        "add_loss on an unknown object": """
            def attach(model, loss):
                model.add_loss(loss)
        """,
    },
    "KC520": {
        "printing metrics_names": """
            def show(model):
                print(model.metrics_names)
        """,
        "a library's own metrics_names": """
            class Logger:
                def log(self, values):
                    return dict(zip(self.metrics_names, values))
        """,
    },
    "KC521": {
        "add_metric on an unknown object": """
            def attach(thing, value):
                thing.add_metric(value)
        """,
    },
    "KC522": {
        "decay=0": """
            import keras

            opt = keras.optimizers.SGD(learning_rate=0.1, decay=0.0)
        """,
        "weight_decay": """
            import keras

            opt = keras.optimizers.AdamW(learning_rate=0.1, weight_decay=0.01)
        """,
    },
    "KC523": {
        "tf_keras legacy optimizer": """
            import tf_keras

            opt = tf_keras.optimizers.legacy.Adam()
        """,
        "version-guarded": """
            import tensorflow as tf
            from packaging import version

            if version.parse(tf.__version__) < version.parse("2.16"):
                opt = tf.keras.optimizers.legacy.Adam()
            else:
                opt = tf.keras.optimizers.Adam()
        """,
    },
    "KC524": {
        "safe_mode decided": """
            import keras

            double = keras.layers.Lambda(lambda t: t * 2)
            model = keras.Sequential([keras.Input(shape=(2,)), double])
            model.save("double.keras")
            again = keras.models.load_model("double.keras", safe_mode=False)
        """,
        "a load of a file the module did not save with a lambda": """
            import keras

            double = keras.layers.Lambda(lambda t: t * 2)
            other = keras.models.load_model("pretrained.keras")
        """,
    },
    "KC525": {
        "ELU(alpha=) is kept": """
            import keras

            act = keras.layers.ELU(alpha=1.0)
        """,
        "negative_slope": """
            import keras

            act = keras.layers.LeakyReLU(negative_slope=0.2)
        """,
    },
    "KC526": {
        "Keras 3 optimizer": """
            import keras

            class Mine(keras.optimizers.Optimizer):
                def update_step(self, gradient, variable, learning_rate):
                    self.assign_sub(variable, learning_rate * gradient)
        """,
        "TF1 optimizer minimize": """
            import tensorflow as tf

            opt = tf.compat.v1.train.AdamOptimizer()
            step = opt.minimize(loss)
        """,
    },
    "KC527": {
        "static tests": """
            import keras

            class Maybe(keras.layers.Layer):
                def call(self, inputs, training=None, mask=None):
                    if training:
                        inputs = inputs * 2
                    if mask is not None:
                        inputs = inputs * mask
                    if inputs.shape[-1] > 8:
                        inputs = inputs[..., :8]
                    return inputs
        """,
        "configuration arguments": """
            import keras

            class Pad(keras.layers.Layer):
                def call(self, inputs, padding="same", length=0):
                    if padding == "same" and length > 0:
                        return inputs
                    return inputs
        """,
    },
    "KC528": {
        "tf.keras shim keeps ThresholdedReLU / RandomHeight": """
            import tensorflow as tf

            act = tf.keras.layers.ThresholdedReLU(theta=1.0)
            aug = tf.keras.layers.RandomHeight(0.1)
        """,
    },
    "KC529": {
        "set_global_policy": """
            import keras

            keras.mixed_precision.set_global_policy("mixed_float16")
        """,
        "scale_loss": """
            import keras

            opt = keras.mixed_precision.LossScaleOptimizer(keras.optimizers.Adam())
            scaled = opt.scale_loss(1.0)
        """,
    },
    "KC530": {
        "tf.keras Reduction.SUM (the shim keeps the enum)": """
            import tensorflow as tf

            loss = tf.keras.losses.MeanSquaredError(reduction=tf.keras.losses.Reduction.SUM)
        """,
        "string reductions": """
            import keras

            loss = keras.losses.MeanSquaredError(reduction="sum_over_batch_size")
        """,
    },
    "KC531": {
        "reset_states zeroes every add_variable variable (Keras 3's default reset_state does the same)": """
            import keras


            class Count(keras.metrics.Metric):
                def __init__(self, **kwargs):
                    super().__init__(**kwargs)
                    self.total = self.add_variable(shape=(), initializer="zeros", name="total")
                    self.seen = self.add_variable(shape=(), initializer="zeros", name="seen")

                def update_state(self, y_true, y_pred, sample_weight=None):
                    self.total.assign_add(keras.ops.sum(y_pred))
                    self.seen.assign_add(1.0)

                def result(self):
                    return self.total / self.seen

                def reset_states(self):
                    self.total.assign(0.0)
                    self.seen.assign(keras.ops.zeros(()))
        """,
        "reset_states zeroes self.variables in a loop": """
            import keras


            class Count(keras.metrics.Metric):
                def __init__(self, **kwargs):
                    super().__init__(**kwargs)
                    self.total = self.add_weight(name="total", initializer="ones")

                def update_state(self, y_true, y_pred, sample_weight=None):
                    self.total.assign_add(1.0)

                def result(self):
                    return self.total

                def reset_states(self):
                    for variable in self.variables:
                        variable.assign(keras.ops.zeros_like(variable))
        """,
        "RNN layer reset_states": """
            import keras

            lstm = keras.layers.LSTM(4, stateful=True)
            lstm.reset_states()
        """,
        "reset_state": """
            import keras

            m = keras.metrics.Mean()
            m.reset_state()
        """,
        "unknown receiver": """
            def reset(thing):
                thing.reset_states()
        """,
        "Metric defining reset_state and a reset_states alias (keras-cv, keras-nlp style)": """
            import keras

            class Hits(keras.metrics.Metric):
                def reset_state(self):
                    self.hits.assign(0.0)

                def reset_states(self):
                    # Keras 2 name, kept for old callers.
                    self.reset_state()
        """,
        "self.reset_states() inside a metric that defines it": """
            import keras

            class Legacy(keras.metrics.Metric):
                def reset_state(self):
                    self.reset_states()

                def reset_states(self):
                    self.total.assign(0.0)
        """,
        "reset_states() on an instance of a project metric that defines it": """
            import keras

            class Tracker(keras.metrics.Mean):
                def reset_state(self):
                    super().reset_state()

                def reset_states(self):
                    self.reset_state()

            tracker = Tracker()
            tracker.reset_states()
            Tracker().reset_states()
        """,
        "a subclass of a project metric that defines reset_states": """
            import keras

            class Base(keras.metrics.Metric):
                def reset_state(self):
                    self.total.assign(0.0)

                def reset_states(self):
                    self.reset_state()

            class Child(Base):
                def on_epoch_end(self):
                    self.reset_states()
        """,
    },
    "KC532": {
        "add_update outside Keras classes": """
            class Tracker:
                def step(self, value):
                    self.add_update(value)
        """,
    },
    "KC533": {
        "run_eagerly": """
            def setup(model):
                model.compile(optimizer="sgd", loss="mean_squared_error", run_eagerly=True)
        """,
        "re.compile": """
            import re

            pattern = re.compile("a+", re.I)
        """,
        "distribute without compile arguments": """
            def setup(builder, strategy):
                builder.compile(distribute=strategy)
        """,
    },
    "KC534": {
        "dynamic on a non-Keras call": """
            def make(factory):
                return factory(dynamic=True)
        """,
        "BatchNormalization without removed arguments": """
            import keras

            bn = keras.layers.BatchNormalization(momentum=0.9)
        """,
        "a BatchNormalization subclass that takes fused= itself": """
            import keras

            class Norm(keras.layers.BatchNormalization):
                def __init__(self, fused=False, **kwargs):
                    super().__init__(**kwargs)
                    self.prefers_fused = fused

            class SyncNorm(Norm):
                def __init__(self, **kwargs):
                    super().__init__(fused=True, **kwargs)

            norm = Norm(fused=True)
        """,
        "fused= to another library's batch norm subclass": """
            from flax import linen as nn

            class Norm(nn.BatchNorm):
                def __init__(self, fused=False, **kwargs):
                    super().__init__(fused=fused, **kwargs)
        """,
    },
    "KC535": {
        "single output": """
            import keras

            inputs = keras.Input(shape=(3,))
            model = keras.Model(inputs, keras.layers.Dense(1)(inputs))
            model.compile(loss="mean_squared_error", metrics=["mae"])
        """,
        "the name rebound to a single-output model": """
            import keras

            inputs = keras.Input(shape=(3,))
            a = keras.layers.Dense(1)(inputs)
            b = keras.layers.Dense(1)(inputs)
            model = keras.Model(inputs, [a, b])
            model = keras.Model(inputs, a)
            model.compile(loss="mean_squared_error", metrics=["mae"])
        """,
        "one list per output": """
            import keras

            inputs = keras.Input(shape=(3,))
            a = keras.layers.Dense(1)(inputs)
            b = keras.layers.Dense(1)(inputs)
            model = keras.Model(inputs, [a, b])
            model.compile(loss="mean_squared_error", metrics=[["mae"], ["mae"]])
        """,
    },
    "KC536": {
        "a bare legacy .h5 load": """
            import keras

            model = keras.models.load_model("pretrained.h5")
        """,
        "full loss name": """
            import keras

            model = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(1)])
            model.compile(optimizer="adam", loss="mean_squared_error")
            model.save("m.h5")
            again = keras.models.load_model("m.h5")
        """,
        "compile=False": """
            import keras

            model = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(1)])
            model.compile(optimizer="adam", loss="mse")
            model.save("m.keras")
            again = keras.models.load_model("m.keras")
        """,
    },
    "KC537": {
        "l1_l2": """
            import keras

            reg = keras.regularizers.l1_l2(l1=0.01, l2=0.01)
        """,
    },
}


# ==== issue 15: KC538, KC539 (begin) ================================================================
INVALID.update({
    "KC538": {
        "compiled_loss in train_step": """
            import keras
            import tensorflow as tf

            class Net(keras.Model):
                def train_step(self, data):
                    x, y = data
                    with tf.GradientTape() as tape:
                        loss = self.compiled_loss(y, self(x, training=True))
                    grads = tape.gradient(loss, self.trainable_variables)
                    self.optimizer.apply_gradients(zip(grads, self.trainable_variables))
                    return {"loss": loss}
        """,
        "compiled_metrics.update_state in test_step, `from tensorflow import keras`": """
            from tensorflow import keras

            class Net(keras.Model):
                def test_step(self, data):
                    x, y = data
                    y_pred = self(x, training=False)
                    self.compiled_metrics.update_state(y, y_pred)
                    return {m.name: m.result() for m in self.metrics}
        """,
        "compiled_metrics.metrics in a metrics property (AttributeError)": """
            import keras

            class Net(keras.Model):
                @property
                def metrics(self):
                    return [self.loss_tracker] + self.compiled_metrics.metrics
        """,
        "compiled_metrics.reset_state": """
            from keras.models import Model

            class Net(Model):
                def reset_metrics(self):
                    self.compiled_metrics.reset_state()
        """,
        "a method of a Model subclass of a functional model": """
            import keras

            class Trainer(keras.Model):
                def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
                    return self.compiled_loss(y, y_pred, sample_weight)
        """,
    },
    "KC539": {
        "keras.callbacks.experimental.BackupAndRestore, `import keras`": """
            import keras

            backup = keras.callbacks.experimental.BackupAndRestore("/tmp/backup")
        """,
        "from ... import BackupAndRestore": """
            from tensorflow.keras.callbacks.experimental import BackupAndRestore
        """,
        "UpdateEmbeddingCallback (no Keras 3 equivalent)": """
            import tensorflow as tf

            callback = tf.keras.callbacks.experimental.UpdateEmbeddingCallback(embedding, 100)
        """,
    },
})
VALID.update({
    "KC538": {
        "compute_loss and self.metrics": """
            import keras

            class Net(keras.Model):
                def train_step(self, data):
                    x, y = data
                    y_pred = self(x, training=True)
                    loss = self.compute_loss(y=y, y_pred=y_pred)
                    for metric in self.metrics:
                        metric.update_state(loss) if metric.name == "loss" else metric.update_state(y, y_pred)
                    return {m.name: m.result() for m in self.metrics}
        """,
        "a layer's own attribute of that name": """
            import keras

            class Head(keras.layers.Layer):
                def call(self, inputs):
                    return self.compiled_loss(inputs)
        """,
        "another object's compiled_loss (a wrapped model)": """
            import keras

            class Wrapper(keras.Model):
                def train_step(self, data):
                    return self.inner.compiled_loss(*data)
        """,
        "tf_keras code": """
            import tf_keras

            class Net(tf_keras.Model):
                def test_step(self, data):
                    x, y = data
                    self.compiled_metrics.update_state(y, self(x))
                    return {m.name: m.result() for m in self.metrics}
        """,
        "under a hasattr guard": """
            import keras

            class Net(keras.Model):
                def test_step(self, data):
                    x, y = data
                    if hasattr(self, "compiled_metrics"):
                        self.compiled_metrics.update_state(y, self(x))
                    return {m.name: m.result() for m in self.metrics}
        """,
    },
    "KC539": {
        "keras.callbacks.BackupAndRestore": """
            import keras

            backup = keras.callbacks.BackupAndRestore("/tmp/backup")
        """,
        "tf_keras keeps it": """
            import tf_keras

            backup = tf_keras.callbacks.experimental.BackupAndRestore("/tmp/backup")
        """,
    },
})
# ==== issue 15: KC538, KC539 (end) ==================================================================

# ==== issue 15: KC540, KC541 (begin) ================================================================
INVALID.update({
    "KC540": {
        "tf.keras Sequential saved to a SavedModel directory with signatures": """
            import tensorflow as tf

            model = tf.keras.Sequential([tf.keras.Input(shape=(4,)), tf.keras.layers.Dense(1)])
            serve = tf.function(lambda x: model(x), input_signature=[tf.TensorSpec([None, 4])])
            model.save("export/1", signatures=serve)
        """,
        "signatures= and options= together: one finding": """
            import keras
            import tensorflow as tf

            def export(inputs, outputs, path, serve):
                model = keras.Model(inputs, outputs)
                model.save(path, signatures=serve, options=tf.saved_model.SaveOptions(save_debug_info=True))
        """,
        "a .keras path (tf_keras raised there too)": """
            import keras

            model = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(1)])
            model.save("model.keras", save_traces=False)
        """,
        "self.save in a Model subclass": """
            from tensorflow import keras

            class Net(keras.Model):
                def export(self, path):
                    self.save(path, save_traces=False)
        """,
        "super().save in a Model subclass's save() override that passes the arguments on": """
            import tensorflow as tf

            class SimilarityModel(tf.keras.Model):
                def save(self, filepath, signatures=None, options=None, save_traces=True):
                    super().save(filepath, signatures=signatures, options=options, save_traces=save_traces)
        """,
        "self.model.save in a callback": """
            import tensorflow as tf

            class Export(tf.keras.callbacks.Callback):
                def on_train_end(self, logs=None):
                    self.model.save("export", options=tf.saved_model.SaveOptions())
        """,
        "an unknown receiver given save_format= (a Keras-only keyword)": """
            def export(model, path, serve):
                model.save(path, save_format="tf", include_optimizer=False, signatures=serve)
        """,
        "keras.saving.save_model(..., options=)": """
            import keras

            def export(model, path, options):
                keras.saving.save_model(model, path, options=options)
        """,
        "tf.keras.models.save_model(..., signatures=)": """
            import tensorflow as tf

            def export(model, path, serve):
                tf.keras.models.save_model(model, path, signatures=serve)
        """,
    },
    "KC541": {
        "tf.keras.experimental.CosineDecay": """
            import tensorflow as tf

            schedule = tf.keras.experimental.CosineDecay(1e-3, 1000, alpha=0.1)
        """,
        "from tensorflow.keras.experimental import CosineDecayRestarts": """
            from tensorflow.keras.experimental import CosineDecayRestarts

            schedule = CosineDecayRestarts(0.1, first_decay_steps=500)
        """,
        "keras.experimental.LinearCosineDecay, `from tensorflow import keras`": """
            from tensorflow import keras

            def optimizer(learning_rate):
                return keras.optimizers.Adam(keras.experimental.LinearCosineDecay(learning_rate, 750684))
        """,
        "standalone keras.experimental.CosineDecay as a base class": """
            import keras

            class FlatCosine(keras.experimental.CosineDecay):
                pass
        """,
        "tf.compat.v1.keras.experimental.PeepholeLSTMCell": """
            import tensorflow as tf

            cell = tf.compat.v1.keras.experimental.PeepholeLSTMCell(32)
        """,
        "from keras import experimental": """
            from keras import experimental

            model = experimental.WideDeepModel(linear, dnn)
        """,
    },
})
VALID.update({
    "KC540": {
        "include_optimizer= (Keras 3 still takes it)": """
            import keras

            model = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(1)])
            model.save("model.h5", include_optimizer=False)
        """,
        "tf.saved_model.save(model, path, signatures=...)": """
            import keras
            import tensorflow as tf

            model = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(1)])
            tf.saved_model.save(model, "export", signatures=None, options=tf.saved_model.SaveOptions())
        """,
        "a tf.train.Checkpoint saved with options=": """
            import tensorflow as tf

            def save(model, prefix):
                checkpoint = tf.train.Checkpoint(model=model)
                checkpoint.save(prefix, options=tf.train.CheckpointOptions(experimental_io_device="/job:localhost"))
        """,
        "an unknown receiver with only signatures= (not known to be Keras)": """
            def export(module, path, serve):
                module.save(path, signatures=serve)
        """,
        "the project's own save() method": """
            class Exporter:
                def save(self, path, save_format="tf", signatures=None):
                    return path, save_format, signatures

            def run(exporter, serve):
                exporter.save("export", save_format="tf", signatures=serve)
        """,
        "model.export (the Keras 3 SavedModel export)": """
            import keras

            model = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(1)])
            model.export("export")
        """,
        "tf_keras code": """
            import tf_keras

            model = tf_keras.Sequential([tf_keras.Input(shape=(4,)), tf_keras.layers.Dense(1)])
            model.save("export", signatures=None, save_traces=False)
        """,
        "a module that sets TF_USE_LEGACY_KERAS": """
            import os
            os.environ["TF_USE_LEGACY_KERAS"] = "1"
            import tensorflow as tf

            model = tf.keras.Sequential([tf.keras.Input(shape=(4,)), tf.keras.layers.Dense(1)])
            model.save("export", save_traces=False)
        """,
    },
    "KC541": {
        "keras.optimizers.schedules.CosineDecay": """
            import tensorflow as tf

            schedule = tf.keras.optimizers.schedules.CosineDecay(1e-3, 1000, warmup_target=1e-2, warmup_steps=100)
        """,
        "tf_keras keeps keras.experimental": """
            import tf_keras

            schedule = tf_keras.experimental.CosineDecay(1e-3, 1000)
        """,
        "other experimental namespaces (tf.experimental, layers.experimental, callbacks.experimental)": """
            import tensorflow as tf

            ones = tf.experimental.numpy.ones(3)
            rescale = tf.keras.layers.experimental.preprocessing.Rescaling(1.0 / 255)
            backup = tf.keras.callbacks.experimental.BackupAndRestore("/tmp/backup")
            policy = tf.keras.mixed_precision.experimental.Policy("mixed_float16")
        """,
        "the project's own experimental module": """
            from .experimental import CosineDecay
            from mylib.keras.experimental import LinearCosineDecay
        """,
        "an import fallback": """
            try:
                from tensorflow.keras.experimental import CosineDecay
            except ImportError:
                from tensorflow.keras.optimizers.schedules import CosineDecay
        """,
        "a module that sets TF_USE_LEGACY_KERAS": """
            import os
            os.environ["TF_USE_LEGACY_KERAS"] = "1"
            import tensorflow as tf

            schedule = tf.keras.experimental.CosineDecay(1e-3, 1000)
        """,
    },
})
# ==== issue 15: KC540, KC541 (end) ==================================================================

# How many findings of its code an INVALID case yields, when not 1.
COUNTS = {
    ("KC501", "from keras.backend import"): 2,
    ("KC509", "keras.layers.core import (several names)"): 1,
    ("KC511", "tf.concat of two layer outputs"): 1,
    ("KC536", "save_model(m, 'x.hdf5') after compile(loss='mae')"): 1,
}
