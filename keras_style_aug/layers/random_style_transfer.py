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

    The style networks' weights are part of the layer: a model holding it
    saves to `.keras` and reloads without the style registry.

    Args:
        styles: style names from `keras_style_aug.styles.available()`, paths to
            `.weights.h5` files, or `TransformerNet` instances (named by their
            `name`). Optional when `class_styles` names the styles.
        rate: probability that an image is stylized, in [0, 1].
        strength: blend of stylized and original image, a float in [0, 1] or a
            `(min, max)` range to draw from per image. 1 is fully stylized.
        preserve_color: keep each image's colours (YIQ chrominance) and take
            only the luminance of the stylized image.
        class_styles: dict from class index to a style name or list of names.
            Used on `{"images", "labels"}` input; labels may be integers or
            one-hot. Images of classes missing from the dict stay unstylized.
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
                dict.fromkeys(n for v in self.class_styles.values() for n in v)
            )
        if isinstance(styles, (str, TransformerNet)):
            styles = [styles]
        if not styles:
            raise ValueError("`styles` is empty: pass at least one style.")
        self.networks = [self._network(s) for s in styles]
        names = [net.name for net in self.networks]
        if len(set(names)) != len(names):
            raise ValueError(
                f"Style names must be unique; received {names}. Give the "
                "TransformerNet instances distinct `name`s."
            )
        missing = {
            n for v in self.class_styles.values() for n in v if n not in names
        }
        if missing:
            raise ValueError(
                f"`class_styles` names {sorted(missing)}, which are not in "
                f"`styles` {names}. Add them to `styles` or leave `styles` "
                "unset to use the styles that `class_styles` names."
            )
        self.seed = seed
        self.generator = self.backend.random.SeedGenerator(seed)
        self._class_probs = self._class_style_probabilities(names)

    def _network(self, style):
        if isinstance(style, dict):
            style = keras.saving.deserialize_keras_object(style)
        if not isinstance(style, TransformerNet):
            style = style_registry.load(style)
        style.trainable = False
        style.dtype_policy = self.dtype_policy
        style.build()
        return style

    def _class_style_probabilities(self, names):
        """Rows: class index (last row: unmapped classes); columns: styles."""
        if not self.class_styles:
            return None
        rows = max(self.class_styles) + 2
        probs = [[0.0] * len(names) for _ in range(rows)]
        for cls, cls_names in self.class_styles.items():
            for n in cls_names:
                probs[cls][names.index(n)] += 1.0 / len(cls_names)
        return probs

    @property
    def style_names(self):
        """Names of the style networks, in the order of `style_index`."""
        return [net.name for net in self.networks]

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
        """Draws per image: `style_index` (-1: not stylized) and `strength`."""
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
        num_styles = len(self.networks)
        if self._class_probs is None:
            style = b.cast(b.numpy.floor(draw * num_styles), "int32")
            style = b.numpy.minimum(style, num_styles - 1)
        else:
            cls = _class_indices(b, data["labels"], batched)
            rows = len(self._class_probs)
            cls = b.numpy.where((cls >= 0) & (cls < rows - 1), cls, rows - 1)
            probs = b.numpy.take(
                b.convert_to_tensor(self._class_probs, "float32"), cls, axis=0
            )
            cumulative = b.numpy.cumsum(probs, axis=-1)
            style = b.numpy.sum(
                b.cast(draw[:, None] >= cumulative, "int32"), axis=-1
            )
            selected = selected & (b.numpy.sum(probs, axis=-1) > 0.5)
            style = b.numpy.minimum(style, num_styles - 1)
        style = b.numpy.where(selected, style, -1)
        low, high = self.strength
        strength = b.random.uniform((batch,), minval=low, maxval=high, seed=seed)
        return {"style_index": style, "strength": strength}

    # ---------------------------------------------------------- application
    def transform_images(self, images, transformation, training=True):
        b = self.backend
        images = b.cast(images, self.compute_dtype)
        if not training or transformation is None or self.rate == 0:
            return images
        if self.data_format == "channels_first":
            images = b.numpy.transpose(images, (0, 2, 3, 1))
        style_index = transformation["style_index"]
        stylized = self.to_unit(images)
        for i, net in enumerate(self.networks):
            stylized = self._stylize_selected(stylized, style_index == i, net)
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

    def _stylize_selected(self, unit, selected, net):
        """Runs `net` on the selected images only, in a few whole slices."""
        b = self.backend
        n, height, width, channels = b.core.shape(unit)
        order = b.numpy.argsort(b.cast(b.numpy.logical_not(selected), "int32"))
        count = b.numpy.sum(b.cast(selected, "int32"))
        ordered = b.numpy.take(unit, order, axis=0)
        size = (n + _SLICES - 1) // _SLICES
        padded = b.numpy.pad(
            ordered, [[0, size * _SLICES - n], [0, 0], [0, 0], [0, 0]]
        )
        todo = (count + size - 1) // size

        def body(i, done):
            start = [i * size, 0, 0, 0]
            piece = b.core.slice(padded, start, [size, height, width, channels])
            piece = b.cast(net.stylize_unit(piece, backend=b), padded.dtype)
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
        names = [value] if isinstance(value, str) else list(value)
        if cls < 0 or not names:
            raise ValueError(
                f"`class_styles` entry {key!r}: {value!r} needs a class index "
                ">= 0 and at least one style name."
            )
        normalized[cls] = [str(n) for n in names]
    return normalized


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
