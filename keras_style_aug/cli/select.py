"""Choose a style per class with Grad-CAM on a trained classifier.

Writes the mapping (for `RandomStyleTransfer(class_styles=...)`) and the
score table as JSON, and the paper's Fig. 8 as a PNG.
"""

import json
from pathlib import Path

import keras

from keras_style_aug import styles
from keras_style_aug.data import load_class_folders
from keras_style_aug.selection import GradCamStyleSelector
from keras_style_aug.selection.style_selector import CRITERIA


def add_arguments(parser):
    parser.add_argument(
        "--classifier", required=True, help=".keras model taking RGB 0..255 images"
    )
    parser.add_argument(
        "--data-dir", required=True, help="folder with one subfolder per class"
    )
    parser.add_argument(
        "--styles",
        nargs="+",
        default=None,
        help="candidate styles (default: every single-style network; "
        "a multi-style network adds each of its styles)",
    )
    parser.add_argument("--images-per-class", type=int, default=8)
    parser.add_argument("--criterion", default="score", choices=CRITERIA)
    parser.add_argument("--layer", default=None, help="Grad-CAM conv layer")
    parser.add_argument("--output", default="selection.json")
    parser.add_argument("--plot", default="fig8_gradcam.png")


def run(args):
    classifier = keras.saving.load_model(args.classifier)
    size = classifier.input_shape[1]
    if size is None:
        raise ValueError("--classifier needs a fixed input size, e.g. (224, 224, 3).")
    data = load_class_folders(args.data_dir, size, args.images_per_class)
    candidates = args.styles or styles.single_style_names()
    if not candidates:
        raise ValueError("no styles available: pass --styles or install some.")
    selector = GradCamStyleSelector(classifier, candidates, layer_name=args.layer)
    table = selector.evaluate(data.images.astype("float32"), data.labels)
    mapping = selector.select(criterion=args.criterion)
    Path(args.output).write_text(
        json.dumps(
            {
                "class_styles": mapping,
                "class_names": data.class_names,
                "criterion": args.criterion,
                "table": table,
            },
            indent=2,
        )
        + "\n"
    )
    selector.plot(args.plot, class_names=data.class_names)
    for cls, style in mapping.items():
        print(f"{data.class_names[cls]} (class {cls}): {style}")
    print(f"wrote {args.output} and {args.plot}")
