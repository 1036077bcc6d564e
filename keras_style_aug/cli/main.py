"""`keras-style-aug` command line: demo, stylize, expand, train, select,
export, benchmark.

Each command imports Keras only when it runs, so `--help` is quick.
"""

import argparse
import importlib
import sys

COMMANDS = {
    "demo": "Stylize bundled sample photos with every style into one PNG",
    "stylize": "Stylize image files or folders with one or more styles",
    "expand": "Offline expansion: stylized copies of a class-folder dataset",
    "train": "Train a style network for one painting (rerun to resume)",
    "select": "Choose a style per class with Grad-CAM on a trained classifier",
    "export": "Export one style as a SavedModel or ONNX stylizer",
    "benchmark": "Time the network, the layer and training overhead",
}


def _version():
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version

    try:
        return version("keras-style-aug")
    except PackageNotFoundError:
        return "unknown (not installed)"


class _HelpFormatter(argparse.ArgumentDefaultsHelpFormatter):
    """Shows defaults that say something (not None or False) unless the help
    text already does."""

    def _get_help_string(self, action):
        if action.default in (None, False) or "default" in (action.help or ""):
            return action.help
        return super()._get_help_string(action)


def _command(name):
    return importlib.import_module(f"keras_style_aug.cli.{name}")


def build_parser():
    parser = argparse.ArgumentParser(
        prog="keras-style-aug",
        description="Fast neural style transfer as Keras data augmentation.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    sub = parser.add_subparsers(dest="command", required=True)
    for name, summary in COMMANDS.items():
        command = sub.add_parser(
            name,
            help=summary,
            description=_command(name).__doc__,
            formatter_class=_HelpFormatter,
        )
        _command(name).add_arguments(command)
    return parser


def main(argv=None):
    args = build_parser().parse_args(argv)
    try:
        return _command(args.command).run(args) or 0
    except (ValueError, TypeError, FloatingPointError, OSError) as e:
        print(f"keras-style-aug {args.command}: error: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted; rerun the same command to continue.", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
