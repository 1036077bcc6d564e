"""Shared fixtures: real assets from $KSA_ASSETS and small toy networks."""

import os

import numpy as np
import pytest

from keras_style_aug.networks import TransformerNet
from research.assets import assets_dir

# Scripts that tests run in subprocesses, not modules to import.
collect_ignore = ["classifiers/multi_device_check.py"]


HOW_TO_RUN = (
    "To run it: set KSA_ASSETS to a folder holding weights/"
    "vgg{16,19}_imagenet_notop.weights.h5, cats_vs_dogs/train/{cat,dog}/ and "
    "content/bsds500/ (DEVELOPERS.md), or pass --download (or set "
    "KSA_DOWNLOAD=1) to let Keras and TFDS download the ImageNet weights and "
    "the cats_vs_dogs photos."
)


def pytest_addoption(parser):
    parser.addoption(
        "--download",
        action="store_true",
        default=False,
        help="tests that need real VGG weights or photos may download them "
        "(keras.applications, TFDS) when KSA_ASSETS does not hold them",
    )


# The longest tests (each a whole run under another backend in a process of
# its own) start first: the two workers then end together, instead of one
# starting a three-minute test when the other is nearly done.
LONGEST_FIRST = (
    "tests/layers/test_backends.py",
    "test_toy_study_under_jax_without_tensorflow",
)


def pytest_collection_modifyitems(config, items):
    items.sort(key=lambda item: not any(n in item.nodeid for n in LONGEST_FIRST))


def downloads_allowed(config):
    return config.getoption("--download") or os.environ.get("KSA_DOWNLOAD") == "1"


def missing(what):
    """Skip (fail where KSA_REQUIRE_ASSETS=1, as in CI) for a missing asset."""
    message = f"Not found: {what}. {HOW_TO_RUN}"
    if os.environ.get("KSA_REQUIRE_ASSETS") == "1":
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="session")
def assets():
    """The real assets folder, for the tests that read it whole."""
    folder = assets_dir()
    if not folder.is_dir():
        missing(f"the assets folder {folder} (KSA_ASSETS)")
    return folder


def vgg_weights_file(kind):
    """The local ImageNet `kind` ("vgg16", "vgg19") weights file, or None."""
    path = assets_dir() / "weights" / f"{kind}_imagenet_notop.weights.h5"
    return path if path.is_file() else None


def _vgg_weights(request, kind):
    path = vgg_weights_file(kind)
    if path:
        return str(path)
    if downloads_allowed(request.config):
        return "imagenet"  # keras.applications downloads and caches them
    missing(f"ImageNet {kind.upper()} weights ({assets_dir() / 'weights'})")


@pytest.fixture(scope="session")
def vgg16_weights(request):
    """ImageNet VGG-16 conv-base weights: a local file, or "imagenet"."""
    return _vgg_weights(request, "vgg16")


@pytest.fixture(scope="session")
def vgg19_weights(request):
    """ImageNet VGG-19 conv-base weights: a local file, or "imagenet"."""
    return _vgg_weights(request, "vgg19")


@pytest.fixture(scope="session")
def cat_dog_folder(request, tmp_path_factory):
    """A folder of labelled cat and dog photos (`cat/`, `dog/`): the assets'
    2,002, or with downloads allowed the first 400 of TFDS `cats_vs_dogs`."""
    folder = assets_dir() / "cats_vs_dogs" / "train"
    if folder.is_dir():
        return folder
    if not downloads_allowed(request.config):
        missing(f"the cat and dog photos ({folder})")
    from keras_style_aug.data import load_tfds_cats_vs_dogs
    from keras_style_aug.utils.images import save_image

    photos = load_tfds_cats_vs_dogs(128, limit=400)
    folder = tmp_path_factory.mktemp("cats_vs_dogs")
    for i, (image, label) in enumerate(zip(photos.images, photos.labels)):
        name = photos.class_names[int(label)]
        (folder / name).mkdir(exist_ok=True)
        save_image(image, folder / name / f"{i:04d}.png")
    return folder


def toy_net(name, seed=0, value=None, style_names=None, normalization="instance"):
    """A tiny TransformerNet; `value` sets the output bias for a known colour;
    `style_names` makes it a multi-style network with random per-style norms."""
    net = TransformerNet(
        filters=(4, 8, 8),
        residual_blocks=1,
        name=name,
        style_names=style_names,
        normalization=normalization,
    )
    net.build()
    rng = np.random.default_rng(seed)
    weights = [rng.normal(0, 0.2, w.shape).astype("float32") for w in net.weights]
    if value is not None:
        weights[-2][:] = 0.0  # conv_out kernel: output no longer depends on input
        weights[-1][:] = value  # conv_out bias -> tanh -> a fixed colour
    net.set_weights(weights)
    return net


@pytest.fixture
def images():
    rng = np.random.default_rng(0)
    return rng.uniform(0, 255, (6, 24, 20, 3)).astype("float32")


@pytest.fixture
def make_net():
    return toy_net


@pytest.fixture
def multi():
    """A toy multi-style network holding styles "a", "b" and "c"."""
    return toy_net("abc", seed=3, style_names=["a", "b", "c"])
