"""Reading and writing `TransformerNet` weight files (Keras `.weights.h5`).

The arrays are stored in the order of `architecture.weight_names()`; these
helpers name them, infer the architecture a file was saved from, and write
compact float16 copies.
"""

import hashlib
import zipfile
from pathlib import Path

import h5py
import numpy as np

from keras_style_aug.networks.architecture import NORMALIZATIONS
from keras_style_aug.networks.architecture import conv_layers
from keras_style_aug.networks.architecture import weight_names
from keras_style_aug.utils.files import replaced_atomically

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
    net.save_weights(full)
    # HDF5 never shrinks a file in place: copy into a fresh one.
    with replaced_atomically(path) as tmp:
        with h5py.File(full, "r") as src, h5py.File(tmp, "w") as dst:
            dst.attrs.update(src.attrs)

            def copy(name, item):
                if isinstance(item, h5py.Group):
                    dst.require_group(name).attrs.update(item.attrs)
                else:
                    dst.create_dataset(name, data=item[()].astype("float16"))

            src.visititems(copy)
    full.unlink()
    return path


def file_architecture(path, style_names=None):
    """`(architecture kwargs, style names, normalization)` of the network a
    `.weights.h5` file was saved from; `style_names` default to `style_0`,
    ... for a multi-style file. Raises `ValueError` naming the file when it
    fits no `TransformerNet` or the names do not fit its styles."""
    shapes, normalization = read_weights_header(path)
    arch = architecture_from_shapes(shapes)
    if arch is None:
        found = (
            f"weights of shapes {shapes[:3]}..."
            if shapes
            else "the weights of another Keras model (none at its top level)"
        )
        raise ValueError(
            f"{path} holds {found}, which fit no TransformerNet. Pass a "
            "file written by TransformerNet.save_weights() or StyleTrainer."
        )
    num_styles = arch.pop("num_styles")
    if num_styles and style_names is None:
        style_names = [f"style_{i}" for i in range(num_styles)]
    if style_names is not None and (not num_styles or len(style_names) != num_styles):
        raise ValueError(
            f"{path} holds a network of {num_styles or 1} style(s)"
            f"{'' if num_styles else ' (single-style)'}, but style_names="
            f"{list(style_names)} names {len(style_names)}. Pass one name "
            "per style, or none for a single-style file."
        )
    return arch, style_names, normalization


def check_file_fits(net, filepath):
    """Refuses a weights file of another architecture or normalization than
    `net`'s, naming what it holds."""
    shapes, saved_with = read_weights_header(filepath)
    expected = [tuple(v.shape) for v in net._params]
    if shapes != expected:
        arch = architecture_from_shapes(shapes)
        found = (
            f"a network with filters={arch['filters']}, "
            f"residual_blocks={arch['residual_blocks']} and "
            f"{arch['num_styles'] or 1} style(s)"
            if arch
            else f"{len(shapes)} arrays that fit no TransformerNet"
        )
        raise ValueError(
            f"Weights file {filepath} does not match this network "
            f"(filters={net.filters}, residual_blocks="
            f"{net.residual_blocks}, {net.num_styles} style(s)): it "
            f"holds {found}. Build the network with "
            "TransformerNet.from_weights_file(path) instead."
        )
    if saved_with != net.normalization:
        raise ValueError(
            f"Weights file {filepath} holds a network with "
            f"normalization={saved_with!r}; this one has normalization="
            f"{net.normalization!r}. Build the network with "
            "TransformerNet.from_weights_file(path) instead."
        )


def check_finite(net, filepath):
    """Refuses weights with NaN or infinite values (a diverged run)."""
    if not all(np.isfinite(w).all() for w in net.get_weights()):
        raise ValueError(
            f"Weights file {filepath} holds NaN or infinite weights (a "
            "training run that diverged?): every stylized image would be "
            "NaN. Pass the weights of a finite run, e.g. its last good "
            "checkpoint."
        )


def weights_sha256(arrays):
    """Hex sha256 of a list of weight arrays, as float32."""
    digest = hashlib.sha256()
    for weight in arrays:
        digest.update(np.ascontiguousarray(weight, "float32").tobytes())
    return digest.hexdigest()
