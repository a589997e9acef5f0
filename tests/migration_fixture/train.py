"""Train the toy classifier."""
import os

from keras.callbacks import ModelCheckpoint

from callbacks import StepDecay
from data import batches, toy_data
from model import build_model


def main(epochs=4, out_dir="."):
    x, y = toy_data()
    model = build_model()
    checkpoint = ModelCheckpoint(os.path.join(out_dir, "weights.{epoch:02d}.hdf5"))
    decay = StepDecay(every=2)
    model.fit_generator(batches(x, y), steps_per_epoch=len(x) // 16, epochs=epochs,
                        callbacks=[checkpoint, decay], verbose=0)
    model.save_weights(os.path.join(out_dir, "final_weights.h5"))
    return model, decay


if __name__ == "__main__":
    main()
