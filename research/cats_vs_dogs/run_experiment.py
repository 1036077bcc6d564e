"""The paper's cats-vs-dogs experiment (Table 2), end to end.

1. Load cats vs dogs (TFDS ``cats_vs_dogs``, or ``--data-dir`` with one folder per
   class), split 6:2:2.
2. Train the improved VGG-16 without augmentation; let ``GradCamStyleSelector``
   choose a style per class on validation images (writes ``fig8_gradcam.png``).
3. Train the classifier with each augmentation: none, the four traditional ones,
   style transfer on the fly (``RandomStyleTransfer(class_styles=...)``) and the
   paper's offline 2x expansion; on the full training split and on a small one.
4. Evaluate on the clean test split, on corrupted copies (blur, noise, JPEG,
   colour, contrast), on renderings (sketch, cartoon) and on *unseen art*
   (test photos stylized by ``--unseen-art-styles``, networks the augmentation
   never saw); write ``results.md`` (mean and std over seeds), ``results.json``
   and ``results.png``, rewritten after every run. Shifted test sets are
   cached under ``OUTPUT/cache``. Each finished run is kept in
   ``OUTPUT/runs.jsonl``: after a crash or Ctrl-C, the same command resumes
   (``RunLog``), with Grad-CAM's choice from ``selection.json``.

``--quick`` fits 2 CPU cores: 96x96 images, a frozen VGG-16 base whose features
of the fixed sets (validation, test, shifted tests, unaugmented training) are
computed once, a head trained for a few epochs on freshly augmented images each
epoch. Without ``--quick`` the whole network is fine-tuned with the paper's
settings (224x224, Adam 1e-5, batch 20, 30 epochs): a GPU job, which runs
under any backend, JAX included, without TensorFlow (images through PIL and
NumPy; class styles reach the layer through ``LabelAwareClassifier``).

Style methods: ``style (on the fly)`` uses the styles Grad-CAM chose per class;
``style (random)`` draws any candidate style for any image; ``style +
pan+crop`` and ``style + flip`` add those traditional augmentations after it;
``style (offline 2x)`` is the paper's stylized copy of the training set
(every photo plus one stylized copy, with the styles per class unless a
recipe study passes none), ``+ flip`` flipped on the fly.
``recipe_study.py`` beside this script varies the style settings.

    python research/cats_vs_dogs/run_experiment.py --quick \\
        --data-dir $KSA_ASSETS/cats_vs_dogs/train
"""

import argparse
import hashlib
import json
import os
import sys
import time
from pathlib import Path

import keras
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # research.assets
from keras_style_aug import styles as style_registry
from keras_style_aug.classifiers import BASELINES
from keras_style_aug.classifiers import PAPER_TRAINING
from keras_style_aug.classifiers import LabelAwareClassifier
from keras_style_aug.classifiers import baseline_augmentation
from keras_style_aug.classifiers import build_vgg16_classifier
from keras_style_aug.classifiers import with_labels
from keras_style_aug.cli.arguments import positive_int
from keras_style_aug.cli.arguments import positive_number
from keras_style_aug.cli.arguments import vgg16_side
from keras_style_aug.data import load_class_folders
from keras_style_aug.data import load_tfds_cats_vs_dogs
from keras_style_aug.layers import RandomStyleTransfer
from keras_style_aug.selection import GradCamStyleSelector
from keras_style_aug.styles.registry import resolve
from keras_style_aug.styles.registry import sha256
from keras_style_aug.styles.registry import style_name
from keras_style_aug.utils.images import save_figure
from keras_style_aug.utils.optimizer import build_optimizer
from research.assets import assets_dir  # noqa: E402
from research.compiled_models import CompiledModels  # noqa: E402
from research.robustness import CORRUPTIONS  # noqa: E402
from research.robustness import RENDERINGS  # noqa: E402
from research.robustness import cached_shift  # noqa: E402
from research.robustness import check_unseen  # noqa: E402
from research.robustness import unseen_art  # noqa: E402

