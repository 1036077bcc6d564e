#!/bin/bash
# Call 3 of the recipe study (issue #11): research/cats_vs_dogs/recipe_study.py
# under JAX, augmenting with the shipped paintings4 (STYLES= a retrained one
# from call 2) and testing unseen art rendered by paintings6's the_scream and
# udnie. Carry the `cats_vs_dogs` part; `vgg16` and `wheels` came with call 1
# and stay on the warm machine.
# The study rewrites its tables after every run (outputs/study, git-ignored);
# they come back as $OUT/study.tgz (at most 8 files come back from $OUT).
#   VARIANTS="none,style,style + flip" DEADLINE_MIN=7 SEEDS=3 EPOCHS=15 \
#   SMALL_EPOCHS=60
set -u
source research/gpu/env.sh
STYLES=${STYLES:-paintings4}
need .gpu/assets/cats_vs_dogs .gpu/assets/weights/vgg16_imagenet_notop.weights.h5
[[ "$STYLES" == *.h5 ]] && need "$STYLES"
DEADLINE_MIN=${DEADLINE_MIN:-7.0}
# The first study (research/results/cats_vs_dogs_gpu_study) measured none, flip, style,
# style + flip, rate 0.25, Grad-CAM per class and offline 2x; the second
# (research/results/cats_vs_dogs_gpu_search) rate, strength and mix around style + flip.
# Both trained 100 photos per class for 15 epochs, about 100 steps: the style
# runs ended at 77-90% training accuracy, their validation accuracy still
# climbing (learning_curves.png there). So the small split now trains
# SMALL_EPOCHS (60: 420 steps, the full split's 15 epochs are 570), and the
# next variants are the recipe (style + flip, rate 0.25), with strength 0.5-1,
# and the offline copy with random styles and a flip, which keeps every clean
# photo (the one style variant that did not lose on 100 per class).
DEFAULT="none,flip,style + flip rate 0.25,style offline 2x + flip, random styles"
DEFAULT+=",style + flip rate 0.25 strength 0.5-1"
IFS=',' read -ra VARIANT_LIST <<< "${VARIANTS:-$DEFAULT}"
# Names with a comma ("style, 1 painting", "style, Grad-CAM per class") come
# split: join a piece that starts with a space to the one before it.
NAMES=()
for piece in "${VARIANT_LIST[@]}"; do
  if [[ "$piece" == " "* && ${#NAMES[@]} -gt 0 ]]; then
    NAMES[-1]+=",$piece"
  else
    NAMES+=("$piece")
  fi
done
rm -rf outputs/study
timeout $(python3 -c "print(int($DEADLINE_MIN * 60 + 120))") \
  python3 research/cats_vs_dogs/recipe_study.py \
  --data-dir .gpu/assets/cats_vs_dogs/train --styles "$STYLES" \
  --unseen-art-styles paintings6:the_scream paintings6:udnie \
  --vgg16-weights .gpu/assets/weights/vgg16_imagenet_notop.weights.h5 \
  --image-size 160 --epochs "${EPOCHS:-15}" --small-epochs "${SMALL_EPOCHS:-60}" \
  --batch-size 32 --learning-rate 1e-5 \
  --seeds "${SEEDS:-3}" --deadline-min "$DEADLINE_MIN" --output outputs/study \
  --variants "${NAMES[@]}" 2>&1 | tee "$OUT/study.log" | grep -v "^[IWE]0000\|s/step"
tar czf "$OUT/study.tgz" --exclude=cache -C outputs study
ls -la "$OUT"
