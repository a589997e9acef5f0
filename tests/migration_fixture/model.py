"""The classifier."""
from keras.layers.core import Dense, Dropout
from keras.models import Sequential
from keras.optimizers import Adam

from layers import L2Normalize


def build_model(input_dim=20, classes=3):
    model = Sequential()
    model.add(Dense(32, activation="relu", input_shape=(input_dim,)))
    model.add(Dropout(0.2))
    model.add(L2Normalize())
    model.add(Dense(classes, activation="softmax"))
    model.compile(optimizer=Adam(lr=0.01), loss="categorical_crossentropy", metrics=["accuracy"])
    return model