STYLE_METHODS = (
    "style (on the fly)",
    "style (random)",
    "style + pan+crop",
    "style + flip",
    "style (offline 2x)",
    "style (offline 2x) + flip",
)
METHODS = BASELINES + ("flip",) + STYLE_METHODS
UNSEEN_ART = "unseen art"
# Arguments that choose which runs to make, not how a run is made: a rerun
# into the same folder may change them and still resume.
RUN_CHOICE = ("output", "methods", "variants", "seeds", "full_seeds", "deadline_min")


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument(
        "--data-dir",
        help="folder with one subfolder per class; "
        "default: TFDS cats_vs_dogs (downloads)",
    )
    p.add_argument("--tfds-limit", type=positive_int, default=None)
    p.add_argument("--limit-per-class", type=positive_int, default=None)
    p.add_argument(
        "--quick",
        action="store_true",
        help="frozen base, small images, few epochs (2 CPU cores)",
    )
    p.add_argument("--image-size", type=vgg16_side, default=None)
    p.add_argument("--epochs", type=positive_int, default=None)
    p.add_argument(
        "--small-epochs",
        type=positive_int,
        default=None,
        help="epochs on the small split (default --epochs); with 100 photos "
        "per class, 15 epochs are about 100 steps",
    )
    p.add_argument(
        "--batch-size", type=positive_int, default=PAPER_TRAINING["batch_size"]
    )
    p.add_argument("--learning-rate", type=positive_number, default=None)
    p.add_argument("--seeds", type=positive_int, default=3, help="seeds, small setting")
    p.add_argument(
        "--full-seeds",
        type=positive_int,
        default=None,
        help="seeds, full-training-set setting (default --seeds)",
    )
    p.add_argument("--small-per-class", type=positive_int, default=100)
    p.add_argument(
        "--styles",
        nargs="+",
        default=None,
        help="candidate styles (default: all available)",
    )
    p.add_argument(
        "--unseen-art-styles",
        nargs="*",
        default=["the_scream", "udnie"],
        help="styles that render the unseen-art test set, NAME or "
        "NAME:STYLE of a multi-style network; they must not be among the "
        "augmentation's styles (none: no such test set)",
    )
    p.add_argument("--style-rate", type=float, default=0.5)
    p.add_argument(
        "--style-mix", type=float, default=0.0, help="`mix` of RandomStyleTransfer"
    )
    p.add_argument(
        "--style-strength",
        type=float,
        nargs="+",
        default=[1.0],
        help="blend strength, one value or a (min, max) range",
    )
    p.add_argument(
        "--select-per-class",
        type=positive_int,
        default=8,
        help="validation images per class for Grad-CAM selection",
    )
    p.add_argument(
        "--vgg16-weights",
        default=None,
        help="'imagenet' or a path (default: the $KSA_ASSETS file if there, "
        "else 'imagenet')",
    )
    p.add_argument("--methods", nargs="+", default=list(METHODS), choices=METHODS)
    p.add_argument("--output", default="outputs/cats_vs_dogs")
    args = p.parse_args(argv)
    quick = {"image_size": 96, "epochs": 4, "learning_rate": 1e-4}
    paper = {
        "image_size": 224,
        "epochs": PAPER_TRAINING["epochs"],
        "learning_rate": PAPER_TRAINING["learning_rate"],
    }
    for key, value in (quick if args.quick else paper).items():
        if getattr(args, key) is None:
            setattr(args, key, value)
    if args.full_seeds is None:
        args.full_seeds = args.seeds
    if args.small_epochs is None:
        args.small_epochs = args.epochs
    if args.vgg16_weights is None:  # the local copy, else Keras's download
        local = assets_dir() / "weights" / "vgg16_imagenet_notop.weights.h5"
        args.vgg16_weights = str(local) if local.is_file() else "imagenet"
    return args


