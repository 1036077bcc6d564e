import re

import h5py
import keras
import numpy as np
import pytest

from keras_style_aug.networks import PRESETS
from keras_style_aug.networks import TransformerNet


@pytest.mark.parametrize("shape", [(67, 67), (101, 57), (8, 8), (32, 48)])
def test_shape_dtype_and_range_kept_for_odd_sizes(shape):
    net = TransformerNet.from_preset("lite")
    x = np.random.default_rng(0).uniform(0, 255, (2, *shape, 3)).astype("float32")
    y = keras.ops.convert_to_numpy(net(x))
    assert y.shape == x.shape
    assert y.dtype == np.float32
    assert y.min() >= 0 and y.max() <= 255
    assert np.abs(y - x).max() > 1  # an untrained network changes the image


def test_output_follows_value_range():
    net = TransformerNet(filters=(4, 8, 8), residual_blocks=1, value_range=(-1, 1))
    x = np.random.default_rng(0).uniform(-1, 1, (1, 16, 16, 3)).astype("float32")
    y = keras.ops.convert_to_numpy(net(x))
    assert -1 <= y.min() and y.max() <= 1


def test_pre_tanh_output_is_what_tanh_maps_to_the_image():
    # value_range (-1, 1): the image is tanh of the pre-tanh output, both
    # cropped back to the input's odd size.
    net = TransformerNet(filters=(4, 8, 8), residual_blocks=1, value_range=(-1, 1))
    x = np.random.default_rng(0).uniform(-1, 1, (2, 19, 23, 3)).astype("float32")
    y, pre = (keras.ops.convert_to_numpy(t) for t in net(x, with_pre_tanh=True))
    assert pre.shape == x.shape and pre.dtype == np.float32
    np.testing.assert_allclose(np.tanh(pre), y, atol=1e-5)
    np.testing.assert_allclose(keras.ops.convert_to_numpy(net(x)), y, atol=1e-6)
    assert np.abs(pre).max() > np.abs(y).max()  # not the image itself


def test_odd_sizes_are_reflection_padded_then_cropped_back():
    # net(x) for a 67x65 image equals crop(net(reflect_pad(x))) computed on
    # the 68x68 padded image, whose sides the network takes as they are.
    net = TransformerNet(filters=(4, 8, 8), residual_blocks=1)
    x = np.random.default_rng(1).uniform(0, 255, (1, 67, 65, 3)).astype("float32")
    padded = np.pad(x, [(0, 0), (0, 1), (0, 3), (0, 0)], mode="reflect")
    y = keras.ops.convert_to_numpy(net(x))
    expected = keras.ops.convert_to_numpy(net(padded))[:, :67, :65]
    np.testing.assert_allclose(y, expected, atol=1e-3)
    # Zero padding instead of reflection would give another image.
    zero = np.pad(x, [(0, 0), (0, 1), (0, 3), (0, 0)])
    assert np.abs(keras.ops.convert_to_numpy(net(zero))[:, :67, :65] - y).max() > 0.1


def test_builds_with_unknown_spatial_dims():
    net = TransformerNet.from_preset("lite")
    inputs = keras.Input((None, None, 3))
    model = keras.Model(inputs, net(inputs))
    assert model.output.shape == (None, None, None, 3)
    out = model.predict(np.zeros((1, 30, 45, 3), "float32"), verbose=0)
    assert out.shape == (1, 30, 45, 3)


def test_presets_and_parameter_count():
    full = TransformerNet.from_preset("full")
    full.build()
    assert full.count_params() == 1_677_635  # Johnson et al.: ~1.68 M
    lite = TransformerNet.from_preset("lite")
    lite.build()
    assert lite.count_params() < full.count_params() / 4
    assert set(PRESETS) == {"full", "lite"}
    with pytest.raises(ValueError, match="Unknown preset 'huge'"):
        TransformerNet.from_preset("huge")


