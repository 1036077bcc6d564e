"""Train a style network for your own painting, then use it as an
augmentation.

    python examples/train_your_own_style.py --content photos/ --painting my.jpg

Without `--painting`, one of the six shipped paintings (`udnie`). The run
checkpoints in `--output` and resumes when rerun; at the end it writes the
network (`NAME.weights.h5`) and `NAME_before_after.png` (photos, stylized).
The paper trains 20,000 steps at 256 px; a few hundred already show the style.
"""

import argparse
from pathlib import Path

import numpy as np
from PIL import Image

from keras_style_aug import RandomStyleTransfer
from keras_style_aug import StyleTrainer
from keras_style_aug import styles


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--content", required=True, help="a folder of photos")
    parser.add_argument("--painting", default=str(styles.painting_path("udnie")))
    parser.add_argument("--name", default="my_style")
    parser.add_argument("--network", default="lite", choices=["full", "lite"])
    parser.add_argument("--image-size", type=int, default=256)
    parser.add_argument("--steps", type=int, default=500)
    parser.add_argument("--vgg19-weights", default="imagenet")
    parser.add_argument("--output", default="runs")
    args = parser.parse_args(argv)

    output = Path(args.output) / args.name
    trainer = StyleTrainer(
        args.painting,
        args.content,
        name=args.name,
        network=args.network,
        image_size=args.image_size,
        steps=args.steps,
        checkpoint_every=min(100, args.steps),
        vgg_weights=args.vgg19_weights,
        output_dir=output,
    )
    trainer.fit()
    weights = output / f"{args.name}.weights.h5"

    # The new style as an augmentation: every photo stylized (rate=1).
    layer = RandomStyleTransfer(styles=[str(weights)], rate=1.0, seed=0)
    photos = trainer.samples
    stylized = np.asarray(layer(photos, training=True))
    sheet = np.concatenate(
        [np.concatenate(list(photos), 1), np.concatenate(list(stylized), 1)], 0
    )
    path = output / f"{args.name}_before_after.png"
    Image.fromarray(np.clip(sheet, 0, 255).astype("uint8")).save(path)
    print(f"wrote {weights} and {path}")
    return weights, path


if __name__ == "__main__":
    main()
