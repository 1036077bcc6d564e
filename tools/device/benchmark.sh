#!/bin/bash
# Call 1 on a lent GPU machine (issue #12), `.gpu/whl` carried: the speed
# suites under JAX, bf16, side by side. Each suite prints its table to
# $OUT/benchmark.log as it ends; the JSON is written at the end.
# Compiling each training-overhead case takes about 20-30 s under XLA, so the
# default grid is the first target (batch 32, 160 px); widen it with
#   OVERHEAD="--overhead-sizes 160 224 --overhead-batch-sizes 8 20 32 128"
set -u
source tools/device/env.sh
need .gpu/whl
BENCH_S=${BENCH_S:-240}
SUITES=${SUITES:-throughput layouts presets stages stage_times rate_cost training_overhead}
OVERHEAD=${OVERHEAD:---overhead-sizes 160 --overhead-batch-sizes 32}
timeout "$BENCH_S" python3 -m keras_style_aug.cli.main benchmark --preset full \
  --suites $SUITES $OVERHEAD --image-size 224 --batch-sizes 32 256 \
  --policies mixed_bfloat16 --vgg16-weights random --repeats 5 \
  --output "$OUT/gpu_benchmark.json" 2>&1 | tee "$OUT/benchmark.log" \
  | grep -v "^[IWE]0000"
ls -la "$OUT"
