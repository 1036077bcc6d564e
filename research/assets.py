"""Where the real assets of the tests, studies and maintainers' scripts live.

ImageNet VGG weights, cat/dog photos and content photos are read from a folder
laid out as ``weights/``, ``cats_vs_dogs/train/{cat,dog}/`` and
``content/bsds500/``: ``$KSA_ASSETS``, by default ``../shared/assets`` beside
the repository. The package itself never reads it: users pass paths, or let
Keras and TFDS download (``weights="imagenet"``, ``tfds.load(...)``).
"""

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent


def assets_dir():
    """The assets folder: ``$KSA_ASSETS`` or ``<repo>/../shared/assets``."""
    env = os.environ.get("KSA_ASSETS")
    return Path(env) if env else REPO_ROOT.parent / "shared" / "assets"


def asset_path(*parts):
    """Path of one asset; raises ``FileNotFoundError`` naming ``KSA_ASSETS``."""
    path = assets_dir().joinpath(*parts)
    if not path.exists():
        raise FileNotFoundError(
            f"Asset {path} not found. Set the KSA_ASSETS environment variable "
            "to the folder that holds weights/, content/ and cats_vs_dogs/ "
            "(default: ../shared/assets beside the repository)."
        )
    return path