def test_fresh_kernels_are_glorot_uniform_and_follow_the_global_seed():
    def kernels(seed):
        keras.utils.set_random_seed(seed)
        net = TransformerNet(filters=(4, 8, 8), residual_blocks=1)
        net.build()
        return [w for w in net.get_weights() if w.ndim == 4]

    first, again, other = kernels(1), kernels(1), kernels(2)
    for a, b, c in zip(first, again, other):
        np.testing.assert_array_equal(a, b)
        assert not np.array_equal(a, c)
        k, _, cin, cout = a.shape
        limit = np.sqrt(6.0 / (k * k * (cin + cout)))
        assert np.abs(a).max() <= limit and np.abs(a).max() > 0.8 * limit


def test_too_small_image_is_a_clear_error():
    net = TransformerNet.from_preset("lite")
    with pytest.raises(ValueError, match="at least 8x8"):
        net(np.zeros((1, 5, 40, 3), "float32"))


@pytest.mark.parametrize("shape", [(1, 16, 16, 4), (16, 16, 3)])
def test_images_that_are_not_a_batch_of_rgb_are_a_clear_error(shape):
    # RGBA failed inside the backend's convolution; one image without its
    # batch axis as well.
    net = TransformerNet.from_preset("lite")
    expected = rf"\(N, H, W, 3\) RGB .* shape {re.escape(str(shape))}"
    with pytest.raises(ValueError, match=expected):
        net(np.zeros(shape, "float32"))


def test_bad_constructor_arguments():
    with pytest.raises(ValueError, match="filters"):
        TransformerNet(filters=(8, 8))
    with pytest.raises(ValueError, match="residual_blocks"):
        TransformerNet(residual_blocks=-1)
    with pytest.raises(ValueError, match="value_range"):
        TransformerNet(value_range=(1, 0))
    with pytest.raises(ValueError, match="`normalization` must be one of"):
        TransformerNet(normalization="batch")


def test_weights_file_round_trip_infers_architecture(tmp_path, make_net):
    net = make_net("a", seed=3)
    path = tmp_path / "a.weights.h5"
    net.save_weights(path)
    loaded = TransformerNet.from_weights_file(path, name="a")
    assert loaded.filters == (4, 8, 8) and loaded.residual_blocks == 1
    x = np.random.default_rng(0).uniform(0, 255, (1, 16, 16, 3)).astype("float32")
    np.testing.assert_allclose(
        keras.ops.convert_to_numpy(loaded(x)), keras.ops.convert_to_numpy(net(x))
    )


def test_float16_weights_file_loads_as_float32(tmp_path, make_net):
    from keras_style_aug.networks.weights_io import save_weights_float16

    net = make_net("a", seed=3)
    path = save_weights_float16(net, tmp_path / "a.weights.h5")
    with h5py.File(path) as f:
        assert f["vars/0"].dtype == np.float16
    loaded = TransformerNet.from_weights_file(path)
    assert all(w.dtype == "float32" for w in loaded.weights)
    np.testing.assert_allclose(loaded.get_weights()[0], net.get_weights()[0], atol=1e-3)


def test_mismatched_weights_file_is_refused(tmp_path, make_net):
    path = tmp_path / "a.weights.h5"
    make_net("a").save_weights(path)
    with pytest.raises(ValueError, match="does not match this network"):
        TransformerNet.from_preset("lite").load_weights(path)


def test_weights_files_record_the_normalization(tmp_path):
    from keras_style_aug.networks.weights_io import save_weights_float16

    affine = TransformerNet(
        filters=(4, 8, 8), residual_blocks=1, normalization="affine"
    )
    affine.build()
    x = np.random.default_rng(0).uniform(0, 255, (1, 16, 16, 3)).astype("float32")
    for save in (affine.save_weights, lambda p: save_weights_float16(affine, p)):
        path = tmp_path / "affine.weights.h5"
        save(path)
        loaded = TransformerNet.from_weights_file(path)
        assert loaded.normalization == "affine"
        np.testing.assert_allclose(
            keras.ops.convert_to_numpy(loaded(x)),
            keras.ops.convert_to_numpy(affine(x)),
            atol=1.0,
        )
    # Same shapes, other function: loading into an instance-norm network
    # would give wrong outputs silently, so it is refused.
    same_shapes = TransformerNet(filters=(4, 8, 8), residual_blocks=1)
    with pytest.raises(ValueError, match="normalization='affine'.*from_weights_file"):
        same_shapes.load_weights(tmp_path / "affine.weights.h5")
    clone = TransformerNet.from_config(affine.get_config())
    assert clone.normalization == "affine"
    with h5py.File(tmp_path / "affine.weights.h5", "a") as f:
        f.attrs["keras_style_aug_normalization"] = "batch"
    with pytest.raises(ValueError, match="normalization='batch'.*corrupt"):
        TransformerNet.from_weights_file(tmp_path / "affine.weights.h5")


