"""The user examples, each run as a user would at toy size, and checked for
what it promises: a saved model that predicts, a trained style that paints,
a style chosen for each class."""

import json
import re
import runpy
import shutil
from pathlib import Path

import keras
import numpy as np
from PIL import Image

EXAMPLES = Path(__file__).parents[2] / "examples"


def run(script, argv):
    return runpy.run_path(str(EXAMPLES / script))["main"](argv)


def test_finetune_saves_a_model_that_predicts(
    cat_dog_folder, vgg16_weights, tmp_path, capsys
):
    output = tmp_path / "model.keras"
    argv = ["--data-dir", str(cat_dog_folder), "--vgg16-weights", vgg16_weights]
    argv += ["--image-size", "32", "--per-class", "10", "--epochs", "1"]
    run("finetune_cats_vs_dogs.py", [*argv, "--output", str(output)])
    found = re.search(
        r"test accuracy ([\d.]+) on (\d+) photos", capsys.readouterr().out
    )
    assert found and int(found.group(2)) == 4  # 2 of 10 per class: the paper's 6:2:2
    model = keras.saving.load_model(output)
    p = np.asarray(model.predict(np.zeros((3, 32, 32, 3), "float32"), verbose=0))
    assert p.shape == (3, 1) and ((p >= 0) & (p <= 1)).all()


def test_train_your_own_style_paints_the_photos(
    cat_dog_folder, vgg19_weights, tmp_path
):
    content = tmp_path / "photos"
    content.mkdir()
    for path in sorted((cat_dog_folder / "cat").iterdir())[:4]:
        shutil.copy(path, content / path.name)
    argv = ["--content", str(content), "--image-size", "32", "--steps", "2"]
    argv += ["--vgg19-weights", vgg19_weights, "--output", str(tmp_path / "runs")]
    weights, sheet = run("train_your_own_style.py", argv)
    assert weights.exists() and weights.name == "my_style.weights.h5"
    image = np.asarray(Image.open(sheet), "float32")
    before, after = np.split(image, 2, axis=0)  # photos above, stylized below
    assert before.shape == (32, 4 * 32, 3)
    assert np.abs(before - after).mean() > 5


def test_gradcam_picks_a_style_per_class(cat_dog_folder, vgg16_weights, tmp_path):
    output = tmp_path / "selection"
    argv = ["--data-dir", str(cat_dog_folder), "--vgg16-weights", vgg16_weights]
    argv += ["--styles", "wave", "udnie", "--image-size", "32", "--per-class", "6"]
    choice = run("pick_styles_with_gradcam.py", [*argv, "--output", str(output)])
    assert set(choice) == {0, 1} and set(choice.values()) <= {"wave", "udnie"}
    saved = json.loads((output / "class_styles.json").read_text())
    assert {int(k): v for k, v in saved.items()} == choice
    assert (output / "gradcam.png").stat().st_size > 0
