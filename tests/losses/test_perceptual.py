import keras
import numpy as np
import pytest

from keras_style_aug.losses import VGG19_LAYERS
from keras_style_aug.losses import PerceptualLoss
from keras_style_aug.losses import gram_matrix
from keras_style_aug.losses.perceptual import build_vgg19_features
from keras_style_aug.losses.perceptual import keras_layer_name
from keras_style_aug.losses.perceptual import total_variation

to_np = keras.ops.convert_to_numpy


def numpy_gram(f):
    n, h, w, c = f.shape
    flat = f.reshape(n, h * w, c).astype("float64")
    return np.einsum("npc,npd->ncd", flat, flat) / (c * h * w)


def test_gram_matrix_matches_numpy():
    f = np.random.default_rng(0).normal(size=(2, 5, 7, 4)).astype("float32")
    np.testing.assert_allclose(to_np(gram_matrix(f)), numpy_gram(f), rtol=1e-5)


def test_every_paper_layer_name_resolves():
    vgg = keras.applications.VGG19(include_top=False, weights=None)
    keras_names = {layer.name for layer in vgg.layers}
    assert len(VGG19_LAYERS) == 16
    for paper, keras_name in VGG19_LAYERS.items():
        assert keras_layer_name(paper) == keras_name in keras_names
    for name in ("conv3_4", "conv4_4", "conv5_4", "conv5_3", "block2_conv2"):
        keras_layer_name(name)
    with pytest.raises(ValueError, match="Valid names: conv1_1, conv1_2"):
        keras_layer_name("conv6_1")


def test_losses_match_numpy_reference():
    rng = np.random.default_rng(0)
    style = rng.uniform(0, 255, (24, 24, 3)).astype("float32")
    loss = PerceptualLoss(
        style,
        content_layers=("conv2_1",),
        style_layers=("conv1_2", "conv2_1"),
        vgg_weights=None,
        content_weight=2.0,
        style_weight=3.0,
        tv_weight=5.0,
    )
    y = rng.uniform(0, 255, (2, 16, 16, 3)).astype("float32")
    x = rng.uniform(0, 255, (2, 16, 16, 3)).astype("float32")
    # Reference features from the same VGG, Caffe-preprocessed by hand.
    caffe = lambda im: im[..., ::-1] - np.array([103.939, 116.779, 123.68])
    feats = loss.features
    fy = [to_np(t).astype("float64") for t in feats(caffe(y).astype("float32"))]
    fx = [to_np(t).astype("float64") for t in feats(caffe(x).astype("float32"))]
    fs = [
        to_np(t).astype("float64") for t in feats(caffe(style[None]).astype("float32"))
    ]
    # Outputs are ordered conv2_1 (content), conv1_2 (style).
    content = np.mean((fy[0] - fx[0]) ** 2)  # eq. 2: ||.||^2 / (C H W), batch mean
    style_loss = sum(
        np.mean(np.sum((numpy_gram(fy[i]) - numpy_gram(fs[i])) ** 2, axis=(1, 2)))
        for i in (1, 0)
    )
    u = y / 255.0
    tv = np.mean((u[:, 1:] - u[:, :-1]) ** 2) + np.mean(
        (u[:, :, 1:] - u[:, :, :-1]) ** 2
    )
    out = {k: float(v) for k, v in loss(y, x).items()}
    np.testing.assert_allclose(out["content"], content, rtol=1e-4)
    np.testing.assert_allclose(out["style"], style_loss, rtol=1e-3)
    np.testing.assert_allclose(out["tv"], tv, rtol=1e-4)
    np.testing.assert_allclose(
        out["total"], 2 * content + 3 * style_loss + 5 * tv, rtol=1e-3
    )
    assert float(loss(x, x)["content"]) == 0.0


def test_value_range_is_respected():
    rng = np.random.default_rng(1)
    style = rng.uniform(0, 1, (16, 16, 3)).astype("float32")
    unit = PerceptualLoss(style, vgg_weights=None, value_range=(0, 1))
    x = rng.uniform(0, 1, (1, 16, 16, 3)).astype("float32")
    keras.utils.set_random_seed(0)
    byte = PerceptualLoss(style * 255, vgg_weights=None)
    byte.features.set_weights(unit.features.get_weights())
    np.testing.assert_allclose(
        float(unit(x, x * 0.5)["content"]),
        float(byte(x * 255, x * 127.5)["content"]),
        rtol=1e-4,
    )
    np.testing.assert_allclose(
        float(total_variation(x, (0, 1))), float(total_variation(x * 255)), rtol=1e-5
    )


