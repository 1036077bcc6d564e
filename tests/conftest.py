"""Shared fixtures: real assets from $KSA_ASSETS and small toy networks."""

import os

import numpy as np
import pytest

from keras_style_aug.assets import assets_dir
from keras_style_aug.networks import TransformerNet

# Scripts that tests run in subprocesses, not modules to import.
collect_ignore = ["classifiers/multi_device_check.py"]


@pytest.fixture(scope="session")
def assets():
    """The real assets folder. In CI a missing folder fails, never skips."""
    folder = assets_dir()
    if not folder.is_dir():
        message = (
            f"assets folder {folder} is missing: set KSA_ASSETS to the "
            "shared assets (weights/, styles/, content/, cats_vs_dogs/)"
        )
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
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
