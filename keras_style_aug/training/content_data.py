"""Content images for style training: a folder, a `tf.data.Dataset` or COCO."""

import functools
import warnings
from pathlib import Path

import keras
import numpy as np

from keras_style_aug.networks.runtime import MIN_SIDE
from keras_style_aug.utils.images import image_files
from keras_style_aug.utils.images import load_image
from keras_style_aug.utils.tfds import load_or_say_instead


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
            "folder of content photos, e.g. photos/."
        )
    return np.stack(images)


class ContentBatches(keras.utils.PyDataset):
    """Random batches of in-memory content images with random flips.

    Works on every Keras backend (no `tf.data`), so the JAX trainer on a GPU
    needs no TensorFlow. Each epoch draws new batches, and a run resumed
    after `start_step` steps (`resume_after`) draws others than the runs
    before it. With `num_styles`, the inputs are `{"images", "styles"}` with
    a random style index per image.
    """

    def __init__(self, images, batch_size, steps, seed=0, num_styles=None, **kwargs):
        super().__init__(**kwargs)
        if len(images) == 0:
            raise ValueError("ContentBatches needs at least one content image.")
        self.images = images
        self.batch_size = batch_size
        self.steps = steps
        self.seed = seed
        self.num_styles = num_styles
        self.epoch = 0
        self.start_step = 0

    def __len__(self):
        return self.steps

    def on_epoch_end(self):
        self.epoch += 1

    def resume_after(self, start_step):
        """Draws this run's batches for a run that starts after `start_step`
        steps (its epochs count from 0 again): not those already trained on."""
        self.start_step, self.epoch = int(start_step), 0

    def __getitem__(self, index):
        key = (self.seed, self.epoch, index)  # a run from step 0: as it always was
        if self.start_step:
            key = (self.seed, self.start_step, self.epoch, index)
        rng = np.random.default_rng(key)
        picks = rng.integers(0, len(self.images), self.batch_size)
        batch = self.images[picks].astype("float32")
        flip = rng.random(self.batch_size) < 0.5
        batch[flip] = batch[flip, :, ::-1]
        if self.num_styles is None:
            return batch, batch
        styles = rng.integers(0, self.num_styles, self.batch_size).astype("int32")
        return {"images": batch, "styles": styles}, batch


def tf_dataset_batches(
    dataset, size, batch_size, num_styles=None, seed=0, start_step=0
):
    """Turns a `tf.data.Dataset` of images (or dicts with `"image"`) into
    repeated `(batch, batch)` pairs of `size`x`size` float32 images; with
    `num_styles`, `({"images", "styles"}, batch)` with random style indices.

    `start_step`: the steps a resumed run already trained, whose images (and
    style indices) are skipped, so it reads on from where it stopped.
    """
    import tensorflow as tf

    def prepare(item):
        image = item["image"] if isinstance(item, dict) else item
        image = tf.image.resize(tf.cast(image, tf.float32), (size, size))
        return tf.ensure_shape(image, (size, size, 3))

    seen = int(start_step) * batch_size
    length = int(dataset.cardinality())
    if length > 0:  # a finite dataset, repeated: skip whole passes for free
        seen %= length
    batches = (
        dataset.repeat()
        .skip(seen)
        .map(prepare, num_parallel_calls=tf.data.AUTOTUNE)
        .batch(batch_size, drop_remainder=True)
        .map(lambda x: (x, x))
    )
    if num_styles is not None:
        styles = (
            tf.data.Dataset.random(seed=seed)
            .map(lambda r: tf.cast(r % num_styles, tf.int32))
            .skip(int(start_step) * batch_size)
            .batch(batch_size)
        )
        batches = tf.data.Dataset.zip(batches, styles).map(
            lambda pair, s: ({"images": pair[0], "styles": s}, pair[1])
        )
    return batches.prefetch(tf.data.AUTOTUNE)


def coco_content(split="train", data_dir=None):
    """COCO 2017 images through TensorFlow Datasets (downloads ~19 GB)."""
    return load_or_say_instead(
        "coco/2017",
        "a folder of content photos instead, e.g. --content photos/",
        split=split,
        data_dir=data_dir,
    )


def content_batches(
    content, sample_images, size, batch_size, checkpoint_every, seed, num_styles
):
    """`StyleTrainer`'s `content` as training batches: `(batches, samples,
    read_dataset)`, `read_dataset(start_step=...)` building a dataset's
    batches again for a resumed run (`None` for images in memory).

    `content` is a folder, an `(N, S, S, 3)` array, a `tf.data.Dataset` of
    images (or of dicts with `"image"`) or `"coco"`; `samples` are the images
    to stylize at each checkpoint (`sample_images`, or four content images)."""
    if isinstance(content, str) and content == "coco":
        content = coco_content()
    read_dataset = None
    if hasattr(content, "element_spec"):  # a tf.data.Dataset
        # Kept to build again for a resumed run (`start_step=`).
        read_dataset = functools.partial(
            tf_dataset_batches,
            content,
            size,
            batch_size,
            num_styles,
            seed,
        )
        batches = read_dataset()
        first = next(iter(batches.take(1)), None)
        if first is None:
            raise ValueError(
                "`content` is an empty tf.data.Dataset: pass one that "
                "yields images (or dicts with an 'image')."
            )
        first = first[1]
        samples = np.asarray(first)[:4]
    else:
        if isinstance(content, (str, Path)):
            content = load_square_images(content, size)
        content = np.asarray(content)
        if content.ndim != 4 or content.shape[-1] != 3 or len(content) == 0:
            raise ValueError(
                "`content` must be a folder, a non-empty (N, S, S, 3) "
                "array or a tf.data.Dataset of images; received an array "
                f"of shape {content.shape}."
            )
        if content.shape[1:3] != (size, size):
            raise ValueError(
                f"`content` images are {content.shape[1]}x{content.shape[2]} "
                f"but image_size={size}: pass image_size={content.shape[1]} "
                "for square images, or resize them (a folder is resized "
                "for you)."
            )
        if content.dtype.kind == "f" and not np.isfinite(content).all():
            raise ValueError(
                "`content` holds NaN or infinite pixel values: pass images in 0..255."
            )
        if content.size and 0 < content.max() <= 1:  # black to VGG-19
            warnings.warn(
                f"`content` has values up to {content.max():.3g}; the "
                "trainer takes photos in 0..255. Multiply 0..1 images by "
                "255.",
                stacklevel=3,
            )
        batches = ContentBatches(
            content,
            batch_size,
            checkpoint_every,
            seed=seed,
            num_styles=num_styles,
        )
        samples = content[:4]
    if sample_images is not None:
        samples = np.asarray(sample_images)
        shape = samples.shape
        if len(shape) != 4 or shape[-1] != 3 or min(shape[1:3]) < MIN_SIDE:
            raise ValueError(  # else it failed at the first checkpoint
                f"`sample_images` must be (N, H, W, 3) images of at least "
                f"{MIN_SIDE}x{MIN_SIDE}; received shape {shape}."
            )
    return batches, samples.astype("float32"), read_dataset
