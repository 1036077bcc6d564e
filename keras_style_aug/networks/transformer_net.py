"""`TransformerNet`: the image transformation network of Johnson et al. (2016),
as the paper uses it: 9x9 conv, two stride-2 3x3 convs, residual blocks, two
(nearest x2 upsample, 3x3 conv) stages, 9x9 conv to RGB; reflection padding,
instance normalization with learned scale and offset after every conv but the
last (or, with ``normalization="affine"``, the scale and offset alone), and a
``tanh`` output mapped into the input's value range.

The architecture is written once (``architecture.py``) and runs in the fast,
exactly equivalent phase layout (``phase_layout.py``) or the paper's plain
one (``plain_layout.py``). With ``style_names`` the network holds several
styles (Dumoulin et al. 2017, conditional instance normalization: one norm
scale and offset row per style). The forward pass is written against a
backend namespace, so the same weights run on any Keras backend and inside a
``tf.data`` pipeline.

Example:

>>> import numpy as np
>>> from keras_style_aug.networks import TransformerNet
>>> net = TransformerNet.from_preset("lite")
>>> net(np.zeros((2, 67, 67, 3), "float32")).shape
TensorShape([2, 67, 67, 3])
>>> multi = TransformerNet.from_preset("lite", style_names=["a", "b"])
>>> multi(np.zeros((2, 32, 32, 3), "float32"), style=[0.3, 0.7]).shape
TensorShape([2, 32, 32, 3])
"""

import keras
import numpy as np

from keras_style_aug.networks import architecture
from keras_style_aug.networks import style_choice
from keras_style_aug.networks.runtime import check_images
from keras_style_aug.networks.runtime import is_traced
from keras_style_aug.networks.runtime import jitted
from keras_style_aug.networks.runtime import stylize
from keras_style_aug.networks.weights_io import check_file_fits
from keras_style_aug.networks.weights_io import check_finite
from keras_style_aug.networks.weights_io import file_architecture
from keras_style_aug.networks.weights_io import weights_sha256
from keras_style_aug.networks.weights_io import write_normalization
from keras_style_aug.utils.keras_private import DynamicBackend

PRESETS = {
    # The paper's network (Johnson et al. 2016): 1.68 M parameters.
    "full": {"filters": (32, 64, 128), "residual_blocks": 5},
    # A quarter of the arithmetic, for fast augmentation.
    "lite": {"filters": (16, 32, 64), "residual_blocks": 3},
}


