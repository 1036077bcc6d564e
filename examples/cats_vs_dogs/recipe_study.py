"""Recipe study: which `RandomStyleTransfer` settings make the improved VGG-16
better, fine-tuned as in the paper, under any backend (JAX on a lent GPU).

Each *variant* is a method of ``run_experiment.py`` (beside this script) with
its style settings: rate, strength range, mix, how many styles, Grad-CAM's
styles per class against random ones, with a flip, the paper's offline 2x
copy, and the baselines. Runs go seed by seed (every variant's seed 0 first),
each on the full training split and on ``--small-per-class`` photos per class;
the runs of one variant share one compiled model, reset to fresh weights each
time. Every run is evaluated on the test sets and on the same shifts of the
validation split: choose a recipe by the validation table (``results.md``
puts it first), then read its gains on the test split. The tables are
rewritten after every run (``results.md``, ``results.json``,
``results.png``), so ``--deadline-min`` stops with complete, if fewer, rows;
runs that no longer fit are listed as skipped.

For a valid *unseen art* column the augmenting network must not know the
paintings of that test set: e.g. augment with ``paintings4`` (trained on wave,
starry_night, abstract and shipwreck) and render unseen art with the other
two through ``paintings6``.

    KERAS_BACKEND=jax python examples/cats_vs_dogs/recipe_study.py \\
        --data-dir $KSA_ASSETS/cats_vs_dogs/train --styles paintings4 \\
        --unseen-art-styles paintings6:the_scream paintings6:udnie \\
        --image-size 160 --epochs 15 --batch-size 32 --learning-rate 1e-5 \\
        --seeds 3 --deadline-min 8 --output outputs/recipe_study

Other options are those of ``run_experiment.py`` (``--quick`` excepted).
"""

import argparse
import json
import time
from pathlib import Path

import keras
import numpy as np
import run_experiment as rx

# name -> (method of run_experiment.py, overrides of its style settings);
# "styles": k restricts the styles to the first k candidates, for any class;
# "random": any style for any image, not Grad-CAM's per class.
VARIANTS = {
    "none": ("none", {}),
    "flip": ("flip", {}),
    "style": ("style (random)", {}),
    "style rate 0.25": ("style (random)", {"rate": 0.25}),
    "style rate 1": ("style (random)", {"rate": 1.0}),
    "style strength 0.5-1": ("style (random)", {"strength": (0.5, 1.0)}),
    "style mix 0.5": ("style (random)", {"mix": 0.5}),
    "style, 1 painting": ("style (on the fly)", {"styles": 1}),
    "style, Grad-CAM per class": ("style (on the fly)", {}),
    "style + flip": ("style + flip", {}),
    "style + flip rate 0.25": ("style + flip", {"rate": 0.25}),
    "style + flip strength 0.5-1": ("style + flip", {"strength": (0.5, 1.0)}),
    "style + flip mix 0.5": ("style + flip", {"mix": 0.5}),
    "style + flip rate 0.25 strength 0.5-1": (
        "style + flip",
        {"rate": 0.25, "strength": (0.5, 1.0)},
    ),
    "style offline 2x": ("style (offline 2x)", {}),
    "style offline 2x, random styles": ("style (offline 2x)", {"random": True}),
    "style offline 2x + flip, random styles": (
        "style (offline 2x) + flip",
        {"random": True},
    ),
    "pan+crop": ("pan+crop", {}),
}


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0], add_help=False)
    p.add_argument(
        "--variants", nargs="+", default=list(VARIANTS), choices=list(VARIANTS)
    )
    p.add_argument(
        "--deadline-min",
        type=float,
        default=None,
        help="start no run that would end after this many minutes",
    )
    own, rest = p.parse_known_args(argv)
    if "--quick" in rest:
        raise SystemExit("recipe_study.py fine-tunes (paper mode): drop --quick.")
    args = rx.parse_args(rest)
    args.variants, args.deadline_min = own.variants, own.deadline_min
    return args


def style_names(networks):
    return [s for n in networks for s in (n.style_names or [n.name])]


def variant_run(name, experiment, candidates, mapping):
    """`(method, style settings, class mapping)` of a variant."""
    method, overrides = VARIANTS[name]
    style = dict(experiment.style)
    style.update({k: v for k, v in overrides.items() if k not in ("styles", "random")})
    if overrides.get("random"):
        mapping = None
    if "styles" in overrides:
        chosen = style_names(candidates)[: overrides["styles"]]
        classes = range(len(experiment.class_names))
        mapping = {c: list(chosen) for c in classes}
    return method, style, mapping


def timing_table(rows):
    """Seconds per run by variant and setting: the first run (compiling)
    and the median of the others."""
    lines = ["", "| setting | variant | first run, s | later runs, s (median) |"]
    lines.append("| --- | --- | --- | --- |")
    for key in dict.fromkeys((r["setting"], r["method"]) for r in rows):
        seconds = [r["seconds"] for r in rows if (r["setting"], r["method"]) == key]
        later = f"{np.median(seconds[1:]):.1f}" if len(seconds) > 1 else "-"
        lines.append(f"| {key[0]} | {key[1]} | {seconds[0]:.1f} | {later} |")
    return "\n".join(lines)


PAIRED_COLUMNS = ("clean", "corruptions (mean)", "renderings (mean)", rx.UNSEEN_ART)


