"""Scoring and replacing a shipped multi-style network (`paintings6`,
`paintings6_lite`) with one trained on further from it: by distillation
(`distill_lite.py --publish`) or by fine-tuning with the saturation penalty
(`saturation_experiment.py --publish`).

Networks are scored on held-out BSDS500 test photos, style by style, against
a reference network (the full `paintings6`, or the network being replaced):
content and style losses, the nearly white pixels each adds, the mean
squared distance to the reference's output. A replaced network stays in its
successor's evaluation as a `(previous, retired)` column; a network scored
against `paintings6` is scored again when `paintings6` is replaced.
"""

import json
import shutil

import numpy as np
from diagnose_blobs import added_white
from diagnose_blobs import invented_colours
from train_styles import WEIGHTS
from train_styles import column_owner
from train_styles import held_out_photos
from train_styles import painting_colours
from train_styles import painting_loss
from train_styles import write_report

from keras_style_aug import styles as registry
from keras_style_aug.styles.registry import sha256
from keras_style_aug.training.evaluation import evaluate_losses

FULL = "paintings6"
SIZES = ("128", "256")
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
    "spike_weight",
    "spike_bound",
    "content",
    "initialized_from",
)


def previous(name):
    return f"{name} (previous, retired)"


def style_rows(networks, size, eval_images, reference=FULL):
    """Per style every network holds (in `networks[reference]`'s order) and
    per network: held-out content and style losses, the share of nearly white
    pixels added, the share of colours in neither the painting nor the photo
    (`invented_colours`) and the mean squared distance (`teacher_mse`) to the
    output of `networks[reference]`."""
    photos = held_out_photos(size, eval_images).astype("float32")
    x01 = photos / 255.0
    held = [set(net.style_names) for net in networks.values()]
    shared = [s for s in networks[reference].style_names if all(s in h for h in held)]
    rows = {}
    for style in shared:
        loss, palette = painting_loss(style, size), painting_colours(style)
        outputs = {
            name: np.asarray(net(photos, style=style)) for name, net in networks.items()
        }
        row = {}
        for name, net in networks.items():
            y = outputs[name]
            index = list(net.style_names).index(style)
            result = evaluate_losses(net, loss, photos, style=index, stylized=y)
            white = [added_white(a, b / 255.0).mean() for a, b in zip(x01, y)]
            invented = [
                invented_colours(a, b / 255.0, palette).mean() for a, b in zip(x01, y)
            ]
            row[name] = {
                **result["stylized"],
                "white_added": float(np.mean(white)),
                "invented_colours": float(np.mean(invented)),
                "teacher_mse": float(np.mean(np.square(y - outputs[reference]))),
            }
        row["identity"] = result["identity"]
        rows[style] = row
        print(size, style, json.dumps(row), flush=True)
    return rows


