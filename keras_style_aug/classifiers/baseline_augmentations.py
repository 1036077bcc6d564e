"""The traditional augmentations of the paper's Table 2, from Keras core layers.

"pan" is a random translation, "crop" a random crop-and-resize (zoom in),
"rotate" a random rotation, "noise" additive Gaussian noise; beside them,
"flip" is a random horizontal flip. Any "+"-joined combination of these
parts is accepted (e.g. "flip+pan+crop").

>>> import numpy as np
>>> layer = baseline_augmentation("rotate+noise", seed=0)
>>> layer(np.zeros((2, 32, 32, 3), "float32"), training=True).shape
TensorShape([2, 32, 32, 3])
"""

import keras

BASELINES = ("none", "pan+crop", "crop+rotate", "rotate+noise", "pan+noise")
PARTS = ("flip", "pan", "crop", "rotate", "noise")


def _part(name, seed):
    if name == "flip":
        return keras.layers.RandomFlip("horizontal", seed=seed)
    if name == "pan":
        return keras.layers.RandomTranslation(
            0.15, 0.15, fill_mode="reflect", seed=seed
        )
    if name == "crop":
        return keras.layers.RandomZoom((-0.25, 0.0), fill_mode="reflect", seed=seed)
    if name == "rotate":
        return keras.layers.RandomRotation(0.08, fill_mode="reflect", seed=seed)
    if name == "noise":
        # GaussianNoise takes stddev <= 1: add it in 0..1 units (12/255 here).
        return keras.Sequential(
            [
                keras.layers.Rescaling(1 / 255.0),
                keras.layers.GaussianNoise(0.05, seed=seed),
                keras.layers.Rescaling(255.0),
            ],
            name="noise",
        )
    raise ValueError(name)


def baseline_augmentation(name, seed=None):
    """A `keras.Sequential` for one of `BASELINES` ("none" is the identity)
    or another "+"-joined combination of `PARTS`."""
    parts = [] if name == "none" else name.split("+")
    if not all(p in PARTS for p in parts) or len(set(parts)) != len(parts):
        raise ValueError(
            f"Unknown baseline augmentation {name!r}; choose one of {BASELINES} "
            f"or join distinct parts of {PARTS} with '+', e.g. 'flip+pan'."
        )
    layers = [_part(p, None if seed is None else seed + i) for i, p in enumerate(parts)]
    return keras.Sequential(
        layers or [keras.layers.Identity()], name=name.replace("+", "_")
    )
