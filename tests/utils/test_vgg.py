"""`vgg_conv_base`: what a user sees when the ImageNet download fails."""

import pytest
from keras.src.utils import file_utils

from keras_style_aug.utils.vgg import vgg_conv_base


def test_a_failed_imagenet_download_says_how_to_pass_a_local_copy(monkeypatch):
    def offline(fname, origin, **kwargs):
        raise Exception(f"URL fetch failure on {origin}: None -- no network")

    monkeypatch.setattr(file_utils, "get_file", offline)
    with pytest.raises(OSError, match="download the ImageNet VGG19.*--vgg-weights"):
        vgg_conv_base("vgg19", "imagenet", (32, 32, 3))
    with pytest.raises(
        OSError,
        match=r"VGG16.*keras.applications.VGG16\(include_top=False.*--vgg16-weights",
    ):
        vgg_conv_base("vgg16", "imagenet", (32, 32, 3))
