"""Train one multi-style network (conditional instance norm) on the six paintings,
evaluate it per style against the single-style networks, and publish it.

Content and held-out photos as in ``train_styles.py``. Each batch draws a random
style per image. ``--networks full lite`` trains the ``lite`` preset afterwards
for the same number of steps the full network reached, so their held-out losses
can be compared style by style.

    python research/publishing/train_multi_style.py --steps 20000 --batch-size 16
    python research/publishing/train_multi_style.py --evaluate --eval-size 256
    python research/publishing/train_multi_style.py --publish      # into weights/
"""

import argparse
import json
import shutil
import sys
import time
from pathlib import Path

import keras
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # research.assets
from train_styles import PAINTINGS  # noqa: E402
from train_styles import VGG19  # noqa: E402
from train_styles import WEIGHTS  # noqa: E402
from train_styles import content_split  # noqa: E402
from train_styles import held_out_photos  # noqa: E402
from train_styles import painting_loss  # noqa: E402
from train_styles import write_report  # noqa: E402

from keras_style_aug import styles as registry  # noqa: E402
from keras_style_aug.styles.registry import sha256  # noqa: E402
from keras_style_aug.training import StyleTrainer  # noqa: E402
from keras_style_aug.training.evaluation import evaluate_losses  # noqa: E402
from keras_style_aug.utils.images import contact_sheet  # noqa: E402
from keras_style_aug.utils.images import save_image  # noqa: E402
from research.assets import asset_path  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
# Mixes shown on the contact sheet: (label, {style: weight}).
SHEET_MIXES = [
    ("wave+udnie", {"wave": 0.5, "udnie": 0.5}),
    ("starry+scream", {"starry_night": 0.5, "the_scream": 0.5}),
    ("all six", {name: 1.0 for name in PAINTINGS}),
]


def network_name(args, preset):
    return args.name if preset == "full" else f"{args.name}_{preset}"


def train(args):
    started = time.time()
    if args.dtype_policy:
        keras.config.set_dtype_policy(args.dtype_policy)
    content, held_out = content_split(args.image_size, args.eval_images)
    paintings = {n: asset_path("styles", PAINTINGS[n]) for n in args.styles}
    steps = args.steps
    for preset in args.networks:
        name = network_name(args, preset)
        limit = args.time_limit_min * 60 if args.time_limit_min else None
        if args.deadline_min:  # leave 30 s to save each network
            left = args.deadline_min * 60 - (time.time() - started) - 30
            limit = min(limit or left, left)
        network = preset
        if args.init_from:  # continue from saved weights (fresh optimizer)
            network = registry.load(args.init_from)
            network.name = name
        trainer = StyleTrainer(
            paintings,
            content,
            name=name,
            network=network,
            image_size=args.image_size,
            batch_size=args.batch_size,
            steps=steps,
            style_weight=args.style_weight,
            vgg_weights=str(asset_path(*VGG19)),
            output_dir=Path(args.runs) / name,
            sample_images=held_out[:4],
            checkpoint_every=args.checkpoint_every,
            verbose=2,
            time_limit_s=limit,
        )
        entry = trainer.fit()
        if args.init_from:
            before = json.loads(
                Path(args.init_from).with_name(f"{name}.json").read_text()
            )
            entry["steps_before_restart"] = before["steps"]
            entry["steps"] += before["steps"]
            entry["wall_time_s"] += before["wall_time_s"]
            (Path(args.runs) / name / f"{name}.json").write_text(
                json.dumps(entry, indent=2) + "\n"
            )
        print(
            f"{name}: {entry['steps']} steps in {entry['wall_time_s']:.0f} s",
            flush=True,
        )
        # Later networks train as many steps as the first one reached.
        steps = entry["steps"]
        write_sheet(
            trainer.net, held_out[:4], Path(args.runs) / name / f"{name}_sheet.png"
        )


def write_sheet(net, images, path):
    """Content, each style, then the mixes of SHEET_MIXES."""
    x = np.asarray(images, "float32")
    rows, labels = [list(images)], ["content"]
    for style in net.style_names:
        rows.append(list(np.asarray(net(x, style=style))))
        labels.append(style)
    for label, mix in SHEET_MIXES:
        if set(mix) <= set(net.style_names):
            rows.append(list(np.asarray(net(x, style=mix))))
            labels.append(label)
    # One column per style or mix reads better: transpose the grid.
    columns = [list(c) for c in zip(*rows)]
    save_image(contact_sheet(columns, column_labels=labels, cell=128), path)


