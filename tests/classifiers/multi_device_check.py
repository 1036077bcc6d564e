"""Trains the same tiny classifier, with on-the-fly stylization inside, on one
device and on two logical CPU devices; prints both loss histories as JSON.
Run by test_multi_device.py in a fresh process per backend."""

import json
import os
import sys

backend = os.environ["KERAS_BACKEND"]
if backend == "tensorflow":
    import tensorflow as tf

    cpu = tf.config.list_physical_devices("CPU")[0]
    tf.config.set_logical_device_configuration(
        cpu, [tf.config.LogicalDeviceConfiguration()] * 2
    )

import keras  # noqa: E402
import numpy as np  # noqa: E402

from keras_style_aug.classifiers import fit_classifier  # noqa: E402
from keras_style_aug.layers import RandomStyleTransfer  # noqa: E402
from keras_style_aug.networks import TransformerNet  # noqa: E402

rng = np.random.default_rng(0)
x = rng.uniform(0, 255, (16, 16, 16, 3)).astype("float32")
y = (x[:, :8].mean(axis=(1, 2, 3)) > x[:, 8:].mean(axis=(1, 2, 3))).astype("float32")
net = TransformerNet(filters=(4, 8, 8), residual_blocks=1, name="toy")
net.build()
net.set_weights([rng.normal(0, 0.2, w.shape).astype("float32") for w in net.weights])
weights = net.get_weights()


def build():
    keras.utils.set_random_seed(0)
    style = TransformerNet(filters=(4, 8, 8), residual_blocks=1, name="toy")
    style.build()
    style.set_weights(weights)
    model = keras.Sequential(
        [
            keras.Input((16, 16, 3)),
            RandomStyleTransfer(styles=[style], rate=1.0, seed=0),  # deterministic
            keras.layers.Rescaling(1 / 255.0),
            keras.layers.Conv2D(4, 3, activation="relu"),
            keras.layers.GlobalAveragePooling2D(),
            keras.layers.Dense(1, activation="sigmoid"),
        ]
    )
    model.compile(keras.optimizers.SGD(0.5), "binary_crossentropy")
    return model


def losses(**kwargs):
    _, history = fit_classifier(
        build, x, y, epochs=3, batch_size=16, verbose=0, shuffle=False, **kwargs
    )
    return history.history["loss"]


single = losses()
if backend == "tensorflow":
    import tensorflow as tf

    devices = [d.name for d in tf.config.list_logical_devices("CPU")]
    multi = losses(strategy=tf.distribute.MirroredStrategy(devices))
else:
    import jax

    devices = [str(d) for d in jax.devices()]
    multi = losses(distribution=keras.distribution.DataParallel(devices=jax.devices()))
json.dump({"devices": devices, "single": single, "multi": multi}, sys.stdout)
