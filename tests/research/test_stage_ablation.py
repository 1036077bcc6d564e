"""The stage ablation (research/benchmark/stage_ablation.py): the variants
that compute the same function match the shipped layout, the ablations
differ from it (so each patch took effect)."""

import importlib.util
from pathlib import Path

import keras
import numpy as np

SCRIPT = Path(__file__).resolve().parents[2] / "research/benchmark/stage_ablation.py"


def load():
    spec = importlib.util.spec_from_file_location("stage_ablation", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_equivalent_variants_match_and_ablations_differ():
    rows = load().main(
        ["--preset", "lite", "--batch", "2", "--size", "16", "--repeats", "1"]
    )
    stages = {r["variant"]: r["max_abs_diff"] for r in rows}
    assert stages["as shipped"] == 0.0
    assert stages["one-pass statistics, folded affine"] < 1e-4  # same function
    assert stages["one-pass statistics, folded affine in float32"] < 1e-4
    nine_taps = "upsampling as a 3x3 sub-pixel convolution (9 taps, before 2026-11-28)"
    assert stages[nine_taps] < 1e-4  # same function
    assert stages["no norm (ReLU only)"] > 1e-2  # an ablation, not the network
    # Zeros for the reflection change the borders: the patch took effect.
    assert stages["zero padding in the convolutions (residual blocks, down2)"] > 1e-3


def test_shifted_one_pass_norm_keeps_a_nearly_constant_channel():
    """E[x^2] - E[x]^2 in float32 loses a channel whose spread is tiny
    against its mean; taken about the channel's first value it does not."""
    from keras.src.utils.backend_utils import DynamicBackend

    one_pass_norm = load().one_pass_norm
    from keras_style_aug.networks import phase_layout

    b = DynamicBackend()
    rng = np.random.default_rng(0)
    x = (300.0 + rng.normal(0, 0.05, (1, 16, 16, 2))).astype("float32")
    ones, zeros = np.ones(2, "float32"), np.zeros(2, "float32")

    def norm(fn, **kw):
        y = fn(b, x, ones, zeros, None, relu=False, **kw)
        return keras.ops.convert_to_numpy(y)

    two_pass = norm(phase_layout.instance_norm)
    assert np.abs(norm(one_pass_norm, in_float32=True) - two_pass).max() < 0.05
    assert np.abs(norm(one_pass_norm) - two_pass).max() > 0.5