def evaluate(args):
    """Held-out losses per style: multi-style networks against the shipped
    single-style ones, on the same photos at the same size."""
    held_out = held_out_photos(args.eval_size, args.eval_images)
    report = {
        "images": f"{len(held_out)} BSDS500 test photos, {args.eval_size}px",
        "styles": {},
    }
    networks = {
        name: registry.load(Path(args.runs) / name / f"{name}.weights.h5")
        for name in (network_name(args, preset) for preset in args.networks)
    }
    singles = registry.available()
    for style in args.styles:
        loss = painting_loss(style, args.eval_size)
        row = {}
        for name, net in networks.items():
            index = list(net.style_names).index(style)
            result = evaluate_losses(net, loss, held_out, style=index)
            row[name] = result["stylized"]
        if style in singles:
            row["single-style"] = evaluate_losses(registry.load(style), loss, held_out)[
                "stylized"
            ]
        row["identity"] = result["identity"]
        report["styles"][style] = row
        print(style, json.dumps(row), flush=True)
    out = Path(args.runs) / f"{args.name}_evaluation_{args.eval_size}.json"
    out.write_text(json.dumps(report, indent=2) + "\n")
    print(f"wrote {out}")


def publish(args):
    """Copies the trained networks into weights/ with their evaluation."""
    manifest_path = WEIGHTS / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    evaluations = {
        size: json.loads(p.read_text())
        for size in (128, 256)
        if (p := Path(args.runs) / f"{args.name}_evaluation_{size}.json").is_file()
    }
    for preset in args.networks:
        name = network_name(args, preset)
        run = Path(args.runs) / name
        entry = json.loads((run / f"{name}.json").read_text())
        shutil.copy(run / entry["file"], WEIGHTS / entry["file"])
        shutil.copy(run / f"{name}_sheet.png", WEIGHTS / f"{name}_sheet.png")
        assert sha256(WEIGHTS / entry["file"]) == entry["sha256"]
        entry["evaluation"] = {
            str(size): {
                "images": ev["images"],
                **{style: rows for style, rows in ev["styles"].items()},
            }
            for size, ev in evaluations.items()
        }
        manifest["styles"][name] = entry
    manifest["styles"] = dict(sorted(manifest["styles"].items()))
    manifest_path.write_text(json.dumps(manifest, indent=2) + "\n")
    write_report(manifest)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--styles", nargs="+", default=list(PAINTINGS), choices=list(PAINTINGS)
    )
    parser.add_argument("--name", default="paintings6")
    parser.add_argument(
        "--networks", nargs="+", default=["full"], choices=["full", "lite"]
    )
    parser.add_argument("--steps", type=int, default=20_000)
    parser.add_argument(
        "--time-limit-min",
        type=float,
        default=None,
        help="stop each network's training after this long",
    )
    parser.add_argument(
        "--deadline-min",
        type=float,
        default=None,
        help="finish all training within this long",
    )
    parser.add_argument(
        "--init-from",
        default=None,
        help="a weights file to continue training from "
        "(with a fresh optimizer); its NAME.json steps count",
    )
    parser.add_argument(
        "--dtype-policy", default=None, help="e.g. mixed_bfloat16 on a GPU"
    )
    parser.add_argument("--image-size", type=int, default=256)
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--style-weight", type=float, default=5e-5)
    parser.add_argument("--checkpoint-every", type=int, default=500)
    parser.add_argument("--eval-images", type=int, default=20)
    parser.add_argument("--eval-size", type=int, default=256)
    parser.add_argument("--runs", default=str(REPO / "runs"))
    parser.add_argument(
        "--evaluate",
        action="store_true",
        help="evaluate trained networks (no training)",
    )
    parser.add_argument(
        "--publish",
        action="store_true",
        help="copy trained networks into weights/ (no training)",
    )
    args = parser.parse_args()
    if args.evaluate:
        evaluate(args)
    elif args.publish:
        publish(args)
    else:
        train(args)


if __name__ == "__main__":
    main()
