"""Reading, writing and tiling images (PIL and NumPy only)."""

from pathlib import Path

import numpy as np
from PIL import Image
from PIL import ImageDraw
from PIL import ImageFont
from PIL import ImageOps

from keras_style_aug.utils.files import replaced_atomically

IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".bmp", ".webp")


def image_files(folder, recursive=False):
    """Sorted paths of the image files (by suffix) in `folder`."""
    paths = Path(folder).rglob("*") if recursive else Path(folder).iterdir()
    return sorted(p for p in paths if p.suffix.lower() in IMAGE_SUFFIXES)


def class_folders(folder):
    """Sorted class subfolders of `folder`; hidden ones (`.ipynb_checkpoints`,
    `.git`) are no class, as in `keras.utils.image_dataset_from_directory`."""
    return sorted(
        p for p in Path(folder).iterdir() if p.is_dir() and not p.name.startswith(".")
    )


def load_image(path, size=None, crop=False):
    """An RGB uint8 array, or `None` when the file is not a readable image
    (including a decompression bomb: more pixels than PIL's limit).

    16-bit images are scaled to 8 bits, not clipped; an EXIF orientation is
    applied.

    Args:
        size: resize so the shorter side is `size` (keeps the aspect ratio).
        crop: with `size`, centre-crop to `size`x`size`.
    """
    try:
        with Image.open(path) as im:
            # Upright as a viewer shows it: phone photos store their rotation
            # in EXIF, and their outputs came out sideways.
            im = _to_rgb(ImageOps.exif_transpose(im))
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
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        return None


def _to_rgb(im):
    """8-bit RGB; 16- and 32-bit integer images are rescaled to 0..255."""
    if im.mode in ("I", "I;16", "I;16B", "I;16L", "I;16N"):
        values = np.asarray(im, dtype="float64")
        top = 65535.0 if im.mode.startswith("I;16") or values.max() > 255 else 255.0
        gray = np.round(np.clip(values / top, 0, 1) * 255).astype("uint8")
        return Image.fromarray(gray, "L").convert("RGB")
    return im.convert("RGB")


def output_stems(files):
    """A distinct output stem (a relative `Path` without suffix) for each
    `(root, path)` in `files`, so that no two inputs write the same output.

    The stem is the path relative to its root, less its suffix; where that
    collides (`x.jpg` and `x.png`) the suffix is kept (`x.jpg`); where inputs
    from different roots still collide, the root's name leads.

    >>> from pathlib import Path
    >>> stems = output_stems([(Path("a"), Path("a/x.jpg")), (Path("a"),
    ...     Path("a/x.png")), (Path("b"), Path("b/y.jpg"))])
    >>> [str(s) for s in stems.values()]
    ['x.jpg', 'x.png', 'y']
    """
    candidates = []
    for root, path in files:
        relative = path.relative_to(root) if path != root else Path(path.name)
        candidates.append(
            (
                (root, path),
                [
                    relative.with_suffix(""),
                    relative.parent / relative.name,
                    Path(root.name or "input") / relative,
                ],
            )
        )
    chosen = {key: options[0] for key, options in candidates}
    for level in (1, 2):
        counts = {}
        for stem in chosen.values():
            counts[stem] = counts.get(stem, 0) + 1
        for key, options in candidates:
            if counts[chosen[key]] > 1:
                chosen[key] = options[level]
    seen = {}
    for key in chosen:  # identical inputs given twice: number them
        stem = chosen[key]
        seen[stem] = seen.get(stem, 0) + 1
        if seen[stem] > 1:
            chosen[key] = Path(f"{stem}~{seen[stem]}")
    return {path: stem for (_, path), stem in chosen.items()}


def save_image(array, path):
    """Writes an `(H, W, 3)` array in 0..255 as PNG/JPEG (atomic rename)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    image = Image.fromarray(np.clip(np.asarray(array), 0, 255).astype("uint8"))
    with replaced_atomically(path) as tmp:
        image.save(tmp, format=_format(path))
    return path


def save_figure(fig, path, dpi=90):
    """Writes a Matplotlib figure as a 256-colour PNG (about a quarter of a
    true-colour one: plots, overlays and thumbnails lose no detail that they
    are read for) and closes it."""
    import matplotlib.pyplot as plt

    fig.set_dpi(dpi)
    fig.canvas.draw()
    rgb = np.asarray(fig.canvas.buffer_rgba())[..., :3]
    plt.close(fig)
    image = Image.fromarray(rgb).quantize(256, dither=Image.Dither.NONE)
    image.save(path, format="PNG", optimize=True)
    return path


def _format(path):
    suffix = Path(path).suffix.lower()
    return {".jpg": "JPEG", ".jpeg": "JPEG"}.get(suffix, "PNG")


def contact_sheet(rows, row_labels=(), column_labels=(), cell=160):
    """Tiles a grid of images into one uint8 array with text labels.

    Args:
        rows: list of rows, each a list of `(H, W, 3)` arrays in 0..255.
        row_labels: one text per row (drawn at the left).
        column_labels: one text per column (drawn on top, wrapped at word
            boundaries to the cell's width).
        cell: side of each square cell in pixels.
    """
    label_w = (
        max([110] + [7 * len(str(t)) + 8 for t in row_labels]) if row_labels else 0
    )
    font = ImageFont.load_default()
    headers = [_wrap(font, str(t), cell - 8) for t in column_labels]
    label_h = 6 + _LINE * max(map(len, headers)) if headers else 0
    ncols = max(len(r) for r in rows)
    sheet = Image.new(
        "RGB", (label_w + ncols * cell, label_h + len(rows) * cell), "white"
    )
    draw = ImageDraw.Draw(sheet)
    for j, lines in enumerate(headers):
        for k, line in enumerate(lines):
            xy = (label_w + j * cell + 4, 3 + _LINE * k)
            draw.text(xy, line, fill="black", font=font)
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


_LINE = 12  # pixels per line of Pillow's default font


def _wrap(font, text, width):
    """`text` in lines of whole words no wider than `width` pixels in `font`
    (a longer word keeps a line of its own)."""
    lines = []
    for word in text.split():
        if lines and font.getlength(f"{lines[-1]} {word}") <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines or [""]
