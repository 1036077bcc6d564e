"""Makes TensorFlow unimportable, as on the lent GPU machines: a folder on
`PYTHONPATH` whose `sitecustomize` Python runs at start-up
(`research/gpu/rehearse.sh`, `tests/examples/no_tensorflow.py`)."""

import importlib.abc
import sys


class NoTensorFlow(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name.split(".")[0] in ("tensorflow", "tensorflow_datasets"):
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)


sys.meta_path.insert(0, NoTensorFlow())
