"""examples/quickstart.py as a user runs it: it trains, and the classifier
it prints an accuracy for tells cats from dogs on photos it did not see."""

import re
import runpy
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).parents[2] / "examples" / "quickstart.py"


def test_quickstart_learns_cats_from_dogs(cat_dog_folder, vgg16_weights, capsys):
    module = runpy.run_path(str(SCRIPT))
    module["main"](
        ["--data-dir", str(cat_dog_folder), "--vgg16-weights", vgg16_weights]
    )
    printed = capsys.readouterr().out
    found = re.search(r"held-out accuracy ([\d.]+) on (\d+) photos", printed)
    assert found, printed[-2000:]
    # 24 photos; a head that learned nothing scores about 0.5 (measured 0.96).
    assert int(found.group(2)) == 24
    assert float(found.group(1)) >= 0.75


def test_quickstart_help_names_its_options():
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--help"], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "--data-dir" in result.stdout and "--vgg16-weights" in result.stdout
