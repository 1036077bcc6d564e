#!/bin/bash
# The speed suites on a machine with one GPU (`.gpu/whl` carried), under JAX,
# bf16, side by side. Each suite prints its table to $OUT/benchmark.log as it
# ends and rewrites the JSON, so a cut run keeps it. Order: the profile
# (`stage_times`), the training overhead, `rate_cost` with the images on the
# device, then the throughputs. Compiling each training-overhead case takes
# about 20-30 s under XLA, so the default grid is one target: batch 128 at
# 224 px; widen it with
#   OVERHEAD="--overhead-sizes 160 224 --overhead-batch-sizes 8 20 32 128"
# The stage ablation runs apart: python3 research/benchmark/stage_ablation.py
set -u
source research/gpu/env.sh
need .gpu/whl
BENCH_S=${BENCH_S:-240}
SUITES=${SUITES:-stage_times training_overhead rate_cost presets layouts throughput}
OVERHEAD=${OVERHEAD:---overhead-sizes 224 --overhead-batch-sizes 128}
timeout "$BENCH_S" python3 -m keras_style_aug.cli.main benchmark --preset full \
  --suites $SUITES $OVERHEAD --image-size 224 --batch-sizes 32 256 \
  --policies mixed_bfloat16 --vgg16-weights random --repeats 5 \
  --output "$OUT/gpu_benchmark.json" 2>&1 | tee "$OUT/benchmark.log" \
  | grep -v "^[IWE]0000"
ls -la "$OUT"
