"""The phase layout computes the paper's network exactly, weight for weight."""

import keras
import numpy as np
import pytest

from keras_style_aug.networks import TransformerNet
from keras_style_aug.networks import phase_layout


def random_net(
    style_names=None, seed=0, filters=(6, 8, 12), blocks=2, normalization="instance"
):
    net = TransformerNet(
        filters=filters,
        residual_blocks=blocks,
        style_names=style_names,
        normalization=normalization,
    )
    net.build()
    rng = np.random.default_rng(seed)

    def std(shape):
        if len(shape) < 4:
            return 1.0
        # Without statistics, kernels keep the activations' scale (He-like),
        # so the output is not saturated everywhere.
        return (
            0.3 if normalization == "instance" else (shape[0] ** 2 * shape[2]) ** -0.5
        )

    net.set_weights(
        [rng.normal(0, std(w.shape), w.shape).astype("float32") for w in net.weights]
    )
    return net


def both(net, x, weights=None):
    """The network in the phase and the plain layout; `x` in [0, 1]."""
    return [
        keras.ops.convert_to_numpy(
            net.stylize_01(x, style_weights=weights, layout=layout)
        )
        for layout in ("phase", "plain")
    ]


@pytest.mark.parametrize("shape", [(8, 8), (20, 28), (36, 12), (13, 18)])
def test_matches_the_plain_layout(shape):
    net = random_net(seed=sum(shape))
    x = np.random.default_rng(1).uniform(0, 1, (2, *shape, 3)).astype("float32")
    fast, plain = both(net, x)
    assert fast.shape == plain.shape == (2, *shape, 3)
    assert np.linalg.norm(fast - plain) / np.linalg.norm(plain) < 1e-5


@pytest.mark.parametrize("shape", [(20, 28), (13, 18)])
def test_matches_the_plain_layout_without_statistics(shape):
    net = random_net(seed=sum(shape), normalization="affine")
    x = np.random.default_rng(1).uniform(0, 1, (2, *shape, 3)).astype("float32")
    fast, plain = both(net, x)
    assert np.linalg.norm(fast - plain) / np.linalg.norm(plain) < 1e-5


@pytest.mark.parametrize("normalization", ["instance", "affine"])
def test_matches_the_plain_layout_with_style_mixes(normalization):
    net = random_net(style_names=["a", "b", "c"], normalization=normalization)
    x = np.random.default_rng(2).uniform(0, 1, (2, 16, 20, 3)).astype("float32")
    weights = np.array([[0.2, 0.5, 0.3], [0.0, 0.0, 1.0]], "float32")
    fast, plain = both(net, x, weights)
    assert np.linalg.norm(fast - plain) / np.linalg.norm(plain) < 1e-5


def test_only_instance_norm_looks_beyond_the_receptive_field():
    """Without per-image statistics, a pixel far from the borders depends on
    its neighbourhood alone: the network gives it the same value in a crop
    (cut at multiples of 4, the network's strides) as in the whole image.
    Instance norm's statistics see the whole image, so it does not."""
    x = np.random.default_rng(6).uniform(0, 1, (1, 128, 128, 3)).astype("float32")
    x[:, :, 64:] *= 0.3  # the right half darker: other statistics in the crop
    crop = x[:, 16:112, 16:112]
    centre = (slice(None), slice(44, 52), slice(44, 52))  # [60:68] of `x`
    gaps = {}
    for normalization in ("instance", "affine"):
        net = random_net(seed=7, blocks=1, normalization=normalization)
        whole = np.asarray(net.stylize_01(x))[:, 16:112, 16:112][centre]
        cropped = np.asarray(net.stylize_01(crop))[centre]
        gaps[normalization] = np.abs(whole - cropped).max()
    assert gaps["affine"] < 1e-5
    assert gaps["instance"] > 1e-3


def test_phase_padding_equals_reflection_at_full_resolution():
    from keras.src.utils.backend_utils import DynamicBackend

    b = DynamicBackend()
    x = np.random.default_rng(3).normal(size=(1, 12, 16, 2)).astype("float32")
    expected = np.pad(x, [(0, 0), (4, 4), (4, 4), (0, 0)], mode="reflect")
    phases = phase_layout.pad_reflect_phases(b, phase_layout.space_to_depth(b, x))
    got = keras.ops.convert_to_numpy(phase_layout.depth_to_space(b, phases))
    np.testing.assert_array_equal(got, expected)


def test_gradients_reach_the_stored_weights_identically():
    import tensorflow as tf

    if keras.backend.backend() != "tensorflow":
        pytest.skip("gradient tape check on TensorFlow")
    net = random_net(seed=5)
    x = np.random.default_rng(4).uniform(0, 1, (1, 12, 12, 3)).astype("float32")
    grads = []
    for layout in ("phase", "plain"):
        with tf.GradientTape() as tape:
            y = net.stylize_01(x, layout=layout)
            loss = tf.reduce_sum(tf.sin(y))
        grads.append(tape.gradient(loss, [v.value for v in net.weights]))
    for g1, g2 in zip(*grads):
        g1, g2 = np.asarray(g1), np.asarray(g2)
        # Offsets followed by a norm have a zero gradient: absolute floor.
        assert np.linalg.norm(g1 - g2) <= 1e-4 * np.linalg.norm(g2) + 1e-3


def test_unknown_layout_is_refused():
    net = random_net()
    with pytest.raises(ValueError, match="layout"):
        net.stylize_01(np.zeros((1, 8, 8, 3), "float32"), layout="fast")


def test_both_layouts_return_the_upsampling_stages_normalized():
    # What instance norm sees at up1 and up2, at zero mean and unit variance
    # per image and channel; the same values in either layout (the phase
    # layout holds a full-resolution map as four phases).
    net = TransformerNet(filters=(4, 8, 8), residual_blocks=1)
    x = np.random.default_rng(3).uniform(0, 1, (2, 16, 20, 3)).astype("float32")
    peaks = {}
    for layout in ("phase", "plain"):
        y, norms = net.stylize_01(x, layout=layout, with_upsampling_norms=True)
        plain_y = keras.ops.convert_to_numpy(net.stylize_01(x, layout=layout))
        np.testing.assert_allclose(keras.ops.convert_to_numpy(y), plain_y, atol=1e-6)
        norms = [keras.ops.convert_to_numpy(z) for z in norms]
        assert [z.shape[-1] for z in norms] == [8, 4]
        for z in norms:
            np.testing.assert_allclose(z.mean(axis=(1, 2, 3)), 0, atol=1e-4)
            np.testing.assert_allclose(z.std(axis=(1, 2, 3)), 1, atol=1e-2)
        peaks[layout] = [np.abs(z).max(axis=(1, 2, 3)) for z in norms]
    for phase, plain in zip(peaks["phase"], peaks["plain"]):
        np.testing.assert_allclose(phase, plain, rtol=1e-3)
