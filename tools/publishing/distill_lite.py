"""Distil the `lite` multi-style network from `paintings6`: the lite network
learns to reproduce the full network's outputs (`StyleTrainer(teacher=...)`),
starting from the shipped `paintings6_lite`, then is evaluated style by style
against both (held-out losses, white pixels added, distance to the teacher)
and published.

Content: random crops of `--crop` px cut from the BSDS500 train+val photos at
256 px (the scale the networks were trained and are evaluated at); the held-out
BSDS500 test photos are never trained on.

    python tools/publishing/distill_lite.py --steps 20000 --time-limit-min 4 \\
        --crop 256 --crops-per-photo 1 --batch-size 16   # tools/device/distill_lite.sh
    python tools/publishing/distill_lite.py --evaluate
    python tools/publishing/distill_lite.py --publish   # into weights/

The teacher alone as the target (`--content-weight 0 --style-weight 0`, the
CPU run in `results/blobs/RESULTS.md`) removes the lite network's own white
blobs but blurs its textures: style losses 3-15x the teacher's. Publish only a
network whose evaluation beats the shipped one.
"""

import argparse
import json
import shutil
import sys
from pathlib import Path

import keras
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from diagnose_blobs import added_white  # noqa: E402
from train_multi_style import write_sheet  # noqa: E402
from train_styles import PAINTINGS  # noqa: E402
from train_styles import VGG19  # noqa: E402
from train_styles import WEIGHTS  # noqa: E402
from train_styles import content_split  # noqa: E402
from train_styles import held_out_photos  # noqa: E402
from train_styles import painting_loss  # noqa: E402
from train_styles import write_report  # noqa: E402

from keras_style_aug import styles as registry  # noqa: E402
from keras_style_aug.assets import asset_path  # noqa: E402
from keras_style_aug.styles.registry import sha256  # noqa: E402
from keras_style_aug.training import StyleTrainer  # noqa: E402
from keras_style_aug.training.evaluation import evaluate_losses  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
TEACHER, STUDENT = "paintings6", "paintings6_lite"


def random_crops(photos, size, per_photo, seed=0):
    """`per_photo` random `size` px crops of each `(N, S, S, 3)` photo."""
    rng = np.random.default_rng(seed)
    side = photos.shape[1]
    crops = []
    for photo in photos:
        for _ in range(per_photo):
            top, left = rng.integers(0, side - size + 1, 2)
            crops.append(photo[top : top + size, left : left + size])
    return np.stack(crops)


def run_dir(args):
    return Path(args.runs) / f"{STUDENT}_distilled"


def train(args):
    if args.dtype_policy:
        keras.config.set_dtype_policy(args.dtype_policy)
    content, held_out = content_split(256, args.eval_images)
    crops = random_crops(content, args.crop, args.crops_per_photo)
    teacher = registry.load(TEACHER)
    student = registry.load(args.init_from or STUDENT)
    student.name = STUDENT
    paintings = {n: asset_path("styles", PAINTINGS[n]) for n in teacher.style_names}
    trainer = StyleTrainer(
        paintings,
        crops,
        name=STUDENT,
        network=student,
        image_size=args.crop,
        batch_size=args.batch_size,
        steps=args.steps,
        learning_rate=args.learning_rate,
        content_weight=args.content_weight,
        style_weight=args.style_weight,
        vgg_weights=str(asset_path(*VGG19)),
        output_dir=run_dir(args),
        sample_images=held_out[:4],
        checkpoint_every=args.checkpoint_every,
        verbose=2,
        time_limit_s=args.time_limit_min * 60 if args.time_limit_min else None,
        teacher=teacher,
        teacher_weight=args.teacher_weight,
        saturation_weight=args.saturation_weight,
    )
    entry = trainer.fit()
    entry["distilled_from"] = TEACHER
    entry["content"] = (
        f"{len(crops)} random {args.crop} px crops of {len(content)} BSDS500 "
        "train+val photos at 256 px"
    )
    (run_dir(args) / f"{STUDENT}.json").write_text(json.dumps(entry, indent=2) + "\n")
    write_sheet(trainer.net, held_out[:4], run_dir(args) / f"{STUDENT}_sheet.png")
    print(f"{STUDENT}: {entry['steps']} steps in {entry['wall_time_s']:.0f} s")


