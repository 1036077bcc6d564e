"""`GradCamStyleSelector`: which style suits which class, measured with Grad-CAM.

The paper chose styles by eye ("the heat map almost covers the whole object").
Here each (class, style) pair is scored on images of that class, stylized:

- `coverage`: fraction of the image where the stylized image's heatmap is at
  least `threshold` (the paper's criterion, made a number);
- `iou`: overlap of that region with the unstylized image's region, so that the
  classifier still looks at the same thing;
- `retention`: mean probability of the correct class on stylized images over
  that on the originals.

The default `score` is their product; `select()` picks the best style(s) per
class and returns a mapping that `RandomStyleTransfer(class_styles=...)` takes.

This reproduces the paper's method. It is not the recommended recipe: styles
chosen per class can make a classifier less robust than random styles, one
style per class turning texture into a cue for the label (see the
documentation's *Choosing styles*).

>>> import numpy as np
>>> from keras_style_aug.classifiers import build_vgg16_classifier
>>> from keras_style_aug.networks import TransformerNet
>>> clf = build_vgg16_classifier((32, 32, 3), weights=None, dense_units=4)
>>> nets = [TransformerNet.from_preset("lite", name=n) for n in ("a", "b")]
>>> selector = GradCamStyleSelector(clf, nets)
>>> images = np.random.uniform(0, 255, (4, 32, 32, 3)).astype("float32")
>>> table = selector.evaluate(images, np.array([0, 0, 1, 1]))
>>> sorted(selector.select())
[0, 1]
"""

import warnings

import keras
import numpy as np
from tqdm import tqdm

from keras_style_aug import styles as style_registry
from keras_style_aug.networks import TransformerNet
from keras_style_aug.selection.grad_cam import as_functional
from keras_style_aug.selection.grad_cam import grad_cam
from keras_style_aug.utils.images import save_figure

CRITERIA = ("score", "coverage", "iou", "retention")


