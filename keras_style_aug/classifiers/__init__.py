"""The paper's classifier and the baseline augmentations of its Table 2."""

from keras_style_aug.classifiers.baseline_augmentations import BASELINES
from keras_style_aug.classifiers.baseline_augmentations import baseline_augmentation
from keras_style_aug.classifiers.label_aware import LabelAwareClassifier
from keras_style_aug.classifiers.label_aware import with_labels
from keras_style_aug.classifiers.training import fit_classifier
from keras_style_aug.classifiers.vgg16_classifier import PAPER_TRAINING
from keras_style_aug.classifiers.vgg16_classifier import build_vgg16_classifier

__all__ = [
    "BASELINES",
    "LabelAwareClassifier",
    "PAPER_TRAINING",
    "baseline_augmentation",
    "build_vgg16_classifier",
    "fit_classifier",
    "with_labels",
]
