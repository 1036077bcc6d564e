"""Suites that time training and input pipelines: what the layer adds to a
VGG-16 training step, beside Keras's own augmentation layers, and tf.data
against stylizing inside the model."""

import keras
import numpy as np

from keras_style_aug.benchmark.timing import Stylize
from keras_style_aug.benchmark.timing import median_seconds
from keras_style_aug.benchmark.timing import random_images
from keras_style_aug.layers import RandomStyleTransfer
from keras_style_aug.networks import TransformerNet
from keras_style_aug.utils.optimizer import build_optimizer


def _augmentations(variant, rate, seed=0):
    """The augmentation of one column of `training_overhead`."""
    if variant == "none":
        return None
    if variant == "keras flip+translation":
        return keras.Sequential(
            [
                keras.layers.RandomFlip("horizontal", seed=seed),
                keras.layers.RandomTranslation(0.1, 0.1, seed=seed),
            ],
            name="keras_augmentation",
        )
    preset = variant.split()[-1]
    net = TransformerNet.from_preset(preset, name=preset)
    return RandomStyleTransfer(styles=[net], rate=rate, seed=seed)


OVERHEAD_VARIANTS = ("none", "keras flip+translation", "style full", "style lite")


def training_overhead(
    vgg16_weights,
    batch_sizes=(8,),
    sizes=(160,),
    rate=0.5,
    repeats=3,
    policy="float32",
    variants=OVERHEAD_VARIANTS,
):
    """Seconds per training step of the improved VGG-16 with each
    augmentation inside the model, per image size and batch size, images
    already on the device; `relative_to_none` is the step time over the
    plain step's, measured in the same run.

    `vgg16_weights` may be `None` (random weights time the same)."""
    from keras_style_aug.classifiers import build_vgg16_classifier

    previous = keras.config.dtype_policy()
    keras.config.set_dtype_policy(policy)
    rows = []
    try:
        for size in sizes:
            for batch in batch_sizes:
                x = keras.ops.convert_to_tensor(
                    random_images(batch, size).astype("uint8")
                )
                y = keras.ops.convert_to_tensor(np.arange(batch) % 2)
                row = {"size": size, "batch": batch, "policy": policy, "rate": rate}
                for variant in variants:
                    model = build_optimizer(
                        build_vgg16_classifier(
                            (size, size, 3),
                            weights=vgg16_weights,
                            augmentation=_augmentations(variant, rate),
                        )
                    )
                    row[f"{variant} s/step"] = median_seconds(
                        lambda m=model, x=x, y=y: m.train_on_batch(x, y), repeats
                    )
                base = row["none s/step"]
                for variant in variants[1:]:
                    row[f"{variant} vs none"] = row[f"{variant} s/step"] / base
                rows.append(row)
    finally:
        keras.config.set_dtype_policy(previous)
    return rows


def tfdata_vs_model(net, batch=8, size=224, batches=4, rate=0.5):
    """Images/s with the layer mapped in tf.data against the layer in a model."""
    if keras.backend.backend() != "tensorflow":
        return [{"skipped": "tf.data comparison needs TensorFlow installed"}]
    import tensorflow as tf

    x = random_images(batch * batches, size)
    layer = RandomStyleTransfer(styles=[net], rate=rate, seed=0)
    ds = (
        tf.data.Dataset.from_tensor_slices(x)
        .batch(batch)
        .map(lambda t: layer(t, training=True))
        .prefetch(2)
    )
    pipeline = median_seconds(lambda: [b.numpy() for b in ds], repeats=3)
    model = Stylize(RandomStyleTransfer(styles=[net], rate=rate, seed=0))
    in_model = median_seconds(
        lambda: [
            model.predict_on_batch(x[i : i + batch]) for i in range(0, len(x), batch)
        ],
        repeats=3,
    )
    return [
        {"where": "tf.data map", "images_per_s": len(x) / pipeline},
        {"where": "in the model", "images_per_s": len(x) / in_model},
    ]
