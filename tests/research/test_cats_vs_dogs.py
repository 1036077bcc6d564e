"""The experiment script end to end at toy scale (real photos, tiny sizes)."""

import importlib.util
import json
from pathlib import Path

import numpy as np
import pytest

from tests.research.refusals import assert_refused_first

# The experiment fine-tunes the ImageNet VGG-16: skipped, saying how to run
# it, where its weights are neither local nor allowed to download.
pytestmark = pytest.mark.usefixtures("vgg16_weights")

SCRIPT = Path(__file__).parents[2] / "research" / "cats_vs_dogs" / "run_experiment.py"
# One traditional augmentation and every style method (the offline copy with a
# flip: below).
METHODS = ["none", "pan+crop", "style (on the fly)", "style (random)",
           "style + pan+crop", "style (offline 2x)"]  # fmt: skip


def load_script():
    spec = importlib.util.spec_from_file_location("run_experiment", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def toy_styles(tmp_path, make_net):
    paths = []
    for i, name in enumerate(["toyA", "toyB"]):
        path = tmp_path / f"{name}.weights.h5"
        make_net(name, seed=i).save_weights(path)
        paths.append(str(path))
    return paths


def toy_args(output, styles, *extra):
    return [
        "--quick",
        "--image-size",
        "32",
        "--epochs",
        "1",
        "--seeds",
        "1",
        "--small-per-class",
        "3",
        "--select-per-class",
        "2",
        "--output",
        str(output),
        "--styles",
        *styles,
        *extra,
    ]


def test_from_a_local_folder(
    tmp_path, cat_dog_folder, toy_styles, monkeypatch, make_net
):
    script = load_script()
    out = tmp_path / "out"
    args = toy_args(
        out,
        toy_styles,
        "--data-dir",
        str(cat_dog_folder),
        "--limit-per-class",
        "10",
        "--methods",
        *METHODS,
    )
    rows = script.main(args)
    methods = {r["method"] for r in rows}
    assert methods == set(METHODS)
    assert {r["setting"] for r in rows} == {"full", "small (3/class)"}
    for row in rows:
        assert all(0 <= v <= 1 for v in row["accuracy"].values())
    table = (out / "results.md").read_text()
    assert "| small (3/class) | style (on the fly) |" in table
    selection = json.loads((out / "selection.json").read_text())
    assert set(selection["mapping"]) == {"cat", "dog"}
    assert set(selection["mapping"].values()) <= {"toyA", "toyB"}
    assert (out / "fig8_gradcam.png").stat().st_size > 10_000
    assert (out / "results.png").stat().st_size > 10_000

    # Run again, as after a crash: every run is kept, nothing trains, not
    # even Grad-CAM's reference; the choice is read back.
    def no_training(*args, **kwargs):
        raise AssertionError("trained again")

    monkeypatch.setattr(script.Experiment, "fit", no_training)
    assert script.main(args) == rows
    assert json.loads((out / "selection.json").read_text()) == selection
    # A style retrained under its name: not the same study any more.
    make_net("toyA", seed=5).save_weights(toy_styles[0])
    with pytest.raises(SystemExit, match="other settings.*style_files"):
        script.main(args)


def test_through_tfds_under_mock_data(tmp_path, toy_styles):
    tfds = pytest.importorskip("tensorflow_datasets")
    script = load_script()
    with tfds.testing.mock_data(
        num_examples=20, policy=tfds.testing.MockPolicy.USE_CODE
    ):
        rows = script.main(toy_args(tmp_path / "out", toy_styles, "--methods", "none"))
    assert {r["method"] for r in rows} == {"none"}
    assert rows[0]["train_images"] == 12  # 6:2:2 of 20


def test_both_splits_in_one_call_score_as_each_alone(
    tmp_path, cat_dog_folder, make_net
):
    script = load_script()
    args = script.parse_args(
        [
            "--quick", "--image-size", "32", "--epochs", "1",
            "--data-dir", str(cat_dog_folder),
            "--limit-per-class", "10", "--unseen-art-styles",
        ]
    )  # fmt: skip
    data = script.load_class_folders(args.data_dir, 32, args.limit_per_class)
    experiment = script.Experiment(args, data, cache=tmp_path)
    # The offline copy with random styles (no class mapping) and a flip.
    model = experiment.fit(
        "style (offline 2x) + flip", experiment.train, 0, None, [make_net("toyA")]
    )
    both = experiment.evaluate(model, splits=("test", "validation"))
    assert both["test"] == experiment.evaluate(model)["test"]
    assert (
        both["validation"] == experiment.evaluate(model, ("validation",))["validation"]
    )
    # The validation sets are the validation photos, shifted: not the test's.
    assert len(experiment.test_sets("validation")["blur"]) == len(experiment.val)
    assert not np.array_equal(
        experiment.test_sets("validation")["clean"],
        experiment.test_sets("test")["clean"],
    )


def test_the_unseen_art_cache_follows_the_renderers_weights(tmp_path, make_net):
    script = load_script()
    images = np.random.default_rng(0).integers(0, 255, (2, 16, 16, 3), "uint8")

    def unseen_art(seed):
        sets = script.shifted_sets(images, [make_net("art", seed=seed)], tmp_path)
        return sets[script.UNSEEN_ART]

    first = unseen_art(1)
    np.testing.assert_array_equal(unseen_art(1), first)  # from the cache
    # The same name, other weights (retrained): rendered anew, not the cache.
    assert not np.array_equal(unseen_art(2), first)


def test_one_class_is_refused_by_name(tmp_path, cat_dog_folder, toy_styles):
    cats = tmp_path / "data" / "cat"
    cats.mkdir(parents=True)
    for photo in sorted((cat_dog_folder / "cat").iterdir())[:5]:
        (cats / photo.name).write_bytes(photo.read_bytes())
    args = toy_args(tmp_path / "out", toy_styles, "--data-dir", str(cats.parent))
    with pytest.raises(SystemExit, match=r"needs two classes, found \['cat'\]"):
        load_script().main(args)


@pytest.mark.parametrize(
    "extra, match",
    [
        (["--style-mix", "0.5"], "every network in `styles` holds one style"),
        (["--style-strength", "0.9", "0.1"], "`strength` must be"),
    ],
)
def test_style_settings_the_layer_refuses_stop_before_training(
    tmp_path, cat_dog_folder, toy_styles, monkeypatch, extra, match
):
    script = load_script()

    def fit(*args, **kwargs):
        raise AssertionError("trained before the style settings were checked")

    monkeypatch.setattr(script.Experiment, "fit", fit)
    data = str(cat_dog_folder)
    args = toy_args(tmp_path / "out", toy_styles, "--data-dir", data,
                    "--limit-per-class", "5", *extra)  # fmt: skip
    with pytest.raises(SystemExit, match=match):
        script.main(args)


@pytest.mark.parametrize(
    "argument, value, problem",
    [
        # Each ran on: an untrained classifier scored as a result, Keras's
        # default batch, a VGG-16 error after loading the photos, an
        # IndexError in the report, an error inside predict.
        ("--epochs", "0", "whole number >= 1"),
        ("--batch-size", "0", "whole number >= 1"),
        ("--image-size", "8", "whole number >= 32 (VGG-16 takes 32x32"),
        ("--seeds", "0", "whole number >= 1"),
        ("--small-per-class", "0", "whole number >= 1"),
        ("--learning-rate", "-1e-4", "number > 0"),
    ],
)
def test_numbers_the_experiment_cannot_use_are_refused_first(
    argument, value, problem, capsys
):
    parse = load_script().parse_args
    assert_refused_first(parse, argument, value, problem, capsys)
