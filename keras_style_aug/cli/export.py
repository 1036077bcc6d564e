"""Export one style as a deterministic stylizer: SavedModel or ONNX.

The export is reloaded and compared with the Keras model; the error is printed.
"""

from keras_style_aug.cli.arguments import add_styles
from keras_style_aug.constants import EXPORT_FORMATS as FORMATS


def add_arguments(parser):
    add_styles(parser, required=True, one=True)
    parser.add_argument(
        "--format",
        default="tf_saved_model",
        choices=FORMATS,
        help="SavedModel (TensorFlow) or ONNX",
    )
    parser.add_argument(
        "--output", required=True, help="folder (SavedModel) or .onnx file"
    )
    parser.add_argument(
        "--strength", type=float, default=1.0, help="blend with the original, 0..1"
    )
    parser.add_argument(
        "--preserve-color", action="store_true", help="keep the original colours"
    )


def run(args):
    from keras_style_aug import styles
    from keras_style_aug.cli.style_specs import parse
    from keras_style_aug.export import export_stylizer

    if len(args.styles) != 1:
        raise ValueError(f"export takes one style; received {args.styles}")
    name, style_mix = parse(args.styles[0])
    net = styles.load(name)
    if net.is_multi_style and style_mix is None:  # said "pass `style_mix`"
        raise ValueError(
            f"{name} holds {net.num_styles} styles {list(net.style_names)}; an "
            f"export takes one: pass --styles {name}:STYLE, or a fixed mix "
            f"{name}:STYLE=W,STYLE=W."
        )
    error = export_stylizer(
        net,
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
