"""Contract tests of RandomStyleTransfer. Also run under JAX by
test_backends.py (everything not marked `tf_only`)."""

import subprocess
import sys

import keras
import numpy as np
import pytest

from keras_style_aug.layers import RandomStyleTransfer

to_np = keras.ops.convert_to_numpy
tf_only = pytest.mark.skipif(
    keras.backend.backend() != "tensorflow", reason="tf.data on TF backend"
)


def changed(x, y, atol=1e-3):
    """Which images of a batch differ."""
    return np.abs(to_np(x) - to_np(y)).reshape(len(x), -1).max(axis=1) > atol


@pytest.mark.parametrize("shape", [(67, 67), (101, 57)])
def test_shape_dtype_and_range_kept(shape, make_net):
    layer = RandomStyleTransfer(styles=[make_net("a")], rate=1.0, seed=0)
    x = np.random.default_rng(0).uniform(0, 255, (3, *shape, 3)).astype("float32")
    y = to_np(layer(x))
    assert y.shape == x.shape and y.dtype == np.float32
    assert y.min() >= 0 and y.max() <= 255
    assert changed(x, y).all()


def test_identity_at_inference_and_for_rate_zero(images, make_net):
    layer = RandomStyleTransfer(styles=[make_net("a")], rate=1.0, seed=0)
    np.testing.assert_array_equal(to_np(layer(images, training=False)), images)
    still = RandomStyleTransfer(styles=[make_net("a")], rate=0.0, seed=0)
    np.testing.assert_array_equal(to_np(still(images)), images)


def test_rate_is_honoured_statistically(make_net):
    x = np.random.default_rng(0).uniform(0, 255, (200, 8, 8, 3)).astype("float32")
    layer = RandomStyleTransfer(styles=[make_net("a")], rate=0.3, seed=1)
    fraction = changed(x, layer(x)).mean()
    assert 0.2 < fraction < 0.4  # 200 draws: 3 sigma is about 0.1
    # Unselected images come back bit for bit.
    y = to_np(layer(x))
    same = ~changed(x, y, atol=0)
    np.testing.assert_array_equal(y[same], x[same])


def test_same_seed_same_output(images, make_net):
    net = make_net("a")
    a = RandomStyleTransfer(styles=[net], rate=0.5, strength=(0.2, 1.0), seed=7)
    b = RandomStyleTransfer(styles=[net], rate=0.5, strength=(0.2, 1.0), seed=7)
    np.testing.assert_allclose(to_np(a(images)), to_np(b(images)), atol=1e-4)
    c = RandomStyleTransfer(styles=[net], rate=0.5, strength=(0.2, 1.0), seed=8)
    x = np.concatenate([images] * 4)
    assert not np.allclose(to_np(a(x)), to_np(c(x)))


def test_replaying_a_transformation(images, make_net):
    layer = RandomStyleTransfer(
        styles=[make_net("a"), make_net("b", 1)], rate=0.5, seed=3
    )
    t = layer.get_random_transformation(images)
    first = to_np(layer.transform_images(images, t))
    again = to_np(layer.transform_images(images, t))
    np.testing.assert_array_equal(first, again)
    chosen = to_np(t["style_index"]) >= 0
    np.testing.assert_array_equal(changed(images, first), chosen)
    # Replayed on another batch size or by another layer: refused by name
    # (it failed inside the backend on mismatched shapes).
    with pytest.raises(ValueError, match="drawn for 6 images and 2 style options"):
        layer.transform_images(images[:4], t)
    other = RandomStyleTransfer(styles=[make_net("c")], rate=0.5, seed=3)
    with pytest.raises(ValueError, match="this layer has 1 options"):
        other.transform_images(images, t)


def test_strength_zero_returns_input_and_strength_blends(images, make_net):
    net = make_net("a")
    zero = RandomStyleTransfer(styles=[net], rate=1.0, strength=0.0, seed=0)
    np.testing.assert_array_equal(to_np(zero(images)), images)
    full = to_np(RandomStyleTransfer(styles=[net], rate=1.0, seed=0)(images))
    half = to_np(
        RandomStyleTransfer(styles=[net], rate=1.0, strength=0.5, seed=0)(images)
    )
    np.testing.assert_allclose(half, (images + full) / 2, atol=1e-2)