class RunLog:
    """A study's finished runs, one JSON line each in ``OUTPUT/runs.jsonl``,
    appended as each run ends: the same command rerun after a crash or
    Ctrl-C skips them. ``run_settings.json`` records the settings they were
    made with (all arguments but ``RUN_CHOICE``, plus `extra`, e.g. the
    weights files' hashes); a rerun with other settings into a folder that
    holds runs is refused, naming what differs (one that failed before its
    first run took the new settings).

    >>> import argparse, tempfile
    >>> out = Path(tempfile.mkdtemp())
    >>> args = argparse.Namespace(output=str(out), epochs=2, seeds=1)
    >>> log = RunLog(out, args)
    >>> log.add({"setting": "full", "method": "none", "seed": 0, "accuracy": {}})
    >>> args.seeds = 2  # more seeds: the same runs, resumed
    >>> RunLog(out, args).get("full", "none", 0)["method"]
    'none'
    """

    def __init__(self, output, args, extra=None):
        output = Path(output)
        settings = {k: v for k, v in vars(args).items() if k not in RUN_CHOICE}
        settings.update(extra or {})
        settings = json.loads(json.dumps(settings))  # as JSON reads it back
        self.path = output / "runs.jsonl"
        self.rows = {}
        if self.path.exists():
            for line in self.path.read_text().splitlines():
                try:
                    row = json.loads(line)
                except json.JSONDecodeError:  # the line a crash cut short
                    continue
                self.rows[self._key(row)] = row
            # Rewritten whole: a cut line would swallow the next one appended.
            tmp = self.path.with_name(self.path.name + ".tmp")
            tmp.write_text("".join(json.dumps(r) + "\n" for r in self.rows.values()))
            os.replace(tmp, self.path)
        recorded = output / "run_settings.json"
        if self.rows and recorded.exists():  # runs tie the folder to settings
            before = json.loads(recorded.read_text())
            differ = sorted(
                k
                for k in set(before) | set(settings)
                if before.get(k) != settings.get(k)
            )
            if differ:
                detail = "; ".join(
                    f"{k}: {before.get(k)!r} then, {settings.get(k)!r} now"
                    for k in differ
                )
                raise SystemExit(
                    f"{output} holds runs made with other settings ({detail}). "
                    "Rerun with the same settings to resume, or pass another "
                    f"--output (or delete {output}) to start over."
                )
        recorded.write_text(json.dumps(settings, indent=2) + "\n")
        self.resumed = bool(self.rows)

    @staticmethod
    def _key(row):
        return row["setting"], row["method"], row["seed"]

    def get(self, setting, method, seed):
        """The finished run's row, or None."""
        return self.rows.get((setting, method, seed))

    def add(self, row):
        """Keeps a finished run (on disk before this returns)."""
        with open(self.path, "a") as f:
            f.write(json.dumps(row) + "\n")
            f.flush()
            os.fsync(f.fileno())
        self.rows[self._key(row)] = row


