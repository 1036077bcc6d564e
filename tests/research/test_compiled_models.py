"""CompiledModels: a reused compiled model trains like a fresh one."""

import keras
import numpy as np
import pytest

from research.compiled_models import CompiledModels


def build(seed):
    keras.utils.set_random_seed(seed)
    model = keras.Sequential(
        [
            keras.Input((6,)),
            keras.layers.Dense(8, activation="relu"),
            keras.layers.Dropout(0.3, seed=seed),
            keras.layers.Dense(1, activation="sigmoid"),
        ]
    )
    model.compile(keras.optimizers.Adam(1e-2), "binary_crossentropy")
    return model


def train(model):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(64, 6)).astype("float32")
    y = (x[:, 0] > 0).astype("float32")
    # No shuffling: under JAX its order depends on the process's earlier runs.
    model.fit(x, y, batch_size=16, epochs=3, shuffle=False, verbose=0)
    return [np.array(w) for w in model.get_weights()]


def test_a_reused_model_trains_like_a_fresh_one_without_recompiling():
    pool = CompiledModels()
    first = pool.get("mlp", build(0))
    train(first)
    step = first.train_function
    again = pool.get("mlp", build(1))
    assert again is first
    reused = train(again)
    assert again.train_function is step  # no new compilation
    fresh = train(build(1))
    for a, b in zip(reused, fresh):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
    assert not np.allclose(reused[0], train(build(0))[0])  # seeds matter


def test_a_model_of_another_structure_is_refused():
    pool = CompiledModels()
    pool.get("mlp", build(0))
    other = keras.Sequential([keras.Input((6,)), keras.layers.Dense(1)])
    other.compile("adam", "mse")
    with pytest.raises(ValueError, match="one key per architecture"):
        pool.get("mlp", other)
