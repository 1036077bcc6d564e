"""`VGGPreprocessing`: the Caffe preprocessing of Keras's VGG-16/VGG-19."""

import keras
from keras import ops

# keras.applications.vgg16/vgg19.preprocess_input: RGB -> BGR, minus BGR means.
BGR_MEAN = (103.939, 116.779, 123.68)


def caffe_preprocess(images, value_range=(0, 255)):
    """RGB images in `value_range` -> VGG's BGR, mean-subtracted 0..255 input."""
    low, high = value_range
    x = (ops.cast(images, "float32") - low) * (255.0 / (high - low))
    return ops.flip(x, axis=-1) - ops.convert_to_tensor(BGR_MEAN, "float32")


@keras.saving.register_keras_serializable(package="keras_style_aug")
class VGGPreprocessing(keras.layers.Layer):
    """Caffe-style VGG input preprocessing as a layer, so models take RGB 0..255.

    >>> import numpy as np
    >>> out = VGGPreprocessing()(np.full((1, 2, 2, 3), 128.0, "float32"))
    >>> [round(float(v), 3) for v in np.asarray(out)[0, 0, 0]]
    [24.061, 11.221, 4.32]
    """

    def __init__(self, value_range=(0, 255), **kwargs):
        super().__init__(**kwargs)
        self.value_range = tuple(float(v) for v in value_range)

    def call(self, images):
        return caffe_preprocess(images, self.value_range)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "value_range": list(self.value_range)}