class Experiment:
    """Holds the data, the cached features and the per-run training."""

    def __init__(self, args, data, art_networks=(), cache=None):
        self.args = args
        self.style = style_settings(args)
        self.compiled = CompiledModels()
        self.train, self.val, self.test = data.split((6, 2, 2), seed=0)
        self.class_names = data.class_names
        self.shape = (args.image_size, args.image_size, 3)
        self.art_networks, self.cache = art_networks, cache
        # The test sets now; the same shifts of the validation split (to
        # choose among recipes without looking at the test split) when first
        # asked for. Quick mode: their frozen-base features, likewise.
        self.tests, self.features = {}, {}
        self.test_sets("test")
        if args.quick:
            self.base = self._new_classifier(seed=0)[1]
            self.split_features("test")

    def test_sets(self, split):
        """`{name: images}` of `split` ("test" or "validation"): clean,
        corrupted, rendered and unseen art, made and cached on first use."""
        if split not in self.tests:
            images = self._split(split).images
            self.tests[split] = shifted_sets(images, self.art_networks, self.cache)
        return self.tests[split]

    def _split(self, name):
        return {"test": self.test, "validation": self.val}[name]

    def split_features(self, split):
        """Quick mode: the frozen base's features of `split`'s test sets."""
        if split not in self.features:
            sets = self.test_sets(split)
            self.features[split] = {k: self._features(v) for k, v in sets.items()}
        return self.features[split]

    def _new_classifier(self, seed, augmentation=None):
        keras.utils.set_random_seed(seed)
        built = build_vgg16_classifier(
            self.shape,
            weights=self.args.vgg16_weights,
            trainable_blocks=0 if self.args.quick else 5,
            augmentation=None if self.args.quick else augmentation,
            learning_rate=self.args.learning_rate,
        )
        model = built.classifier if isinstance(built, LabelAwareClassifier) else built
        base = keras.Model(model.input, model.get_layer("block5_pool").output)
        head = keras.Model(model.get_layer("flatten").input, model.output)
        head.compile(
            optimizer=keras.optimizers.Adam(self.args.learning_rate),
            loss="binary_crossentropy",
            metrics=["accuracy"],
        )
        return built, base, build_optimizer(head)

    def _features(self, images):
        return self.base.predict(
            np.asarray(images, "float32"), batch_size=32, verbose=0
        )

    def fit(
        self,
        method,
        train,
        seed,
        mapping=None,
        networks=(),
        style=None,
        reuse=None,
        epochs=None,
    ):
        """Trains one classifier; returns it (its head shares the weights).

        `style` overrides the style settings (`style_settings`), `epochs`
        `--epochs`; in paper mode runs with the same `reuse` key (same method
        and settings) share one compiled model, reset to fresh weights and
        optimizer each time, and `model.history.history` holds the run's
        per-epoch training and validation accuracy."""
        args = self.args
        style = self.style if style is None else style
        epochs = args.epochs if epochs is None else epochs
        augment = _augmentation(method, mapping, networks, seed, style)
        images, labels = train.images.astype("float32"), train.labels
        if method.startswith("style (offline 2x)"):
            stylizer = _stylizer(style, networks, seed, mapping, rate=1.0)
            copies = np.concatenate(
                [
                    np.asarray(
                        stylizer(
                            {"images": images[i : i + 16], "labels": labels[i : i + 16]}
                        )["images"]
                    )
                    for i in range(0, len(images), 16)
                ]
            )
            images = np.concatenate([images, copies])
            labels = np.concatenate([labels, labels])
        if not args.quick:
            return self._fine_tune(images, labels, seed, augment, reuse, epochs)
        model, _, head = self._new_classifier(seed, augment)
        fixed = None if augment else self._features(images)
        for _ in range(epochs):
            features = fixed
            if features is None:
                augmented = np.concatenate(
                    [
                        np.asarray(
                            _apply(augment, images[i : i + 32], labels[i : i + 32])
                        )
                        for i in range(0, len(images), 32)
                    ]
                )
                features = self._features(augmented)
            head.fit(
                features,
                labels,
                batch_size=args.batch_size,
                epochs=1,
                verbose=0,
                shuffle=True,
            )
        return model

    def _fine_tune(self, images, labels, seed, augment, reuse, epochs):
        """Paper mode: the whole network trains; augmentation on the fly,
        inside the model (class styles get the labels from
        `LabelAwareClassifier`), on any backend."""
        args = self.args
        model = self._new_classifier(seed, augment)[0]
        if reuse is not None:
            model = self.compiled.get(reuse, model)
        x = (
            with_labels(images, labels)
            if isinstance(model, LabelAwareClassifier)
            else images
        )
        model.fit(
            x,
            labels,
            batch_size=args.batch_size,
            epochs=epochs,
            shuffle=True,
            verbose=2,
            validation_data=(self.val.images.astype("float32"), self.val.labels),
        )
        return model

    def evaluate(self, model, splits=("test",)):
        """`{split: {test set: accuracy}}` for `splits` ("test",
        "validation"): each test set predicted once for all the splits
        together (one input shape to compile, one call); in quick mode every
        test set's features in one call."""
        sizes = np.cumsum([len(self._split(s)) for s in splits])[:-1]
        names = list(self.test_sets(splits[0]))
        if self.args.quick:
            head = keras.Model(model.get_layer("flatten").input, model.output)
            x = [self.split_features(s)[name] for name in names for s in splits]
            p = head.predict(np.concatenate(x), batch_size=256, verbose=0)[:, 0]
            predicted = dict(zip(names, np.split(p, len(names))))
        else:
            predicted = {
                name: model.predict(
                    np.concatenate(
                        [self.test_sets(s)[name].astype("float32") for s in splits]
                    ),
                    verbose=0,
                )[:, 0]
                for name in names
            }
        result = {split: {} for split in splits}
        for name in names:
            for split, part in zip(splits, np.split(predicted[name], sizes)):
                labels = self._split(split).labels
                result[split][name] = float(np.mean((part > 0.5) == labels))
        for accuracy in result.values():
            accuracy["corruptions (mean)"] = float(
                np.mean([accuracy[s] for s in CORRUPTIONS])
            )
            accuracy["renderings (mean)"] = float(
                np.mean([accuracy[s] for s in RENDERINGS])
            )
        return result

    def select_styles(self, classifier, candidates, output):
        n = self.args.select_per_class
        index = np.concatenate(
            [
                np.flatnonzero(self.val.labels == c)[:n]
                for c in np.unique(self.val.labels)
            ]
        )
        selector = GradCamStyleSelector(classifier, candidates)
        table = selector.evaluate(
            self.val.images[index].astype("float32"), self.val.labels[index]
        )
        mapping = selector.select()
        selector.plot(output / "fig8_gradcam.png", class_names=self.class_names)
        return mapping, table


