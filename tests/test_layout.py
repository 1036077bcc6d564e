"""Product and research apart: the package a user installs never reaches
into the repository's research tree or the test assets."""

import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "keras_style_aug"
FORBIDDEN = re.compile(r"\bresearch[/.]|\bresults/|\btools/|KSA_ASSETS")


def test_the_package_never_names_research_results_tools_or_the_assets():
    found = [
        f"{path.relative_to(PACKAGE)}:{number}: {line.strip()}"
        for path in sorted(PACKAGE.rglob("*.py"))
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if FORBIDDEN.search(line)
    ]
    assert not found, "\n".join(found)


def test_no_package_module_is_over_350_lines():
    sizes = {
        str(path.relative_to(PACKAGE)): len(path.read_text().splitlines())
        for path in PACKAGE.rglob("*.py")
    }
    assert not {k: v for k, v in sizes.items() if v > 350}
