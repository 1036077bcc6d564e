"""Stylize image files or folders with one or more styles.

Writes `<output>/<image stem>_<style>.png` for every image and style (keeping
the subfolders of a folder input; where two inputs share a stem, their
suffix or folder tells them apart). Unreadable or too small inputs are
skipped and named.
"""

from pathlib import Path

import numpy as np
from tqdm import tqdm

from keras_style_aug.cli.arguments import add_resize
from keras_style_aug.cli.arguments import add_styles
from keras_style_aug.cli.arguments import output_folder
from keras_style_aug.utils.images import image_files as list_images
from keras_style_aug.utils.images import load_image
from keras_style_aug.utils.images import output_stems
from keras_style_aug.utils.images import save_image


def add_arguments(parser):
    parser.add_argument("inputs", nargs="+", help="image files or folders")
    parser.add_argument(
        "--output", type=output_folder, required=True, help="output folder"
    )
    add_styles(parser, required=True)
    parser.add_argument(
        "--strength",
        type=float,
        default=1.0,
        help="blend with the original, 0..1",
    )
    parser.add_argument(
        "--preserve-color", action="store_true", help="keep the original colours"
    )
    add_resize(parser)


def image_files(inputs):
    """`(root, path)` of every image: a folder input is the root of its files."""
    files = []
    for item in map(Path, inputs):
        if item.is_dir():
            files += [(item, p) for p in list_images(item, recursive=True)]
        elif item.is_file():
            files.append((item, item))
        else:
            raise FileNotFoundError(f"input {item} does not exist")
    if not files:
        raise ValueError(f"no images (.jpg, .png, ...) found in {inputs}")
    return files


def run(args):
    from keras_style_aug.cli.style_specs import stylizers
    from keras_style_aug.networks.runtime import too_small

    out = Path(args.output)
    for item in map(Path, args.inputs):
        if item.is_dir() and out.resolve().is_relative_to(item.resolve()):
            raise ValueError(  # a rerun stylized the outputs of the last run
                f"--output {out} is the input folder {item} or inside it: a "
                "rerun would stylize its own outputs. Write somewhere else."
            )
    files = image_files(args.inputs)
    stems = output_stems(files)
    layers = {}
    for name, layer in stylizers(
        args.styles, strength=args.strength, preserve_color=args.preserve_color
    ):
        label, n = name, 1
        while label in layers:  # two styles of one label each get an output
            n += 1
            label = f"{name}-{n}"
        layers[label] = layer
    skipped = {}
    for _, path in tqdm(files, desc="stylize", unit="image"):
        image = load_image(path, size=args.resize)
        if image is None:
            skipped[path] = "unreadable (not an image, corrupt, or too large)"
            continue
        if reason := too_small(*image.shape[:2]):
            skipped[path] = reason
            continue
        outputs = {
            name: np.asarray(layer(image[None].astype("float32")))[0]
            for name, layer in layers.items()
        }
        for name, stylized in outputs.items():
            save_image(stylized, out / f"{stems[path]}_{name}.png")
    written = (len(files) - len(skipped)) * len(layers)
    print(f"wrote {written} images to {out}")
    for path, reason in skipped.items():
        print(f"  skipped {path}: {reason}")
    return 0 if written else 1
