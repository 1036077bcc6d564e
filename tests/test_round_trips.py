"""Every public layer and model builder survives `from_config` (and so
`keras.models.clone_model`): the rebuilt object computes what the original
does, once its weights are copied (a Keras config carries none), and the
style networks the registry can reload come back trained without them."""

import keras
import numpy as np

from keras_style_aug import RandomStyleTransfer
from keras_style_aug import TransformerNet
from keras_style_aug.classifiers import LabelAwareClassifier
from keras_style_aug.classifiers import build_vgg16_classifier
from keras_style_aug.layers.vgg_preprocessing import VGGPreprocessing

to_np = keras.ops.convert_to_numpy
X = np.random.default_rng(0).uniform(0, 255, (2, 32, 32, 3)).astype("float32")


def test_vgg_preprocessing_and_the_network():
    for original in (
        VGGPreprocessing(value_range=(0, 1)),
        TransformerNet.from_preset("lite", style_names=["a", "b"]),
    ):
        twin = original.__class__.from_config(original.get_config())
        kwargs = {"style": [0.3, 0.7]} if isinstance(original, TransformerNet) else {}
        expected = to_np(original(X, **kwargs))
        twin(X, **kwargs)  # built
        twin.set_weights(original.get_weights())
        np.testing.assert_allclose(to_np(twin(X, **kwargs)), expected, atol=1e-4)


def test_the_classifier_with_its_augmentation(make_net):
    for augmentation in (
        RandomStyleTransfer(styles=["paintings6_lite:wave"], rate=1.0, seed=0),
        RandomStyleTransfer(styles=[make_net("a")], class_styles={1: "a"}, rate=1.0),
    ):
        model = build_vgg16_classifier(
            (32, 32, 3), weights=None, dense_units=4, augmentation=augmentation
        )
        if isinstance(model, LabelAwareClassifier):  # subclassed: its config
            twin = LabelAwareClassifier.from_config(model.get_config())
        else:
            twin = keras.models.clone_model(model)
        twin.set_weights(model.get_weights())
        np.testing.assert_allclose(
            twin.predict(X, verbose=0), model.predict(X, verbose=0), rtol=1e-5
        )
        layer = twin.augmentation if hasattr(twin, "augmentation") else None
        layer = layer or next(
            x for x in twin.layers if isinstance(x, RandomStyleTransfer)
        )
        data = {"images": X, "labels": np.array([0, 1])}
        drawn = augmentation.get_random_transformation(data, seed=1)
        np.testing.assert_allclose(
            to_np(layer.transform_images(X, drawn)),
            to_np(augmentation.transform_images(X, drawn)),
            atol=1e-3,
        )
