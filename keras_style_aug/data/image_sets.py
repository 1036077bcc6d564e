"""In-memory labelled image sets: from class folders or TFDS `cats_vs_dogs`.

>>> import numpy as np
>>> data = ImageSet(np.zeros((10, 8, 8, 3), "uint8"), np.arange(10) % 2, ["cat", "dog"])
>>> train, val, test = data.split((6, 2, 2), seed=0)
>>> len(train), len(val), len(test)
(6, 2, 2)
"""

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from keras_style_aug.utils.images import class_folders
from keras_style_aug.utils.images import image_files
from keras_style_aug.utils.images import load_image
from keras_style_aug.utils.tfds import load_or_say_instead


@dataclass
class ImageSet:
    """`images` `(N, S, S, 3)` uint8, `labels` `(N,)` int, `class_names`."""

    images: np.ndarray
    labels: np.ndarray
    class_names: list

    def __len__(self):
        return len(self.labels)

    def subset(self, index):
        return ImageSet(self.images[index], self.labels[index], self.class_names)

    def split(self, ratios=(6, 2, 2), seed=0):
        """Stratified split in the given proportions (the paper's 6:2:2)."""
        rng = np.random.default_rng(seed)
        parts = [[] for _ in ratios]
        bounds = np.cumsum(ratios) / np.sum(ratios)
        whole = True  # every class in every part: a test part without a
        # class would score the others alone, silently
        for cls in np.unique(self.labels):
            index = rng.permutation(np.flatnonzero(self.labels == cls))
            cuts = np.round(bounds * len(index)).astype(int)
            for k, piece in enumerate(np.split(index, cuts[:-1])):
                parts[k].extend(piece.tolist())
                whole = whole and len(piece) > 0
        if not whole:
            counts = {self.class_names[c]: int(np.sum(self.labels == c)) for c in
                      np.unique(self.labels)}  # fmt: skip
            raise ValueError(
                f"A {':'.join(map(str, ratios))} split of {counts} images per "
                "class leaves a class out of a part: add images (5 per class "
                "at least for 6:2:2)."
            )
        return [self.subset(np.sort(np.asarray(p, int))) for p in parts]

    def per_class(self, count, seed=0):
        """At most `count` images of each class (the small-data setting)."""
        rng = np.random.default_rng(seed)
        index = [
            rng.permutation(np.flatnonzero(self.labels == c))[:count]
            for c in np.unique(self.labels)
        ]
        return self.subset(np.sort(np.concatenate(index)))


def load_class_folders(folder, size, limit_per_class=None):
    """Images under `folder/<class>/`, centre-cropped to `size`x`size`.

    Classes are the sorted subfolder names (label 0, 1, ...). Unreadable files
    are skipped and counted in the printed summary.
    """
    folder = Path(folder)
    classes = [p.name for p in class_folders(folder)] if folder.is_dir() else []
    if not classes:
        raise ValueError(
            f"{folder} has no class subfolders: expected {folder}/<class>/*.jpg, "
            "e.g. photos/ holding cat/ and dog/."
        )
    images, labels, skipped = [], [], []
    for label, name in enumerate(classes):
        for path in image_files(folder / name)[:limit_per_class]:
            image = load_image(path, size=size, crop=True)
            if image is None:
                skipped.append(path)
                continue
            images.append(image)
            labels.append(label)
    if not images:
        raise ValueError(f"No readable images under {folder}/<class>/.")
    empty = [name for label, name in enumerate(classes) if label not in labels]
    if empty:  # its label left a gap: a binary classifier got labels 1 and 2
        raise ValueError(
            f"Class folders {empty} of {folder} hold no readable images "
            "(.jpg, .jpeg, .png, .bmp, .webp): add images or remove them; "
            f"classes: {classes}."
        )
    if skipped:
        print(f"skipped {len(skipped)} unreadable images: {skipped[:5]}")
    return ImageSet(np.stack(images), np.array(labels), classes)


def load_tfds_cats_vs_dogs(size, limit=None, data_dir=None):
    """TFDS `cats_vs_dogs` (downloads ~800 MB on first use): 0 cat, 1 dog."""
    import tensorflow as tf

    ds = load_or_say_instead(
        "cats_vs_dogs",
        "a folder of class subfolders instead, e.g. --data-dir "
        "photos/ (photos/cat/*.jpg, photos/dog/*.jpg)",
        split="train",
        as_supervised=True,
        data_dir=data_dir,
    )
    if limit:
        ds = ds.take(limit)

    def square(image, label):
        image = tf.image.resize_with_crop_or_pad(
            tf.image.resize(image, (size, size), preserve_aspect_ratio=False),
            size,
            size,
        )
        return tf.cast(tf.clip_by_value(image, 0, 255), tf.uint8), label

    images, labels = [], []
    for image, label in ds.map(square).batch(256).as_numpy_iterator():
        images.append(image)
        labels.append(label)
    if not images:
        raise ValueError("tfds cats_vs_dogs returned no images.")
    return ImageSet(
        np.concatenate(images), np.concatenate(labels).astype(int), ["cat", "dog"]
    )
