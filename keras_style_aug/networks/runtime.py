"""How a `TransformerNet` meets a backend: the smallest image it takes, the
padding to sides divisible by 4, one compiled call under eager JAX, and the stylizing
call itself."""

import weakref

from keras_style_aug.networks import architecture

MIN_SIDE = 8

_JITTED = weakref.WeakKeyDictionary()


def jitted(net, layout, outputs=(False, False)):
    """`stylize` compiled by JAX for one layout and `outputs` (its
    `with_pre_tanh`, `with_upsampling_norms` flags; weights as inputs)."""
    import jax

    cache = _JITTED.setdefault(net, {})
    key = (layout, outputs)
    if key not in cache:
        b = net._backend
        cache[key] = jax.jit(
            lambda images, style_weights, values: stylize(
                net, b, images, style_weights, values, layout, outputs
            )
        )
    return cache[key]


def is_traced(x):
    import jax

    return isinstance(x, jax.core.Tracer)


def too_small(height, width):
    """Why an image of `height` x `width` pixels cannot be stylized, or None
    (for tools that skip such images and name them)."""
    if min(height, width) < MIN_SIDE:
        return (
            f"too small ({height}x{width} pixels; the style networks need at "
            f"least {MIN_SIDE}x{MIN_SIDE})"
        )
    return None


def check_images(b, images, who):
    """`images`, checked: a clear error for anything but `(N, H, W, 3)`
    images and for images under `MIN_SIDE` pixels; for sizes unknown until
    run time (a TensorFlow graph: tf.data), an assertion with the same
    message that the returned images depend on, so it runs before any op
    that would fail on them."""
    shape = tuple(images.shape)  # channels None: a tf.data graph, unchecked
    if len(shape) != 4 or shape[-1] not in (3, None):
        raise ValueError(
            f"{who} takes (N, H, W, 3) RGB images, channels last; received "
            f"shape {shape}. Give a single image its batch axis (image[None]), "
            "and convert grayscale or RGBA images to RGB."
        )
    height, width = b.core.shape(images)[1:3]
    message = (
        f"{who} needs images of at least {MIN_SIDE}x{MIN_SIDE} pixels"
        "{}. Resize or filter out smaller images first."
    )
    if isinstance(height, int) and isinstance(width, int):
        if min(height, width) < MIN_SIDE:
            raise ValueError(message.format(f"; received {height}x{width}"))
    elif b.name == "tensorflow":
        import tensorflow as tf

        check = tf.debugging.assert_greater_equal(
            tf.minimum(height, width), MIN_SIDE, message=message.format("")
        )
        with tf.control_dependencies([check]):
            return tf.identity(images)
    return images


def pad_to_multiple_of_4(b, x, height, width):
    """Reflection padding at the bottom and right to sides divisible by 4."""
    # (4 - h % 4) % 4 rather than (-h) % 4: exporters (ONNX) get the sign of
    # a modulo of a negative dynamic size wrong.
    pad_h, pad_w = (4 - height % 4) % 4, (4 - width % 4) % 4
    if isinstance(pad_h, int) and isinstance(pad_w, int) and not (pad_h or pad_w):
        return x  # torch's reflect pad refuses all-zero widths
    return b.numpy.pad(x, [[0, 0], [0, pad_h], [0, pad_w], [0, 0]], mode="reflect")


def stylize(net, b, images, style_weights, values, layout, outputs):
    """`net.stylize_01` once checked; `outputs` is its two `with_` flags."""
    with_pre_tanh, with_upsampling_norms = outputs
    dtype = net.compute_dtype
    x = b.cast(images, dtype) * 2.0 - 1.0  # the network works in [-1, 1]
    height, width = b.shape(x)[1:3]
    x = pad_to_multiple_of_4(b, x, height, width)
    weights = net._by_layer(b, values, "float32")
    x = architecture.forward(
        b,
        x,
        weights,
        net.residual_blocks,
        style_weights,
        dtype,
        layout=layout,
        with_upsampling_norms=with_upsampling_norms,
        normalization=net.normalization,
    )
    x, norms = x if with_upsampling_norms else (x, None)
    pre_tanh = x[:, :height, :width, :]
    stylized = (b.numpy.tanh(pre_tanh) + 1.0) * 0.5
    extra = (b.cast(pre_tanh, "float32"),) if with_pre_tanh else ()
    extra += (norms,) if with_upsampling_norms else ()
    return (stylized, *extra) if extra else stylized
