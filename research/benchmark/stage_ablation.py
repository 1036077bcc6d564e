"""Where the style network's time goes, by ablation: functions of
`phase_layout` replaced while the network is traced (one-pass instance norm,
no norm statistics, no norm, zero padding, the earlier 9-tap upsampling).

    python research/benchmark/stage_ablation.py --preset full --batch 8 --size 224

prints one row per variant: images per second, relative to the shipped
layout, and the largest output difference from it.
"""

import argparse
import contextlib
import functools
import json
import sys
from pathlib import Path
from unittest import mock

import keras
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from keras_style_aug.benchmark.timing import compile_fn  # noqa: E402
from keras_style_aug.benchmark.timing import device_seconds  # noqa: E402
from keras_style_aug.benchmark.timing import forward_fn  # noqa: E402
from keras_style_aug.benchmark.timing import images_01  # noqa: E402
from keras_style_aug.networks import TransformerNet  # noqa: E402
from keras_style_aug.networks import phase_layout  # noqa: E402


def one_pass_norm(
    b, x, scale, offset, style_weights, phases=1, relu=True, in_float32=False
):
    """Instance norm with the mean and mean square in one float32 pass and
    scale and offset folded into one multiply-add on `x`'s dtype, or, with
    `in_float32`, on `x` in float32 with the statistics taken about each
    channel's first value (so a nearly constant channel loses no precision
    to `E[x^2] - E[x]^2`) and the result cast back, as the shipped norm
    rounds."""
    n, h, w, c4 = b.shape(x)
    c = c4 // phases
    x = b.numpy.reshape(x, (n, h, w, phases, c))
    x32 = b.cast(x, "float32")
    shift = x32[:, :1, :1, :1] if in_float32 else 0.0
    mean = b.numpy.mean(x32 - shift, axis=(1, 2, 3), keepdims=True)
    square = b.numpy.mean(b.numpy.square(x32 - shift), axis=(1, 2, 3), keepdims=True)
    var = b.numpy.maximum(square - b.numpy.square(mean), 0.0)
    mean = mean + shift
    scale, offset = phase_layout.style_affine(b, scale, offset, style_weights, c)
    gain = scale / b.numpy.sqrt(var + phase_layout._EPSILON)
    if in_float32:
        y = x32 * gain + (offset - mean * gain)
    else:
        y = x * b.cast(gain, x.dtype) + b.cast(offset - mean * gain, x.dtype)
    if relu:
        y = b.nn.relu(y)
    return b.numpy.reshape(b.cast(y, x.dtype), (n, h, w, c4))


def _relu_only(b, x, scale, offset, style_weights, phases=1, relu=True):
    return b.nn.relu(x) if relu else x


def _zero_padded_conv(b, x, kernel, dtype, stride=1):
    """`phase_layout.reflect_conv` with zeros for the reflection, padded by
    the convolution itself: no padded copy of the map."""
    return b.nn.conv(x, b.cast(kernel, dtype), strides=stride, padding="same")


def _nine_tap_upsample_conv(b, x, kernel, dtype):
    """`phase_layout.upsample_conv` as it was before 2026-11-28: one 3x3
    convolution at the low resolution writing the four phases (the sub-pixel
    form), 9/4 of the multiply-adds; the same function. Phase `a`'s 2x2
    window starts at offset `a` of that 3x3 one."""
    taps = np.zeros((3, 2, 3), "float32")  # [offset 0..2, phase, tap]
    for a in range(2):
        taps[a : a + 2, a] = phase_layout._TAPS_UPSAMPLE[:, a]
    k = phase_layout.kernel_upsample_to_phases(b, kernel, taps)
    return phase_layout.conv(b, phase_layout.pad_symmetric_1(b, x), k, dtype)


# Ablations of the phase layout, to see where the time goes: functions of
# `phase_layout` replaced while the network is traced.
STAGE_VARIANTS = {
    "as shipped": {},
    "one-pass statistics, folded affine": {"instance_norm": one_pass_norm},
    "one-pass statistics, folded affine in float32": {
        "instance_norm": functools.partial(one_pass_norm, in_float32=True)
    },
    "no statistics (affine only)": {"instance_norm": phase_layout.affine_norm},
    "no norm (ReLU only)": {"instance_norm": _relu_only},
    "zero padding in the convolutions (residual blocks, down2)": {
        "reflect_conv": _zero_padded_conv
    },
    "upsampling as a 3x3 sub-pixel convolution (9 taps, before 2026-11-28)": {
        "upsample_conv": _nine_tap_upsample_conv
    },
}


def stages(net, batch, size=224, policy="float32", repeats=5):
    """Where the network's time goes, by ablation: the phase layout as
    shipped, with a one-pass instance norm (its affine on the activations'
    dtype or in float32), with the norm's statistics left out, with no norm
    at all, with the 3x3 convolutions at quarter resolution padded with zeros
    by the convolution instead of a reflected copy of their input, and with
    the upsampling convolutions in their earlier 9-tap form. "no statistics",
    "no norm" and "zero padding" compute other functions; they bound what a
    faster norm, or padding without copies, can gain. `max_abs_diff` compares
    outputs in [0, 1] with the shipped network's."""
    twin = net.clone(dtype=policy)
    x = images_01(batch, size, policy)
    weights = twin.style_weights(0, batch) if twin.is_multi_style else None
    rows, reference = [], None
    for variant, patches in STAGE_VARIANTS.items():
        with contextlib.ExitStack() as stack:
            for name, replacement in patches.items():
                stack.enter_context(mock.patch.object(phase_layout, name, replacement))
            fn = compile_fn(forward_fn(twin, "phase", weights))
            out = fn(x)  # compiled once, with these functions
        seconds = device_seconds(fn, [x], repeats, compile=False)
        out = keras.ops.convert_to_numpy(keras.ops.cast(out, "float32"))
        reference = out if reference is None else reference
        rows.append(
            {
                "variant": variant,
                "policy": policy,
                "batch": batch,
                "images_per_s": batch / seconds,
                "max_abs_diff": float(np.abs(out - reference).max()),
            }
        )
    for row in rows:
        row["relative_to_shipped"] = row["images_per_s"] / rows[0]["images_per_s"]
    return rows


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--preset", default="full", choices=["full", "lite"])
    p.add_argument("--batch", type=int, default=8)
    p.add_argument("--size", type=int, default=224)
    p.add_argument("--policy", default="float32")
    p.add_argument("--repeats", type=int, default=5)
    args = p.parse_args(argv)
    net = TransformerNet.from_preset(args.preset)
    rows = stages(net, args.batch, args.size, args.policy, args.repeats)
    print(json.dumps(rows, indent=1))
    return rows


if __name__ == "__main__":
    main()