def table(report, reference=FULL):
    """Markdown: per style, each network's losses relative to the
    reference's, white pixels added and distance to the reference."""
    lines = [
        f"Held-out {report['images']}: content / style loss as a multiple of "
        f"{reference}'s, nearly white pixels added, colours in neither the "
        f"painting nor the photo, RMS distance to {reference} (0..255).",
        "",
        f"| style | network | content | style | white added | invented colours "
        f"| RMS to {reference} |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for style, row in report["styles"].items():
        base = row[reference]
        for name, r in row.items():
            if name == "identity":
                continue
            lines.append(
                f"| {style} | {name} | {r['content'] / base['content']:.2f}x | "
                f"{r['style'] / base['style']:.2f}x | {r['white_added']:.2%} | "
                f"{r['invented_colours']:.2%} | "
                f"{np.sqrt(r['teacher_mse']):.1f} |"
            )
    return "\n".join(lines)


def evaluate(name, weights, eval_images, out_dir, label):
    """Scores the network in `weights` (named `f"{name} ({label})"`) beside
    the shipped `name` and `paintings6`, at 256 and 128 px, into
    `out_dir/evaluation_SIZE.json`; the reference is `paintings6`, or the
    shipped network when `name` is `paintings6`."""
    networks = {f"{name} (shipped)": registry.load(name)}
    if name != FULL:
        networks = {FULL: registry.load(FULL), **networks}
    networks[f"{name} ({label})"] = registry.load(weights)
    reference = FULL if name != FULL else f"{name} (shipped)"
    for size in reversed(SIZES):
        report = {
            "images": f"{eval_images} BSDS500 test photos, {size}px",
            "reference": reference,
            "styles": style_rows(networks, int(size), eval_images, reference),
        }
        path = out_dir / f"evaluation_{size}.json"
        path.write_text(json.dumps(report, indent=2) + "\n")
        print(f"wrote {path}")
        print(table(report, reference))


def replace_shipped(name, entry, weights_file, sheet, evaluation_dir, label):
    """Publishes `weights_file` (trained on from the shipped network `name`;
    `entry` is its `StyleTrainer` entry) as `name`, with its contact sheet
    `sheet`. `evaluation_dir/evaluation_{128,256}.json` are `evaluate`'s,
    with this network as `f"{name} ({label})"`. The entry records what it
    started from (`initialized_from`), what it was scored against
    (`evaluated_against`) and its evaluation, the replaced network as a
    retired column; networks scored against a replaced `paintings6` are
    scored again."""
    manifest_path = WEIGHTS / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    before = manifest["styles"][name]
    if entry["network"] != before["network"] or entry["styles"] != before["styles"]:
        raise SystemExit(
            f"{weights_file} is not a {name} network (architecture or styles "
            "differ from the shipped one); it cannot replace it."
        )
    if sha256(weights_file) != entry["sha256"]:
        raise SystemExit(f"{weights_file} does not match its entry's sha256.")
    shipped = set(manifest["styles"])
    entry["initialized_from"] = {k: before[k] for k in TRAINING_KEYS if k in before}
    entry["evaluated_against"] = FULL if name != FULL else previous(name)
    entry["evaluation"] = {}
    for size in SIZES:
        ev = json.loads((evaluation_dir / f"evaluation_{size}.json").read_text())
        entry["evaluation"][size] = {"images": ev["images"]}
        for style, rows in ev["styles"].items():
            old = before["evaluation"][size][style]
            was = rows[f"{name} (shipped)"]
            if not np.isclose(was["content"], old[name]["content"], rtol=1e-3):
                raise SystemExit(
                    f"{evaluation_dir}/evaluation_{size}.json scored another {name} "
                    f"than the shipped one ({style}: content {was['content']:.6g}, "
                    f"manifest {old[name]['content']:.6g}); evaluate again."
                )
            # Columns of no shipped network (e.g. retired single styles) stay.
            kept = {k: v for k, v in old.items() if column_owner(k, shipped) is None}
            reference = {FULL: rows[FULL]} if name != FULL else {}
            entry["evaluation"][size][style] = {
                **reference,
                previous(name): was,
                name: rows[f"{name} ({label})"],
                **kept,
                "identity": rows["identity"],
            }
    shutil.copy(weights_file, WEIGHTS / entry["file"])
    shutil.copy(sheet, WEIGHTS / f"{name}_sheet.png")
    manifest["styles"][name] = entry
    if name == FULL:
        rescore_against_full(manifest)
    manifest_path.write_text(json.dumps(manifest, indent=2) + "\n")
    write_report(manifest)
    print(f"published {weights_file} as {WEIGHTS / entry['file']}")


def rescore_against_full(manifest):
    """Scores the networks evaluated against `paintings6` against the one
    now in `weights/`: their own and `paintings6`'s rows are new; a retired
    column keeps its losses and white, but loses its distance to
    `paintings6`, which was to the replaced one. The new `paintings6` is
    loaded from its file: the manifest on disk still has the old sha256."""
    full = registry.load(WEIGHTS / manifest["styles"][FULL]["file"])
    for name, e in manifest["styles"].items():
        if e.get("evaluated_against") != FULL:
            continue
        networks = {FULL: full, name: registry.load(name)}
        for size, ev in e["evaluation"].items():
            count = int(ev["images"].split()[0])
            fresh = style_rows(networks, int(size), count)
            for style, row in fresh.items():
                for column in ev[style].values():
                    column.pop("teacher_mse", None)
                ev[style].update(row)
