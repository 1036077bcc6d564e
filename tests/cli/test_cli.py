import numpy as np
from PIL import Image

from keras_style_aug.cli.main import main
from keras_style_aug.styles import registry


def test_demo_writes_a_contact_sheet(tmp_path, monkeypatch, make_net, capsys):
    user = tmp_path / "user"
    user.mkdir()
    make_net("mine").save_weights(user / "mine.weights.h5")
    monkeypatch.setenv("KSA_WEIGHTS_DIR", str(user))
    out = tmp_path / "demo.png"
    assert main(["demo", "--output", str(out), "--size", "64"]) == 0
    sheet = np.asarray(Image.open(out))
    n_styles = len(registry.available())
    assert n_styles >= 1
    # A label column of 110 px, then (original + styles) columns of 64 px.
    assert sheet.shape[1] == 110 + 64 * (1 + n_styles)
    assert sheet.shape[0] == 18 + 64 * 3
    assert f"{n_styles} styles x 3 images" in capsys.readouterr().out


def test_demo_says_plainly_when_untrained(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(registry, "available", lambda: [])
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
            inputs / f"img{i}.png")
    (inputs / "broken.jpg").write_text("not an image")
    out = tmp_path / "out"
    code = main(["stylize", str(inputs), "--output", str(out), "--style",
                 str(weights), "--size", "16"])
    assert code == 0
    written = sorted(p.name for p in out.iterdir())
    assert written == ["img0_mine.png", "img1_mine.png"]
    assert Image.open(out / "img0_mine.png").size == (24, 16)
    assert "skipped 1 unreadable" in capsys.readouterr().out


def test_errors_are_one_line_not_tracebacks(tmp_path, capsys):
    code = main(["stylize", str(tmp_path), "--output", str(tmp_path / "o"),
                 "--style", "no_such_style"])
    assert code == 2
    err = capsys.readouterr().err
    assert "error:" in err and "Traceback" not in err
