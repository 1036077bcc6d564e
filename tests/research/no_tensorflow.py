"""Runs a script in a subprocess where TensorFlow cannot be imported, as on
the lent GPU machines."""

import os
import subprocess
import sys
from pathlib import Path

from tests.backend_env import backend_env

NO_TENSORFLOW = (
    Path(__file__).resolve().parents[2] / "research" / "gpu" / "no_tensorflow"
)


def run_without_tensorflow(script, args, cache_dir, backend="jax"):
    """`script args` under `backend`, its folder first on `sys.path`
    (`cache_dir`: see `backend_env`)."""
    env = backend_env(backend, cache_dir)
    env["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(NO_TENSORFLOW), env.get("PYTHONPATH")) if p
    )
    return subprocess.run(
        [sys.executable, str(script), *args],
        env=env,
        capture_output=True,
        text=True,
    )
