"""Do the white blobs go once training can see them? Fine-tunes a shipped
multi-style network (default `paintings6_lite`) on its own paintings, from its
shipped weights, the same steps from the same seed, once per saturation
weight (`StyleTrainer(saturation_weight=...)`: a penalty on pre-`tanh` values
beyond 2, where the output is stuck at pure white or black and the perceptual
loss has almost no gradient). 0 is the control: as much training, no penalty.

Then, per style, on held-out BSDS500 test photos at 256 px: the nearly white
pixels each network adds, the share of output values in the flat tails of
`tanh` (pre-`tanh` beyond 3), the held-out content and style losses; and a
contact sheet (one style, each network).

    python research/publishing/saturation_experiment.py --steps 300 \\
        --output research/results/blobs/saturation_cpu

``--evaluate WEIGHTS`` scores a fine-tuned network as the shipped ones are
scored (20 held-out photos, 256 and 128 px; `republish.evaluate`) beside the
shipped one and `paintings6` (losses as multiples of `paintings6`'s, white
added, distance to it), into ``OUTPUT/evaluation_SIZE.json``; then
``--publish WEIGHTS`` ships it as the network's new weights (manifest entry
with that evaluation, `weights/README.md`, contact sheet).

    python research/publishing/saturation_experiment.py \\
        --output research/results/blobs/saturation_cpu_256 --publish \\
        research/results/blobs/saturation_cpu_256/paintings6_lite_candidate.weights.h5
"""

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

import republish  # noqa: E402
from diagnose_blobs import added_white  # noqa: E402
from diagnose_blobs import invented_colours  # noqa: E402
from distill_lite import random_crops  # noqa: E402
from train_multi_style import write_sheet  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # research.assets
from train_styles import PAINTINGS  # noqa: E402
from train_styles import VGG19  # noqa: E402
from train_styles import content_split  # noqa: E402
from train_styles import held_out_photos  # noqa: E402
from train_styles import painting_colours  # noqa: E402
from train_styles import painting_loss  # noqa: E402

from keras_style_aug import styles as registry  # noqa: E402
from keras_style_aug.training import StyleTrainer  # noqa: E402
from keras_style_aug.training.evaluation import evaluate_losses  # noqa: E402
from keras_style_aug.utils.images import contact_sheet  # noqa: E402
from keras_style_aug.utils.images import save_image  # noqa: E402
from research.assets import asset_path  # noqa: E402

SATURATED = 3.0  # |pre-tanh| beyond this: the output's gradient under 1%


def run_name(weight, spike_weight):
    spikes = f"_spike_weight_{spike_weight:g}" if spike_weight else ""
    return f"saturation_weight_{weight:g}{spikes}"


def fine_tune(args, weight, crops, samples):
    net = registry.load(args.network)
    paintings = {n: asset_path("styles", PAINTINGS[n]) for n in net.style_names}
    trainer = StyleTrainer(
        paintings,
        crops,
        name=args.network,
        network=net,
        image_size=args.crop,
        batch_size=args.batch_size,
        steps=args.steps,
        learning_rate=args.learning_rate,
        style_weight=args.style_weight,
        vgg_weights=str(asset_path(*VGG19)),
        output_dir=Path(args.output) / run_name(weight, args.spike_weight),
        sample_images=samples,
        checkpoint_every=args.checkpoint_every,
        verbose=2,
        saturation_weight=weight,
        spike_weight=args.spike_weight,
    )
    entry = trainer.fit()
    return trainer.net, entry


def style_rows(net, photos):
    """Per style: white added, saturated share (all pixels, and of the white
    added), colours in neither the painting nor the photo, held-out content
    and style losses."""
    x = photos.astype("float32")
    rows = {}
    for style in net.style_names:
        y, pre = net(x, style=style, with_pre_tanh=True)
        y, pre = np.asarray(y), np.abs(np.asarray(pre)).min(-1)
        white = np.stack([added_white(a, b) for a, b in zip(x / 255, y / 255)])
        palette = painting_colours(style)
        invented = [invented_colours(a, b, palette) for a, b in zip(x / 255, y / 255)]
        losses = evaluate_losses(None, painting_loss(style, 256), x, stylized=y)
        rows[style] = {
            "white_added": float(white.mean()),
            "saturated": float((pre > SATURATED).mean()),
            "saturated_in_white": float((pre[white] > SATURATED).mean())
            if white.any()
            else 0.0,
            "invented_colours": float(np.mean(invented)),
            **losses["stylized"],
        }
    return rows


