"""Multi-style networks: conditional instance norm, one row per style."""

import keras
import numpy as np
import pytest

from keras_style_aug.networks import TransformerNet

NAMES = ["a", "b", "c"]


def to_np(x):
    return keras.ops.convert_to_numpy(x)


@pytest.fixture
def x():
    return np.random.default_rng(0).uniform(0, 255, (2, 20, 24, 3)).astype("float32")


def test_each_style_differs_and_matches_its_own_rows(multi, x):
    outputs = [to_np(multi(x, style=name)) for name in NAMES]
    for i in range(3):
        for j in range(i + 1, 3):
            assert np.abs(outputs[i] - outputs[j]).mean() > 1.0
        single = multi.single_style(NAMES[i])
        assert single.name == NAMES[i] and not single.is_multi_style
        np.testing.assert_allclose(outputs[i], to_np(single(x)), atol=1e-3)


def test_taking_out_a_style_needs_a_multi_style_network_holding_it(multi, make_net):
    with pytest.raises(ValueError, match="holds the styles"):
        multi.single_style("wave")
    with pytest.raises(ValueError, match="single-style network"):
        make_net("a").single_style("a")


def test_a_mix_with_weight_one_is_that_style(multi, x):
    np.testing.assert_allclose(
        to_np(multi(x, style=[0.0, 1.0, 0.0])), to_np(multi(x, style=1)), atol=1e-4
    )
    per_image = to_np(multi(x, style=np.array([2, 0], "int32")))
    np.testing.assert_allclose(per_image[0], to_np(multi(x, style="c"))[0], atol=1e-4)
    np.testing.assert_allclose(per_image[1], to_np(multi(x, style="a"))[1], atol=1e-4)
    halfway = to_np(multi(x, style=[0.5, 0.5, 0.0]))
    assert np.abs(halfway - to_np(multi(x, style=0))).mean() > 0.1


def test_save_load_round_trip(multi, x, tmp_path):
    path = tmp_path / "abc.weights.h5"
    multi.save_weights(path)
    loaded = TransformerNet.from_weights_file(path, name="abc", style_names=NAMES)
    assert loaded.style_names == tuple(NAMES)
    np.testing.assert_allclose(
        to_np(loaded(x, style="b")), to_np(multi(x, style="b")), atol=1e-4
    )
    default = TransformerNet.from_weights_file(path)
    assert default.style_names == ("style_0", "style_1", "style_2")
    clone = TransformerNet.from_config(multi.get_config())
    assert clone.style_names == tuple(NAMES)
    with pytest.raises(ValueError, match="names 2"):
        TransformerNet.from_weights_file(path, style_names=["a", "b"])
    single = TransformerNet(filters=(4, 8, 8), residual_blocks=1)
    with pytest.raises(ValueError, match="3 style"):
        single.load_weights(path)


def test_style_argument_errors(multi, x, make_net):
    with pytest.raises(ValueError, match="pass `style=`"):
        multi(x)
    with pytest.raises(ValueError, match="Unknown style 'z'"):
        multi(x, style="z")
    with pytest.raises(ValueError, match="out of range"):
        multi(x, style=3)
    with pytest.raises(ValueError, match="3 columns"):
        multi(x, style=[0.5, 0.5])
    # Values that rendered a wrong mix silently: an index out of range (all
    # zero weights), indices that do not match the batch, negative weights.
    with pytest.raises(ValueError, match=r"indices \[0, 3\] go out of range"):
        multi(x, style=[0, 3])
    with pytest.raises(ValueError, match=r"one index per image, shape \(2,\)"):
        multi(x, style=[0, 1, 2])
    with pytest.raises(ValueError, match="one row per image, 2"):
        multi(x, style=np.full((3, 3), 1 / 3))
    with pytest.raises(ValueError, match="finite and non-negative"):
        multi(x, style=[1.5, -0.5, 0.0])
    with pytest.raises(ValueError, match="finite and non-negative"):
        multi(x, style=[[0.0, 0.0, 0.0], [1.0, 0.0, 0.0]])
    with pytest.raises(ValueError, match=r"names \['z'\], which abc does not hold"):
        multi(x, style={"a": 1.0, "z": 1.0})
    with pytest.raises(ValueError, match="do not all vanish"):
        multi(x, style={"a": 0.0, "b": 0.0})
    with pytest.raises(ValueError, match="finite, non-negative"):  # was NaN out
        multi(x, style={"a": float("nan"), "b": 1.0})
    with pytest.raises(ValueError, match="single-style"):
        make_net("one")(x, style=0)
    with pytest.raises(ValueError, match="distinct"):
        TransformerNet(style_names=["a", "a"])


def test_extra_cost_is_two_numbers_per_channel_and_style():
    single = TransformerNet.from_preset("full")
    six = TransformerNet.from_preset("full", style_names=[str(i) for i in range(6)])
    single.build()
    six.build()
    norm_channels = sum(w.shape[-1] for w in single.weights if w.ndim == 1) - 3
    assert six.count_params() - single.count_params() == 5 * norm_channels
