"""The schedule check's contact sheet: 4 held-out photos at 256 px through
`paintings6`, the shipped lite network and the two 256 px arms, on udnie
(RULE_256.md here).

    python research/results/blobs/distill_schedule_cpu/sheet.py \\
        runs/schedule_A256 runs/schedule_B256
"""

import sys
from pathlib import Path

import numpy as np
from evaluate_arms import load_networks  # puts tools/publishing on sys.path
from PIL import Image
from train_styles import held_out_photos

from keras_style_aug.utils.images import contact_sheet

LABELS = {"schedule_A256": "constant 5e-4", "schedule_B256": "warmup + cosine"}


def main(run_dirs):
    networks = load_networks(run_dirs, LABELS)
    photos = held_out_photos(256, 4).astype("float32")
    outputs = [np.asarray(net(photos, style="udnie")) for net in networks.values()]
    rows = [[photo, *(out[i] for out in outputs)] for i, photo in enumerate(photos)]
    sheet = contact_sheet(rows, ["udnie"] * len(rows), ["photo", *networks], cell=160)
    out = Path(__file__).with_name("sheet.png")
    image = Image.fromarray(sheet).quantize(256, Image.Quantize.MEDIANCUT, dither=0)
    image.save(out, optimize=True)
    print(f"wrote {out}")


if __name__ == "__main__":
    main(sys.argv[1:])