def style_rows(networks, size, args):
    """Per style and network: held-out content and style losses, the share of
    nearly white pixels added and the mean squared distance to the teacher."""
    photos = held_out_photos(size, args.eval_images).astype("float32")
    x01 = photos / 255.0
    teacher = networks[TEACHER]
    rows = {}
    for style in teacher.style_names:
        loss = painting_loss(style, size)
        outputs = {
            name: np.asarray(net(photos, style=style)) for name, net in networks.items()
        }
        target = outputs[TEACHER]
        row = {}
        for name, net in networks.items():
            y = outputs[name]
            index = list(net.style_names).index(style)
            result = evaluate_losses(net, loss, photos, style=index, stylized=y)
            white = [added_white(a, b / 255.0).mean() for a, b in zip(x01, y)]
            row[name] = {
                **result["stylized"],
                "white_added": float(np.mean(white)),
                "teacher_mse": float(np.mean(np.square(y - target))),
            }
        row["identity"] = result["identity"]
        rows[style] = row
        print(size, style, json.dumps(row), flush=True)
    return rows


def evaluate(args):
    path = run_dir(args) / f"{STUDENT}.weights.h5"
    networks = {
        TEACHER: registry.load(TEACHER),
        f"{STUDENT} (shipped)": registry.load(STUDENT),
        f"{STUDENT} (distilled)": registry.load(path),
    }
    for size in args.eval_sizes:
        report = {
            "images": f"{args.eval_images} BSDS500 test photos, {size}px",
            "styles": style_rows(networks, size, args),
        }
        out = run_dir(args) / f"evaluation_{size}.json"
        out.write_text(json.dumps(report, indent=2) + "\n")
        print(f"wrote {out}")
        print(table(report))


