"""examples/quickstart.py as a user runs it: it trains, and the classifier
it prints an accuracy for tells cats from dogs on photos it did not see."""

import re
import runpy
from pathlib import Path

SCRIPT = Path(__file__).parents[2] / "examples" / "quickstart.py"


def test_quickstart_learns_cats_from_dogs(assets, capsys):
    runpy.run_path(str(SCRIPT), run_name="__main__")
    printed = capsys.readouterr().out
    found = re.search(r"held-out accuracy ([\d.]+) on (\d+) photos", printed)
    assert found, printed[-2000:]
    # 24 photos; a head that learned nothing scores about 0.5 (measured 0.96).
    assert int(found.group(2)) == 24
    assert float(found.group(1)) >= 0.75
