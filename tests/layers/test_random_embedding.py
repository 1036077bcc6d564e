"""RandomStyleTransfer(random_embedding=...): per-image style embeddings
drawn from the Gaussian fitted to a multi-style network's styles."""

import keras
import numpy as np
import pytest

from keras_style_aug.layers import RandomStyleTransfer


def to_np(x):
    return keras.ops.convert_to_numpy(x)


def draw(multi, n=2000, seed=0, **kwargs):
    x = np.zeros((n, 4, 4, 3), "float32")
    layer = RandomStyleTransfer(styles=[multi], rate=1.0, seed=seed, **kwargs)
    return to_np(layer.get_random_transformation(x)["style_weights"])


def test_embeddings_follow_the_gaussian_fitted_to_the_styles(multi):
    w = draw(multi, random_embedding=1.0)
    k = w.shape[1]
    np.testing.assert_allclose(w.sum(axis=1), 1.0, atol=1e-5)  # affine weights
    assert (w < 0).any()  # beyond the convex hull of the styles
    # The embedding is linear in w, so its mean and covariance are those of
    # the styles' (population) covariance when w has mean 1/k and
    # covariance (I - 1/k) / k.
    np.testing.assert_allclose(w.mean(axis=0), 1 / k, atol=0.03)
    expected = (np.eye(k) - 1 / k) / k
    np.testing.assert_allclose(np.cov(w.T), expected, atol=0.03)


def test_spread_scales_the_draws_and_probability_picks_the_images(multi):
    k = len(multi.style_names)
    wide = draw(multi, random_embedding=1.0, embedding_spread=2.0)
    np.testing.assert_allclose(wide.std(axis=0), 2 * np.sqrt((1 - 1 / k) / k), rtol=0.1)
    some = draw(multi, random_embedding=0.3)
    one_hot = np.isclose(some, 0).sum(axis=1) == k - 1
    assert 0.6 < one_hot.mean() < 0.8  # about 70% keep their drawn style


def test_each_image_is_rendered_with_its_embedding(multi, images):
    layer = RandomStyleTransfer(styles=[multi], rate=1.0, random_embedding=1.0, seed=4)
    t = layer.get_random_transformation(images)
    weights = to_np(t["style_weights"])
    out = to_np(layer.transform_images(images, t))
    # `style=` takes convex mixes only; the embedding goes to the runner
    expected = to_np(multi.stylize_01(images / 255, style_weights=weights)) * 255
    np.testing.assert_allclose(out, expected, atol=1e-2)
    for s in range(len(multi.style_names)):  # not one of the trained styles
        assert np.abs(out - to_np(multi(images, style=s))).max() > 1


def test_same_seed_same_embeddings_and_the_config_keeps_them(multi, images):
    np.testing.assert_array_equal(
        draw(multi, n=16, seed=3, random_embedding=0.5),
        draw(multi, n=16, seed=3, random_embedding=0.5),
    )
    layer = RandomStyleTransfer(
        styles=[multi], random_embedding=0.5, embedding_spread=0.5, seed=1
    )
    again = RandomStyleTransfer.from_config(layer.get_config())
    assert (again.random_embedding, again.embedding_spread) == (0.5, 0.5)


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"random_embedding": 1.5}, "random_embedding"),
        ({"random_embedding": True}, "random_embedding"),
        ({"random_embedding": 0.5, "embedding_spread": 0}, "embedding_spread"),
        (
            {"random_embedding": 0.5, "embedding_spread": float("nan")},
            "embedding_spread",
        ),
    ],
)
def test_bad_arguments(multi, kwargs, match):
    with pytest.raises(ValueError, match=match):
        RandomStyleTransfer(styles=[multi], **kwargs)


def test_single_style_networks_are_refused_instead_of_ignored(make_net):
    with pytest.raises(ValueError, match="multi-style network"):
        RandomStyleTransfer(styles=[make_net("a")], random_embedding=0.5)
