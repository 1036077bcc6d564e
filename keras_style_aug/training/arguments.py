"""`StyleTrainer`'s argument checks and the record of what it trained with."""

import numbers
from pathlib import Path

import keras
import numpy as np

from keras_style_aug.networks import TransformerNet
from keras_style_aug.networks.runtime import MIN_SIDE
from keras_style_aug.styles.registry import sha256
from keras_style_aug.utils.images import load_image


def check_counts(**counts):
    """Each of `counts` a whole number >= 1 (`steps`, `batch_size`, ...)."""
    for argument, value in counts.items():
        whole = isinstance(value, numbers.Integral) and not isinstance(value, bool)
        if not whole or value < 1:
            raise ValueError(
                f"`{argument}` must be a whole number >= 1 (an int); "
                f"received {argument}={value!r}."
            )


def check_image_size(image_size):
    if (
        isinstance(image_size, bool)
        or not isinstance(image_size, numbers.Integral)
        or image_size < MIN_SIDE
    ):
        raise ValueError(
            f"`image_size` must be a whole number >= {MIN_SIDE} (the network "
            f"and VGG-19's pooling need {MIN_SIDE}x{MIN_SIDE} crops; the "
            f"paper's is 256). Received: image_size={image_size!r}"
        )
    return int(image_size)


def check_name(name):
    if (
        not isinstance(name, str)
        or not name.strip()
        or name.startswith(".")
        or any(c in name for c in "/\\:")
    ):  # "" wrote a hidden ".weights.h5"; "a:b" loads as style b of a
        raise ValueError(
            "`name` names the style and its file NAME.weights.h5: a "
            "non-empty name without '/', '\\' or ':' that does not start "
            f"with '.', e.g. 'my_style'. Received: name={name!r}"
        )
    return name


def check_learning_rate(learning_rate):
    """`(learning rate or schedule, what the settings record)`."""
    schedules = keras.optimizers.schedules
    if isinstance(learning_rate, schedules.LearningRateSchedule):
        return learning_rate, schedules.serialize(learning_rate)
    rate = float(learning_rate)
    if not rate > 0:
        raise ValueError(
            "`learning_rate` must be > 0 (the paper's is 1e-3); received "
            f"{learning_rate}."
        )
    return rate, rate


def check_penalties(penalties):
    """`{name: (weight, bound)}` -> those in use (weight > 0), as floats."""
    for penalty, (weight, bound) in penalties.items():
        if weight < 0 or bound <= 0:
            raise ValueError(
                f"`{penalty}_weight` must be >= 0 and `{penalty}_bound` > 0; "
                f"received {weight} and {bound}."
            )
    return {
        penalty: (float(weight), float(bound))
        for penalty, (weight, bound) in penalties.items()
        if weight > 0
    }


def check_network(network, normalization, style_names):
    """`network` (a `TransformerNet`) fits `normalization` and the styles."""
    if normalization not in ("instance", network.normalization):
        raise ValueError(
            f"`network` has normalization={network.normalization!r}, "
            f"but normalization={normalization!r} was passed: build "
            "the TransformerNet with the normalization you want and "
            "leave this argument out."
        )
    if list(network.style_names or []) != list(style_names or []):
        raise ValueError(
            f"`network` holds styles {network.style_names}, but "
            f"`style_image` gives {style_names}. Build the network "
            "with style_names matching the style images' keys."
        )


def check_teacher(teacher, teacher_weight, net, style_names):
    """`teacher`, if it can teach `net` (same styles and value range)."""
    if teacher is None:
        return None
    if not isinstance(teacher, TransformerNet):
        raise ValueError(
            "`teacher` must be a trained TransformerNet, e.g. "
            f"keras_style_aug.styles.load('paintings6'); received {teacher!r}."
        )
    if list(teacher.style_names or []) != list(style_names or []):
        raise ValueError(
            f"`teacher` holds styles {teacher.style_names}, but "
            f"`style_image` gives {style_names}: a teacher must hold "
            "the same styles in the same order."
        )
    if teacher.value_range != net.value_range:
        raise ValueError(
            f"`teacher` works in value_range {teacher.value_range}, the "
            f"network in {net.value_range}; build both with the same "
            "value_range."
        )
    if not teacher_weight > 0:
        raise ValueError(
            f"`teacher_weight` must be > 0 with a teacher; received {teacher_weight}."
        )
    return teacher


def vgg_identity(vgg_weights):
    """What the VGG-19 weights were: "imagenet", "random" (None), or a
    file's name and sha256."""
    if vgg_weights is None or vgg_weights == "imagenet":
        return vgg_weights or "random"
    path = Path(vgg_weights)
    return {"file": path.name, "sha256": sha256(path) if path.is_file() else None}


def style_image(image, size):
    """`(path or None, float32 array)` of one style image."""
    if isinstance(image, (str, Path)):
        array = load_image(image, size=size)
        if array is None:
            exists = Path(image).exists()
            problem = "is not a readable image" if exists else "does not exist"
            raise ValueError(f"`style_image` {image} {problem}.")
        return Path(image), np.asarray(array, "float32")
    return None, np.asarray(image, "float32")
