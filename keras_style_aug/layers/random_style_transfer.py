"""`RandomStyleTransfer`: fast neural style transfer as a random augmentation."""

import math
import os

import keras

from keras_style_aug import styles as style_registry
from keras_style_aug.layers import input_checks
from keras_style_aug.layers import pixels
from keras_style_aug.layers import style_draws as draws
from keras_style_aug.layers import style_options as opts
from keras_style_aug.layers.style_dispatch import stylize_selected
from keras_style_aug.layers.style_sources import restore_styles
from keras_style_aug.layers.style_sources import source_of
from keras_style_aug.networks import TransformerNet
from keras_style_aug.utils.keras_private import BaseImagePreprocessingLayer


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
    With `random_embedding > 0`, such an image gets, with that probability, a
    random style embedding instead: its norms' scales and offsets drawn from
    the Gaussian fitted to the network's styles, so styles between and beyond
    the trained paintings, infinitely many.

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
        random_embedding: probability that an image drawn for a style of a
            multi-style network gets a random style embedding instead, in
            [0, 1]; above 0, `styles` must hold a multi-style network.
        embedding_spread: spread of the random embeddings around the mean
            style, 1 being that of the network's trained styles.
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
        random_embedding=0.0,
        embedding_spread=1.0,
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
        self.random_embedding, self.embedding_spread = opts.check_random_embedding(
            random_embedding, embedding_spread
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
        self._sources = [source_of(s) for s in styles]
        # Networks rebuilt from a config without a registry source: index ->
        # the sha256 their weights must have before the layer stylizes.
        self._unrestored = {}
        self.options = opts.StyleOptions(self.networks, self.class_styles)
        opts.check_mix_fits(self.networks, self.mix, self.mix_size)
        opts.check_embedding_fits(self.networks, self.random_embedding)
        self.seed = seed
        self.generator = self.backend.random.SeedGenerator(seed)
        self._range_checked = False

    @classmethod
    def from_config(cls, config):
        """Networks named by the registry or a weights file come back
        trained (when their weights are still those the config recorded);
        the others wait for their weights (a `.keras` load, or
        `set_weights`) and the layer refuses to stylize until then."""
        config, sources, waiting = restore_styles(config)
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
        input_checks.check_structure(self, data)
        images = data["images"] if isinstance(data, dict) else data
        pixels.check_layer_input(images, self.data_format)
        if self.class_styles:
            pixels.check_labels(data["labels"], images)
        if training:
            input_checks.check_weights_restored(self, images)
            input_checks.warn_if_range_looks_wrong(self, images)
        return super().call(data, training=training)

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
        if self.random_embedding > 0 and self.options.has_mixable_network:
            weights = draws.random_embeddings(
                b, self.options, style, probs, weights, seeds,
                self.random_embedding, self.embedding_spread,
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
        input_checks.check_fits(self, transformation, n)
        stylized, selected = stylize_selected(self, b, images, transformation, slots)
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
                "random_embedding": self.random_embedding,
                "embedding_spread": self.embedding_spread,
                "class_styles": {str(k): list(v) for k, v in self.class_styles.items()}
                or None,
                "value_range": list(self.value_range),
                "seed": self.seed,
                "style_sources": list(self._sources),
                "style_weights_sha256": [n.weights_sha256() for n in self.networks],
            }
        )
        return config