def yiq_chroma(x):
    r, g, b = x[..., 0], x[..., 1], x[..., 2]
    return np.stack(
        [0.596 * r - 0.274 * g - 0.322 * b, 0.211 * r - 0.523 * g + 0.312 * b], -1
    )


def test_preserve_color_keeps_chrominance(make_net):
    # Mid-grey-ish inputs and a network that outputs mid-range luminance keep
    # clipping out of the way, so chrominance must be kept exactly.
    x = np.random.default_rng(0).uniform(100, 150, (2, 16, 16, 3)).astype("float32")
    net = make_net("a", value=0.1)  # constant colour tanh(0.1): ~140 grey-ish
    kept = to_np(
        RandomStyleTransfer(styles=[net], rate=1.0, preserve_color=True, seed=0)(x)
    )
    plain = to_np(RandomStyleTransfer(styles=[net], rate=1.0, seed=0)(x))
    np.testing.assert_allclose(yiq_chroma(kept), yiq_chroma(x), atol=0.05)
    assert np.abs(yiq_chroma(plain) - yiq_chroma(x)).mean() > 1
    assert np.abs(kept - x).mean() > 1  # luminance did change


def test_class_styles_applies_the_right_network(images, make_net):
    dark, bright = make_net("dark", value=-3.0), make_net("bright", value=3.0)
    layer = RandomStyleTransfer(
        class_styles={0: "dark", 1: "bright"}, styles=[dark, bright], rate=1.0, seed=0
    )
    labels = np.array([0, 1, 1, 0, 1, 0])
    out = layer({"images": images, "labels": labels})
    y = to_np(out["images"])
    np.testing.assert_array_equal(to_np(out["labels"]), labels)
    means = y.mean(axis=(1, 2, 3))
    assert (means[labels == 0] < 5).all() and (means[labels == 1] > 250).all()
    # One-hot labels and unmapped classes (2 stays unstylized).
    onehot = np.eye(3)[[0, 1, 2, 2, 1, 0]].astype("float32")
    y = to_np(layer({"images": images, "labels": onehot})["images"])
    np.testing.assert_array_equal(y[2:4], images[2:4])
    assert y[0].mean() < 5 and y[1].mean() > 250


def test_class_styles_defaults_styles_and_needs_labels(images, make_net):
    with pytest.raises(ValueError, match="not in `styles`"):
        RandomStyleTransfer(styles=[make_net("a")], class_styles={0: "b"})
    layer = RandomStyleTransfer(styles=[make_net("a")], class_styles={0: "a"})
    with pytest.raises(ValueError, match="labels"):
        layer(images)


def test_unbatched_and_uint8_input(make_net):
    layer = RandomStyleTransfer(styles=[make_net("a")], rate=1.0, seed=0)
    x = np.random.default_rng(0).integers(0, 256, (20, 24, 3)).astype("uint8")
    y = to_np(layer(x))
    assert y.shape == (20, 24, 3) and y.dtype == np.float32
    assert np.abs(y - x).max() > 1


def test_channels_first(images, make_net):
    layer = RandomStyleTransfer(
        styles=[make_net("a")], rate=1.0, seed=0, data_format="channels_first"
    )
    x = np.transpose(images, (0, 3, 1, 2))
    y = to_np(layer(x))
    last = to_np(RandomStyleTransfer(styles=[make_net("a")], rate=1.0, seed=0)(images))
    np.testing.assert_allclose(np.transpose(y, (0, 2, 3, 1)), last, atol=1e-3)


@pytest.mark.parametrize("policy", ["mixed_float16", "mixed_bfloat16"])
def test_mixed_precision(images, make_net, policy):
    layer = RandomStyleTransfer(styles=[make_net("a")], rate=1.0, seed=0, dtype=policy)
    y = layer(images)
    assert keras.backend.standardize_dtype(y.dtype) == policy.split("_")[1]
    full = to_np(RandomStyleTransfer(styles=[make_net("a")], rate=1.0, seed=0)(images))
    assert np.abs(to_np(y).astype("float32") - full).mean() < 3


