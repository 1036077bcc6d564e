"""Style arguments of the command line: `NAME`, `NAME:STYLE` or
`NAME:STYLE=WEIGHT,STYLE=WEIGHT` (a fixed mix of a multi-style network).

>>> parse("paintings6:wave=1,udnie=3")
('paintings6', {'wave': 1.0, 'udnie': 3.0})
>>> parse("wave")
('wave', None)
"""

from keras_style_aug import styles
from keras_style_aug.export import Stylizer


def parse(spec):
    """`(network name or path, style_mix or None)` of one style argument."""
    name, _, selection = spec.partition(":")
    if not selection:
        return name, None
    if "=" not in selection:
        return name, selection
    mix = {}
    for part in selection.split(","):
        style, _, weight = part.partition("=")
        try:
            mix[style] = float(weight)
        except ValueError:
            raise ValueError(
                f"Style argument {spec!r}: {part!r} is not STYLE=WEIGHT, e.g. "
                "paintings6:wave=0.5,udnie=0.5."
            ) from None
    return name, mix


def label(name, style_mix):
    if style_mix is None:
        return name
    if isinstance(style_mix, str):
        return f"{name}-{style_mix}"
    return f"{name}-" + "+".join(style_mix)


def stylizers(specs, strength=1.0, preserve_color=False, demo_mixes=False):
    """`(label, Stylizer)` for each style argument; a multi-style network
    named alone gives one per style (and, with `demo_mixes`, an even mix of
    its first two styles and of all its styles)."""
    result = []
    for spec in specs:
        name, style_mix = parse(spec)
        net = styles.load(name)
        mixes = [style_mix]
        if net.is_multi_style and style_mix is None:
            mixes = list(net.style_names)
            if demo_mixes:
                mixes += [
                    dict.fromkeys(net.style_names[:2], 1.0),
                    dict.fromkeys(net.style_names, 1.0),
                ]
        for mix in mixes:
            tag = label(net.name, mix)
            if isinstance(mix, dict) and len(mix) == net.num_styles > 2:
                tag = f"{net.name}-all {net.num_styles}"
            result.append(
                (
                    tag,
                    Stylizer(
                        net,
                        strength=strength,
                        preserve_color=preserve_color,
                        style_mix=mix,
                    ),
                )
            )
    return result
