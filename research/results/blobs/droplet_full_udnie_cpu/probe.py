"""Probe (the record of probes.json, not a tool): does the full network
without statistics train on udnie? Run from the repository root:

    python research/results/blobs/droplet_full_udnie_cpu/probe.py \
        NAME STEPS OPTIONS_JSON

OPTIONS_JSON: StyleTrainer options, plus "ws" (weight-standardized kernels)
and "warmup" (steps of linear learning-rate warm-up). Prints the pre-tanh
RMS and the saturated share of 4 held-out photos every 10 steps."""

import json
import sys
import time
from pathlib import Path

import keras
import numpy as np

sys.path.insert(0, "tools/publishing")
from train_styles import PAINTINGS
from train_styles import VGG19
from train_styles import content_split
from train_styles import held_out_photos

from keras_style_aug.assets import asset_path
from keras_style_aug.training import StyleTrainer

name, steps = sys.argv[1], int(sys.argv[2])
options = json.loads(sys.argv[3])
if options.pop("ws", False):
    from keras_style_aug.networks import TransformerNet

    by_layer = TransformerNet._by_layer

    def standardized(self, b, values, dtype):
        weights = by_layer(self, b, values, dtype)
        for layer, w in weights.items():
            if layer == "conv_out":
                continue
            k = w["kernel"]
            fan_in = k.shape[0] * k.shape[1] * k.shape[2]
            mean = b.numpy.mean(k, axis=(0, 1, 2), keepdims=True)
            var = b.numpy.mean(b.numpy.square(k - mean), axis=(0, 1, 2), keepdims=True)
            w["kernel"] = (k - mean) * (2.0 / (fan_in * (var + 1e-8))) ** 0.5
        return weights

    TransformerNet._by_layer = standardized
warmup = options.pop("warmup", 0)
if warmup:
    adam = keras.optimizers.Adam

    class Warm(keras.optimizers.schedules.LearningRateSchedule):
        def __init__(self, peak):
            self.peak = peak

        def __call__(self, step):
            return self.peak * keras.ops.minimum(
                1.0, (keras.ops.cast(step, "float32") + 1.0) / warmup
            )

    keras.optimizers.Adam = lambda lr, **k: adam(Warm(lr), **k)
content, _ = content_split(128, 1)
photos = held_out_photos(128, 4).astype("float32")


class Watch(keras.callbacks.Callback):
    def __init__(self, net):
        super().__init__()
        self.net = net
        self.rows = []

    def on_train_batch_end(self, batch, logs=None):
        step = int(keras.ops.convert_to_numpy(self.model.optimizer.iterations))
        if step % 10 == 0 or step <= 5:
            _, pre = self.net(photos, with_pre_tanh=True)
            pre = np.asarray(pre)
            row = {
                "step": step,
                "pre_rms": float(np.sqrt((pre**2).mean())),
                "saturated": float((np.abs(pre) > 2).mean()),
                "style": float(logs["style_loss"]),
                "content": float(logs["content_loss"]),
            }
            self.rows.append(row)
            print(json.dumps(row), flush=True)


out = Path("runs/affine_probe") / name
trainer = StyleTrainer(
    asset_path("styles", PAINTINGS["udnie"]),
    content,
    name="udnie",
    network="full",
    image_size=128,
    batch_size=4,
    steps=steps,
    style_weight=5e-5,
    vgg_weights=str(asset_path(*VGG19)),
    output_dir=out,
    sample_images=photos,
    checkpoint_every=steps,
    verbose=0,
    **options,
)
watch = Watch(trainer.net)
t = time.time()
trainer.fit(callbacks=[watch])
(out / "watch.json").write_text(
    json.dumps(
        {"options": options, "seconds": time.time() - t, "rows": watch.rows}, indent=1
    )
)
