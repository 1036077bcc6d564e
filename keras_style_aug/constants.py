"""Names the package and its command line share, importable without Keras
(so that `keras-style-aug --help` stays quick)."""

# Benchmark suites, in the order they run (`keras_style_aug.benchmark.run`).
SUITES = (
    "table1",
    "throughput",
    "layouts",
    "presets",
    "stage_times",
    "mixed_batches",
    "rate_cost",
    "training_overhead",
    "tfdata_vs_model",
)
# What follows each convolution but the last in a `TransformerNet`: instance
# normalization (the paper's), or its learned scale and offset alone, with no
# per-image statistics.
NORMALIZATIONS = ("instance", "affine")
# `keras_style_aug.export` formats.
EXPORT_FORMATS = ("tf_saved_model", "onnx")
