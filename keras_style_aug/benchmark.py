"""Speed benchmarks: the paper's Table 1, batched throughput, training overhead,
the cost of `rate`, tf.data against in-model stylization, the phase layout
against the plain one, `lite` against `full`, and mixed-style batches.

Every figure is a median of repeated timed calls after warm-up, each call
synchronised by copying (part of) its result to the host. Ratios are measured
side by side in one run. `run()` prints markdown tables and returns a
JSON-ready dict. The network-only suites (`layouts`, `presets`,
`mixed_batches`) keep their inputs on the device and time one compiled call.

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
from keras_style_aug.networks import phase_layout
from keras_style_aug.networks import reference

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
    for policy in policies:
        twin = _twin(net, policy)
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


def rate_cost(net, batch=8, size=224, rates=(1.0, 0.5, 0.25, 0.0), repeats=5,
              policy="float32"):
    """Time of the layer at several rates, relative to rate 1."""
    twin = _twin(net, policy)
    rows = []
    x = _images(batch, size)
    for rate in rates:
        model = _Stylize(RandomStyleTransfer(styles=[twin], rate=rate, seed=0,
                                             dtype=policy))
        rows.append({"rate": rate, "policy": policy, "seconds": median_seconds(
            lambda: model.predict_on_batch(x), repeats)})
    for row in rows:
        row["relative_to_rate_1"] = row["seconds"] / rows[0]["seconds"]
    return rows


def training_overhead(net, vgg16_weights, batch=4, size=224, rates=(0.5, 1.0),
                      repeats=3, policy="float32"):
    """A VGG-16 classifier training step with and without the layer.

    `vgg16_weights` may be `None` (random weights time the same)."""
    from keras_style_aug.classifiers import build_vgg16_classifier

    previous = keras.config.dtype_policy()
    keras.config.set_dtype_policy(policy)
    try:
        twin = _twin(net, policy)
        x = _images(batch, size).astype("uint8")
        y = np.arange(batch) % 2
        rows = []
        for rate in (None, *rates):
            augmentation = None if rate is None else RandomStyleTransfer(
                styles=[twin], rate=rate, seed=0)
            model = build_vgg16_classifier(
                (size, size, 3), weights=vgg16_weights, augmentation=augmentation)
            seconds = median_seconds(lambda: model.train_on_batch(x, y), repeats)
            rows.append({"rate": rate, "policy": policy, "batch": batch,
                         "seconds_per_step": seconds})
    finally:
        keras.config.set_dtype_policy(previous)
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


def _compile(fn):
    """`fn` compiled by the backend (XLA under JAX, a graph under TF)."""
    backend = keras.backend.backend()
    if backend == "jax":
        import jax

        return jax.jit(fn)
    if backend == "tensorflow":
        import tensorflow as tf

        return tf.function(fn)
    return fn


def device_seconds(fn, inputs, repeats=5, warmup=2):
    """Median time of compiled `fn(*inputs)` with inputs already on the
    device; only one element of the result is copied back to synchronise."""
    inputs = [keras.ops.convert_to_tensor(x) for x in inputs]
    compiled = _compile(fn)

    def once():
        out = compiled(*inputs)
        return keras.ops.convert_to_numpy(out[:1, :1, :1, :1])

    return median_seconds(once, repeats, warmup)


def _twin(net, policy):
    """`net` with its weights, computing under a dtype policy."""
    net.build()
    twin = TransformerNet(filters=net.filters, residual_blocks=net.residual_blocks,
                          style_names=net.style_names, dtype=policy,
                          name=net.name)
    twin.build()
    twin.set_weights(net.get_weights())
    return twin


def _forward_fn(net, forward, weights=None):
    """Images in [0, 1] (sides divisible by 4) -> stylized, with `forward`."""
    b = net._backend
    params = net._params_for(b, "float32")
    dtype = net.compute_dtype

    def fn(x, w=weights):
        x = b.cast(x, dtype) * 2.0 - 1.0
        y = forward(b, x, params, net.residual_blocks, w, dtype)
        return (b.numpy.tanh(y) + 1.0) * 0.5

    return fn


def _unit_images(batch, size, policy):
    dtype = keras.mixed_precision.DTypePolicy(policy).compute_dtype
    return keras.ops.cast(_images(batch, size) / 255.0, dtype)


def layouts(net, batch_sizes, size=224, policy="float32", repeats=5):
    """Throughput of the paper's plain layout against the phase layout (same
    weights, same outputs), side by side."""
    twin = _twin(net, policy)
    rows = []
    for batch in batch_sizes:
        x = _unit_images(batch, size, policy)
        weights = None
        if twin.is_multi_style:
            weights = twin.style_weights(0, batch)
        row = {"policy": policy, "batch": batch}
        for name, forward in (("plain", reference.forward),
                              ("phase", phase_layout.forward)):
            seconds = device_seconds(
                _forward_fn(twin, forward, weights), [x], repeats)
            row[f"{name}_images_per_s"] = batch / seconds
        row["speedup"] = row["phase_images_per_s"] / row["plain_images_per_s"]
        rows.append(row)
    return rows


def presets(batch, size=224, policy="float32", repeats=5):
    """Throughput of the `lite` preset against `full` (phase layout)."""
    rows = []
    x = _unit_images(batch, size, policy)
    for preset in ("full", "lite"):
        net = TransformerNet.from_preset(preset, dtype=policy)
        net.build()
        seconds = device_seconds(
            _forward_fn(net, phase_layout.forward), [x], repeats)
        rows.append({"preset": preset, "policy": policy, "batch": batch,
                     "parameters": net.count_params(),
                     "images_per_s": batch / seconds})
    for row in rows:
        row["relative_to_full"] = row["images_per_s"] / rows[0]["images_per_s"]
    return rows


def mixed_batches(multi, batch, size=224, policy="float32", repeats=5, seed=0):
    """A multi-style network on a batch of one style, of a style per image,
    and of a random mix per image; against one single-style network, and
    against as many separate networks in one `RandomStyleTransfer` (each
    image a random one). Parameters count the memory of each set-up."""
    twin = _twin(multi, policy)
    styles = twin.num_styles
    x = _unit_images(batch, size, policy)
    rng = np.random.default_rng(seed)
    one_hot = np.eye(styles, dtype="float32")
    cases = {
        "one style for the batch": one_hot[np.zeros(batch, int)],
        "a random style per image": one_hot[rng.integers(0, styles, batch)],
        "a random mix per image": rng.dirichlet(np.ones(styles), batch).astype(
            "float32"),
    }
    multi_params = twin.count_params()
    fn = _forward_fn(twin, phase_layout.forward)
    rows = []
    for case, weights in cases.items():
        seconds = device_seconds(fn, [x, weights], repeats)
        rows.append({"set-up": f"{styles}-style network, {case}",
                     "parameters": multi_params, "images_per_s": batch / seconds})
    singles = [TransformerNet(filters=twin.filters,
                              residual_blocks=twin.residual_blocks, dtype=policy,
                              name=f"single_{i}") for i in range(styles)]
    for net in singles:
        net.build()
    seconds = device_seconds(
        _forward_fn(singles[0], phase_layout.forward), [x], repeats)
    rows.append({"set-up": "1 single-style network", "parameters":
                 singles[0].count_params(), "images_per_s": batch / seconds})
    layer = RandomStyleTransfer(styles=singles, rate=1.0, seed=seed, dtype=policy)
    images = keras.ops.cast(_images(batch, size), layer.compute_dtype)
    seconds = device_seconds(lambda x: layer(x, training=True), [images], repeats)
    rows.append({"set-up": f"{styles} separate networks, a random one per image "
                 "(RandomStyleTransfer)",
                 "parameters": sum(n.count_params() for n in singles),
                 "images_per_s": batch / seconds})
    layer = RandomStyleTransfer(styles=[twin], rate=1.0, mix=1.0, seed=seed,
                                dtype=policy)
    seconds = device_seconds(lambda x: layer(x, training=True), [images], repeats)
    rows.append({"set-up": f"{styles}-style network, random mixes "
                 "(RandomStyleTransfer, mix=1)", "parameters": multi_params,
                 "images_per_s": batch / seconds})
    for row in rows:
        row["relative_to_one_style"] = row["images_per_s"] / rows[0]["images_per_s"]
    return rows


SUITES = ("table1", "throughput", "layouts", "presets", "mixed_batches",
          "rate_cost", "training_overhead", "tfdata_vs_model")


def run(networks, vgg16_weights=None, sizes=(67, 224, 512, 1024),
        batch_sizes=(1, 2, 4, 8), policies=("float32", "mixed_bfloat16"),
        overhead_size=224, overhead_batch=4, repeats=3, suites=SUITES,
        vgg16_random=False, size=224):
    """The chosen suites; returns a dict and prints each as a markdown table.

    Suites with one precision run under the last of `policies`; suites with
    one batch size use the largest of `batch_sizes` (at least 8). Batched
    suites use `size`x`size` images (224 by default). The
    training-overhead suite runs when `vgg16_weights` is given or
    `vgg16_random` is set.
    """
    unknown = set(suites) - set(SUITES)
    if unknown:
        raise ValueError(f"Unknown suites {sorted(unknown)}; choose from {SUITES}.")
    net, policy = networks[0], policies[-1]
    batch = max(max(batch_sizes), 8)
    results = {"machine": machine()}
    suite_calls = {
        "table1": lambda: table1_latency(networks, sizes, repeats),
        "throughput": lambda: throughput(net, batch_sizes, size=size,
                                         policies=policies, repeats=repeats),
        "layouts": lambda: [row for p in policies
                            for row in layouts(net, [batch], size=size, policy=p,
                                               repeats=repeats)],
        "presets": lambda: presets(batch, size=size, policy=policy,
                                   repeats=repeats),
        "mixed_batches": lambda: mixed_batches(
            TransformerNet.from_preset(
                "full", style_names=[f"style_{i}" for i in range(6)]),
            batch, size=size, policy=policy, repeats=repeats),
        "rate_cost": lambda: rate_cost(net, batch=batch, size=size,
                                       policy=policy),
        "training_overhead": lambda: training_overhead(
            net, vgg16_weights, batch=overhead_batch, size=overhead_size,
            repeats=repeats, policy=policy),
        "tfdata_vs_model": lambda: tfdata_vs_model(net, size=size),
    }
    for name in suites:
        if name == "training_overhead" and vgg16_weights is None and not vgg16_random:
            continue
        started = time.perf_counter()
        try:
            results[name] = suite_calls[name]()
        except Exception as e:  # report and go on with the other suites
            results[name] = [{"error": f"{type(e).__name__}: {str(e)[:300]}"}]
        print(f"{name}: {time.perf_counter() - started:.0f} s", flush=True)
        print(format_markdown({"machine": results["machine"],
                               name: results[name]}), flush=True)
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
