import numpy as np
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
    assert "skipped 1 unreadable" in capsys.readouterr().out


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


def test_select_writes_mapping_and_figure(tmp_path, make_net, capsys):
    import json

    from keras_style_aug.classifiers import build_vgg16_classifier

    classifier = build_vgg16_classifier((32, 32, 3), weights=None, dense_units=4)
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
    code = main(
        [
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
        ]
    )
    assert code == 0
    result = json.loads(out.read_text())
    assert set(result["class_styles"]) == {"0", "1"}
    assert set(result["class_styles"].values()) <= {"a", "b"}
    assert result["class_names"] == ["cat", "dog"]
    assert (tmp_path / "fig8.png").is_file()
    assert "cat (class 0):" in capsys.readouterr().out
