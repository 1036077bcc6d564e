"""Grad-CAM (Selvaraju et al. 2017) for Keras 3 functional models.

The gradient of the class score with respect to a conv layer's feature maps is
averaged over space into channel weights; the weighted sum of the maps, passed
through a ReLU and upsampled to the image, is the heatmap.

>>> import keras, numpy as np
>>> inputs = keras.Input((16, 16, 3))
>>> feats = keras.layers.Conv2D(4, 3, padding="same", name="conv")(inputs)
>>> pooled = keras.layers.GlobalAveragePooling2D()(feats)
>>> model = keras.Model(inputs, keras.layers.Dense(1, activation="sigmoid")(pooled))
>>> grad_cam(model, np.ones((2, 16, 16, 3), "float32")).shape
(2, 16, 16)
"""

import keras
import numpy as np
from keras import ops

from keras_style_aug.utils.keras_private import Functional

_EPS = 1e-7


def last_conv_layer(model):
    """Name of the last layer with a 4-D (N, H, W, C) output; in a model
    nested in `model` (e.g. an applications base), its last such layer."""
    model = as_functional(model)
    for layer in reversed(model.layers):
        if isinstance(layer, keras.layers.InputLayer):
            continue
        if isinstance(layer, (Functional, keras.Sequential)):
            try:
                return last_conv_layer(layer)
            except ValueError:
                continue
        if len(_called_in(model, layer).output_tensors[0].shape) == 4:
            return layer.name
    raise ValueError(
        f"Model {model.name!r} has no layer with a 4-D output; pass "
        "`layer_name` of a convolutional layer."
    )


def as_functional(model):
    """A functional view of `model`: a built `keras.Sequential` is the graph
    of its own layers, a `LabelAwareClassifier` its classifier (what it is
    at inference); other models must be functional."""
    from keras_style_aug.classifiers.label_aware import LabelAwareClassifier

    if isinstance(model, LabelAwareClassifier):
        model = model.classifier
    if isinstance(model, keras.Sequential):
        graph = getattr(model, "_functional", None)  # the graph Keras keeps
        if graph is None:
            raise ValueError(
                f"Sequential model {model.name!r} has no input shape yet: "
                "start it with keras.Input(shape) or call it on a batch first."
            )
        return graph
    if not isinstance(model, Functional):
        raise ValueError(
            f"grad_cam needs a functional or Sequential model; {model.name!r} is "
            f"a subclassed {type(model).__name__}, whose layers form no graph. "
            "Pass the functional model it wraps."
        )
    return model


def _called_in(model, layer):
    """The node where `model`'s own graph calls `layer` (a nested model's
    `output` is that of its own graph, not of `model`'s)."""
    for nodes in model._nodes_by_depth.values():
        for node in nodes:
            if node.operation is layer:
                return node
    raise ValueError(f"{layer.name!r} is not called in model {model.name!r}.")


def _path_to(model, layer_name):
    """The layers from `model` down to `layer_name`: `[layer]`, or
    `[nested model, ..., layer]` for a layer inside a nested model."""
    for layer in model.layers:
        if layer.name == layer_name:
            return [layer]
        if isinstance(layer, (Functional, keras.Sequential)):
            inner = _path_to(as_functional(layer), layer_name)
            if inner:
                return [layer, *inner]
    return []


def _between(start, end):
    """The graph from tensor `start` to `end` as a callable (Keras builds
    no model from a tensor to itself)."""
    if start is end:
        return lambda x, training=False: x
    return keras.Model(start, end)


def _split_at(model, layer_name):
    """`(features, head)`: image -> `layer_name`'s output -> model output,
    through nested models (a VGG16 base called inside a classifier)."""
    path = _path_to(model, layer_name)
    if not path:
        raise ValueError(
            f"Model {model.name!r} has no layer {layer_name!r}; choose a "
            f"convolutional layer, e.g. {last_conv_layer(model)!r}."
        )
    return _split_along(model, path)


