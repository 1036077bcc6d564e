"""Where does the white-blob "droplet" come from? Trains the same network
several times, from the same seed, on one painting, each time with another
normalization patched in (for this experiment only): instance norm as shipped;
one shared variance per image (each channel centred on its own mean, all
channels of an image divided by one standard deviation, so a channel can be
quiet without a spike to inflate its variance); and instance norm everywhere
but after the two upsampling convolutions, which keep only the learned scale
and offset (where a short GPU run found the spikes that the shared variance
left); and the scale and offset alone after every convolution (no per-image
statistics anywhere: `TransformerNet(normalization="affine")`, not a patch),
without and with the saturation penalty (the full network diverges without
it); and instance norm as shipped with the saturation penalty
(`StyleTrainer(saturation_weight=1e6)`: the white sits where `tanh` is flat and
the perceptual loss cannot reach it); and both that and the spike penalty
(`StyleTrainer(spike_weight=1e6)`: the upsampling stages' activations beyond
6 standard deviations, the droplet itself; a CPU fine-tune removed the
coloured spots with it); and instance norm in the encoder only (the photo's
contrast normalized once, at the input, no per-image statistics after it),
with the saturation penalty. Compares the white pixels and the colours in
neither painting nor photo (`invented_colours`: the saturated patches) each
adds to held-out photos, how much of the photos' coarse layout each keeps
(`structure_kept`, which the content loss misses), the spikiness stage by
stage and the held-out losses, and writes a contact sheet.

    python research/publishing/droplet_experiment.py --steps 800 \\
        --output research/results/blobs/droplet_experiment

On a lent GPU (JAX), the paper's schedule: ``research/gpu/droplet_experiment.sh``.
"""

import argparse
import contextlib
import json
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from unittest import mock

import keras
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from diagnose_blobs import diagnose  # noqa: E402
from diagnose_blobs import invented_colours  # noqa: E402
from diagnose_blobs import stage_names  # noqa: E402
from diagnose_blobs import structure_kept  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # research.assets
from train_styles import PAINTINGS  # noqa: E402
from train_styles import VGG19  # noqa: E402
from train_styles import content_split  # noqa: E402
from train_styles import held_out_photos  # noqa: E402
from train_styles import painting_colours  # noqa: E402
from train_styles import painting_loss  # noqa: E402

from keras_style_aug.networks import phase_layout  # noqa: E402
from keras_style_aug.networks import plain_layout  # noqa: E402
from keras_style_aug.training import StyleTrainer  # noqa: E402
from keras_style_aug.training.evaluation import evaluate_losses  # noqa: E402
from keras_style_aug.utils.images import contact_sheet  # noqa: E402
from keras_style_aug.utils.images import save_image  # noqa: E402
from research.assets import asset_path  # noqa: E402


def shared_variance_norm(b, x, scale, offset, style_weights, phases=1, relu=True):
    """`phase_layout.instance_norm` with one variance per image: each channel
    is centred on its own mean, then every channel is divided by the
    standard deviation of all of them."""
    n, h, w, c4 = b.shape(x)
    c = c4 // phases
    x32 = b.numpy.reshape(b.cast(x, "float32"), (n, h, w, phases, c))
    mean = b.numpy.mean(x32, axis=(1, 2, 3), keepdims=True)
    var = b.numpy.mean(b.numpy.square(x32 - mean), axis=(1, 2, 3, 4), keepdims=True)
    y = (x32 - mean) / b.numpy.sqrt(var + phase_layout._EPSILON)
    scale, offset = phase_layout.style_affine(b, scale, offset, style_weights, c)
    y = y * scale + offset
    if relu:
        y = b.nn.relu(y)
    return b.numpy.reshape(b.cast(y, x.dtype), (n, h, w, c4))


def _norm_everywhere(fn):
    return mock.patch.object(phase_layout, "instance_norm", fn)


@contextmanager
def _normalization_in(stages, normalization):
    """While a variant trains: the layouts' `stages` (method names, e.g.
    `("up1", "up2")`) normalize with `normalization` (`norm_function`'s
    argument), whatever the network's; the others as the network does."""

    def with_normalization(method):
        def wrapped(self, *args, **kwargs):
            with mock.patch.object(self, "normalization", normalization):
                return method(self, *args, **kwargs)

        return wrapped

    with contextlib.ExitStack() as stack:
        for owner in (phase_layout.PhaseLayout, plain_layout.PlainLayout):
            for name in stages:
                method = with_normalization(getattr(owner, name))
                stack.enter_context(mock.patch.object(owner, name, method))
        yield


# What the report's figures are, written into it (fractions, not percentages).
UNITS = {
    "white_added": "fraction of the pixels (0.01 = 1%)",
    "invented_colours": "fraction of the pixels (0.01 = 1%)",
    "structure_kept": "correlation of blurred luminances, -1 to 1",
    "held_out_256": "perceptual losses at 256 px",
}


