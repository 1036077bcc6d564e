"""The paper's layer study (section 3.1, Figs. 5-7) as short training runs.

Each configuration trains a style network with its own content and style VGG-19
layers; all are then measured with one common loss (content conv3_3; style
conv1_2, conv2_2, conv3_3, conv4_3) on held-out photos. Writes
``layer_study.png`` (rows: configurations, columns: held-out photos) and
``layer_study.md``.

    python research/layer_study.py --steps 150 --image-size 96
"""

import argparse
import json
import shutil
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # research.assets
from keras_style_aug.cli.arguments import positive_int
from keras_style_aug.losses import PerceptualLoss
from keras_style_aug.styles import painting_path
from keras_style_aug.styles import paintings
from keras_style_aug.training import StyleTrainer
from keras_style_aug.training.content_data import load_square_images
from keras_style_aug.utils.images import contact_sheet
from keras_style_aug.utils.images import load_image
from keras_style_aug.utils.images import save_image
from research.assets import asset_path  # noqa: E402

FIVE = ("conv1_2", "conv2_2", "conv3_3", "conv4_3", "conv5_3")
CONFIGS = {
    # Fig. 5: a high content layer with low style layers "pixelates".
    "fig5 pixelated": (("conv5_3",), ("conv1_2", "conv2_2")),
    # Fig. 6: content layer varied, five style layers.
    "fig6 content conv2_1": (("conv2_1",), FIVE),
    "fig6 content conv3_3": (("conv3_3",), FIVE),
    "fig6 content conv5_3": (("conv5_3",), FIVE),
    # Fig. 7: content conv3_3, style layers varied.
    "fig7 style 1_2": (("conv3_3",), ("conv1_2",)),
    "fig7 style 1_2-2_2": (("conv3_3",), ("conv1_2", "conv2_2")),
    "fig7 style 1_2-3_3": (("conv3_3",), ("conv1_2", "conv2_2", "conv3_3")),
    "fig7 style 1_2-4_3 (paper best)": (("conv3_3",), FIVE[:4]),
    "fig7 style 1_2,2_2,4_3,5_3": (
        ("conv3_3",),
        ("conv1_2", "conv2_2", "conv4_3", "conv5_3"),
    ),
}


def conv5_side(text):
    """A crop side for every config: the conv5 layers need 16 pixels."""
    return positive_int(text, 16, " (VGG-19's conv5 layers need 16x16)")


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument(
        "--style", default="wave", choices=paintings(), help="shipped painting"
    )
    p.add_argument("--steps", type=positive_int, default=150)
    p.add_argument("--image-size", type=conv5_side, default=96)
    p.add_argument("--content-limit", type=positive_int, default=None)
    p.add_argument("--configs", nargs="+", default=list(CONFIGS), choices=list(CONFIGS))
    p.add_argument("--output", default="outputs/layer_study")
    args = p.parse_args(argv)
    out = Path(args.output)
    vgg = str(asset_path("weights", "vgg19_imagenet_notop.weights.h5"))
    folder = asset_path("content", "bsds500")
    content = load_square_images(folder, args.image_size, limit=args.content_limit)
    held = np.stack(
        [
            load_image(p, args.image_size, crop=True)
            for p in sorted(folder.glob("test_*"))[:8]
        ]
    ).astype("float32")
    style_path = painting_path(args.style)
    common = PerceptualLoss(
        load_image(style_path, size=args.image_size), vgg_weights=vgg
    )
    rows, table = [list(held[:4])], []
    for name in args.configs:
        content_layers, style_layers = CONFIGS[name]
        run = out / "runs" / name.replace(" ", "_")
        trainer = StyleTrainer(
            style_path,
            content,
            name="study",
            image_size=args.image_size,
            steps=args.steps,
            checkpoint_every=max(1, args.steps // 3),
            content_layers=content_layers,
            style_layers=style_layers,
            vgg_weights=vgg,
            output_dir=run,
            sample_images=held[:4],
            verbose=2,
        )
        entry = trainer.fit()
        stylized = np.asarray(trainer.net(held))
        measured = common(stylized, held)
        rows.append(list(stylized[:4]))
        table.append(
            {
                "config": name,
                "content_layers": content_layers,
                "style_layers": style_layers,
                "final_training_losses": entry["final_losses"],
                "common_content": float(measured["content"]),
                "common_style": float(measured["style"]),
            }
        )
        shutil.rmtree(run / "checkpoint", ignore_errors=True)
    identity = common(held, held)
    sheet = contact_sheet(
        rows, row_labels=["content"] + list(args.configs), cell=args.image_size
    )
    save_image(sheet, out / "layer_study.png")
    lines = [
        f"# Layer study: {args.style}, {args.steps} steps at {args.image_size}px",
        "",
        "Common measure on 8 held-out BSDS500 test photos: content loss at conv3_3, "
        "Gram style loss at conv1_2..conv4_3 (identity: content 0, style "
        f"{float(identity['style']):.3g}).",
        "",
        "| configuration | content layers | style layers | content loss | style loss |",
        "| --- | --- | --- | --- | --- |",
    ]
    for r in table:
        lines.append(
            f"| {r['config']} | {', '.join(r['content_layers'])} | "
            f"{', '.join(r['style_layers'])} | {r['common_content']:.3g} | "
            f"{r['common_style']:.3g} |"
        )
    lines += ["", "![layer study](layer_study.png)"]
    (out / "layer_study.md").write_text("\n".join(lines) + "\n")
    (out / "layer_study.json").write_text(json.dumps(table, indent=2) + "\n")
    print("\n".join(lines))
    return table


if __name__ == "__main__":
    main()
