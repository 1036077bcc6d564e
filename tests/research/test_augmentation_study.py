"""The augmentation study's harness on stand-in features: how an epoch draws
its copies (rates, warm-up, ramp), runs appended and skipped on a rerun, and
the report's tables and targets."""

import json
import sys
from pathlib import Path

import numpy as np
import pytest

HERE = Path(__file__).resolve().parents[2] / "research" / "augmentation_study"
sys.path.insert(0, str(HERE))
study = pytest.importorskip("study")

DIM = 8


def fake_cache(root, per_class=40):
    """Features whose first column says the class; each pool marks its
    copies in the second column (pool number), so draws can be traced."""
    cache = root / "96px"
    (cache / "pools").mkdir(parents=True)
    rng = np.random.default_rng(0)
    labels = np.repeat([0, 1], per_class)
    np.save(cache / "train_labels.npy", labels)
    base = rng.normal(size=(len(labels), DIM)).astype("float16")
    base[:, 0] = labels * 3
    base[:, 1] = 0
    np.save(cache / "pools" / "none.npy", base)
    flipped = base.copy()
    flipped[:, 1] = 1
    np.save(cache / "pools" / "flipped.npy", flipped)
    for k, pool in enumerate(study.POOLS, start=2):
        (cache / "pools" / pool).mkdir()
        for c in range(2):
            x = base.copy()
            x[:, 1] = k
            np.save(cache / "pools" / pool / f"copy{c}.npy", x)
    for split, n in (("test", 20), ("val", 10)):
        y = np.repeat([0, 1], n // 2)
        np.save(cache / f"{split}_labels.npy", y)
        for name in study.TEST_SETS:
            k = 5 if name == "corruptions" else 1
            x = rng.normal(size=(n * k, DIM)).astype("float16")
            x[:, 0] = np.tile(y, k) * 3
            np.save(cache / f"{split}_{name}.npy", x)
    return cache


def styled_share(pools, method, epoch, epochs=9):
    rng = np.random.default_rng(0)
    x = pools.draw(method, np.arange(80), epoch, epochs, rng)
    style = 2 + list(study.POOLS).index("style")
    assert set(np.unique(x[:, 1])) <= {0, 1, style}
    return np.mean(x[:, 1] == style)


def test_draws_apply_rates_warm_up_and_ramp(tmp_path):
    pools = study.Pools(fake_cache(tmp_path), copies=2)
    shares = [styled_share(pools, "recipe (style 0.25)", e) for e in range(9)]
    assert 0.15 < np.mean(shares) < 0.35
    assert styled_share(pools, "recipe, warm-up", 0) == 0  # first third: none
    assert styled_share(pools, "recipe, warm-up", 5) > 0.1
    assert styled_share(pools, "recipe, ramp", 0) == 0
    assert styled_share(pools, "recipe, ramp", 8) > 0.1
    none = pools.draw("none", np.arange(80), 0, 9, np.random.default_rng(0))
    assert (none[:, 1] == 0).all()
    flip = pools.draw("flip", np.arange(80), 0, 9, np.random.default_rng(0))
    assert 0.3 < np.mean(flip[:, 1] == 1) < 0.7


def test_runs_are_appended_skipped_and_reported(tmp_path, capsys):
    fake_cache(tmp_path / "cache")
    out = tmp_path / "out"
    argv = ["--cache", str(tmp_path / "cache"), "--output", str(out)]
    argv += ["--sizes", "10", "--seeds", "2", "--epochs", "2"]
    argv += ["--methods", "none", "flip", "recipe (style 0.25)"]
    study.main(["train", *argv])
    rows = [json.loads(line) for line in (out / "runs.jsonl").read_text().splitlines()]
    assert len(rows) == 6 and {r["per_class"] for r in rows} == {10}
    assert all(len(r["accuracy"]) == 2 * len(study.TEST_SETS) for r in rows)
    study.main(["train", *argv])  # nothing left to make
    assert len((out / "runs.jsonl").read_text().splitlines()) == 6
    study.main(["report", *argv])
    text = (out / "results.md").read_text()
    assert "### 10 photos per class (2 seeds)" in text
    assert "| recipe (style 0.25) |" in text and (out / "results.png").exists()
