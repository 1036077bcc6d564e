import json

import numpy as np
import pytest
from PIL import Image

from keras_style_aug.cli.main import main
from keras_style_aug.styles import registry


def test_demo_writes_a_contact_sheet(tmp_path, monkeypatch, make_net, capsys):
    user = tmp_path / "user"
    user.mkdir()
    make_net("mine").save_weights(user / "mine.weights.h5")
    make_net("duo", style_names=["x", "y"]).save_weights(user / "duo.weights.h5")
    (user / "duo.json").write_text('{"styles": ["x", "y"]}')  # as StyleTrainer
    monkeypatch.setenv("KSA_WEIGHTS_DIR", str(user))
    out = tmp_path / "demo.png"
    assert main(["demo", "--output", str(out), "--size", "64"]) == 0
    sheet = np.asarray(Image.open(out))
    # A single-style network is one row; a multi-style one, a row per style
    # and two mixes (the user's "duo": x, y, their mix, and all = 4 rows).
    rows = sum(
        1 if not (net := registry.load(n)).is_multi_style else net.num_styles + 2
        for n in registry.available()
    )
    assert rows >= 5
    # A label column, then 3 image columns of 64 px; a header, then rows.
    assert sheet.shape[0] == 18 + 64 * (1 + rows)
    assert sheet.shape[1] - 64 * 3 >= 110
    assert f"{rows} styles and mixes x 3 images" in capsys.readouterr().out
    assert (
        main(
            [
                "demo",
                "--output",
                str(out),
                "--size",
                "64",
                "--styles",
                "duo:x",
                "duo:x=1,y=1",
            ]
        )
        == 0
    )
    assert np.asarray(Image.open(out)).shape[0] == 18 + 64 * 3


def test_demo_says_plainly_when_untrained(tmp_path, monkeypatch, capsys):
    from keras_style_aug import styles

    monkeypatch.setattr(styles, "available", lambda: [])
    out = tmp_path / "demo.png"
    assert main(["demo", "--output", str(out), "--size", "32"]) == 0
    assert "UNTRAINED" in capsys.readouterr().out
    assert out.is_file()


def test_stylize_folder_and_skip_unreadable(tmp_path, make_net, capsys):
    weights = tmp_path / "mine.weights.h5"
    make_net("mine").save_weights(weights)
    inputs = tmp_path / "in"
    inputs.mkdir()
    rng = np.random.default_rng(0)
    for i in range(2):
        Image.fromarray(rng.integers(0, 255, (20, 30, 3), dtype=np.uint8)).save(
            inputs / f"img{i}.png"
        )
    (inputs / "broken.jpg").write_text("not an image")
    out = tmp_path / "out"
    code = main(
        [
            "stylize",
            str(inputs),
            "--output",
            str(out),
            "--style",
            str(weights),
            "--size",
            "16",
        ]
    )
    assert code == 0
    written = sorted(p.name for p in out.iterdir())
    assert written == ["img0_mine.png", "img1_mine.png"]
    assert Image.open(out / "img0_mine.png").size == (24, 16)
    assert "broken.jpg: unreadable" in capsys.readouterr().out


def test_errors_are_one_line_not_tracebacks(tmp_path, capsys):
    code = main(
        [
            "stylize",
            str(tmp_path),
            "--output",
            str(tmp_path / "o"),
            "--style",
            "no_such_style",
        ]
    )
    assert code == 2
    err = capsys.readouterr().err
    assert "error:" in err and "Traceback" not in err


