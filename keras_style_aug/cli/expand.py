"""Offline expansion: write stylized copies of a class-folder dataset.

`--styles` applies to every class; `--class-styles cat=wave dog=abstract`
gives each class its own. Rerunning skips finished files.
"""

from keras_style_aug.cli.arguments import add_resize
from keras_style_aug.cli.arguments import add_styles
from keras_style_aug.cli.arguments import output_folder
from keras_style_aug.cli.arguments import positive_int


def add_arguments(parser):
    parser.add_argument("--input", required=True, help="folder of <class>/ folders")
    parser.add_argument(
        "--output", type=output_folder, required=True, help="folder for the copies"
    )
    add_styles(parser, default_help="none; or pass --class-styles", mixes=False)
    parser.add_argument(
        "--class-styles",
        nargs="+",
        default=None,
        metavar="CLASS=STYLE[,STYLE]",
        help="styles per class folder, e.g. cat=wave dog=abstract",
    )
    parser.add_argument(
        "--copies", type=positive_int, default=1, help="stylized copies per image"
    )
    add_resize(parser)
    parser.add_argument(
        "--workers",
        type=positive_int,
        default=4,
        help="threads decoding and encoding images",
    )


def run(args):
    from keras_style_aug import styles
    from keras_style_aug.data.expansion import expand_folder

    if bool(args.styles) == bool(args.class_styles):
        raise ValueError("pass exactly one of --styles or --class-styles")
    loaded = {}

    def nets(names):
        """The networks of style arguments; a multi-style one named alone
        gives each of its styles (copy k takes style k % count)."""
        result = []
        for name in names:
            net = loaded.setdefault(name, styles.load(name))
            if net.style_names:
                result += [styles.one_style(net, s) for s in net.style_names]
            else:
                result.append(net)
        return result

    if args.styles:
        mapping = {"*": nets(args.styles)}
    else:
        mapping = {}
        for item in args.class_styles:
            cls, sep, names = item.partition("=")
            if not sep or not names:
                raise ValueError(f"--class-styles entry {item!r}: use CLASS=STYLE")
            if cls in mapping:  # the last one won, silently
                raise ValueError(
                    f"--class-styles names class {cls!r} twice; give each class "
                    "one entry, several styles comma-separated: "
                    f"{cls}=STYLE,STYLE"
                )
            mapping[cls] = nets(names.split(","))
    summary = expand_folder(
        args.input,
        args.output,
        mapping,
        copies=args.copies,
        size=args.resize,
        workers=args.workers,
    )
    print(
        f"wrote {summary['written']} images, skipped "
        f"{summary['skipped_existing']} already done, "
        f"{len(summary['unreadable'])} unreadable inputs"
    )
    for path, reason in summary["unreadable"].items():
        print(f"  skipped {path}: {reason}")
    return 0 if summary["written"] or summary["skipped_existing"] else 1
