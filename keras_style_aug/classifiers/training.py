"""Training a classifier on one device or several.

TensorFlow: pass a `tf.distribute` strategy (`MirroredStrategy` for the GPUs of
one machine; `MultiWorkerMirroredStrategy` across machines, each worker started
with the same script and a `TF_CONFIG` naming all workers and its own index,
e.g. `{"cluster": {"worker": ["host1:12345", "host2:12345"]}, "task":
{"type": "worker", "index": 0}}`). JAX: pass a `keras.distribution`
distribution such as `DataParallel()`. The model, and any `RandomStyleTransfer`
inside it, is built under the strategy or distribution, so stylization runs on
every replica with the batch shard it holds.

>>> import keras, numpy as np
>>> def build():
...     model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])
...     model.compile("sgd", "mse")
...     return model
>>> model, history = fit_classifier(build, np.ones((8, 4)), np.ones((8, 1)),
...                                 epochs=2, batch_size=4, verbose=0)
>>> len(history.history["loss"])
2
"""

import keras


def fit_classifier(
    build_model,
    x,
    y=None,
    epochs=1,
    batch_size=None,
    validation_data=None,
    strategy=None,
    distribution=None,
    callbacks=(),
    verbose="auto",
    shuffle=True,
):
    """Builds a compiled model with `build_model()` and fits it.

    Args:
        build_model: a function returning a compiled Keras model, e.g.
            `lambda: build_vgg16_classifier(augmentation=RandomStyleTransfer(...))`.
        x, y, epochs, batch_size, validation_data, callbacks, verbose,
            shuffle: as in `Model.fit`; `batch_size` is the global batch.
        strategy: a `tf.distribute.Strategy` (TensorFlow backend).
        distribution: a `keras.distribution.Distribution` (JAX backend).
    Returns:
        `(model, history)`.
    """
    if strategy is not None and distribution is not None:
        raise ValueError(
            "Pass either `strategy` (TensorFlow) or `distribution` (JAX), not both."
        )
    if strategy is not None and keras.backend.backend() != "tensorflow":
        raise ValueError(
            "`strategy` is a tf.distribute strategy and needs the TensorFlow "
            "backend; on JAX pass distribution=keras.distribution.DataParallel()."
        )
    previous = keras.distribution.distribution()
    if distribution is not None:
        keras.distribution.set_distribution(distribution)
    try:
        if strategy is not None:
            with strategy.scope():
                model = build_model()
        else:
            model = build_model()
        history = model.fit(
            x,
            y,
            batch_size=batch_size,
            epochs=epochs,
            validation_data=validation_data,
            callbacks=list(callbacks),
            verbose=verbose,
            shuffle=shuffle,
        )
    finally:
        if distribution is not None:
            keras.distribution.set_distribution(previous)
    return model, history
