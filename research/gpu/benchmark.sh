#!/bin/bash
# Call 1 on a lent GPU machine (issue #12), `.gpu/whl` carried: the speed
# suites under JAX, bf16, side by side. Each suite prints its table to
# $OUT/benchmark.log as it ends and rewrites the JSON, so a cut run keeps it.
# Suites in the order of what is still unknown (BENCH_S may cut the last):
# where the time goes (`stages`, now with a padding ablation and the
# upsampling convolutions' earlier 9-tap form beside the 2x2 one and a
# one-pass norm with its affine in float32, and
# `stage_times`, never run on a GPU), the training overhead at the issue's
# second target, `rate_cost` with the images on the device; then the
# throughputs measured on 2026-11-28 (full 7,748-7,777 images/s on the H200).
# Compiling each training-overhead case takes about 20-30 s under XLA, so the
# default grid is one target: batch 128, 224 px (batch 32 at 160 px measured
# +13.4% on 2026-11-28); widen it with
#   OVERHEAD="--overhead-sizes 160 224 --overhead-batch-sizes 8 20 32 128"
set -u
source research/gpu/env.sh
need .gpu/whl
BENCH_S=${BENCH_S:-240}
SUITES=${SUITES:-stages stage_times training_overhead rate_cost presets layouts throughput}
OVERHEAD=${OVERHEAD:---overhead-sizes 224 --overhead-batch-sizes 128}
timeout "$BENCH_S" python3 -m keras_style_aug.cli.main benchmark --preset full \
  --suites $SUITES $OVERHEAD --image-size 224 --batch-sizes 32 256 \
  --policies mixed_bfloat16 --vgg16-weights random --repeats 5 \
  --output "$OUT/gpu_benchmark.json" 2>&1 | tee "$OUT/benchmark.log" \
  | grep -v "^[IWE]0000"
ls -la "$OUT"