def _split_along(model, path):
    """`_split_at` for the `path` of layers `_path_to` found."""
    node = _called_in(model, path[0])
    if len(path) == 1:
        output = node.output_tensors[0]
        if len(output.shape) != 4:
            raise ValueError(
                f"Grad-CAM explains a convolutional layer's (N, H, W, C) "
                f"output; {path[0].name!r} outputs shape {tuple(output.shape)}. "
                f"Choose one such as {last_conv_layer(model)!r}."
            )
        return _between(model.inputs[0], output), _between(output, model.outputs[0])
    inner_features, inner_head = _split_along(as_functional(path[0]), path[1:])
    before = _between(model.inputs[0], node.input_tensors[0])
    after = _between(node.output_tensors[0], model.outputs[0])

    def features(x, training=False):
        return inner_features(before(x, training=training), training=training)

    def head(f, training=False):
        return after(inner_head(f, training=training), training=training)

    return features, head


def _class_score(outputs, class_index, sigmoid_output):
    """Pre-activation score of `class_index` (a (N,) int tensor) per image."""
    if outputs.shape[-1] == 1:
        p = ops.clip(ops.cast(outputs[:, 0], "float32"), _EPS, 1 - _EPS)
        logit = ops.log(p) - ops.log(1 - p) if sigmoid_output else p
        sign = ops.where(class_index == 1, 1.0, -1.0)
        return sign * logit
    picked = ops.take_along_axis(outputs, class_index[:, None], axis=1)[:, 0]
    return ops.log(ops.cast(picked, "float32") + _EPS)


def _gradient(fn, x):
    """d sum(fn(x)) / dx on the current backend."""
    backend = keras.backend.backend()
    if backend == "tensorflow":
        import tensorflow as tf

        x = tf.convert_to_tensor(x)
        with tf.GradientTape() as tape:
            tape.watch(x)
            total = tf.reduce_sum(fn(x))
        return tape.gradient(total, x)
    if backend == "jax":
        import jax

        return jax.grad(lambda v: fn(v).sum())(x)
    if backend == "torch":
        x = ops.convert_to_tensor(x).detach().requires_grad_(True)
        fn(x).sum().backward()
        return x.grad
    raise NotImplementedError(f"grad_cam does not support the {backend} backend.")


def grad_cam(model, images, layer_name=None, class_index=None):
    """Grad-CAM heatmaps in [0, 1], shape `(N, H, W)` of the input images.

    Args:
        model: a functional or Sequential Keras model (e.g.
            `build_vgg16_classifier`).
        images: `(N, H, W, C)` images as the model takes them.
        layer_name: conv layer to explain, also one inside a nested model
            (e.g. `"block5_conv3"` of a `keras.applications.VGG16` base
            called inside the classifier); default the last 4-D layer, inside
            such a base its last one.
        class_index: class to explain, an int or one per image; default the
            predicted class. For a single sigmoid output, class 1 is the
            positive class and class 0 its complement.
    """
    images = np.asarray(images, "float32")
    if images.ndim != 4:
        raise ValueError(
            f"grad_cam expects a batch of images (N, H, W, C); received shape "
            f"{images.shape}."
        )
    model = as_functional(model)
    features_model, head = _split_at(model, layer_name or last_conv_layer(model))
    sigmoid_output = getattr(model.layers[-1], "activation", None) is (
        keras.activations.sigmoid
    )
    features = features_model(images, training=False)
    outputs = head(features, training=False)
    if class_index is None:
        if outputs.shape[-1] == 1:
            class_index = ops.cast(outputs[:, 0] > 0.5, "int32")
        else:
            class_index = ops.argmax(outputs, axis=-1)
    else:  # a class the model has no output for explained another, silently
        classes = 2 if outputs.shape[-1] == 1 else outputs.shape[-1]
        given = np.asarray(class_index)
        if given.size and not 0 <= given.min() <= given.max() < classes:
            raise ValueError(
                f"`class_index` {given.tolist()} is out of range: the model "
                f"scores {classes} classes (0..{classes - 1})."
            )
    class_index = ops.cast(
        ops.broadcast_to(ops.convert_to_tensor(class_index), (len(images),)),
        "int32",
    )

    def score(f):
        return _class_score(head(f, training=False), class_index, sigmoid_output)

    grads = _gradient(score, features)
    weights = ops.mean(ops.cast(grads, "float32"), axis=(1, 2), keepdims=True)
    cam = ops.relu(ops.sum(weights * ops.cast(features, "float32"), axis=-1))
    cam = ops.image.resize(cam[..., None], images.shape[1:3], interpolation="bilinear")
    cam = ops.convert_to_numpy(cam)[..., 0]
    peak = cam.reshape(len(cam), -1).max(axis=1)[:, None, None]
    return np.where(peak > 0, cam / np.maximum(peak, _EPS), 0.0).astype("float32")
