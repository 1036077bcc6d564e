"""Where the project's real test and example assets live.

Tests, examples and benchmarks read ImageNet VGG weights, cat/dog photos, content
photos and style paintings from a folder laid out like ``../shared/assets`` (see
the repository README). ``KSA_ASSETS`` overrides the default, which is
``../shared/assets`` relative to the repository root.

>>> from keras_style_aug.assets import asset_path
>>> asset_path("styles", "wave.jpg").name
'wave.jpg'
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
            "to the folder that holds weights/, styles/, content/ and "
            "cats_vs_dogs/ (default: ../shared/assets beside the repository)."
        )
    return path
