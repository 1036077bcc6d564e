"""keras-style-aug: fast neural style transfer as a Keras 3 augmentation layer.

The public API, by folder: `layers` (`RandomStyleTransfer`), `networks`
(`TransformerNet`), `training` (`StyleTrainer`), `selection`
(`GradCamStyleSelector`, `grad_cam`), `classifiers` (`build_vgg16_classifier`),
`losses` (`PerceptualLoss`) and `styles` (the registry of trained styles).
Names are imported on first use, so `import keras_style_aug` is quick.

>>> import keras_style_aug as ksa
>>> layer = ksa.RandomStyleTransfer(styles=["paintings6"], rate=0.5, mix=0.5)
>>> layer.style_names[:3]
['wave', 'starry_night', 'abstract']
"""

import importlib

__version__ = "0.2.0"

_EXPORTS = {
    "GradCamStyleSelector": "keras_style_aug.selection",
    "PerceptualLoss": "keras_style_aug.losses",
    "RandomStyleTransfer": "keras_style_aug.layers",
    "StyleTrainer": "keras_style_aug.training",
    "TransformerNet": "keras_style_aug.networks",
    "build_vgg16_classifier": "keras_style_aug.classifiers",
    "grad_cam": "keras_style_aug.selection",
    "styles": "keras_style_aug.styles",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name):
    if name not in _EXPORTS:
        raise AttributeError(f"module 'keras_style_aug' has no attribute {name!r}")
    module = importlib.import_module(_EXPORTS[name])
    value = module if name == "styles" else getattr(module, name)
    globals()[name] = value
    return value


def __dir__():
    return sorted(list(globals()) + __all__)
