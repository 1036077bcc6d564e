"""Export a style for serving: a deterministic `Stylizer` model, saved as a
TensorFlow SavedModel or ONNX and checked by reloading.

>>> import tempfile, numpy as np
>>> from keras_style_aug.networks import TransformerNet
>>> net = TransformerNet(filters=(4, 8, 8), residual_blocks=1, name="toy")
>>> path = tempfile.mkdtemp() + "/toy"
>>> error = export_stylizer(net, path, format="tf_saved_model", check_size=16)
>>> error < 0.01
True
"""

from pathlib import Path

import keras
import numpy as np
from keras import ops

from keras_style_aug.constants import EXPORT_FORMATS as FORMATS
from keras_style_aug.layers import RandomStyleTransfer
from keras_style_aug.layers import pixels


@keras.saving.register_keras_serializable(package="keras_style_aug")
class Stylizer(keras.Model):
    """Always stylizes with one style at a fixed strength (no randomness).

    Args:
        style: a style name, weights path or `TransformerNet`.
        strength: as in `RandomStyleTransfer`.
        preserve_color: as in `RandomStyleTransfer`.
        value_range: as in `RandomStyleTransfer`.
        style_mix: for a multi-style network, which of its styles: a name or
            a fixed mix `{name: weight}`.
    """

    def __init__(
        self,
        style,
        strength=1.0,
        preserve_color=False,
        value_range=(0, 255),
        style_mix=None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.transfer = RandomStyleTransfer(
            styles=[style],
            rate=1.0,
            strength=float(strength),
            preserve_color=preserve_color,
            value_range=value_range,
        )
        net = self.transfer.networks[0]
        self.style_mix = style_mix
        if net.is_multi_style and style_mix is None:
            raise ValueError(
                f"{net.name} holds styles {list(net.style_names)}: pass "
                "`style_mix`, a name or {name: weight}."
            )
        if net.is_multi_style:
            if isinstance(style_mix, str):
                style_mix = {style_mix: 1.0}
            net.style_weights(style_mix, 1)  # checks the names now
        elif style_mix is not None:
            raise ValueError(
                f"{net.name} is a single-style network: leave `style_mix` unset."
            )
        self._style = style_mix

    def build(self, input_shape=None):
        self.transfer.networks[0].build()  # the only weights, already loaded
        self.built = True

    def call(self, images):
        images = ops.cast(images, self.compute_dtype)
        net = self.transfer.networks[0]
        weights = net.style_weights(self._style, ops.shape(images)[0])
        b = self.transfer.backend
        value_range = self.transfer.value_range
        stylized_01 = net.stylize_01(
            pixels.to_01(b, images, value_range), style_weights=weights
        )
        strength = ops.full((ops.shape(images)[0],), self.transfer.strength[0])
        return pixels.blend(
            b, images, stylized_01, strength, value_range, self.transfer.preserve_color
        )

    def compute_output_shape(self, input_shape):
        return input_shape


def export_stylizer(
    style,
    path,
    format="tf_saved_model",
    strength=1.0,
    preserve_color=False,
    check_size=64,
    style_mix=None,
):
    """Exports a `Stylizer` and returns the max abs error of the reloaded copy.

    Args:
        style: a style name, weights path, `TransformerNet`, or a
            `RandomStyleTransfer` (its first style and lower strength).
        path: output folder (SavedModel) or `.onnx` file.
        format: `"tf_saved_model"` (needs TensorFlow) or `"onnx"` (needs
            `tf2onnx` and `onnxruntime`: `pip install keras-style-aug[export]`).
        check_size: side of the random images used for the reload check; an
            odd size checks the padding too.
        style_mix: for a multi-style network, a style name or `{name: weight}`.
    """
    if format not in FORMATS:
        raise ValueError(f"`format` must be one of {FORMATS}; received {format!r}.")
    # Checked first: an ONNX export would replace any file at `path`.
    if format == "onnx" and Path(path).suffix != ".onnx":
        raise ValueError(f"An ONNX export is a .onnx file; received path {path}.")
    if format == "tf_saved_model" and Path(path).is_file():
        raise ValueError(f"A SavedModel is a folder, but {path} is a file.")
    if isinstance(style, str) and not style.endswith(".h5"):
        from keras_style_aug import styles

        style = styles.load(style)
    if isinstance(style, RandomStyleTransfer):
        strength, preserve_color = style.strength[0], style.preserve_color
        style = style.networks[0]
    stylizer = Stylizer(
        style, strength=strength, preserve_color=preserve_color, style_mix=style_mix
    )
    inputs = keras.Input((None, None, 3), name="images")
    model = keras.Model(inputs, stylizer(inputs))
    x = (
        np.random.default_rng(0)
        .uniform(0, 255, (2, check_size + 1, check_size + 3, 3))
        .astype("float32")
    )
    expected = np.asarray(model.predict_on_batch(x))
    model.export(str(path), format=format, verbose=False)
    if format == "tf_saved_model":
        import tensorflow as tf

        loaded = tf.saved_model.load(str(path))  # keep: it owns the variables
        reloaded = loaded.serve(x).numpy()
    else:
        import onnxruntime

        runtime = onnxruntime.InferenceSession(str(path))
        reloaded = runtime.run(None, {runtime.get_inputs()[0].name: x})[0]
    return float(np.abs(reloaded - expected).max())