def table(report):
    """Markdown: per style, each network's losses relative to the teacher's,
    white pixels added and distance to the teacher."""
    lines = [
        f"Held-out {report['images']}: content / style loss as a multiple of "
        f"{TEACHER}'s, nearly white pixels added, RMS distance to {TEACHER} "
        "(0..255).",
        "",
        "| style | network | content | style | white added | RMS to teacher |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for style, row in report["styles"].items():
        base = row[TEACHER]
        for name, r in row.items():
            if name == "identity":
                continue
            lines.append(
                f"| {style} | {name} | {r['content'] / base['content']:.2f}x | "
                f"{r['style'] / base['style']:.2f}x | {r['white_added']:.2%} | "
                f"{np.sqrt(r['teacher_mse']):.1f} |"
            )
    return "\n".join(lines)


def publish(args):
    """Replaces the shipped lite network with the distilled one."""
    run = run_dir(args)
    entry = json.loads((run / f"{STUDENT}.json").read_text())
    replace_shipped_lite(
        entry, run / entry["file"], run / f"{STUDENT}_sheet.png", run, "distilled"
    )


# What `initialized_from` keeps of the entry a network was trained on from.
TRAINING_KEYS = (
    "steps",
    "batch_size",
    "image_size",
    "learning_rate",
    "content_weight",
    "style_weight",
    "backend",
    "device",
    "wall_time_s",
    "steps_before_restart",
    "distilled_from",
    "teacher_weight",
    "saturation_weight",
    "saturation_bound",
    "content",
    "initialized_from",
)
PREVIOUS = f"{STUDENT} (previous, retired)"


def replace_shipped_lite(entry, weights_file, sheet, evaluation_dir, label):
    """Publishes `weights_file` (trained on from the shipped lite network;
    `entry` is its `StyleTrainer` entry) as the shipped lite network, with its
    contact sheet `sheet`. `evaluation_dir/evaluation_{128,256}.json` hold the
    rows of `--evaluate`: the teacher, the shipped lite network and this one,
    named `f"{STUDENT} ({label})"`. The entry records what it started from
    (`initialized_from`) and its evaluation; the teacher's multi-style table
    keeps the network it replaces as a column."""
    manifest_path = WEIGHTS / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    before = manifest["styles"][STUDENT]
    if entry["network"] != before["network"] or entry["styles"] != before["styles"]:
        raise SystemExit(
            f"{weights_file} is not a {STUDENT} network (architecture or styles "
            "differ from the shipped one); it cannot replace it."
        )
    entry["initialized_from"] = {k: before[k] for k in TRAINING_KEYS if k in before}
    entry["evaluated_against"] = TEACHER
    entry["evaluation"] = {}
    for size in ("128", "256"):
        ev = json.loads((Path(evaluation_dir) / f"evaluation_{size}.json").read_text())
        entry["evaluation"][size] = {"images": ev["images"]}
        teacher_rows = manifest["styles"][TEACHER]["evaluation"][size]
        for style, rows in ev["styles"].items():
            old = teacher_rows[style]
            shipped, new = rows[f"{STUDENT} (shipped)"], rows[f"{STUDENT} ({label})"]
            if not np.isclose(shipped["content"], old[STUDENT]["content"], rtol=1e-3):
                raise SystemExit(
                    f"{evaluation_dir}/evaluation_{size}.json scored another "
                    f"{STUDENT} than the shipped one ({style}: content "
                    f"{shipped['content']:.6g}, manifest "
                    f"{old[STUDENT]['content']:.6g}); "
                    "run --evaluate again."
                )
            entry["evaluation"][size][style] = {
                TEACHER: rows[TEACHER],
                PREVIOUS: shipped,
                STUDENT: new,
                "identity": rows["identity"],
            }
            teacher_rows[style] = {
                TEACHER: old[TEACHER],
                STUDENT: {k: new[k] for k in ("content", "style")},
                PREVIOUS: {k: old[STUDENT][k] for k in ("content", "style")},
                **{
                    k: v
                    for k, v in old.items()
                    if k not in (TEACHER, STUDENT) and not k.startswith(STUDENT)
                },
            }
    if sha256(weights_file) != entry["sha256"]:
        raise SystemExit(f"{weights_file} does not match its entry's sha256.")
    shutil.copy(weights_file, WEIGHTS / entry["file"])
    shutil.copy(sheet, WEIGHTS / f"{STUDENT}_sheet.png")
    manifest["styles"][STUDENT] = entry
    manifest_path.write_text(json.dumps(manifest, indent=2) + "\n")
    write_report(manifest)
    print(f"published {weights_file} as {WEIGHTS / entry['file']}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=4000)
    parser.add_argument("--time-limit-min", type=float, default=None)
    parser.add_argument("--crop", type=int, default=128)
    parser.add_argument("--crops-per-photo", type=int, default=4)
    parser.add_argument("--batch-size", type=int, default=4)
    parser.add_argument("--learning-rate", type=float, default=2e-4)
    parser.add_argument("--teacher-weight", type=float, default=30.0)
    parser.add_argument(
        "--saturation-weight",
        type=float,
        default=1e6,
        help="StyleTrainer(saturation_weight=): keeps outputs off tanh's flat tails",
    )
    parser.add_argument("--content-weight", type=float, default=1.0)
    parser.add_argument("--style-weight", type=float, default=5e-5)
    parser.add_argument("--checkpoint-every", type=int, default=250)
    parser.add_argument(
        "--dtype-policy", default=None, help="e.g. mixed_bfloat16 on a GPU"
    )
    parser.add_argument("--init-from", default=None, help="weights to start from")
    parser.add_argument("--eval-images", type=int, default=20)
    parser.add_argument("--eval-sizes", type=int, nargs="+", default=[256, 128])
    parser.add_argument("--runs", default=str(REPO / "runs"))
    parser.add_argument("--evaluate", action="store_true")
    parser.add_argument("--publish", action="store_true")
    args = parser.parse_args()
    if args.evaluate:
        evaluate(args)
    elif args.publish:
        publish(args)
    else:
        train(args)


if __name__ == "__main__":
    main()