def shifted_sets(images, art_networks, cache):
    """`images` clean, under each corruption and rendering, and as unseen art
    through `art_networks` (if any): deterministic (seed 1) and cached."""
    sets = {"clean": images}
    for shift in CORRUPTIONS + RENDERINGS:
        sets[shift] = cached_shift(shift, images, 1, cache)
    if art_networks:
        # Keyed on the renderers' weights too: one retrained under its name
        # renders another test set.
        weights = hashlib.sha256(
            "".join(_renderer_net(r).weights_sha256() for r in art_networks).encode()
        )
        sets[UNSEEN_ART] = cached_shift(
            UNSEEN_ART
            + "_"
            + "+".join(_renderer_name(r) for r in art_networks)
            + "_"
            + weights.hexdigest()[:8],
            images,
            1,
            cache,
            lambda: unseen_art(images, art_networks, seed=1),
        )
    return sets


def _renderer(spec):
    """`NAME` -> a network; `NAME:STYLE` -> (multi-style network, style)."""
    name, _, style = spec.partition(":")
    net = style_registry.load(name)
    if not style:
        return net
    if style not in (net.style_names or ()):
        raise SystemExit(f"--unseen-art-styles {spec}: {name} holds no style {style}")
    return net, style


def candidate_names(args):
    """The augmenting styles: `--styles`, or every shipped single style that
    does not render the unseen-art test set."""
    art = {
        style or style_name(name)
        for name, _, style in (s.partition(":") for s in args.unseen_art_styles)
    }
    return args.styles or [
        s for s in style_registry.single_style_names() if s not in art
    ]


def style_files(args):
    """`{style: sha256 of its weights file}` of every style the study uses:
    a rerun with a style retrained or updated under its name is not the same
    study."""
    names = [*candidate_names(args), *args.unseen_art_styles]
    paths = {name: resolve(name.partition(":")[0]) for name in names}
    # The shipped single styles all live in paintings6's file: hashed once.
    digests = {path: sha256(path) for path in set(paths.values())}
    return {name: digests[path] for name, path in paths.items()}


def _renderer_net(renderer):
    return renderer[0] if isinstance(renderer, tuple) else renderer


def _renderer_name(renderer):
    return renderer[1] if isinstance(renderer, tuple) else renderer.name


def style_settings(args):
    """The `RandomStyleTransfer` settings of the command line."""
    strength = args.style_strength
    return {
        "rate": args.style_rate,
        "strength": strength[0] if len(strength) == 1 else tuple(strength),
        "mix": args.style_mix,
    }


def _stylizer(style, networks, seed, mapping=None, rate=None):
    """`RandomStyleTransfer` over `networks` with the `style` settings: per
    class from `mapping` (class -> style or list of styles), or any style for
    any image."""
    if mapping is not None:
        used = {s for v in mapping.values() for s in ([v] if isinstance(v, str) else v)}
        networks = [n for n in networks if set(n.style_names or [n.name]) & used]
    return RandomStyleTransfer(
        styles=networks,
        class_styles=mapping,
        seed=seed,
        **dict(style, rate=style["rate"] if rate is None else rate),
    )


def check_style_settings(styles_used, candidates):
    """Builds the augmentation layer of each style settings once: settings it
    refuses (e.g. a mix with no multi-style network among the candidates)
    stop the study before any training, not after the reference's."""
    distinct = {json.dumps(s, sort_keys=True): s for s in styles_used}
    for style in distinct.values():  # each layer copies the networks: once
        try:
            _stylizer(style, candidates, seed=0)
        except ValueError as error:
            raise SystemExit(
                f"The style settings {style} (--style-rate, --style-strength, "
                f"--style-mix) do not fit the candidate styles: {error}"
            ) from None


def _augmentation(method, mapping, networks, seed, style):
    if method == "none":
        return None
    if not method.startswith("style"):
        return baseline_augmentation(method, seed)
    if method == "style (on the fly)":
        return _stylizer(style, networks, seed, mapping)
    if method == "style (random)":
        return _stylizer(style, networks, seed)
    if method.startswith("style + "):
        traditional = method.removeprefix("style + ")
        return keras.Sequential(
            [
                _stylizer(style, networks, seed),
                baseline_augmentation(traditional, seed),
            ],
            name="style_" + traditional.replace("+", "_"),
        )
    # offline expansion: a fixed, enlarged training set, flipped on the fly
    return baseline_augmentation("flip", seed) if method.endswith("+ flip") else None