# name: (what is patched in while the variant trains, StyleTrainer options);
# "affine only everywhere" is `TransformerNet(normalization="affine")`.
VARIANTS = {
    "instance norm": (contextlib.nullcontext, {}),
    "shared variance": (lambda: _norm_everywhere(shared_variance_norm), {}),
    "upsampling affine only": (
        lambda: _normalization_in(("up1", "up2"), "affine"),
        {},
    ),
    "affine only everywhere": (
        contextlib.nullcontext,
        {"normalization": "affine", "saturation_weight": 0.0},  # not the default
    ),
    "affine only everywhere, saturation penalty": (
        contextlib.nullcontext,
        {"normalization": "affine", "saturation_weight": 1e6},
    ),
    # The photo's contrast normalized once, at the input; no per-image
    # statistics after it.
    "instance norm in the encoder only, saturation penalty": (
        lambda: _normalization_in(("conv_in", "down1", "down2"), "instance"),
        {"normalization": "affine", "saturation_weight": 1e6},
    ),
    "saturation penalty": (contextlib.nullcontext, {"saturation_weight": 1e6}),
    "spike and saturation penalties": (
        contextlib.nullcontext,
        {"saturation_weight": 1e6, "spike_weight": 1e6},
    ),
}


def steps_for_next(requested, report):
    """Steps for the next variant: `requested`, or fewer when a variant
    before it stopped short at the time limit (the first one also pays the
    compilation), so that the variants compare at equal steps."""
    return min([requested, *(row["steps"] for row in report.values())])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--style", default="wave", choices=list(PAINTINGS))
    parser.add_argument("--preset", default="lite", choices=["lite", "full"])
    parser.add_argument("--steps", type=int, default=800)
    parser.add_argument("--time-limit-min", type=float, default=None)
    parser.add_argument("--image-size", type=int, default=128)
    parser.add_argument("--batch-size", type=int, default=4)
    parser.add_argument("--style-weight", type=float, default=5e-5)
    parser.add_argument("--photos", type=int, default=8)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--variants",
        nargs="+",
        default=["instance norm", "upsampling affine only"],
        choices=list(VARIANTS),
    )
    parser.add_argument(
        "--dtype-policy", default=None, help="e.g. mixed_bfloat16 on a GPU"
    )
    parser.add_argument("--output", default="runs/droplet_experiment")
    args = parser.parse_args()
    if args.dtype_policy:
        keras.config.set_dtype_policy(args.dtype_policy)
    out = Path(args.output)
    out.mkdir(parents=True, exist_ok=True)
    content, _ = content_split(args.image_size, 1)
    photos = held_out_photos(256, args.photos)
    painting = asset_path("styles", PAINTINGS[args.style])
    loss_256 = painting_loss(args.style, 256)
    palette = painting_colours(args.style)
    report, columns = {}, [list(photos[:4])]
    for variant in args.variants:
        started = time.time()
        patch, options = VARIANTS[variant]
        with patch():
            trainer = StyleTrainer(
                painting,
                content,
                name=args.style,
                network=args.preset,
                image_size=args.image_size,
                batch_size=args.batch_size,
                steps=steps_for_next(args.steps, report),
                style_weight=args.style_weight,
                vgg_weights=str(asset_path(*VGG19)),
                output_dir=out / variant.replace(" ", "_"),
                sample_images=photos[:4],
                checkpoint_every=100,
                seed=args.seed,
                verbose=2,
                time_limit_s=args.time_limit_min * 60 if args.time_limit_min else None,
                **options,
            )
            entry = trainer.fit()
            stages, added, at_spikes = diagnose(trainer.net, photos)
            stylized = np.asarray(trainer.net(photos.astype("float32")))
            losses = evaluate_losses(None, loss_256, photos, stylized=stylized)
        invented = [
            invented_colours(a / 255, b / 255, palette).mean()
            for a, b in zip(photos, stylized)
        ]
        report[variant] = {
            "steps": entry["steps"],
            "wall_time_s": round(time.time() - started, 1),
            "white_added": added,
            "invented_colours": float(np.mean(invented)),
            "structure_kept": float(
                np.mean([structure_kept(a, b) for a, b in zip(photos, stylized)])
            ),
            "white_at_spikes": at_spikes[0],
            "spike_area": at_spikes[1],
            "last_stage": dict(zip(("max_z", "top1_energy"), stages[-1])),
            "stages": {
                name: {"max_z": z, "top1_energy": top}
                for name, (z, top) in zip(stage_names(trainer.net), stages)
            },
            "held_out_256": losses["stylized"],
        }
        columns.append(list(stylized[:4]))
        row = report[variant]
        print(variant, json.dumps(row), flush=True)
        print(
            f"{variant}: white added {100 * row['white_added']:.3g}% of the pixels, "
            f"invented colours {100 * row['invented_colours']:.3g}%, structure kept "
            f"{row['structure_kept']:.2f}, held-out content "
            f"{row['held_out_256']['content']:.3g} / style "
            f"{row['held_out_256']['style']:.3g}",
            flush=True,
        )
        (out / "report.json").write_text(
            json.dumps(
                {"settings": vars(args), "units": UNITS, "variants": report}, indent=2
            )
            + "\n"
        )
    sheet = contact_sheet(
        [list(c) for c in zip(*columns)],
        column_labels=["photo", *args.variants],
        cell=192,
    )
    save_image(sheet, out / "sheet.png")
    print(f"wrote {out / 'report.json'} and {out / 'sheet.png'}")


if __name__ == "__main__":
    main()