def table(report):
    lines = [
        "| style | network | white added | saturated (of the white) | "
        "invented colours | content | style (x1e9) |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    styles = next(iter(report.values()))["styles"]
    for style in styles:
        for name, run in report.items():
            r = run["styles"][style]
            lines.append(
                f"| {style} | {name} | {r['white_added']:.2%} | "
                f"{r['saturated']:.2%} ({r['saturated_in_white']:.0%}) | "
                f"{r['invented_colours']:.2%} | "
                f"{r['content']:.3g} | {r['style'] / 1e9:.2f} |"
            )
    return "\n".join(lines)


def publish(args):
    """Ships the fine-tuned network `args.publish` (its `StyleTrainer` entry
    beside it, `NAME.json` for `NAME.weights.h5`) as `args.network`, with the
    evaluation `--evaluate` wrote in `args.output`."""
    weights = Path(args.publish)
    stem = weights.name.split(".")[0]
    entry = json.loads(weights.with_name(f"{stem}.json").read_text())
    settings = json.loads((Path(args.output) / "report.json").read_text())["settings"]
    crops, photos = settings["content"].split(" crops of ")
    entry["content"] = (
        f"{crops} random {settings['crop']} px crops of {photos} BSDS500 "
        "train+val photos at 256 px"
    )
    with tempfile.TemporaryDirectory() as tmp:
        sheet = Path(tmp) / "sheet.png"
        write_sheet(registry.load(weights), held_out_photos(256, 4), sheet)
        republish.replace_shipped(
            args.network, entry, weights, sheet, Path(args.output), "candidate"
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--network", default="paintings6_lite")
    parser.add_argument("--weights", type=float, nargs="+", default=[0.0, 1e6])
    parser.add_argument(
        "--spike-weight",
        type=float,
        default=0.0,
        help="StyleTrainer(spike_weight=) in every run: the upsampling stages' "
        "spikes before instance norm, where the blobs form",
    )
    parser.add_argument("--steps", type=int, default=300)
    parser.add_argument("--crop", type=int, default=128)
    parser.add_argument("--crops-per-photo", type=int, default=4)
    parser.add_argument("--batch-size", type=int, default=4)
    parser.add_argument("--learning-rate", type=float, default=2e-4)
    parser.add_argument("--style-weight", type=float, default=5e-5)
    parser.add_argument("--checkpoint-every", type=int, default=50)
    parser.add_argument("--photos", type=int, default=8)
    parser.add_argument("--sheet-style", default="udnie")
    parser.add_argument("--output", default="runs/saturation_experiment")
    parser.add_argument("--evaluate", default=None, metavar="WEIGHTS")
    parser.add_argument("--publish", default=None, metavar="WEIGHTS")
    parser.add_argument("--eval-images", type=int, default=20)
    args = parser.parse_args()
    out = Path(args.output)
    out.mkdir(parents=True, exist_ok=True)
    if args.evaluate:
        republish.evaluate(
            args.network, args.evaluate, args.eval_images, out, "candidate"
        )
        return
    if args.publish:
        publish(args)
        return
    content, _ = content_split(256, 1)
    crops = random_crops(content, args.crop, args.crops_per_photo)
    photos = held_out_photos(256, args.photos)
    shipped = f"{args.network} (shipped)"
    networks, report = {shipped: registry.load(args.network)}, {shipped: {}}
    for weight in args.weights:
        started = time.time()
        net, entry = fine_tune(args, weight, crops, photos[:4])
        name = f"+{entry['steps']} steps, saturation weight {weight:g}"
        name += f", spike weight {args.spike_weight:g}" if args.spike_weight else ""
        networks[name] = net
        report[name] = {"train_s": round(time.time() - started, 1)}
    for name, net in networks.items():
        report[name]["styles"] = style_rows(net, photos)
        print(name, json.dumps(report[name]), flush=True)
    settings = {**vars(args), "content": f"{len(crops)} crops of {len(content)}"}
    (out / "report.json").write_text(
        json.dumps({"settings": settings, "networks": report}, indent=2) + "\n"
    )
    x = photos[:4].astype("float32")
    columns = [list(photos[:4])] + [
        list(np.asarray(net(x, style=args.sheet_style))) for net in networks.values()
    ]
    # contact_sheet keeps 24 characters: "sat 1e+06, spikes 1e+05".
    spikes = f", spikes {args.spike_weight:.0e}" if args.spike_weight else ""
    labels = ["photo", "shipped", *(f"sat {w:g}{spikes}" for w in args.weights)]
    sheet = contact_sheet([list(r) for r in zip(*columns)], column_labels=labels)
    save_image(sheet, out / "sheet.png")
    text = table(report)
    (out / "table.md").write_text(text + "\n")
    print(text)
    print(f"wrote {out}/report.json, table.md, sheet.png")


if __name__ == "__main__":
    main()
