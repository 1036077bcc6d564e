"""research/publishing: the droplet experiment's middle variant (instance norm
in the encoder only), its equal steps across variants, and
`diagnose_blobs.structure_kept`, the measure of a photo's layout that an
output keeps."""

import numpy as np
import pytest

from keras_style_aug.networks import TransformerNet
from keras_style_aug.networks import phase_layout


@pytest.fixture
def publishing(monkeypatch):
    from pathlib import Path

    monkeypatch.syspath_prepend(
        str(Path(__file__).parents[2] / "research" / "publishing")
    )


def photo(size=64):
    """A coarse layout: a bright disc on a dark-to-light gradient."""
    y, x = np.mgrid[:size, :size] / size
    grey = 0.2 + 0.5 * x + 0.3 * ((x - 0.3) ** 2 + (y - 0.5) ** 2 < 0.05)
    return np.repeat(grey[..., None] * 255, 3, axis=-1)


def test_structure_kept_sees_the_layout_not_the_texture(publishing):
    from diagnose_blobs import structure_kept

    image = photo()
    i, j = np.mgrid[:64, :64]
    checks = 40.0 * (-1.0) ** (i + j)[..., None]  # a pixel-fine texture
    assert structure_kept(image, image) == pytest.approx(1.0)
    assert structure_kept(image, 255 - image) == pytest.approx(-1.0)
    # A fine texture over the same layout keeps it; over another layout (a
    # top-to-bottom gradient, orthogonal to the photo's) it does not.
    assert structure_kept(image, image + checks) > 0.95
    other_layout = np.repeat(127 + checks + 100 * (i / 64 - 0.5)[..., None], 3, -1)
    assert abs(structure_kept(image, other_layout)) < 0.05


@pytest.mark.parametrize("layout", ["phase", "plain"])
def test_instance_norm_in_the_encoder_only(publishing, monkeypatch, layout):
    from droplet_experiment import VARIANTS

    calls = []
    for name in ("instance_norm", "affine_norm"):
        norm = getattr(phase_layout, name)

        def counted(*args, norm=norm, name=name, **kwargs):
            calls.append(name)
            return norm(*args, **kwargs)

        monkeypatch.setattr(phase_layout, name, counted)
    patch, options = VARIANTS["instance norm in the encoder only, saturation penalty"]
    net = TransformerNet.from_preset("lite", normalization=options["normalization"])
    images = np.random.default_rng(0).uniform(0, 255, (1, 16, 16, 3))
    with patch():
        net.stylize_01(images.astype("float32") / 255, layout=layout)
    encoder = ["instance_norm"] * 3
    assert calls == encoder + ["affine_norm"] * (len(calls) - 3)
    assert len(calls) == len(net.layer_weights()) - 1  # every stage but conv_out
    calls.clear()
    net.stylize_01(images.astype("float32") / 255, layout=layout)
    assert set(calls) == {"affine_norm"}  # the patch is gone after the variant


def test_variants_after_one_cut_short_train_as_many_steps(publishing):
    from droplet_experiment import steps_for_next

    assert steps_for_next(3000, {}) == 3000
    report = {"instance norm": {"steps": 2850}}  # stopped by the time limit
    assert steps_for_next(3000, report) == 2850
    report["saturation penalty"] = {"steps": 2850}
    assert steps_for_next(3000, report) == 2850
    assert steps_for_next(2000, report) == 2000
