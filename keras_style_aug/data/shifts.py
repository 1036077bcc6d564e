"""Distribution shifts for robustness evaluation: blur, noise, JPEG, colour,
contrast. Deterministic given a seed; images are uint8 `(N, H, W, 3)`.

>>> import numpy as np
>>> x = np.full((1, 16, 16, 3), 128, "uint8")
>>> apply_shift("contrast", x).shape
(1, 16, 16, 3)
"""

import io

import numpy as np
from PIL import Image
from PIL import ImageFilter

SHIFTS = ("blur", "noise", "jpeg", "colour", "contrast")


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
    raise ValueError(f"Unknown shift {name!r}; choose one of {SHIFTS}.")
