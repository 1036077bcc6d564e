import importlib.util
from pathlib import Path

import pytest

from tests.research.refusals import assert_refused_first

SCRIPT = Path(__file__).parents[2] / "research" / "layer_study.py"


def load_script():
    spec = importlib.util.spec_from_file_location("layer_study", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_layer_study_runs_at_toy_scale(tmp_path, assets):
    table = load_script().main(
        [
            "--steps",
            "2",
            "--image-size",
            "32",
            "--content-limit",
            "8",
            "--configs",
            "fig5 pixelated",
            "--output",
            str(tmp_path),
        ]
    )
    assert [r["config"] for r in table] == ["fig5 pixelated"]
    assert all(r["common_content"] > 0 and r["common_style"] > 0 for r in table)
    assert (
        "| fig5 pixelated | conv5_3 | conv1_2, conv2_2 |"
        in (tmp_path / "layer_study.md").read_text()
    )
    assert (tmp_path / "layer_study.png").stat().st_size > 5_000


@pytest.mark.parametrize(
    "argument, value, problem",
    [
        # 8 px failed inside VGG-19's pooling for the conv5 configs; no
        # content photo said "No readable images" of a folder full of them.
        ("--image-size", "8", ">= 16 (VGG-19's conv5 layers need 16x16)"),
        ("--content-limit", "0", ">= 1"),
        ("--steps", "0", ">= 1"),
    ],
)
def test_numbers_the_study_cannot_use_are_refused_first(
    argument, value, problem, capsys
):
    problem = f"whole number {problem}"
    assert_refused_first(load_script().main, argument, value, problem, capsys)
