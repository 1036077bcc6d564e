"""Trained styles: `available()` names them, `load(name_or_path)` builds one;
`painting_path(name)` is a shipped painting to train a style on."""

from keras_style_aug.styles.paintings import painting_path
from keras_style_aug.styles.paintings import paintings
from keras_style_aug.styles.registry import available
from keras_style_aug.styles.registry import load
from keras_style_aug.styles.registry import manifest
from keras_style_aug.styles.registry import one_style
from keras_style_aug.styles.registry import single_style_names

__all__ = [
    "available",
    "load",
    "manifest",
    "one_style",
    "painting_path",
    "paintings",
    "single_style_names",
]
