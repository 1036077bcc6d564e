"""Trained styles: `available()` names them, `load(name_or_path)` builds one."""

from keras_style_aug.styles.registry import available
from keras_style_aug.styles.registry import load
from keras_style_aug.styles.registry import manifest
from keras_style_aug.styles.registry import one_style
from keras_style_aug.styles.registry import single_style_names

__all__ = ["available", "load", "manifest", "one_style", "single_style_names"]