def _apply(augment, images, labels):
    if isinstance(augment, RandomStyleTransfer) and augment.class_styles:
        return augment({"images": images, "labels": labels}, training=True)["images"]
    return augment(images, training=True)


def write_results(rows, output, header):
    columns = [
        "clean",
        *CORRUPTIONS,
        "corruptions (mean)",
        *RENDERINGS,
        "renderings (mean)",
    ]
    if UNSEEN_ART in rows[0]["accuracy"]:
        columns.append(UNSEEN_ART)
    lines = [
        header,
        "",
        "| setting | method | " + " | ".join(columns) + " |",
        "| --- | --- | " + " | ".join("---" for _ in columns) + " |",
    ]
    summary = {}
    for setting in dict.fromkeys(r["setting"] for r in rows):
        for method in dict.fromkeys(r["method"] for r in rows):
            runs = [
                r for r in rows if r["setting"] == setting and r["method"] == method
            ]
            if not runs:
                continue
            cells = []
            for c in columns:
                values = np.array([r["accuracy"][c] for r in runs]) * 100
                summary[(setting, method, c)] = (values.mean(), values.std())
                cells.append(f"{values.mean():.1f} ± {values.std():.1f}")
            lines.append(f"| {setting} | {method} | " + " | ".join(cells) + " |")
    (output / "results.md").write_text("\n".join(lines) + "\n")
    (output / "results.json").write_text(json.dumps(rows, indent=2) + "\n")
    _plot(summary, output / "results.png")
    return "\n".join(lines)


