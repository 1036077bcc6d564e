"""Runs the layer's, the network's, the trainer's and Grad-CAM's tests under the
JAX backend in a subprocess (a Keras backend is fixed per process)."""

import os
import subprocess
import sys
from pathlib import Path

import keras
import pytest

HERE = Path(__file__).parent


@pytest.mark.skipif(keras.backend.backend() == "jax", reason="already on JAX")
def test_contracts_on_jax_backend():
    pytest.importorskip("jax")
    env = dict(os.environ, KERAS_BACKEND="jax")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            str(HERE / "test_random_style_transfer.py"),
            str(HERE / "test_style_mixing.py"),
            str(HERE.parent / "networks" / "test_transformer_net.py"),
            str(HERE.parent / "networks" / "test_phase_layout.py"),
            str(HERE.parent / "networks" / "test_multi_style.py"),
            str(HERE.parent / "selection" / "test_grad_cam.py"),
            str(HERE.parent / "training" / "test_style_trainer.py"),
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert " passed" in result.stdout
