"""The schedule check's contact sheet: 4 held-out photos at 256 px through
`paintings6`, the shipped lite network and the two 256 px arms, on udnie
(RULE_256.md here).

    python results/blobs/distill_schedule_cpu/sheet.py \\
        runs/schedule_A256 runs/schedule_B256
"""

import sys
from pathlib import Path

import numpy as np
from PIL import Image

REPO = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(REPO / "tools" / "publishing"))

from train_styles import held_out_photos  # noqa: E402

from keras_style_aug import styles as registry  # noqa: E402
from keras_style_aug.utils.images import contact_sheet  # noqa: E402

LABELS = {"schedule_A256": "constant 5e-4", "schedule_B256": "warmup + cosine"}


def main(run_dirs):
    networks = {
        "paintings6": registry.load("paintings6"),
        "shipped lite": registry.load("paintings6_lite"),
    }
    for run in map(Path, run_dirs):
        weights = run / "paintings6_lite_distilled" / "paintings6_lite.weights.h5"
        networks[LABELS.get(run.name, run.name)] = registry.load(weights)
    photos = held_out_photos(256, 4).astype("float32")
    rows, labels = [], []
    for style in ("udnie",):
        outputs = [np.asarray(net(photos, style=style)) for net in networks.values()]
        for i, photo in enumerate(photos):
            rows.append([photo, *(out[i] for out in outputs)])
            labels.append(style)
    sheet = contact_sheet(rows, labels, ["photo", *networks], cell=160)
    out = Path(__file__).with_name("sheet.png")
    image = Image.fromarray(sheet).quantize(256, Image.Quantize.MEDIANCUT, dither=0)
    image.save(out, optimize=True)
    print(f"wrote {out}")


if __name__ == "__main__":
    main(sys.argv[1:])
