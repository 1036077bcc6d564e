"""`RandomStyleTransfer`: fast neural style transfer as a random augmentation."""

import keras
from keras.src.layers.preprocessing.image_preprocessing.base_image_preprocessing_layer import (  # noqa: E501
    BaseImagePreprocessingLayer,
)

from keras_style_aug import styles as style_registry
from keras_style_aug.networks import TransformerNet

# A batch is stylized in at most this many sequential slices, and only the
# slices that hold selected images run: at rate r the layer costs about r of
# the full cost, to a granularity of 1/_SLICES.
_SLICES = 8

# Luma coefficients (ITU-R BT.601). They sum to 1 and the chroma axes of YIQ
# are orthogonal to them, so replacing luma keeps I and Q exactly.
_LUMA = (0.299, 0.587, 0.114)


@keras.saving.register_keras_serializable(package="keras_style_aug")
class RandomStyleTransfer(BaseImagePreprocessingLayer):
    """Stylizes a random subset of images with trained style networks.

    Each image is stylized with probability `rate`, by one style drawn
    uniformly from `styles` (or, for `{"images", "labels"}` input with
    `class_styles`, from the styles of its class), blended with the original
    by `strength`. At inference (`training=False`) the layer is the identity.

    A multi-style network (conditional instance norm, e.g. `"paintings6"`)
    contributes each of its styles, and with `mix > 0` an image drawn for one
    of its styles gets, with probability `mix`, a random convex mix of
    `mix_size` of that network's styles instead (Dirichlet weights with
    `mix_concentration`): every mix is a new style at no extra cost.

    The style networks' weights are part of the layer: a model holding it
    saves to `.keras` and reloads without the style registry.

    Args:
        styles: style names from `keras_style_aug.styles.available()`, paths to
            `.weights.h5` files, or `TransformerNet` instances (named by their
            `name`; a multi-style network's styles by its `style_names`).
            Optional when `class_styles` names single-style networks.
        rate: probability that an image is stylized, in [0, 1].
        strength: blend of stylized and original image, a float in [0, 1] or a
            `(min, max)` range to draw from per image. 1 is fully stylized.
        preserve_color: keep each image's colours (YIQ chrominance) and take
            only the luminance of the stylized image.
        mix: probability that an image drawn for a style of a multi-style
            network gets a random mix of its styles instead, in [0, 1].
        mix_size: number of styles in a random mix (at least 2).
        mix_concentration: Dirichlet concentration of a mix's weights; 1 draws
            them uniformly from the simplex, larger values even them out.
        class_styles: dict from class index to a style name, a fixed mix
            `{name: weight}` of one multi-style network's styles, or a list of
            these. Used on `{"images", "labels"}` input; labels may be
            integers or one-hot. Images of classes missing from the dict stay
            unstylized.
        value_range: range of the input pixel values, `(0, 255)` by default.
        seed: integer seed for reproducible draws.
        data_format: `"channels_last"` (default) or `"channels_first"`.

    Example:

    >>> import numpy as np
    >>> from keras_style_aug.layers import RandomStyleTransfer
    >>> from keras_style_aug.networks import TransformerNet
    >>> layer = RandomStyleTransfer(
    ...     styles=[TransformerNet.from_preset("lite", name="toy")], rate=1.0,
    ...     seed=0)
    >>> images = np.random.uniform(0, 255, (2, 32, 32, 3)).astype("float32")
    >>> layer(images).shape
    TensorShape([2, 32, 32, 3])
    >>> bool((np.asarray(layer(images, training=False)) == images).all())
    True
    """

    _USE_BASE_FACTOR = False

    def __init__(
        self,
        styles=None,
        rate=0.5,
        strength=1.0,
        preserve_color=False,
        mix=0.0,
        mix_size=2,
        mix_concentration=1.0,
        class_styles=None,
        value_range=(0, 255),
        seed=None,
        data_format=None,
        **kwargs,
    ):
        super().__init__(data_format=data_format, **kwargs)
        self.rate = _check_rate(rate)
        self.strength = _check_strength(strength)
        self.preserve_color = bool(preserve_color)
        self.mix, self.mix_size, self.mix_concentration = _check_mix(
            mix, mix_size, mix_concentration
        )
        if len(value_range) != 2 or value_range[0] >= value_range[1]:
            raise ValueError(
                "`value_range` must be (low, high) with low < high, e.g. "
                f"(0, 255) or (0, 1). Received: value_range={value_range}"
            )
        self.value_range = tuple(float(v) for v in value_range)
        self.class_styles = _normalize_class_styles(class_styles)
        if styles is None:
            if not self.class_styles:
                raise ValueError(
                    "RandomStyleTransfer needs `styles` (e.g. styles=['wave']) "
                    "or `class_styles` (e.g. class_styles={0: 'wave'})."
                )
            styles = list(
                dict.fromkeys(
                    n
                    for v in self.class_styles.values()
                    for spec in v
                    for n in ([spec] if isinstance(spec, str) else spec)
                )
            )
        if isinstance(styles, (str, TransformerNet)):
            styles = [styles]
        if not styles:
            raise ValueError("`styles` is empty: pass at least one style.")
        self.networks = [self._network(s) for s in styles]
        self._build_options()
        self.seed = seed
        self.generator = self.backend.random.SeedGenerator(seed)
        self._class_probs = self._class_style_probabilities()

    def _network(self, style):
        if isinstance(style, dict):
            style = keras.saving.deserialize_keras_object(style)
        if not isinstance(style, TransformerNet):
            style = style_registry.load(style)
        style.trainable = False
        style.dtype_policy = self.dtype_policy
        style.build()
        return style

    def _build_options(self):
        """The styles an image can be drawn for ("options"): every style of
        every network, then the fixed mixes that `class_styles` names.

        Sets `_option_names`, `_option_network` (network index per option)
        and `_option_mixes` (per network: for a multi-style one, an (options,
        styles) matrix of each option's weights over its styles; else None)."""
        names, network, rows = [], [], []
        for i, net in enumerate(self.networks):
            for j, style in enumerate(net.style_names or [net.name]):
                names.append(style)
                network.append(i)
                rows.append({style: 1.0} if net.is_multi_style else None)
        if len(set(names)) != len(names):
            raise ValueError(
                f"Style names must be unique; received {names}. Give the "
                "TransformerNet instances distinct `name`s, and do not load a "
                "style both alone and inside a multi-style network."
            )
        base = list(names)
        for spec in (s for v in self.class_styles.values() for s in v):
            key = _spec_name(spec)
            if key in names:
                continue
            missing = sorted(set([spec] if isinstance(spec, str) else spec) - set(base))
            if missing:
                raise ValueError(
                    f"`class_styles` names {missing}, which are not in "
                    f"`styles` {base}. Add them to `styles` or leave `styles` "
                    "unset to use the styles that `class_styles` names."
                )
            owners = {network[base.index(n)] for n in spec}
            if len(owners) != 1 or rows[base.index(next(iter(spec)))] is None:
                raise ValueError(
                    f"The mix {spec} must combine styles of one multi-style "
                    "network; styles of separate networks cannot be mixed."
                )
            total = sum(spec.values())
            names.append(key)
            network.append(owners.pop())
            rows.append({n: w / total for n, w in spec.items()})
        # Tuples, not lists or dicts: TensorFlow's tracking leaves them alone.
        self._option_names = tuple(names)
        self._option_network = tuple(network)
        self._option_mixes = tuple(
            tuple(
                tuple(
                    (row or {}).get(style, 0.0) if network[o] == i else 0.0
                    for style in net.style_names
                )
                for o, row in enumerate(rows)
            )
            if net.is_multi_style
            else None
            for i, net in enumerate(self.networks)
        )
        self._num_base_options = len(base)

    def _class_style_probabilities(self):
        """Rows: class index (last row: unmapped classes); columns: options."""
        if not self.class_styles:
            return None
        rows = max(self.class_styles) + 2
        names = self._option_names
        probs = [[0.0] * len(names) for _ in range(rows)]
        for cls, specs in self.class_styles.items():
            for spec in specs:
                probs[cls][names.index(_spec_name(spec))] += 1.0 / len(specs)
        return probs

    @property
    def style_names(self):
        """Names of the styles (and fixed mixes), in the order of
        `style_index`."""
        return list(self._option_names)

    # ---------------------------------------------------------------- checks
    def call(self, data, training=True):
        images = data["images"] if isinstance(data, dict) else data
        if isinstance(data, dict):
            if "images" not in data:
                raise ValueError(
                    "Dict input to RandomStyleTransfer needs an 'images' key; "
                    f"received keys {sorted(data)}."
                )
        elif self.class_styles:
            raise ValueError(
                "RandomStyleTransfer with `class_styles` needs the labels: "
                "call it on {'images': images, 'labels': labels}."
            )
        if self.class_styles and "labels" not in data:
            raise ValueError(
                "RandomStyleTransfer with `class_styles` needs a 'labels' key "
                "next to 'images'."
            )
        self._check_images(images)
        return super().call(data, training=training)

    def _check_images(self, images):
        shape = tuple(images.shape)
        if len(shape) not in (3, 4):
            raise ValueError(
                "RandomStyleTransfer expects images of rank 3 (H, W, C) or 4 "
                f"(N, H, W, C); received shape {shape}. Batch single images "
                "or drop extra axes."
            )
        channels = shape[-3] if self.data_format == "channels_first" else shape[-1]
        if channels is not None and channels != 3:
            raise ValueError(
                "RandomStyleTransfer expects RGB images with 3 channels "
                f"({self.data_format}); received shape {shape} with {channels} "
                "channels. Convert grayscale images to RGB or drop the alpha "
                "channel first, or set `data_format`."
            )
        dtype = keras.backend.standardize_dtype(images.dtype)
        if "float" not in dtype and "int" not in dtype:
            raise TypeError(
                "RandomStyleTransfer expects integer or float images; received "
                f"dtype {dtype}. Decode images to uint8 or float32 first."
            )

    # ------------------------------------------------------- random draws
    def get_random_transformation(self, data, training=True, seed=None):
        """Draws per image: `style_index` (-1: not stylized), `style_weights`
        `(N, options)` (one-hot, or a random mix) and `strength`."""
        if not training:
            return None
        b = self.backend
        images = data["images"] if isinstance(data, dict) else data
        shape = b.core.shape(images)
        batched = len(shape) == 4
        batch = shape[0] if batched else 1
        if seed is None:
            seed = self._get_seed_generator(b._backend)
        selected = b.random.uniform((batch,), seed=seed) < self.rate
        draw = b.random.uniform((batch,), seed=seed)
        options = len(self._option_names)
        if self._class_probs is None:
            base = self._num_base_options
            uniform = [1.0 / base] * base + [0.0] * (options - base)
            probs = b.numpy.broadcast_to(
                b.convert_to_tensor([uniform], "float32"), (batch, options)
            )
        else:
            cls = _class_indices(b, data["labels"], batched)
            rows = len(self._class_probs)
            cls = b.numpy.where((cls >= 0) & (cls < rows - 1), cls, rows - 1)
            probs = b.numpy.take(
                b.convert_to_tensor(self._class_probs, "float32"), cls, axis=0
            )
            selected = selected & (b.numpy.sum(probs, axis=-1) > 0.5)
        cumulative = b.numpy.cumsum(probs, axis=-1)
        style = b.numpy.sum(b.cast(draw[:, None] >= cumulative, "int32"), axis=-1)
        style = b.numpy.minimum(style, options - 1)
        weights = b.nn.one_hot(style, options, dtype="float32")
        if self.mix > 0 and any(m is not None for m in self._option_mixes):
            weights = self._random_mixes(b, style, probs, weights, batch, seed)
        style = b.numpy.where(selected, style, -1)
        low, high = self.strength
        strength = b.random.uniform((batch,), minval=low, maxval=high, seed=seed)
        return {"style_index": style, "style_weights": weights, "strength": strength}

    def _random_mixes(self, b, style, probs, one_hot, batch, seed):
        """With probability `mix`, replaces an image's one-hot option weights
        by Dirichlet weights over `mix_size` options of its class's pool that
        belong to the same multi-style network as its drawn style."""
        options = len(self._option_names)
        network = b.convert_to_tensor(self._option_network, "int32")
        multi = b.convert_to_tensor(
            [self._option_mixes[i] is not None for i in self._option_network],
            "bool",
        )
        drawn_network = b.numpy.take(network, style)
        candidates = (probs > 0) & (network[None, :] == drawn_network[:, None])
        candidates = candidates | (one_hot > 0)
        keys = b.random.uniform((batch, options), seed=seed)
        keys = b.numpy.where(candidates, keys, -1.0)
        k = min(self.mix_size, options)
        kth = b.math.top_k(keys, k)[0][:, k - 1 : k]
        keep = candidates & (keys >= b.numpy.maximum(kth, 0.0))
        gamma = b.random.gamma(
            (batch, options), alpha=self.mix_concentration, seed=seed
        )
        gamma = b.numpy.where(keep, b.numpy.maximum(gamma, 1e-12), 0.0)
        mixed = gamma / b.numpy.sum(gamma, axis=-1, keepdims=True)
        is_mix = b.random.uniform((batch,), seed=seed) < self.mix
        is_mix = is_mix & b.numpy.take(multi, style)
        return b.numpy.where(is_mix[:, None], mixed, one_hot)

    # ---------------------------------------------------------- application
    def transform_images(self, images, transformation, training=True):
        b = self.backend
        images = b.cast(images, self.compute_dtype)
        if not training or transformation is None or self.rate == 0:
            return images
        if self.data_format == "channels_first":
            images = b.numpy.transpose(images, (0, 2, 3, 1))
        style_index = transformation["style_index"]
        option_network = b.convert_to_tensor(
            list(self._option_network) + [-1], "int32")
        network = b.numpy.take(
            option_network,
            b.numpy.where(style_index >= 0, style_index, len(self._option_names)),
        )
        stylized = self.to_unit(images)
        for i, net in enumerate(self.networks):
            weights = None
            if self._option_mixes[i] is not None:
                weights = b.numpy.matmul(
                    b.cast(transformation["style_weights"], "float32"),
                    b.convert_to_tensor(self._option_mixes[i], "float32"),
                )
            stylized = self._stylize_selected(stylized, network == i, net, weights)
        blended = self.blend(images, stylized, transformation["strength"])
        chosen = (style_index >= 0)[:, None, None, None]
        outputs = b.numpy.where(chosen, blended, images)
        if self.data_format == "channels_first":
            outputs = b.numpy.transpose(outputs, (0, 3, 1, 2))
        return outputs

    def to_unit(self, images):
        """Images in `value_range` -> [0, 1], the networks' range."""
        low, high = self.value_range
        return (images - low) / (high - low)

    def blend(self, images, stylized_unit, strength):
        """Stylized [0, 1] images -> `value_range`, colour kept if asked, and
        mixed with the originals by `strength` (one value per image)."""
        b = self.backend
        if self.preserve_color:
            unit = self.to_unit(images)
            stylized_unit = unit + (_luma(b, stylized_unit) - _luma(b, unit))
        low, high = self.value_range
        stylized = b.numpy.clip(stylized_unit, 0.0, 1.0) * (high - low) + low
        strength = b.cast(strength, images.dtype)[:, None, None, None]
        return images + strength * (stylized - images)

    def _stylize_selected(self, unit, selected, net, style_weights=None):
        """Runs `net` on the selected images only, in a few whole slices;
        `style_weights` `(N, styles)` for a multi-style network."""
        b = self.backend
        n, height, width, channels = b.core.shape(unit)
        order = b.numpy.argsort(b.cast(b.numpy.logical_not(selected), "int32"))
        count = b.numpy.sum(b.cast(selected, "int32"))
        ordered = b.numpy.take(unit, order, axis=0)
        size = (n + _SLICES - 1) // _SLICES
        padded = b.numpy.pad(
            ordered, [[0, size * _SLICES - n], [0, 0], [0, 0], [0, 0]]
        )
        if style_weights is not None:
            style_weights = b.numpy.pad(
                b.numpy.take(style_weights, order, axis=0),
                [[0, size * _SLICES - n], [0, 0]],
            )
        todo = (count + size - 1) // size

        def body(i, done):
            start = [i * size, 0, 0, 0]
            piece = b.core.slice(padded, start, [size, height, width, channels])
            weights = None
            if style_weights is not None:
                weights = b.core.slice(
                    style_weights, [i * size, 0], [size, net.num_styles]
                )
            piece = net.stylize_unit(piece, backend=b, style_weights=weights)
            piece = b.cast(piece, padded.dtype)
            return i + 1, b.core.slice_update(done, start, piece)

        _, done = b.core.while_loop(lambda i, _: i < todo, body, (0, padded))
        done = b.core.stop_gradient(done[:n])
        mask = b.numpy.take(selected, order, axis=0)[:, None, None, None]
        done = b.numpy.where(mask, done, ordered)
        return b.numpy.take(done, b.numpy.argsort(order), axis=0)

    def transform_labels(self, labels, transformation, training=True):
        return labels

    def transform_bounding_boxes(self, bounding_boxes, transformation, training=True):
        return bounding_boxes

    def transform_segmentation_masks(
        self, segmentation_masks, transformation, training=True
    ):
        return segmentation_masks

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "styles": [
                    keras.saving.serialize_keras_object(n) for n in self.networks
                ],
                "rate": self.rate,
                "strength": list(self.strength),
                "preserve_color": self.preserve_color,
                "mix": self.mix,
                "mix_size": self.mix_size,
                "mix_concentration": self.mix_concentration,
                "class_styles": {
                    str(k): list(v) for k, v in self.class_styles.items()
                }
                or None,
                "value_range": list(self.value_range),
                "seed": self.seed,
            }
        )
        return config


