"""Grad-CAM and choosing styles per class."""

from keras_style_aug.selection.grad_cam import grad_cam
from keras_style_aug.selection.style_selector import GradCamStyleSelector

__all__ = ["GradCamStyleSelector", "grad_cam"]
