"""Keras augmentation layers."""

from keras_style_aug.layers.random_style_transfer import RandomStyleTransfer

__all__ = ["RandomStyleTransfer"]
