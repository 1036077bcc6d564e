"""Perceptual losses on a frozen VGG-19 (Johnson et al. 2016)."""

from keras_style_aug.losses.perceptual import VGG19_LAYERS
from keras_style_aug.losses.perceptual import PerceptualLoss
from keras_style_aug.losses.perceptual import gram_matrix
from keras_style_aug.losses.saturation import tanh_saturation

__all__ = ["VGG19_LAYERS", "PerceptualLoss", "gram_matrix", "tanh_saturation"]
