"""The Keras internals this package builds on, in one place: each has no
public path in Keras 3.

- `BaseImagePreprocessingLayer`: the base class of Keras's own image
  augmentation layers (`get_random_transformation()`, `transform_images()`,
  dict inputs, `tf.data` support), which `RandomStyleTransfer` extends as
  they do.
- `DynamicBackend`: the backend namespace (`numpy`, `nn`, `random`, ...) that
  those layers switch to TensorFlow inside `tf.data` whatever the Keras
  backend is; the style networks run through it for the same reason.
- `Functional`: the class of functional-API models, which Grad-CAM rebuilds
  nested models into to reach an inner convolution's output.
"""

from keras.src.layers.preprocessing.image_preprocessing.base_image_preprocessing_layer import (  # noqa: E501
    BaseImagePreprocessingLayer,
)
from keras.src.models.functional import Functional
from keras.src.utils.backend_utils import DynamicBackend

__all__ = ["BaseImagePreprocessingLayer", "DynamicBackend", "Functional"]
