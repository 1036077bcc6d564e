"""The environment of a test subprocess that runs under another Keras
backend."""

import os


def backend_env(backend, cache_dir):
    """`os.environ` with `KERAS_BACKEND=backend`; under JAX, compiled programs
    also go to a persistent cache in `cache_dir` (a fresh folder per test), so
    a program compiled again in the same run (a second trainer, model or
    network instance with the same shapes) is read back instead: the JAX
    contracts 47 -> 36 s for the StyleTrainer kill-and-resume test alone."""
    env = dict(os.environ, KERAS_BACKEND=backend)
    if backend == "jax":
        env.update(
            JAX_COMPILATION_CACHE_DIR=str(cache_dir),
            JAX_PERSISTENT_CACHE_MIN_COMPILE_TIME_SECS="0",
            JAX_PERSISTENT_CACHE_MIN_ENTRY_SIZE_BYTES="-1",
        )
    return env
