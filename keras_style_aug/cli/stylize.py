"""Stylize image files or folders with one or more styles.

Writes `<output>/<image stem>_<style>.png` for every image and style.
"""

from pathlib import Path

import numpy as np
from tqdm import tqdm

from keras_style_aug.cli.style_specs import stylizers
from keras_style_aug.utils.images import image_files as list_images
from keras_style_aug.utils.images import load_image
from keras_style_aug.utils.images import save_image


def add_arguments(parser):
    parser.add_argument("inputs", nargs="+", help="image files or folders")
    parser.add_argument("--output", required=True, help="output folder")
    parser.add_argument(
        "--style",
        action="append",
        required=True,
        help="style name or .weights.h5 path (repeatable); "
        "for a multi-style network NAME:STYLE or "
        "NAME:STYLE=W,STYLE=W, or NAME alone for all its styles",
    )
    parser.add_argument(
        "--strength",
        type=float,
        default=1.0,
        help="blend with the original, 0..1 (default 1)",
    )
    parser.add_argument(
        "--preserve-color", action="store_true", help="keep the original colours"
    )
    parser.add_argument(
        "--size", type=int, default=None, help="resize so the shorter side is SIZE"
    )


def image_files(inputs):
    files = []
    for item in map(Path, inputs):
        if item.is_dir():
            files += list_images(item, recursive=True)
        elif item.is_file():
            files.append(item)
        else:
            raise FileNotFoundError(f"input {item} does not exist")
    if not files:
        raise ValueError(f"no images (.jpg, .png, ...) found in {inputs}")
    return files


def run(args):
    files = image_files(args.inputs)
    layers = dict(
        stylizers(
            args.style, strength=args.strength, preserve_color=args.preserve_color
        )
    )
    out = Path(args.output)
    skipped = []
    for path in tqdm(files, desc="stylize", unit="image"):
        image = load_image(path, size=args.size)
        if image is None:
            skipped.append(path)
            continue
        for name, layer in layers.items():
            stylized = np.asarray(layer(image[None].astype("float32")))[0]
            save_image(stylized, out / f"{path.stem}_{name}.png")
    print(f"wrote {(len(files) - len(skipped)) * len(layers)} images to {out}")
    if skipped:
        print(
            f"skipped {len(skipped)} unreadable files: " + ", ".join(map(str, skipped))
        )