@pytest.mark.parametrize("class_styles", [None, {1: "a"}], ids=["plain", "label-aware"])
def test_select_writes_mapping_and_figure(tmp_path, make_net, class_styles):
    import json
    import subprocess
    import sys

    from keras_style_aug.classifiers import build_vgg16_classifier
    from keras_style_aug.layers import RandomStyleTransfer

    # A LabelAwareClassifier (the package's class-style model) failed with
    # AttributeError: no attribute 'input_shape'.
    augmentation = class_styles and RandomStyleTransfer(
        styles=[make_net("a")], class_styles=class_styles
    )
    classifier = build_vgg16_classifier(
        (32, 32, 3), weights=None, dense_units=4, augmentation=augmentation
    )
    classifier.save(tmp_path / "clf.keras")
    rng = np.random.default_rng(0)
    for cls in ("cat", "dog"):
        (tmp_path / "data" / cls).mkdir(parents=True)
        for i in range(2):
            Image.fromarray(rng.integers(0, 255, (40, 40, 3), dtype=np.uint8)).save(
                tmp_path / "data" / cls / f"{i}.png"
            )
    styles = []
    for name in ("a", "b"):
        make_net(name).save_weights(tmp_path / f"{name}.weights.h5")
        styles.append(str(tmp_path / f"{name}.weights.h5"))
    out = tmp_path / "sel.json"
    # In a process of its own, as a user runs it: this one has imported the
    # package's layers already, which load_model needs.
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "keras_style_aug.cli.main",
            "select",
            "--classifier",
            str(tmp_path / "clf.keras"),
            "--data-dir",
            str(tmp_path / "data"),
            "--styles",
            *styles,
            "--output",
            str(out),
            "--plot",
            str(tmp_path / "fig8.png"),
        ],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "cat (class 0):" in result.stdout
    result = json.loads(out.read_text())
    assert set(result["class_styles"]) == {"0", "1"}
    assert set(result["class_styles"].values()) <= {"a", "b"}
    assert result["class_names"] == ["cat", "dog"]
    assert (tmp_path / "fig8.png").is_file()


def write_image(path, array):
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(array).save(path)
    return path


def test_stylize_never_writes_two_inputs_to_one_output(tmp_path, make_net):
    weights = tmp_path / "mine.weights.h5"
    make_net("mine").save_weights(weights)
    rng = np.random.default_rng(1)
    for name in ("a/photo.jpg", "b/photo.jpg", "a/x.jpg", "a/x.png"):
        write_image(tmp_path / name, rng.integers(0, 255, (16, 16, 3), dtype=np.uint8))
    out = tmp_path / "out"
    args = ["stylize", str(tmp_path / "a"), str(tmp_path / "b"), "--output", str(out)]
    assert main([*args, "--styles", str(weights)]) == 0
    written = sorted(str(p.relative_to(out)) for p in out.rglob("*.png"))
    assert written == [
        "a/photo.jpg_mine.png",
        "b/photo.jpg_mine.png",
        "x.jpg_mine.png",
        "x.png_mine.png",
    ]


def test_stylize_skips_and_names_tiny_and_oversized_images(
    tmp_path, make_net, capsys, monkeypatch
):
    from PIL import Image as PILImage

    weights = tmp_path / "mine.weights.h5"
    make_net("mine").save_weights(weights)
    rng = np.random.default_rng(2)
    write_image(tmp_path / "in/ok.png", rng.integers(0, 255, (16, 16, 3), np.uint8))
    write_image(tmp_path / "in/tiny.png", np.zeros((4, 4, 3), np.uint8))
    write_image(tmp_path / "in/bomb.png", np.zeros((64, 64, 3), np.uint8))
    monkeypatch.setattr(PILImage, "MAX_IMAGE_PIXELS", 1000)  # 64x64 > 2x limit
    out = tmp_path / "out"
    code = main(
        [
            "stylize",
            str(tmp_path / "in"),
            "--output",
            str(out),
            "--styles",
            str(weights),
        ]
    )
    assert code == 0
    assert [p.name for p in out.iterdir()] == ["ok_mine.png"]
    text = capsys.readouterr().out
    assert (
        "tiny.png: too small (4x4 pixels; the style networks need at least 8x8)" in text
    )
    assert "bomb.png: unreadable" in text


def test_sixteen_bit_images_are_scaled_not_clipped(tmp_path):
    from keras_style_aug.utils.images import load_image

    ramp = (np.arange(64 * 64).reshape(64, 64) * 16).astype(np.uint16)
    path = tmp_path / "deep.png"
    Image.fromarray(ramp).save(path)
    image = load_image(path)
    assert image.shape == (64, 64, 3)
    assert (image == 255).mean() < 0.01
    np.testing.assert_allclose(image[..., 0], np.round(ramp / 65535 * 255), atol=1)


