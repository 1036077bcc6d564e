"""Style transformation networks."""

from keras_style_aug.networks.transformer_net import PRESETS, TransformerNet

__all__ = ["PRESETS", "TransformerNet"]
