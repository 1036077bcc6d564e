"""Options that several commands share, spelled one way everywhere (older
spellings stay as aliases for one release)."""

import argparse


def positive_int(text):
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number >= 1, got {text!r}")
    return value


def add_styles(parser, required=False, default_help="", one=False):
    """`--styles A B ...` (or `--style A --style B`)."""
    parser.add_argument(
        "--styles",
        "--style",
        dest="styles",
        nargs=1 if one else "+",
        action="extend",
        required=required,
        metavar="STYLE",
        help=("the style" if one else "styles")
        + ": names, .weights.h5 paths, or for a multi-style network NAME:STYLE, "
        "NAME:STYLE=W,STYLE=W, or NAME alone for all its styles"
        + (f" (default: {default_help})" if default_help else ""),
    )


def add_resize(parser, default=None):
    """`--resize SIDE` (or `--size`): the shorter side inputs are resized to."""
    parser.add_argument(
        "--resize",
        "--size",
        dest="resize",
        type=positive_int,
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
