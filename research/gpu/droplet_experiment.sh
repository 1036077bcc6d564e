#!/bin/bash
# Issue #13 (white blobs): research/publishing/droplet_experiment.py at the
# shipped network's schedule. The full network trained three times on one
# painting from the same seed (batch 16, 256 px, bf16, as paintings6):
# instance norm as shipped; the same with the saturation penalty
# (StyleTrainer(saturation_weight=1e6): on 2026-11-28 the white was found
# where tanh is flat and the loss cannot reach it); and, since 2026-11-29,
# TransformerNet(normalization="affine"), the scale and offset alone after
# every convolution, no per-image statistics anywhere: on CPU (lite, wave,
# 500 steps at 128 px) it was the one change that kept the untextured
# patches from forming, where the saturation penalty, the upsampling stages
# without statistics and one shared variance per image left them. The full
# network without statistics diverges on its first Adam steps at 1e-3 (on
# CPU, udnie: every pixel saturated by step 2, for good) unless the
# saturation penalty pulls it back, so it trains with it (1e6), since the
# sixteenth session (research/results/blobs/RESULTS.md).
# VARIANTS='"saturation penalty" "spike and saturation penalties"' (quoted
# names) overrides the last two; STYLE=wave trains on wave (on CPU, full
# network, 500 steps, the penalty left its patches pale cream there); SEED=1
# trains from another seed (on CPU two seeds differed widely). Then the
# white each adds to held-out photos, the spikes stage by stage, the held-out
# losses, a contact sheet and the trained networks. Carries the `styles` part
# (prepare_carry.py), like call 2. Each variant trains STEPS steps (about
# 35 ms each on an H200; a run of 1,200 steps already showed the droplet),
# STEP_MIN minutes at most:
# on 2026-11-28 a limit in minutes alone gave two variants 1,200 and 1,685
# steps (the first paid the compilation), which no comparison should rest on;
# since the nineteenth session a variant the guard cuts short sets the steps of
# the variants after it.
set -u
source research/gpu/env.sh
need .gpu/whl .gpu/assets/content/bsds500 .gpu/assets/styles .gpu/assets/weights/vgg19_imagenet_notop.weights.h5
STEPS=${STEPS:-3000}
STEP_MIN=${STEP_MIN:-2.5}
if [ -z "${VARIANTS:-}" ]; then
  VARIANTS=("saturation penalty" "affine only everywhere, saturation penalty")
else
  eval "VARIANTS=($VARIANTS)"
fi
python3 research/publishing/droplet_experiment.py --preset full \
  --style "${STYLE:-udnie}" --seed "${SEED:-0}" --image-size 256 --batch-size 16 --steps "$STEPS" \
  --time-limit-min "$STEP_MIN" --dtype-policy mixed_bfloat16 \
  --variants "instance norm" "${VARIANTS[@]}" \
  --output runs/droplet_experiment 2>&1 | tee "$OUT/droplet.log" \
  | grep -v "^[IWE]0000"
cp runs/droplet_experiment/report.json runs/droplet_experiment/sheet.png "$OUT/" 2>/dev/null
# The trained networks come back too (about 3.4 MB each), so that a network
# worth shipping can be published, and studied further on CPU, without
# training it again.
tar czf "$OUT/droplet_networks.tgz" --exclude checkpoint --exclude samples \
  --exclude report.json --exclude sheet.png -C runs droplet_experiment 2>/dev/null
ls -la "$OUT"
