"""The real install: the wheel carries the shipped styles and paintings, and a copy
installed outside the repository loads each of them, sha256 checked, with no
network access."""

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

CHECK = """
import json, sys
import numpy as np
import keras_style_aug
from keras_style_aug import styles
from keras_style_aug.styles import registry
assert keras_style_aug.__file__.startswith(sys.argv[1]), keras_style_aug.__file__
folder = registry._bundled_weights_dir()
assert str(folder).startswith(sys.argv[1]), folder
x = np.random.default_rng(0).uniform(0, 255, (1, 16, 16, 3)).astype("float32")
report = {}
for name, entry in styles.manifest()["styles"].items():
    net = styles.load(name)  # checks the sha256 against the manifest
    style = {"style": net.style_names[0]} if net.style_names else {}
    change = float(np.abs(np.asarray(net(x, **style)) - x).mean())
    files = [entry["file"]] if "file" in entry else []
    report[name] = {"sha256": [registry.sha256(folder / f) for f in files],
                    "change": change}
from PIL import Image
for name in styles.paintings():  # the six paintings ship too
    path = styles.painting_path(name)
    assert str(path).startswith(sys.argv[1]), path
    report["painting " + name] = Image.open(path).size
print(json.dumps(report))
"""


def test_wheel_installed_elsewhere_loads_every_shipped_style(tmp_path):
    wheels = tmp_path / "wheels"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(wheels),
            str(REPO),
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    (wheel,) = wheels.glob("keras_style_aug-*.whl")
    target = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--no-deps",
            "-q",
            "--target",
            str(target),
            str(wheel),
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    env = {
        "PYTHONPATH": str(target),
        "KERAS_HOME": str(tmp_path / "home"),
        "KSA_WEIGHTS_URL": "http://127.0.0.1:9/",
        "PATH": "/usr/bin:/bin",
        "TF_CPP_MIN_LOG_LEVEL": "3",
    }
    result = subprocess.run(
        [sys.executable, "-c", CHECK, str(target)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    manifest = json.loads((REPO / "weights" / "manifest.json").read_text())
    paintings = {k: v for k, v in report.items() if k.startswith("painting ")}
    assert len(paintings) == 6 and all(min(v) > 500 for v in paintings.values())
    report = {k: v for k, v in report.items() if k not in paintings}
    assert set(report) == set(manifest["styles"])
    for name, entry in manifest["styles"].items():
        shipped = [entry["sha256"]] if "file" in entry else []
        assert report[name]["sha256"] == shipped, name
        assert report[name]["change"] > 1, name
    assert not (tmp_path / "home" / "keras_style_aug").exists()  # no download