def _plot(summary, path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    settings = list(dict.fromkeys(k[0] for k in summary))
    methods = list(dict.fromkeys(k[1] for k in summary))
    fig, axes = plt.subplots(
        1, len(settings), figsize=(6 * len(settings), 4), squeeze=False
    )
    for ax, setting in zip(axes[0], settings):
        here = [m for m in methods if (setting, m, "clean") in summary]
        x = np.arange(len(here))
        shown = [
            c
            for c in ("clean", "corruptions (mean)", "renderings (mean)", UNSEEN_ART)
            if (setting, here[0], c) in summary
        ]
        width = 0.8 / len(shown)
        for i, column in enumerate(shown):
            means = [summary[(setting, m, column)][0] for m in here]
            stds = [summary[(setting, m, column)][1] for m in here]
            offset = (i - (len(shown) - 1) / 2) * width
            ax.bar(x + offset, means, width, yerr=stds, label=column, capsize=2)
        ax.set_xticks(x, here, rotation=35, ha="right", fontsize=8)
        ax.set_ylabel("test accuracy (%)")
        ax.set_ylim(40, 100)
        ax.set_title(setting)
        ax.legend(fontsize=8)
    fig.tight_layout()
    save_figure(fig, path, dpi=100)


def prepare(args, output, resume=False, styles_used=None):
    """Data, test sets, candidate styles, the reference classifier (no
    augmentation, full split, seed 0) and the Grad-CAM choice of styles:
    `(experiment, candidates, reference, mapping)`. With `resume` (a
    `RunLog` holds runs), the choice comes from ``selection.json`` and the
    reference is not trained (None): its run is kept or made as any other.
    `styles_used`: the style settings the runs will use (default: the
    command line's, if a style method runs), checked before any training."""
    if args.data_dir:
        data = load_class_folders(args.data_dir, args.image_size, args.limit_per_class)
    else:
        data = load_tfds_cats_vs_dogs(args.image_size, limit=args.tfds_limit)
    if len(data.class_names) != 2:
        raise SystemExit(
            f"The experiment is binary (a sigmoid classifier): it needs two "
            f"classes, found {data.class_names}."
        )
    art_networks = [_renderer(spec) for spec in args.unseen_art_styles]
    candidates = [style_registry.load(s) for s in candidate_names(args)]
    if not candidates:
        raise SystemExit("No styles available: train or install some first.")
    check_unseen(art_networks, candidates)
    if styles_used is None:
        style_runs = any(m in STYLE_METHODS for m in args.methods)
        styles_used = [style_settings(args)] if style_runs else []
    check_style_settings(styles_used, candidates)
    experiment = Experiment(args, data, art_networks, cache=output / "cache")
    chosen = output / "selection.json"
    if resume and chosen.exists():
        named = json.loads(chosen.read_text())["mapping"]
        mapping = {experiment.class_names.index(c): s for c, s in named.items()}
        print("Grad-CAM chose (selection.json):", named)
        return experiment, candidates, None, mapping
    reference = experiment.fit("none", experiment.train, 0, reuse="none")
    mapping, table = experiment.select_styles(reference, candidates, output)
    named = {experiment.class_names[c]: s for c, s in mapping.items()}
    print("Grad-CAM chose:", named)
    chosen.write_text(json.dumps({"mapping": named, "table": table}, indent=2) + "\n")
    return experiment, candidates, reference, mapping


def results_header(args, experiment, named, start, resumed):
    return (
        f"# Cats vs dogs, {'quick' if args.quick else 'paper'} mode\n\n"
        f"Image size {args.image_size}, epochs {args.epochs} (small split "
        f"{args.small_epochs}), batch {args.batch_size}, Adam {args.learning_rate}, "
        f"{'frozen VGG-16 base' if args.quick else 'full fine-tuning'}; train/val/"
        f"test {len(experiment.train)}/{len(experiment.val)}/{len(experiment.test)}; "
        f"seeds: full {args.full_seeds}, small {args.seeds}; styles chosen by "
        f"Grad-CAM: {named}; style rate {args.style_rate}, strength "
        f"{args.style_strength}; wall time "
        f"{(time.time() - start) / 60:.1f} min ({keras.backend.backend()})"
        + (f"; {resumed} runs kept from an earlier invocation" if resumed else "")
        + ". Test accuracy in %, mean ± std over seeds."
    )


def run(experiment, setting, method, seed, train, epochs, mapping, networks, reference):
    """One training run and its test accuracies, as a row of the results;
    the reference classifier (full split, no augmentation, seed 0) is not
    trained again when `prepare` trained it."""
    t = time.time()
    first = setting == "full" and method == "none" and seed == 0
    model = (
        reference
        if first and reference is not None
        else experiment.fit(
            method, train, seed, mapping, networks, reuse=method, epochs=epochs
        )
    )
    return {
        "setting": setting,
        "method": method,
        "seed": seed,
        "train_images": len(train),
        "accuracy": experiment.evaluate(model)["test"],
        "seconds": round(time.time() - t, 1),
    }


def main(argv=None):
    args = parse_args(argv)
    output = Path(args.output)
    output.mkdir(parents=True, exist_ok=True)
    start = time.time()
    log = RunLog(output, args, {"style_files": style_files(args)})
    experiment, candidates, reference, mapping = prepare(args, output, log.resumed)
    named = {experiment.class_names[c]: s for c, s in mapping.items()}
    settings = {
        "full": (experiment.train, args.full_seeds, args.epochs),
        f"small ({args.small_per_class}/class)": (
            experiment.train.per_class(args.small_per_class, seed=0),
            args.seeds,
            args.small_epochs,
        ),
    }
    rows, resumed = [], 0
    for setting, (train, seeds, epochs) in settings.items():
        for method in args.methods:
            for seed in range(seeds):
                row = log.get(setting, method, seed)
                kept = row is not None
                if not kept:
                    row = run(
                        experiment, setting, method, seed, train, epochs,
                        mapping, candidates, reference,
                    )  # fmt: skip
                    log.add(row)
                resumed += kept
                rows.append(row)
                if not kept:  # the tables, as far as the runs go
                    header = results_header(args, experiment, named, start, resumed)
                    write_results(rows, output, header)
                accuracy = row["accuracy"]
                print(
                    f"{setting:>18} | {method:>20} | seed {seed} | "
                    f"clean {accuracy['clean']:.3f} | corruptions "
                    f"{accuracy['corruptions (mean)']:.3f} | renderings "
                    f"{accuracy['renderings (mean)']:.3f}"
                    + (
                        f" | unseen art {accuracy[UNSEEN_ART]:.3f}"
                        if UNSEEN_ART in accuracy
                        else ""
                    )
                    + (" | kept from runs.jsonl" if kept else ""),
                    flush=True,
                )
    header = results_header(args, experiment, named, start, resumed)
    print(write_results(rows, output, header))
    return rows


if __name__ == "__main__":
    main()
