"""Style transformation networks: `TransformerNet`; the architecture itself is
written in `architecture.py`."""

from keras_style_aug.networks.transformer_net import PRESETS
from keras_style_aug.networks.transformer_net import TransformerNet

__all__ = ["PRESETS", "TransformerNet"]
