"""The recipe study: its schedule (seed by seed, deadline) with a stand-in
experiment, and end to end at toy size under JAX with TensorFlow blocked."""

import importlib.util
import json
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

from research.robustness import CORRUPTIONS
from research.robustness import RENDERINGS
from tests.research.no_tensorflow import run_without_tensorflow

# The experiment fine-tunes the ImageNet VGG-16: skipped, saying how to run
# it, where its weights are neither local nor allowed to download.
pytestmark = pytest.mark.usefixtures("vgg16_weights")

FOLDER = Path(__file__).parents[2] / "research" / "cats_vs_dogs"
SCRIPT = FOLDER / "recipe_study.py"


def load_script(monkeypatch):
    monkeypatch.syspath_prepend(str(FOLDER))  # it imports run_experiment
    spec = importlib.util.spec_from_file_location("recipe_study", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class StandIn:
    """An experiment that records its runs instead of training."""

    def __init__(self):
        self.style = {"rate": 0.5, "strength": 1.0, "mix": 0.0}
        self.class_names = ["cat", "dog"]
        self.train = _Split(12)
        self.val, self.test = _Split(4), _Split(4)
        self.runs = []

    def fit(self, method, train, seed, mapping, networks, style, reuse, epochs):
        self.runs.append((method, len(train), seed, mapping, style, reuse))
        return _Trained(epochs)

    def evaluate(self, model, splits=("test",)):
        names = ["clean", *CORRUPTIONS, *RENDERINGS]
        names += ["corruptions (mean)", "renderings (mean)"]
        # Validation and test gains differ: +1 and +2 points per run.
        step = {"test": 0.02, "validation": 0.01}
        return {
            split: {name: 0.5 + step[split] * len(self.runs) for name in names}
            for split in splits
        }


class _Trained:
    """A model with Keras's per-epoch history: training accuracy rising
    from 50 to 90%, validation from 60 to 80%."""

    def __init__(self, epochs):
        history = {
            "accuracy": np.linspace(0.5, 0.9, epochs).tolist(),
            "val_accuracy": np.linspace(0.6, 0.8, epochs).tolist(),
        }
        self.history = SimpleNamespace(history=history)


class _Split:
    def __init__(self, n):
        self.n = n

    def __len__(self):
        return self.n

    def per_class(self, count, seed):
        return _Split(2 * count)


def run_with_stand_in(tmp_path, monkeypatch, *extra, experiment=None):
    study = load_script(monkeypatch)
    experiment = experiment or StandIn()
    net = SimpleNamespace(style_names=["wave", "udnie"], name="p")

    def prepare(args, output, resume=False, styles_used=None):
        # As run_experiment.prepare: resuming, the reference is not trained.
        reference = None if resume else "reference"
        return experiment, [net], reference, {0: "wave", 1: "udnie"}

    monkeypatch.setattr(study.rx, "prepare", prepare)
    rows = study.main(
        ["--output", str(tmp_path), "--seeds", "2", "--small-per-class", "1", *extra]
    )
    return study, experiment, rows


def test_runs_go_seed_by_seed_with_each_variants_settings(tmp_path, monkeypatch):
    variants = ["none", "style rate 0.25", "style, 1 painting", "style + flip mix 0.5"]
    study, experiment, rows = run_with_stand_in(
        tmp_path, monkeypatch, "--variants", *variants
    )
    order = [(r["seed"], r["setting"], r["method"]) for r in rows]
    expected = [
        (seed, setting, name)
        for seed in (0, 1)
        for setting in ("full", "small (1/class)")
        for name in variants
    ]
    assert order == expected
    # The reference (full, none, seed 0) is not trained again.
    assert len(experiment.runs) == len(expected) - 1
    by_name = {run[5]: run for run in experiment.runs}
    assert by_name["style rate 0.25"][4]["rate"] == 0.25
    method, _, _, mapping, style, _ = by_name["style, 1 painting"]
    assert method == "style (on the fly)" and mapping == {0: ["wave"], 1: ["wave"]}
    assert style["rate"] == 0.5
    method, _, _, _, style, _ = by_name["style + flip mix 0.5"]
    assert method == "style + flip" and style["mix"] == 0.5 and style["rate"] == 0.5
    assert "| full | style rate 0.25 |" in (tmp_path / "results.md").read_text()


def test_gains_are_paired_by_seed(tmp_path, monkeypatch):
    study, _, rows = run_with_stand_in(
        tmp_path, monkeypatch, "--variants", "none", "style"
    )
    clean = {
        (r["setting"], r["method"], r["seed"]): r["accuracy"]["clean"] for r in rows
    }
    gains = [
        100 * (clean["full", "style", s] - clean["full", "none", s]) for s in (0, 1)
    ]
    line = next(
        x
        for x in study.paired_table(rows).splitlines()
        if x.startswith("| full | style |")
    )
    cells = [c.strip() for c in line.strip("|").split("|")]
    assert cells[2] == "2"  # seeds
    mean, std = (float(v) for v in cells[3].split(" ± "))
    assert mean == pytest.approx(sum(gains) / 2, abs=0.05)
    assert std == pytest.approx(abs(gains[0] - gains[1]) / 2**0.5, abs=0.05)
    assert "| none |" not in study.paired_table(rows)
    assert "paired by seed" in (tmp_path / "results.md").read_text()
    # Test set by test set: every one, no means.
    table = study.paired_table(rows, columns=None).splitlines()
    head = [c.strip() for c in table[3].strip("|").split("|")]
    assert head[3:] == ["clean", *CORRUPTIONS, *RENDERINGS]
    line = next(x for x in table if x.startswith("| full | style |"))
    cells = [c.strip() for c in line.strip("|").split("|")]
    assert len(cells) == len(head)
    assert float(cells[4].split(" ± ")[0]) == pytest.approx(sum(gains) / 2, abs=0.05)


def test_validation_gains_come_first_and_from_the_validation_split(
    tmp_path, monkeypatch
):
    study, _, rows = run_with_stand_in(
        tmp_path, monkeypatch, "--variants", "none", "style"
    )
    assert all(set(r["validation"]) == set(r["accuracy"]) for r in rows)

    def clean_gain(split):
        table = study.paired_table(rows, split=split)
        line = next(x for x in table.splitlines() if x.startswith("| full | style |"))
        return float(line.strip("|").split("|")[3].split(" ± ")[0])

    def clean(key, method, seed):
        (row,) = [
            r
            for r in rows
            if (r["setting"], r["method"], r["seed"]) == ("full", method, seed)
        ]
        return row[key]["clean"]

    for split, key in (("test", "accuracy"), ("validation", "validation")):
        gains = [100 * (clean(key, "style", s) - clean(key, "none", s)) for s in (0, 1)]
        assert clean_gain(split) == pytest.approx(sum(gains) / 2, abs=0.05)
    assert clean_gain("validation") == pytest.approx(clean_gain("test") / 2, abs=0.05)
    text = (tmp_path / "results.md").read_text()
    assert text.index("on the validation split") < text.index("on the test split")
    # Rows written before validation was recorded: an empty table, no error.
    old = [{k: v for k, v in r.items() if k != "validation"} for r in rows]
    assert "| full |" not in study.paired_table(old, split="validation")


def test_offline_copies_with_random_styles_and_a_flip(tmp_path, monkeypatch):
    _, experiment, _ = run_with_stand_in(
        tmp_path,
        monkeypatch,
        "--variants",
        "style offline 2x",
        "style offline 2x + flip, random styles",
    )
    by_name = {run[5]: run for run in experiment.runs}
    method, _, _, mapping, style, _ = by_name["style offline 2x"]
    assert method == "style (offline 2x)" and mapping == {0: "wave", 1: "udnie"}
    method, _, _, mapping, style, _ = by_name["style offline 2x + flip, random styles"]
    assert method == "style (offline 2x) + flip" and mapping is None
    assert "random" not in style  # not a layer argument


def test_a_deadline_skips_runs_and_lists_them(tmp_path, monkeypatch):
    _, experiment, rows = run_with_stand_in(
        tmp_path, monkeypatch, "--variants", "none", "style", "--deadline-min", "0"
    )
    assert [(r["setting"], r["method"]) for r in rows] == [("full", "none")]
    skipped = json.loads((tmp_path / "skipped.json").read_text())
    assert len(skipped) == 7 and "full / style / seed 0" in skipped
    assert experiment.runs == []
    assert "Skipped at the deadline" in (tmp_path / "results.md").read_text()


class _Interrupted(StandIn):
    """Ctrl-C during its third training run."""

    def fit(self, *args, **kwargs):
        if len(self.runs) == 2:
            raise KeyboardInterrupt
        return super().fit(*args, **kwargs)


def test_a_rerun_makes_only_the_runs_still_missing(tmp_path, monkeypatch):
    study = ("--variants", "none", "style")
    # A first try that stopped before its first run (e.g. a wrong data
    # folder) does not tie the folder to its settings.
    script = load_script(monkeypatch)
    script.rx.RunLog(tmp_path, script.parse_args(["--epochs", "99"]))
    with pytest.raises(KeyboardInterrupt):
        run_with_stand_in(tmp_path, monkeypatch, *study, experiment=_Interrupted())
    log = tmp_path / "runs.jsonl"
    kept = [json.loads(line) for line in log.read_text().splitlines()]
    # Seed 0: the reference (trained by prepare), full / style, small / none.
    assert [(r["setting"], r["method"]) for r in kept] == [
        ("full", "none"), ("full", "style"), ("small (1/class)", "none"),
    ]  # fmt: skip
    with open(log, "a") as f:
        f.write('{"setting": "small (1/cl')  # a line cut by a crash
    experiment = StandIn()
    _, _, rows = run_with_stand_in(tmp_path, monkeypatch, *study, experiment=experiment)
    assert rows[:3] == kept
    assert [(run[2], run[5]) for run in experiment.runs] == [
        (0, "style"), (1, "none"), (1, "style"), (1, "none"), (1, "style"),
    ]  # fmt: skip
    assert len(log.read_text().splitlines()) == 8
    assert json.loads((tmp_path / "results.json").read_text()) == rows
    # A third seed: its four runs only. Other settings: refused.
    experiment = StandIn()
    run_with_stand_in(
        tmp_path, monkeypatch, *study, "--seeds", "3", experiment=experiment
    )
    assert [run[2] for run in experiment.runs] == [2, 2, 2, 2]
    with pytest.raises(SystemExit, match="other settings.*epochs: 30 then, 5 now"):
        run_with_stand_in(tmp_path, monkeypatch, *study, "--epochs", "5")


def test_the_small_split_trains_its_own_epochs_and_the_curves_are_kept(
    tmp_path, monkeypatch
):
    study, _, rows = run_with_stand_in(
        tmp_path,
        monkeypatch,
        "--variants", "none", "style",
        "--epochs", "3", "--small-epochs", "7",
    )  # fmt: skip
    for row in rows:
        assert row["epochs"] == (3 if row["setting"] == "full" else 7)
        if row["curves"] is not None:  # not the reference, trained by prepare
            assert len(row["curves"]["val_accuracy"]) == row["epochs"]
    assert [r["curves"] is None for r in rows].count(True) == 1
    table = study.fit_table(rows).splitlines()
    line = next(x for x in table if x.startswith("| small (1/class) | style |"))
    cells = [c.strip() for c in line.strip("|").split("|")]
    # 7 epochs; last training 90%, validation 80%, 5 epochs earlier 63.3%.
    assert cells[2:] == ["7", "90.0", "80.0", "+16.7"]
    assert "| full | none | 3 |" in "\n".join(table)  # seed 1's run alone
    text = (tmp_path / "results.md").read_text()
    assert "Last epoch, mean over seeds" in text
    assert (tmp_path / "learning_curves.png").stat().st_size > 10_000


def test_quick_mode_is_refused(monkeypatch):
    study = load_script(monkeypatch)
    with pytest.raises(SystemExit, match="drop --quick"):
        study.parse_args(["--quick"])


def test_toy_study_under_jax_without_tensorflow(tmp_path, cat_dog_folder, make_net):
    """Paper mode of the experiment (``run_experiment.Experiment``: the
    Grad-CAM reference, class styles through ``LabelAwareClassifier``, the
    test and validation sets) under JAX where TensorFlow cannot import, as on
    the lent GPU machines; ``run_experiment.py``'s own loop is tested in
    ``test_cats_vs_dogs.py``."""
    pytest.importorskip("jax")
    styles = []
    for i, name in enumerate(["toyA", "toyB"]):
        path = tmp_path / f"{name}.weights.h5"
        make_net(name, seed=i).save_weights(path)
        styles.append(str(path))
    out = tmp_path / "out"
    args = [
        "--image-size", "32", "--epochs", "1", "--seeds", "2",
        "--small-per-class", "3", "--select-per-class", "1",
        "--limit-per-class", "6", "--batch-size", "4",
        "--data-dir", str(cat_dog_folder),
        "--variants", "style, 1 painting", "--small-epochs", "2",
        "--output", str(out), "--styles", *styles,
    ]  # fmt: skip
    result = run_without_tensorflow(SCRIPT, args, tmp_path / "jax_cache")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    rows = json.loads((out / "results.json").read_text())
    assert len(rows) == 4  # 2 seeds x 2 settings; the second seed reuses
    assert {r["method"] for r in rows} == {"style, 1 painting"}
    for row in rows:  # Keras's own per-epoch history, 1 epoch full, 2 small
        assert len(row["curves"]["accuracy"]) == row["epochs"]
    assert {r["epochs"] for r in rows} == {1, 2}
    assert all(0 <= r["accuracy"]["unseen art"] <= 1 for r in rows)
    assert all(0 <= r["validation"]["unseen art"] <= 1 for r in rows)
    table = (out / "results.md").read_text()
    assert "; jax;" in table  # the backend it ran on
    assert "| small (3/class) | style, 1 painting |" in table
    assert (out / "results.png").stat().st_size > 10_000
