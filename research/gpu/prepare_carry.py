"""Prepares `.gpu/` (git-ignored) for runs on a lent GPU machine, which has no
TensorFlow, no network and no `../shared`, and takes at most 64 MiB per call,
the repository (23 MiB on 2026-11-29) included, counted in disk blocks. So the assets
go in parts, each small enough to travel with the repository in one call;
paths a call does not name in `carry` stay on the (warm) machine, so
successive calls build up the set:

- `wheels`: `.gpu/whl/`, the keras, namex and optree wheels for Python 3.12;
- `vgg16`: the VGG-16 conv weights in float16 (the classifier's base);
- `cats_vs_dogs`: the 2,002 labelled photos centre-cropped to 160 px (JPEG,
  in one .tgz);
- `styles`: the six paintings, the BSDS500 photos centre-cropped to 256 px
  (JPEG, in one .tgz) and the VGG-19 conv weights in float16 with block 5
  zeroed (the losses use conv1_2 .. conv4_3 only), for training style networks.

    python research/gpu/prepare_carry.py                   # every part
    python research/gpu/prepare_carry.py --parts cats_vs_dogs

It prints each part's size and the `carry` lists of the calls (CALLS).
"""

import argparse
import io
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import h5py
import numpy as np
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # research.assets
from keras_style_aug.utils.images import image_files
from keras_style_aug.utils.images import load_image
from research.assets import asset_path  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
CARRY = REPO / ".gpu"
ASSETS = CARRY / "assets"
WHEELS = ["keras==3.15.1", "namex", "optree"]
LIMIT = 64 * 2**20
VGG16 = Path("weights") / "vgg16_imagenet_notop.weights.h5"
VGG19 = Path("weights") / "vgg19_imagenet_notop.weights.h5"
# What each part writes, relative to the repository root.
PARTS = {
    "wheels": [".gpu/whl"],
    "vgg16": [f".gpu/assets/{VGG16}"],
    "cats_vs_dogs": [".gpu/assets/cats_vs_dogs.tgz"],
    "styles": [
        ".gpu/assets/styles",
        ".gpu/assets/content/bsds500.tgz",
        f".gpu/assets/{VGG19}",
    ],
}
# One device call per entry, in this order; each carries its parts' paths.
CALLS = [
    ("wheels", "vgg16"),
    ("cats_vs_dogs",),
    ("styles",),
]


def wheels():
    target = CARRY / "whl"
    target.mkdir(parents=True, exist_ok=True)
    platforms = [f"--platform=manylinux_2_{n}_x86_64" for n in (17, 27, 28)]
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "download",
            "--no-deps",
            "--only-binary=:all:",
            "--python-version",
            "3.12",
            "--implementation",
            "cp",
            *platforms,
            "--platform=manylinux2014_x86_64",
            "-d",
            str(target),
            *WHEELS,
        ],
        check=True,
    )


def photos(source, archive, size, quality):
    """Every image under `source`, centre-cropped to `size`, as JPEG in one
    gzipped tar, `archive`, under the folder of its name (the relative paths
    kept): the 2,002 cat/dog photos take 16.0 MiB so, 21.1 MiB as files (4 KiB
    blocks); `research/gpu/env.sh` unpacks it on the machine."""
    archive.parent.mkdir(parents=True, exist_ok=True)
    folder = Path(archive.stem)
    with tarfile.open(archive, "w:gz") as tar:
        for path in image_files(source, recursive=True):
            image = load_image(path, size=size, crop=True)
            if image is None:
                continue
            jpeg = io.BytesIO()
            Image.fromarray(image).save(jpeg, "JPEG", quality=quality)
            info = tarfile.TarInfo(
                str(folder / path.relative_to(source).with_suffix(".jpg"))
            )
            info.size = jpeg.tell()
            jpeg.seek(0)
            tar.addfile(info, jpeg)


def float16_weights(source, target, keep_convs=None):
    """A Keras `.weights.h5` with every array in float16, gzip-compressed;
    with `keep_convs`, the convolutions after the first `keep_convs` zeroed.
    Same layout, so `VGG19(weights=target)` loads it (as float32)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with h5py.File(source, "r") as src, h5py.File(target, "w") as dst:
        dst.attrs.update(src.attrs)

        def copy(name, item):
            if isinstance(item, h5py.Group):
                dst.require_group(name).attrs.update(item.attrs)
                return
            data = item[()].astype("float16")
            layer = name.split("/")[1]
            if keep_convs is not None and layer.startswith("conv2d"):
                index = 0 if layer == "conv2d" else int(layer.rsplit("_", 1)[1]) + 1
                if index >= keep_convs:
                    data = np.zeros_like(data)
            dst.create_dataset(name, data=data, compression="gzip")

        src.visititems(copy)


def build(part):
    if part == "wheels":
        wheels()
    elif part == "vgg16":
        float16_weights(asset_path(*VGG16.parts), ASSETS / VGG16)
    elif part == "cats_vs_dogs":
        photos(
            asset_path("cats_vs_dogs"),
            ASSETS / "cats_vs_dogs.tgz",
            size=160,
            quality=90,
        )
    elif part == "styles":
        (ASSETS / "styles").mkdir(parents=True, exist_ok=True)
        for path in image_files(asset_path("styles")):
            shutil.copy(path, ASSETS / "styles" / path.name)
        photos(
            asset_path("content", "bsds500"),
            ASSETS / "content" / "bsds500.tgz",
            size=256,
            quality=90,
        )
        float16_weights(asset_path(*VGG19.parts), ASSETS / VGG19, keep_convs=12)


def disk_size(file):
    """Bytes `file` takes on disk (whole blocks): what the device tool counts.
    It refused a call of 63.0 MiB in file sizes, 67.3 MiB in blocks."""
    return file.stat().st_blocks * 512


def size_of(path):
    path = REPO / path
    if path.is_file():
        return disk_size(path)
    return sum(disk_size(p) for p in path.rglob("*") if p.is_file())


def tracked_size():
    files = subprocess.run(
        ["git", "ls-files", "-z"], cwd=REPO, capture_output=True, check=True
    ).stdout.split(b"\0")
    return sum(disk_size(REPO / f.decode()) for f in files if f)


def report():
    """Each call's carry list and its size with the repository; fails when one
    is over the limit."""
    repo = tracked_size()
    print(f"repository (tracked files): {repo / 2**20:.1f} MiB")
    over = False
    for call in CALLS:
        paths = [p for part in call for p in PARTS[part]]
        total = repo + sum(size_of(p) for p in paths)
        over |= total > LIMIT
        print(f"call {'+'.join(call)}: {total / 2**20:.1f} MiB, carry={paths}")
    if over:
        raise SystemExit("a call is over the 64 MiB limit: split its parts.")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--parts", nargs="+", choices=list(PARTS), default=list(PARTS))
    args = parser.parse_args()
    for part in args.parts:
        for path in PARTS[part]:
            path = REPO / path
            if path.is_dir():
                shutil.rmtree(path)
            path.unlink(missing_ok=True)
        build(part)
        print(f"{part}: {sum(size_of(p) for p in PARTS[part]) / 2**20:.1f} MiB")
    report()
