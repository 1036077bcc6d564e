"""Every Python block of the README and of the documentation pages runs as
written, each in a fresh namespace. The suite runs them on TensorFlow;
`tests/layers/test_backends.py` reruns the README's on JAX and PyTorch."""

import re
from pathlib import Path

import pytest
from keras.src.utils import file_utils

from tests.conftest import downloads_allowed
from tests.conftest import missing
from tests.conftest import vgg_weights_file

ROOT = Path(__file__).resolve().parents[2]
PAGES = sorted((ROOT / "docs").glob("*.md"))


def blocks(path):
    return re.findall(r"^```python\n(.*?)^```", path.read_text(), re.M | re.S)


BLOCKS = blocks(ROOT / "README.md")
# Keras's download of each ImageNet conv base, by file name.
IMAGENET = {
    "vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5": "vgg16",
    "vgg19_weights_tf_dim_ordering_tf_kernels_notop.h5": "vgg19",
}


def test_the_readme_and_the_pages_have_their_blocks():
    # The recipe in a model, and in tf.data.
    assert len(BLOCKS) == 2
    assert any("Pipeline" in b and "tf.data" in b for b in BLOCKS)
    pages = {p.stem: blocks(p) for p in PAGES}
    # Training a style, Grad-CAM, per-class styles, random embeddings.
    assert any("StyleTrainer(" in b for b in pages["training"])
    assert any("GradCamStyleSelector(" in b for b in pages["selection"])
    assert any("class_styles=" in b for b in pages["layer"])
    assert any("random_embedding=" in b for b in pages["layer"])


def run_blocks(name, blocks, tmp_path, monkeypatch, request):
    """Runs `blocks` of the file `name`; Keras's ImageNet downloads are
    served from the local VGG files (the same loading code, offline)."""
    local = {kind: vgg_weights_file(kind) for kind in ("vgg16", "vgg19")}
    left_out = [k for k, path in local.items() if path is None]
    if left_out and downloads_allowed(request.config):
        left_out = []  # Keras downloads them
    download = file_utils.get_file

    def get_file(fname=None, origin=None, *args, **kwargs):
        path = local.get(IMAGENET.get(fname))
        return str(path) if path else download(fname, origin, *args, **kwargs)

    monkeypatch.setattr(file_utils, "get_file", get_file)
    monkeypatch.chdir(tmp_path)
    ran = 0
    for i, block in enumerate(blocks):
        if left_out and "imagenet" in block:
            continue
        exec(compile(block, f"{name} block {i}", "exec"), {"__name__": "__main__"})
        ran += 1
    if ran < len(blocks):
        missing(
            f"the ImageNet {' and '.join(k.upper() for k in left_out)} weights "
            f"that {len(blocks) - ran} of the {len(blocks)} blocks of {name} "
            f"need (the other {ran} ran)"
        )


def test_readme_blocks_run_as_written(tmp_path, monkeypatch, request):
    run_blocks("README.md", BLOCKS, tmp_path, monkeypatch, request)


@pytest.mark.parametrize("page", [p.name for p in PAGES])
def test_documentation_blocks_run_as_written(page, tmp_path, monkeypatch, request):
    path = ROOT / "docs" / page
    run_blocks(f"docs/{page}", blocks(path), tmp_path, monkeypatch, request)
