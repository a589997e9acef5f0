"""A learning-rate schedule, the way Keras 2 tutorials wrote it."""
from keras import backend as K
from keras.callbacks import Callback


class StepDecay(Callback):
    """Multiplies the learning rate by `factor` every `every` epochs."""

    def __init__(self, every=2, factor=0.5):
        super(StepDecay, self).__init__()
        self.every = every
        self.factor = factor
        self.history = []

    def on_epoch_end(self, epoch, logs=None):
        if (epoch + 1) % self.every == 0:
            lr = K.get_value(self.model.optimizer.lr)
            K.set_value(self.model.optimizer.lr, lr * self.factor)
        self.history.append(float(K.get_value(self.model.optimizer.lr)))
