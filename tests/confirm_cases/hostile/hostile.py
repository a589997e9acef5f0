"""Classes that try to take the confirmation down with them."""
import os
import signal
import sys
import time

import tensorflow as tf
from tensorflow import keras

print("module-level print: must not reach kerascheck's output")


class Loops(keras.layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        while True:
            pass
        self.w = tf.Variable(1.0)  # expect: KC101 skipped "timed out"


class BlocksTheAlarm(keras.layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGALRM])
        time.sleep(10**6)
        self.w = tf.Variable(1.0)  # expect: KC101 skipped "timed out"


class Exits(keras.layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        sys.exit(3)
        self.w = tf.Variable(1.0)  # expect: KC101 error "sys.exit(3)"


class HardExits(keras.layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        os._exit(7)
        self.w = tf.Variable(1.0)  # expect: KC101 error "exited with code 7"


class Noisy(keras.layers.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        print("NOISY STDOUT")
        print("NOISY STDERR", file=sys.stderr)
        os.write(1, b"NOISY FD1\n")
        self.w = tf.Variable(1.0)  # expect: KC101 confirmed "'w' is not in layer.weights"

    def call(self, inputs):
        return inputs * self.w
