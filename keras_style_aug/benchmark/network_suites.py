"""Suites that time the style network alone or the layer alone: the paper's
Table 1, batched throughput, the plain against the phase layout, `lite`
against `full`, where the time goes (`stage_times`), mixed-style batches, and
the cost of `rate`."""

import statistics

import keras
import numpy as np

from keras_style_aug.benchmark.timing import Stylize
from keras_style_aug.benchmark.timing import compile_fn
from keras_style_aug.benchmark.timing import device_images
from keras_style_aug.benchmark.timing import device_seconds
from keras_style_aug.benchmark.timing import forward_fn
from keras_style_aug.benchmark.timing import images_01
from keras_style_aug.benchmark.timing import median_seconds
from keras_style_aug.benchmark.timing import random_images
from keras_style_aug.layers import RandomStyleTransfer
from keras_style_aug.networks import TransformerNet
from keras_style_aug.networks import architecture
from keras_style_aug.networks import phase_layout
from keras_style_aug.utils.keras_private import DynamicBackend

# The paper's Table 1: seconds per image for style models 1-5.
PAPER_TABLE1 = {
    67: [1.3742, 1.3786, 1.4025, 1.3812, 1.3744],
    224: [2.5156, 2.5489, 2.5132, 2.6732, 2.5973],
    512: [4.1475, 4.1549, 4.1135, 4.1303, 4.1387],
    1024: [9.3756, 9.3845, 9.3766, 9.2524, 9.3688],
}


def table1_latency(networks, sizes=(67, 224, 512, 1024), repeats=3):
    """Single-image latency per network and size, next to the paper's."""
    rows = []
    for net in networks:
        model = Stylize(RandomStyleTransfer(styles=[net], rate=1.0))
        for size in sizes:
            x = random_images(1, size)
            seconds = median_seconds(
                lambda m=model, x=x: m.predict_on_batch(x), repeats
            )
            paper = (
                statistics.mean(PAPER_TABLE1[size]) if size in PAPER_TABLE1 else None
            )
            rows.append(
                {
                    "style": net.name,
                    "size": size,
                    "seconds": seconds,
                    "paper_seconds": paper,
                    "speedup": paper / seconds if paper else None,
                }
            )
    return rows


def throughput(net, batch_sizes, size=224, policies=("float32",), repeats=3):
    """Images per second of the layer at rate 1 with network `net`, at
    `size`, for each batch size and policy: images on the device, one number
    per image copied back (`Stylize(per_image_mean=True)`)."""
    rows = []
    for policy in policies:
        twin = net.clone(dtype=policy)
        model = Stylize(
            RandomStyleTransfer(styles=[twin], rate=1.0, dtype=policy),
            per_image_mean=True,
        )
        for batch in batch_sizes:
            x = device_images(batch, size)
            try:
                seconds = median_seconds(
                    lambda m=model, x=x: m.predict_on_batch(x), repeats
                )
            except Exception as e:  # out of memory at large batches
                rows.append({"policy": policy, "batch": batch, "error": str(e)[:200]})
                break
            rows.append(
                {"policy": policy, "batch": batch, "images_per_s": batch / seconds}
            )
    return rows


def rate_cost(
    net,
    batch=8,
    size=224,
    rates=(1.0, 0.5, 0.25, 0.0),
    repeats=5,
    policy="float32",
    networks=(2, 3),
):
    """Time of the layer at several rates, relative to rate 1; then at rate
    0.5 with `networks` separate single-style copies of `net` (styles dealt
    out among them), which should cost about what one network costs. Images
    on the device, one number per image copied back, as in `throughput`."""
    twin = net.clone(dtype=policy)
    settings = [(rate, 1) for rate in rates] + [(0.5, k) for k in networks]
    rows = []
    x = device_images(batch, size)
    for rate, count in settings:
        styles = [twin.clone(name=f"{net.name}_{i}") for i in range(count)]
        model = Stylize(
            RandomStyleTransfer(styles=styles, rate=rate, seed=0, dtype=policy),
            per_image_mean=True,
        )
        rows.append(
            {
                "rate": rate,
                "networks": count,
                "policy": policy,
                "seconds": median_seconds(
                    lambda m=model: m.predict_on_batch(x), repeats
                ),
            }
        )
    for row in rows:
        row["relative_to_rate_1"] = row["seconds"] / rows[0]["seconds"]
    return rows


def layouts(net, batch_sizes, size=224, policy="float32", repeats=5):
    """Throughput of the paper's plain layout against the phase layout (same
    weights, same outputs), side by side."""
    twin = net.clone(dtype=policy)
    rows = []
    for batch in batch_sizes:
        x = images_01(batch, size, policy)
        weights = None
        if twin.is_multi_style:
            weights = twin.style_weights(0, batch)
        row = {"policy": policy, "batch": batch}
        for name in ("plain", "phase"):
            seconds = device_seconds(forward_fn(twin, name, weights), [x], repeats)
            row[f"{name}_images_per_s"] = batch / seconds
        row["speedup"] = row["phase_images_per_s"] / row["plain_images_per_s"]
        rows.append(row)
    return rows


def presets(batch, size=224, policy="float32", repeats=5):
    """Throughput of the `lite` preset against `full` (phase layout)."""
    rows = []
    x = images_01(batch, size, policy)
    for preset in ("full", "lite"):
        net = TransformerNet.from_preset(preset, dtype=policy)
        net.build()
        seconds = device_seconds(forward_fn(net), [x], repeats)
        rows.append(
            {
                "preset": preset,
                "policy": policy,
                "batch": batch,
                "parameters": net.count_params(),
                "images_per_s": batch / seconds,
            }
        )
    for row in rows:
        row["relative_to_full"] = row["images_per_s"] / rows[0]["images_per_s"]
    return rows


