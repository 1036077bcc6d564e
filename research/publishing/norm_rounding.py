"""How much bf16 rounding each instance-norm form adds: the shipped
`paintings6`, each of its styles, held-out BSDS500 test photos, stylized in
`mixed_bfloat16` with the norm as shipped and with the one-pass forms of the
`stages` benchmark, each against the float32 network (outputs in [0, 1]).

    KERAS_BACKEND=jax python research/publishing/norm_rounding.py --photos 8
"""

import argparse
import contextlib
import functools
import sys
from pathlib import Path
from unittest import mock

import keras
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from train_styles import held_out_photos  # noqa: E402

from keras_style_aug import styles  # noqa: E402
from keras_style_aug.benchmark.network_suites import one_pass_norm  # noqa: E402
from keras_style_aug.networks import phase_layout  # noqa: E402

NORMS = {
    "as shipped (two passes, affine in float32)": None,
    "one pass, affine on the activations' dtype": one_pass_norm,
    "one pass about each channel's first value, affine in float32": (
        functools.partial(one_pass_norm, in_float32=True)
    ),
}


def rounding_errors(net, x):
    """`{norm: (mean abs, mean of the per-style 99.9th percentiles, max)}`."""
    styles_eye = np.eye(len(net.style_names), dtype="float32")
    per_style = [styles_eye[[s] * len(x)] for s in range(len(styles_eye))]
    reference = [
        keras.ops.convert_to_numpy(net.stylize_01(x, style_weights=w))
        for w in per_style
    ]
    errors = {}
    for name, norm in NORMS.items():
        twin = net.clone(dtype="mixed_bfloat16")  # compiled afresh per norm
        patch = (
            mock.patch.object(phase_layout, "instance_norm", norm)
            if norm
            else contextlib.nullcontext()
        )
        diffs = []
        with patch:
            for w, ref in zip(per_style, reference):
                y = twin.stylize_01(x, style_weights=w)
                y = keras.ops.convert_to_numpy(keras.ops.cast(y, "float32"))
                diffs.append(np.abs(y - ref))
        errors[name] = (
            float(np.mean([d.mean() for d in diffs])),
            float(np.mean([np.quantile(d, 0.999) for d in diffs])),
            float(max(d.max() for d in diffs)),
        )
    return errors


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--photos", type=int, default=8)
    parser.add_argument("--size", type=int, default=224)
    args = parser.parse_args(argv)
    x = held_out_photos(args.size, args.photos).astype("float32") / 255.0
    errors = rounding_errors(styles.load("paintings6"), x)
    print("| norm, in bf16 | mean abs error | 99.9th percentile | max |")
    print("| --- | --- | --- | --- |")
    for name, (mean, q, top) in errors.items():
        print(f"| {name} | {mean:.4f} | {q:.4f} | {top:.3f} |")


if __name__ == "__main__":
    main()
