"""How `RandomStyleTransfer` runs its networks: only the images drawn for a
style, gathered into a static number of slots, each network on its own
window of them, the results scattered back."""

from keras_style_aug.layers import pixels
from keras_style_aug.networks.runtime import check_images


def stylize_selected(layer, b, images, transformation, slots):
    """The stylized images and where they apply: `(stylized, selected)`,
    the `slots` images drawn for a style (`style_index >= 0`, in batch
    order) gathered, run through their networks and put back in place."""
    style_index = transformation["style_index"]
    selected = style_index >= 0
    # The selected images first: `take` gathers the `slots` images that
    # run through the networks, `position` finds each image's result.
    order = b.numpy.argsort(b.cast(b.numpy.logical_not(selected), "int32"))
    take = order[:slots]
    position = b.numpy.argsort(order)
    selected = selected & (position < slots)
    subset = b.numpy.take(pixels.to_01(b, images, layer.value_range), take, axis=0)
    subset = b.numpy.where(b.numpy.isfinite(subset), subset, 0.0)
    subset = check_images(b, subset, "RandomStyleTransfer")
    network = b.numpy.take(
        b.convert_to_tensor(list(layer.options.network) + [-1], "int32"),
        b.numpy.where(style_index >= 0, style_index, len(layer.options.names)),
    )
    network = b.numpy.take(network, take)
    weights = b.numpy.take(
        b.cast(transformation["style_weights"], "float32"), take, axis=0
    )
    stylized, done = subset, network < -1
    for i in range(len(layer.networks)):
        out, ran = run_network(layer, b, i, subset, weights, network, slots)
        stylized = b.numpy.where(ran[:, None, None, None], out, stylized)
        done = done | ran
    stylized = b.core.stop_gradient(stylized)
    last = b.numpy.minimum(position, b.numpy.maximum(slots - 1, 0))
    stylized = b.numpy.take(stylized, last, axis=0)
    selected = selected & b.numpy.take(done, last)
    return stylized, selected


def run_network(layer, b, i, subset, weights, network, slots):
    """Network `i` on its window of the `slots` gathered images: those
    drawn for it come first, the window's static size bounds the cost.
    Returns its outputs aligned with `subset` and where they apply."""
    net = layer.networks[i]
    mix = layer.options.mixes[i]
    mine = network == i
    window = network_window(layer, b, i, slots)
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


def network_window(layer, b, i, slots):
    """How many images network `i` runs on: `None` for all `slots`; with
    several networks and styles dealt out evenly (no `class_styles`), its
    share of the options, rounded up, bounds how many it can be drawn for."""
    if len(layer.networks) == 1 or layer.options.class_probs is not None:
        return None
    count = len(layer.options.names)
    share = layer.options.network.count(i)
    if isinstance(slots, int):
        return min(slots, share * -(-slots // count))
    if b.name == "jax":  # a symbolic batch: static bounds only
        return None
    return b.numpy.minimum(slots, share * ((slots + count - 1) // count))
