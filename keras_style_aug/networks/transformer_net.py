"""The image transformation network of Johnson et al. (2016), as the paper uses it.

9x9 conv -> two stride-2 3x3 convs -> residual blocks -> two (nearest x2 upsample,
3x3 conv) stages -> 9x9 conv to RGB. Reflection padding everywhere, instance
normalization with learned scale and offset after every conv but the last, and a
``tanh`` output mapped into the input's value range.

The full-resolution layers run in a faster, exactly equivalent layout (see
``phase_layout.py``): each 9x9 convolution as a 5x5 convolution over a
space-to-depth input, each upsample-then-convolve as one convolution that
writes the four sub-pixel phases, the first stride-2 convolution as a 2x2
convolution over the space-to-depth feature map. The weights are the paper's,
weight for weight; ``reference.py`` keeps the plain layout to check this.

With ``style_names`` the network holds several styles (Dumoulin et al. 2017,
conditional instance normalization): only the normalization scales and
offsets depend on the style, one row per style, and any convex mix of the rows
is a style too.

The forward pass is written once against a backend namespace (``numpy``, ``nn``,
``core`` modules), so the same weights run in a model on any Keras backend and,
through ``keras_style_aug.layers.RandomStyleTransfer``, inside a ``tf.data``
pipeline whatever the Keras backend is.

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

import h5py
import keras
import numpy as np
from keras.src.utils.backend_utils import DynamicBackend

from keras_style_aug.networks import phase_layout

PRESETS = {
    # The paper's network (Johnson et al. 2016): 1.68 M parameters.
    "full": {"filters": (32, 64, 128), "residual_blocks": 5},
    # A quarter of the arithmetic, for fast augmentation.
    "lite": {"filters": (16, 32, 64), "residual_blocks": 3},
}

_MIN_SIDE = 8


@keras.saving.register_keras_serializable(package="keras_style_aug")
class TransformerNet(keras.Model):
    """Fast style transfer network (Johnson et al. 2016).

    Args:
        filters: channels of the full-, half- and quarter-resolution stages.
        residual_blocks: number of residual blocks at quarter resolution.
        value_range: range of input and output pixel values, `(0, 255)` by
            default; `(0, 1)` or `(-1, 1)` work as well.
        style_names: `None` for a single-style network; a list of names for a
            multi-style network with conditional instance normalization (one
            scale and offset row per style). Call it with `style=`.

    Any image size of at least 8x8 works: sides not divisible by 4 are
    reflection-padded, then the output is cropped back to the input's size.
    """

    def __init__(
        self,
        filters=PRESETS["full"]["filters"],
        residual_blocks=PRESETS["full"]["residual_blocks"],
        value_range=(0, 255),
        style_names=None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        if len(filters) != 3 or any(int(f) < 1 for f in filters):
            raise ValueError(
                "`filters` must be three positive channel counts, e.g. "
                f"(32, 64, 128). Received: filters={filters}"
            )
        if int(residual_blocks) < 0:
            raise ValueError(
                "`residual_blocks` must be >= 0. "
                f"Received: residual_blocks={residual_blocks}"
            )
        if len(value_range) != 2 or value_range[0] >= value_range[1]:
            raise ValueError(
                "`value_range` must be (low, high) with low < high. "
                f"Received: value_range={value_range}"
            )
        self.filters = tuple(int(f) for f in filters)
        self.residual_blocks = int(residual_blocks)
        self.value_range = tuple(float(v) for v in value_range)
        if style_names is not None:
            style_names = tuple(str(n) for n in style_names)
            if not style_names or len(set(style_names)) != len(style_names):
                raise ValueError(
                    "`style_names` must be a non-empty list of distinct names, "
                    f"e.g. ['wave', 'udnie']. Received: {list(style_names)}"
                )
        self.style_names = style_names
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
    def _layer_specs(self):
        """(name, kernel size, in channels, out channels, kind) in weight order."""
        f0, f1, f2 = self.filters
        specs = [
            ("conv_in", 9, 3, f0, "norm"),
            ("down1", 3, f0, f1, "norm"),
            ("down2", 3, f1, f2, "norm"),
        ]
        for i in range(self.residual_blocks):
            specs += [
                (f"res{i}_a", 3, f2, f2, "norm"),
                (f"res{i}_b", 3, f2, f2, "norm"),
            ]
        specs += [
            ("up1", 3, f2, f1, "norm"),
            ("up2", 3, f1, f0, "norm"),
            ("conv_out", 9, f0, 3, "bias"),
        ]
        return specs

    def build(self, input_shape=None):
        if self.built:
            return
        self._params = []
        for name, k, cin, cout, kind in self._layer_specs():
            self._params.append(
                self.add_weight(
                    shape=(k, k, cin, cout),
                    initializer="glorot_uniform",
                    name=f"{name}_kernel",
                )
            )
            norm_shape = (
                (self.num_styles, cout) if self.is_multi_style else (cout,)
            )
            if kind == "norm":
                self._params.append(
                    self.add_weight(
                        shape=norm_shape, initializer="ones", name=f"{name}_scale"
                    )
                )
            self._params.append(
                self.add_weight(
                    shape=norm_shape if kind == "norm" else (cout,),
                    initializer="zeros",
                    name=f"{name}_offset" if kind == "norm" else f"{name}_bias",
                )
            )
        self.built = True

    @staticmethod
    def architecture_from_shapes(shapes):
        """`filters`, `residual_blocks` and `num_styles` (1 for a single-style
        network) that produce these weight shapes.

        `shapes` lists the weight shapes in storage order, as
        `TransformerNet.save_weights` writes them. Returns `None` when they fit
        no `TransformerNet`.
        """
        shapes = [tuple(s) for s in shapes]
        blocks, rest = divmod(len(shapes) - 17, 6)
        if blocks < 0 or rest or len(shapes[0]) != 4 or len(shapes[1]) > 2:
            return None
        filters = (shapes[0][3], shapes[3][3], shapes[6][3])
        num_styles = shapes[1][0] if len(shapes[1]) == 2 else None
        candidate = TransformerNet(
            filters=filters,
            residual_blocks=blocks,
            style_names=None
            if num_styles is None
            else [f"style_{i}" for i in range(num_styles)],
        )
        candidate.build()
        expected = [tuple(v.shape) for v in candidate._params]
        if expected != shapes:
            return None
        return {
            "filters": filters,
            "residual_blocks": blocks,
            "num_styles": num_styles or 1,
        }

    @classmethod
    def from_weights_file(cls, path, name=None, style_names=None, **kwargs):
        """Builds the network a `.weights.h5` file was saved from and loads it.

        For a multi-style file, `style_names` names its styles (in the order
        they were trained); they default to `style_0`, `style_1`, ...

        Raises `ValueError` naming the file when it is not a readable
        `TransformerNet` weights file.
        """
        shapes = _read_weight_shapes(path)
        arch = cls.architecture_from_shapes(shapes)
        if arch is None:
            raise ValueError(
                f"{path} holds weights of shapes {shapes[:3]}... that fit no "
                "TransformerNet. Pass a file written by "
                "TransformerNet.save_weights() or StyleTrainer."
            )
        num_styles = arch.pop("num_styles")
        multi = len(shapes[1]) == 2
        if multi and style_names is None:
            style_names = [f"style_{i}" for i in range(num_styles)]
        if style_names is not None and (
            not multi or len(style_names) != num_styles
        ):
            raise ValueError(
                f"{path} holds a network of {num_styles} style(s)"
                f"{'' if multi else ' (single-style)'}, but style_names="
                f"{list(style_names)} names {len(style_names)}. Pass one name "
                "per style, or none for a single-style file."
            )
        net = cls(**arch, name=name, style_names=style_names, **kwargs)
        net.build()
        net.load_weights(path)
        return net

    def load_weights(self, filepath, skip_mismatch=False, **kwargs):
        """Loads a `.weights.h5` file; float16 files are cast to float32."""
        self.build()
        shapes = _read_weight_shapes(filepath)
        expected = [tuple(v.shape) for v in self._params]
        if shapes != expected:
            arch = self.architecture_from_shapes(shapes)
            found = (
                f"a network with filters={arch['filters']}, "
                f"residual_blocks={arch['residual_blocks']} and "
                f"{arch['num_styles']} style(s)"
                if arch
                else f"{len(shapes)} arrays that fit no TransformerNet"
            )
            raise ValueError(
                f"Weights file {filepath} does not match this network "
                f"(filters={self.filters}, residual_blocks="
                f"{self.residual_blocks}, {self.num_styles} style(s)): it "
                f"holds {found}. Build the network with "
                "TransformerNet.from_weights_file(path) instead."
            )
        super().load_weights(filepath, skip_mismatch=skip_mismatch, **kwargs)

    # ------------------------------------------------------------------ forward
    def call(self, images, style=None):
        """Stylizes images in `value_range`.

        Args:
            images: `(N, H, W, 3)` images.
            style: for a multi-style network, which style: a name, an index,
                a mix by name `{name: weight}`, per-image indices `(N,)`, a
                convex mix `(num_styles,)` or per-image mixes
                `(N, num_styles)`. Not used otherwise.
        """
        low, high = self.value_range
        x = self._backend.cast(images, self.compute_dtype)
        unit = (x - low) / (high - low)
        weights = self.style_weights(style, self._backend.shape(x)[0])
        return self.stylize_unit(unit, style_weights=weights) * (high - low) + low

    def style_weights(self, style, batch_size, backend=None):
        """`style` (see `call`) -> `(batch_size, num_styles)` mixing weights.

        `None` for a single-style network.
        """
        if not self.is_multi_style:
            if style is not None:
                raise ValueError(
                    f"{self.name} is a single-style network: call it without "
                    "`style`."
                )
            return None
        if style is None:
            raise ValueError(
                f"{self.name} holds {self.num_styles} styles "
                f"{list(self.style_names)}: pass `style=` a name, an index or "
                "mixing weights."
            )
        b = backend or self._backend
        if isinstance(style, dict):
            style = self._named_mix(style)
        if isinstance(style, str):
            if style not in self.style_names:
                raise ValueError(
                    f"Unknown style {style!r}; {self.name} holds "
                    f"{list(self.style_names)}."
                )
            style = self.style_names.index(style)
        if isinstance(style, int):
            if not 0 <= style < self.num_styles:
                raise ValueError(
                    f"`style` index {style} is out of range for "
                    f"{self.num_styles} styles."
                )
            style = b.numpy.full((batch_size,), style, "int32")
        style = b.convert_to_tensor(style)
        if "int" in keras.backend.standardize_dtype(style.dtype):
            return b.nn.one_hot(style, self.num_styles, dtype="float32")
        style = b.cast(style, "float32")
        if style.shape[-1] != self.num_styles:
            raise ValueError(
                f"Mixing weights need {self.num_styles} columns, one per style "
                f"{list(self.style_names)}; received shape {tuple(style.shape)}."
            )
        if len(style.shape) == 1:
            style = b.numpy.broadcast_to(style[None], (batch_size, self.num_styles))
        return style

    def _named_mix(self, mix):
        """`{name: weight}` -> the normalized `(num_styles,)` weights."""
        unknown = sorted(set(mix) - set(self.style_names))
        if unknown or sum(mix.values()) <= 0 or min(mix.values()) < 0:
            raise ValueError(
                f"The mix {mix!r} must name styles of {self.name} "
                f"({list(self.style_names)}) with non-negative weights; "
                f"unknown: {unknown}."
            )
        total = sum(mix.values())
        return np.array(
            [mix.get(n, 0.0) / total for n in self.style_names], "float32"
        )

    def stylize_unit(self, images, backend=None, style_weights=None):
        """Stylizes channels-last images with values in [0, 1].

        Args:
            images: `(N, H, W, 3)` tensor in [0, 1].
            backend: a `DynamicBackend`; pass a `tf.data` layer's backend to
                run with TensorFlow ops whatever the Keras backend is.
            style_weights: `(N, num_styles)` mixing weights, for a multi-style
                network (see `style_weights()`).
        """
        self.build()
        b = backend or self._backend
        if self.is_multi_style and style_weights is None:
            raise ValueError(
                f"{self.name} holds {self.num_styles} styles: pass "
                "`style_weights` (see TransformerNet.style_weights)."
            )
        dtype = self.compute_dtype
        x = b.cast(images, dtype) * 2.0 - 1.0
        shape = b.shape(x)
        height, width = shape[1], shape[2]
        if isinstance(height, int) and isinstance(width, int):
            if min(height, width) < _MIN_SIDE:
                raise ValueError(
                    f"TransformerNet needs images of at least {_MIN_SIDE}x"
                    f"{_MIN_SIDE} pixels; received {height}x{width}. Resize "
                    "the images first."
                )
        # (4 - h % 4) % 4 rather than (-h) % 4: exporters (ONNX) get the sign
        # of a modulo of a negative dynamic size wrong.
        x = b.numpy.pad(
            x,
            [[0, 0], [0, (4 - height % 4) % 4], [0, (4 - width % 4) % 4], [0, 0]],
            mode="reflect",
        )
        params = self._params_for(b, "float32")
        x = phase_layout.forward(
            b, x, params, self.residual_blocks, style_weights, dtype
        )
        x = (b.numpy.tanh(x) + 1.0) * 0.5
        return x[:, :height, :width, :]

    def _params_for(self, backend, dtype):
        if backend.name == keras.backend.backend():
            return [backend.cast(v.value, dtype) for v in self._params]
        # A tf.data pipeline under another Keras backend: the graph is traced
        # once, so the weights are converted once.
        return [
            backend.cast(backend.convert_to_tensor(np.asarray(v.numpy())), dtype)
            for v in self._params
        ]

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "filters": list(self.filters),
                "residual_blocks": self.residual_blocks,
                "value_range": list(self.value_range),
                "style_names": list(self.style_names)
                if self.style_names
                else None,
            }
        )
        return config

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        # Model.get_config adds keys (e.g. "trainable") that __init__ accepts.
        return cls(**config)


def _read_weight_shapes(path):
    """Shapes of the arrays in a Keras `.weights.h5` file, in storage order."""
    try:
        with h5py.File(path, "r") as f:
            group = f["vars"]
            return [tuple(group[str(i)].shape) for i in range(len(group))]
    except (OSError, KeyError) as e:
        raise ValueError(
            f"{path} is not a readable TransformerNet weights file ({e}). "
            "It may be truncated or corrupt: delete it and download or train "
            "it again."
        ) from None
