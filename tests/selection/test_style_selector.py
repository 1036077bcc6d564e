import numpy as np
import pytest

from keras_style_aug.layers import RandomStyleTransfer
from keras_style_aug.selection import GradCamStyleSelector
from tests.selection.test_grad_cam import quadrant_model


def test_selector_scores_styles_and_returns_a_usable_mapping(tmp_path, make_net):
    # Classifier: evidence for class 1 is brightness in the top-left quadrant.
    # "bright" keeps and strengthens that evidence for every class-1 image;
    # "dark" wipes it out, so retention ranks bright first for class 1.
    classifier = quadrant_model("top_left", scale=1e-4)  # no saturation
    bright, dark = make_net("bright", value=1.0), make_net("dark", value=-3.0)
    rng = np.random.default_rng(0)
    images = rng.uniform(0, 100, (6, 32, 32, 3)).astype("float32")
    labels = np.array([1, 1, 1, 0, 0, 0])
    selector = GradCamStyleSelector(classifier, [dark, bright], batch_size=4)
    table = selector.evaluate(images, labels)
    assert {(r["class"], r["style"]) for r in table} == {
        (c, s) for c in (0, 1) for s in (None, "dark", "bright")
    }
    by = {(r["class"], r["style"]): r for r in table}
    assert by[(1, "bright")]["retention"] > by[(1, "dark")]["retention"]
    assert by[(1, "bright")]["coverage"] > 0.2
    assert all(0 <= r["coverage"] <= 1 and 0 <= r["iou"] <= 1 for r in table)
    mapping = selector.select(criterion="retention")
    assert mapping[1] == "bright" and mapping[0] == "dark"
    assert selector.select(per_class=2)[1] in (["bright", "dark"], ["dark", "bright"])
    layer = RandomStyleTransfer(class_styles=mapping, styles=[dark, bright], rate=1.0)
    out = layer({"images": images, "labels": labels})
    assert out["images"].shape == images.shape
    path = selector.plot(tmp_path / "fig8.png", class_names=["cat", "dog"])
    from PIL import Image

    figure = Image.open(path)
    assert figure.width > 300 and figure.height > 300
    assert figure.mode == "P"  # 256 colours
    colours = np.asarray(figure.convert("RGB")).reshape(-1, 3)
    assert len(np.unique(colours, axis=0)) > 32  # photos and heatmaps, not blank


def test_selector_errors(make_net):
    classifier = quadrant_model("top_left")
    with pytest.raises(ValueError, match="at least one style"):
        GradCamStyleSelector(classifier, [])
    selector = GradCamStyleSelector(classifier, [make_net("a")])
    with pytest.raises(ValueError, match="evaluate"):
        selector.select()
    with pytest.raises(ValueError, match="one label per image"):
        selector.evaluate(np.zeros((2, 32, 32, 3)), [0])
    selector.evaluate(np.ones((2, 32, 32, 3)), [0, 1])
    with pytest.raises(ValueError, match="criterion"):
        selector.select(criterion="beauty")
    with pytest.raises(ValueError, match=r"`per_class` must be .* from 1 to the 1"):
        selector.select(per_class=2)
    with pytest.raises(ValueError, match="`threshold`"):
        GradCamStyleSelector(classifier, [make_net("a")], threshold=50)
    with pytest.raises(ValueError, match="`batch_size`"):
        GradCamStyleSelector(classifier, [make_net("a")], batch_size=0)


def test_labels_are_checked_against_the_classifiers_classes(make_net):
    # A sigmoid classifier scores classes 0 and 1: a label 2 was scored as
    # class 0, and a label 0.6 truncated to 0, silently.
    selector = GradCamStyleSelector(quadrant_model("top_left"), [make_net("a")])
    images = np.random.default_rng(3).uniform(0, 100, (4, 32, 32, 3))
    with pytest.raises(ValueError, match=r"classes \[0, 2\], but the classifier"):
        selector.evaluate(images, [0, 0, 2, 2], progress=False)
    with pytest.raises(ValueError, match="integer class indices"):
        selector.evaluate(images, [0, 0.6, 1, 1], progress=False)
    # One-hot rows, as RandomStyleTransfer takes them, are their classes.
    table = selector.evaluate(images, [0, 0, 1, 1], progress=False)
    one_hot = selector.evaluate(images, np.eye(2)[[0, 0, 1, 1]], progress=False)
    assert one_hot == table


def test_each_style_of_a_multi_style_network_is_a_candidate(multi, make_net):
    classifier = quadrant_model("top_left", scale=1e-4)
    rng = np.random.default_rng(1)
    images = rng.uniform(0, 100, (4, 32, 32, 3)).astype("float32")
    labels = np.array([1, 1, 0, 0])
    selector = GradCamStyleSelector(classifier, [multi], batch_size=4)
    table = selector.evaluate(images, labels)
    assert {r["style"] for r in table} == {None, "a", "b", "c"}
    stylized = selector._examples[1]["styles"]["b"][0]
    np.testing.assert_allclose(
        stylized, np.asarray(multi(images[labels == 1], style="b"))[0], atol=1e-3
    )
    mapping = selector.select()
    layer = RandomStyleTransfer(styles=[multi], class_styles=mapping, rate=1.0)
    assert layer({"images": images, "labels": labels})["images"].shape == images.shape
    with pytest.raises(ValueError, match="not both"):
        GradCamStyleSelector(classifier, [multi, make_net("a")])


def test_non_finite_or_unit_scale_images_are_named(make_net):
    # NaN pixels gave NaN scores and select() still returned a mapping; 0..1
    # images were scored as near-black 0..255 ones, without a word.
    classifier = quadrant_model("top_left", scale=1e-4)
    selector = GradCamStyleSelector(classifier, [make_net("a")], batch_size=4)
    images = np.random.default_rng(0).uniform(0, 100, (2, 32, 32, 3))
    images = images.astype("float32")
    labels = np.array([0, 1])
    images[0, 0, 0, 0] = np.nan
    with pytest.raises(ValueError, match="NaN or infinite pixels"):
        selector.evaluate(images, labels, progress=False)
    with pytest.warns(UserWarning, match="takes images in 0..255"):
        selector.evaluate(np.nan_to_num(images) / 255, labels, progress=False)
