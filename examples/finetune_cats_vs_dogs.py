"""Fine-tune the paper's improved VGG-16 on cats vs dogs, with style
augmentation in a tf.data pipeline.

    python examples/finetune_cats_vs_dogs.py                     # TFDS cats_vs_dogs
    python examples/finetune_cats_vs_dogs.py --data-dir photos/  # photos/{cat,dog}/

The ImageNet conv base with its last block trainable and the paper's new head
(Dense 256, Dropout 0.5, sigmoid); a flip, then random styles on a quarter of
the photos, mapped over the training set. Saves the model as `.keras`.
"""

import argparse

import keras
import tensorflow as tf

from keras_style_aug import RandomStyleTransfer
from keras_style_aug import build_vgg16_classifier
from keras_style_aug.data import load_class_folders
from keras_style_aug.data import load_tfds_cats_vs_dogs


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", help="class folders (default: TFDS)")
    parser.add_argument("--vgg16-weights", default="imagenet")
    parser.add_argument("--image-size", type=int, default=160)
    parser.add_argument("--per-class", type=int, default=None, help="photos per class")
    parser.add_argument("--epochs", type=int, default=15)
    parser.add_argument("--output", default="cats_vs_dogs.keras")
    args = parser.parse_args(argv)
    keras.utils.set_random_seed(0)

    size = args.image_size
    if args.data_dir:
        data = load_class_folders(args.data_dir, size, args.per_class)
    else:
        limit = 2 * args.per_class if args.per_class else None
        data = load_tfds_cats_vs_dogs(size, limit=limit)
    train, val, test = data.split((6, 2, 2), seed=0)  # the paper's split

    augment = keras.layers.Pipeline(  # TensorFlow ops inside tf.data
        [
            keras.layers.RandomFlip("horizontal"),
            RandomStyleTransfer(styles=["paintings4"], rate=0.25),
        ]
    )
    train_ds = (
        tf.data.Dataset.from_tensor_slices((train.images, train.labels))
        .shuffle(len(train), seed=0)
        .batch(32)
        .map(lambda x, y: (augment(x, training=True), y), tf.data.AUTOTUNE)
        .prefetch(tf.data.AUTOTUNE)
    )
    model = build_vgg16_classifier(
        (size, size, 3), weights=args.vgg16_weights, trainable_blocks=1
    )
    model.fit(train_ds, validation_data=(val.images, val.labels), epochs=args.epochs)
    _, accuracy = model.evaluate(test.images, test.labels, verbose=0)
    print(f"test accuracy {accuracy:.3f} on {len(test)} photos")
    model.save(args.output)
    return model


if __name__ == "__main__":
    main()
