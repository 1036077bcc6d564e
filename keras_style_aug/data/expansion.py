"""Offline expansion, the paper's own method: stylized copies of a class-folder
dataset written next to nothing else, keeping the `<class>/` layout.

Each output is written to a temporary name and renamed, so an interrupted run
leaves no partial file; rerunning skips finished outputs. Unreadable inputs are
counted and named in the summary, never fatal. `manifest.jsonl` in the output
folder records what was made from what.

>>> import tempfile, numpy as np
>>> from pathlib import Path
>>> from PIL import Image
>>> from keras_style_aug.networks import TransformerNet
>>> src = Path(tempfile.mkdtemp()); (src / "cat").mkdir()
>>> Image.fromarray(np.zeros((16, 16, 3), "uint8")).save(src / "cat" / "a.png")
>>> net = TransformerNet.from_preset("lite", name="toy")
>>> out = Path(tempfile.mkdtemp())
>>> summary = expand_folder(src, out, {"cat": [net]}, progress=False)
>>> summary["written"], summary["skipped_existing"], summary["unreadable"]
(1, 0, [])
"""

import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
from tqdm import tqdm

from keras_style_aug.utils.images import image_files
from keras_style_aug.utils.images import load_image
from keras_style_aug.utils.images import save_image

_CHUNK = 64  # images decoded ahead, in parallel


def plan(input_dir, output_dir, class_networks, copies=1):
    """(source, class, network, copy index, output path) for every output."""
    jobs = []
    for class_dir in sorted(p for p in Path(input_dir).iterdir() if p.is_dir()):
        networks = class_networks.get(class_dir.name) or class_networks.get("*")
        if not networks:
            continue
        for path in image_files(class_dir):
            for k in range(copies):
                net = networks[k % len(networks)]
                name = f"{path.stem}_{net.name}_{k}.png"
                jobs.append(
                    (
                        path,
                        class_dir.name,
                        net,
                        k,
                        Path(output_dir) / class_dir.name / name,
                    )
                )
    return jobs


def expand_folder(
    input_dir, output_dir, class_networks, copies=1, size=None, workers=4, progress=True
):
    """Writes stylized copies of every image under `input_dir/<class>/`.

    Args:
        class_networks: `{class folder name: [TransformerNet, ...]}`; the key
            `"*"` applies to every class without its own entry. Copy `k` of an
            image uses network `k % len(networks)`.
        copies: stylized copies per input image.
        size: resize inputs so the shorter side is `size` first.
        workers: threads for decoding and encoding images.
    Returns:
        a summary dict: `written`, `skipped_existing`, `unreadable` (paths).
    """
    input_dir, output_dir = Path(input_dir), Path(output_dir)
    if not input_dir.is_dir():
        raise FileNotFoundError(f"--input {input_dir} is not a folder.")
    jobs = plan(input_dir, output_dir, class_networks, copies)
    if not jobs:
        raise ValueError(
            f"Nothing to expand in {input_dir}: expected <class>/ subfolders with "
            "images, and styles for those classes."
        )
    todo = [j for j in jobs if not j[4].exists()]
    summary = {
        "written": 0,
        "skipped_existing": len(jobs) - len(todo),
        "unreadable": [],
    }
    output_dir.mkdir(parents=True, exist_ok=True)
    by_source = {}
    for job in todo:
        by_source.setdefault(job[0], []).append(job)
    sources = list(by_source)
    with (
        ThreadPoolExecutor(workers) as pool,
        open(output_dir / "manifest.jsonl", "a") as manifest,
    ):
        bar = tqdm(total=len(todo), desc="expand", unit="image", disable=not progress)
        for start in range(0, len(sources), _CHUNK):
            chunk = sources[start : start + _CHUNK]
            images = pool.map(lambda p: load_image(p, size=size), chunk)
            for source, image in zip(chunk, images):
                if image is None:
                    summary["unreadable"].append(str(source))
                    bar.update(len(by_source[source]))
                    continue
                batch = image[None].astype("float32")
                for _, cls, net, k, out in by_source[source]:
                    save_image(np.asarray(net(batch))[0], out)
                    manifest.write(
                        json.dumps(
                            {
                                "source": str(source),
                                "class": cls,
                                "style": net.name,
                                "copy": k,
                                "output": str(out),
                            }
                        )
                        + "\n"
                    )
                    manifest.flush()
                    summary["written"] += 1
                    bar.update(1)
        bar.close()
    return summary
