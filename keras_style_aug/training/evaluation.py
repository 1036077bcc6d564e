"""Held-out losses of a trained network against the identity."""

import numpy as np


def evaluate_losses(net, loss, images, batch_size=4, style=None, stylized=None):
    """Mean content and style losses of `net` (with `style`, the style index
    of a multi-style network) and of the identity over `images`. `loss` may
    hold all the network's styles or only the one evaluated. `stylized`:
    the network's outputs for `images` when the caller has them already."""
    results = {"stylized": [], "identity": []}
    for start in range(0, len(images), batch_size):
        x = np.asarray(images[start : start + batch_size], "float32")
        # A multi-style loss needs the style's index; a one-style loss not.
        index = np.full((len(x),), style, "int32") if loss.multi_style else None
        if stylized is not None:
            y = stylized[start : start + batch_size]
        else:
            y = net(x) if style is None else net(x, style=style)
        results["stylized"].append(loss(y, x, index))
        results["identity"].append(loss(x, x, index))
    return {
        kind: {
            key: float(np.mean([float(r[key]) for r in rows]))
            for key in ("content", "style")
        }
        for kind, rows in results.items()
    }
