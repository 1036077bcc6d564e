#!/bin/bash
# One call on a lent GPU machine (JAX, no TensorFlow, no network), run from the
# repository root with `.gpu` carried (see prepare_carry.py):
#   1. the benchmark suites (GPU figures for the Speed issue),
#   2. the six-painting multi-style network, full then lite preset, trained
#      until DEADLINE_MIN, checkpoints and results under runs/.
# Everything that comes back is under $OUT: logs, benchmark JSON, runs.tgz.
set -u
OUT=${OUT:-/tmp/out}
BENCH_S=${BENCH_S:-150}
DEADLINE_MIN=${DEADLINE_MIN:-6.0}
ARGS=${TRAIN_ARGS:---time-limit-min 3.3}
BENCH_ARGS=${BENCH_ARGS:---sizes 67 224 512 1024 --batch-sizes 1 64 256 --overhead-batch 128}
mkdir -p "$OUT"
if ! KERAS_BACKEND=jax python3 -c "import keras, optree, namex" 2>/dev/null; then
  python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir \
    --upgrade --target /tmp/site .gpu/whl/*.whl || exit 1
  export PYTHONPATH=/tmp/site
fi
export PYTHONPATH=${PYTHONPATH:+$PYTHONPATH:}$PWD KERAS_BACKEND=jax \
  KSA_ASSETS=$PWD/.gpu/assets PYTHONUNBUFFERED=1 TF_CPP_MIN_LOG_LEVEL=3
nvidia-smi --query-gpu=name,memory.total,clocks.sm --format=csv 2>&1 | tee "$OUT/machine.txt"
python3 -c "import jax, keras; print(jax.__version__, keras.__version__, jax.devices())" 2>&1 | tee -a "$OUT/machine.txt"
timeout "$BENCH_S" python3 -m keras_style_aug.cli.main benchmark --preset full \
  $BENCH_ARGS --policies float32 mixed_bfloat16 --vgg16-weights random \
  --repeats 5 --output "$OUT/gpu_benchmark.json" 2>&1 | tee "$OUT/benchmark.log" \
  | grep -v "^[IWE]0000"
python3 tools/publishing/train_multi_style.py --runs runs --networks full lite \
  --steps 20000 --batch-size 16 --image-size 256 --checkpoint-every 500 \
  --dtype-policy mixed_bfloat16 --deadline-min "$DEADLINE_MIN" $ARGS 2>&1 \
  | tee "$OUT/train.log" | grep -v "^[IWE]0000"
tar czf "$OUT/runs.tgz" --exclude=checkpoint runs
ls -la "$OUT"
