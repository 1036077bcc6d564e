"""Training style networks."""

from keras_style_aug.training.style_trainer import StyleTrainer

__all__ = ["StyleTrainer"]
