"""Offline expansion, the paper's own method: stylized copies of a class-folder
dataset written next to nothing else, keeping the `<class>/` layout.

Each output is written to a temporary name and renamed, so an interrupted run
leaves no partial file; rerunning with the same settings skips finished
outputs, and rerunning with other settings (size, copies, styles, or a style
network of the same name with other weights, e.g. retrained) into the same
folder is refused (`expansion.json` records them). Unreadable or too small
inputs are skipped and named in the summary, never fatal. Two inputs never
share an output (`x.jpg` and `x.png` keep their suffix). `manifest.jsonl` in
the output folder records what was made from what.

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
(1, 0, {})
"""

import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
from tqdm import tqdm

from keras_style_aug.networks.runtime import too_small
from keras_style_aug.utils.files import write_text_atomically
from keras_style_aug.utils.images import class_folders
from keras_style_aug.utils.images import image_files
from keras_style_aug.utils.images import load_image
from keras_style_aug.utils.images import output_stems
from keras_style_aug.utils.images import save_image

_CHUNK = 64  # images decoded ahead, in parallel


def plan(input_dir, output_dir, class_networks, copies=1):
    """(source, class, network, copy index, output path) for every output."""
    jobs = []
    for class_dir in class_folders(input_dir):
        networks = class_networks.get(class_dir.name) or class_networks.get("*")
        if not networks:
            continue
        files = image_files(class_dir)
        stems = output_stems([(class_dir, p) for p in files])
        for path in files:
            for k in range(copies):
                net = networks[k % len(networks)]
                style = net.name.replace(":", "-")  # "paintings6:wave"
                name = f"{stems[path]}_{style}_{k}.png"
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
        a summary dict: `written`, `skipped_existing`, `unreadable` (`{path:
        reason}`).
    """
    input_dir, output_dir = Path(input_dir), Path(output_dir)
    if not input_dir.is_dir():
        raise FileNotFoundError(f"--input {input_dir} is not a folder.")
    output = output_dir.resolve()
    if input_dir.resolve() in (output, *output.parents):
        # A rerun would take the copies, or their folder, as inputs.
        raise ValueError(
            f"--output {output_dir} is --input {input_dir} or inside it: a "
            "rerun would stylize the copies again. Pass a folder outside it."
        )
    multi = sorted(
        {n.name for ns in class_networks.values() for n in ns if n.style_names}
    )
    if multi:  # failed at the first image, after recording the settings
        raise ValueError(
            f"{multi} hold several styles: a copy takes one. Pass their styles "
            "one by one, e.g. styles.load('NETWORK:STYLE') or "
            "net.single_style(STYLE) (on the command line, NETWORK alone "
            "gives all its styles)."
        )
    classes = [p.name for p in class_folders(input_dir)]
    unknown = sorted(set(class_networks) - set(classes) - {"*"})
    if unknown:
        raise ValueError(
            f"Styles are given for classes {unknown}, which {input_dir} has no "
            f"folder for; its classes: {classes}."
        )
    jobs = plan(input_dir, output_dir, class_networks, copies)
    if not jobs:
        raise ValueError(
            f"Nothing to expand in {input_dir}: expected <class>/ subfolders with "
            "images, and styles for those classes."
        )
    output_dir.mkdir(parents=True, exist_ok=True)
    _check_settings(output_dir, class_networks, copies, size)
    todo = [j for j in jobs if not j[4].exists()]
    summary = {
        "written": 0,
        "skipped_existing": len(jobs) - len(todo),
        "unreadable": {},
    }
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
                    summary["unreadable"][str(source)] = (
                        "unreadable (not an image, corrupt, or too large)"
                    )
                    bar.update(len(by_source[source]))
                    continue
                if reason := too_small(*image.shape[:2]):
                    summary["unreadable"][str(source)] = reason
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


def _check_settings(output_dir, class_networks, copies, size):
    """Records the settings of a first run; a rerun must match them."""
    settings = {
        "size": size,
        "copies": copies,
        "styles": {
            cls: [net.name for net in nets] for cls, nets in class_networks.items()
        },
        "weights_sha256": {
            net.name: net.weights_sha256()
            for nets in class_networks.values()
            for net in nets
        },
    }
    path = output_dir / "expansion.json"
    if not path.exists():
        write_text_atomically(path, json.dumps(settings, indent=2) + "\n")
        return
    try:
        before = json.loads(path.read_text())
    except ValueError:
        before = None
    if not isinstance(before, dict):  # written by hand, or an old cut write
        raise ValueError(
            f"{path} is not the settings file an expansion writes (not a JSON "
            "object). Delete it to rerun with today's settings: finished "
            "images are kept and skipped."
        )
    differ = [k for k in settings if before.get(k) != settings[k]]
    if differ:
        detail = ", ".join(
            f"{k} {before.get(k)!r} then, {settings[k]!r} now"
            for k in differ
            if k != "weights_sha256"
        )
        if "weights_sha256" in differ and "styles" not in differ:
            was, now = before.get("weights_sha256") or {}, settings["weights_sha256"]
            names = sorted(n for n in now if was.get(n) != now[n])
            detail = ", ".join(
                filter(None, [detail, f"other weights for {names}, e.g. retrained"])
            )
        raise ValueError(
            f"{output_dir} holds an expansion made with other settings ({detail}). "
            "Write to a new --output folder, or delete this one to start over."
        )
