"""research/publishing/study_curves.py: the runs and their epochs read back
from a recipe study's log."""

import importlib.util
from pathlib import Path

ROOT = Path(__file__).parents[2]

LOG = """Epoch 1/2
38/38 - 19s - 488ms/step - accuracy: 0.6373 - loss: 3.5118 - val_accuracy: 0.8025 - val_loss: 0.7901
Epoch 2/2
38/38 - 0s - 10ms/step - accuracy: 0.8128 - loss: 0.9478 - val_accuracy: 0.8675 - val_loss: 0.4134
Grad-CAM chose: {'cat': 'shipwreck', 'dog': 'shipwreck'}
            full |                       none | seed 0 | clean 0.958 | unseen art 0.700 | 2 s
Epoch 1/1
7/7 - 0s - 12ms/step - accuracy: 0.5000 - loss: 1.0 - val_accuracy: 0.7000 - val_loss: 0.5
small (100/class) |      style, 1 painting | seed 1 | clean 0.875 | unseen art 0.800 | 3 s
"""  # noqa: E501


def test_runs_and_their_epochs_from_a_log(monkeypatch, tmp_path):
    monkeypatch.syspath_prepend(str(ROOT / "research" / "cats_vs_dogs"))
    path = ROOT / "research" / "publishing" / "study_curves.py"
    spec = importlib.util.spec_from_file_location("study_curves", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    rows = module.runs_from_log(LOG)
    assert [(r["setting"], r["method"], r["seed"]) for r in rows] == [
        ("full", "none", 0),
        ("small (100/class)", "style, 1 painting", 1),
    ]
    assert rows[0]["curves"] == {
        "accuracy": [0.6373, 0.8128],
        "val_accuracy": [0.8025, 0.8675],
    }
    assert rows[1]["curves"]["val_accuracy"] == [0.7]
    (tmp_path / "study.log").write_text(LOG)
    module.main([str(tmp_path)])
    assert (tmp_path / "learning_curves.png").stat().st_size > 10_000
