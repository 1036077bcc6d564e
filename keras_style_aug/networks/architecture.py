"""The paper's transformation network (Johnson et al. 2016), written once.

``conv_layers()`` names every convolution and its shape; ``forward()`` is the
network, stage by stage, reading the weights by those names. How each stage
is computed is the layout's business: ``"phase"`` (``phase_layout.py``, the
fast, exact default) or ``"plain"`` (``plain_layout.py``, the paper's
drawing, kept as the reference the phase layout must match).

Pixel ranges: ``forward`` takes images in [-1, 1] and returns the
pre-``tanh`` output; ``TransformerNet.stylize_01`` wraps it for images in
[0, 1], and ``TransformerNet.__call__`` for images in its ``value_range``.
"""

import numpy as np

from keras_style_aug.constants import NORMALIZATIONS
from keras_style_aug.networks.phase_layout import PhaseLayout
from keras_style_aug.networks.plain_layout import PlainLayout

LAYOUTS = {"phase": PhaseLayout, "plain": PlainLayout}


def conv_layers(filters, residual_blocks):
    """`(name, kernel size, in channels, out channels)` of every convolution,
    in the order their weights are stored. Every one but `conv_out` is
    followed by a normalization with a scale and offset (`NORMALIZATIONS`);
    `conv_out` has a bias."""
    f0, f1, f2 = filters
    # Encoder: a 9x9 convolution, then two stride-2 3x3 convolutions.
    layers = [("conv_in", 9, 3, f0), ("down1", 3, f0, f1), ("down2", 3, f1, f2)]
    # Residual blocks at a quarter of the resolution: two 3x3 convolutions.
    for i in range(residual_blocks):
        layers += [(f"res{i}_a", 3, f2, f2), (f"res{i}_b", 3, f2, f2)]
    # Decoder: two (nearest x2 upsampling, 3x3 convolution) stages, then a
    # 9x9 convolution to RGB.
    layers += [("up1", 3, f2, f1), ("up2", 3, f1, f0), ("conv_out", 9, f0, 3)]
    return layers


def weight_specs(filters, residual_blocks, style_names=None):
    """`(layer/kind, shape, initializer)` of every stored array, in storage
    order; a multi-style network (`style_names`) has one norm row per style."""
    specs = []
    for layer, k, cin, cout in conv_layers(filters, residual_blocks):
        norm_shape = (len(style_names), cout) if style_names else (cout,)
        specs.append((f"{layer}/kernel", (k, k, cin, cout), glorot_uniform))
        if layer == "conv_out":
            specs.append((f"{layer}/bias", (cout,), "zeros"))
        else:
            specs.append((f"{layer}/scale", norm_shape, "ones"))
            specs.append((f"{layer}/offset", norm_shape, "zeros"))
    return specs


def glorot_uniform(shape, dtype=None):
    """Glorot-uniform convolution kernels drawn by NumPy's global generator
    (seeded, like Keras's, by `keras.utils.set_random_seed`). Keras's own
    initializer compiles one program per kernel shape under JAX, 5-9 s for a
    network on CPU, for weights that a trained style then overwrites."""
    k_h, k_w, cin, cout = shape
    limit = np.sqrt(6.0 / (k_h * k_w * (cin + cout)))
    return np.random.uniform(-limit, limit, shape).astype(dtype or "float32")


def weight_names(residual_blocks):
    """`layer/kind` of every stored array, in storage order."""
    names = []
    for layer, *_ in conv_layers((1, 1, 1), residual_blocks):
        kinds = (
            ("kernel", "bias") if layer == "conv_out" else ("kernel", "scale", "offset")
        )
        names += [f"{layer}/{kind}" for kind in kinds]
    return names


def forward(
    b,
    x,
    weights,
    residual_blocks,
    style_weights,
    dtype,
    layout="phase",
    with_upsampling_norms=False,
    normalization="instance",
):
    """Pre-`tanh` output of the network.

    Args:
        b: a backend namespace (`numpy`, `nn`, `core` modules).
        x: `(N, H, W, 3)` images in [-1, 1], sides divisible by 4.
        weights: `{layer: {"kernel", "scale", "offset"}}` float32 tensors
            (`conv_out`: `{"kernel", "bias"}`), as
            `TransformerNet.layer_weights()` returns them.
        residual_blocks: number of residual blocks.
        style_weights: `(N, styles)` mixing weights of a multi-style network
            (conditional instance norm), else `None`.
        dtype: compute dtype of the convolutions.
        layout: `"phase"` or `"plain"`; both compute the same function.
        with_upsampling_norms: return `(pre_tanh, [up1, up2])`, the two
            upsampling stages' activations as instance norm sees them,
            normalized to unit variance per channel (float32, `(N, H, W,
            phases, C)`): where the white-blob "droplet" forms, a few
            positions holding most of a channel's energy.
        normalization: one of `NORMALIZATIONS`.
    """
    if layout not in LAYOUTS:
        raise ValueError(
            f"`layout` must be one of {sorted(LAYOUTS)}; received {layout!r}."
        )
    check_normalization(normalization)
    norms = [] if with_upsampling_norms else None
    ops = LAYOUTS[layout](
        b, style_weights, dtype, upsampling_norms=norms, normalization=normalization
    )
    # Encoder.
    x = ops.conv_in(x, weights["conv_in"])
    x = ops.down1(x, weights["down1"])
    x = ops.down2(x, weights["down2"])
    x = residual_stack(ops, x, weights, residual_blocks)
    # Decoder.
    x = ops.up1(x, weights["up1"])
    x = ops.up2(x, weights["up2"])
    x = ops.conv_out(x, weights["conv_out"])
    return (x, norms) if with_upsampling_norms else x


def check_normalization(normalization):
    if normalization not in NORMALIZATIONS:
        raise ValueError(
            f"`normalization` must be one of {list(NORMALIZATIONS)}; received "
            f"{normalization!r}."
        )


def residual_stack(ops, x, weights, residual_blocks):
    """The residual blocks, each x + norm(conv(relu(norm(conv(x))))), computed
    by a layout's `ops` (the benchmark times them as one stage)."""
    for i in range(residual_blocks):
        y = ops.residual_conv(x, weights[f"res{i}_a"], relu=True)
        x = x + ops.residual_conv(y, weights[f"res{i}_b"], relu=False)
    return x


def check_arguments(filters, residual_blocks, value_range):
    """`TransformerNet`'s sizes and value range, each named when wrong."""
    if len(filters) != 3 or any(int(f) < 1 for f in filters):
        raise ValueError(
            "`filters` must be three positive channel counts, e.g. "
            f"(32, 64, 128). Received: filters={filters}"
        )
    if int(residual_blocks) < 0:
        raise ValueError(
            "`residual_blocks` must be >= 0. "
            f"Received: residual_blocks={residual_blocks}"
        )
    if len(value_range) != 2 or value_range[0] >= value_range[1]:
        raise ValueError(
            "`value_range` must be (low, high) with low < high. "
            f"Received: value_range={value_range}"
        )


def check_style_names(style_names):
    """`None`, or the names as a tuple of distinct strings."""
    if style_names is not None:
        style_names = tuple(str(n) for n in style_names)
        if not style_names or len(set(style_names)) != len(style_names):
            raise ValueError(
                "`style_names` must be a non-empty list of distinct names, "
                f"e.g. ['wave', 'udnie']. Received: {list(style_names)}"
            )
    return style_names
