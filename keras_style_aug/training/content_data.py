"""Content images for style training: a folder, a `tf.data.Dataset` or COCO."""


import keras
import numpy as np

from keras_style_aug.utils.images import image_files
from keras_style_aug.utils.images import load_image


def load_square_images(folder, size, limit=None):
    """Every image of `folder` (recursively), centre-cropped to `size`x`size`.

    Returns a `(N, size, size, 3)` uint8 array. Raises `ValueError` when the
    folder holds no readable image.
    """
    files = image_files(folder, recursive=True)[:limit]
    images = [load_image(p, size=size, crop=True) for p in files]
    images = [im for im in images if im is not None]
    if not images:
        raise ValueError(
            f"No readable images (.jpg, .jpeg, .png) under {folder}: pass a "
            "folder of content photos, e.g. $KSA_ASSETS/content/bsds500."
        )
    return np.stack(images)


class ContentBatches(keras.utils.PyDataset):
    """Random batches of in-memory content images with random flips.

    Works on every Keras backend (no `tf.data`), so the JAX trainer on a GPU
    needs no TensorFlow.
    """

    def __init__(self, images, batch_size, steps, seed=0, **kwargs):
        super().__init__(**kwargs)
        if len(images) == 0:
            raise ValueError("ContentBatches needs at least one content image.")
        self.images = images
        self.batch_size = batch_size
        self.steps = steps
        self.seed = seed

    def __len__(self):
        return self.steps

    def __getitem__(self, index):
        rng = np.random.default_rng((self.seed, index))
        picks = rng.integers(0, len(self.images), self.batch_size)
        batch = self.images[picks].astype("float32")
        flip = rng.random(self.batch_size) < 0.5
        batch[flip] = batch[flip, :, ::-1]
        return batch, batch


def tf_dataset_batches(dataset, size, batch_size):
    """Turns a `tf.data.Dataset` of images (or dicts with `"image"`) into
    repeated `(batch, batch)` pairs of `size`x`size` float32 images."""
    import tensorflow as tf

    def prepare(item):
        image = item["image"] if isinstance(item, dict) else item
        image = tf.image.resize(tf.cast(image, tf.float32), (size, size))
        return tf.ensure_shape(image, (size, size, 3))

    batches = (
        dataset.map(prepare, num_parallel_calls=tf.data.AUTOTUNE)
        .repeat()
        .batch(batch_size, drop_remainder=True)
        .map(lambda x: (x, x))
        .prefetch(tf.data.AUTOTUNE)
    )
    return batches


def coco_content(split="train", data_dir=None):
    """COCO 2017 images through TensorFlow Datasets (downloads ~19 GB)."""
    import tensorflow_datasets as tfds

    return tfds.load("coco/2017", split=split, data_dir=data_dir)
