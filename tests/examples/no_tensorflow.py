"""Runs a script in a subprocess where TensorFlow cannot be imported, as on
the lent GPU machines."""

import subprocess
import sys

from tests.backend_env import backend_env

BLOCK_TENSORFLOW = """
import importlib.abc, runpy, sys


class NoTensorFlow(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name.split(".")[0] in ("tensorflow", "tensorflow_datasets"):
            raise ModuleNotFoundError(f"No module named {{name!r}}", name=name)


sys.meta_path.insert(0, NoTensorFlow())
sys.path.insert(0, {folder!r})
sys.argv = [{script!r}, *sys.argv[1:]]
runpy.run_path({script!r}, run_name="__main__")
"""


def run_without_tensorflow(script, args, cache_dir, backend="jax"):
    """`script args` under `backend`, its folder first on `sys.path`
    (`cache_dir`: see `backend_env`)."""
    code = BLOCK_TENSORFLOW.format(folder=str(script.parent), script=str(script))
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        env=backend_env(backend, cache_dir),
        capture_output=True,
        text=True,
    )