def test_keras_save_and_reload_keeps_weights(tmp_path, images, make_net):
    layer = RandomStyleTransfer(
        styles=[make_net("a"), make_net("b", 1, normalization="affine")],
        rate=1.0,
        strength=(0.5, 1.0),
        seed=0,
    )
    inputs = keras.Input((None, None, 3))
    model = keras.Model(inputs, layer(inputs, training=True))
    path = tmp_path / "model.keras"
    model.save(path)
    reloaded = keras.saving.load_model(path)  # safe mode: no Lambda, no pickle
    inner = reloaded.layers[-1]
    assert inner.style_names == ["a", "b"]
    assert [n.normalization for n in inner.networks] == ["instance", "affine"]
    for net, twin in zip(layer.networks, inner.networks):
        for w, v in zip(net.get_weights(), twin.get_weights()):
            np.testing.assert_array_equal(w, v)
    t = layer.get_random_transformation(images)
    np.testing.assert_allclose(
        to_np(inner.transform_images(images, t)),
        to_np(layer.transform_images(images, t)),
        atol=1e-4,
    )
    # In a fresh process, as the README says: import the package's layers.
    code = (
        "import keras, keras_style_aug.classifiers\n"
        f"print(keras.saving.load_model({str(path)!r}).layers[-1].style_names)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip().splitlines()[-1] == "['a', 'b']"


def test_config_round_trip(make_net):
    layer = RandomStyleTransfer(
        styles=[make_net("a")],
        rate=0.25,
        strength=0.5,
        class_styles={1: "a"},
        value_range=(0, 1),
        seed=3,
    )
    clone = RandomStyleTransfer.from_config(layer.get_config())
    assert clone.rate == 0.25 and clone.strength == (0.5, 0.5)
    assert clone.class_styles == {1: ["a"]} and clone.value_range == (0.0, 1.0)
    assert clone.style_names == ["a"]


def test_in_sequential_with_keras_core_augmentations(images, make_net):
    stack = keras.Sequential(
        [
            keras.layers.RandomFlip("horizontal", seed=0),
            RandomStyleTransfer(styles=[make_net("a")], rate=1.0, seed=0),
            keras.layers.RandomContrast(0.2, seed=0),
        ]
    )
    y = to_np(stack(images, training=True))
    assert y.shape == images.shape and changed(images, y).all()
    np.testing.assert_allclose(to_np(stack(images, training=False)), images)


@pytest.mark.parametrize("rate, batch", [(0.25, 32), (0.5, 7), (1.0, 3)])
def test_one_network_call_per_batch_on_ceil_rate_images(
    rate, batch, make_net, monkeypatch
):
    layer = RandomStyleTransfer(styles=[make_net("a")], rate=rate, seed=0)
    net = layer.networks[0]
    sizes = []
    original = net.stylize_01

    def counting(x, **kwargs):
        sizes.append(int(x.shape[0]))
        return original(x, **kwargs)

    monkeypatch.setattr(net, "stylize_01", counting)
    x = np.random.default_rng(0).uniform(0, 255, (batch, 8, 8, 3)).astype("float32")
    t = layer.get_random_transformation(x)
    selected = int((to_np(t["style_index"]) >= 0).sum())
    assert selected in (int(rate * batch), -(-int(rate * batch * 4) // 4))
    y = layer.transform_images(x, t)
    assert sizes == [-(-int(rate * batch * 4) // 4)]  # ceil(rate * batch), once
    assert changed(x, y).sum() == selected


@pytest.mark.parametrize("count, batch, window", [(2, 16, 4), (3, 10, 2)])
def test_separate_networks_share_the_batch_instead_of_each_running_on_all(
    count, batch, window, make_net, monkeypatch
):
    """rate 0.5: `ceil(batch / 2)` images dealt over `count` networks, each
    run once on `ceil(that / count)` images, and each stylized image is its
    own network's output."""
    nets = [make_net(f"n{i}", seed=i) for i in range(count)]
    layer = RandomStyleTransfer(styles=nets, rate=0.5, seed=0)
    sizes = []
    for net in layer.networks:
        original = net.stylize_01

        def counting(x, _original=original, **kwargs):
            sizes.append(int(x.shape[0]))
            return _original(x, **kwargs)

        monkeypatch.setattr(net, "stylize_01", counting)
    x = np.random.default_rng(1).uniform(0, 255, (batch, 8, 8, 3)).astype("float32")
    for seed in range(5):
        sizes.clear()
        t = layer.get_random_transformation(x, seed=seed)
        index = to_np(t["style_index"])
        y = to_np(layer.transform_images(x, t))
        assert sizes == [window] * count
        drawn = np.bincount(index[index >= 0], minlength=count)
        assert drawn.max() - drawn.min() <= 1 and drawn.sum() == batch // 2
        for i, net in enumerate(nets):
            mine = index == i
            alone = to_np(net(x[mine]))
            np.testing.assert_allclose(y[mine], alone, atol=1e-3)
        np.testing.assert_array_equal(y[index < 0], x[index < 0])


def test_dealt_styles_leave_each_images_style_uniform(make_net):
    layer = RandomStyleTransfer(
        styles=[make_net("a"), make_net("b", 1), make_net("c", 2)], rate=0.5
    )
    x = np.zeros((3, 8, 8, 3), "float32")  # 1 or 2 of 3 stylized, 1.5 on average
    first = [
        int(to_np(layer.get_random_transformation(x, seed=s)["style_index"])[0])
        for s in range(600)
    ]
    counts = np.bincount(np.asarray(first) + 1, minlength=4)
    # P(unstylized) = 1/2: 300 of 600; each style 1/6: 100 (3 sigma: 37, 27).
    assert 260 < counts[0] < 340
    assert all(70 < c < 130 for c in counts[1:]), counts


def test_explicit_int_seed_draws_every_style_and_the_full_strength_range(make_net):
    layer = RandomStyleTransfer(
        styles=[make_net("a"), make_net("b", 1)], rate=0.5, strength=(0.0, 1.0)
    )
    x = np.zeros((1000, 8, 8, 3), "float32")
    t = layer.get_random_transformation(x, seed=42)
    index, strength = to_np(t["style_index"]), to_np(t["strength"])
    counts = np.bincount(index + 1, minlength=3)  # unstylized, style 0, style 1
    assert counts[0] == 500
    assert counts[1] == counts[2] == 250  # dealt out evenly
    assert strength.max() > 0.9 and strength.min() < 0.1
    again = layer.get_random_transformation(x, seed=42)
    np.testing.assert_array_equal(to_np(again["style_index"]), index)
    other = layer.get_random_transformation(x, seed=43)
    assert (to_np(other["style_index"]) != index).any()


def test_the_callers_network_is_left_untouched(images, make_net):
    net = make_net("a")
    before = to_np(net(images))
    layer = RandomStyleTransfer(styles=[net], rate=1.0, dtype="mixed_bfloat16")
    layer(images)
    assert net.trainable and net.compute_dtype == "float32"
    after = to_np(net(images))
    assert after.dtype == np.float32
    np.testing.assert_array_equal(after, before)
    assert layer.networks[0] is not net and not layer.networks[0].trainable


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"rate": 1.5}, "rate"),
        ({"rate": "half"}, "rate"),
        ({"strength": 2.0}, "strength"),
        ({"strength": (0.8, 0.2)}, "strength"),
        ({"value_range": (255, 0)}, "value_range"),
        ({"class_styles": {"cat": "a"}}, "class_styles"),
    ],
)
def test_bad_arguments(kwargs, match, make_net):
    with pytest.raises(ValueError, match=match):
        RandomStyleTransfer(styles=[make_net("a")], **kwargs)


def test_bad_inputs(make_net):
    layer = RandomStyleTransfer(styles=[make_net("a")], rate=1.0)
    with pytest.raises(ValueError, match="3 channels"):
        layer(np.zeros((2, 16, 16, 4), "float32"))
    with pytest.raises(ValueError, match="3 channels"):
        layer(np.zeros((2, 16, 16, 1), "float32"))
    with pytest.raises(ValueError, match="rank 3"):
        layer(np.zeros((16, 16), "float32"))
    with pytest.raises(TypeError, match="dtype bool"):
        layer(np.zeros((2, 16, 16, 3), bool))
    with pytest.raises(ValueError, match="Unknown style 'no_such_style'"):
        RandomStyleTransfer(styles=["no_such_style"])
    with pytest.raises(ValueError, match="unique"):
        RandomStyleTransfer(styles=[make_net("a"), make_net("a")])


@tf_only
def test_tf_data_map_batched_and_unbatched(images, make_net):
    import tensorflow as tf

    layer = RandomStyleTransfer(styles=[make_net("a")], rate=1.0, seed=0)
    ds = tf.data.Dataset.from_tensor_slices(images)
    unbatched = np.stack([t.numpy() for t in ds.map(layer)])
    assert unbatched.shape == images.shape and changed(images, unbatched).all()
    batched = np.concatenate([t.numpy() for t in ds.batch(4).map(layer)])
    assert changed(images, batched).all()
    pairs = (
        tf.data.Dataset.from_tensor_slices(
            {"images": images, "labels": np.arange(6) % 2}
        )
        .batch(3)
        .map(
            RandomStyleTransfer(
                styles=[make_net("a")], rate=1.0, class_styles={1: "a"}, seed=0
            )
        )
    )
    for item in pairs:
        labels = item["labels"].numpy()
        assert (changed(images[:3], item["images"].numpy()) == (labels == 1)).all()
        break


def test_tf_data_map_under_any_backend(images, make_net):
    """Like Keras's own layers, the layer runs in tf.data on every backend."""
    tf = pytest.importorskip("tensorflow")
    net = make_net("a")
    layer = RandomStyleTransfer(styles=[net], rate=1.0, seed=0)
    ds = tf.data.Dataset.from_tensor_slices(images).batch(3).map(layer)
    out = np.concatenate([t.numpy() for t in ds])
    direct = to_np(net(images))
    np.testing.assert_allclose(out, direct, atol=0.05)


def test_the_readme_pipeline_recipe_in_tf_data(images, make_net):
    """keras.layers.Pipeline in tf.data works on every backend."""
    tf = pytest.importorskip("tensorflow")
    augment = keras.layers.Pipeline(
        [
            keras.layers.RandomFlip("horizontal", seed=0),
            RandomStyleTransfer(styles=[make_net("a")], rate=1.0, seed=0),
        ]
    )
    labels = np.arange(len(images)) % 2
    ds = tf.data.Dataset.from_tensor_slices((images, labels)).batch(3)
    ds = ds.map(lambda x, y: (augment(x, training=True), y))
    out = np.concatenate([x.numpy() for x, _ in ds])
    assert out.shape == images.shape and changed(images, out).all()


@tf_only
def test_in_keras_cv_pipelines(images, make_net):
    import keras_cv  # in the test extra: this test runs in CI

    def style():
        return RandomStyleTransfer(styles=[make_net("a")], rate=1.0, seed=0)

    pipelines = [
        keras_cv.layers.RandomAugmentationPipeline(
            layers=[style()], augmentations_per_image=1, seed=0
        ),
        keras_cv.layers.RandomChoice(layers=[style()], seed=0),
        keras_cv.layers.RandomApply(style(), rate=1.0, seed=0),
    ]
    for pipeline in pipelines:
        y = to_np(pipeline(images, training=True))
        assert y.shape == images.shape and changed(images, y).all(), pipeline
    skipped = keras_cv.layers.RandomApply(style(), rate=0.0, seed=0)
    np.testing.assert_allclose(to_np(skipped(images, training=True)), images)


def test_images_in_0_1_under_the_default_value_range_warn(make_net):
    layer = RandomStyleTransfer(styles=[make_net("a")], rate=0.5, seed=0)
    x = np.random.default_rng(0).uniform(0, 1, (4, 16, 16, 3)).astype("float32")
    with pytest.warns(UserWarning, match=r"value_range=\(0, 1\)"):
        layer(x)
    fitting = RandomStyleTransfer(styles=[make_net("a")], value_range=(0, 1), seed=0)
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        y = to_np(fitting(x))
    assert y.max() <= 1.0
    # The other way round: 0..255 images (uint8 too) under value_range (0, 1).
    for pixels in (x * 255, (x * 255).astype("uint8")):
        layer = RandomStyleTransfer(styles=[make_net("a")], value_range=(0, 1))
        with pytest.warns(UserWarning, match=r"value_range=\(0, 255\) for images in"):
            layer(pixels)
    with warnings.catch_warnings():  # above 0..255: no range to suggest
        warnings.simplefilter("error")
        RandomStyleTransfer(styles=[make_net("a")])(x * 400)


def test_a_non_finite_pixel_stays_local(make_net):
    layer = RandomStyleTransfer(styles=[make_net("a")], rate=1.0, seed=0)
    x = np.random.default_rng(0).uniform(0, 255, (2, 16, 16, 3)).astype("float32")
    x[0, 3, 4, 1] = np.nan
    x[1, 0, 0, 0] = np.inf
    y = to_np(layer(x))
    assert np.isfinite(y).sum() == y.size - 2
    assert np.isnan(y[0, 3, 4, 1])


@pytest.mark.parametrize(
    "labels, match",
    [
        (np.array([1]), "one label"),
        (np.array([0, 1, 1]), "one label"),
        (np.array(["cat", "dog"]), "integer class indices"),
        (np.zeros((2, 3, 2), "int32"), "too many axes"),
    ],
)
def test_labels_that_do_not_fit_are_refused(labels, match, make_net):
    layer = RandomStyleTransfer(styles=[make_net("a")], class_styles={1: "a"}, rate=1.0)
    x = (
        np.zeros((2, 16, 16, 3), "float32")
        if len(labels) != 1
        else np.zeros((4, 16, 16, 3), "float32")
    )
    with pytest.raises((ValueError, TypeError), match=match):
        layer({"images": x, "labels": labels})


@pytest.mark.parametrize("key", [1.7, True, -1, "cat"])
def test_class_styles_keys_must_be_class_indices(key, make_net):
    with pytest.raises(ValueError, match="class indices"):
        RandomStyleTransfer(styles=[make_net("a")], class_styles={key: "a"})


def test_a_large_class_index_costs_no_table(images, make_net):
    layer = RandomStyleTransfer(
        styles=[make_net("a")], class_styles={10**6: "a"}, rate=1.0, seed=0
    )
    assert np.asarray(layer.options.class_probs).size == 1
    labels = np.array([10**6, 0, 10**6, 5, 0, 0])
    y = to_np(layer({"images": images, "labels": labels})["images"])
    np.testing.assert_array_equal(changed(images, y), labels == 10**6)


def test_empty_batches_and_missing_images_key(make_net):
    layer = RandomStyleTransfer(styles=[make_net("a")], rate=0.5, seed=0)
    empty = np.zeros((0, 16, 16, 3), "float32")
    assert to_np(layer(empty)).shape == (0, 16, 16, 3)
    with pytest.raises(ValueError, match="'images' key"):
        layer({"pixels": np.zeros((1, 16, 16, 3), "float32")})


@tf_only
def test_tiny_images_in_tf_data_fail_with_a_clear_message(make_net):
    import tensorflow as tf

    layer = RandomStyleTransfer(styles=[make_net("a")], rate=1.0, seed=0)
    ds = tf.data.Dataset.from_generator(
        lambda: iter([np.zeros((4, 4, 3), "float32")]),
        output_signature=tf.TensorSpec((None, None, 3), tf.float32),
    ).map(layer)
    with pytest.raises(tf.errors.InvalidArgumentError, match="at least 8x8"):
        list(ds)


def test_from_config_and_clone_model_give_back_the_trained_networks(
    images, tmp_path, make_net
):
    # A registry name, one style of a multi-style network and a weights file
    # come back trained: the same transformation, the same output.
    path = tmp_path / "solo.weights.h5"
    make_net("solo", seed=4).save_weights(path)
    layer = RandomStyleTransfer(
        styles=["paintings6_lite:wave", str(path)], rate=1.0, seed=0
    )
    drawn = layer.get_random_transformation(images, seed=1)
    expected = to_np(layer.transform_images(images, drawn))
    assert changed(images, expected).all()
    clone = RandomStyleTransfer.from_config(layer.get_config())
    np.testing.assert_allclose(
        to_np(clone.transform_images(images, drawn)), expected, atol=1e-3
    )
    inputs = keras.Input((24, 20, 3))
    twin = keras.models.clone_model(keras.Model(inputs, layer(inputs)))
    np.testing.assert_allclose(
        to_np(twin.layers[-1].transform_images(images, drawn)), expected, atol=1e-3
    )


def test_a_network_without_a_source_waits_for_its_weights(images, make_net):
    layer = RandomStyleTransfer(styles=[make_net("a")], rate=1.0, seed=0)
    clone = RandomStyleTransfer.from_config(layer.get_config())
    with pytest.raises(ValueError, match="rebuilt from the layer's config"):
        clone(images)  # its weights are freshly initialized: refused
    clone.set_weights(layer.get_weights())
    drawn = layer.get_random_transformation(images, seed=1)
    np.testing.assert_allclose(
        to_np(clone.transform_images(images, drawn)),
        to_np(layer.transform_images(images, drawn)),
        atol=1e-3,
    )
    assert changed(images, clone(images)).all()


def test_the_pixel_range_guard_also_runs_in_traced_calls(make_net):
    # fit traces the layer (tf.function, jax.jit): 0..1 images under the
    # default (0, 255) came back on two scales in a batch, without a word.
    x = np.random.default_rng(0).uniform(0, 1, (4, 16, 16, 3)).astype("float32")
    layer = RandomStyleTransfer(styles=[make_net("a")], rate=0.5, seed=0)
    inputs = keras.Input((16, 16, 3))
    pooled = keras.layers.GlobalAveragePooling2D()(layer(inputs))
    model = keras.Model(inputs, keras.layers.Dense(1)(pooled))
    model.compile(optimizer="sgd", loss="mse")
    with pytest.warns(UserWarning, match=r"value_range=\(0, 1\)"):
        model.fit(x, np.zeros((4, 1)), batch_size=2, epochs=1, verbose=0)


@tf_only
def test_the_pixel_range_guard_in_tf_data(make_net):
    import tensorflow as tf

    x = np.random.default_rng(0).uniform(0, 1, (4, 16, 16, 3)).astype("float32")
    layer = RandomStyleTransfer(styles=[make_net("a")], rate=0.5, seed=0)
    dataset = tf.data.Dataset.from_tensor_slices(x).batch(2).map(layer)
    with pytest.warns(UserWarning, match=r"value_range=\(0, 1\)"):
        assert len(list(dataset)) == 2


@tf_only
def test_network_colon_style_names_in_traced_calls(multi, images):
    # "NETWORK:STYLE" is no valid TensorFlow scope name: every traced call
    # (tf.function, tf.data, fit) failed with "not a valid scope name".
    import tensorflow as tf

    from keras_style_aug.styles import one_style

    net = one_style(multi, "b")
    assert net.name == "abc:b"
    layer = RandomStyleTransfer(styles=[net], rate=1.0, seed=0)
    out = tf.function(lambda x: layer(x, training=True))(images)
    assert changed(images, out).all()
    dataset = tf.data.Dataset.from_tensor_slices(images).batch(3).map(layer)
    assert all(changed(images[:3], b).all() for b in dataset.take(1))
    by_class = RandomStyleTransfer(styles=[net], class_styles={1: "abc:b"}, rate=1.0)
    labels = np.array([0, 1, 0, 1, 0, 1])
    out = tf.function(lambda x, y: by_class({"images": x, "labels": y}))(
        images, labels
    )["images"]
    assert changed(images, out).tolist() == [False, True] * 3
    inputs = keras.Input((24, 20, 3))
    pooled = keras.layers.GlobalAveragePooling2D()(layer(inputs))
    model = keras.Model(inputs, keras.layers.Dense(1)(pooled))
    model.compile(optimizer="sgd", loss="mse")
    model.fit(images, np.zeros((6, 1)), batch_size=3, epochs=1, verbose=0)


def test_flags_and_style_lists_of_the_wrong_type_are_refused(make_net):
    # "no" was taken as True; 123 failed with "'int' object is not iterable".
    with pytest.raises(TypeError, match="`preserve_color` must be True or False"):
        RandomStyleTransfer(styles=[make_net("a")], preserve_color="no")
    with pytest.raises(TypeError, match="`styles` must be a list"):
        RandomStyleTransfer(styles=123)


def test_class_labels_that_are_no_class_index_are_refused(make_net):
    # 1.6 was rounded to class 2, 2**32 wrapped to class 0 and NaN left its
    # image unstylized, silently.
    layer = RandomStyleTransfer(styles=[make_net("a")], class_styles={1: "a"}, rate=1.0)
    x = np.zeros((1, 16, 16, 3), "float32")
    for labels in (np.array([1.6]), np.array([2**32]), np.array([np.nan])):
        with pytest.raises(ValueError, match="must be class indices"):
            layer({"images": x, "labels": labels})
    one_hot = np.array([[0.0, 1.0]], "float32")  # rows stay allowed
    assert changed(x, layer({"images": x, "labels": one_hot})["images"]).all()


def test_a_value_range_beyond_float16_is_refused_under_float16(make_net):
    # Under mixed_float16, value_range=(0, 65535) made every stylized pixel inf.
    with pytest.raises(ValueError, match="does not fit the layer's float16"):
        RandomStyleTransfer(
            styles=[make_net("a")], value_range=(0, 65535), dtype="mixed_float16"
        )
    layer = RandomStyleTransfer(styles=[make_net("a")], value_range=(0, 65535))
    x = np.random.default_rng(0).uniform(0, 65535, (2, 16, 16, 3)).astype("float32")
    assert np.isfinite(to_np(layer(x))).all()
