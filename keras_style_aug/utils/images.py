"""Reading, writing and tiling images (PIL and NumPy only)."""

from pathlib import Path

import numpy as np
from PIL import Image
from PIL import ImageDraw

IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".bmp", ".webp")


def image_files(folder, recursive=False):
    """Sorted paths of the image files (by suffix) in `folder`."""
    paths = Path(folder).rglob("*") if recursive else Path(folder).iterdir()
    return sorted(p for p in paths if p.suffix.lower() in IMAGE_SUFFIXES)


def load_image(path, size=None, crop=False):
    """An RGB uint8 array, or `None` when the file is not a readable image.

    Args:
        size: resize so the shorter side is `size` (keeps the aspect ratio).
        crop: with `size`, centre-crop to `size`x`size`.
    """
    try:
        with Image.open(path) as im:
            im = im.convert("RGB")
            if size:
                scale = size / min(im.size)
                new = (
                    max(size, round(im.width * scale)),
                    max(size, round(im.height * scale)),
                )
                im = im.resize(new, Image.BICUBIC)
                if crop:
                    left = (im.width - size) // 2
                    top = (im.height - size) // 2
                    im = im.crop((left, top, left + size, top + size))
            return np.asarray(im, dtype="uint8")
    except (OSError, ValueError, SyntaxError):
        return None


def save_image(array, path):
    """Writes an `(H, W, 3)` array in 0..255 as PNG/JPEG (atomic rename)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    image = Image.fromarray(np.clip(np.asarray(array), 0, 255).astype("uint8"))
    try:
        image.save(tmp, format=_format(path))
        tmp.replace(path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path


def _format(path):
    suffix = Path(path).suffix.lower()
    return {".jpg": "JPEG", ".jpeg": "JPEG"}.get(suffix, "PNG")


def contact_sheet(rows, row_labels=(), column_labels=(), cell=160):
    """Tiles a grid of images into one uint8 array with text labels.

    Args:
        rows: list of rows, each a list of `(H, W, 3)` arrays in 0..255.
        row_labels: one text per row (drawn at the left).
        column_labels: one text per column (drawn on top).
        cell: side of each square cell in pixels.
    """
    label_w = (
        max([110] + [7 * len(str(t)) + 8 for t in row_labels]) if row_labels else 0
    )
    label_h = 18 if column_labels else 0
    ncols = max(len(r) for r in rows)
    sheet = Image.new(
        "RGB", (label_w + ncols * cell, label_h + len(rows) * cell), "white"
    )
    draw = ImageDraw.Draw(sheet)
    for j, text in enumerate(column_labels):
        draw.text((label_w + j * cell + 4, 3), str(text)[:24], fill="black")
    for i, row in enumerate(rows):
        if i < len(row_labels):
            draw.text(
                (4, label_h + i * cell + cell // 2), str(row_labels[i]), fill="black"
            )
        for j, image in enumerate(row):
            tile = Image.fromarray(np.clip(image, 0, 255).astype("uint8"))
            tile = tile.resize((cell, cell), Image.BICUBIC)
            sheet.paste(tile, (label_w + j * cell, label_h + i * cell))
    return np.asarray(sheet)