def paired_table(rows, baseline="none", columns=PAIRED_COLUMNS, split="test"):
    """Points gained over ``baseline`` by variant and setting, paired by seed
    (each run minus the baseline's run of the same seed): mean ± std, for
    ``columns`` (test sets; ``None``: every test set, one by one), on the
    ``split`` ("test", or "validation": the same shifts of the validation
    photos, to choose a recipe by; rows without it are left out)."""
    key = {"test": "accuracy", "validation": "validation"}[split]
    rows = [r for r in rows if key in r]
    reference = {
        (r["setting"], r["seed"]): r[key] for r in rows if r["method"] == baseline
    }
    found = list(rows[0][key]) if rows else []
    if columns is None:
        columns = [c for c in found if "(mean)" not in c]
    columns = [c for c in columns if c in found]
    head = " | ".join(columns)
    lines = [
        "",
        f"Difference from `{baseline}` in points on the {split} split, paired "
        "by seed, mean ± std:",
    ]
    lines += ["", f"| setting | variant | seeds | {head} |"]
    lines.append("| --- " * (3 + len(columns)) + "|")
    for setting, name in dict.fromkeys((r["setting"], r["method"]) for r in rows):
        if name == baseline:
            continue
        paired = [
            (r[key], reference[setting, r["seed"]])
            for r in rows
            if (r["setting"], r["method"]) == (setting, name)
            and (setting, r["seed"]) in reference
        ]
        if not paired:
            continue
        cells = []
        for column in columns:
            d = 100 * np.array([a[column] - b[column] for a, b in paired])
            spread = f" ± {d.std(ddof=1):.1f}" if len(d) > 1 else ""
            cells.append(f"{d.mean():+.1f}{spread}")
        lines.append(
            f"| {setting} | {name} | {len(paired)} | " + " | ".join(cells) + " |"
        )
    return "\n".join(lines)


def main(argv=None):
    args = parse_args(argv)
    output = Path(args.output)
    output.mkdir(parents=True, exist_ok=True)
    start = time.time()
    deadline = None if args.deadline_min is None else start + args.deadline_min * 60
    experiment, candidates, reference, mapping = rx.prepare(args, output)
    settings = {
        "full": experiment.train,
        f"small ({args.small_per_class}/class)": experiment.train.per_class(
            args.small_per_class, seed=0
        ),
    }
    runs = {n: variant_run(n, experiment, candidates, mapping) for n in args.variants}
    rows, skipped, longest = [], [], {}
    for seed in range(args.seeds):
        for setting, train in settings.items():
            for name in args.variants:
                first = setting == "full" and name == "none" and seed == 0
                expected = longest.get(setting, 0.0)
                if deadline and time.time() + expected > deadline and not first:
                    skipped.append(f"{setting} / {name} / seed {seed}")
                    continue
                t = time.time()
                method, style, classes = runs[name]
                model = (
                    reference
                    if first
                    else experiment.fit(
                        method, train, seed, classes, candidates, style, reuse=name
                    )
                )
                scores = experiment.evaluate(model, splits=("test", "validation"))
                accuracy, validation = scores["test"], scores["validation"]
                seconds = time.time() - t
                longest[setting] = max(longest.get(setting, 0.0), seconds)
                rows.append(
                    {
                        "setting": setting,
                        "method": name,
                        "seed": seed,
                        "train_images": len(train),
                        "style": {k: style[k] for k in ("rate", "strength", "mix")},
                        "accuracy": accuracy,
                        "validation": validation,
                        "seconds": round(seconds, 1),
                    }
                )
                print(
                    f"{setting:>16} | {name:>26} | seed {seed} | "
                    + " | ".join(
                        f"{k} {v:.3f}"
                        for k, v in accuracy.items()
                        if k in ("clean", "corruptions (mean)", rx.UNSEEN_ART)
                    )
                    + f" | {seconds:.0f} s",
                    flush=True,
                )
                write(rows, skipped, args, experiment, mapping, output, start)
    if skipped:  # those after the last run
        write(rows, skipped, args, experiment, mapping, output, start)
    return rows


def write(rows, skipped, args, experiment, mapping, output, start):
    named = {experiment.class_names[c]: s for c, s in mapping.items()}
    header = (
        "# Recipe study, cats vs dogs, paper mode (full fine-tuning)\n\n"
        f"Image size {args.image_size}, epochs {args.epochs}, batch "
        f"{args.batch_size}, Adam {args.learning_rate}; train/val/test "
        f"{len(experiment.train)}/{len(experiment.val)}/{len(experiment.test)}; "
        f"styles {args.styles}; unseen art {args.unseen_art_styles}; default "
        f"style settings {experiment.style}; Grad-CAM chose {named}; "
        f"{keras.backend.backend()}; {(time.time() - start) / 60:.1f} min so far. "
        "Test accuracy in %, mean ± std over seeds."
    )
    rx.write_results(rows, output, header)
    extra = paired_table(rows, split="validation") + "\n" + paired_table(rows)
    extra += "\n" + paired_table(rows, columns=None)
    extra += "\n" + timing_table(rows)
    if skipped:
        extra += "\n\nSkipped at the deadline: " + "; ".join(skipped) + "\n"
    with open(output / "results.md", "a") as f:
        f.write(extra + "\n")
    (output / "skipped.json").write_text(json.dumps(skipped, indent=2) + "\n")


if __name__ == "__main__":
    main()
