"""Keras's ImageNet VGG conv bases, with weights from a file checked: one that
does not fit (corrupt, or another network's) is an error that names the file
and says what fits, not a traceback from the loader; a failed ImageNet
download says how to pass a local copy.

>>> base = vgg_conv_base("vgg16", None, (32, 32, 3))
>>> base.output.shape
(None, 1, 1, 512)
"""

from pathlib import Path

import keras

_BUILDERS = {"vgg16": keras.applications.VGG16, "vgg19": keras.applications.VGG19}
_FLAGS = {"vgg16": "--vgg16-weights", "vgg19": "--vgg-weights"}


def vgg_conv_base(kind, weights, input_shape):
    """`keras.applications.VGG16` or `VGG19` (`kind`: "vgg16", "vgg19") without
    its top, with `weights` `"imagenet"` (downloads), a `.weights.h5` path, or
    `None`."""
    name = kind.upper()
    from_file = weights not in (None, "imagenet")
    if from_file and not Path(weights).is_file():
        raise FileNotFoundError(
            f"The {name} weights file {weights} does not exist. Pass an "
            f"existing `include_top=False` {name} weights file, or 'imagenet' "
            f"to download them ({_FLAGS[kind]} on the command line)."
        )
    try:
        base = _BUILDERS[kind](
            include_top=False,
            weights=None if from_file else weights,
            input_shape=input_shape,
        )
    except Exception as e:  # Keras's download raises a bare Exception
        if weights != "imagenet" or "fetch failure" not in str(e):
            raise
        raise OSError(
            f"Could not download the ImageNet {name} weights (offline?): {e}. "
            f"Pass a local copy instead: a .weights.h5 file saved from "
            f"keras.applications.{name}(include_top=False) ({_FLAGS[kind]} on "
            "the command line)."
        ) from None
    if from_file:
        try:
            base.load_weights(weights)
        except (ValueError, OSError) as e:
            raise ValueError(
                f"The {name} weights file {weights} does not hold {name} conv "
                f"weights ({str(e).splitlines()[0]}). Pass {name}'s "
                "`include_top=False` weights file, e.g. "
                f"{kind}_imagenet_notop.weights.h5, or 'imagenet'."
            ) from None
    return base
