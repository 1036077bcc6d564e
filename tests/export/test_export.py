import numpy as np
import pytest

from keras_style_aug.cli.main import main
from keras_style_aug.export import Stylizer
from keras_style_aug.export import export_stylizer
from keras_style_aug.layers import RandomStyleTransfer


def test_stylizer_matches_the_layer_at_a_fixed_style(make_net):
    net = make_net("a")
    x = np.random.default_rng(0).uniform(0, 255, (2, 21, 19, 3)).astype("float32")
    layer = RandomStyleTransfer(
        styles=[net], rate=1.0, strength=0.6, preserve_color=True, seed=0
    )
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


@pytest.mark.parametrize(
    "format, match", [("onnx", "is a .onnx file"), ("tf_saved_model", "is a file")]
)
def test_an_output_that_is_no_such_export_is_refused_and_kept(
    tmp_path, make_net, format, match
):
    photo = tmp_path / "photo.jpg"  # an ONNX export replaced it
    photo.write_bytes(b"a user's file")
    with pytest.raises(ValueError, match=match):
        export_stylizer(make_net("a"), photo, format=format, check_size=16)
    assert photo.read_bytes() == b"a user's file"


def test_export_cli(tmp_path, make_net, capsys):
    path = tmp_path / "a.weights.h5"
    make_net("a").save_weights(path)
    assert (
        main(["export", "--style", str(path), "--output", str(tmp_path / "out")]) == 0
    )
    assert "differs from the Keras model by at most" in capsys.readouterr().out
    # A multi-style network named alone said "pass `style_mix`", which is
    # no option of the command.
    out = str(tmp_path / "lite")
    assert main(["export", "--style", "paintings6_lite", "--output", out]) == 2
    assert "pass --styles paintings6_lite:STYLE" in capsys.readouterr().err


def test_multi_style_stylizer_uses_the_chosen_style_or_mix(multi, tmp_path):
    import keras

    x = np.random.default_rng(0).uniform(0, 255, (2, 20, 24, 3)).astype("float32")
    got = keras.ops.convert_to_numpy(Stylizer(multi, style_mix="b")(x))
    np.testing.assert_allclose(
        got, keras.ops.convert_to_numpy(multi(x, style="b")), atol=1e-2
    )
    mixed = keras.ops.convert_to_numpy(Stylizer(multi, style_mix={"a": 1, "c": 3})(x))
    np.testing.assert_allclose(
        mixed, keras.ops.convert_to_numpy(multi(x, style=[0.25, 0, 0.75])), atol=1e-2
    )
    with pytest.raises(ValueError, match="pass `style_mix`"):
        Stylizer(multi)
    with pytest.raises(ValueError, match="names \\['z'\\], which abc does not hold"):
        Stylizer(multi, style_mix="z")
    pytest.importorskip("tf2onnx")
    error = export_stylizer(
        multi,
        tmp_path / "m.onnx",
        format="onnx",
        style_mix={"a": 0.5, "b": 0.5},
        check_size=16,
    )
    assert error < 0.05
