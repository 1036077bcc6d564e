"""Pixel bookkeeping for `RandomStyleTransfer`: input checks, the layer's
`value_range` <-> [0, 1] (the networks' range), blending and colour
preservation, and class indices from labels."""

import keras
import numpy as np

# Luma coefficients (ITU-R BT.601). They sum to 1 and the chroma axes of YIQ
# are orthogonal to them, so replacing luma keeps I and Q exactly.
LUMA = (0.299, 0.587, 0.114)


def is_concrete(x):
    """Whether `x` has values here (eager), not only a traced shape."""
    try:
        keras.ops.convert_to_numpy(x[:1] if len(tuple(x.shape)) else x)
    except Exception:  # a TensorFlow graph, a JAX tracer, a symbolic tensor
        return False
    return True


def on_host(b, fn, value):
    """Calls `fn(value)` in Python when a traced computation (a TensorFlow
    graph: `tf.function`, `tf.data`; JAX's `jit`) runs; `b` is the backend
    it is traced with."""
    if b.name == "tensorflow":
        import tensorflow as tf

        tf.py_function(lambda v: fn(v.numpy()), [value], [])
    elif b.name == "jax":
        import jax

        jax.debug.callback(fn, value)


def check_layer_input(images, data_format):
    """Rank, channels and dtype of the images `RandomStyleTransfer` is
    called on, each named when wrong (the networks check sizes)."""
    shape = tuple(images.shape)
    if len(shape) not in (3, 4):
        raise ValueError(
            "RandomStyleTransfer expects images of rank 3 (H, W, C) or 4 "
            f"(N, H, W, C); received shape {shape}. Batch single images "
            "or drop extra axes."
        )
    channels = shape[-3] if data_format == "channels_first" else shape[-1]
    if channels is not None and channels != 3:
        raise ValueError(
            "RandomStyleTransfer expects RGB images with 3 channels "
            f"({data_format}); received shape {shape} with {channels} "
            "channels. Convert grayscale images to RGB or drop the alpha "
            "channel first, or set `data_format`."
        )
    dtype = keras.backend.standardize_dtype(images.dtype)
    if "float" not in dtype and "int" not in dtype:
        raise TypeError(
            "RandomStyleTransfer expects integer or float images; received "
            f"dtype {dtype}. Decode images to uint8 or float32 first."
        )


def check_labels(labels, images):
    """Labels must be numbers, one per image (integers or one-hot rows)."""
    try:
        dtype = keras.backend.standardize_dtype(getattr(labels, "dtype", "float32"))
    except ValueError:  # e.g. NumPy strings, which some backends cannot name
        dtype = str(getattr(labels, "dtype", type(labels).__name__))
    if "float" not in dtype and "int" not in dtype and dtype != "bool":
        raise TypeError(
            f"'labels' must be integer class indices or one-hot rows; received "
            f"dtype {dtype}. Map class names to indices first (e.g. with "
            "keras.layers.StringLookup)."
        )
    labels_shape = tuple(getattr(labels, "shape", ()))
    batched = len(images.shape) == 4
    if len(labels_shape) > (2 if batched else 1):
        raise ValueError(
            f"'labels' of shape {labels_shape} have too many axes: pass "
            + ("one integer or one one-hot row per image, (N,) or (N, classes)."
               if batched else "an integer or a one-hot row for one image.")
        )  # fmt: skip
    one_hot = len(labels_shape) == (2 if batched else 1) and labels_shape[-1] != 1
    if not one_hot:
        _check_class_indices(labels)
    if not batched:
        return  # one image: a scalar or a one-hot row
    count = labels_shape[0] if labels_shape else 1
    expected = images.shape[0]
    if count is not None and expected is not None and count != expected:
        raise ValueError(
            f"'labels' of shape {labels_shape} do not fit images of shape "
            f"{tuple(images.shape)}: pass one label (an integer or a one-hot "
            "row) per image."
        )


def _check_class_indices(labels):
    """Class indices, where their values are known here (not traced): whole
    numbers from 0 to 2**31 - 1 (1.6 was rounded to class 2, 2**32 wrapped
    to class 0, and NaN left its image unstylized, without a word)."""
    try:
        values = np.asarray(keras.ops.convert_to_numpy(labels), "float64")
    except Exception:  # traced: values unknown until run time
        return
    bad = values[
        ~np.isfinite(values) | (values != np.round(values)) | (values < 0)
        | (values >= 2**31)
    ]  # fmt: skip
    if bad.size:
        raise ValueError(
            "'labels' must be class indices, whole numbers from 0 (or "
            f"one-hot rows); received values such as {bad[:3].tolist()}."
        )


def class_indices(b, labels, batched):
    """Integer class per image from integer, float or one-hot labels."""
    labels = b.convert_to_tensor(labels)
    if not batched:
        labels = b.numpy.expand_dims(labels, 0)
    if len(labels.shape) == 2 and labels.shape[-1] != 1:
        labels = b.numpy.argmax(labels, axis=-1)
    labels = b.numpy.reshape(labels, (-1,))
    if "float" in keras.backend.standardize_dtype(labels.dtype):
        labels = b.numpy.round(labels)
    return b.cast(labels, "int32")


def to_01(b, images, value_range):
    """Images in `value_range` -> [0, 1]."""
    low, high = value_range
    return (images - low) / (high - low)


def blend(b, images, stylized_01, strength, value_range, preserve_color):
    """Stylized [0, 1] images -> `value_range`, colour kept if asked, and
    mixed with the originals by `strength` (one value per image)."""
    if preserve_color:
        original_01 = to_01(b, images, value_range)
        stylized_01 = original_01 + (_luma(b, stylized_01) - _luma(b, original_01))
    low, high = value_range
    stylized = b.numpy.clip(stylized_01, 0.0, 1.0) * (high - low) + low
    strength = b.cast(strength, images.dtype)[:, None, None, None]
    return images + strength * (stylized - images)


def _luma(b, images):
    weights = b.convert_to_tensor(LUMA, images.dtype)
    return b.numpy.sum(images * weights, axis=-1, keepdims=True)
