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
runs that no longer fit are listed as skipped. Finished runs are kept in
``runs.jsonl``: the same command, rerun after a crash, Ctrl-C or a deadline
(with more seeds or variants, too), makes only the runs still missing.

For a valid *unseen art* column the augmenting network must not know the
paintings of that test set: e.g. augment with ``paintings4`` (trained on wave,
starry_night, abstract and shipwreck) and render unseen art with the other
two through ``paintings6``.

    KERAS_BACKEND=jax python research/cats_vs_dogs/recipe_study.py \\
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

from keras_style_aug.utils.images import save_figure

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


def variant_style(name, base):
    """The style settings of a variant: `base` with its overrides."""
    overrides = VARIANTS[name][1]
    return dict(
        base, **{k: v for k, v in overrides.items() if k not in ("styles", "random")}
    )


def variant_run(name, experiment, candidates, mapping):
    """`(method, style settings, class mapping)` of a variant."""
    method, overrides = VARIANTS[name]
    style = variant_style(name, experiment.style)
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


CURVES = ("accuracy", "val_accuracy")


def epoch_curves(model):
    """The run's per-epoch training and validation accuracy (paper mode), or
    None."""
    history = getattr(getattr(model, "history", None), "history", None) or {}
    if "val_accuracy" not in history:
        return None
    return {k: [round(float(v), 4) for v in history[k]] for k in CURVES}


def _mean_curves(rows):
    """`{(setting, variant): {curve: mean over seeds per epoch}}` of the
    rows that have curves."""
    found = {}
    for r in rows:
        if r.get("curves"):
            found.setdefault((r["setting"], r["method"]), []).append(r["curves"])
    return {
        key: {k: np.mean([c[k] for c in runs], axis=0) for k in CURVES}
        for key, runs in found.items()
    }


def fit_table(rows):
    """Did the runs converge? Mean accuracy on the (augmented) training
    photos and on the validation photos at the last epoch, and validation
    accuracy 5 epochs earlier: a variant still climbing was stopped early."""
    means = _mean_curves(rows)
    if not means:
        return ""
    lines = [
        "",
        "Last epoch, mean over seeds: training accuracy (on augmented photos), "
        "validation accuracy, and its change over the last 5 epochs "
        "(`learning_curves.png`):",
        "",
        "| setting | variant | epochs | training | validation | last 5 epochs |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for (setting, name), curve in means.items():
        train, val = curve["accuracy"], curve["val_accuracy"]
        back = val[-6] if len(val) > 5 else val[0]
        lines.append(
            f"| {setting} | {name} | {len(val)} | {100 * train[-1]:.1f} | "
            f"{100 * val[-1]:.1f} | {100 * (val[-1] - back):+.1f} |"
        )
    return "\n".join(lines)


def plot_curves(rows, path):
    """Validation (solid) and training (dashed) accuracy by epoch, mean over
    seeds, one panel per setting."""
    means = _mean_curves(rows)
    if not means:
        return
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    settings = list(dict.fromkeys(k[0] for k in means))
    fig, axes = plt.subplots(
        1, len(settings), figsize=(6 * len(settings), 4), squeeze=False
    )
    for ax, setting in zip(axes[0], settings):
        here = [(k[1], v) for k, v in means.items() if k[0] == setting]
        for i, (name, curve) in enumerate(here):
            color = f"C{i % 10}"
            epochs = np.arange(1, len(curve["val_accuracy"]) + 1)
            ax.plot(epochs, 100 * curve["val_accuracy"], color=color, label=name)
            ax.plot(epochs, 100 * curve["accuracy"], color=color, linestyle="--")
        ax.set_title(f"{setting}: validation (solid), training (dashed)")
        ax.set_xlabel("epoch")
        ax.set_ylabel("accuracy, %")
        ax.grid(alpha=0.3)
        ax.legend(fontsize=7)
    fig.tight_layout()
    save_figure(fig, path)


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
    log = rx.RunLog(output, args, {"style_files": rx.style_files(args)})
    styles_used = [
        variant_style(n, rx.style_settings(args))
        for n in args.variants
        if VARIANTS[n][0] in rx.STYLE_METHODS
    ]
    experiment, candidates, reference, mapping = rx.prepare(
        args, output, log.resumed, styles_used
    )
    settings = {
        "full": (experiment.train, args.epochs),
        f"small ({args.small_per_class}/class)": (
            experiment.train.per_class(args.small_per_class, seed=0),
            args.small_epochs,
        ),
    }
    runs = {n: variant_run(n, experiment, candidates, mapping) for n in args.variants}
    rows, skipped, longest = [], [], {}
    for row in log.rows.values():  # what a run takes, for the deadline
        longest[row["setting"]] = max(longest.get(row["setting"], 0), row["seconds"])
    for seed in range(args.seeds):
        for setting, (train, epochs) in settings.items():
            for name in args.variants:
                kept = log.get(setting, name, seed)
                if kept is not None:
                    rows.append(kept)
                    print(f"{setting:>16} | {name:>26} | seed {seed} | kept from "
                          "runs.jsonl", flush=True)  # fmt: skip
                    continue
                first = setting == "full" and name == "none" and seed == 0
                first = first and reference is not None  # trained already
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
                        method,
                        train,
                        seed,
                        classes,
                        candidates,
                        style,
                        reuse=name,
                        epochs=epochs,
                    )
                )
                curves = epoch_curves(model)
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
                        "epochs": epochs,
                        "style": {k: style[k] for k in ("rate", "strength", "mix")},
                        "accuracy": accuracy,
                        "validation": validation,
                        "curves": curves,
                        "seconds": round(seconds, 1),
                    }
                )
                log.add(rows[-1])
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
        f"Image size {args.image_size}, epochs {args.epochs} (small split "
        f"{args.small_epochs}), batch {args.batch_size}, Adam "
        f"{args.learning_rate}; train/val/test "
        f"{len(experiment.train)}/{len(experiment.val)}/{len(experiment.test)}; "
        f"styles {args.styles}; unseen art {args.unseen_art_styles}; default "
        f"style settings {experiment.style}; Grad-CAM chose {named}; "
        f"{keras.backend.backend()}; {(time.time() - start) / 60:.1f} min so far. "
        "Test accuracy in %, mean ± std over seeds."
    )
    rx.write_results(rows, output, header)
    extra = paired_table(rows, split="validation") + "\n" + paired_table(rows)
    extra += "\n" + paired_table(rows, columns=None)
    extra += "\n" + fit_table(rows) + "\n" + timing_table(rows)
    if skipped:
        extra += "\n\nSkipped at the deadline: " + "; ".join(skipped) + "\n"
    with open(output / "results.md", "a") as f:
        f.write(extra + "\n")
    (output / "skipped.json").write_text(json.dumps(skipped, indent=2) + "\n")
    plot_curves(rows, output / "learning_curves.png")


if __name__ == "__main__":
    main()
