"""Choose a style per class with Grad-CAM on a trained classifier.

Writes the mapping (for `RandomStyleTransfer(class_styles=...)`) and the
score table as JSON, and the paper's Fig. 8 as a PNG.
"""

import json
from pathlib import Path

from keras_style_aug.cli.arguments import add_styles
from keras_style_aug.cli.arguments import output_file
from keras_style_aug.cli.arguments import positive_int

CRITERIA = ("score", "coverage", "iou", "retention")


def add_arguments(parser):
    parser.add_argument(
        "--classifier", required=True, help=".keras model taking RGB 0..255 images"
    )
    parser.add_argument(
        "--data-dir", required=True, help="folder with one subfolder per class"
    )
    add_styles(
        parser,
        default_help="every single-style network; a multi-style network "
        "adds each of its styles",
        mixes=False,
    )
    parser.add_argument(
        "--images-per-class",
        type=positive_int,
        default=8,
        help="images of each class to score the styles on",
    )
    parser.add_argument(
        "--criterion", default="score", choices=CRITERIA, help="what to rank styles by"
    )
    parser.add_argument(
        "--layer",
        default=None,
        help="Grad-CAM conv layer (default: the last conv layer)",
    )
    parser.add_argument(
        "--output",
        type=output_file,
        default="selection.json",
        help="JSON with the mapping and the score table",
    )
    parser.add_argument(
        "--plot",
        type=output_file,
        default="fig8_gradcam.png",
        help="PNG of the Grad-CAM overlays (needs matplotlib)",
    )


def run(args):
    import keras

    import keras_style_aug.classifiers  # noqa: F401  (its layers, for load_model)
    from keras_style_aug import styles
    from keras_style_aug.data import load_class_folders
    from keras_style_aug.selection import GradCamStyleSelector

    try:
        import matplotlib  # noqa: F401  (checked now, not after the work)
    except ModuleNotFoundError:
        raise ValueError(
            "--plot needs matplotlib: pip install 'keras-style-aug[plot]'"
        ) from None
    try:
        classifier = keras.saving.load_model(args.classifier)
    except Exception as e:  # Keras's own errors name neither file nor fix
        raise ValueError(
            f"--classifier {args.classifier} is not a Keras model file Keras can "
            f"load ({type(e).__name__}: {str(e).splitlines()[0][:200]}). Pass a "
            ".keras file saved with model.save()."
        ) from None
    candidates = args.styles or styles.single_style_names()
    if not candidates:
        raise ValueError("no styles available: pass --styles or install some.")
    selector = GradCamStyleSelector(classifier, candidates, layer_name=args.layer)
    size = selector.classifier.input_shape[1]  # a LabelAwareClassifier has none
    if size is None:
        raise ValueError("--classifier needs a fixed input size, e.g. (224, 224, 3).")
    data = load_class_folders(args.data_dir, size, args.images_per_class)
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
