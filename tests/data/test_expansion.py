import json

import numpy as np
import pytest
from PIL import Image

from keras_style_aug.cli.main import main
from keras_style_aug.data import expansion
from keras_style_aug.networks import TransformerNet


@pytest.fixture
def dataset(tmp_path):
    rng = np.random.default_rng(0)
    root = tmp_path / "in"
    for cls in ("cat", "dog"):
        (root / cls).mkdir(parents=True)
        for i in range(3):
            Image.fromarray(rng.integers(0, 255, (20, 24, 3), dtype=np.uint8)).save(
                root / cls / f"{cls}{i}.jpg"
            )
    data = (root / "cat" / "cat0.jpg").read_bytes()
    (root / "cat" / "truncated.jpg").write_bytes(data[: len(data) // 3])
    (root / "dog" / "notes.jpg").write_text("this is text, not a JPEG")
    return root


@pytest.fixture
def style_files(tmp_path, make_net):
    for name in ("a", "b"):
        make_net(name).save_weights(tmp_path / f"{name}.weights.h5")
    return tmp_path


def test_expand_class_styles_layout_manifest_and_bad_files(
    dataset, style_files, tmp_path, capsys
):
    out = tmp_path / "out"
    code = main(
        [
            "expand",
            "--input",
            str(dataset),
            "--output",
            str(out),
            "--class-styles",
            f"cat={style_files / 'a.weights.h5'}",
            f"dog={style_files / 'b.weights.h5'}",
            "--copies",
            "2",
        ]
    )
    assert code == 0
    cats = sorted(p.name for p in (out / "cat").iterdir())
    assert cats == [f"cat{i}_a_{k}.png" for i in range(3) for k in range(2)]
    assert len(list((out / "dog").iterdir())) == 6
    lines = [
        json.loads(line) for line in (out / "manifest.jsonl").read_text().splitlines()
    ]
    assert len(lines) == 12 and {row["style"] for row in lines} == {"a", "b"}
    text = capsys.readouterr().out
    assert "wrote 12 images" in text and "2 unreadable" in text
    assert "truncated.jpg" in text and "notes.jpg" in text
    assert Image.open(out / "cat" / "cat0_a_0.png").size == (24, 20)


def test_killed_run_leaves_no_partial_file_and_resumes(
    dataset, style_files, tmp_path, monkeypatch
):
    from keras_style_aug import styles

    out = tmp_path / "out"
    net = styles.load(str(style_files / "a.weights.h5"))
    real_save = expansion.save_image
    calls = []

    def dying_save(array, path):
        calls.append(path)
        if len(calls) == 3:
            # Die mid-write: the temporary file exists, the final one must not.
            path.with_name(path.name + ".tmp").write_bytes(b"partial")
            raise KeyboardInterrupt
        return real_save(array, path)

    monkeypatch.setattr(expansion, "save_image", dying_save)
    with pytest.raises(KeyboardInterrupt):
        expansion.expand_folder(dataset, out, {"*": [net]}, progress=False)
    finished = sorted(p.name for p in out.rglob("*.png"))
    assert (
        len(finished) == 2 and not (out / calls[2].parent.name / calls[2].name).exists()
    )
    monkeypatch.setattr(expansion, "save_image", real_save)
    summary = expansion.expand_folder(dataset, out, {"*": [net]}, progress=False)
    assert summary["skipped_existing"] == 2 and summary["written"] == 4
    assert len(list(out.rglob("*.png"))) == 6


def test_expand_errors(tmp_path, dataset):
    assert (
        main(
            [
                "expand",
                "--input",
                str(tmp_path / "none"),
                "--output",
                str(tmp_path / "o"),
                "--styles",
                "x",
            ]
        )
        == 2
    )
    with pytest.raises(ValueError, match="Nothing to expand"):
        expansion.expand_folder(dataset, tmp_path / "o", {"cat": []}, progress=False)


def test_a_class_or_an_output_that_would_spoil_the_input_is_refused(
    style_files, dataset
):
    net = TransformerNet.from_weights_file(style_files / "a.weights.h5", name="a")
    before = sorted(dataset.rglob("*"))
    # The copies went into the input's class folders (a rerun stylized them
    # again), or into a folder a rerun took for a class.
    for output in (dataset, dataset / "stylized"):
        with pytest.raises(ValueError, match="is --input .* or inside it"):
            expansion.expand_folder(dataset, output, {"*": [net]}, progress=False)
    # A class the input has no folder for was ignored ("Nothing to expand").
    with pytest.raises(
        ValueError, match=r"classes \['bird'\], which .* \['cat', 'dog'\]"
    ):
        expansion.expand_folder(
            dataset, dataset.parent / "o", {"cat": [net], "bird": [net]}, progress=False
        )
    assert sorted(dataset.rglob("*")) == before


def test_rerun_with_other_settings_is_refused(
    dataset, style_files, tmp_path, capsys, make_net
):
    out = tmp_path / "out"
    args = [
        "expand",
        "--input",
        str(dataset),
        "--output",
        str(out),
        "--styles",
        str(style_files / "a.weights.h5"),
    ]
    assert main(args) == 0
    assert main([*args, "--resize", "12"]) == 2
    err = capsys.readouterr().err
    assert "size None then, 12 now" in err and "new --output" in err
    assert main(args) == 0  # the same settings resume
    assert "skipped 6 already done" in capsys.readouterr().out
    # The style retrained (same name and file, other weights): its copies
    # would sit beside the old ones, so it is refused too.
    make_net("a", seed=7).save_weights(style_files / "a.weights.h5")
    assert main(args) == 2
    assert "other weights for ['a'], e.g. retrained" in capsys.readouterr().err


def test_same_stem_inputs_get_their_own_outputs(style_files, tmp_path):
    from keras_style_aug.data.expansion import expand_folder

    rng = np.random.default_rng(0)
    (tmp_path / "in" / "cat").mkdir(parents=True)
    for name in ("x.jpg", "x.png"):
        Image.fromarray(rng.integers(0, 255, (16, 16, 3), dtype=np.uint8)).save(
            tmp_path / "in" / "cat" / name
        )
    net = TransformerNet.from_weights_file(style_files / "a.weights.h5", name="a")
    summary = expand_folder(
        tmp_path / "in", tmp_path / "out", {"*": [net]}, progress=False
    )
    assert summary["written"] == 2
    outputs = [
        json.loads(line)["output"]
        for line in (tmp_path / "out" / "manifest.jsonl").read_text().splitlines()
    ]
    assert len(set(outputs)) == 2


def test_tiny_inputs_are_skipped_and_named(style_files, tmp_path):
    from keras_style_aug.data.expansion import expand_folder

    (tmp_path / "in" / "cat").mkdir(parents=True)
    Image.fromarray(np.zeros((4, 4, 3), np.uint8)).save(tmp_path / "in/cat/tiny.png")
    Image.fromarray(np.zeros((16, 16, 3), np.uint8)).save(tmp_path / "in/cat/ok.png")
    net = TransformerNet.from_weights_file(style_files / "a.weights.h5", name="a")
    summary = expand_folder(
        tmp_path / "in", tmp_path / "out", {"*": [net]}, progress=False
    )
    assert summary["written"] == 1
    (reason,) = summary["unreadable"].values()
    assert "tiny.png" in next(iter(summary["unreadable"]))
    assert reason == "too small (4x4 pixels; the style networks need at least 8x8)"


def test_hidden_folders_are_no_class(dataset, make_net, tmp_path):
    # `--class-styles *=...` stylized a `.ipynb_checkpoints` folder as a class.
    hidden = dataset / ".ipynb_checkpoints"
    hidden.mkdir()
    Image.fromarray(np.zeros((20, 24, 3), "uint8")).save(hidden / "copy.jpg")
    jobs = expansion.plan(dataset, tmp_path / "out", {"*": [make_net("a")]})
    assert {job[1] for job in jobs} == {"cat", "dog"}


def test_a_style_named_network_colon_style_writes_files_without_a_colon(
    dataset, tmp_path
):
    from keras_style_aug import styles

    net = styles.load("paintings6_lite:shipwreck")  # no colon in a Windows name
    jobs = expansion.plan(dataset, tmp_path / "out", {"cat": [net]})
    assert jobs[0][4].name == "cat0_paintings6_lite-shipwreck_0.png"


def test_a_multi_style_network_is_expanded_style_by_style(dataset, tmp_path, capsys):
    from keras_style_aug import styles

    # The API: refused before anything is written (it failed at the first
    # image, and the settings it had recorded refused the corrected rerun).
    with pytest.raises(ValueError, match=r"\['paintings6_lite'\] hold several"):
        expansion.expand_folder(
            dataset, tmp_path / "api", {"*": [styles.load("paintings6_lite")]}
        )
    assert not (tmp_path / "api").exists()
    # The command line: a multi-style network named alone gives its styles.
    out = tmp_path / "cli"
    argv = ["expand", "--input", str(dataset), "--output", str(out)]
    assert main([*argv, "--class-styles", "cat=paintings6_lite", "--copies", "2"]) == 0
    written = sorted(p.name for p in (out / "cat").iterdir())
    assert written[:2] == ["cat0_paintings6_lite-starry_night_1.png",
                           "cat0_paintings6_lite-wave_0.png"]  # fmt: skip
    assert len(written) == 6 and "wrote 6 images" in capsys.readouterr().out
