"""Speed benchmarks, as suites run side by side in one process.

Every figure is a median of repeated timed calls after warm-up, each call
synchronised by copying (part of) its result to the host. Ratios are measured
side by side in one run. `run()` prints markdown tables and returns a
JSON-ready dict.

    keras-style-aug benchmark --output benchmark.json          # CPU or GPU
    KERAS_BACKEND=jax keras-style-aug benchmark --batch-sizes 1 32 256
"""

import json
import time
from pathlib import Path

from keras_style_aug.benchmark.network_suites import PAPER_TABLE1
from keras_style_aug.benchmark.network_suites import layouts
from keras_style_aug.benchmark.network_suites import mixed_batches
from keras_style_aug.benchmark.network_suites import presets
from keras_style_aug.benchmark.network_suites import rate_cost
from keras_style_aug.benchmark.network_suites import stage_times
from keras_style_aug.benchmark.network_suites import table1_latency
from keras_style_aug.benchmark.network_suites import throughput
from keras_style_aug.benchmark.training_suites import tfdata_vs_model
from keras_style_aug.benchmark.training_suites import training_overhead
from keras_style_aug.constants import SUITES
from keras_style_aug.networks import TransformerNet
from keras_style_aug.utils.files import write_text_atomically
from keras_style_aug.utils.machine import machine

__all__ = ["PAPER_TABLE1", "SUITES", "format_markdown", "run"]


def run(
    networks,
    vgg16_weights=None,
    sizes=(67, 224, 512, 1024),
    batch_sizes=(1, 2, 4, 8),
    policies=("float32", "mixed_bfloat16"),
    overhead_sizes=(160,),
    overhead_batches=(8,),
    repeats=3,
    suites=SUITES,
    vgg16_random=False,
    size=224,
    output=None,
):
    """The chosen suites; returns a dict and prints each as a markdown table.
    With `output` (a path), the dict is also written there as JSON after
    every suite, so a run cut short keeps the suites it finished.

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
        "throughput": lambda: throughput(
            net, batch_sizes, size=size, policies=policies, repeats=repeats
        ),
        "layouts": lambda: [
            row
            for p in policies
            for row in layouts(net, [batch], size=size, policy=p, repeats=repeats)
        ],
        "presets": lambda: presets(batch, size=size, policy=policy, repeats=repeats),
        "stage_times": lambda: stage_times(
            net, batch, size=size, policy=policy, repeats=repeats
        ),
        "mixed_batches": lambda: mixed_batches(
            TransformerNet(  # six styles in the first network's architecture
                filters=net.filters,
                residual_blocks=net.residual_blocks,
                style_names=[f"style_{i}" for i in range(6)],
                normalization=net.normalization,
            ),
            batch,
            size=size,
            policy=policy,
            repeats=repeats,
        ),
        "rate_cost": lambda: rate_cost(net, batch=batch, size=size, policy=policy),
        "training_overhead": lambda: training_overhead(
            vgg16_weights,
            batch_sizes=overhead_batches,
            sizes=overhead_sizes,
            repeats=repeats,
            policy=policy,
        ),
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
        print(
            format_markdown({"machine": results["machine"], name: results[name]}),
            flush=True,
        )
        if output is not None:
            path = Path(output)
            path.parent.mkdir(parents=True, exist_ok=True)
            write_text_atomically(path, json.dumps(results, indent=2) + "\n")
    return results


def format_markdown(results):
    m = results["machine"]
    lines = [
        f"Machine: {m['device']} ({m['cpu']}, {m['cpu_count']} cores), "
        f"backend {m['backend']}, Keras {m['keras']}.",
        "",
    ]
    for name, rows in results.items():
        if name == "machine" or not rows:
            continue
        keys = list(dict.fromkeys(k for r in rows for k in r))
        lines += [
            f"### {name}",
            "",
            "| " + " | ".join(keys) + " |",
            "| " + " | ".join("---" for _ in keys) + " |",
        ]
        for r in rows:
            lines.append("| " + " | ".join(_fmt(r.get(k)) for k in keys) + " |")
        lines.append("")
    return "\n".join(lines)


def _fmt(value):
    if isinstance(value, float):
        return f"{value:.4g}"
    return "" if value is None else str(value)
