"""Keras augmentation layers."""

from keras_style_aug.layers.random_style_transfer import RandomStyleTransfer
from keras_style_aug.layers.vgg_preprocessing import VGGPreprocessing

__all__ = ["RandomStyleTransfer", "VGGPreprocessing"]
