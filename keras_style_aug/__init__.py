"""keras-style-aug: fast neural style transfer as a Keras 3 augmentation layer.

The public API, by folder: `layers` (`RandomStyleTransfer`), `networks`
(`TransformerNet`), `training` (`StyleTrainer`), `selection`
(`GradCamStyleSelector`, `grad_cam`), `classifiers` (`build_vgg16_classifier`),
`losses` (`PerceptualLoss`) and `styles` (the registry of trained styles).

>>> from keras_style_aug import RandomStyleTransfer, styles
>>> "paintings6" in styles.available()
True
"""

from keras_style_aug import styles
from keras_style_aug.classifiers import build_vgg16_classifier
from keras_style_aug.layers import RandomStyleTransfer
from keras_style_aug.losses import PerceptualLoss
from keras_style_aug.networks import TransformerNet
from keras_style_aug.selection import GradCamStyleSelector
from keras_style_aug.selection import grad_cam
from keras_style_aug.training import StyleTrainer

__version__ = "0.2.0"
__all__ = [
    "GradCamStyleSelector",
    "PerceptualLoss",
    "RandomStyleTransfer",
    "StyleTrainer",
    "TransformerNet",
    "build_vgg16_classifier",
    "grad_cam",
    "styles",
]