@pytest.mark.parametrize("size", ["-5", "4"])  # 4: every image under 8x8
def test_bad_numbers_are_refused_by_the_parser(tmp_path, capsys, size):
    with pytest.raises(SystemExit) as exit_info:
        main(
            [
                "stylize",
                str(tmp_path),
                "--output",
                str(tmp_path),
                "--styles",
                "x",
                "--size",
                size,
            ]
        )
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert "--resize/--size: expected a whole number >= 8 (the style networks" in err


def test_version_and_a_quick_help_that_imports_no_keras():
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from keras_style_aug.cli.main import main\n"
        "try:\n"
        "    main(['stylize', '--help'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "print('keras' in sys.modules, 'tensorflow' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip().splitlines()[-1] == "False False"
    assert "--styles" in result.stdout and "--resize" in result.stdout
    version = subprocess.run(
        [sys.executable, "-m", "keras_style_aug.cli.main", "--version"],
        capture_output=True,
        text=True,
    )
    assert version.stdout.startswith("keras-style-aug ")


def test_cli_choices_match_the_library():
    from keras_style_aug import benchmark
    from keras_style_aug import export
    from keras_style_aug.cli import benchmark as benchmark_cli
    from keras_style_aug.cli import export as export_cli
    from keras_style_aug.cli import select as select_cli
    from keras_style_aug.selection import style_selector

    assert benchmark_cli.SUITES == benchmark.SUITES
    assert export_cli.FORMATS == export.FORMATS
    assert select_cli.CRITERIA == style_selector.CRITERIA


def test_select_without_matplotlib_fails_before_the_work(tmp_path, monkeypatch, capsys):
    import sys

    monkeypatch.setitem(sys.modules, "matplotlib", None)  # import raises
    code = main(
        [
            "select",
            "--classifier",
            str(tmp_path / "none.keras"),
            "--data-dir",
            str(tmp_path),
        ]
    )
    assert code == 2
    assert "pip install 'keras-style-aug[plot]'" in capsys.readouterr().err


def test_train_writes_a_network_that_loads_with_its_settings(tmp_path, vgg19_weights):
    rng = np.random.default_rng(2)
    for i in range(3):
        write_image(
            tmp_path / "photos" / f"{i}.png",
            rng.integers(0, 255, (40, 40, 3), dtype=np.uint8),
        )
    write_image(
        tmp_path / "painting.png", rng.integers(0, 255, (40, 40, 3), dtype=np.uint8)
    )
    out = tmp_path / "run"
    args = ["train", "--style-image", str(tmp_path / "painting.png")]
    args += ["--content", str(tmp_path / "photos"), "--name", "mine"]
    args += ["--preset", "lite", "--steps", "2", "--image-size", "32"]
    args += ["--batch-size", "2", "--checkpoint-every", "2", "--output", str(out)]
    args += ["--vgg-weights", vgg19_weights, "--saturation-weight", "1e6"]
    args += ["--spike-weight", "1e5"]
    assert main(args) == 0
    entry = json.loads((out / "mine.json").read_text())
    assert entry["steps"] == 2 and entry["saturation_weight"] == 1e6
    assert "saturation" in entry["final_losses"]
    assert entry["spike_weight"] == 1e5 and "spikes" in entry["final_losses"]
    net = registry.load(out / "mine.weights.h5")
    assert net.filters == (16, 32, 64)  # the lite preset


@pytest.mark.parametrize(
    "command",
    [
        ["stylize", "in", "--styles", "x"],
        ["expand", "--input", "in", "--styles", "x"],
        ["train", "--style-image", "x.jpg", "--content", "in"],
    ],
)
def test_an_output_folder_that_is_a_file_is_refused_first(tmp_path, capsys, command):
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(b"a user's file")
    with pytest.raises(SystemExit) as exit_info:
        main([*command, "--output", str(photo)])
    assert exit_info.value.code == 2
    assert f"--output: {photo} is a file; pass a folder" in capsys.readouterr().err
    assert photo.read_bytes() == b"a user's file"


@pytest.mark.parametrize(
    "option, value, match",
    [
        ("--size", "4", ">= 8 (the style networks"),
        ("--sizes", "4", ">= 8 (the style networks"),
        ("--overhead-sizes", "16", ">= 32 (VGG-16 takes 32x32"),
    ],
)
def test_benchmark_sizes_the_networks_cannot_take_are_refused(
    capsys, option, value, match
):
    # They were timed as a suite error row ("needs images of at least 8x8").
    with pytest.raises(SystemExit) as exit_info:
        main(["benchmark", option, value])
    assert exit_info.value.code == 2
    assert match in capsys.readouterr().err


@pytest.mark.parametrize(
    "command",
    [
        ["demo", "--output"],
        ["benchmark", "--output"],
        ["select", "--classifier", "c.keras", "--data-dir", "d", "--output"],
        ["select", "--classifier", "c.keras", "--data-dir", "d", "--plot"],
    ],
)
def test_an_output_file_that_is_a_folder_is_refused_first(tmp_path, capsys, command):
    # demo stylized every style, then failed to rename its PNG onto the folder.
    with pytest.raises(SystemExit) as exit_info:
        main([*command, str(tmp_path)])
    assert exit_info.value.code == 2
    assert f"{tmp_path} is a folder; pass a file name" in capsys.readouterr().err


def test_stylize_writes_every_requested_style_and_never_into_its_input(
    tmp_path, make_net, capsys
):
    # Two weights files of one name gave one output ("wrote 1 images").
    for folder, seed in (("x", 0), ("y", 1)):
        (tmp_path / folder).mkdir()
        make_net("solo", seed=seed).save_weights(tmp_path / folder / "solo.weights.h5")
    rng = np.random.default_rng(2)
    photos = tmp_path / "photos"
    write_image(photos / "p.png", rng.integers(0, 255, (16, 16, 3), dtype=np.uint8))
    out = tmp_path / "out"
    styles = [str(tmp_path / f / "solo.weights.h5") for f in ("x", "y")]
    assert (
        main(["stylize", str(photos), "--output", str(out), "--styles", *styles]) == 0
    )
    written = sorted(p.name for p in out.iterdir())
    assert written == ["p_solo-2.png", "p_solo.png"]
    first, second = (np.asarray(Image.open(out / n)) for n in written)
    assert np.abs(first.astype(int) - second).max() > 0
    # Output inside the input: a rerun stylized its own outputs.
    inside = ["stylize", str(photos), "--output", str(photos / "out")]
    assert main([*inside, "--styles", styles[0]]) == 2
    assert "inside it" in capsys.readouterr().err
    assert not (photos / "out").exists()


def test_expand_refuses_a_class_named_twice(tmp_path, make_net, capsys):
    weights = tmp_path / "a.weights.h5"
    make_net("a").save_weights(weights)
    write_image(tmp_path / "in" / "cat" / "c.png", np.zeros((16, 16, 3), np.uint8))
    args = ["expand", "--input", str(tmp_path / "in"), "--output", str(tmp_path / "o")]
    args += ["--class-styles", f"cat={weights}", f"cat={weights}"]
    assert main(args) == 2
    assert "names class 'cat' twice" in capsys.readouterr().err


def test_a_benchmark_suite_that_could_not_run_fails_the_command(tmp_path, capsys):
    out = tmp_path / "bench.json"
    args = ["benchmark", "--preset", "lite", "--sizes", "16", "--size", "16"]
    args += ["--batch-sizes", "2", "--repeats", "1", "--output", str(out)]
    args += ["--suites", "presets", "training_overhead"]
    args += ["--vgg16-weights", str(tmp_path / "missing.weights.h5")]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert "suites that could not run: training_overhead" in err
    assert "presets" in json.loads(out.read_text())  # what ran is kept


def test_select_names_a_classifier_file_keras_cannot_load(tmp_path, capsys):
    bad = tmp_path / "clf.keras"
    bad.write_bytes(np.random.default_rng(0).bytes(300))
    write_image(tmp_path / "photos" / "cat" / "c.png", np.zeros((32, 32, 3), np.uint8))
    args = ["select", "--classifier", str(bad), "--data-dir", str(tmp_path / "photos")]
    assert main([*args, "--styles", "wave", "--output", str(tmp_path / "m.json")]) == 2
    assert f"--classifier {bad} is not a Keras model file" in capsys.readouterr().err
