"""Trained styles: `available()` names them, `load(name_or_path)` builds one."""

from keras_style_aug.styles.registry import available
from keras_style_aug.styles.registry import load
from keras_style_aug.styles.registry import manifest

__all__ = ["available", "load", "manifest"]
