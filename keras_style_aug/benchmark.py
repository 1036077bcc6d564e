"""Speed benchmarks: the paper's Table 1, batched throughput, training overhead,
the cost of `rate`, and tf.data against in-model stylization.

Every figure is a median of repeated timed calls after warm-up, each call
synchronised by copying its result to the host. Ratios are measured side by side
in one run. `run()` prints markdown tables and returns a JSON-ready dict.

    keras-style-aug benchmark --output benchmark.json          # CPU or GPU
    KERAS_BACKEND=jax keras-style-aug benchmark --batch-sizes 1 32 256
"""

import platform
import statistics
import time

import keras
import numpy as np

from keras_style_aug.layers import RandomStyleTransfer
from keras_style_aug.networks import TransformerNet

# The paper's Table 1: seconds per image for style models 1-5.
PAPER_TABLE1 = {
    67: [1.3742, 1.3786, 1.4025, 1.3812, 1.3744],
    224: [2.5156, 2.5489, 2.5132, 2.6732, 2.5973],
    512: [4.1475, 4.1549, 4.1135, 4.1303, 4.1387],
    1024: [9.3756, 9.3845, 9.3766, 9.2524, 9.3688],
}


class _Stylize(keras.Model):
    """Runs a layer in training mode under `predict_on_batch`'s compilation."""

    def __init__(self, layer, **kwargs):
        super().__init__(name="stylize", **kwargs)
        self.inner = layer

    def call(self, images):
        return self.inner(images, training=True)


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


def _images(batch, size, seed=0):
    rng = np.random.default_rng(seed)
    return rng.uniform(0, 255, (batch, size, size, 3)).astype("float32")


def machine():
    info = {
        "backend": keras.backend.backend(),
        "keras": keras.__version__,
        "python": platform.python_version(),
        "cpu": platform.processor() or platform.machine(),
        "cpu_count": __import__("os").cpu_count(),
        "device": "CPU",
    }
    if info["backend"] == "jax":
        import jax

        info["jax"] = jax.__version__
        info["device"] = str(jax.devices()[0].device_kind)
    if info["backend"] == "tensorflow":
        import tensorflow as tf

        info["tensorflow"] = tf.__version__
        gpus = tf.config.list_physical_devices("GPU")
        info["device"] = gpus[0].name if gpus else "CPU"
    return info


def table1_latency(networks, sizes=(67, 224, 512, 1024), repeats=3):
    """Single-image latency per network and size, next to the paper's."""
    rows = []
    for net in networks:
        model = _Stylize(RandomStyleTransfer(styles=[net], rate=1.0))
        for size in sizes:
            x = _images(1, size)
            seconds = median_seconds(lambda: model.predict_on_batch(x), repeats)
            paper = statistics.mean(PAPER_TABLE1[size]) if size in PAPER_TABLE1 else None
            rows.append({"style": net.name, "size": size, "seconds": seconds,
                         "paper_seconds": paper,
                         "speedup": paper / seconds if paper else None})
    return rows


def throughput(net, batch_sizes, size=224, policies=("float32",), repeats=3):
    """Images per second of a network at `size` for each batch size and policy."""
    rows = []
    net.build()
    weights = net.get_weights()
    for policy in policies:
        twin = TransformerNet(filters=net.filters,
                              residual_blocks=net.residual_blocks, dtype=policy)
        twin.build()
        twin.set_weights(weights)
        model = _Stylize(RandomStyleTransfer(styles=[twin], rate=1.0, dtype=policy))
        for batch in batch_sizes:
            x = _images(batch, size)
            try:
                seconds = median_seconds(lambda: model.predict_on_batch(x), repeats)
            except Exception as e:  # out of memory at large batches
                rows.append({"policy": policy, "batch": batch, "error": str(e)[:200]})
                break
            rows.append({"policy": policy, "batch": batch,
                         "images_per_s": batch / seconds})
    return rows


