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

import functools
import hashlib
import json
import math
import numbers
import warnings
from pathlib import Path

import keras
import numpy as np

from keras_style_aug.losses import PerceptualLoss
from keras_style_aug.losses.perceptual import total_variation
from keras_style_aug.losses.saturation import tanh_saturation
from keras_style_aug.losses.spikes import norm_spikes
from keras_style_aug.networks import TransformerNet
from keras_style_aug.networks.runtime import MIN_SIDE
from keras_style_aug.networks.weights_io import save_weights_float16
from keras_style_aug.styles.registry import sha256
from keras_style_aug.training.callbacks import SafeBackupAndRestore
from keras_style_aug.training.callbacks import SampleWriter
from keras_style_aug.training.callbacks import TimeLimit
from keras_style_aug.training.callbacks import WallClock
from keras_style_aug.training.content_data import ContentBatches
from keras_style_aug.training.content_data import load_square_images
from keras_style_aug.training.content_data import tf_dataset_batches
from keras_style_aug.training.evaluation import evaluate_losses
from keras_style_aug.utils.images import load_image
from keras_style_aug.utils.machine import device_name
from keras_style_aug.utils.optimizer import build_optimizer

# Loss weights that give clearly stylized images with the Caffe-scaled VGG-19
# features of keras.applications (content loss of a good stylization ~1e5,
# Gram style loss of a photo ~1e10). See weights/README.md.
DEFAULT_CONTENT_WEIGHT = 1.0
DEFAULT_STYLE_WEIGHT = 1e-4
DEFAULT_TV_WEIGHT = 1e4
# The saturation penalty a network without per-image statistics trains with
# unless told otherwise (`saturation_weight=None`).
AFFINE_SATURATION_WEIGHT = 1e6


class _Frozen:
    """A network called without being tracked: its weights stay out of the
    trained model's variables and checkpoints, and get no gradient."""

    def __init__(self, net):
        self.net = net

    def __call__(self, images, styles):
        out = self.net(images) if styles is None else self.net(images, style=styles)
        return keras.ops.stop_gradient(out)


# Penalties on the network's own activations, by `StyleTrainer`'s argument
# prefix (`saturation_weight`, `saturation_bound`, ...): the loss term they
# report, its function of `(activations, bound)`, and which of the network's
# extra outputs it reads (0: pre-`tanh`, 1: the upsampling stages' norms).
_PENALTIES = {
    "saturation": ("saturation", tanh_saturation, 0),
    "spike": ("spikes", norm_spikes, 1),
}


