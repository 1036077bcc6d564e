#!/bin/bash
# Issue #13 (white blobs): tools/publishing/droplet_experiment.py at the
# shipped network's schedule. The full network trained twice on one painting
# from the same seed (batch 16, 256 px, bf16, as paintings6): instance norm as
# shipped, and instance norm everywhere but after the two upsampling
# convolutions, which keep only their scale and offset (VARIANT= another
# of the script's VARIANTS; on 2026-11-28 one shared variance per image
# did not help and the spikes sat in the upsampling stages). Then the white
# each adds to held-out photos, the spikes stage by stage, the held-out losses
# and a contact sheet. On CPU the droplet had
# not formed after 500 steps of batch 4 at 128 px (results/blobs/RESULTS.md).
# Carries the `styles` part (prepare_carry.py), like call 2. Both variants
# train STEPS steps (about 35 ms each on an H200), STEP_MIN minutes at most:
# on 2026-11-28 a limit in minutes alone gave them 1,200 and 1,685 steps (the
# first variant paid the compilation), which no comparison should rest on.
set -u
source tools/device/env.sh
need .gpu/whl .gpu/assets/content/bsds500 .gpu/assets/styles .gpu/assets/weights/vgg19_imagenet_notop.weights.h5
STEPS=${STEPS:-4000}
STEP_MIN=${STEP_MIN:-3.5}
python3 tools/publishing/droplet_experiment.py --preset full \
  --style "${STYLE:-udnie}" --image-size 256 --batch-size 16 --steps "$STEPS" \
  --time-limit-min "$STEP_MIN" --dtype-policy mixed_bfloat16 \
  --variants "instance norm" "${VARIANT:-upsampling affine only}" \
  --output runs/droplet_experiment 2>&1 | tee "$OUT/droplet.log" \
  | grep -v "^[IWE]0000"
cp runs/droplet_experiment/report.json runs/droplet_experiment/sheet.png "$OUT/" 2>/dev/null
ls -la "$OUT"
