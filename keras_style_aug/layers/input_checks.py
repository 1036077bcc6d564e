"""`RandomStyleTransfer`'s checks of what it is called with: networks
rebuilt from a config without their weights, images on another scale than
`value_range`, a replayed transformation drawn for another batch."""

import warnings

import keras

from keras_style_aug.layers import pixels


def check_structure(layer, data):
    """Dict input holds its images, and labels wherever `class_styles`
    needs them."""
    if isinstance(data, dict):
        if "images" not in data:
            raise ValueError(
                "Dict input to RandomStyleTransfer needs an 'images' key; "
                f"received keys {sorted(data)}."
            )
    elif layer.class_styles:
        raise ValueError(
            "RandomStyleTransfer with `class_styles` needs the labels: "
            "call it on {'images': images, 'labels': labels}."
        )
    if layer.class_styles and "labels" not in data:
        raise ValueError(
            "RandomStyleTransfer with `class_styles` needs a 'labels' key "
            "next to 'images'."
        )


def check_weights_restored(layer, images):
    """After `from_config` (so `keras.models.clone_model`), a network
    that has no registry source holds freshly initialized weights until
    a `.keras` load or `set_weights` gives it the recorded ones; on the
    first call with real images (not traced), refuse to stylize with
    them."""
    if not layer._unrestored or not pixels.is_concrete(images):
        return
    for i, digest in list(layer._unrestored.items()):
        if layer.networks[i].weights_sha256() == digest:
            del layer._unrestored[i]
            continue
        raise ValueError(
            f"RandomStyleTransfer's style network {layer.networks[i].name!r} "
            "was rebuilt from the layer's config (from_config or "
            "keras.models.clone_model) and does not hold its trained "
            "weights: a config carries no weights. Load the model from its "
            ".keras file, copy the weights (clone.set_weights("
            "model.get_weights())), or pass the style by its registry name "
            "or weights file, which the config reloads."
        )


def warn_if_range_looks_wrong(layer, images):
    """Once: images on another scale than `value_range` (0..1 under
    0..255, or 0..255 under 0..1) would come back on two scales in one
    batch, stylized and not. Eager calls look at the values at once;
    traced ones (`tf.function`, `tf.data`, `jit`, so `fit`) when the
    first batch runs."""
    if layer._range_checked or 0 in tuple(images.shape)[:1]:
        return
    is_float = "float" in keras.backend.standardize_dtype(images.dtype)
    b = layer.backend
    high = b.numpy.max(b.cast(images, "float32"))
    if pixels.is_concrete(high):
        _range_warning(layer, float(keras.ops.convert_to_numpy(high)), is_float)
    else:
        pixels.on_host(b, lambda h: _range_warning(layer, float(h), is_float), high)


def _range_warning(layer, high, is_float):
    if layer._range_checked:
        return
    layer._range_checked = True  # once: not a cost on every call
    low_r, high_r = layer.value_range
    if high_r > 1 and is_float and 0 < high <= 1.0:
        hint = "images in [0, 1]", "(0, 1)"
    elif high_r <= 1 and high > high_r + (high_r - low_r) / 2:
        hint = "images in 0..255", "(0, 255)"
    else:
        return
    warnings.warn(
        f"RandomStyleTransfer got images with values up to {high:.3g}, but "
        f"value_range={layer.value_range}: stylized images would come back "
        f"on the value_range scale and the others on theirs. Pass "
        f"value_range={hint[1]} for {hint[0]}.",
        stacklevel=3,
    )


def check_fits(layer, transformation, n):
    """A replayed transformation must be this layer's, for this batch
    (else it failed inside the backend on mismatched shapes)."""
    drawn = tuple(transformation["style_weights"].shape)
    expected = (n, len(layer.options.names))
    if all(isinstance(d, int) for d in drawn + expected) and drawn != expected:
        raise ValueError(
            f"The transformation was drawn for {drawn[0]} images and "
            f"{drawn[1]} style options; this layer has {expected[1]} "
            f"options and the images are a batch of {n}. Draw it with "
            "this layer's get_random_transformation(images)."
        )
