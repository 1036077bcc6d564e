"""`StyleTrainer`: trains a `TransformerNet` for one style with Keras `fit()`.

Checkpoints go to ``<output_dir>/checkpoint`` every ``checkpoint_every`` steps
(weights, optimizer state and step count, through
``keras.callbacks.BackupAndRestore``); rerunning the same command after a kill
continues from the last checkpoint. The result is ``<output_dir>/NAME.weights.h5``
plus ``NAME.json``, its entry for ``weights/manifest.json``.

Example (random VGG weights and 8 steps keep it quick and offline):

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

import json
import math
import platform
import time
from pathlib import Path

import h5py
import keras
import numpy as np

from keras_style_aug.losses import PerceptualLoss
from keras_style_aug.networks import TransformerNet
from keras_style_aug.styles.registry import sha256
from keras_style_aug.training.content_data import ContentBatches
from keras_style_aug.training.content_data import load_square_images
from keras_style_aug.training.content_data import tf_dataset_batches
from keras_style_aug.utils.images import contact_sheet
from keras_style_aug.utils.images import load_image
from keras_style_aug.utils.images import save_image

# Loss weights that give clearly stylized images with the Caffe-scaled VGG-19
# features of keras.applications (content loss of a good stylization ~1e5,
# Gram style loss of a photo ~1e10). See weights/README.md.
DEFAULT_CONTENT_WEIGHT = 1.0
DEFAULT_STYLE_WEIGHT = 1e-4
DEFAULT_TV_WEIGHT = 1e4


class _StyleModel(keras.Model):
    """The transformation network, trained against a fixed perceptual loss."""

    def __init__(self, net, loss, **kwargs):
        super().__init__(**kwargs)
        self.net = net
        self._perceptual = loss  # plain object: VGG weights stay out of checkpoints
        self.trackers = {
            k: keras.metrics.Mean(name=f"{k}_loss")
            for k in ("content", "style", "tv")
        }

    def call(self, images):
        return self.net(images)

    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None,
                     training=True):
        losses = self._perceptual(y_pred, x)
        for key, tracker in self.trackers.items():
            tracker.update_state(losses[key])
        return losses["total"]

    @property
    def metrics(self):
        return super().metrics + list(self.trackers.values())


class StyleTrainer:
    """Trains a fast style-transfer network for one style image.

    Args:
        style_image: path to the painting, or an `(H, W, 3)` array in 0..255.
        content: a folder of photos, an `(N, S, S, 3)` array, a
            `tf.data.Dataset` of images (or of dicts with `"image"`), or
            `"coco"` for TFDS `coco/2017` (downloads).
        name: style name; the output file is `NAME.weights.h5`.
        network: `"full"`, `"lite"` or a `TransformerNet`.
        image_size, batch_size, steps, learning_rate: the paper's 256, 4,
            20,000 and 1e-3 by default.
        content_layers, style_layers: VGG-19 layers, paper or Keras names.
        content_weight, style_weight, tv_weight: loss weights.
        vgg_weights: `"imagenet"`, a path to VGG-19 conv weights, or `None`.
        output_dir: where checkpoints, samples and results go.
        checkpoint_every: steps between checkpoints (one Keras epoch).
        sample_images: images to stylize into a PNG at each checkpoint;
            `None` takes four content images.
        seed: seed for batch sampling and weight initialization.
        verbose: Keras `fit` verbosity.
    """

    def __init__(
        self,
        style_image,
        content,
        name="style",
        network="full",
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
    ):
        if steps < 1 or batch_size < 1 or checkpoint_every < 1:
            raise ValueError(
                "`steps`, `batch_size` and `checkpoint_every` must be >= 1; "
                f"received {steps}, {batch_size}, {checkpoint_every}."
            )
        self.name = name
        self.image_size = int(image_size)
        self.batch_size = int(batch_size)
        self.steps = int(steps)
        self.learning_rate = float(learning_rate)
        self.checkpoint_every = min(int(checkpoint_every), self.steps)
        self.seed = seed
        self.verbose = verbose
        self.output_dir = Path(output_dir or Path("runs") / name)
        self.style_path = None
        if isinstance(style_image, (str, Path)):
            self.style_path = Path(style_image)
            style_image = load_image(style_image, size=self.image_size)
            if style_image is None:
                raise ValueError(
                    f"`style_image` {self.style_path} is not a readable image."
                )
        self.style_image = np.asarray(style_image, "float32")
        keras.utils.set_random_seed(seed)
        self.net = (
            network
            if isinstance(network, TransformerNet)
            else TransformerNet.from_preset(network, name=name)
        )
        self.loss = PerceptualLoss(
            self.style_image,
            content_layers=content_layers,
            style_layers=style_layers,
            content_weight=content_weight,
            style_weight=style_weight,
            tv_weight=tv_weight,
            vgg_weights=vgg_weights,
        )
        self.settings = {
            "network": {
                "filters": list(self.net.filters),
                "residual_blocks": self.net.residual_blocks,
            },
            "content_layers": list(content_layers),
            "style_layers": list(style_layers),
            "content_weight": content_weight,
            "style_weight": style_weight,
            "tv_weight": tv_weight,
            "image_size": self.image_size,
            "batch_size": self.batch_size,
            "steps": self.steps,
            "learning_rate": self.learning_rate,
        }
        self.batches, self.samples = self._content(content, sample_images)

    def _content(self, content, sample_images):
        size = self.image_size
        if isinstance(content, str) and content == "coco":
            from keras_style_aug.training.content_data import coco_content

            content = coco_content()
        if hasattr(content, "element_spec"):  # a tf.data.Dataset
            batches = tf_dataset_batches(content, size, self.batch_size)
            first = next(iter(batches.take(1)))[0]
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
            batches = ContentBatches(
                content, self.batch_size, self.checkpoint_every, seed=self.seed
            )
            samples = content[:4]
        if sample_images is not None:
            samples = np.asarray(sample_images)
        return batches, samples.astype("float32")

    def fit(self, callbacks=()):
        """Trains (or resumes), saves the network and returns its manifest entry."""
        self.output_dir.mkdir(parents=True, exist_ok=True)
        model = _StyleModel(self.net, self.loss, name="style_model")
        model.compile(optimizer=keras.optimizers.Adam(self.learning_rate))
        model(self.samples[:1])  # BackupAndRestore needs a built model
        epochs = math.ceil(self.steps / self.checkpoint_every)
        clock = _WallClock(self.output_dir / "checkpoint" / "wall_time.json")
        history = model.fit(
            self.batches,
            epochs=epochs,
            steps_per_epoch=self.checkpoint_every,
            verbose=self.verbose,
            callbacks=[
                keras.callbacks.BackupAndRestore(
                    str(self.output_dir / "checkpoint")
                ),
                clock,
                _SampleWriter(self.net, self.samples, self.output_dir / "samples"),
                *callbacks,
            ],
        )
        logs = history.history
        final = {
            "content": float(logs["content_loss"][-1]),
            "style": float(logs["style_loss"][-1]),
            "tv": float(logs["tv_loss"][-1]),
            "total": float(logs["loss"][-1]),
        }
        return self.save(final, clock.total)

    def save(self, final_losses, wall_time_s):
        """Writes `NAME.weights.h5` (float16 storage) and `NAME.json`."""
        weights_path = self.output_dir / f"{self.name}.weights.h5"
        save_weights_float16(self.net, weights_path)
        entry = {
            "name": self.name,
            "file": weights_path.name,
            "sha256": sha256(weights_path),
            "style_image": self.style_path.name if self.style_path else None,
            "style_image_sha256": sha256(self.style_path)
            if self.style_path
            else None,
            **self.settings,
            "backend": keras.backend.backend(),
            "device": _device(),
            "wall_time_s": round(wall_time_s, 1),
            "final_losses": final_losses,
        }
        (self.output_dir / f"{self.name}.json").write_text(
            json.dumps(entry, indent=2) + "\n"
        )
        return entry

    def evaluate(self, images, batch_size=4):
        """Mean content and style losses of the network and of the identity.

        Returns `{"stylized": {...}, "identity": {...}}` over `images`.
        """
        results = {"stylized": [], "identity": []}
        for start in range(0, len(images), batch_size):
            x = np.asarray(images[start : start + batch_size], "float32")
            y = self.net(x)
            results["stylized"].append(self.loss(y, x))
            results["identity"].append(self.loss(x, x))
        return {
            kind: {
                key: float(np.mean([float(r[key]) for r in rows]))
                for key in ("content", "style")
            }
            for kind, rows in results.items()
        }


def save_weights_float16(net, path):
    """Saves a network's weights, stored as float16 (loading casts back)."""
    path = Path(path)
    full = path.with_name(path.name + ".f32.weights.h5")
    tmp = path.with_name(path.name + ".tmp")
    net.save_weights(full)
    # HDF5 never shrinks a file in place: copy into a fresh one.
    with h5py.File(full, "r") as src, h5py.File(tmp, "w") as dst:
        dst.attrs.update(src.attrs)

        def copy(name, item):
            if isinstance(item, h5py.Group):
                dst.require_group(name).attrs.update(item.attrs)
            else:
                dst.create_dataset(name, data=item[()].astype("float16"))

        src.visititems(copy)
    full.unlink()
    tmp.replace(path)
    return path


