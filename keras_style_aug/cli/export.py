"""Export one style as a deterministic stylizer: SavedModel or ONNX.

The export is reloaded and compared with the Keras model; the error is printed.
"""

from keras_style_aug.cli.style_specs import parse
from keras_style_aug.export import FORMATS
from keras_style_aug.export import export_stylizer


def add_arguments(parser):
    parser.add_argument(
        "--style",
        required=True,
        help="style name or weights path; NAME:STYLE or "
        "NAME:STYLE=W,STYLE=W for a multi-style network",
    )
    parser.add_argument("--format", default="tf_saved_model", choices=FORMATS)
    parser.add_argument(
        "--output", required=True, help="folder (SavedModel) or .onnx file"
    )
    parser.add_argument("--strength", type=float, default=1.0)
    parser.add_argument("--preserve-color", action="store_true")


def run(args):
    name, style_mix = parse(args.style)
    error = export_stylizer(
        name,
        args.output,
        format=args.format,
        strength=args.strength,
        preserve_color=args.preserve_color,
        style_mix=style_mix,
    )
    print(
        f"wrote {args.output} ({args.format}); reloaded copy differs from the "
        f"Keras model by at most {error:.3g} (0..255 scale)"
    )