class _StyleModel(keras.Model):
    """The transformation network, trained against a fixed perceptual loss
    and, with a teacher, against the teacher's outputs; `penalties` maps
    names of `_PENALTIES` to `(weight, bound)`."""

    def __init__(
        self, net, loss, teacher=None, teacher_weight=0.0, penalties=None, **kwargs
    ):
        super().__init__(**kwargs)
        self.net = net
        self._perceptual = loss  # plain object: VGG weights stay out of checkpoints
        self._vgg_terms = loss.content_weight > 0 or loss.style_weight > 0
        self._teacher = _Frozen(teacher) if teacher is not None else None
        self._teacher_weight = float(teacher_weight)
        self._penalties = dict(penalties or {})
        terms = ("content", "style", "tv") if self._vgg_terms else ("tv",)
        terms += ("teacher",) if teacher is not None else ()
        terms += tuple(_PENALTIES[name][0] for name in self._penalties)
        self.trackers = {k: keras.metrics.Mean(name=f"{k}_loss") for k in terms}

    def call(self, inputs):
        """`(stylized, pre_tanh)`, and the upsampling stages' normalized
        activations when their spikes are penalized."""
        images, style = (
            (inputs["images"], inputs["styles"])
            if isinstance(inputs, dict)  # multi-style: images and style indices
            else (inputs, None)
        )
        return self.net(
            images,
            style=style,
            with_pre_tanh=True,
            with_upsampling_norms="spike" in self._penalties,
        )

    def compute_loss(
        self, x=None, y=None, y_pred=None, sample_weight=None, training=True
    ):
        images, styles = (
            (x["images"], x["styles"]) if isinstance(x, dict) else (x, None)
        )
        y_pred, *activations = y_pred
        if self._vgg_terms:
            losses = dict(self._perceptual(y_pred, images, styles))
        else:  # distillation alone: no VGG pass
            tv = total_variation(y_pred, self._perceptual.value_range)
            losses = {"tv": tv, "total": self._perceptual.tv_weight * tv}
        if self._teacher is not None:
            target = self._teacher(images, styles)
            losses["teacher"] = keras.ops.mean(
                keras.ops.square(
                    keras.ops.cast(y_pred, "float32")
                    - keras.ops.cast(target, "float32")
                )
            )
            losses["total"] = losses["total"] + self._teacher_weight * losses["teacher"]
        for name, (weight, bound) in self._penalties.items():
            term, penalty, output = _PENALTIES[name]
            losses[term] = penalty(activations[output], bound)
            losses["total"] = losses["total"] + weight * losses[term]
        for key, tracker in self.trackers.items():
            tracker.update_state(losses[key])
        return losses["total"]

    @property
    def metrics(self):
        return super().metrics + list(self.trackers.values())


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
        image_size, batch_size, steps: the paper's 256, 4 and 20,000 by
            default.
        learning_rate: Adam's, the paper's 1e-3 by default; or a
            `keras.optimizers.schedules.LearningRateSchedule`, e.g.
            `CosineDecay` with warmup to fine-tune a trained `network`: Adam
            moves every weight by about the learning rate on its first step
            whatever the gradient, which undoes much of a trained network's
            style at a rate of 5e-4; a warmup avoids it. Resumed runs
            continue the schedule.
        content_layers, style_layers: VGG-19 layers, paper or Keras names.
        content_weight, style_weight, tv_weight: loss weights.
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
        counts = {"steps": steps, "batch_size": batch_size}
        counts["checkpoint_every"] = checkpoint_every
        for argument, value in counts.items():
            if (
                isinstance(value, bool)
                or not isinstance(value, numbers.Integral)
                or value < 1
            ):
                raise ValueError(
                    f"`{argument}` must be a whole number >= 1 (an int); "
                    f"received {argument}={value!r}."
                )
        if (
            isinstance(image_size, bool)
            or not isinstance(image_size, numbers.Integral)
            or image_size < MIN_SIDE
        ):
            raise ValueError(
                f"`image_size` must be a whole number >= {MIN_SIDE} (the network "
                f"and VGG-19's pooling need {MIN_SIDE}x{MIN_SIDE} crops; the "
                f"paper's is 256). Received: image_size={image_size!r}"
            )
        if (
            not isinstance(name, str)
            or not name.strip()
            or name.startswith(".")
            or any(c in name for c in "/\\:")
        ):  # "" wrote a hidden ".weights.h5"; "a:b" loads as style b of a
            raise ValueError(
                "`name` names the style and its file NAME.weights.h5: a "
                "non-empty name without '/', '\\' or ':' that does not start "
                f"with '.', e.g. 'my_style'. Received: name={name!r}"
            )
        self.name = name
        self.image_size = int(image_size)
        self.batch_size = int(batch_size)
        self.steps = int(steps)
        schedules = keras.optimizers.schedules
        if isinstance(learning_rate, schedules.LearningRateSchedule):
            self.learning_rate = learning_rate
            recorded_rate = schedules.serialize(learning_rate)
        else:
            self.learning_rate = float(learning_rate)
            recorded_rate = self.learning_rate
            if not self.learning_rate > 0:
                raise ValueError(
                    "`learning_rate` must be > 0 (the paper's is 1e-3); "
                    f"received {learning_rate}."
                )
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
            images = [self._style(v) for v in style_image.values()]
            self.style_paths = [p for p, _ in images]
            self.style_image = [im for _, im in images]
        else:
            path, self.style_image = self._style(style_image)
            self.style_paths = [path]
        keras.utils.set_random_seed(seed)
        if isinstance(network, TransformerNet):
            if normalization not in ("instance", network.normalization):
                raise ValueError(
                    f"`network` has normalization={network.normalization!r}, "
                    f"but normalization={normalization!r} was passed: build "
                    "the TransformerNet with the normalization you want and "
                    "leave this argument out."
                )
            self.net = network
        else:
            self.net = TransformerNet.from_preset(
                network,
                name=name,
                style_names=self.style_names,
                normalization=normalization,
            )
        if list(self.net.style_names or []) != list(self.style_names or []):
            raise ValueError(
                f"`network` holds styles {self.net.style_names}, but "
                f"`style_image` gives {self.style_names}. Build the network "
                "with style_names matching the style images' keys."
            )
        if saturation_weight is None:
            affine = self.net.normalization == "affine"
            saturation_weight = AFFINE_SATURATION_WEIGHT if affine else 0.0
        penalties = {
            "saturation": (saturation_weight, saturation_bound),
            "spike": (spike_weight, spike_bound),
        }
        for penalty, (weight, bound) in penalties.items():
            if weight < 0 or bound <= 0:
                raise ValueError(
                    f"`{penalty}_weight` must be >= 0 and `{penalty}_bound` > 0; "
                    f"received {weight} and {bound}."
                )
        self.teacher = self._check_teacher(teacher, teacher_weight)
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
            "vgg_weights": _vgg_identity(vgg_weights),
        }
        if self.style_names:
            self.settings["styles"] = self.style_names
        if self.teacher is not None:
            self.settings["teacher"] = {
                "name": self.teacher.name,
                "weights_sha256": self.teacher.weights_sha256(),
            }
            self.settings["teacher_weight"] = self.teacher_weight
        # The penalties in use: `(weight, bound)` by `_PENALTIES` name.
        self.penalties = {
            penalty: (float(weight), float(bound))
            for penalty, (weight, bound) in penalties.items()
            if weight > 0
        }
        for penalty, (weight, bound) in self.penalties.items():
            self.settings[f"{penalty}_weight"] = weight
            self.settings[f"{penalty}_bound"] = bound
        self.batches, self.samples = self._content(content, sample_images)

    def _check_teacher(self, teacher, teacher_weight):
        if teacher is None:
            return None
        if not isinstance(teacher, TransformerNet):
            raise ValueError(
                "`teacher` must be a trained TransformerNet, e.g. "
                f"keras_style_aug.styles.load('paintings6'); received {teacher!r}."
            )
        if list(teacher.style_names or []) != list(self.style_names or []):
            raise ValueError(
                f"`teacher` holds styles {teacher.style_names}, but "
                f"`style_image` gives {self.style_names}: a teacher must hold "
                "the same styles in the same order."
            )
        if teacher.value_range != self.net.value_range:
            raise ValueError(
                f"`teacher` works in value_range {teacher.value_range}, the "
                f"network in {self.net.value_range}; build both with the same "
                "value_range."
            )
        if not teacher_weight > 0:
            raise ValueError(
                "`teacher_weight` must be > 0 with a teacher; received "
                f"{teacher_weight}."
            )
        return teacher

    def _style(self, image):
        """(path or None, float32 array) of one style image."""
        if isinstance(image, (str, Path)):
            array = load_image(image, size=self.image_size)
            if array is None:
                exists = Path(image).exists()
                problem = "is not a readable image" if exists else "does not exist"
                raise ValueError(f"`style_image` {image} {problem}.")
            return Path(image), np.asarray(array, "float32")
        return None, np.asarray(image, "float32")

    def _content(self, content, sample_images):
        size = self.image_size
        if isinstance(content, str) and content == "coco":
            from keras_style_aug.training.content_data import coco_content

            content = coco_content()
        num_styles = len(self.style_names) if self.style_names else None
        if hasattr(content, "element_spec"):  # a tf.data.Dataset
            # Kept to build again for a resumed run (`start_step=`).
            self._read_dataset = functools.partial(
                tf_dataset_batches,
                content,
                size,
                self.batch_size,
                num_styles,
                self.seed,
            )
            batches = self._read_dataset()
            first = next(iter(batches.take(1)), None)
            if first is None:
                raise ValueError(
                    "`content` is an empty tf.data.Dataset: pass one that "
                    "yields images (or dicts with an 'image')."
                )
            first = first[1]
            samples = np.asarray(first)[:4]
        else:
            if isinstance(content, (str, Path)):
                content = load_square_images(content, size)
            content = np.asarray(content)
            if content.ndim != 4 or content.shape[-1] != 3 or len(content) == 0:
                raise ValueError(
                    "`content` must be a folder, a non-empty (N, S, S, 3) "
                    "array or a tf.data.Dataset of images; received an array "
                    f"of shape {content.shape}."
                )
            if content.shape[1:3] != (size, size):
                raise ValueError(
                    f"`content` images are {content.shape[1]}x{content.shape[2]} "
                    f"but image_size={size}: pass image_size={content.shape[1]} "
                    "for square images, or resize them (a folder is resized "
                    "for you)."
                )
            if content.dtype.kind == "f" and not np.isfinite(content).all():
                raise ValueError(
                    "`content` holds NaN or infinite pixel values: pass images "
                    "in 0..255."
                )
            if content.size and 0 < content.max() <= 1:  # black to VGG-19
                warnings.warn(
                    f"`content` has values up to {content.max():.3g}; the "
                    "trainer takes photos in 0..255. Multiply 0..1 images by "
                    "255.",
                    stacklevel=3,
                )
            batches = ContentBatches(
                content,
                self.batch_size,
                self.checkpoint_every,
                seed=self.seed,
                num_styles=num_styles,
            )
            samples = content[:4]
        if sample_images is not None:
            samples = np.asarray(sample_images)
            shape = samples.shape
            if len(shape) != 4 or shape[-1] != 3 or min(shape[1:3]) < MIN_SIDE:
                raise ValueError(  # else it failed at the first checkpoint
                    f"`sample_images` must be (N, H, W, 3) images of at least "
                    f"{MIN_SIDE}x{MIN_SIDE}; received shape {shape}."
                )
        return batches, samples.astype("float32")

    def fit(self, callbacks=()):
        """Trains (or resumes), saves the network and returns its manifest entry."""
        self.output_dir.mkdir(parents=True, exist_ok=True)
        model = _StyleModel(
            self.net,
            self.loss,
            teacher=self.teacher,
            teacher_weight=self.teacher_weight,
            penalties=self.penalties,
            name="style_model",
        )
        model.compile(optimizer=keras.optimizers.Adam(self.learning_rate))
        first = self.samples[:1]
        if self.style_names:
            first = {"images": first, "styles": np.zeros((1,), "int32")}
        model(first)  # BackupAndRestore needs a built model
        build_optimizer(model)
        epochs = math.ceil(self.steps / self.checkpoint_every)
        checkpoint = self.output_dir / "checkpoint"
        # Not the batches trained on before. Read from the checkpoint's
        # metadata before `fit`: Keras fetches the first batches before the
        # callbacks restore the checkpoint.
        start_step = SafeBackupAndRestore.steps_saved(checkpoint)
        batches = self.batches
        if isinstance(batches, ContentBatches):
            batches.resume_after(start_step)
        elif start_step:  # a dataset: read on after the images trained on
            batches = self._read_dataset(start_step=start_step)
        clock = WallClock(checkpoint / "wall_time.json")
        history = model.fit(
            batches,
            epochs=epochs,
            steps_per_epoch=self.checkpoint_every,
            shuffle=isinstance(batches, ContentBatches),  # a dataset: its order
            verbose=self.verbose,
            callbacks=[
                SafeBackupAndRestore(str(checkpoint), self.fingerprint(), self.steps),
                clock,
                SampleWriter(self.net, self.samples, self.output_dir / "samples"),
                *([TimeLimit(self.time_limit_s)] if self.time_limit_s else []),
                *callbacks,
            ],
        )
        steps_done = int(keras.ops.convert_to_numpy(model.optimizer.iterations))
        self.settings["steps"] = steps_done
        logs = history.history
        if not logs:  # the checkpoint already held every step asked for
            saved = self.output_dir / f"{self.name}.json"
            if saved.exists():
                return json.loads(saved.read_text())
            return self.save(None, clock.total)
        final = {key: float(logs[f"{key}_loss"][-1]) for key in model.trackers}
        final["total"] = float(logs["loss"][-1])
        return self.save(final, clock.total)

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


def _vgg_identity(vgg_weights):
    """What the VGG-19 weights were: "imagenet", "random" (None), or a
    file's name and sha256."""
    if vgg_weights is None or vgg_weights == "imagenet":
        return vgg_weights or "random"
    path = Path(vgg_weights)
    return {"file": path.name, "sha256": sha256(path) if path.is_file() else None}
