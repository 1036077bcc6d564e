"""The random draws of `RandomStyleTransfer`, apart from their application
(as in kornia and torchvision v2): which images, which style or mix, and the
seeds for them. Each function takes a backend namespace `b`."""

import zlib

import keras

from keras_style_aug.layers import pixels


class SeedStream:
    """Distinct seeds for successive draws: a `SeedGenerator` advances by
    itself; an int seed is expanded into a fixed sequence of ints, so draws
    made with one int are not copies of each other."""

    def __init__(self, seed):
        if isinstance(seed, bool) or not isinstance(
            seed, (int, keras.random.SeedGenerator)
        ):
            raise ValueError(
                "`seed` must be an int or a keras.random.SeedGenerator; "
                f"received {seed!r}."
            )
        self.seed, self.count = seed, 0

    def next(self):
        if not isinstance(self.seed, int):
            return self.seed
        self.count += 1
        return zlib.crc32(f"{self.seed}:{self.count}".encode()) & 0x7FFFFFFF


def option_probabilities(b, options, labels, batch, batched):
    """`(batch, options)` probability of each style option per image: uniform
    over the networks' styles, or by class with `class_styles` (rows of
    unmapped classes are zero)."""
    count = len(options.names)
    if options.class_probs is None:
        return b.numpy.broadcast_to(
            b.convert_to_tensor([options.uniform_probs], "float32"), (batch, count)
        )
    cls = pixels.class_indices(b, labels, batched)
    match = b.cast(
        cls[:, None] == b.convert_to_tensor(options.classes, "int32")[None],
        "float32",
    )
    return b.numpy.matmul(match, b.convert_to_tensor(options.class_probs, "float32"))


def selection(b, eligible, rate, batch, seeds):
    """`floor(rate * E)` or `ceil(rate * E)` of the `E` eligible images, at
    random, so that each is chosen with probability `rate`."""
    keys = b.random.uniform((batch,), seed=seeds.next())
    keys = b.numpy.where(eligible, keys, 2.0)
    rank = b.numpy.argsort(b.numpy.argsort(keys))
    expected = rate * b.cast(b.numpy.sum(b.cast(eligible, "int32")), "float32")
    extra = b.random.uniform((), seed=seeds.next()) < expected - b.numpy.floor(expected)
    count = b.cast(b.numpy.floor(expected), "int32") + b.cast(extra, "int32")
    return eligible & (rank < count)


def styles(b, probs, batch, seeds):
    """One option per image drawn from `probs`: `(index, one-hot weights)`."""
    count = probs.shape[-1]
    draw = b.random.uniform((batch,), seed=seeds.next())
    cumulative = b.numpy.cumsum(probs, axis=-1)
    style = b.numpy.sum(b.cast(draw[:, None] >= cumulative, "int32"), axis=-1)
    style = b.numpy.minimum(style, count - 1)
    return style, b.nn.one_hot(style, count, dtype="float32")


def dealt_styles(b, selected, count, batch, seeds):
    """Options dealt out to the selected images like cards: in a random order
    from a random starting option, cycling through all `count` options, so
    each option goes to `floor` or `ceil` of `selected / count` images and
    each image's option is still uniform. Networks then run on static,
    balanced windows instead of every selected image each."""
    keys = b.random.uniform((batch,), seed=seeds.next())
    keys = b.numpy.where(selected, keys, 2.0)
    rank = b.cast(b.numpy.argsort(b.numpy.argsort(keys)), "int32")
    offset = b.random.randint((), 0, count, seed=seeds.next())
    style = (rank + offset) % count
    return style, b.nn.one_hot(style, count, dtype="float32")


def random_mixes(b, options, style, probs, one_hot, seeds, mix, size, concentration):
    """With probability `mix`, replaces an image's one-hot option weights by
    Dirichlet weights over `size` options of its class's pool that belong to
    the same multi-style network as its drawn style."""
    batch, count = b.core.shape(one_hot)
    candidates, multi = _network_pool(b, options, style, probs, one_hot)
    keys = b.random.uniform((batch, count), seed=seeds.next())
    keys = b.numpy.where(candidates, keys, -1.0)
    k = min(size, count)
    kth = b.math.top_k(keys, k)[0][:, k - 1 : k]
    keep = candidates & (keys >= b.numpy.maximum(kth, 0.0))
    gamma = b.random.gamma((batch, count), alpha=concentration, seed=seeds.next())
    gamma = b.numpy.where(keep, b.numpy.maximum(gamma, 1e-12), 0.0)
    mixed = gamma / b.numpy.sum(gamma, axis=-1, keepdims=True)
    is_mix = b.random.uniform((batch,), seed=seeds.next()) < mix
    is_mix = is_mix & multi
    return b.numpy.where(is_mix[:, None], mixed, one_hot)


def _network_pool(b, options, style, probs, weights):
    """`(N, options)` mask of the options in each image's pool (its class's,
    or all) that belong to the network of its drawn style, and `(N,)`
    whether that network is a multi-style one."""
    network = b.convert_to_tensor(options.network, "int32")
    multi = b.convert_to_tensor(
        [options.mixes[i] is not None for i in options.network], "bool"
    )
    drawn_network = b.numpy.take(network, style)
    pool = (probs > 0) & (network[None, :] == drawn_network[:, None])
    return pool | (weights > 0), b.numpy.take(multi, style)


def random_embeddings(b, options, style, probs, weights, seeds, probability, spread):
    """With probability `probability`, replaces an image's option weights by
    a random style embedding: affine weights `1/k + spread * (z - mean(z)) /
    sqrt(k)` over the `k` options of its class's pool that belong to the
    same multi-style network as its drawn style, `z ~ N(0, 1)`.

    The norms' scales and offsets are linear in these weights, so each
    image's embedding is a draw from the Gaussian fitted to the `k` styles'
    embeddings (their mean and covariance) at `spread=1`, as Jackson et al.
    (2019) sample a style embedding space; unlike a convex mix, it reaches
    beyond the trained styles."""
    batch, count = b.core.shape(weights)
    pool, multi = _network_pool(b, options, style, probs, weights)
    pool = b.cast(pool, "float32")
    k = b.numpy.sum(pool, axis=-1, keepdims=True)
    z = b.random.normal((batch, count), seed=seeds.next()) * pool
    centred = (z - b.numpy.sum(z, axis=-1, keepdims=True) / k) * pool
    embedded = pool / k + spread * centred / b.numpy.sqrt(k)
    chosen = b.random.uniform((batch,), seed=seeds.next()) < probability
    chosen = chosen & multi
    return b.numpy.where(chosen[:, None], embedded, weights)