@keras.saving.register_keras_serializable(package="keras_style_aug")
class TransformerNet(keras.Model):
    """Fast style transfer network (Johnson et al. 2016).

    The architecture is written in `keras_style_aug/networks/architecture.py`
    (`conv_layers()` and `forward()`); this class holds its weights, by layer
    name (`layer_weights()`), and runs it (`stylize_01()` on [0, 1] images,
    `__call__` on images in `value_range`).

    Args:
        filters: channels of the full-, half- and quarter-resolution stages.
        residual_blocks: number of residual blocks at quarter resolution.
        value_range: range of input and output pixel values, `(0, 255)` by
            default; `(0, 1)` or `(-1, 1)` work as well.
        style_names: `None` for a single-style network; a list of names for a
            multi-style network with conditional instance normalization (one
            scale and offset row per style). Call it with `style=`.
        normalization: what follows each convolution but the last:
            `"instance"` (the paper's instance normalization, then the
            learned scale and offset) or `"affine"` (the scale and offset
            alone, no per-image statistics). Saved weights files record it.

    Any image size of at least 8x8 works: sides not divisible by 4 are
    reflection-padded, then the output is cropped back to the input's size.
    """

    def __init__(
        self,
        filters=PRESETS["full"]["filters"],
        residual_blocks=PRESETS["full"]["residual_blocks"],
        value_range=(0, 255),
        style_names=None,
        normalization="instance",
        **kwargs,
    ):
        super().__init__(**kwargs)
        architecture.check_arguments(filters, residual_blocks, value_range)
        architecture.check_normalization(normalization)
        self.filters = tuple(int(f) for f in filters)
        self.residual_blocks = int(residual_blocks)
        self.value_range = tuple(float(v) for v in value_range)
        style_names = architecture.check_style_names(style_names)
        self.style_names = style_names
        self.normalization = normalization
        self._backend = DynamicBackend()

    @property
    def num_styles(self):
        """Styles the network holds: 1, or `len(style_names)`."""
        return len(self.style_names) if self.style_names else 1

    @property
    def is_multi_style(self):
        return self.style_names is not None

    @classmethod
    def from_preset(cls, preset, **kwargs):
        """A network with the architecture of `"full"` or `"lite"` (untrained).

        Trained styles are loaded with `keras_style_aug.styles.load(name)`.
        """
        if preset not in PRESETS:
            raise ValueError(
                f"Unknown preset {preset!r}; choose one of {sorted(PRESETS)}."
            )
        return cls(**PRESETS[preset], **kwargs)

    # ------------------------------------------------------------------ weights
    def build(self, input_shape=None):
        if self.built:
            return
        # One variable per array of `architecture.weight_names()`, created in
        # that (storage) order and found by name.
        self._params = []
        self._param_index = {}
        for kind_name, shape, initializer in architecture.weight_specs(
            self.filters, self.residual_blocks, self.style_names
        ):
            self._param_index[kind_name] = len(self._params)
            self._params.append(
                self.add_weight(
                    shape=shape,
                    initializer=initializer,
                    name=kind_name.replace("/", "_"),
                )
            )
        self.built = True

    def _ensure_built(self):
        """`build()` only when not built: Keras enters a name scope named
        after the network for every `build()` call, and a traced TensorFlow
        call refuses the scope of a `NETWORK:STYLE` name."""
        if not self.built:
            self.build()

    def layer_weights(self, backend=None, dtype="float32"):
        """`{layer: {kind: tensor}}` for `architecture.forward`, e.g.
        `["conv_in"]["kernel"]`, cast to `dtype`."""
        self._ensure_built()
        b = backend or self._backend
        return self._by_layer(b, self._param_values(b), dtype)

    def _by_layer(self, b, values, dtype):
        """Stored arrays (in storage order) -> `{layer: {kind: tensor}}`."""
        weights = {}
        for name, i in self._param_index.items():
            layer, kind = name.split("/")
            weights.setdefault(layer, {})[kind] = b.cast(values[i], dtype)
        return weights

    def _param_values(self, b):
        if b.name == keras.backend.backend():
            return [v.value for v in self._params]
        # A tf.data pipeline under another Keras backend: the graph is traced
        # once, so the weights are converted once.
        return [b.convert_to_tensor(np.asarray(v.numpy())) for v in self._params]

    def weights_sha256(self):
        """Hex sha256 of the weights (as float32): tells two networks of one
        name apart, e.g. a style before and after retraining."""
        self._ensure_built()  # an unbuilt network: its initial weights
        return weights_sha256(self.get_weights())

    def clone(self, dtype=None, name=None):
        """A copy with the same architecture and weights (its own variables),
        computing under `dtype` (a dtype policy) if given."""
        overrides = {"dtype": dtype, "name": name}
        twin = self._sibling(**{k: v for k, v in overrides.items() if v is not None})
        twin.set_weights(self.get_weights())
        return twin

    def _sibling(self, **overrides):
        """A new, built network from this one's config with `overrides`."""
        self._ensure_built()
        config = self.get_config()
        config.update(overrides)
        config.pop("trainable", None)
        sibling = TransformerNet.from_config(config)
        sibling.build()
        return sibling

    def single_style(self, style, name=None):
        """One style of a multi-style network as a single-style network: the
        same convolutions with that style's norm parameters, so the same
        outputs as `self(images, style=style)` (and the same cost).

        >>> multi = TransformerNet.from_preset("lite", style_names=["a", "b"])
        >>> multi.single_style("b").style_names is None
        True
        """
        row = style_choice.style_row(self, style)
        single = self._sibling(name=name or style, style_names=None)
        single.set_weights(style_choice.row_weights(self, row))
        return single

    @classmethod
    def from_weights_file(cls, path, name=None, style_names=None, **kwargs):
        """Builds the network a `.weights.h5` file was saved from and loads it.

        For a multi-style file, `style_names` names its styles (in the order
        they were trained); they default to `style_0`, `style_1`, ...

        Raises `ValueError` naming the file when it is not a readable
        `TransformerNet` weights file.
        """
        arch, style_names, normalization = file_architecture(path, style_names)
        net = cls(
            **arch,
            name=name,
            style_names=style_names,
            normalization=normalization,
            **kwargs,
        )
        net.build()
        net.load_weights(path)
        return net

    def save_weights(self, filepath, overwrite=True, **kwargs):
        """Saves the weights as Keras does, recording `normalization` in a
        `.weights.h5` file."""
        super().save_weights(filepath, overwrite=overwrite, **kwargs)
        if str(filepath).endswith(".weights.h5"):  # not a sharded save
            write_normalization(filepath, self.normalization)

    def load_weights(self, filepath, skip_mismatch=False, **kwargs):
        """Loads a `.weights.h5` file; float16 files are cast to float32."""
        self._ensure_built()
        check_file_fits(self, filepath)
        super().load_weights(filepath, skip_mismatch=skip_mismatch, **kwargs)
        check_finite(self, filepath)

    # ------------------------------------------------------------------ forward
    def call(
        self, images, style=None, with_pre_tanh=False, with_upsampling_norms=False
    ):
        """Stylizes images in `value_range`.

        Args:
            images: `(N, H, W, 3)` images.
            style: for a multi-style network, which style: a name, an index,
                a mix by name `{name: weight}`, per-image indices `(N,)`, a
                convex mix `(num_styles,)` or per-image mixes
                `(N, num_styles)`. Not used otherwise.
            with_pre_tanh: also return the output before `tanh`, `(N, H, W,
                3)` (training penalizes its saturation: see `StyleTrainer`).
            with_upsampling_norms: also return the upsampling stages'
                normalized activations (see `architecture.forward`; training
                penalizes their spikes).

        Returns:
            The stylized images; with either flag, a tuple of them and what
            the flags ask for, in the order above.
        """
        low, high = self.value_range
        x = self._backend.cast(images, self.compute_dtype)
        weights = self.style_weights(style, self._backend.shape(x)[0])
        out = self.stylize_01(
            (x - low) / (high - low),
            style_weights=weights,
            with_pre_tanh=with_pre_tanh,
            with_upsampling_norms=with_upsampling_norms,
        )
        if with_pre_tanh or with_upsampling_norms:
            return (out[0] * (high - low) + low, *out[1:])
        return out * (high - low) + low

    def style_weights(self, style, batch_size, backend=None):
        """`style` (see `call`) -> `(batch_size, num_styles)` mixing weights;
        `None` for a single-style network (see `style_choice.py`)."""
        return style_choice.mixing_weights(
            self, style, batch_size, backend or self._backend
        )

    def stylize_01(
        self,
        images,
        style_weights=None,
        layout="phase",
        backend=None,
        with_pre_tanh=False,
        with_upsampling_norms=False,
    ):
        """Stylizes channels-last images with values in [0, 1] (returned in
        [0, 1]): the one entry every runner (the layer, export, benchmarks,
        tests) goes through.

        Args:
            images: `(N, H, W, 3)` tensor in [0, 1], any size of at least 8x8
                (reflection-padded to a multiple of 4, cropped back).
            style_weights: `(N, num_styles)` mixing weights, for a multi-style
                network (see `style_weights()`).
            layout: `"phase"` (fast, default) or `"plain"` (the paper's
                drawing); both compute the same function.
            backend: a `DynamicBackend`; pass a `tf.data` layer's backend to
                run with TensorFlow ops whatever the Keras backend is.
            with_pre_tanh: as in `call`; that output comes in float32.
            with_upsampling_norms: as in `call`.

        Returns:
            The stylized images; with either flag, a tuple of them and what
            the flags ask for, in this order.
        """
        self._ensure_built()
        b = backend or self._backend
        if self.is_multi_style and style_weights is None:
            raise ValueError(
                f"{self.name} holds {self.num_styles} styles: pass "
                "`style_weights` (see TransformerNet.style_weights)."
            )
        images = check_images(b, images, "TransformerNet")
        if images.shape[0] == 0 and not (with_pre_tanh or with_upsampling_norms):
            return b.cast(images, self.compute_dtype)  # nothing to pad or stylize
        values = self._param_values(b)
        outputs = (with_pre_tanh, with_upsampling_norms)
        if b.name == "jax" and not is_traced(images):
            # Eager JAX compiles op by op; one compiled call is far quicker.
            return jitted(self, layout, outputs)(images, style_weights, values)
        return stylize(self, b, images, style_weights, values, layout, outputs)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "filters": list(self.filters),
                "residual_blocks": self.residual_blocks,
                "value_range": list(self.value_range),
                "style_names": list(self.style_names) if self.style_names else None,
                "normalization": self.normalization,
            }
        )
        return config

    @classmethod
    def from_config(cls, config):
        # Model.get_config adds keys (e.g. "trainable") that __init__ accepts.
        return cls(**dict(config))
