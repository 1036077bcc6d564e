"""What `RandomStyleTransfer` can draw: its arguments, checked, and its table
of style options.

An *option* is what one image can be drawn for: every style of every network
(a single-style network is one style; a multi-style network one per row of
its norms), then each fixed mix that `class_styles` names.
"""

import numbers


def check_rate(rate):
    if not _is_real(rate) or not 0 <= rate <= 1:
        raise ValueError(
            "`rate` is the probability that an image is stylized and must be a "
            f"number in [0, 1]. Received: rate={rate!r}"
        )
    return float(rate)


def check_strength(strength):
    pair = strength if isinstance(strength, (list, tuple)) else (strength, strength)
    if (
        len(pair) != 2
        or not all(_is_real(s) for s in pair)
        or not 0 <= pair[0] <= pair[1] <= 1
    ):
        raise ValueError(
            "`strength` must be a number in [0, 1] or a (min, max) pair with "
            f"0 <= min <= max <= 1. Received: strength={strength!r}"
        )
    return float(pair[0]), float(pair[1])


def check_mix(mix, mix_size, concentration):
    if not _is_real(mix) or not 0 <= mix <= 1:
        raise ValueError(
            "`mix` is the probability of drawing a random mix of styles and "
            f"must be a number in [0, 1]. Received: mix={mix!r}"
        )
    if not _is_int(mix_size) or mix_size < 2:
        raise ValueError(
            "`mix_size` is the number of styles in a mix and must be an "
            f"integer >= 2. Received: mix_size={mix_size!r}"
        )
    if not _is_real(concentration) or concentration <= 0:
        raise ValueError(
            "`mix_concentration` must be a positive number (1: uniform over "
            f"mixes). Received: mix_concentration={concentration!r}"
        )
    return float(mix), int(mix_size), float(concentration)


def check_random_embedding(probability, spread):
    if not _is_real(probability) or not 0 <= probability <= 1:
        raise ValueError(
            "`random_embedding` is the probability that a stylized image gets "
            "a random style embedding and must be a number in [0, 1]. "
            f"Received: random_embedding={probability!r}"
        )
    if not _is_real(spread) or not 0 < spread < float("inf"):
        raise ValueError(
            "`embedding_spread` scales the spread of the random embeddings "
            "(1: that of the trained styles) and must be a positive number. "
            f"Received: embedding_spread={spread!r}"
        )
    return float(probability), float(spread)


def check_embedding_fits(networks, probability):
    """A random embedding needs a multi-style network of two or more
    styles: without one, `random_embedding` would change nothing, silently."""
    if probability > 0 and not any(n.num_styles >= 2 for n in networks):
        raise ValueError(
            f"`random_embedding={probability}` draws embeddings around the "
            "styles of a multi-style network, but `styles` holds none. Use "
            "one, such as 'paintings4', or random_embedding=0."
        )


def check_mix_fits(networks, mix, mix_size):
    """A random mix needs a multi-style network of at least `mix_size`
    styles: without one, `mix` would change nothing, silently."""
    if mix == 0:
        return
    sizes = {net.name: len(net.style_names) for net in networks if net.is_multi_style}
    if not sizes:
        raise ValueError(
            f"`mix={mix}` draws mixes of one multi-style network's styles, but "
            f"every network in `styles` holds one style "
            f"({[net.name for net in networks]}). Pass a multi-style network "
            "such as 'paintings6', or mix=0."
        )
    largest = max(sizes, key=sizes.get)
    if mix_size > sizes[largest]:
        raise ValueError(
            f"`mix_size={mix_size}` is more than the {sizes[largest]} styles of "
            f"{largest!r}, the largest multi-style network in `styles`: pass "
            f"mix_size <= {sizes[largest]}."
        )


def check_value_range(value_range):
    if (
        not isinstance(value_range, (list, tuple))
        or len(value_range) != 2
        or not all(_is_real(v) for v in value_range)
        or value_range[0] >= value_range[1]
    ):
        raise ValueError(
            "`value_range` must be (low, high) with low < high, e.g. "
            f"(0, 255) or (0, 1). Received: value_range={value_range!r}"
        )
    return tuple(float(v) for v in value_range)


def normalize_class_styles(class_styles):
    """`{class index: [spec, ...]}`, a spec being a style name or a mix
    `{name: weight}`; keys must be integers (or integer strings, as a saved
    config has them)."""
    if not class_styles:
        return {}
    if not isinstance(class_styles, dict):
        raise ValueError(
            "`class_styles` must be a dict from class index to style name(s), "
            f"e.g. {{0: 'wave', 1: ['abstract']}}. Received: {class_styles!r}"
        )
    normalized = {}
    for key, value in class_styles.items():
        cls = _class_key(key)
        specs = list(value) if isinstance(value, (list, tuple)) else [value]
        if not specs:
            raise ValueError(
                f"`class_styles` entry {key!r}: {value!r} needs at least one "
                "style name."
            )
        normalized[cls] = [_check_spec(spec, key) for spec in specs]
    return normalized


