"""`keras-style-aug` command line: demo, stylize, train."""

import argparse
import sys

from keras_style_aug.cli import benchmark
from keras_style_aug.cli import demo
from keras_style_aug.cli import expand
from keras_style_aug.cli import export
from keras_style_aug.cli import select
from keras_style_aug.cli import stylize
from keras_style_aug.cli import train

COMMANDS = {
    "benchmark": benchmark,
    "demo": demo,
    "expand": expand,
    "export": export,
    "select": select,
    "stylize": stylize,
    "train": train,
}


def build_parser():
    parser = argparse.ArgumentParser(
        prog="keras-style-aug",
        description="Fast neural style transfer as Keras data augmentation.",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    for name, module in COMMANDS.items():
        module.add_arguments(sub.add_parser(name, help=module.__doc__.splitlines()[0]))
    return parser


def main(argv=None):
    args = build_parser().parse_args(argv)
    try:
        return COMMANDS[args.command].run(args) or 0
    except (ValueError, FileNotFoundError, OSError) as e:
        print(f"keras-style-aug {args.command}: error: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted; rerun the same command to continue.", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