def test_real_vgg19_weights_load_and_feature_only_layers(vgg19_weights, vgg16_weights):
    model = build_vgg19_features(["conv1_2", "conv3_3"], weights=vgg19_weights)
    assert [t.shape[-1] for t in model.outputs] == [64, 256]
    assert not model.trainable_weights
    # ImageNet filters respond to structure: a photo-like gradient image gives
    # non-zero, finite activations.
    x = np.linspace(0, 255, 32 * 32 * 3).reshape(1, 32, 32, 3).astype("float32")
    outs = model(x - 120.0)
    assert all(np.isfinite(to_np(o)).all() and to_np(o).max() > 0 for o in outs)
    # VGG-16's file, or a file that is no weights file, names itself.
    if vgg16_weights != "imagenet":  # a local file
        with pytest.raises(ValueError, match="vgg16_imagenet.* does not hold VGG19"):
            PerceptualLoss(np.zeros((8, 8, 3)), vgg_weights=vgg16_weights)


def test_bad_style_image_and_layers():
    with pytest.raises(ValueError, match=r"shape \(H, W, 3\)"):
        PerceptualLoss(np.zeros((8, 8)), vgg_weights=None)
    with pytest.raises(ValueError, match="Unknown VGG-19 layer 'relu3_3'"):
        PerceptualLoss(np.zeros((8, 8, 3)), style_layers=("relu3_3",), vgg_weights=None)
    # A painting too small for the VGG-19 layers failed inside Keras's pooling;
    # a NaN painting made every style target NaN, silently.
    with pytest.raises(ValueError, match="7x9 pixels is too small.*'block4_conv3'"):
        PerceptualLoss(np.zeros((7, 9, 3)), vgg_weights=None)
    with pytest.raises(ValueError, match="too small for VGG-19's 'block5_conv1'"):
        PerceptualLoss(np.zeros((8, 8, 3)), style_layers=("conv5_1",), vgg_weights=None)
    assert PerceptualLoss(np.zeros((16, 16, 3)), vgg_weights=None).min_side == 8
    # (255, 0) was accepted; (0, 0) divided by zero.
    for value_range in ((255, 0), (0, 0)):
        with pytest.raises(ValueError, match="`value_range` must be"):
            PerceptualLoss(
                np.zeros((16, 16, 3)), value_range=value_range, vgg_weights=None
            )
    with pytest.raises(ValueError, match="`style_image` holds NaN"):
        PerceptualLoss(np.full((16, 16, 3), np.nan), vgg_weights=None)


@pytest.mark.parametrize("term, weight", [("style", -1.0), ("tv", float("nan"))])
def test_a_negative_or_nan_weight_is_refused(term, weight):
    # A negative style weight trained the network away from the painting,
    # silently; NaN made every loss NaN.
    with pytest.raises(ValueError, match=f"`{term}_weight` must be a finite number"):
        PerceptualLoss(
            np.zeros((8, 8, 3)), vgg_weights=None, **{f"{term}_weight": weight}
        )


def test_call_inputs_that_do_not_fit_are_named_before_vgg_runs():
    # Each failed inside VGG-19 or Keras (a concatenation, MKL's pooling, a
    # gather) with no word of the cause.
    style = np.full((16, 16, 3), 128.0, "float32")
    loss = PerceptualLoss(style, vgg_weights=None)
    x = np.full((2, 32, 32, 3), 100.0, "float32")
    with pytest.raises(ValueError, match="must have the same shape"):
        loss(x, np.zeros((3, 32, 32, 3), "float32"))
    with pytest.raises(ValueError, match="must have the same shape"):
        loss(x, np.zeros((2, 40, 40, 3), "float32"))
    tiny = np.zeros((2, 4, 4, 3), "float32")
    with pytest.raises(ValueError, match="4x4 pixels are too small"):
        loss(tiny, tiny)
    with pytest.raises(ValueError, match="holds one style"):
        loss(x, x, style_index=np.array([0, 0]))
    pair = PerceptualLoss([style, 255 - style], vgg_weights=None)
    with pytest.raises(ValueError, match="from 0 to 1"):
        pair(x, x, style_index=np.array([0, 5]))
    assert float(pair(x, x, style_index=np.array([0, 1]))["content"]) == 0.0
    with pytest.warns(UserWarning, match="VGG-19 sees it nearly black"):
        loss(x / 255, x / 255)


def test_a_painting_by_its_path():
    from keras_style_aug.styles import painting_path

    loss = PerceptualLoss(painting_path("wave"), vgg_weights=None)
    assert loss.style_grams[0].shape == (1, 64, 64)
    with pytest.raises(ValueError, match="is not a readable image"):
        PerceptualLoss(__file__, vgg_weights=None)
