"""The *unseen art* test set: photos rendered as paintings that the
augmentation never saw, by separately trained style networks.

Style augmentation is meant to make a classifier robust to changes of
texture and rendering; this shift measures exactly that, provided the test
paintings are not among the augmentation's styles (`check_unseen` refuses
an overlap).
"""

import numpy as np


def unseen_art(images, networks, seed=0, batch_size=16):
    """Each image fully stylized by one of `networks` (single-style
    `TransformerNet`s, or multi-style ones: each of their styles counts),
    drawn with `seed`; uint8 `(N, H, W, 3)`."""
    if not networks:
        raise ValueError("unseen_art needs at least one style network.")
    options = [
        (net, style) for net in networks for style in (net.style_names or [None])
    ]
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


def style_identities(net):
    """The style names a network renders (its own name for a single style)."""
    return set(net.style_names or [net.name])


def check_unseen(test_networks, augmenting_networks):
    """Refuses test networks whose styles the augmentation also holds."""
    seen = set().union(*(style_identities(n) for n in augmenting_networks))
    shared = sorted(seen & set().union(*(style_identities(n) for n in test_networks)))
    if shared:
        raise ValueError(
            f"The unseen-art styles {shared} are also augmentation styles: the "
            "test would not be unseen. Pick test paintings that no augmenting "
            "network holds (e.g. augment with wave and abstract, test with "
            "the_scream and udnie)."
        )
