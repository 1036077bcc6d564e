"""Which style a multi-style `TransformerNet` renders: a `style=` argument
(name, index, mix by name, per-image indices or mixes) turned into the
`(N, num_styles)` weights that mix its conditional instance-norm rows."""

import keras
import numpy as np


def mixing_weights(net, style, batch_size, b):
    """`style` -> `(batch_size, num_styles)` mixing weights of `net`, or
    `None` for a single-style network.

    `style` is a name, an index, a mix by name `{name: weight}`, per-image
    indices `(N,)`, a convex mix `(num_styles,)` or per-image mixes
    `(N, num_styles)`; `b` a backend namespace."""
    if not net.is_multi_style:
        if style is not None:
            raise ValueError(
                f"{net.name} is a single-style network: call it without `style`."
            )
        return None
    if style is None:
        raise ValueError(
            f"{net.name} holds {net.num_styles} styles "
            f"{list(net.style_names)}: pass `style=` a name, an index or "
            "mixing weights."
        )
    if isinstance(style, dict):
        style = _named_mix(net, style)
    if isinstance(style, str):
        if style not in net.style_names:
            raise ValueError(
                f"Unknown style {style!r}; {net.name} holds {list(net.style_names)}."
            )
        style = net.style_names.index(style)
    if isinstance(style, int):
        if not 0 <= style < net.num_styles:
            raise ValueError(
                f"`style` index {style} is out of range for {net.num_styles} styles."
            )
        style = b.numpy.full((batch_size,), style, "int32")
    elif (values := _known_values(style)) is not None:  # a name: checked above
        _check_values(net, values, batch_size)
    style = b.convert_to_tensor(style)
    if "int" in keras.backend.standardize_dtype(style.dtype):
        return b.nn.one_hot(style, net.num_styles, dtype="float32")
    style = b.cast(style, "float32")
    if style.shape[-1] != net.num_styles:
        raise ValueError(
            f"Mixing weights need {net.num_styles} columns, one per style "
            f"{list(net.style_names)}; received shape {tuple(style.shape)}."
        )
    if len(style.shape) == 1:
        style = b.numpy.broadcast_to(style[None], (batch_size, net.num_styles))
    return style


def _known_values(style):
    """`style` as a NumPy array when its values are known now (Python,
    NumPy, an eager tensor; Keras hands `call` NumPy arguments as tensors),
    else None (a symbolic or traced tensor: a compiled training step)."""
    try:
        return np.asarray(keras.ops.convert_to_numpy(style))
    except (NotImplementedError, ValueError, TypeError):
        return None


def _check_values(net, style, batch_size):
    """Per-image indices or mixing weights given as values: a wrong count, an
    index out of range or a negative weight would otherwise render a wrong
    mix (an index out of range: all-zero weights), silently."""
    rows = batch_size if isinstance(batch_size, int) else None
    if np.issubdtype(style.dtype, np.integer):
        if style.ndim != 1 or rows not in (None, len(style)):
            raise ValueError(
                f"Per-image style indices need one index per image, shape "
                f"({rows},); received shape {style.shape}."
            )
        if style.size and not 0 <= style.min() <= style.max() < net.num_styles:
            raise ValueError(
                f"`style` indices {sorted(set(style.tolist()))} go out of range "
                f"for {net.num_styles} styles (0..{net.num_styles - 1})."
            )
        return
    if style.ndim == 2 and rows not in (None, len(style)):
        raise ValueError(
            f"Per-image mixing weights need one row per image, {rows}; "
            f"received shape {style.shape}."
        )
    if style.shape[-1:] == (net.num_styles,) and not (
        np.isfinite(style).all() and (style >= 0).all() and (style.sum(-1) > 0).all()
    ):
        raise ValueError(
            "Mixing weights must be finite and non-negative, with a positive "
            f"sum per image; received {style.tolist()}."
        )


def _named_mix(net, mix):
    """`{name: weight}` -> the normalized `(num_styles,)` weights."""
    unknown = sorted(set(mix) - set(net.style_names))
    if unknown:
        raise ValueError(
            f"The mix {mix!r} names {unknown}, which {net.name} does not hold; "
            f"its styles: {list(net.style_names)}."
        )
    weights = np.array(list(mix.values()), "float64")
    if not (np.isfinite(weights).all() and weights.min() >= 0 and weights.sum() > 0):
        raise ValueError(
            f"The mix {mix!r} needs finite, non-negative weights that do not "
            "all vanish, e.g. {'wave': 0.7, 'udnie': 0.3}."
        )
    total = sum(mix.values())
    return np.array([mix.get(n, 0.0) / total for n in net.style_names], "float32")


def style_row(net, style):
    """The norm-parameter row of `style`, a name of multi-style `net`."""
    if not net.is_multi_style:
        raise ValueError(
            f"{net.name!r} is a single-style network: there is no style to "
            "take out of it."
        )
    if style not in net.style_names:
        raise ValueError(
            f"{net.name!r} holds the styles {list(net.style_names)}; "
            f"received style={style!r}."
        )
    return net.style_names.index(style)


def row_weights(net, row):
    """`net`'s weights with the norm parameters of style `row` alone: those
    of a single-style network that renders that style."""
    values = [np.asarray(v.numpy()) for v in net._params]
    for key, i in net._param_index.items():
        if key.endswith(("/scale", "/offset")):
            values[i] = values[i][row]
    return values
