"""`StyleTrainer`: trains a `TransformerNet` for one style, or a multi-style
network for several at once, with Keras `fit()`.

A multi-style network (conditional instance norm) is trained by passing a dict
``{name: style image}``: each training image gets a random style index, and
the loss compares it with that style's Gram matrices.

Checkpoints go to ``<output_dir>/checkpoint`` every ``checkpoint_every`` steps
(weights, optimizer state and step count, through
``keras.callbacks.BackupAndRestore``, written safely and keyed on the
settings); rerunning the same command after a kill continues from the last
checkpoint, and a rerun with other settings is refused with what differs.
The last checkpoint stays when a run ends, so a rerun with more ``steps``
trains on from it (and one with no more steps returns the saved result);
delete the folder to start fresh.
The result is ``<output_dir>/NAME.weights.h5`` plus ``NAME.json``, its entry for
``weights/manifest.json``.

With ``teacher`` (a trained network with the same styles) the network also
learns to reproduce the teacher's outputs: distillation, e.g. a fast ``lite``
network from a ``full`` one. ``teacher_weight`` weighs the mean squared pixel
difference to the teacher's output; with ``content_weight=style_weight=0`` the
VGG-19 pass is skipped and the teacher alone is the target.

With ``saturation_weight`` the loss also penalizes pre-``tanh`` outputs beyond
``saturation_bound`` (``losses.tanh_saturation``): pixels stuck at pure white
or black, out of the perceptual loss's reach. With ``spike_weight`` it
penalizes the upsampling stages' activations beyond ``spike_bound`` standard
deviations before instance norm (``losses.norm_spikes``): the "droplet" where
blob artifacts form.

Example (random VGG weights and 8 steps keep it quick and offline; a dict
of paintings, `{"a": style, "b": other}`, trains one multi-style network):

>>> import numpy as np, tempfile
>>> from keras_style_aug.training import StyleTrainer
>>> rng = np.random.default_rng(0)
>>> content = rng.uniform(0, 255, (4, 32, 32, 3)).astype("uint8")
>>> style = rng.uniform(0, 255, (32, 32, 3)).astype("uint8")
>>> trainer = StyleTrainer(style, content, name="toy", image_size=32,
...     batch_size=2, steps=8, network="lite", vgg_weights=None,
...     output_dir=tempfile.mkdtemp(), verbose=0)
>>> result = trainer.fit()
>>> sorted(result["final_losses"])
['content', 'style', 'total', 'tv']
"""

import hashlib
import json
from pathlib import Path

import keras
import numpy as np

from keras_style_aug.losses import PerceptualLoss
from keras_style_aug.networks import TransformerNet
from keras_style_aug.networks.weights_io import save_weights_float16
from keras_style_aug.styles.registry import sha256
from keras_style_aug.training import arguments as args
from keras_style_aug.training.content_data import content_batches
from keras_style_aug.training.evaluation import evaluate_losses
from keras_style_aug.training.fit_loop import fit_with_checkpoints
from keras_style_aug.utils.machine import device_name

# Loss weights that give clearly stylized images with the Caffe-scaled VGG-19
# features of keras.applications (content loss of a good stylization ~1e5,
# Gram style loss of a photo ~1e10). See weights/README.md.
DEFAULT_CONTENT_WEIGHT = 1.0
DEFAULT_STYLE_WEIGHT = 1e-4
DEFAULT_TV_WEIGHT = 1e4
# The saturation penalty a network without per-image statistics trains with
# unless told otherwise (`saturation_weight=None`).
AFFINE_SATURATION_WEIGHT = 1e6


