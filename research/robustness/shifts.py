"""Distribution shifts for robustness evaluation. Deterministic given a seed;
images are uint8 `(N, H, W, 3)`.

- Corruptions (`CORRUPTIONS`): blur, noise, JPEG, colour, contrast.
- Renderings (`RENDERINGS`), shifts of texture and rendering, what style
  augmentation is for: `sketch` (a pencil drawing of the photo: colour dodge
  of the grey image by its blurred negative) and `cartoon` (flattened,
  quantised colours with dark edges). The third, *unseen art* (photos
  rendered by style networks the augmentation never saw), needs networks:
  `research.robustness.unseen_art`.

`cached_shift()` keeps a computed test set in a folder, keyed on the images,
the shift and the seed.

>>> import numpy as np
>>> x = np.full((1, 16, 16, 3), 128, "uint8")
>>> apply_shift("contrast", x).shape
(1, 16, 16, 3)
"""

import hashlib
import io
import os
from pathlib import Path

import numpy as np
from PIL import Image
from PIL import ImageFilter

CORRUPTIONS = ("blur", "noise", "jpeg", "colour", "contrast")
RENDERINGS = ("sketch", "cartoon")
SHIFTS = CORRUPTIONS + RENDERINGS


def apply_shift(name, images, seed=0):
    """A shifted copy of `images` (uint8)."""
    rng = np.random.default_rng(seed)
    images = np.asarray(images, "uint8")
    if name == "blur":
        return np.stack(
            [
                np.asarray(Image.fromarray(im).filter(ImageFilter.GaussianBlur(2)))
                for im in images
            ]
        )
    if name == "noise":
        noisy = images + rng.normal(0, 25, images.shape)
        return np.clip(noisy, 0, 255).astype("uint8")
    if name == "jpeg":
        out = []
        for im in images:
            buffer = io.BytesIO()
            Image.fromarray(im).save(buffer, format="JPEG", quality=10)
            out.append(np.asarray(Image.open(buffer).convert("RGB")))
        return np.stack(out)
    if name == "colour":
        gains = rng.uniform(0.6, 1.4, (len(images), 1, 1, 3))
        return np.clip(images * gains, 0, 255).astype("uint8")
    if name == "contrast":
        mean = images.mean(axis=(1, 2, 3), keepdims=True)
        return np.clip(mean + 0.4 * (images - mean), 0, 255).astype("uint8")
    if name == "sketch":
        return np.stack([_sketch(im) for im in images])
    if name == "cartoon":
        return np.stack([_cartoon(im) for im in images])
    raise ValueError(f"Unknown shift {name!r}; choose one of {SHIFTS}.")


def _sketch(image):
    """Pencil drawing: the grey image colour-dodged by its blurred negative."""
    gray = np.asarray(Image.fromarray(image).convert("L"), "float32")
    radius = max(1.0, min(gray.shape) / 48)
    blurred = np.asarray(
        Image.fromarray((255 - gray).astype("uint8")).filter(
            ImageFilter.GaussianBlur(radius)
        ),
        "float32",
    )
    dodge = np.clip(gray * 255.0 / np.maximum(255.0 - blurred, 1.0), 0, 255)
    return np.repeat(dodge.astype("uint8")[..., None], 3, axis=-1)


def _cartoon(image):
    """Flat colours (smoothed, 8 colours) with dark edges."""
    im = Image.fromarray(image)
    size = 5 if min(im.size) >= 64 else 3
    smooth = im.filter(ImageFilter.MedianFilter(size)).filter(
        ImageFilter.MedianFilter(size)
    )
    flat = np.asarray(
        smooth.quantize(colors=8, method=Image.Quantize.MEDIANCUT).convert("RGB")
    )
    gray = im.convert("L").filter(ImageFilter.GaussianBlur(1))
    edges = np.asarray(gray.filter(ImageFilter.FIND_EDGES), "float32")
    line = edges > np.percentile(edges, 88)
    return np.where(line[..., None], (flat * 0.15).astype("uint8"), flat)


def cached_shift(name, images, seed, folder, compute=None):
    """`apply_shift(name, images, seed)` (or `compute()`), computed once and
    kept in `folder` as `.npy`, keyed on the images, the shift and the seed.
    The file is written under a temporary name and renamed."""
    images = np.asarray(images, "uint8")
    key = hashlib.sha256(images.tobytes() + repr(images.shape).encode()).hexdigest()
    path = Path(folder) / f"{name.replace(' ', '_')}_seed{seed}_{key[:16]}.npy"
    if path.exists():
        return np.load(path)
    shifted = compute() if compute else apply_shift(name, images, seed)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + f".{os.getpid()}.tmp.npy")
    np.save(tmp, shifted)
    os.replace(tmp, path)
    return shifted
