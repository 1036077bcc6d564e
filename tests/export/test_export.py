import numpy as np
import pytest

from keras_style_aug.cli.main import main
from keras_style_aug.export import Stylizer
from keras_style_aug.export import export_stylizer
from keras_style_aug.layers import RandomStyleTransfer


def test_stylizer_matches_the_layer_at_a_fixed_style(make_net):
    net = make_net("a")
    x = np.random.default_rng(0).uniform(0, 255, (2, 21, 19, 3)).astype("float32")
    layer = RandomStyleTransfer(styles=[net], rate=1.0, strength=0.6,
                                preserve_color=True, seed=0)
    expected = np.asarray(layer(x))
    got = np.asarray(Stylizer(net, strength=0.6, preserve_color=True)(x))
    np.testing.assert_allclose(got, expected, atol=1e-3)


def test_saved_model_round_trip(tmp_path, make_net):
    error = export_stylizer(make_net("a"), tmp_path / "sm", check_size=20)
    assert error < 1e-2
    assert (tmp_path / "sm" / "saved_model.pb").is_file()


def test_onnx_round_trip_from_a_layer(tmp_path, make_net):
    pytest.importorskip("tf2onnx")
    pytest.importorskip("onnxruntime")
    layer = RandomStyleTransfer(styles=[make_net("a")], strength=0.5)
    error = export_stylizer(layer, tmp_path / "a.onnx", format="onnx", check_size=20)
    assert error < 1e-2


def test_export_cli(tmp_path, make_net, capsys):
    path = tmp_path / "a.weights.h5"
    make_net("a").save_weights(path)
    assert main(["export", "--style", str(path), "--output", str(tmp_path / "out")]) == 0
    assert "differs from the Keras model by at most" in capsys.readouterr().out
