import importlib.util
from pathlib import Path

SCRIPT = Path(__file__).parents[2] / "examples" / "layer_study.py"


def test_layer_study_runs_at_toy_scale(tmp_path, assets):
    spec = importlib.util.spec_from_file_location("layer_study", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    table = module.main(
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
