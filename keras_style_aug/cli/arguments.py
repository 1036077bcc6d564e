"""Options that several commands share, spelled one way everywhere (older
spellings stay as aliases for one release)."""

import argparse
from pathlib import Path


def positive_int(text, minimum=1, why=""):
    try:
        value = int(text)
    except ValueError:
        value = minimum - 1
    if value < minimum:
        raise argparse.ArgumentTypeError(
            f"expected a whole number >= {minimum}{why}, got {text!r}"
        )
    return value


def image_side(text):
    """A side the style networks can take: at least `MIN_SIDE` pixels."""
    from keras_style_aug.networks.runtime import MIN_SIDE

    return positive_int(
        text, MIN_SIDE, f" (the style networks need {MIN_SIDE}x{MIN_SIDE} pixels)"
    )


def vgg16_side(text):
    """A side VGG-16 (the classifier's base) takes: 32 at least."""
    return positive_int(text, 32, " (VGG-16 takes 32x32 images at least)")


def positive_number(text):
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not 0 < value < float("inf"):
        raise argparse.ArgumentTypeError(f"expected a number > 0, got {text!r}")
    return value


def output_folder(text):
    """A folder to write into, created if missing; a file there is refused."""
    if Path(text).exists() and not Path(text).is_dir():
        raise argparse.ArgumentTypeError(f"{text} is a file; pass a folder")
    return text


def output_file(text):
    """A file to write; a folder there is refused (it failed after the work)."""
    if Path(text).is_dir():
        raise argparse.ArgumentTypeError(f"{text} is a folder; pass a file name")
    return text


def add_styles(parser, required=False, default_help="", one=False, mixes=True):
    """`--styles A B ...` (or `--style A --style B`); `mixes`: the command
    takes fixed mixes `NAME:STYLE=W,STYLE=W` too."""
    forms = "NAME:STYLE" + (", NAME:STYLE=W,STYLE=W" if mixes else "")
    parser.add_argument(
        "--styles",
        "--style",
        dest="styles",
        nargs=1 if one else "+",
        action="extend",
        required=required,
        metavar="STYLE",
        help=("the style" if one else "styles")
        + f": names, .weights.h5 paths, or for a multi-style network {forms}"
        + ("" if one else ", or NAME alone for all its styles")
        + (f" (default: {default_help})" if default_help else ""),
    )


def add_resize(parser, default=None):
    """`--resize SIDE` (or `--size`): the shorter side inputs are resized to."""
    parser.add_argument(
        "--resize",
        "--size",
        dest="resize",
        type=image_side,
        default=default,
        metavar="SIDE",
        help="resize images so their shorter side is SIDE pixels"
        + ("" if default else " (default: keep their size)"),
    )


def add_preset(parser):
    """`--preset full|lite` (or `--network`)."""
    parser.add_argument(
        "--preset",
        "--network",
        dest="preset",
        choices=["full", "lite"],
        default="full",
        help="network size: the paper's 'full' or the faster 'lite'",
    )
