"""Labelled image sets: the stratified split, and what a user sees when the
data cannot make one."""

import numpy as np
import pytest

from keras_style_aug.data.image_sets import ImageSet
from keras_style_aug.data.image_sets import load_tfds_cats_vs_dogs


def image_set(labels):
    labels = np.asarray(labels)
    return ImageSet(np.zeros((len(labels), 8, 8, 3), "uint8"), labels, ["cat", "dog"])


def test_the_split_is_stratified_and_disjoint():
    data = image_set([0] * 10 + [1] * 20)
    parts = data.split((6, 2, 2), seed=0)
    assert [np.bincount(p.labels).tolist() for p in parts] == [[6, 12], [2, 4], [2, 4]]


def test_too_few_images_for_a_split_is_a_clear_error():
    with pytest.raises(ValueError, match=r"split of \{'cat': 2, 'dog': 1\}.*out of"):
        image_set([0, 0, 1]).split((6, 2, 2))
    # No part is empty, but the test part held no dog: scored on cats alone.
    with pytest.raises(ValueError, match=r"\{'cat': 10, 'dog': 2\}.*a class out of"):
        image_set([0] * 10 + [1] * 2).split((6, 2, 2))
    assert [len(p) for p in image_set([0] * 5 + [1] * 5).split((6, 2, 2))] == [6, 2, 2]


def test_tfds_without_network_says_to_pass_a_folder(monkeypatch):
    tfds = pytest.importorskip("tensorflow_datasets")

    def offline(*args, **kwargs):
        raise ConnectionError("Failed to resolve 'download.microsoft.com'")

    monkeypatch.setattr(tfds, "load", offline)
    with pytest.raises(OSError, match="--data-dir"):
        load_tfds_cats_vs_dogs(32)


def test_class_folders_skip_hidden_folders_and_refuse_empty_classes(tmp_path):
    # A Jupyter `.ipynb_checkpoints` folder was a class (label 0), and a class
    # folder without images left a gap: cats 1 and dogs 2 for a sigmoid.
    from PIL import Image

    from keras_style_aug.data.image_sets import load_class_folders

    for name in (".ipynb_checkpoints", "cat", "dog"):
        (tmp_path / name).mkdir()
    for k, name in enumerate(("cat", "dog", "cat", ".ipynb_checkpoints")):
        pixels = np.full((12, 10, 3), 40 * k, "uint8")
        Image.fromarray(pixels).save(tmp_path / name / f"{k}.png")
    data = load_class_folders(tmp_path, 8)
    assert data.class_names == ["cat", "dog"]
    assert data.labels.tolist() == [0, 0, 1] and data.images.shape == (3, 8, 8, 3)
    (tmp_path / "bird").mkdir()  # sorts first: cats would be 1
    (tmp_path / "bird" / "notes.txt").write_text("no image")
    with pytest.raises(ValueError, match=r"\['bird'\] .* hold no readable images"):
        load_class_folders(tmp_path, 8)