def spec_name(spec):
    """A style name, or a canonical name for a fixed mix `{name: weight}`."""
    if isinstance(spec, str):
        return spec
    total = sum(spec.values())
    return "+".join(f"{w / total:.3g}*{n}" for n, w in sorted(spec.items()))


def class_style_names(class_styles):
    """The style names that `class_styles` uses, in order of appearance."""
    return list(
        dict.fromkeys(
            n
            for specs in class_styles.values()
            for spec in specs
            for n in ([spec] if isinstance(spec, str) else spec)
        )
    )


class StyleOptions:
    """The option table of a set of networks and class styles.

    Attributes (tuples, which TensorFlow's tracking leaves alone):
        names: option names, in the order of `style_index`.
        network: the network index of each option.
        mixes: per network, for a multi-style one, an `(options, styles)`
            matrix of each option's weights over its styles; else `None`.
        num_base: how many options are the networks' own styles (the rest
            are fixed mixes of `class_styles`).
        classes: the class indices that `class_styles` maps.
        class_probs: `(len(classes), options)` probability of each option
            per mapped class; `None` without `class_styles`.
    """

    def __init__(self, networks, class_styles):
        names, network, rows = [], [], []
        for i, net in enumerate(networks):
            for style in net.style_names or [net.name]:
                names.append(style)
                network.append(i)
                rows.append({style: 1.0} if net.is_multi_style else None)
        if len(set(names)) != len(names):
            raise ValueError(
                f"Style names must be unique; received {names}. Give the "
                "TransformerNet instances distinct `name`s, and do not load a "
                "style both alone and inside a multi-style network."
            )
        base = list(names)
        for spec in (s for v in class_styles.values() for s in v):
            key = spec_name(spec)
            if key in names:
                continue
            missing = sorted(set([spec] if isinstance(spec, str) else spec) - set(base))
            if missing:
                raise ValueError(
                    f"`class_styles` names {missing}, which are not in "
                    f"`styles` {base}. Add them to `styles` or leave `styles` "
                    "unset to use the styles that `class_styles` names."
                )
            owners = {network[base.index(n)] for n in spec}
            if len(owners) != 1 or rows[base.index(next(iter(spec)))] is None:
                raise ValueError(
                    f"The mix {spec} must combine styles of one multi-style "
                    "network; styles of separate networks cannot be mixed."
                )
            total = sum(spec.values())
            names.append(key)
            network.append(owners.pop())
            rows.append({n: w / total for n, w in spec.items()})
        self.names = tuple(names)
        self.network = tuple(network)
        self.num_base = len(base)
        self.mixes = tuple(
            tuple(
                tuple(
                    (row or {}).get(style, 0.0) if network[o] == i else 0.0
                    for style in net.style_names
                )
                for o, row in enumerate(rows)
            )
            if net.is_multi_style
            else None
            for i, net in enumerate(networks)
        )
        self.classes = tuple(sorted(class_styles))
        self.class_probs = None
        if class_styles:
            probs = []
            for cls in self.classes:
                row = [0.0] * len(names)
                for spec in class_styles[cls]:
                    row[names.index(spec_name(spec))] += 1.0 / len(class_styles[cls])
                probs.append(tuple(row))
            self.class_probs = tuple(probs)

    @property
    def uniform_probs(self):
        """Every style of every network equally likely; fixed mixes never."""
        n = len(self.names)
        return tuple(
            [1.0 / self.num_base] * self.num_base + [0.0] * (n - self.num_base)
        )

    @property
    def has_mixable_network(self):
        return any(m is not None for m in self.mixes)


def _is_real(value):
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def _is_int(value):
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def _class_key(key):
    if isinstance(key, str) and key.lstrip("-").isdigit():
        key = int(key)
    if not _is_int(key) or key < 0:
        raise ValueError(
            "`class_styles` keys must be class indices, integers >= 0 (as in "
            f"the labels); received {key!r} ({type(key).__name__})."
        )
    return int(key)


def _check_spec(spec, key):
    if isinstance(spec, str):
        return spec
    if (
        isinstance(spec, dict)
        and spec
        and all(
            isinstance(n, str) and _is_real(w) and 0 <= w < float("inf")
            for n, w in spec.items()
        )
        and sum(spec.values()) > 0
    ):
        return {n: float(w) for n, w in spec.items()}
    raise ValueError(
        f"`class_styles` entry {key!r}: {spec!r} must be a style name or a mix "
        "{name: weight} with finite, non-negative weights that do not all vanish."
    )