class StyleTrainer:
    """Trains a fast style-transfer network for one style image, or one
    multi-style network for several.

    Args:
        style_image: path to the painting, or an `(H, W, 3)` array in 0..255;
            or a dict `{style name: painting}` to train one multi-style
            network (conditional instance norm) on all of them.
        content: a folder of photos, an `(N, S, S, 3)` array, a
            `tf.data.Dataset` of images (or of dicts with `"image"`), or
            `"coco"` for TFDS `coco/2017` (downloads). Photos in memory are
            drawn at random, a resumed run drawing others; a dataset is read
            in its own order (shuffle it first if need be), a resumed run
            reading on after the images already trained on.
        name: style (or multi-style network) name; the output file is
            `NAME.weights.h5` (so no `/`, `\\` or `:`, the spelling of one
            style of a multi-style network in `styles.load`).
        network: `"full"`, `"lite"` or a `TransformerNet`.
        normalization: for a `"full"` or `"lite"` network, what follows its
            convolutions (`TransformerNet`'s `normalization`): `"instance"`
            (the paper's, the default) or `"affine"` (no per-image
            statistics). A `TransformerNet` passed as `network` keeps its
            own.
        image_size: crop side, the paper's 256 by default.
        batch_size: the paper's 4 by default.
        steps: training steps, the paper's 20,000 by default.
        learning_rate: Adam's, the paper's 1e-3 by default; or a
            `keras.optimizers.schedules.LearningRateSchedule`, e.g.
            `CosineDecay` with warmup to fine-tune a trained `network`: Adam
            moves every weight by about the learning rate on its first step
            whatever the gradient, which undoes much of a trained network's
            style at a rate of 5e-4; a warmup avoids it. Resumed runs
            continue the schedule.
        content_layers: VGG-19 layers, paper or Keras names.
        style_layers: VGG-19 layers, paper or Keras names.
        content_weight: weight of the content loss.
        style_weight: weight of the Gram-matrix style loss.
        tv_weight: weight of the total variation loss.
        vgg_weights: `"imagenet"`, a path to VGG-19 conv weights, or `None`.
        output_dir: where checkpoints, samples and results go.
        checkpoint_every: steps between checkpoints (one Keras epoch);
            `steps` need not be a multiple of it: the run stops at `steps`.
        sample_images: images to stylize into a PNG at each checkpoint;
            `None` takes four content images.
        seed: seed for batch sampling and weight initialization.
        verbose: Keras `fit` verbosity.
        time_limit_s: stop after this many seconds of this run's training
            (e.g. a GPU lease) and save what was trained; the result's
            `steps` records the steps actually done, and a rerun resumes at
            that step. `None`: run all steps.
        teacher: a trained `TransformerNet` with the same `style_names` and
            `value_range`, whose outputs the network learns to reproduce
            (distillation), or `None`.
        teacher_weight: weight of the mean squared difference to the
            teacher's output, in `value_range` pixel units. The default, 30,
            gives about 4e4 at the shipped `paintings6_lite`'s distance from
            `paintings6` (RMS 35 of 255), a fifth of a trained network's
            perceptual loss with the default weights, so the style loss stays
            in charge. The teacher alone (content and style weights 0)
            blurs the textures.
        saturation_weight: weight of `losses.tanh_saturation`, the mean
            squared excess of the pre-`tanh` output over `saturation_bound`;
            0 leaves it out; `None` (the default) is 0 for an
            `"instance"` network and 1e6 for an `"affine"` one, which
            without it diverges on its first steps (the full network at Adam
            1e-3 on CPU: every pixel saturated from step 2, for good; the
            penalty brought it back within 3 steps). Where the output saturates, the
            perceptual loss has almost no gradient, so blobs of pure white
            it would remove stay. With 1e6, a pre-`tanh` value 1 over the
            bound gets about half the gradient that the perceptual loss gives
            a typical pixel (style weight 5e-5, `paintings6_lite` at 256 px).
        saturation_bound: pre-`tanh` magnitude below which the penalty is 0
            (2: outputs within 2% of either end of `value_range` are free).
        spike_weight: weight of `losses.norm_spikes`, the mean squared
            excess of the two upsampling stages' normalized activations over
            `spike_bound`; 0 (the default) leaves it out. The shipped
            `paintings6` gives about 0.07 at the default bound (256 px).
        spike_bound: standard deviations below which the penalty is 0.
    """

    def __init__(
        self,
        style_image,
        content,
        name="style",
        network="full",
        normalization="instance",
        image_size=256,
        batch_size=4,
        steps=20_000,
        learning_rate=1e-3,
        content_layers=("conv3_3",),
        style_layers=("conv1_2", "conv2_2", "conv3_3", "conv4_3"),
        content_weight=DEFAULT_CONTENT_WEIGHT,
        style_weight=DEFAULT_STYLE_WEIGHT,
        tv_weight=DEFAULT_TV_WEIGHT,
        vgg_weights="imagenet",
        output_dir=None,
        checkpoint_every=100,
        sample_images=None,
        seed=0,
        verbose="auto",
        time_limit_s=None,
        teacher=None,
        teacher_weight=30.0,
        saturation_weight=None,
        saturation_bound=2.0,
        spike_weight=0.0,
        spike_bound=6.0,
    ):
        args.check_counts(
            steps=steps, batch_size=batch_size, checkpoint_every=checkpoint_every
        )
        self.image_size = args.check_image_size(image_size)
        self.name = args.check_name(name)
        self.batch_size = int(batch_size)
        self.steps = int(steps)
        self.learning_rate, recorded_rate = args.check_learning_rate(learning_rate)
        self.checkpoint_every = min(int(checkpoint_every), self.steps)
        self.seed = seed
        self.verbose = verbose
        self.time_limit_s = time_limit_s
        self.output_dir = Path(output_dir or Path("runs") / name)
        self.style_names = None
        if isinstance(style_image, dict):
            if not style_image:
                raise ValueError(
                    "`style_image` is an empty dict: pass {name: painting} for "
                    "each style."
                )
            self.style_names = [str(k) for k in style_image]
            images = [
                args.style_image(v, self.image_size) for v in style_image.values()
            ]
            self.style_paths = [p for p, _ in images]
            self.style_image = [im for _, im in images]
        else:
            path, self.style_image = args.style_image(style_image, self.image_size)
            self.style_paths = [path]
        keras.utils.set_random_seed(seed)
        if isinstance(network, TransformerNet):
            args.check_network(network, normalization, self.style_names)
            self.net = network
        else:
            self.net = TransformerNet.from_preset(
                network,
                name=name,
                style_names=self.style_names,
                normalization=normalization,
            )
        if saturation_weight is None:
            affine = self.net.normalization == "affine"
            saturation_weight = AFFINE_SATURATION_WEIGHT if affine else 0.0
        # The penalties in use: `(weight, bound)` by `PENALTIES` name.
        self.penalties = args.check_penalties(
            {
                "saturation": (saturation_weight, saturation_bound),
                "spike": (spike_weight, spike_bound),
            }
        )
        self.teacher = args.check_teacher(
            teacher, teacher_weight, self.net, self.style_names
        )
        self.teacher_weight = float(teacher_weight)
        self.loss = PerceptualLoss(
            self.style_image,
            content_layers=content_layers,
            style_layers=style_layers,
            content_weight=content_weight,
            style_weight=style_weight,
            tv_weight=tv_weight,
            vgg_weights=vgg_weights,
        )
        uses_vgg = content_weight > 0 or style_weight > 0
        if uses_vgg and self.image_size < self.loss.min_side:  # failed in fit
            raise ValueError(
                f"image_size={self.image_size} is too small for the VGG-19 "
                f"layers {list(dict.fromkeys([*content_layers, *style_layers]))}: "
                f"the deepest needs {self.loss.min_side}x{self.loss.min_side} "
                "crops at least."
            )
        self.settings = {
            "network": {
                "filters": list(self.net.filters),
                "residual_blocks": self.net.residual_blocks,
                "normalization": self.net.normalization,
            },
            "content_layers": list(content_layers),
            "style_layers": list(style_layers),
            "content_weight": content_weight,
            "style_weight": style_weight,
            "tv_weight": tv_weight,
            "image_size": self.image_size,
            "batch_size": self.batch_size,
            "steps": self.steps,
            "learning_rate": recorded_rate,
            # Resumed with other VGG weights, a run went on without a word.
            "vgg_weights": args.vgg_identity(vgg_weights),
        }
        if self.style_names:
            self.settings["styles"] = self.style_names
        if self.teacher is not None:
            self.settings["teacher"] = {
                "name": self.teacher.name,
                "weights_sha256": self.teacher.weights_sha256(),
            }
            self.settings["teacher_weight"] = self.teacher_weight
        for penalty, (weight, bound) in self.penalties.items():
            self.settings[f"{penalty}_weight"] = weight
            self.settings[f"{penalty}_bound"] = bound
        self.batches, self.samples, self._read_dataset = content_batches(
            content,
            sample_images,
            self.image_size,
            self.batch_size,
            self.checkpoint_every,
            self.seed,
            len(self.style_names) if self.style_names else None,
        )

    def fit(self, callbacks=()):
        """Trains (or resumes), saves the network and returns its manifest entry."""
        steps_done, final, wall_time_s = fit_with_checkpoints(self, callbacks)
        self.settings["steps"] = steps_done
        saved = self.output_dir / f"{self.name}.json"
        if final is None and saved.exists():  # the checkpoint held every step
            return json.loads(saved.read_text())
        return self.save(final, wall_time_s)

    def fingerprint(self):
        """The settings a checkpoint belongs to: everything but `steps` (a
        run may be extended) and the content, plus the style images' hashes."""
        settings = {k: v for k, v in self.settings.items() if k != "steps"}
        settings["checkpoint_every"] = self.checkpoint_every
        settings["style_images_sha256"] = [
            hashlib.sha256(np.ascontiguousarray(im, "float32").tobytes()).hexdigest()
            for im in (self.style_image if self.style_names else [self.style_image])
        ]
        return settings

    def save(self, final_losses, wall_time_s):
        """Writes `NAME.weights.h5` (float16 storage) and `NAME.json`."""
        weights_path = self.output_dir / f"{self.name}.weights.h5"
        save_weights_float16(self.net, weights_path)
        names = [p.name if p else None for p in self.style_paths]
        hashes = [sha256(p) if p else None for p in self.style_paths]
        entry = {
            "name": self.name,
            "file": weights_path.name,
            "sha256": sha256(weights_path),
            "style_image": names if self.style_names else names[0],
            "style_image_sha256": hashes if self.style_names else hashes[0],
            **self.settings,
            "backend": keras.backend.backend(),
            "device": device_name(),
            "wall_time_s": round(wall_time_s, 1),
            "final_losses": final_losses,
        }
        (self.output_dir / f"{self.name}.json").write_text(
            json.dumps(entry, indent=2) + "\n"
        )
        return entry

    def evaluate(self, images, batch_size=4):
        """Mean content and style losses of the network and of the identity.

        Returns `{"stylized": {...}, "identity": {...}}` over `images`; for a
        multi-style network, one such dict per style name.
        """
        if self.style_names:
            return {
                name: evaluate_losses(self.net, self.loss, images, batch_size, i)
                for i, name in enumerate(self.style_names)
            }
        return evaluate_losses(self.net, self.loss, images, batch_size)
