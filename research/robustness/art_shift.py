"""The *unseen art* test set: photos rendered as paintings that the
augmentation never saw, by separately trained style networks.

Style augmentation is meant to make a classifier robust to changes of
texture and rendering; this shift measures exactly that, provided the test
paintings are not among the augmentation's styles (`check_unseen` refuses
an overlap).
"""

import numpy as np


def unseen_art(images, renderers, seed=0, batch_size=16):
    """Each image fully stylized by one of `renderers`, drawn with `seed`;
    uint8 `(N, H, W, 3)`.

    Args:
        renderers: `TransformerNet`s (a multi-style one contributes each of
            its styles) or `(network, style name)` pairs, e.g.
            `(paintings6, "udnie")`.
    """
    if not renderers:
        raise ValueError("unseen_art needs at least one style network.")
    options = _options(renderers)
    choice = np.random.default_rng(seed).integers(0, len(options), len(images))
    out = np.empty_like(np.asarray(images, "uint8"))
    for k, (net, style) in enumerate(options):
        index = np.flatnonzero(choice == k)
        for start in range(0, len(index), batch_size):
            part = index[start : start + batch_size]
            x = np.asarray(images[part], "float32")
            y = net(x) if style is None else net(x, style=style)
            out[part] = np.clip(np.asarray(y), 0, 255).astype("uint8")
    return out


def _options(renderers):
    """`(network, style or None)` for every style the renderers render."""
    options = []
    for item in renderers:
        if isinstance(item, tuple):
            options.append(item)
        else:
            options += [(item, style) for style in (item.style_names or [None])]
    return options


def check_unseen(renderers, augmenting_networks):
    """Refuses renderers whose styles the augmentation also holds."""
    seen = {s for net in augmenting_networks for s in net.style_names or [net.name]}
    rendered = {style or net.name for net, style in _options(renderers)}
    shared = sorted(seen & rendered)
    if shared:
        raise ValueError(
            f"The unseen-art styles {shared} are also augmentation styles: the "
            "test would not be unseen. Pick test paintings that no augmenting "
            "network holds (e.g. augment with wave and abstract, test with "
            "the_scream and udnie)."
        )
