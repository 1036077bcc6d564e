"""The paper's "improved VGG-16" (Fig. 9) and its training defaults.

The ImageNet VGG-16 conv base is kept, its dense layers are removed, and two new
dense layers end in a sigmoid. Caffe preprocessing is inside the model, so it
takes RGB images in 0..255.

>>> model = build_vgg16_classifier((64, 64, 3), weights=None, dense_units=8)
>>> model.output.shape
(None, 1)
"""

import keras

from keras_style_aug.classifiers.label_aware import LabelAwareClassifier
from keras_style_aug.layers.vgg_preprocessing import VGGPreprocessing
from keras_style_aug.utils.vgg import vgg_conv_base

# The paper's hyper-parameters (section 4.3).
PAPER_TRAINING = {"learning_rate": 1e-5, "batch_size": 20, "epochs": 30}
_BLOCKS = 5


def build_vgg16_classifier(
    input_shape=(224, 224, 3),
    weights="imagenet",
    dense_units=256,
    dropout=0.5,
    trainable_blocks=_BLOCKS,
    augmentation=None,
    learning_rate=PAPER_TRAINING["learning_rate"],
):
    """VGG-16 conv base + Dense(`dense_units`, relu) + Dense(1, sigmoid).

    Args:
        input_shape: RGB input shape; images in 0..255.
        weights: `"imagenet"`, a path to VGG-16 conv weights
            (`.weights.h5`), or `None`.
        dense_units: width of the new hidden dense layer.
        dropout: dropout before the output layer.
        trainable_blocks: how many of VGG-16's five conv blocks, counted from
            the top, are fine-tuned (0: frozen base, 5: all).
        augmentation: optional layer (e.g. a `keras.Sequential` of
            augmentation layers or `RandomStyleTransfer`) applied to the
            inputs during training only. A `RandomStyleTransfer` with
            `class_styles` (alone or inside a `keras.Sequential`) needs the
            labels: the model is then a `LabelAwareClassifier`, trained on
            `with_labels(images, labels)`.
        learning_rate: Adam learning rate; the model is compiled with binary
            cross-entropy and accuracy.
    """
    if len(input_shape) != 3 or input_shape[-1] != 3:
        raise ValueError(
            "`input_shape` must be (height, width, 3): VGG-16 takes RGB images; "
            f"received {tuple(input_shape)}. Convert grayscale or RGBA images "
            "to RGB first."
        )
    if any(side is None or side < 32 for side in input_shape[:2]):
        raise ValueError(  # Flatten needs a fixed size; pooling needs 32 px
            "`input_shape` must give a fixed height and width of 32 pixels at "
            "least (the head flattens VGG-16's last feature map, whose size "
            f"follows the input's); received {tuple(input_shape)}. Resize the "
            "images to one size, e.g. (160, 160, 3)."
        )
    if augmentation is not None and not callable(augmentation):
        raise TypeError(  # "flip" failed inside Keras
            "`augmentation` must be a Keras layer, e.g. "
            "keras.layers.RandomFlip('horizontal') or RandomStyleTransfer(...); "
            f"received {augmentation!r}."
        )
    if not 0 <= trainable_blocks <= _BLOCKS:
        raise ValueError(
            f"`trainable_blocks` must be in [0, {_BLOCKS}]; received "
            f"{trainable_blocks}."
        )
    if _needs_labels(augmentation):
        classifier = build_vgg16_classifier(
            input_shape,
            weights,
            dense_units,
            dropout,
            trainable_blocks,
            learning_rate=learning_rate,
        )
        model = LabelAwareClassifier(classifier, augmentation, name="improved_vgg16")
        model.compile(
            optimizer=keras.optimizers.Adam(learning_rate),
            loss="binary_crossentropy",
            metrics=["accuracy"],
        )
        return model
    inputs = keras.Input(input_shape, name="images")
    x = augmentation(inputs) if augmentation is not None else inputs
    x = VGGPreprocessing(name="vgg_preprocessing")(x)
    base = vgg_conv_base("vgg16", weights, input_shape)
    # VGG-16 is a chain: fresh copies of its loaded layers sit flat in this
    # model, so Grad-CAM and fine-tuning reach every conv layer by name.
    for layer in base.layers[1:]:
        copy = layer.__class__.from_config(layer.get_config())
        x = copy(x)
        copy.set_weights(layer.get_weights())
        copy.trainable = int(layer.name[5]) > _BLOCKS - trainable_blocks
    x = keras.layers.Flatten(name="flatten")(x)
    x = keras.layers.Dense(dense_units, activation="relu", name="dense")(x)
    x = keras.layers.Dropout(dropout, name="dropout")(x)
    outputs = keras.layers.Dense(1, activation="sigmoid", name="prediction")(x)
    model = keras.Model(inputs, outputs, name="improved_vgg16")
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate),
        loss="binary_crossentropy",
        metrics=["accuracy"],
    )
    return model


def _needs_labels(layer):
    """Whether `layer`, or a layer inside it (a `keras.Sequential` stack),
    draws styles by class: it was missed inside a stack, and the model then
    failed in `fit` for want of labels."""
    if getattr(layer, "class_styles", None):
        return True
    return any(_needs_labels(inner) for inner in getattr(layer, "layers", ()))
