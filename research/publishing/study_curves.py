"""Learning curves of a recipe study that ran before its rows kept them:
reads the per-epoch lines of Keras's log (``study.log``, ``verbose=2``),
gives each run's curves to ``recipe_study.py``'s own table and figure, and
writes ``learning_curves.png`` beside the log; prints the table.

    python research/publishing/study_curves.py research/results/cats_vs_dogs_gpu_search
"""

import re
import sys
from pathlib import Path

STUDY = Path(__file__).resolve().parents[2] / "research" / "cats_vs_dogs"
sys.path.insert(0, str(STUDY))

import recipe_study  # noqa: E402

EPOCH = re.compile(r" - accuracy: ([\d.]+) .* - val_accuracy: ([\d.]+)")
# A finished run, as recipe_study.py prints it: "setting | variant | seed N | ..."
RUN = re.compile(r"^\s*(.+?) \|\s+(.+?) \| seed (\d+) \| clean")


def _no_epochs():
    return {name: [] for name in recipe_study.CURVES}


def runs_from_log(text):
    """Rows `{setting, method, seed, curves}`, one per finished run, with
    the epochs logged since the run before."""
    rows, curves = [], _no_epochs()
    for line in text.splitlines():
        epoch = EPOCH.search(line)
        if epoch:  # its groups in the order of recipe_study.CURVES
            for name, value in zip(recipe_study.CURVES, epoch.groups()):
                curves[name].append(float(value))
            continue
        run = RUN.match(line)
        if run:
            setting, method, seed = run.groups()
            rows.append(
                {
                    "setting": setting,
                    "method": method,
                    "seed": int(seed),
                    "curves": curves if curves["accuracy"] else None,
                }
            )
            curves = _no_epochs()
    return rows


def main(argv=None):
    folder = Path((argv or sys.argv[1:])[0])
    rows = runs_from_log((folder / "study.log").read_text())
    if not rows:
        raise SystemExit(f"No finished runs in {folder / 'study.log'}.")
    recipe_study.plot_curves(rows, folder / "learning_curves.png")
    print(recipe_study.fit_table(rows))
    return rows


if __name__ == "__main__":
    main()