def _device():
    try:
        import jax

        if keras.backend.backend() == "jax":
            return str(jax.devices()[0].device_kind)
    except ImportError:
        pass
    return f"CPU ({platform.processor() or platform.machine()})"


class _WallClock(keras.callbacks.Callback):
    """Adds up training wall time across resumed runs."""

    def __init__(self, path):
        super().__init__()
        self.path = Path(path)
        self.before = 0.0
        if self.path.exists():
            self.before = json.loads(self.path.read_text())["wall_time_s"]
        self.start = time.time()

    @property
    def total(self):
        return self.before + time.time() - self.start

    def on_epoch_end(self, epoch, logs=None):
        if self.path.parent.exists():
            self.path.write_text(json.dumps({"wall_time_s": self.total}))

    def on_train_end(self, logs=None):
        self.path.unlink(missing_ok=True)


class _SampleWriter(keras.callbacks.Callback):
    """Saves a contact sheet of the current stylization at each checkpoint."""

    def __init__(self, net, images, folder):
        super().__init__()
        self.net, self.images, self.folder = net, images, Path(folder)

    def on_epoch_end(self, epoch, logs=None):
        steps = (epoch + 1) * self.params["steps"]
        stylized = np.asarray(self.net(self.images))
        sheet = contact_sheet(
            [list(self.images), list(stylized)],
            row_labels=["content", f"step {steps}"],
        )
        save_image(sheet, self.folder / "latest.png")
