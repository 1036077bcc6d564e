"""Benchmark stylization speed: Table 1, throughput, overhead, rate, tf.data.

Prints markdown tables and writes them with the machine facts as JSON.
"""

from keras_style_aug.cli.arguments import add_styles
from keras_style_aug.cli.arguments import image_side
from keras_style_aug.cli.arguments import output_file
from keras_style_aug.cli.arguments import positive_int
from keras_style_aug.cli.arguments import vgg16_side
from keras_style_aug.constants import SUITES


def add_arguments(parser):
    add_styles(parser, default_help="every available style", mixes=False)
    parser.add_argument(
        "--preset",
        default=None,
        choices=["full", "lite"],
        help="time an untrained network of this preset instead",
    )
    parser.add_argument(
        "--table1-sizes",
        "--sizes",
        dest="table1_sizes",
        nargs="+",
        type=image_side,
        default=[67, 224, 512, 1024],
        help="image sides of the single-image latency (Table 1)",
    )
    parser.add_argument(
        "--batch-sizes",
        nargs="+",
        type=positive_int,
        default=[1, 2, 4, 8],
        help="batch sizes of the throughput",
    )
    parser.add_argument(
        "--image-size",
        "--size",
        dest="image_size",
        type=image_side,
        default=224,
        help="image side of the batched suites",
    )
    parser.add_argument(
        "--policies",
        nargs="+",
        default=["float32", "mixed_bfloat16"],
        help="Keras dtype policies",
    )
    parser.add_argument(
        "--vgg16-weights",
        default=None,
        help="VGG-16 conv weights for the training-overhead "
        "suite ('imagenet', a path, or 'random': random "
        "weights time the same; omitted: suite skipped)",
    )
    parser.add_argument(
        "--suites",
        nargs="+",
        default=list(SUITES),
        choices=list(SUITES),
        help="which suites to run",
    )
    parser.add_argument(
        "--overhead-sizes",
        "--overhead-size",
        nargs="+",
        type=vgg16_side,
        default=[160],
        help="image sides of the training-overhead suite",
    )
    parser.add_argument(
        "--overhead-batch-sizes",
        "--overhead-batch",
        nargs="+",
        type=positive_int,
        default=[8],
        help="batch sizes of the training-overhead suite "
        "(users meet 8 to 128; the paper trains at 20)",
    )
    parser.add_argument(
        "--repeats",
        type=positive_int,
        default=3,
        help="timed calls per figure (the median is kept)",
    )
    parser.add_argument(
        "--output",
        type=output_file,
        default="benchmark.json",
        help="JSON of every figure with the machine, rewritten after each suite",
    )


def run(args):
    from keras_style_aug import benchmark
    from keras_style_aug import styles
    from keras_style_aug.networks import TransformerNet

    if args.preset:
        networks = [TransformerNet.from_preset(args.preset, name=args.preset)]
    else:
        networks = [styles.load(n) for n in (args.styles or styles.available())]
    if not networks:
        raise ValueError("no styles to time: pass --styles or --preset full")
    random_vgg = args.vgg16_weights == "random"
    results = benchmark.run(
        networks,
        vgg16_weights=None if random_vgg else args.vgg16_weights,
        sizes=args.table1_sizes,
        batch_sizes=args.batch_sizes,
        policies=args.policies,
        overhead_sizes=args.overhead_sizes,
        overhead_batches=args.overhead_batch_sizes,
        repeats=args.repeats,
        suites=args.suites,
        vgg16_random=random_vgg,
        size=args.image_size,
        output=args.output,
    )
    print(f"wrote {args.output} ({len(results) - 1} suites)")
    failed = {
        name: rows[0]["error"]
        for name, rows in results.items()
        if isinstance(rows, list) and rows and "error" in rows[0]
    }
    if failed:  # the others ran and are written; the command still failed
        raise ValueError(
            "suites that could not run: "
            + "; ".join(f"{name}: {error}" for name, error in failed.items())
        )