def stage_flops(net, size):
    """Multiply-adds x 2 per image, by stage, at `size`x`size`, as the
    paper's drawing computes them (the phase layout does the same work, but
    for the upsampling stages, where it needs 4/9 of it)."""
    f0, f1, f2 = net.filters
    quarter, half = (size // 4) ** 2, (size // 2) ** 2
    full = size**2

    def conv(k, cin, cout, positions):
        return 2 * k * k * cin * cout * positions

    return {
        "conv_in": conv(9, 3, f0, full),
        "down1": conv(3, f0, f1, half),
        "down2": conv(3, f1, f2, quarter),
        "residual blocks": 2 * net.residual_blocks * conv(3, f2, f2, quarter),
        "up1": conv(3, f2, f1, half),
        "up2": conv(3, f1, f0, full),
        "conv_out": conv(9, f0, 3, full),
    }


def stage_times(net, batch, size=224, policy="float32", repeats=5):
    """Where the network's time goes, stage by stage (a profile): each stage
    of the phase layout compiled alone and timed on its real input (the
    previous stage's output, on the device), with its share of the stages'
    sum and the TFLOP/s its useful work reaches; then the whole network as
    one compiled call, which XLA may fuse across stages."""
    twin = net.clone(dtype=policy)
    b = DynamicBackend()
    dtype = twin.compute_dtype
    weights = twin.layer_weights()
    style_weights = twin.style_weights(0, batch) if twin.is_multi_style else None
    ops = phase_layout.PhaseLayout(b, style_weights, dtype)
    stage_fns = {
        name: (lambda x, n=name: getattr(ops, n)(x, weights[n]))
        for name in ("conv_in", "down1", "down2", "up1", "up2", "conv_out")
    }
    stage_fns["residual blocks"] = lambda x: architecture.residual_stack(
        ops, x, weights, twin.residual_blocks
    )
    flops = stage_flops(twin, size)  # in the order of the stages
    images = images_01(batch, size, policy)
    x = images * 2.0 - 1.0  # the network works in [-1, 1]
    rows = []
    for name in flops:
        fn = compile_fn(stage_fns[name])
        seconds = device_seconds(fn, [x], repeats, compile=False)
        x = fn(x)  # the next stage's input
        rows.append(
            {
                "stage": name,
                "policy": policy,
                "batch": batch,
                "milliseconds": 1000 * seconds,
                "tflop_per_s": flops[name] * batch / seconds / 1e12,
            }
        )
    total = sum(r["milliseconds"] for r in rows)
    for row in rows:
        row["share"] = row["milliseconds"] / total
    seconds = device_seconds(
        forward_fn(twin, "phase", style_weights), [images], repeats
    )
    rows.append(
        {
            "stage": "whole network (one call)",
            "policy": policy,
            "batch": batch,
            "milliseconds": 1000 * seconds,
            "tflop_per_s": sum(flops.values()) * batch / seconds / 1e12,
            "share": 1000 * seconds / total,
        }
    )
    return rows


def mixed_batches(multi, batch, size=224, policy="float32", repeats=5, seed=0):
    """A multi-style network on a batch of one style, of a style per image,
    and of a random mix per image; against one single-style network, and
    against as many separate networks in one `RandomStyleTransfer` (each
    image a random one). Parameters count the memory of each set-up."""
    twin = multi.clone(dtype=policy)
    styles = twin.num_styles
    x = images_01(batch, size, policy)
    rng = np.random.default_rng(seed)
    one_hot = np.eye(styles, dtype="float32")
    cases = {
        "one style for the batch": one_hot[np.zeros(batch, int)],
        "a random style per image": one_hot[rng.integers(0, styles, batch)],
        "a random mix per image": rng.dirichlet(np.ones(styles), batch).astype(
            "float32"
        ),
    }
    multi_params = twin.count_params()
    fn = forward_fn(twin)
    rows = []
    for case, weights in cases.items():
        seconds = device_seconds(fn, [x, weights], repeats)
        rows.append(
            {
                "set-up": f"{styles}-style network, {case}",
                "parameters": multi_params,
                "images_per_s": batch / seconds,
            }
        )
    singles = [
        TransformerNet(
            filters=twin.filters,
            residual_blocks=twin.residual_blocks,
            normalization=twin.normalization,
            dtype=policy,
            name=f"single_{i}",
        )
        for i in range(styles)
    ]
    for net in singles:
        net.build()
    seconds = device_seconds(forward_fn(singles[0]), [x], repeats)
    rows.append(
        {
            "set-up": "1 single-style network",
            "parameters": singles[0].count_params(),
            "images_per_s": batch / seconds,
        }
    )
    layer = RandomStyleTransfer(styles=singles, rate=1.0, seed=seed, dtype=policy)
    images = keras.ops.cast(random_images(batch, size), layer.compute_dtype)
    seconds = device_seconds(lambda x: layer(x, training=True), [images], repeats)
    rows.append(
        {
            "set-up": f"{styles} separate networks, a random one per image "
            "(RandomStyleTransfer)",
            "parameters": sum(n.count_params() for n in singles),
            "images_per_s": batch / seconds,
        }
    )
    layer = RandomStyleTransfer(
        styles=[twin], rate=1.0, mix=1.0, seed=seed, dtype=policy
    )
    seconds = device_seconds(lambda x: layer(x, training=True), [images], repeats)
    rows.append(
        {
            "set-up": f"{styles}-style network, random mixes "
            "(RandomStyleTransfer, mix=1)",
            "parameters": multi_params,
            "images_per_s": batch / seconds,
        }
    )
    for row in rows:
        row["relative_to_one_style"] = row["images_per_s"] / rows[0]["images_per_s"]
    return rows