class GradCamStyleSelector:
    """Scores candidate styles per class with Grad-CAM on a classifier.

    Args:
        classifier: a functional or Sequential Keras model (or a
            `LabelAwareClassifier`: its classifier is used) taking images in
            0..255 with one sigmoid output (binary) or a softmax over classes.
        styles: style names, weights-file paths or `TransformerNet`s; each
            style of a multi-style network is a candidate of its own.
        layer_name: conv layer for Grad-CAM; default the last one.
        threshold: heatmap level that counts as "covered".
        batch_size: images per Grad-CAM batch.
    """

    def __init__(
        self, classifier, styles, layer_name=None, threshold=0.5, batch_size=8
    ):
        if not styles:
            raise ValueError("GradCamStyleSelector needs at least one style.")
        self.classifier = as_functional(classifier)
        networks = [
            s if isinstance(s, TransformerNet) else style_registry.load(s)
            for s in styles
        ]
        # Candidates: (name, network, style of a multi-style network or None).
        self.candidates = [
            (style or net.name, net, style)
            for net in networks
            for style in (net.style_names or [None])
        ]
        names = [name for name, _, _ in self.candidates]
        if len(set(names)) != len(names):
            raise ValueError(
                f"Candidate style names repeat: {names}. Pass either the "
                "single-style networks or the multi-style network holding "
                "the same styles, not both."
            )
        if not 0 < threshold < 1:
            raise ValueError(
                "`threshold` is the heatmap level (heatmaps span 0..1) that "
                f"counts as covered: pass a number in (0, 1), e.g. 0.5. "
                f"Received: threshold={threshold!r}"
            )
        if (
            isinstance(batch_size, bool)
            or not isinstance(batch_size, int)
            or batch_size < 1
        ):
            raise ValueError(
                "`batch_size` must be a whole number >= 1. "
                f"Received: batch_size={batch_size!r}"
            )
        self.layer_name = layer_name
        self.threshold = float(threshold)
        self.batch_size = batch_size
        self.table = None
        self._examples = {}

    def _heatmaps_and_probs(self, images, cls):
        cams, probs = [], []
        for start in range(0, len(images), self.batch_size):
            batch = images[start : start + self.batch_size]
            cams.append(grad_cam(self.classifier, batch, self.layer_name, cls))
            out = np.asarray(self.classifier(batch, training=False), "float32")
            if out.shape[-1] == 1:
                probs.append(out[:, 0] if cls == 1 else 1 - out[:, 0])
            else:
                probs.append(out[:, cls])
        return np.concatenate(cams), np.concatenate(probs)

    def _stylize(self, net, images, style=None):
        kwargs = {} if style is None else {"style": style}
        return np.concatenate(
            [
                keras.ops.convert_to_numpy(
                    net(images[s : s + self.batch_size], **kwargs)
                ).astype("float32")
                for s in range(0, len(images), self.batch_size)
            ]
        )

    def evaluate(self, images, labels, progress=True):
        """Scores every (class, style) pair; returns and keeps the table.

        Args:
            images: `(N, H, W, 3)` images in 0..255.
            labels: `(N,)` integer class labels (or one-hot rows), classes
                of the classifier's output.
            progress: show a progress bar over the pairs.
        Returns:
            a list of dicts with `class`, `style`, `coverage`, `iou`,
            `retention`, `score`; `style` None rows give the unstylized
            baseline's coverage.
        """
        images = np.asarray(images, "float32")
        if len(images) == 0:
            raise ValueError("evaluate() needs a non-empty batch of images.")
        if not np.isfinite(images).all():  # the scores were NaN, the choice noise
            raise ValueError(
                "evaluate() got images with NaN or infinite pixels; pass "
                "finite images in 0..255."
            )
        if images.max() <= 1.0:
            warnings.warn(
                "evaluate() got images with values up to "
                f"{images.max():.3g}; it takes images in 0..255 (the "
                "classifier's and the styles' scale). Multiply 0..1 images by "
                "255.",
                stacklevel=2,
            )
        labels = self._class_labels(labels, len(images), images[:1])
        rows = []
        classes = sorted(set(labels.tolist()))
        bar = tqdm(
            total=len(classes) * (1 + len(self.candidates)),
            desc="Grad-CAM",
            unit="pair",
            disable=not progress,
        )
        for cls in classes:
            originals = images[labels == cls]
            base_cam, base_p = self._heatmaps_and_probs(originals, cls)
            base_region = base_cam >= self.threshold
            rows.append(
                {
                    "class": cls,
                    "style": None,
                    "coverage": float(base_region.mean()),
                    "iou": 1.0,
                    "retention": 1.0,
                    "score": None,
                }
            )
            bar.update(1)
            example = {"original": (originals[0], base_cam[0]), "styles": {}}
            for name, net, style in self.candidates:
                stylized = self._stylize(net, originals, style)
                cam, p = self._heatmaps_and_probs(stylized, cls)
                region = cam >= self.threshold
                union = (region | base_region).sum(axis=(1, 2))
                inter = (region & base_region).sum(axis=(1, 2))
                iou = float(
                    np.mean(np.where(union > 0, inter / np.maximum(union, 1), 1.0))
                )
                row = {
                    "class": cls,
                    "style": name,
                    "coverage": float(region.mean()),
                    "iou": iou,
                    "retention": float(p.mean() / max(base_p.mean(), 1e-7)),
                }
                row["score"] = row["coverage"] * row["iou"] * row["retention"]
                rows.append(row)
                example["styles"][name] = (stylized[0], cam[0])
                bar.update(1)
            self._examples[cls] = example
        bar.close()
        self.table = rows
        return rows

    def _class_labels(self, labels, count, probe):
        """`(N,)` int classes, checked against the classifier's output (run
        on `probe`): a label it has no output for would be scored as another
        class (sigmoid) or read out of range (softmax), silently."""
        labels = np.asarray(labels)
        if labels.ndim == 2 and labels.shape[1] > 1:  # one-hot
            labels = labels.argmax(axis=1)
        labels = labels.reshape(len(labels), -1)
        if labels.shape != (count, 1):
            raise ValueError(
                f"evaluate() needs one label per image: received labels of "
                f"shape {labels.shape} for {count} images."
            )
        labels = labels[:, 0]
        if not np.array_equal(labels, np.round(labels)):
            raise ValueError(
                "`labels` must be integer class indices (or one-hot rows); "
                f"received values such as {labels[labels != np.round(labels)][:3]}."
            )
        outputs = np.shape(self.classifier(probe, training=False))[-1]
        classes = 2 if outputs == 1 else outputs
        if labels.min() < 0 or labels.max() >= classes:
            raise ValueError(
                f"`labels` hold classes {sorted(set(labels.astype(int).tolist()))}, "
                f"but the classifier scores {classes} classes (0..{classes - 1})."
            )
        return labels.astype(int)

    def select(self, criterion="score", per_class=1):
        """`{class: style}` (or `{class: [styles]}` when `per_class` > 1)."""
        if self.table is None:
            raise ValueError("Call evaluate(images, labels) before select().")
        if (
            isinstance(per_class, bool)
            or not isinstance(per_class, int)
            or not (1 <= per_class <= len(self.candidates))
        ):
            raise ValueError(
                f"`per_class` must be a whole number from 1 to the "
                f"{len(self.candidates)} candidate styles. Received: "
                f"per_class={per_class!r}"
            )
        if criterion not in CRITERIA:
            raise ValueError(
                f"`criterion` must be one of {CRITERIA}; received {criterion!r}."
            )
        mapping = {}
        for cls in sorted({r["class"] for r in self.table}):
            rows = [r for r in self.table if r["class"] == cls and r["style"]]
            best = sorted(rows, key=lambda r: -r[criterion])[:per_class]
            names = [r["style"] for r in best]
            mapping[cls] = names[0] if per_class == 1 else names
        return mapping

    def plot(self, path, class_names=None):
        """Writes the paper's Fig. 8: per class, the original and each
        stylization (top row) with their Grad-CAM overlays (bottom row)."""
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        if not self._examples:
            raise ValueError("Call evaluate(images, labels) before plot().")
        classes = sorted(self._examples)
        ncols = 1 + len(self.candidates)
        fig, axes = plt.subplots(
            2 * len(classes),
            ncols,
            figsize=(2.2 * ncols, 4.6 * len(classes)),
            squeeze=False,
        )
        scores = {(r["class"], r["style"]): r for r in self.table}
        for i, cls in enumerate(classes):
            example = self._examples[cls]
            panels = [("original", *example["original"])] + [
                (name, *pair) for name, pair in example["styles"].items()
            ]
            label = class_names[cls] if class_names else f"class {cls}"
            for j, (name, image, cam) in enumerate(panels):
                top, bottom = axes[2 * i, j], axes[2 * i + 1, j]
                top.imshow(np.clip(image, 0, 255).astype("uint8"))
                top.set_title(f"{label}: {name}", fontsize=8)
                bottom.imshow(np.clip(image, 0, 255).astype("uint8"))
                bottom.imshow(cam, cmap="jet", alpha=0.45, vmin=0, vmax=1)
                row = scores[(cls, None if name == "original" else name)]
                text = f"cov {row['coverage']:.2f}"
                if row["score"] is not None:
                    text += f" iou {row['iou']:.2f} ret {row['retention']:.2f}"
                bottom.set_title(text, fontsize=7)
                top.axis("off")
                bottom.axis("off")
        fig.tight_layout()
        return save_figure(fig, path)
