"""Reading and writing `TransformerNet` weight files (Keras `.weights.h5`).

The arrays are stored in the order of `architecture.weight_names()`; these
helpers name them, infer the architecture a file was saved from, and write
compact float16 copies.
"""

import zipfile
from pathlib import Path

import h5py

from keras_style_aug.networks.architecture import NORMALIZATIONS
from keras_style_aug.networks.architecture import conv_layers
from keras_style_aug.networks.architecture import weight_names

_MAX_BLOCKS = 64
# The file's root attribute naming the network's normalization (written by
# `TransformerNet.save_weights`; files without it are "instance" networks).
NORMALIZATION_ATTR = "keras_style_aug_normalization"


def read_weights_header(path):
    """`(shapes, normalization)` of a Keras `.weights.h5` file: its arrays'
    shapes in storage order and the normalization its network was saved with.

    Raises `ValueError` naming the file when it cannot be read or names a
    normalization we do not know."""
    try:
        with h5py.File(path, "r") as f:
            group = f["vars"]
            shapes = [tuple(group[str(i)].shape) for i in range(len(group))]
            value = f.attrs.get(NORMALIZATION_ATTR, "instance")
    except (OSError, KeyError) as e:
        # "Delete it" was the advice, even for a user's own model file.
        what = (
            "a Keras model file (.keras), not a weights file"
            if zipfile.is_zipfile(path)
            else f"not a readable TransformerNet weights file ({e})"
        )
        raise ValueError(
            f"{path} is {what}. Pass a `.weights.h5` file written by "
            "TransformerNet.save_weights() or StyleTrainer; one that is "
            "truncated or corrupt (a cut download or copy) must be fetched, "
            "copied or trained again."
        ) from None
    value = value.decode() if isinstance(value, bytes) else str(value)
    if value not in NORMALIZATIONS:
        raise ValueError(
            f"{path} says its network has normalization={value!r}, which is "
            f"none of {list(NORMALIZATIONS)}: the file comes from another "
            "version of keras-style-aug or is corrupt."
        )
    return shapes, value


def write_normalization(path, normalization):
    with h5py.File(path, "a") as f:
        f.attrs[NORMALIZATION_ATTR] = normalization


def expected_shapes(filters, residual_blocks, num_styles=None):
    """`{layer/kind: shape}` of a network; `num_styles` for a multi-style one
    (its norm scales and offsets have one row per style)."""
    shapes = {}
    for name, k, cin, cout in conv_layers(filters, residual_blocks):
        shapes[f"{name}/kernel"] = (k, k, cin, cout)
        if name == "conv_out":
            shapes[f"{name}/bias"] = (cout,)
        else:
            norm = (num_styles, cout) if num_styles else (cout,)
            shapes[f"{name}/scale"] = shapes[f"{name}/offset"] = norm
    return shapes


def architecture_from_shapes(shapes):
    """`{"filters", "residual_blocks", "num_styles"}` of the network whose
    weights have these shapes (in storage order); `num_styles` is `None` for a
    single-style network. `None` when they fit no `TransformerNet`."""
    shapes = [tuple(s) for s in shapes]
    blocks = next(
        (n for n in range(_MAX_BLOCKS) if len(weight_names(n)) == len(shapes)), None
    )
    if blocks is None:
        return None
    named = dict(zip(weight_names(blocks), shapes))
    if any(
        len(named[f"{layer}/kernel"]) != 4 for layer in ("conv_in", "down1", "down2")
    ):
        return None
    filters = tuple(
        named[f"{layer}/kernel"][3] for layer in ("conv_in", "down1", "down2")
    )
    scale = named["conv_in/scale"]
    num_styles = scale[0] if len(scale) == 2 else None
    if expected_shapes(filters, blocks, num_styles) != named:
        return None
    return {"filters": filters, "residual_blocks": blocks, "num_styles": num_styles}


def save_weights_float16(net, path):
    """Saves a network's weights as float16 (loading casts them back), by
    writing a temporary file and renaming it."""
    path = Path(path)
    full = path.with_name(path.name + ".f32.weights.h5")
    tmp = path.with_name(path.name + ".tmp")
    net.save_weights(full)
    # HDF5 never shrinks a file in place: copy into a fresh one.
    with h5py.File(full, "r") as src, h5py.File(tmp, "w") as dst:
        dst.attrs.update(src.attrs)

        def copy(name, item):
            if isinstance(item, h5py.Group):
                dst.require_group(name).attrs.update(item.attrs)
            else:
                dst.create_dataset(name, data=item[()].astype("float16"))

        src.visititems(copy)
    full.unlink()
    tmp.replace(path)
    return path
