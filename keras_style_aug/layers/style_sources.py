"""Where `RandomStyleTransfer`'s style networks come from and go back to:
the registry name or weights file of each, recorded in the layer's config so
`from_config` (and `keras.models.clone_model`) reload trained networks."""

import os

from keras_style_aug import styles as style_registry
from keras_style_aug.networks import TransformerNet
from keras_style_aug.styles.registry import is_path


def restore_styles(config):
    """`(config, sources, waiting)`: the config with each style that its
    recorded source still loads (same weights sha256) as that trained
    network; `waiting` maps the others' indices to the sha256 their weights
    must have before the layer stylizes."""
    config = dict(config)
    sources = config.pop("style_sources", None) or []
    digests = config.pop("style_weights_sha256", None) or []
    styles = list(config.get("styles") or [])
    waiting = {}
    for i, (source, digest) in enumerate(zip(sources, digests)):
        trained = trained_network(source, digest)
        if trained is not None:
            styles[i] = trained
        else:
            waiting[i] = digest
    if styles:
        config["styles"] = styles
    return config, sources, waiting


def source_of(style):
    """Where `style` can be loaded from again: a registry name, a weights
    file (absolute path), or the source `styles.load` gave a network."""
    if isinstance(style, (str, os.PathLike)):
        text = str(style)
        return os.path.abspath(text) if is_path(text) else text
    if isinstance(style, TransformerNet):
        return getattr(style, "source", None)
    return None  # a config dict: only `from_config` knows


def trained_network(source, digest):
    """The network `source` loads, if its weights are still `digest`'s."""
    if source is None:
        return None
    try:
        net = style_registry.load(source)
    except (ValueError, OSError):
        return None
    return net if net.weights_sha256() == digest else None
