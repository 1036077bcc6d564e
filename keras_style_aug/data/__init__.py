"""Labelled image sets for the classification experiments."""

from keras_style_aug.data.art_shift import check_unseen
from keras_style_aug.data.art_shift import unseen_art
from keras_style_aug.data.expansion import expand_folder
from keras_style_aug.data.image_sets import ImageSet
from keras_style_aug.data.image_sets import load_class_folders
from keras_style_aug.data.image_sets import load_tfds_cats_vs_dogs
from keras_style_aug.data.service import stylize_with_service
from keras_style_aug.data.shifts import CORRUPTIONS
from keras_style_aug.data.shifts import RENDERINGS
from keras_style_aug.data.shifts import SHIFTS
from keras_style_aug.data.shifts import apply_shift
from keras_style_aug.data.shifts import cached_shift

__all__ = [
    "CORRUPTIONS",
    "RENDERINGS",
    "SHIFTS",
    "cached_shift",
    "check_unseen",
    "unseen_art",
    "ImageSet",
    "apply_shift",
    "expand_folder",
    "load_class_folders",
    "load_tfds_cats_vs_dogs",
    "stylize_with_service",
]
