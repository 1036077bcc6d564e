"""Timing helpers of the benchmark suites: medians of synchronised calls,
compiled calls with inputs on the device, and the models that run a layer."""

import statistics
import time

import keras
import numpy as np


class Stylize(keras.Model):
    """Runs a layer in training mode under `predict_on_batch`'s compilation.

    `per_image_mean=True` returns each output image's mean instead of the
    image, so a call copies one number per image back to the host: with
    inputs on the device (`device_images`), the call costs what the layer
    costs inside a training step, not the copies (154 MB each way at batch
    256, 224x224, float32)."""

    def __init__(self, layer, per_image_mean=False, **kwargs):
        super().__init__(name="stylize", **kwargs)
        self.inner = layer
        self.per_image_mean = per_image_mean

    def call(self, images):
        out = self.inner(images, training=True)
        if self.per_image_mean:
            return keras.ops.mean(out, axis=(1, 2, 3))
        return out


def median_seconds(fn, repeats=5, warmup=1):
    """Median wall time of `fn()`; its result is copied to the host each time."""
    for _ in range(warmup):
        keras.tree.map_structure(np.asarray, fn())
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        keras.tree.map_structure(np.asarray, fn())
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def random_images(batch, size, seed=0):
    rng = np.random.default_rng(seed)
    return rng.uniform(0, 255, (batch, size, size, 3)).astype("float32")


def device_images(batch, size, seed=0):
    """`random_images` as a tensor of the backend, on its default device."""
    return keras.ops.convert_to_tensor(random_images(batch, size, seed))


def images_01(batch, size, policy):
    dtype = keras.mixed_precision.DTypePolicy(policy).compute_dtype
    return keras.ops.cast(random_images(batch, size) / 255.0, dtype)


def compile_fn(fn):
    """`fn` compiled by the backend (XLA under JAX, a graph under TF)."""
    backend = keras.backend.backend()
    if backend == "jax":
        import jax

        return jax.jit(fn)
    if backend == "tensorflow":
        import tensorflow as tf

        return tf.function(fn)
    return fn


def device_seconds(fn, inputs, repeats=5, warmup=2, compile=True):
    """Median time of compiled `fn(*inputs)` with inputs already on the
    device; only one element of the result is copied back to synchronise.
    `compile=False`: `fn` is compiled already (`compile_fn`)."""
    inputs = [keras.ops.convert_to_tensor(x) for x in inputs]
    compiled = compile_fn(fn) if compile else fn

    def once():
        out = compiled(*inputs)
        return keras.ops.convert_to_numpy(out[:1, :1, :1, :1])

    return median_seconds(once, repeats, warmup)


def forward_fn(net, layout="phase", style_weights=None):
    """Images in [0, 1] -> stylized, through `net.forward` in `layout`."""

    def fn(x, w=style_weights):
        return net.stylize_01(x, style_weights=w, layout=layout)

    return fn
