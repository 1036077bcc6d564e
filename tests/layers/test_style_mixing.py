"""RandomStyleTransfer with a multi-style network: styles, mixes, class mixes."""

import keras
import numpy as np
import pytest

from keras_style_aug.layers import RandomStyleTransfer

NAMES = ["a", "b", "c"]


def to_np(x):
    return keras.ops.convert_to_numpy(x)


def test_options_are_the_networks_styles(multi, make_net):
    layer = RandomStyleTransfer(styles=[multi, make_net("d")], rate=1.0, seed=0)
    assert layer.style_names == ["a", "b", "c", "d"]
    with pytest.raises(ValueError, match="unique"):
        RandomStyleTransfer(styles=[multi, make_net("a")])


def test_each_image_gets_its_drawn_style_or_mix(multi, images):
    layer = RandomStyleTransfer(styles=[multi], rate=1.0, mix=0.5, mix_size=2, seed=1)
    t = layer.get_random_transformation(images)
    weights = to_np(t["style_weights"])
    np.testing.assert_allclose(weights.sum(axis=1), 1.0, atol=1e-5)
    assert ((weights > 0).sum(axis=1) <= 2).all() and (weights >= 0).all()
    out = to_np(layer.transform_images(images, t))
    expected = to_np(multi(images, style=weights))
    np.testing.assert_allclose(out, expected, atol=1e-2)


def test_mixes_are_drawn_and_deterministic_under_a_seed(multi):
    x = np.random.default_rng(0).uniform(0, 255, (64, 8, 8, 3)).astype("float32")

    def weights(seed):
        layer = RandomStyleTransfer(styles=[multi], rate=1.0, mix=0.5, seed=seed)
        return to_np(layer.get_random_transformation(x)["style_weights"])

    first, again, other = weights(7), weights(7), weights(8)
    np.testing.assert_array_equal(first, again)
    assert np.abs(first - other).max() > 0.1
    mixed = (first > 0).sum(axis=1) == 2
    assert 16 < mixed.sum() < 48  # about half of 64
    assert len(np.unique(np.round(first[mixed].max(axis=1), 3))) > 10
    no_mix = RandomStyleTransfer(styles=[multi], rate=1.0, seed=7)
    plain = to_np(no_mix.get_random_transformation(x)["style_weights"])
    assert set(np.unique(plain)) == {0.0, 1.0}


def test_class_styles_name_fixed_mixes(multi, images):
    labels = np.array([0, 1, 0, 1, 0, 1])

    def run(class_styles):
        layer = RandomStyleTransfer(
            styles=[multi], rate=1.0, seed=3, class_styles=class_styles
        )
        return to_np(layer({"images": images, "labels": labels})["images"])

    # A mix with all its weight on one style is that style.
    np.testing.assert_allclose(
        run({0: {"a": 1.0}, 1: "c"}), run({0: "a", 1: "c"}), atol=1e-3
    )
    mixed = run({0: {"a": 1.0, "b": 3.0}, 1: "c"})
    expected = to_np(multi(images, style=[0.25, 0.75, 0.0]))
    np.testing.assert_allclose(mixed[0::2], expected[0::2], atol=1e-2)
    layer = RandomStyleTransfer(styles=[multi], class_styles={0: {"a": 1, "b": 1}})
    assert layer.style_names[-1] == "0.5*a+0.5*b"


def test_mix_errors(multi, make_net):
    with pytest.raises(ValueError, match="`mix` is the probability"):
        RandomStyleTransfer(styles=[multi], mix=1.5)
    with pytest.raises(ValueError, match="`mix_size`"):
        RandomStyleTransfer(styles=[multi], mix=0.5, mix_size=1)
    # Mixes that could not be drawn as asked are refused, not capped or dropped.
    with pytest.raises(ValueError, match=r"more than the 3 styles of 'abc'"):
        RandomStyleTransfer(styles=[multi, make_net("d")], mix=0.5, mix_size=4)
    with pytest.raises(ValueError, match=r"holds one style \(\['d'\]\)"):
        RandomStyleTransfer(styles=[make_net("d")], mix=0.5)
    RandomStyleTransfer(styles=[make_net("d")], mix=0.0)  # no mix, no multi-style
    with pytest.raises(ValueError, match="one multi-style network"):
        RandomStyleTransfer(
            styles=[multi, make_net("d")], class_styles={0: {"a": 0.5, "d": 0.5}}
        )
    with pytest.raises(ValueError, match="not in `styles`"):
        RandomStyleTransfer(styles=[multi], class_styles={0: {"a": 1, "z": 1}})
    with pytest.raises(ValueError, match="non-negative"):
        RandomStyleTransfer(styles=[multi], class_styles={0: {"a": -1}})
    with pytest.raises(ValueError, match="finite"):  # inf / inf: NaN weights
        RandomStyleTransfer(styles=[multi], class_styles={0: {"a": float("inf")}})


def test_keras_round_trip_keeps_styles_and_mixing(multi, images, tmp_path):
    layer = RandomStyleTransfer(
        styles=[multi], rate=1.0, mix=1.0, mix_size=3, mix_concentration=2.0, seed=5
    )
    model = keras.Sequential([keras.Input((24, 20, 3)), layer])
    path = tmp_path / "m.keras"
    model.save(path)
    loaded = keras.saving.load_model(path)
    reloaded = loaded.layers[0]
    assert reloaded.style_names == NAMES and reloaded.mix_size == 3
    t = layer.get_random_transformation(images, seed=keras.random.SeedGenerator(0))
    np.testing.assert_allclose(
        to_np(reloaded.transform_images(images, t)),
        to_np(layer.transform_images(images, t)),
        atol=1e-3,
    )


def test_mixes_run_inside_tf_data(multi):
    tf = pytest.importorskip("tensorflow")
    x = np.random.default_rng(0).uniform(0, 255, (8, 16, 16, 3)).astype("float32")

    def run(seed):
        layer = RandomStyleTransfer(styles=[multi], rate=1.0, mix=1.0, seed=seed)
        ds = (
            tf.data.Dataset.from_tensor_slices(x)
            .batch(4)
            .map(lambda t: layer(t, training=True))
        )
        return np.concatenate([b.numpy() for b in ds])

    first = run(0)
    assert first.shape == x.shape and 0 <= first.min() and first.max() <= 255
    assert np.abs(first - x).mean() > 1.0
    np.testing.assert_array_equal(first, run(0))
    assert np.abs(first - run(1)).max() > 0.1
