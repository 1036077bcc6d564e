"""Scores the schedule check's networks beside the shipped lite one, as
multiples of `paintings6`'s held-out losses (RULE.md here).

    python research/results/blobs/distill_schedule_cpu/evaluate_arms.py 256 \\
        runs/schedule_D runs/schedule_A runs/schedule_B
    python research/results/blobs/distill_schedule_cpu/evaluate_arms.py 256 \\
        runs/schedule_A256 runs/schedule_B256
    python research/results/blobs/distill_schedule_cpu/evaluate_arms.py 128 \\
        runs/schedule_A runs/schedule_B
"""

import json
import sys
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[4]
sys.path.insert(0, str(REPO / "research" / "publishing"))

import republish  # noqa: E402

from keras_style_aug import styles as registry  # noqa: E402

IMAGES = 8


def load_networks(run_dirs, labels=None):
    """`paintings6`, the shipped lite network and each run's distilled one,
    by label (`labels[run name]`, else the run folder's name)."""
    networks = {
        "paintings6": registry.load("paintings6"),
        "shipped lite": registry.load("paintings6_lite"),
    }
    for run in map(Path, run_dirs):
        weights = run / "paintings6_lite_distilled" / "paintings6_lite.weights.h5"
        networks[(labels or {}).get(run.name, run.name)] = registry.load(weights)
    return networks


def main(size, run_dirs):
    networks = load_networks(run_dirs)
    rows = republish.style_rows(networks, size, IMAGES, "paintings6")
    ratios = {
        name: {
            style: {
                loss: row[name][loss] / row["paintings6"][loss]
                for loss in ("content", "style")
            }
            for style, row in rows.items()
        }
        for name in networks
        if name != "paintings6"
    }
    report = {
        "images": f"{IMAGES} BSDS500 test photos, {size} px",
        "ratios_to_paintings6": ratios,
        "rows": rows,
    }
    arms = "_".join(Path(run).name.removeprefix("schedule_") for run in run_dirs)
    out = Path(__file__).with_name(f"evaluation_{size}_{arms}.json")
    out.write_text(json.dumps(report, indent=2) + "\n")
    print(f"wrote {out}")
    print("| network | " + " | ".join(rows) + " | mean style | worst style |")
    print("| --- " * (len(rows) + 3) + "|")
    for name, by_style in ratios.items():
        style = [r["style"] for r in by_style.values()]
        cells = [f"{r['content']:.2f} / {r['style']:.2f}" for r in by_style.values()]
        print(
            f"| {name} | "
            + " | ".join(cells)
            + f" | {np.mean(style):.3f} | {max(style):.3f} |"
        )


if __name__ == "__main__":
    main(int(sys.argv[1]), sys.argv[2:])
