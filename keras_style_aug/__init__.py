"""keras-style-aug: fast neural style transfer as a Keras 3 augmentation layer.

>>> import keras_style_aug as ksa
>>> sorted(ksa.__all__)[:2]
['RandomStyleTransfer', 'TransformerNet']
"""

from keras_style_aug import styles
from keras_style_aug.layers import RandomStyleTransfer
from keras_style_aug.networks import TransformerNet

__version__ = "0.1.0"
__all__ = ["RandomStyleTransfer", "TransformerNet", "styles"]
