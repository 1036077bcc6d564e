"""Stylize bundled sample photos with every available style into one PNG:
one row per style; a multi-style network shows each of its styles and two of
its mixes.

The photos ship with scikit-image (`chelsea`, `astronaut`, `coffee`), so the
demo needs no data download.
"""

import numpy as np
from tqdm import tqdm

from keras_style_aug.cli.arguments import add_resize
from keras_style_aug.cli.arguments import add_styles
from keras_style_aug.cli.arguments import output_file
from keras_style_aug.utils.images import contact_sheet
from keras_style_aug.utils.images import save_image

SAMPLES = ("chelsea", "astronaut", "coffee")


def add_arguments(parser):
    parser.add_argument(
        "--output", type=output_file, default="demo.png", help="PNG to write"
    )
    add_resize(parser, default=256)
    add_styles(parser, default_help="every available style")


def sample_images(size):
    import skimage.data
    from PIL import Image

    images = []
    for name in SAMPLES:
        image = Image.fromarray(getattr(skimage.data, name)()).convert("RGB")
        image = image.resize((size, size), Image.BICUBIC)
        images.append(np.asarray(image, "float32"))
    return np.stack(images)


def run(args):
    from keras_style_aug import styles
    from keras_style_aug.cli.style_specs import stylizers
    from keras_style_aug.networks import TransformerNet

    images = sample_images(args.resize)
    shown = stylizers(args.styles or styles.available(), demo_mixes=True)
    if not shown:
        print(
            "No trained styles are installed: showing an UNTRAINED network "
            "(random weights), which is not a style. Train one with "
            "`keras-style-aug train` or put weights in KSA_WEIGHTS_DIR."
        )
        net = TransformerNet(name="untrained (random weights)")
        shown = [(net.name, net)]
    rows = [list(images)] + [
        list(np.asarray(s(images))) for _, s in tqdm(shown, desc="demo", unit="style")
    ]
    sheet = contact_sheet(
        rows,
        row_labels=["original"] + [name for name, _ in shown],
        column_labels=SAMPLES,
        cell=min(args.resize, 192),
    )
    path = save_image(sheet, args.output)
    print(f"wrote {path} ({len(shown)} styles and mixes x {len(images)} images)")
