"""Toy data and the generator fit_generator consumed."""
import numpy as np
from keras.utils.np_utils import to_categorical


def toy_data(samples=128, input_dim=20, seed=0):
    rng = np.random.RandomState(seed)
    x = rng.normal(size=(samples, input_dim)).astype("float32")
    y = (x[:, 0] > 0).astype("int64") + (x[:, 1] > 1).astype("int64")
    return x, y


def batches(x, y, batch_size=16):
    """Yields (inputs, one-hot targets) forever."""
    while True:
        order = np.random.permutation(len(x))
        for start in range(0, len(x) - batch_size + 1, batch_size):
            index = order[start:start + batch_size]
            yield x[index], to_categorical(y[index], num_classes=3)
