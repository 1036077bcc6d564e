"""Labelled image sets for the classification experiments."""

from keras_style_aug.data.expansion import expand_folder
from keras_style_aug.data.image_sets import ImageSet
from keras_style_aug.data.image_sets import load_class_folders
from keras_style_aug.data.image_sets import load_tfds_cats_vs_dogs
from keras_style_aug.data.service import stylize_with_service

__all__ = [
    "ImageSet",
    "expand_folder",
    "load_class_folders",
    "load_tfds_cats_vs_dogs",
    "stylize_with_service",
]
