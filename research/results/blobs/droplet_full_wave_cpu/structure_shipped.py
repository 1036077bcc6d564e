"""Structure kept (`diagnose_blobs.structure_kept`) by the shipped networks,
per style, on the droplet experiment's 8 held-out BSDS500 test photos at
256 px: the baseline a retrained network is read against.

    python research/results/blobs/droplet_full_wave_cpu/structure_shipped.py
"""

import json
import sys
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[3] / "research" / "publishing"))

from diagnose_blobs import structure_kept  # noqa: E402
from train_styles import held_out_photos  # noqa: E402

from keras_style_aug import styles  # noqa: E402

photos = held_out_photos(256, 8)
table = {}
for name in ("paintings6", "paintings6_lite", "paintings4"):
    net = styles.load(name)
    for style in net.style_names:
        out = np.asarray(net(photos.astype("float32"), style=style))
        kept = [structure_kept(a, b) for a, b in zip(photos, out)]
        table.setdefault(style, {})[name] = round(float(np.mean(kept)), 3)
        print(f"{name:16s} {style:13s} {np.mean(kept):.3f}", flush=True)
(HERE / "structure_shipped.json").write_text(json.dumps(table, indent=1) + "\n")
