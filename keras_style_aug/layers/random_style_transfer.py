"""`RandomStyleTransfer`: fast neural style transfer as a random augmentation."""

import math
import os
import warnings

import keras
from keras.src.layers.preprocessing.image_preprocessing.base_image_preprocessing_layer import (  # noqa: E501
    BaseImagePreprocessingLayer,
)

from keras_style_aug import styles as style_registry
from keras_style_aug.layers import pixels
from keras_style_aug.layers import style_draws as draws
from keras_style_aug.layers import style_options as opts
from keras_style_aug.networks import TransformerNet
from keras_style_aug.networks.runtime import check_images
from keras_style_aug.styles.registry import is_path


@keras.saving.register_keras_serializable(package="keras_style_aug")
class RandomStyleTransfer(BaseImagePreprocessingLayer):
    """Stylizes a random subset of images with trained style networks.

    Each image is stylized with probability `rate`, by one style drawn
    uniformly from `styles` (or, for `{"images", "labels"}` input with
    `class_styles`, from the styles of its class), blended with the original
    by `strength`. At inference (`training=False`) the layer is the identity.

    What `rate` costs: a batch of `n` images stylizes `floor(rate * n)` or
    `ceil(rate * n)` of them (each image with probability `rate`): `m =
    ceil(rate * n)` images through the networks, in one call per network.
    Without `class_styles`, the styles are dealt out evenly over the
    stylized images (each image's style still uniform), so `K` single-style
    networks each run on about `m / K` images and cost one network in all; a
    multi-style network (e.g. `"paintings6"`) costs one network whatever the
    number of its styles. With `class_styles`, each network runs on all `m`.

    With `mix > 0`, an image drawn for a style of a multi-style network gets,
    with probability `mix`, a random convex mix of `mix_size` of that
    network's styles instead (Dirichlet weights with `mix_concentration`).

    The style networks' weights are part of the layer (copies: networks
    passed in are left as they are): a model holding it saves to `.keras` and
    reloads without the style registry.

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
            network gets a random mix of its styles instead, in [0, 1]; above
            0, `styles` must hold a multi-style network.
        mix_size: number of styles in a random mix, from 2 to the number of
            styles of the largest multi-style network.
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
    >>> from keras_style_aug import RandomStyleTransfer, TransformerNet
    >>> toy = TransformerNet.from_preset("lite", name="toy")
    >>> layer = RandomStyleTransfer(styles=[toy], rate=0.5, seed=0)
    >>> images = np.random.uniform(0, 255, (4, 32, 32, 3)).astype("float32")
    >>> out = np.asarray(layer(images))
    >>> int((np.abs(out - images).max(axis=(1, 2, 3)) > 0).sum())  # 2 of 4
    2
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
        self.rate = opts.check_rate(rate)
        self.strength = opts.check_strength(strength)
        if not isinstance(preserve_color, bool):  # "no" was taken as True
            raise TypeError(
                "`preserve_color` must be True or False. Received: "
                f"preserve_color={preserve_color!r}"
            )
        self.preserve_color = preserve_color
        self.mix, self.mix_size, self.mix_concentration = opts.check_mix(
            mix, mix_size, mix_concentration
        )
        self.value_range = opts.check_value_range(value_range)
        if "float16" in self.compute_dtype and max(map(abs, self.value_range)) > 65504:
            raise ValueError(
                f"value_range={value_range} does not fit the layer's "
                f"{self.compute_dtype} (largest finite value 65504): every "
                "stylized pixel would be inf. Scale the images to (0, 1) or "
                "(0, 255), or give the layer dtype='float32'."
            )
        self.class_styles = opts.normalize_class_styles(class_styles)
        if styles is None:
            if not self.class_styles:
                raise ValueError(
                    "RandomStyleTransfer needs `styles` (e.g. styles=['wave']) "
                    "or `class_styles` (e.g. class_styles={0: 'wave'})."
                )
            styles = opts.class_style_names(self.class_styles)
        if isinstance(styles, (str, os.PathLike, TransformerNet)):
            styles = [styles]
        if not isinstance(styles, (list, tuple)):
            raise TypeError(
                "`styles` must be a list of style names, weights files or "
                f"TransformerNets, e.g. styles=['wave']. Received: styles={styles!r}"
            )
        if not styles:
            raise ValueError("`styles` is empty: pass at least one style.")
        self.networks = [self._network(s) for s in styles]
        self._sources = [_source(s) for s in styles]
        # Networks rebuilt from a config without a registry source: index ->
        # the sha256 their weights must have before the layer stylizes.
        self._unrestored = {}
        self.options = opts.StyleOptions(self.networks, self.class_styles)
        opts.check_mix_fits(self.networks, self.mix, self.mix_size)
        self.seed = seed
        self.generator = self.backend.random.SeedGenerator(seed)
        self._range_checked = False

    @classmethod
    def from_config(cls, config):
        """Networks named by the registry or a weights file come back
        trained (when their weights are still those the config recorded);
        the others wait for their weights (a `.keras` load, or
        `set_weights`) and the layer refuses to stylize until then."""
        config = dict(config)
        sources = config.pop("style_sources", None) or []
        digests = config.pop("style_weights_sha256", None) or []
        styles = list(config.get("styles") or [])
        waiting = {}
        for i, (source, digest) in enumerate(zip(sources, digests)):
            trained = _trained(source, digest)
            if trained is not None:
                styles[i] = trained
            else:
                waiting[i] = digest
        if styles:
            config["styles"] = styles
        layer = cls(**config)
        layer._sources = list(sources) or layer._sources
        layer._unrestored = waiting
        return layer

    def _network(self, style):
        if isinstance(style, TransformerNet):
            net = style.clone(dtype=self.dtype_policy)  # the caller's stays as is
        else:
            if isinstance(style, dict):  # from get_config
                net = keras.saving.deserialize_keras_object(style)
            else:
                net = style_registry.load(style)
            net.dtype_policy = self.dtype_policy
        net.trainable = False
        net.build()
        return net

    @property
    def style_names(self):
        """Names of the styles (and fixed mixes), in the order of
        `style_index`."""
        return list(self.options.names)

    # ------------------------------------------------------------- checks
    def __call__(self, data, *args, **kwargs):
        if isinstance(data, dict) and "labels" in data and "images" in data:
            # Before Keras converts the inputs: string labels fail there.
            pixels.check_labels(data["labels"], data["images"])
        return super().__call__(data, *args, **kwargs)

    def call(self, data, training=True):
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
        images = data["images"] if isinstance(data, dict) else data
        pixels.check_images(images, self.data_format)
        if self.class_styles:
            pixels.check_labels(data["labels"], images)
        if training:
            self._check_weights_restored(images)
            self._warn_if_range_looks_wrong(images)
        return super().call(data, training=training)

    def _check_weights_restored(self, images):
        """After `from_config` (so `keras.models.clone_model`), a network
        that has no registry source holds freshly initialized weights until
        a `.keras` load or `set_weights` gives it the recorded ones; on the
        first call with real images (not traced), refuse to stylize with
        them."""
        if not self._unrestored or not pixels.is_concrete(images):
            return
        for i, digest in list(self._unrestored.items()):
            if self.networks[i].weights_sha256() == digest:
                del self._unrestored[i]
                continue
            raise ValueError(
                f"RandomStyleTransfer's style network {self.networks[i].name!r} "
                "was rebuilt from the layer's config (from_config or "
                "keras.models.clone_model) and does not hold its trained "
                "weights: a config carries no weights. Load the model from its "
                ".keras file, copy the weights (clone.set_weights("
                "model.get_weights())), or pass the style by its registry name "
                "or weights file, which the config reloads."
            )

    def _warn_if_range_looks_wrong(self, images):
        """Once: images on another scale than `value_range` (0..1 under
        0..255, or 0..255 under 0..1) would come back on two scales in one
        batch, stylized and not. Eager calls look at the values at once;
        traced ones (`tf.function`, `tf.data`, `jit`, so `fit`) when the
        first batch runs."""
        if self._range_checked or 0 in tuple(images.shape)[:1]:
            return
        is_float = "float" in keras.backend.standardize_dtype(images.dtype)
        b = self.backend
        high = b.numpy.max(b.cast(images, "float32"))
        if pixels.is_concrete(high):
            self._range_warning(float(keras.ops.convert_to_numpy(high)), is_float)
        else:
            pixels.on_host(b, lambda h: self._range_warning(float(h), is_float), high)

    def _range_warning(self, high, is_float):
        if self._range_checked:
            return
        self._range_checked = True  # once: not a cost on every call
        low_r, high_r = self.value_range
        if high_r > 1 and is_float and 0 < high <= 1.0:
            hint = "images in [0, 1]", "(0, 1)"
        elif high_r <= 1 and high > high_r + (high_r - low_r) / 2:
            hint = "images in 0..255", "(0, 255)"
        else:
            return
        warnings.warn(
            f"RandomStyleTransfer got images with values up to {high:.3g}, but "
            f"value_range={self.value_range}: stylized images would come back "
            f"on the value_range scale and the others on theirs. Pass "
            f"value_range={hint[1]} for {hint[0]}.",
            stacklevel=3,
        )

    # ------------------------------------------------------- random draws
    def get_random_transformation(self, data, training=True, seed=None):
        """Draws per image: `style_index` (-1: not stylized), `style_weights`
        `(N, options)` (one-hot, or a random mix) and `strength`.

        `seed` may be an int (the draws are then a function of it) or a
        `SeedGenerator`; by default the layer's own generator. The draws
        themselves are in `style_draws.py`."""
        if not training:
            return None
        b = self.backend
        images = data["images"] if isinstance(data, dict) else data
        shape = b.core.shape(images)
        batched = len(shape) == 4
        batch = shape[0] if batched else 1
        seeds = draws.SeedStream(
            seed if seed is not None else self._get_seed_generator(b._backend)
        )
        labels = data["labels"] if self.options.class_probs is not None else None
        probs = draws.option_probabilities(b, self.options, labels, batch, batched)
        eligible = b.numpy.sum(probs, axis=-1) > 0.5
        selected = draws.selection(b, eligible, self.rate, batch, seeds)
        if self.options.class_probs is None:
            style, weights = draws.dealt_styles(
                b, selected, len(self.options.names), batch, seeds
            )
        else:
            style, weights = draws.styles(b, probs, batch, seeds)
        if self.mix > 0 and self.options.has_mixable_network:
            weights = draws.random_mixes(
                b, self.options, style, probs, weights, seeds,
                self.mix, self.mix_size, self.mix_concentration,
            )  # fmt: skip
        low, high = self.strength
        strength = b.random.uniform(
            (batch,), minval=low, maxval=high, seed=seeds.next()
        )
        return {
            "style_index": b.numpy.where(selected, style, -1),
            "style_weights": weights,
            "strength": strength,
        }

    # ---------------------------------------------------------- application
    def transform_images(self, images, transformation, training=True):
        """Applies drawn transformations; at most `ceil(rate * N)` images of
        a batch are stylized (those with `style_index >= 0`, in batch order)."""
        b = self.backend
        images = b.cast(images, self.compute_dtype)
        if not training or transformation is None or self.rate == 0:
            return images
        if self.data_format == "channels_first":
            images = b.numpy.transpose(images, (0, 2, 3, 1))
        n = b.core.shape(images)[0]
        if isinstance(n, int):
            slots = math.ceil(self.rate * n)
        elif b.name == "jax":
            # A symbolic batch (JAX infers a model's shapes so; under `jit`
            # every size is static): a slice bound must be static, so the
            # whole batch goes through, the same shapes out.
            slots = n
        else:  # a tf.data graph of unknown batch size: a tensor bound
            slots = b.cast(b.numpy.ceil(self.rate * b.cast(n, "float32")), "int32")
        if isinstance(n, int) and n == 0:
            return images
        self._check_fits(transformation, n)
        style_index = transformation["style_index"]
        selected = style_index >= 0
        # The selected images first: `take` gathers the `slots` images that
        # run through the networks, `position` finds each image's result.
        order = b.numpy.argsort(b.cast(b.numpy.logical_not(selected), "int32"))
        take = order[:slots]
        position = b.numpy.argsort(order)
        selected = selected & (position < slots)
        subset = b.numpy.take(pixels.to_01(b, images, self.value_range), take, axis=0)
        subset = b.numpy.where(b.numpy.isfinite(subset), subset, 0.0)
        subset = check_images(b, subset, "RandomStyleTransfer")
        network = b.numpy.take(
            b.convert_to_tensor(list(self.options.network) + [-1], "int32"),
            b.numpy.where(style_index >= 0, style_index, len(self.options.names)),
        )
        network = b.numpy.take(network, take)
        weights = b.numpy.take(
            b.cast(transformation["style_weights"], "float32"), take, axis=0
        )
        stylized, done = subset, network < -1
        for i in range(len(self.networks)):
            out, ran = self._run_network(b, i, subset, weights, network, slots)
            stylized = b.numpy.where(ran[:, None, None, None], out, stylized)
            done = done | ran
        stylized = b.core.stop_gradient(stylized)
        last = b.numpy.minimum(position, b.numpy.maximum(slots - 1, 0))
        stylized = b.numpy.take(stylized, last, axis=0)
        selected = selected & b.numpy.take(done, last)
        blended = pixels.blend(
            b,
            images,
            stylized,
            transformation["strength"],
            self.value_range,
            self.preserve_color,
        )
        outputs = b.numpy.where(selected[:, None, None, None], blended, images)
        if self.data_format == "channels_first":
            outputs = b.numpy.transpose(outputs, (0, 3, 1, 2))
        return outputs

    def _check_fits(self, transformation, n):
        """A replayed transformation must be this layer's, for this batch
        (else it failed inside the backend on mismatched shapes)."""
        drawn = tuple(transformation["style_weights"].shape)
        expected = (n, len(self.options.names))
        if all(isinstance(d, int) for d in drawn + expected) and drawn != expected:
            raise ValueError(
                f"The transformation was drawn for {drawn[0]} images and "
                f"{drawn[1]} style options; this layer has {expected[1]} "
                f"options and the images are a batch of {n}. Draw it with "
                "this layer's get_random_transformation(images)."
            )

    def _run_network(self, b, i, subset, weights, network, slots):
        """Network `i` on its window of the `slots` gathered images: those
        drawn for it come first, the window's static size bounds the cost.
        Returns its outputs aligned with `subset` and where they apply."""
        net = self.networks[i]
        mix = self.options.mixes[i]
        mine = network == i
        window = self._window(b, i, slots)
        if window is None:
            rows, aligned = subset, None
        else:
            order = b.numpy.argsort(b.cast(b.numpy.logical_not(mine), "int32"))
            aligned = b.numpy.argsort(order)
            rows = b.numpy.take(subset, order[:window], axis=0)
            weights = b.numpy.take(weights, order[:window], axis=0)
            mine = mine & (aligned < window)
        style_weights = None
        if mix is not None:
            style_weights = b.numpy.matmul(weights, b.convert_to_tensor(mix, "float32"))
        out = b.cast(
            net.stylize_01(rows, style_weights=style_weights, backend=b), subset.dtype
        )
        if aligned is not None:
            last = b.numpy.minimum(aligned, b.numpy.maximum(window - 1, 0))
            out = b.numpy.take(out, last, axis=0)
        return out, mine

    def _window(self, b, i, slots):
        """How many images network `i` runs on: `None` for all `slots`; with
        several networks and styles dealt out evenly (no `class_styles`), its
        share of the options, rounded up, bounds how many it can be drawn for."""
        if len(self.networks) == 1 or self.options.class_probs is not None:
            return None
        count = len(self.options.names)
        share = self.options.network.count(i)
        if isinstance(slots, int):
            return min(slots, share * -(-slots // count))
        if b.name == "jax":  # a symbolic batch: static bounds only
            return None
        return b.numpy.minimum(slots, share * ((slots + count - 1) // count))

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
                "class_styles": {str(k): list(v) for k, v in self.class_styles.items()}
                or None,
                "value_range": list(self.value_range),
                "seed": self.seed,
                "style_sources": list(self._sources),
                "style_weights_sha256": [n.weights_sha256() for n in self.networks],
            }
        )
        return config


def _source(style):
    """Where `style` can be loaded from again: a registry name, a weights
    file (absolute path), or the source `styles.load` gave a network."""
    if isinstance(style, (str, os.PathLike)):
        text = str(style)
        return os.path.abspath(text) if is_path(text) else text
    if isinstance(style, TransformerNet):
        return getattr(style, "source", None)
    return None  # a config dict: only `from_config` knows


def _trained(source, digest):
    """The network `source` loads, if its weights are still `digest`'s."""
    if source is None:
        return None
    try:
        net = style_registry.load(source)
    except (ValueError, OSError):
        return None
    return net if net.weights_sha256() == digest else None
