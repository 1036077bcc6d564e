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

    def fit(self, x=None, y=None, *args, **kwargs):
        """Keras's `fit`; `x` must be `with_labels(images, labels)` (or a
        dataset of it): arrays, dicts and `tf.data` datasets are checked
        before training, generators when the step is traced (on JAX, Keras
        has freed the model's weights by then: build it again)."""
        spec = getattr(x, "element_spec", None)  # a tf.data.Dataset
        if spec is not None:
            _check_training_inputs(spec[0] if isinstance(spec, tuple) else spec)
        elif isinstance(x, dict) or hasattr(x, "shape"):
            _check_training_inputs(x)
        try:
            return super().fit(x, y, *args, **kwargs)
        except Exception:
            self.train_function = None  # a failed trace must not stay cached
            raise

    def call(self, inputs, training=False):
        if not training:
            images = inputs["images"] if isinstance(inputs, dict) else inputs
            return self.classifier(images, training=False)
        _check_training_inputs(inputs)  # a generator's, checked on tracing
        images = self.augmentation(
            {"images": inputs["images"], "labels": inputs["labels"]}, training=True
        )["images"]
        return self.classifier(images, training=True)

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


def _check_training_inputs(inputs):
    """Images alone trained the classifier without its augmentation."""
    if isinstance(inputs, dict) and set(inputs) == {"images", "labels"}:
        return
    given = sorted(inputs) if isinstance(inputs, dict) else "images alone"
    raise ValueError(
        "A LabelAwareClassifier trains on {'images', 'labels'}: "
        "model.fit(with_labels(images, labels), labels, ...) (or a "
        "tf.data.Dataset of ({'images': x, 'labels': y}, y)); received "
        f"{given}, which its augmentation cannot use."
    )
