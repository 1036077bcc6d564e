"""`LabelAwareClassifier`: a classifier whose augmentation sees the labels.

`RandomStyleTransfer(class_styles=...)` picks each image's style from its
class, so it needs the labels; a layer inside a plain Keras model sees only
the images. This wrapper takes `{"images", "labels"}` in training and hands
both to the augmentation inside the compiled training step, on the
accelerator, on every backend (no `tf.data` needed). At inference it takes
images alone, like the classifier it wraps.

>>> import numpy as np
>>> from keras_style_aug import RandomStyleTransfer, TransformerNet
>>> from keras_style_aug.classifiers import build_vgg16_classifier
>>> toy = TransformerNet(filters=(4, 8, 8), residual_blocks=1, name="toy")
>>> model = build_vgg16_classifier((32, 32, 3), weights=None, dense_units=4,
...     augmentation=RandomStyleTransfer([toy], class_styles={1: "toy"}, seed=0))
>>> type(model).__name__
'LabelAwareClassifier'
>>> x = np.random.uniform(0, 255, (4, 32, 32, 3)).astype("float32")
>>> y = np.array([0, 1, 0, 1])
>>> history = model.fit(with_labels(x, y), y, epochs=1, verbose=0)
>>> model.predict(x, verbose=0).shape  # images alone at inference
(4, 1)
"""

import keras


def with_labels(images, labels):
    """The training input of a `LabelAwareClassifier`: `{"images", "labels"}`."""
    return {"images": images, "labels": labels}


@keras.saving.register_keras_serializable(package="keras_style_aug")
class LabelAwareClassifier(keras.Model):
    """Runs `augmentation({"images", "labels"})` before `classifier` in
    training; the classifier alone otherwise.

    Args:
        classifier: a Keras model from images to predictions.
        augmentation: a layer taking `{"images", "labels"}` (e.g.
            `RandomStyleTransfer` with `class_styles`).

    Train with `model.fit(with_labels(images, labels), labels, ...)`;
    `predict`, `evaluate` and validation data take images alone.
    """

    def __init__(self, classifier, augmentation, **kwargs):
        super().__init__(**kwargs)
        self.classifier = classifier
        self.augmentation = augmentation

    def call(self, inputs, training=False):
        if isinstance(inputs, dict):
            images = inputs["images"]
            if training:
                images = self.augmentation(
                    {"images": images, "labels": inputs["labels"]}, training=True
                )["images"]
        else:
            images = inputs
        return self.classifier(images, training=training)

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "classifier": keras.saving.serialize_keras_object(self.classifier),
                "augmentation": keras.saving.serialize_keras_object(self.augmentation),
            }
        )
        return config

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        config["classifier"] = keras.saving.deserialize_keras_object(
            config["classifier"]
        )
        config["augmentation"] = keras.saving.deserialize_keras_object(
            config["augmentation"]
        )
        return cls(**config)
