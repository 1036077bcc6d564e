"""Every Python block of the README runs as written, each in a fresh
namespace. The suite runs them on TensorFlow; `tests/layers/test_backends.py`
reruns this test on JAX and PyTorch."""

import re
from pathlib import Path

from keras.src.utils import file_utils

from tests.conftest import downloads_allowed
from tests.conftest import missing
from tests.conftest import vgg_weights_file

README = Path(__file__).resolve().parents[2] / "README.md"
BLOCKS = re.findall(r"^```python\n(.*?)^```", README.read_text(), re.M | re.S)
# Keras's download of each ImageNet conv base, by file name.
IMAGENET = {
    "vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5": "vgg16",
    "vgg19_weights_tf_dim_ordering_tf_kernels_notop.h5": "vgg19",
}


def test_the_readme_has_its_blocks():
    # The recipe in a model, tf.data, training a style, the classifier,
    # per-class styles.
    assert len(BLOCKS) == 5
    assert any("Pipeline" in b and "tf.data" in b for b in BLOCKS)


def test_readme_blocks_run_as_written(tmp_path, monkeypatch, request):
    local = {kind: vgg_weights_file(kind) for kind in ("vgg16", "vgg19")}
    left_out = [k for k, path in local.items() if path is None]
    if left_out and downloads_allowed(request.config):
        left_out = []  # Keras downloads them
    download = file_utils.get_file

    def get_file(fname=None, origin=None, *args, **kwargs):
        path = local.get(IMAGENET.get(fname))  # the same loading code, offline
        return str(path) if path else download(fname, origin, *args, **kwargs)

    monkeypatch.setattr(file_utils, "get_file", get_file)
    monkeypatch.chdir(tmp_path)
    ran = 0
    for i, block in enumerate(BLOCKS):
        if left_out and "imagenet" in block:
            continue
        exec(compile(block, f"README.md block {i}", "exec"), {"__name__": "__main__"})
        ran += 1
    if ran < len(BLOCKS):
        missing(
            f"the ImageNet {' and '.join(k.upper() for k in left_out)} weights "
            f"that {len(BLOCKS) - ran} of the README's {len(BLOCKS)} blocks need "
            f"(the other {ran} ran)"
        )
