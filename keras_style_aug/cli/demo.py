"""Stylize bundled sample photos with every available style into one PNG:
one row per style; a multi-style network shows each of its styles and two of
its mixes.

The photos ship with scikit-image (`chelsea`, `astronaut`, `coffee`), so the
demo needs no data download.
"""

import numpy as np

from keras_style_aug import styles
from keras_style_aug.cli.style_specs import stylizers
from keras_style_aug.networks import TransformerNet
from keras_style_aug.utils.images import contact_sheet
from keras_style_aug.utils.images import save_image

SAMPLES = ("chelsea", "astronaut", "coffee")


def add_arguments(parser):
    parser.add_argument("--output", default="demo.png", help="PNG to write")
    parser.add_argument(
        "--size", type=int, default=256, help="shorter side of the stylized images"
    )
    parser.add_argument(
        "--styles",
        nargs="+",
        default=None,
        help="styles to show (default: all available)",
    )


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
    images = sample_images(args.size)
    shown = stylizers(args.styles or styles.available(), demo_mixes=True)
    if not shown:
        print(
            "No trained styles are installed: showing an UNTRAINED network "
            "(random weights), which is not a style. Train one with "
            "`keras-style-aug train` or put weights in KSA_WEIGHTS_DIR."
        )
        net = TransformerNet(name="untrained (random weights)")
        shown = [(net.name, net)]
    rows = [list(images)] + [list(np.asarray(s(images))) for _, s in shown]
    sheet = contact_sheet(
        rows,
        row_labels=["original"] + [name for name, _ in shown],
        column_labels=SAMPLES,
        cell=min(args.size, 192),
    )
    path = save_image(sheet, args.output)
    print(f"wrote {path} ({len(shown)} styles and mixes x {len(images)} images)")
