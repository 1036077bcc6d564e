"""Publishes the single styles `wave`, `abstract`, `starry_night`,
`the_scream` and `udnie` as those styles taken out of the GPU-trained
`paintings6` (`TransformerNet.single_style`: its convolutions with one
style's norm parameters, so exactly its outputs for that style), retiring
the CPU-trained networks of a reduced schedule that destroyed the photos.

They have no weights files of their own: each manifest entry says
`taken_from`, and `styles.load` takes the style out of that network's file.
Each gets a held-out evaluation at 256 px (the photos and loss of
`train_multi_style.py --evaluate`) and a contact sheet; `weights/README.md` is
regenerated.

    python research/publishing/extract_single_styles.py
"""

import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from train_styles import WEIGHTS  # noqa: E402
from train_styles import held_out_photos  # noqa: E402
from train_styles import painting_loss  # noqa: E402
from train_styles import write_report  # noqa: E402

from keras_style_aug.networks import TransformerNet  # noqa: E402
from keras_style_aug.training.evaluation import evaluate_losses  # noqa: E402
from keras_style_aug.utils.images import contact_sheet  # noqa: E402
from keras_style_aug.utils.images import save_image  # noqa: E402

SOURCE = "paintings6"
SINGLES = ["wave", "abstract", "starry_night", "the_scream", "udnie"]
SIZE = 256
RETIRED = "single-style (CPU, retired)"


def main():
    manifest_path = WEIGHTS / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    source = manifest["styles"][SOURCE]
    multi = TransformerNet.from_weights_file(
        WEIGHTS / source["file"], name=SOURCE, style_names=source["styles"]
    )
    held_out = held_out_photos(SIZE, 20)
    for name in SINGLES:
        net = multi.single_style(name)
        loss = painting_loss(name, SIZE)
        evaluation = evaluate_losses(net, loss, held_out)
        print(name, json.dumps(evaluation), flush=True)
        stylized = np.asarray(net(held_out[:4].astype("float32")))
        sheet = contact_sheet(
            [list(held_out[:4]), list(stylized)], row_labels=["content", name], cell=128
        )
        save_image(sheet, WEIGHTS / f"{name}_sheet.png")
        index = source["styles"].index(name)
        manifest["styles"][name] = {
            "name": name,
            "taken_from": SOURCE,
            "style_image": source["style_image"][index],
            "style_image_sha256": source["style_image_sha256"][index],
            **{
                key: source[key]
                for key in (
                    "network",
                    "content_layers",
                    "style_layers",
                    "content_weight",
                    "style_weight",
                    "tv_weight",
                    "image_size",
                    "batch_size",
                    "steps",
                    "learning_rate",
                    "backend",
                    "device",
                    "wall_time_s",
                )
            },  # fmt: skip
            **{
                key: source[key]
                for key in (
                    "saturation_weight",
                    "saturation_bound",
                    "spike_weight",
                    "spike_bound",
                    "initialized_from",
                )
                if key in source
            },
            "evaluation": {
                "images": f"{len(held_out)} BSDS500 test photos, {SIZE}px",
                **evaluation,
            },
        }
    # The multi-style rows compared against the CPU networks now retired.
    for entry in manifest["styles"].values():
        for evaluation in entry.get("evaluation", {}).values():
            if not isinstance(evaluation, dict):
                continue
            for row in evaluation.values():
                if isinstance(row, dict) and "single-style" in row:
                    row[RETIRED] = row.pop("single-style")
    manifest["styles"] = dict(sorted(manifest["styles"].items()))
    manifest_path.write_text(json.dumps(manifest, indent=2) + "\n")
    write_report(manifest)


if __name__ == "__main__":
    main()
