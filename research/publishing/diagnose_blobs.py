"""Finds the cause of white blob artifacts: a few pixels that hold most of a
channel's energy before instance normalization (the "droplet" that StyleGAN2
traced to instance norm: a network can make one strong spike so that
normalizing by the channel's statistics scales everything else down).

For each shipped network given and held-out BSDS500 photos at 256 px, prints
per stage the largest z-score of any channel and the share of the spikiest
channel's energy in its top 1% of positions, the nearly white pixels the
network adds and how many of them sit at the last stage's spikes; writes the
table as markdown. ``--clip`` asks whether the spikes paint the white: each
channel clipped to its own quantiles before every norm (the spikes cut, at
inference), then the white added and the held-out losses per style.
``--reach`` asks whether training can see the white: per style, the pre-``tanh``
values under it and the held-out loss's gradient there, on the output pixels
and on the pre-``tanh`` values, each as a ratio to its mean elsewhere.

    python research/publishing/diagnose_blobs.py paintings6 paintings6_lite \\
        --output research/results/blobs.md
    python research/publishing/diagnose_blobs.py paintings6 --clip 0.005 0.02
    python research/publishing/diagnose_blobs.py paintings6 paintings6_lite --reach
"""

import argparse
import contextlib
import sys
from pathlib import Path
from unittest import mock

import keras
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from train_styles import held_out_photos  # noqa: E402
from train_styles import painting_loss  # noqa: E402

from keras_style_aug import styles as registry  # noqa: E402
from keras_style_aug.layers.pixels import LUMA  # noqa: E402
from keras_style_aug.networks import architecture  # noqa: E402
from keras_style_aug.networks import phase_layout  # noqa: E402
from keras_style_aug.training.evaluation import evaluate_losses  # noqa: E402


def eager():
    """Eager calls while the norms are spied on or patched with NumPy: under
    JAX a network call is otherwise one compiled function."""
    if keras.backend.backend() == "jax":
        import jax

        return jax.disable_jit()
    return contextlib.nullcontext()


