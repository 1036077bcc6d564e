"""Perceptual losses on a frozen VGG-19 (Johnson et al. 2016)."""

from keras_style_aug.losses.perceptual import VGG19_LAYERS
from keras_style_aug.losses.perceptual import PerceptualLoss
from keras_style_aug.losses.perceptual import gram_matrix
from keras_style_aug.losses.saturation import tanh_saturation
from keras_style_aug.losses.spikes import norm_spikes

__all__ = [
    "VGG19_LAYERS",
    "PerceptualLoss",
    "gram_matrix",
    "norm_spikes",
    "tanh_saturation",
]
