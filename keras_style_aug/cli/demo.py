"""Stylize bundled sample photos with every available style into one PNG.

The photos ship with scikit-image (`chelsea`, `astronaut`, `coffee`), so the
demo needs no data download.
"""

import numpy as np

from keras_style_aug import styles
from keras_style_aug.networks import TransformerNet
from keras_style_aug.utils.images import contact_sheet
from keras_style_aug.utils.images import save_image

SAMPLES = ("chelsea", "astronaut", "coffee")


def add_arguments(parser):
    parser.add_argument("--output", default="demo.png", help="PNG to write")
    parser.add_argument("--size", type=int, default=256,
                        help="shorter side of the stylized images")


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
    names = styles.available()
    networks = [styles.load(n) for n in names]
    if not networks:
        print(
            "No trained styles are installed: showing an UNTRAINED network "
            "(random weights), which is not a style. Train one with "
            "`keras-style-aug train` or put weights in KSA_WEIGHTS_DIR."
        )
        networks = [TransformerNet(name="untrained (random weights)")]
    columns = [images] + [np.asarray(net(images)) for net in networks]
    rows = [[column[i] for column in columns] for i in range(len(images))]
    sheet = contact_sheet(
        rows,
        row_labels=SAMPLES,
        column_labels=["original"] + [net.name for net in networks],
        cell=args.size,
    )
    path = save_image(sheet, args.output)
    print(f"wrote {path} ({len(networks)} styles x {len(images)} images)")
