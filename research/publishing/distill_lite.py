"""Distil the `lite` multi-style network from `paintings6`: the lite network
learns to reproduce the full network's outputs (`StyleTrainer(teacher=...)`),
starting from the shipped `paintings6_lite`, then is evaluated style by style
against both (held-out losses, white pixels added, distance to the teacher)
and published.

Content: random crops of `--crop` px cut from the BSDS500 train+val photos at
256 px (the scale the networks were trained and are evaluated at); the held-out
BSDS500 test photos are never trained on.

    python research/publishing/distill_lite.py --steps 20000 --time-limit-min 4 \\
        --crop 256 --crops-per-photo 1 --batch-size 16   # research/gpu/distill_lite.sh
    python research/publishing/distill_lite.py --evaluate
    python research/publishing/distill_lite.py --publish   # into weights/

The teacher alone as the target (`--content-weight 0 --style-weight 0`, the
CPU run in `research/results/blobs/FINDINGS.md`) removes the lite network's own white
blobs but blurs its textures: style losses 3-15x the teacher's. Publish only a
network whose evaluation beats the shipped one.
"""

import argparse
import json
import sys
from pathlib import Path

import keras
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

import republish  # noqa: E402
from train_multi_style import write_sheet  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # research.assets
from train_styles import PAINTINGS  # noqa: E402
from train_styles import VGG19  # noqa: E402
from train_styles import content_split  # noqa: E402

from keras_style_aug import styles as registry  # noqa: E402
from keras_style_aug.training import StyleTrainer  # noqa: E402
from research.assets import asset_path  # noqa: E402

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


def learning_rate(args):
    """Adam's learning rate: `--learning-rate` throughout, or (`--schedule
    cosine`) a linear warmup from 0 over `--warmup-steps`, then a cosine decay
    to 0 at `--steps`. The run starts from a trained network, which Adam's
    first steps at the full rate shake: each moves every weight by about the
    rate, whatever its gradient."""
    if args.schedule == "constant":
        return args.learning_rate
    warmup = min(args.warmup_steps, args.steps - 1)
    return keras.optimizers.schedules.CosineDecay(
        0.0,
        args.steps - warmup,
        warmup_target=args.learning_rate,
        warmup_steps=warmup,
    )


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
        learning_rate=learning_rate(args),
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


def evaluate(args):
    republish.evaluate(
        STUDENT,
        run_dir(args) / f"{STUDENT}.weights.h5",
        args.eval_images,
        run_dir(args),
        "distilled",
    )


def publish(args):
    """Replaces the shipped lite network with the distilled one."""
    run = run_dir(args)
    entry = json.loads((run / f"{STUDENT}.json").read_text())
    republish.replace_shipped(
        STUDENT,
        entry,
        run / entry["file"],
        run / f"{STUDENT}_sheet.png",
        run,
        "distilled",
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=4000)
    parser.add_argument("--time-limit-min", type=float, default=None)
    parser.add_argument("--crop", type=int, default=128)
    parser.add_argument("--crops-per-photo", type=int, default=4)
    parser.add_argument("--batch-size", type=int, default=4)
    parser.add_argument("--learning-rate", type=float, default=2e-4)
    parser.add_argument(
        "--schedule",
        choices=("constant", "cosine"),
        default="constant",
        help="cosine: warmup, then a cosine decay to 0 at --steps",
    )
    parser.add_argument("--warmup-steps", type=int, default=0)
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
