"""Prepares `.gpu/` (git-ignored) for a run on a lent GPU machine, which has no
TensorFlow, no network and no `../shared`, and takes at most 64 MiB per call:

- `.gpu/whl/`: the keras, namex and optree wheels for its Python 3.12;
- `.gpu/assets/`: a `KSA_ASSETS` folder with the BSDS500 photos centre-cropped
  to 256 px (JPEG), the six paintings, and the VGG-19 conv weights with block 5
  zeroed and compressed (the losses use conv1_2 .. conv4_3 only).

    python tools/device/prepare_carry.py
"""

import shutil
import subprocess
import sys
from pathlib import Path

import h5py
import numpy as np
from PIL import Image

from keras_style_aug.assets import asset_path
from keras_style_aug.utils.images import image_files
from keras_style_aug.utils.images import load_image

REPO = Path(__file__).resolve().parents[2]
CARRY = REPO / ".gpu"
WHEELS = ["keras==3.15.1", "namex", "optree"]


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


def content(size=256):
    target = CARRY / "assets" / "content" / "bsds500"
    target.mkdir(parents=True, exist_ok=True)
    for path in image_files(asset_path("content", "bsds500")):
        image = load_image(path, size=size, crop=True)
        Image.fromarray(image).save(target / path.name, quality=92)


def paintings():
    target = CARRY / "assets" / "styles"
    target.mkdir(parents=True, exist_ok=True)
    for path in image_files(asset_path("styles")):
        shutil.copy(path, target / path.name)


def vgg19(keep_convs=12):
    """The conv weights with every conv after the 12th (block 5) zeroed and
    gzip-compressed: same layout, so `VGG19(weights=path)` loads it."""
    source = asset_path("weights", "vgg19_imagenet_notop.weights.h5")
    target = CARRY / "assets" / "weights" / source.name
    target.parent.mkdir(parents=True, exist_ok=True)
    with h5py.File(source, "r") as src, h5py.File(target, "w") as dst:
        dst.attrs.update(src.attrs)

        def copy(name, item):
            if isinstance(item, h5py.Group):
                dst.require_group(name).attrs.update(item.attrs)
                return
            layer = name.split("/")[1]
            index = 0 if layer == "conv2d" else int(layer.rsplit("_", 1)[1]) + 1
            data = item[()]
            if layer.startswith("conv2d") and index >= keep_convs:
                data = np.zeros_like(data)
            dst.create_dataset(name, data=data, compression="gzip")

        src.visititems(copy)


if __name__ == "__main__":
    wheels()
    content()
    paintings()
    vgg19()
    print(
        subprocess.run(["du", "-sh", str(CARRY)], capture_output=True, text=True).stdout
    )
