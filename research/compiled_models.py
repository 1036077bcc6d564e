"""`CompiledModels`: repeated training runs of one architecture without
compiling again (XLA under JAX compiles a VGG-16 step for longer than a small
run trains)."""

import numpy as np

from keras_style_aug.utils.optimizer import build_optimizer


class CompiledModels:
    """Hands out one compiled model per key, reset to a fresh model's state.

    The first model given under a key is kept (with its optimizer's starting
    state); later calls with that key copy the fresh model's variables
    (weights, random-seed states) and the starting optimizer state into the
    kept one and return it, so `fit` reuses its compiled step. The result
    trains like the fresh model would. Use one key per architecture and
    compile settings; the kept model of a key changes on each call.

    Example:

    >>> import keras, numpy as np
    >>> def build(seed):
    ...     keras.utils.set_random_seed(seed)
    ...     model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    ...     model.compile("adam", "mse")
    ...     return model
    >>> pool = CompiledModels()
    >>> first = pool.get("dense", build(0))
    >>> again = pool.get("dense", build(1))
    >>> again is first
    True
    >>> np.allclose(again.get_weights()[0], build(1).get_weights()[0])
    True
    """

    def __init__(self):
        self._models = {}

    def get(self, key, fresh):
        if key not in self._models:
            build_optimizer(fresh)
            start = [np.array(v) for v in fresh.optimizer.variables]
            self._models[key] = (fresh, start)
            return fresh
        model, start = self._models[key]
        shapes = [tuple(v.shape) for v in model.variables]
        if shapes != [tuple(v.shape) for v in fresh.variables]:
            raise ValueError(
                f"CompiledModels key {key!r} was first given a model of another "
                "structure; use one key per architecture."
            )
        for target, source in zip(model.variables, fresh.variables):
            target.assign(source)
        for variable, value in zip(model.optimizer.variables, start):
            variable.assign(value)
        return model
