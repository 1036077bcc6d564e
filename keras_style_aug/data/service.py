"""Stylization off the training host, in `tf.data` service workers.

`RandomStyleTransfer` is mapped into the dataset before it is handed to a
`tf.data` service: the workers (on machines of their own) run the style
networks and stream stylized batches to the trainer.

A recipe for real hosts (TensorFlow on every host):

1. Dispatcher host: ``tf.data.experimental.service.DispatchServer(
   tf.data.experimental.service.DispatcherConfig(port=5050)).join()``
2. Each worker host: ``tf.data.experimental.service.WorkerServer(
   tf.data.experimental.service.WorkerConfig(dispatcher_address=
   "dispatcher-host:5050", worker_address="this-host:5051", port=5051)).join()``
   (with ``pip install keras-style-aug`` there: the layer's code must import).
3. Trainer: ``stylize_with_service(dataset, layer, "grpc://dispatcher-host:5050")``.

>>> import numpy as np, tensorflow as tf
>>> from keras_style_aug.layers import RandomStyleTransfer
>>> from keras_style_aug.networks import TransformerNet
>>> dispatcher = tf.data.experimental.service.DispatchServer()
>>> worker = tf.data.experimental.service.WorkerServer(
...     tf.data.experimental.service.WorkerConfig(
...         dispatcher_address=dispatcher.target.split("://")[1]))
>>> layer = RandomStyleTransfer(styles=[TransformerNet.from_preset("lite")], rate=1.0)
>>> images = np.zeros((4, 16, 16, 3), "float32")
>>> ds = stylize_with_service(tf.data.Dataset.from_tensor_slices(images).batch(2),
...                           layer, dispatcher.target)
>>> len(list(ds))
2
"""

import keras


def stylize_with_service(
    dataset, layer, service, processing_mode="distributed_epoch", job_name=None
):
    """`dataset.map(layer)`, run by the `tf.data` service at `service`.

    Args:
        dataset: a `tf.data.Dataset` of image batches, of `(images,
            labels, ...)` tuples (the images are stylized, the rest passed
            on; a layer with `class_styles` gets the labels), or of
            `{"images", "labels"}` dicts.
        layer: a `RandomStyleTransfer` (or any Keras preprocessing layer).
        service: the dispatcher address, e.g. `"grpc://dispatcher-host:5050"`.
        processing_mode: `"distributed_epoch"` (each element once, split across
            workers) or `"parallel_epochs"` (every worker runs the whole
            dataset).
        job_name: share one job between several trainers.
    """
    if keras.backend.backend() != "tensorflow":
        raise ValueError(
            "stylize_with_service runs the layer in tf.data service workers, "
            "which need the TensorFlow backend (KERAS_BACKEND=tensorflow); "
            "on other backends apply the layer inside the model instead."
        )
    import tensorflow as tf

    if processing_mode not in ("distributed_epoch", "parallel_epochs"):
        raise ValueError(
            "`processing_mode` must be 'distributed_epoch' or 'parallel_epochs'; "
            f"received {processing_mode!r}."
        )
    mapped = dataset.map(lambda *item: _stylize(layer, item))
    return mapped.apply(
        tf.data.experimental.service.distribute(
            processing_mode=processing_mode, service=service, job_name=job_name
        )
    )


def _stylize(layer, item):
    """`layer` applied to one dataset element: a batch, a dict, or a tuple
    whose first entry is the images (an `(x, y)` dataset failed in `map`)."""
    if len(item) == 1:
        return layer(item[0], training=True)
    images, labels, *rest = item
    if getattr(layer, "class_styles", None):
        batch = layer({"images": images, "labels": labels}, training=True)
        return (batch["images"], labels, *rest)
    return (layer(images, training=True), labels, *rest)