def _check_rate(rate):
    if not isinstance(rate, (int, float)) or not 0 <= rate <= 1:
        raise ValueError(
            "`rate` is the probability that an image is stylized and must be a "
            f"number in [0, 1]. Received: rate={rate!r}"
        )
    return float(rate)


def _check_strength(strength):
    pair = strength if isinstance(strength, (list, tuple)) else (strength, strength)
    if (
        len(pair) != 2
        or not all(isinstance(s, (int, float)) for s in pair)
        or not 0 <= pair[0] <= pair[1] <= 1
    ):
        raise ValueError(
            "`strength` must be a number in [0, 1] or a (min, max) pair with "
            f"0 <= min <= max <= 1. Received: strength={strength!r}"
        )
    return float(pair[0]), float(pair[1])


def _check_mix(mix, mix_size, concentration):
    if not isinstance(mix, (int, float)) or not 0 <= mix <= 1:
        raise ValueError(
            "`mix` is the probability of drawing a random mix of styles and "
            f"must be a number in [0, 1]. Received: mix={mix!r}"
        )
    if not isinstance(mix_size, int) or mix_size < 2:
        raise ValueError(
            "`mix_size` is the number of styles in a mix and must be an "
            f"integer >= 2. Received: mix_size={mix_size!r}"
        )
    if not isinstance(concentration, (int, float)) or concentration <= 0:
        raise ValueError(
            "`mix_concentration` must be a positive number (1: uniform over "
            f"mixes). Received: mix_concentration={concentration!r}"
        )
    return float(mix), mix_size, float(concentration)


