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