def test_corrupt_weights_file_is_refused(tmp_path):
    path = tmp_path / "bad.weights.h5"
    path.write_bytes(b"not an hdf5 file at all")
    with pytest.raises(ValueError, match="not a readable.*truncated or corrupt"):
        TransformerNet.from_weights_file(path)
    # A user's model file was called corrupt, to be deleted.
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    model.save(tmp_path / "model.keras")
    with pytest.raises(ValueError, match=r"is a Keras model file \(.keras\), not a"):
        TransformerNet.from_weights_file(tmp_path / "model.keras")
    with pytest.raises(ValueError) as refused:
        TransformerNet.from_weights_file(path)
    assert "delete" not in str(refused.value)


def test_clone_copies_weights_and_leaves_the_original_alone(make_net):
    net = make_net("a", seed=4)
    twin = net.clone(dtype="mixed_bfloat16")
    assert twin.compute_dtype == "bfloat16" and net.compute_dtype == "float32"
    twin.trainable = False
    assert net.trainable
    for w, v in zip(net.get_weights(), twin.get_weights()):
        np.testing.assert_array_equal(w, v)
    assert all(a is not b for a, b in zip(net.weights, twin.weights))


def test_layer_weights_are_keyed_by_layer_name(make_net):
    net = make_net("a", seed=2)
    weights = net.layer_weights()
    assert list(weights)[:3] == ["conv_in", "down1", "down2"]
    assert set(weights["conv_out"]) == {"kernel", "bias"}
    assert tuple(weights["down1"]["kernel"].shape) == (3, 3, 4, 8)
    np.testing.assert_array_equal(
        keras.ops.convert_to_numpy(weights["res0_b"]["scale"]),
        net.get_weights()[3 * 4 + 1],
    )  # conv_in, down1, down2, res0_a, res0_b


def test_weights_sha256_tells_weights_apart_not_names_or_dtypes():
    net = TransformerNet.from_preset("lite", name="a")
    same = net.weights_sha256()
    assert net.clone(name="b").weights_sha256() == same
    assert net.clone(dtype="mixed_bfloat16").weights_sha256() == same
    changed = net.clone()
    weights = changed.get_weights()
    weights[0] = weights[0] + 1e-3
    changed.set_weights(weights)
    assert changed.weights_sha256() != same


def test_an_empty_batch_and_a_nan_weights_file(tmp_path):
    net = TransformerNet.from_preset("lite", name="lite")
    empty = keras.ops.convert_to_numpy(net(np.zeros((0, 16, 16, 3), "float32")))
    assert empty.shape == (0, 16, 16, 3)  # was a MirrorPad error
    weights = [np.full_like(w, np.nan) for w in net.get_weights()]
    net.set_weights(weights)
    path = tmp_path / "diverged.weights.h5"
    net.save_weights(path)
    with pytest.raises(ValueError, match="diverged.weights.h5 holds NaN"):
        TransformerNet.from_weights_file(path)


def test_weights_of_another_keras_model_are_named_so(tmp_path):
    # It said "weights of shapes []...".
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2)])
    path = tmp_path / "other.weights.h5"
    model.save_weights(path)
    with pytest.raises(ValueError, match="the weights of another Keras model"):
        TransformerNet.from_weights_file(path)