def _spec_name(spec):
    """A style name, or a canonical name for a fixed mix `{name: weight}`."""
    if isinstance(spec, str):
        return spec
    total = sum(spec.values())
    return "+".join(f"{w / total:.3g}*{n}" for n, w in sorted(spec.items()))


def _normalize_class_styles(class_styles):
    if not class_styles:
        return {}
    if not isinstance(class_styles, dict):
        raise ValueError(
            "`class_styles` must be a dict from class index to style name(s), "
            f"e.g. {{0: 'wave', 1: ['abstract']}}. Received: {class_styles!r}"
        )
    normalized = {}
    for key, value in class_styles.items():
        try:
            cls = int(key)
        except (TypeError, ValueError):
            raise ValueError(
                "`class_styles` keys must be integer class indices; received "
                f"{key!r}."
            ) from None
        specs = [value] if isinstance(value, (str, dict)) else list(value)
        if cls < 0 or not specs:
            raise ValueError(
                f"`class_styles` entry {key!r}: {value!r} needs a class index "
                ">= 0 and at least one style name."
            )
        normalized[cls] = [_check_spec(spec, key) for spec in specs]
    return normalized


def _check_spec(spec, key):
    if isinstance(spec, str):
        return spec
    if isinstance(spec, dict) and spec and all(
        isinstance(n, str) and isinstance(w, (int, float)) and w >= 0
        for n, w in spec.items()
    ) and sum(spec.values()) > 0:
        return {n: float(w) for n, w in spec.items()}
    raise ValueError(
        f"`class_styles` entry {key!r}: {spec!r} must be a style name or a mix "
        "{name: weight} with non-negative weights that do not all vanish."
    )


def _class_indices(b, labels, batched):
    """Integer class per image from integer, float or one-hot labels."""
    labels = b.convert_to_tensor(labels)
    if not batched:
        labels = b.numpy.expand_dims(labels, 0)
    if len(labels.shape) == 2 and labels.shape[-1] != 1:
        labels = b.numpy.argmax(labels, axis=-1)
    labels = b.numpy.reshape(labels, (-1,))
    if "float" in keras.backend.standardize_dtype(labels.dtype):
        labels = b.numpy.round(labels)
    return b.cast(labels, "int32")


def _luma(b, unit):
    weights = b.convert_to_tensor(_LUMA, unit.dtype)
    return b.numpy.sum(unit * weights, axis=-1, keepdims=True)