def rate_cost(net, batch=8, size=224, rates=(1.0, 0.5, 0.25, 0.0), repeats=5):
    """Time of the layer at several rates, relative to rate 1."""
    rows = []
    x = _images(batch, size)
    for rate in rates:
        model = _Stylize(RandomStyleTransfer(styles=[net], rate=rate, seed=0))
        rows.append({"rate": rate, "seconds": median_seconds(
            lambda: model.predict_on_batch(x), repeats)})
    for row in rows:
        row["relative_to_rate_1"] = row["seconds"] / rows[0]["seconds"]
    return rows


def training_overhead(net, vgg16_weights, batch=4, size=224, rates=(0.5, 1.0),
                      repeats=3):
    """A VGG-16 classifier training step with and without the layer."""
    from keras_style_aug.classifiers import build_vgg16_classifier

    x, y = _images(batch, size), np.arange(batch) % 2
    rows = []
    for rate in (None, *rates):
        augmentation = None if rate is None else RandomStyleTransfer(
            styles=[net], rate=rate, seed=0)
        model = build_vgg16_classifier((size, size, 3), weights=vgg16_weights,
                                       augmentation=augmentation)
        seconds = median_seconds(lambda: model.train_on_batch(x, y), repeats)
        rows.append({"rate": rate, "seconds_per_step": seconds})
    for row in rows:
        row["relative_to_no_augmentation"] = row["seconds_per_step"] / rows[0][
            "seconds_per_step"]
    return rows


def tfdata_vs_model(net, batch=8, size=224, batches=4, rate=0.5):
    """Images/s with the layer mapped in tf.data against the layer in a model."""
    if keras.backend.backend() != "tensorflow":
        return [{"skipped": "tf.data comparison needs TensorFlow installed"}]
    import tensorflow as tf

    x = _images(batch * batches, size)
    layer = RandomStyleTransfer(styles=[net], rate=rate, seed=0)
    ds = tf.data.Dataset.from_tensor_slices(x).batch(batch).map(
        lambda t: layer(t, training=True)).prefetch(2)
    pipeline = median_seconds(lambda: [b.numpy() for b in ds], repeats=3)
    model = _Stylize(RandomStyleTransfer(styles=[net], rate=rate, seed=0))
    in_model = median_seconds(
        lambda: [model.predict_on_batch(x[i:i + batch])
                 for i in range(0, len(x), batch)], repeats=3)
    return [{"where": "tf.data map", "images_per_s": len(x) / pipeline},
            {"where": "in the model", "images_per_s": len(x) / in_model}]


def run(networks, vgg16_weights=None, sizes=(67, 224, 512, 1024),
        batch_sizes=(1, 2, 4, 8), policies=("float32", "mixed_bfloat16"),
        overhead_size=224, overhead_batch=4, repeats=3):
    """All suites; returns a dict and prints each as a markdown table."""
    results = {"machine": machine()}
    results["table1"] = table1_latency(networks, sizes, repeats)
    results["throughput_224"] = throughput(networks[0], batch_sizes,
                                           policies=policies, repeats=repeats)
    results["rate_cost"] = rate_cost(networks[0], batch=max(batch_sizes[-1], 8))
    if vgg16_weights is not None:
        results["training_overhead"] = training_overhead(
            networks[0], vgg16_weights, batch=overhead_batch, size=overhead_size,
            repeats=repeats)
    results["tfdata_vs_model"] = tfdata_vs_model(networks[0])
    print(format_markdown(results))
    return results


def format_markdown(results):
    m = results["machine"]
    lines = [f"Machine: {m['device']} ({m['cpu']}, {m['cpu_count']} cores), "
             f"backend {m['backend']}, Keras {m['keras']}.", ""]
    for name, rows in results.items():
        if name == "machine" or not rows:
            continue
        keys = list(dict.fromkeys(k for r in rows for k in r))
        lines += [f"### {name}", "", "| " + " | ".join(keys) + " |",
                  "| " + " | ".join("---" for _ in keys) + " |"]
        for r in rows:
            lines.append("| " + " | ".join(_fmt(r.get(k)) for k in keys) + " |")
        lines.append("")
    return "\n".join(lines)


def _fmt(value):
    if isinstance(value, float):
        return f"{value:.4g}"
    return "" if value is None else str(value)
