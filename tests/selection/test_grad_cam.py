"""Also run under JAX by tests/layers/test_backends.py."""

import keras
import numpy as np
import pytest

from keras_style_aug.selection import grad_cam
from keras_style_aug.selection.grad_cam import last_conv_layer


def quadrant_model(corner, scale=1.0):
    """Sees only one 16x16 quadrant of a 32x32 image (the rest is zeroed)."""
    crop = {"top_left": ((0, 16), (0, 16)), "bottom_right": ((16, 0), (16, 0))}
    pad = {"top_left": ((0, 16), (0, 16)), "bottom_right": ((16, 0), (16, 0))}
    inputs = keras.Input((32, 32, 3))
    x = keras.layers.Rescaling(scale)(inputs)
    x = keras.layers.Cropping2D(crop[corner])(x)
    x = keras.layers.ZeroPadding2D(pad[corner])(x)
    x = keras.layers.Conv2D(
        4,
        3,
        padding="same",
        activation="relu",
        use_bias=False,
        kernel_initializer="ones",
        name="conv",
    )(x)
    x = keras.layers.GlobalAveragePooling2D()(x)
    outputs = keras.layers.Dense(1, activation="sigmoid", kernel_initializer="ones")(x)
    return keras.Model(inputs, outputs)


@pytest.mark.parametrize(
    "corner, rows, cols",
    [
        ("top_left", slice(0, 16), slice(0, 16)),
        ("bottom_right", slice(16, 32), slice(16, 32)),
    ],
)
def test_heatmap_lies_where_the_model_looks(corner, rows, cols):
    images = np.random.default_rng(0).uniform(0, 1, (3, 32, 32, 3)).astype("float32")
    cam = grad_cam(quadrant_model(corner), images, class_index=1)
    assert cam.shape == (3, 32, 32)
    assert 0 <= cam.min() and cam.max() <= 1
    inside = cam[:, rows, cols].sum(axis=(1, 2))
    assert (inside / cam.sum(axis=(1, 2)) > 0.9).all()


def test_class_zero_explains_the_complement():
    # For class 0 the gradient flips sign: with all-positive weights the
    # evidence for class 0 is nowhere, so its heatmap is empty.
    images = np.full((1, 32, 32, 3), 0.01, "float32")  # sigmoid not saturated
    model = quadrant_model("top_left")
    assert grad_cam(model, images, class_index=0).max() == 0
    assert grad_cam(model, images, class_index=1).max() == 1


def test_default_layer_and_errors():
    model = quadrant_model("top_left")
    assert last_conv_layer(model) == "conv"
    with pytest.raises(ValueError, match="has no layer 'nope'"):
        grad_cam(model, np.ones((1, 32, 32, 3)), layer_name="nope")
    with pytest.raises(ValueError, match=r"\(N, H, W, C\)"):
        grad_cam(model, np.ones((32, 32, 3)))
    # They failed inside the backend, or explained another class silently.
    pooled = model.layers[-2].name  # (N, C): no map to draw
    with pytest.raises(ValueError, match=rf"'{pooled}' outputs shape \(None, 4\)"):
        grad_cam(model, np.ones((1, 32, 32, 3)), layer_name=pooled)
    with pytest.raises(ValueError, match=r"`class_index` \[0, 3\] is out of range"):
        grad_cam(model, np.ones((2, 32, 32, 3)), class_index=[0, 3])


def test_sequential_models_work_and_subclassed_ones_fail_clearly():
    layers = [
        keras.layers.Conv2D(4, 3, padding="same", name="conv"),
        keras.layers.GlobalAveragePooling2D(),
        keras.layers.Dense(1, activation="sigmoid"),
    ]
    images = np.random.default_rng(0).uniform(0, 1, (2, 16, 16, 3)).astype("float32")
    built = keras.Sequential([keras.Input((16, 16, 3)), *layers])
    functional = keras.Model(built.inputs, built.outputs)
    np.testing.assert_allclose(
        grad_cam(built, images), grad_cam(functional, images), atol=1e-5
    )
    called = keras.Sequential(
        [
            keras.layers.Conv2D(2, 3, name="c"),
            keras.layers.GlobalAveragePooling2D(),
            keras.layers.Dense(1, activation="sigmoid"),
        ]
    )
    called(images)  # built by a call, without an Input
    assert grad_cam(called, images).shape == (2, 16, 16)
    with pytest.raises(ValueError, match="no input shape yet"):
        grad_cam(keras.Sequential([keras.layers.Dense(1)]), images)

    class Sub(keras.Model):
        def __init__(self):
            super().__init__()
            self.conv = keras.layers.Conv2D(2, 3)

        def call(self, x):
            return self.conv(x)

    with pytest.raises(ValueError, match="functional or Sequential"):
        grad_cam(Sub(), images)


def test_a_base_model_called_inside_the_classifier_is_explained_inside():
    # The usual transfer-learning build, a keras.applications base called
    # inside the classifier, failed inside Keras ("not connected to inputs").
    flat = quadrant_model("top_left")
    base = keras.Model(flat.inputs, flat.get_layer("conv").output, name="base")
    pool, dense = flat.layers[-2:]
    inputs = keras.Input((32, 32, 3))
    nested = keras.Model(inputs, dense(pool(base(inputs))))
    stacked = keras.Sequential([keras.Input((32, 32, 3)), base, pool, dense])
    images = np.random.default_rng(0).uniform(0, 1, (2, 32, 32, 3)).astype("float32")
    expected = grad_cam(flat, images, class_index=1)
    assert last_conv_layer(nested) == last_conv_layer(stacked) == "conv"
    for model in (nested, stacked):
        for layer_name in (None, "conv", "base"):
            np.testing.assert_allclose(
                grad_cam(model, images, layer_name, class_index=1), expected, atol=1e-6
            )
    with pytest.raises(ValueError, match="has no layer 'nope'.*e.g. 'conv'"):
        grad_cam(nested, images, layer_name="nope")


def test_a_label_aware_classifier_is_explained_by_its_classifier(make_net):
    from keras_style_aug.classifiers import build_vgg16_classifier
    from keras_style_aug.layers import RandomStyleTransfer

    layer = RandomStyleTransfer(styles=[make_net("a")], class_styles={1: "a"})
    model = build_vgg16_classifier(
        (32, 32, 3), weights=None, dense_units=4, augmentation=layer
    )
    images = np.random.default_rng(0).uniform(0, 255, (2, 32, 32, 3))
    np.testing.assert_array_equal(
        grad_cam(model, images), grad_cam(model.classifier, images)
    )
