"""Layer alone, full network, batch 8, 160 px, rate 0.5, with 1, 2 and 3
separate single-style networks; runs on any checkout (old or new layer).

    python research/results/benchmark/separate_networks_cost.py out.json
"""

import json
import sys

import keras_style_aug
from keras_style_aug.benchmark.timing import Stylize
from keras_style_aug.benchmark.timing import median_seconds
from keras_style_aug.benchmark.timing import random_images
from keras_style_aug.layers import RandomStyleTransfer
from keras_style_aug.networks import TransformerNet

print(keras_style_aug.__file__)
net = TransformerNet.from_preset("full", name="n")
net.build()
x = random_images(8, 160)
rows = []
for k in (1, 2, 3):
    styles = [net.clone(name=f"n{i}") for i in range(k)]
    model = Stylize(RandomStyleTransfer(styles=styles, rate=0.5, seed=0))
    s = median_seconds(lambda m=model: m.predict_on_batch(x), 7)
    rows.append({"networks": k, "seconds": s})
    print(k, round(s, 3), flush=True)
with open(sys.argv[1], "w") as f:
    json.dump(rows, f)
