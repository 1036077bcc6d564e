#!/bin/bash
# Call 2 of the recipe study (issue #11): a multi-style network on four of the
# six paintings, so that the other two (the_scream, udnie, through the shipped
# paintings6) render an *unseen art* test set it never saw. Carry the `styles`
# part (prepare_carry.py). Trains TRAIN_MIN minutes; the weights stay on the
# machine (runs/, git-ignored) for call 3 and come back under $OUT.
set -u
source research/gpu/env.sh
need .gpu/whl .gpu/assets/styles .gpu/assets/content/bsds500 .gpu/assets/weights/vgg19_imagenet_notop.weights.h5
TRAIN_MIN=${TRAIN_MIN:-3.0}
python3 research/publishing/train_multi_style.py --runs runs --name paintings4 \
  --styles wave starry_night abstract shipwreck --networks full \
  --steps 20000 --batch-size 16 --image-size 256 --checkpoint-every 500 \
  --dtype-policy mixed_bfloat16 --time-limit-min "$TRAIN_MIN" 2>&1 \
  | tee "$OUT/train_paintings4.log" | grep -v "^[IWE]0000"
cp runs/paintings4/paintings4.weights.h5 runs/paintings4/paintings4.json \
  runs/paintings4/paintings4_sheet.png "$OUT/" 2>/dev/null
ls -la "$OUT"