def spikiness(x):
    """`(max z-score, top-1% energy share, top-1% mask)` of the spikiest
    channel of a `(1, H, W, C)` activation."""
    v = np.asarray(x, "float32")[0]
    centred = v - v.mean((0, 1))
    z = np.abs(centred) / (v.std((0, 1)) + 1e-5)
    channel = int(z.max((0, 1)).argmax())
    energy = centred[..., channel] ** 2
    ranked = np.sort(energy.ravel())
    k = max(1, ranked.size // 100)
    top = ranked[-k:].sum() / max(ranked.sum(), 1e-12)
    return float(z.max()), float(top), energy >= ranked[-k]


def near_spikes(mask, white, radius=8):
    """Share of the `white` pixels within `radius` of the spike `mask`
    (upsampled to the image's size), and the share of the image that is
    (the chance level)."""
    scale = white.shape[0] // mask.shape[0]
    mask = np.repeat(np.repeat(mask, scale, 0), scale, 1)
    grown = mask.copy()
    for axis in (0, 1):
        for shift in range(1, radius + 1):
            grown |= np.roll(mask, shift, axis) | np.roll(mask, -shift, axis)
    return float((white & grown).sum() / max(white.sum(), 1)), float(grown.mean())


def added_white(photo01, stylized01):
    """Mask of the nearly white pixels (every channel above 0.95) a network
    adds: white in its `(H, W, 3)` output in [0, 1], not in the photo."""
    return (stylized01.min(-1) > 0.95) & ~(photo01.min(-1) > 0.95)


def invented_colours(photo01, stylized01, painting01, tolerance=0.15):
    """Mask of the pixels of a network's `(H, W, 3)` output in [0, 1] whose
    colour is in neither the painting nor the photo (both `(h, w, 3)` in
    [0, 1]): farther than `tolerance` (RGB distance) from every pixel of
    each. Counts the saturated green, magenta or yellow spots that
    `added_white` misses (white is in most paintings)."""
    from scipy.spatial import cKDTree

    colours = stylized01.reshape(-1, 3)

    def distance(image):
        return cKDTree(image.reshape(-1, 3)).query(colours)[0]

    far = (distance(painting01) > tolerance) & (distance(photo01) > tolerance)
    return far.reshape(stylized01.shape[:-1])


def structure_kept(photo, stylized, sigma=4.0):
    """How much of a photo's coarse layout (its objects) an `(H, W, 3)`
    output keeps: the correlation of the two luminances, each blurred with a
    Gaussian of `sigma` pixels. An even texture over everything scores low
    even where the content loss (VGG features) does not rise."""
    from scipy.ndimage import gaussian_filter

    def blurred_luminance(image):
        grey = np.asarray(image, "float64") @ np.array(LUMA)
        return gaussian_filter(grey, sigma).ravel()

    return float(
        np.corrcoef(blurred_luminance(photo), blurred_luminance(stylized))[0, 1]
    )


def flattest(photo01, share=0.2, window=9):
    """Mask of the `share` of a photo's pixels with the least local texture
    (standard deviation of the grey level in `window`x`window` boxes)."""
    from scipy.ndimage import uniform_filter

    grey = photo01.mean(-1)
    mean = uniform_filter(grey, window)
    sd = np.sqrt(np.maximum(uniform_filter(grey * grey, window) - mean * mean, 0))
    return sd <= np.quantile(sd, share)


def white_in_flat_regions(net, photos):
    """Per style: the white pixels the network adds, and the share of them in
    the flattest 20% of each photo (chance: 20%)."""
    x = photos.astype("float32")
    rows = {}
    for style in net.style_names or [None]:
        y = np.asarray(net(x) if style is None else net(x, style=style)) / 255.0
        masks = [(added_white(a, b), flattest(a)) for a, b in zip(x / 255.0, y)]
        white = sum(w.sum() for w, _ in masks)
        flat = sum((w & f).sum() for w, f in masks)
        rows[style] = (float(white / x[..., 0].size), float(flat / max(white, 1)))
    return rows


def stage_names(net):
    names = [
        layer
        for layer, *_ in architecture.conv_layers(net.filters, net.residual_blocks)
    ]
    return names[:-1]  # conv_out has no norm


def diagnose(net, photos):
    """Per stage, the mean over photos of (max z, top-1% share); the mean
    fraction of nearly white pixels (every channel above 0.95) the network
    adds (white in its output, not in the photo); and the share of those
    within 8 px of the last norm stage's spike positions."""
    records, norm_function = [], phase_layout.norm_function

    def spying(normalization):
        norm = norm_function(normalization)

        def spy(b, x, scale, offset, style_weights, phases=1, relu=True):
            records.append(spikiness(x))
            return norm(b, x, scale, offset, style_weights, phases, relu)

        return spy

    per_photo, added, at_spikes = [], [], []
    with mock.patch.object(phase_layout, "norm_function", spying):
        with eager():
            for photo in photos:
                records.clear()
                x = photo[None].astype("float32") / 255.0
                weights = net.style_weights(0, 1) if net.is_multi_style else None
                y = np.asarray(net.stylize_01(x, style_weights=weights, layout="plain"))
                per_photo.append([r[:2] for r in records])
                white = added_white(x[0], y[0])
                added.append(float(white.mean()))
                at_spikes.append(near_spikes(records[-1][2], white))
    at_spikes = np.mean(at_spikes, axis=0)
    return np.mean(per_photo, axis=0), float(np.mean(added)), at_spikes


def clipped_norm(quantile):
    """`phase_layout.instance_norm` on activations first clipped, per image
    and channel, to their own `[quantile, 1 - quantile]` quantiles: the
    spikes cut, everything else as trained (NumPy: call it eagerly)."""
    original = phase_layout.instance_norm

    def norm(b, x, scale, offset, style_weights, phases=1, relu=True):
        v = np.asarray(x, "float32")
        by_channel = v.reshape(*v.shape[:3], phases, -1)
        lo, hi = np.quantile(by_channel, [quantile, 1 - quantile], axis=(1, 2, 3))
        v = np.clip(by_channel, lo[:, None, None, None], hi[:, None, None, None])
        x = b.convert_to_tensor(v.reshape(x.shape), x.dtype)
        return original(b, x, scale, offset, style_weights, phases, relu)

    return norm


def spike_clipping(net, photos, quantiles):
    """Rows `(style, clip, white added, content, style loss)`: for each style
    of `net`, as trained and with each quantile clipped before every norm."""
    rows, x = [], photos.astype("float32")
    for style in net.style_names or [net.name]:
        kwargs = {"style": style} if net.is_multi_style else {}
        loss = painting_loss(style, 256)
        for q in [0.0, *quantiles]:
            norm = clipped_norm(q) if q else phase_layout.instance_norm
            with mock.patch.object(phase_layout, "instance_norm", norm), eager():
                # One photo per call: the quantiles are per image anyway.
                y = np.concatenate([np.asarray(net(p[None], **kwargs)) for p in x])
            white = np.mean(
                [added_white(a, b).mean() for a, b in zip(x / 255, y / 255)]
            )
            losses = evaluate_losses(None, loss, x, stylized=y)["stylized"]
            rows.append((style, q, float(white), losses["content"], losses["style"]))
    return rows


def output_gradient(loss, stylized, photo):
    """Gradient of `loss`'s total with respect to the `(1, H, W, 3)`
    stylized image (TensorFlow or JAX)."""
    if keras.backend.backend() == "jax":
        import jax

        return jax.grad(lambda y: loss(y, photo)["total"])(stylized)
    import tensorflow as tf

    y = tf.constant(stylized)
    with tf.GradientTape() as tape:
        tape.watch(y)
        total = loss(y, photo)["total"]
    return tape.gradient(total, y)


def loss_reach(net, photos):
    """Per style: the white added, the percentiles (10, 50, 90) of the
    pre-`tanh` values under it (the smallest of the three channels), and the
    held-out loss's mean gradient magnitude at the white as a ratio to its
    mean elsewhere, on the output pixels and on the pre-`tanh` values (by the
    chain rule: times 127.5 (1 - tanh^2))."""
    rows = {}
    for style in net.style_names:
        loss = painting_loss(style, 256)
        white, pre_min, g_out, g_pre = [], [], [], []
        for photo in photos.astype("float32"):
            y, pre = net(photo[None], style=style, with_pre_tanh=True)
            y, pre = np.asarray(y), np.asarray(pre)
            g = np.asarray(output_gradient(loss, y, photo[None]))[0]
            white.append(added_white(photo / 255, y[0] / 255))
            pre_min.append(pre[0].min(-1))
            g_out.append(np.abs(g).mean(-1))
            g_pre.append(np.abs(g * 127.5 * (1 - np.tanh(pre[0]) ** 2)).mean(-1))
        w, pre_min = np.stack(white), np.stack(pre_min)
        g_out, g_pre = np.stack(g_out), np.stack(g_pre)
        rows[style] = {
            "white_added": float(w.mean()),
            "pre_tanh_at_white": np.percentile(pre_min[w], [10, 50, 90]).tolist(),
            "output_gradient_ratio": float(g_out[w].mean() / g_out[~w].mean()),
            "pre_tanh_gradient_ratio": float(g_pre[w].mean() / g_pre[~w].mean()),
        }
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("networks", nargs="+")
    parser.add_argument("--photos", type=int, default=8)
    parser.add_argument("--output", default=None)
    parser.add_argument(
        "--flat-only",
        action="store_true",
        help="only: how much of the added white lies in the photos' flattest 20%%",
    )
    parser.add_argument(
        "--clip",
        nargs="+",
        type=float,
        default=None,
        help="only: white and losses with the spikes clipped at these quantiles",
    )
    parser.add_argument(
        "--reach",
        action="store_true",
        help="only: the pre-tanh values under the white, and the loss's gradient there",
    )
    args = parser.parse_args()
    if args.reach:
        print(
            "| network | style | white added | pre-tanh under it (p10 / p50 / p90) "
            "| loss gradient there / elsewhere: output | pre-tanh |"
        )
        print("| --- | --- | --- | --- | --- | --- |")
        for name in args.networks:
            rows = loss_reach(registry.load(name), held_out_photos(256, args.photos))
            for style, r in rows.items():
                p10, p50, p90 = r["pre_tanh_at_white"]
                print(
                    f"| {name} | {style} | {r['white_added']:.2%} | "
                    f"{p10:.1f} / {p50:.1f} / {p90:.1f} | "
                    f"{r['output_gradient_ratio']:.2f} | "
                    f"{r['pre_tanh_gradient_ratio']:.3f} |"
                )
        return
    if args.clip:
        print("| network | style | clip | white added | content | style |")
        print("| --- | --- | --- | --- | --- | --- |")
        for name in args.networks:
            rows = spike_clipping(
                registry.load(name), held_out_photos(256, args.photos), args.clip
            )
            for style, q, white, content, style_loss in rows:
                clip = f"{q:.1%}" if q else "as trained"
                print(
                    f"| {name} | {style} | {clip} | {white:.2%} | "
                    f"{content:.3g} | {style_loss:.3g} |"
                )
        return
    if args.flat_only:
        for name in args.networks:
            rows = white_in_flat_regions(
                registry.load(name), held_out_photos(256, args.photos)
            )
            for style, (white, flat) in rows.items():
                print(f"| {name} | {style} | {white:.2%} | {flat:.0%} |")
        return
    photos = held_out_photos(256, args.photos)
    lines = [
        "# White blobs and instance-norm spikes",
        "",
        "`python research/publishing/diagnose_blobs.py "
        f"{' '.join(args.networks)} --photos {args.photos}`",
        "",
        f"Held-out BSDS500 photos: {len(photos)}, 256 px; first style of each "
        "network. Per stage before instance norm: max z-score of any channel / "
        "share of the spikiest channel's energy in its top 1% of positions "
        "(means over photos).",
        "",
    ]
    for name in args.networks:
        net = registry.load(name)
        stages, added, at_spikes = diagnose(net, photos)
        lines += [
            f"**{name}**: nearly white pixels added {added:.2%} of the image, "
            f"{at_spikes[0]:.0%} of them within 8 px of the last stage's spikes "
            f"(its top 1% of positions), an area of {at_spikes[1]:.0%} of the "
            "image (the share by chance)",
            "",
            "| stage | max z | top-1% energy |",
            "| --- | --- | --- |",
        ]
        for stage, (z, top) in zip(stage_names(net), stages):
            lines.append(f"| {stage} | {z:.1f} | {top:.2f} |")
        lines.append("")
    text = "\n".join(lines)
    print(text)
    if args.output:
        Path(args.output).write_text(text + "\n")


if __name__ == "__main__":
    main()
