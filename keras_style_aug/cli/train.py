"""Train a style network for one painting (checkpoints; rerun to resume)."""

from keras_style_aug.cli.arguments import add_preset
from keras_style_aug.cli.arguments import image_side
from keras_style_aug.cli.arguments import output_folder
from keras_style_aug.cli.arguments import positive_int
from keras_style_aug.constants import NORMALIZATIONS


def add_arguments(parser):
    parser.add_argument("--style-image", required=True, help="the painting")
    parser.add_argument(
        "--content", required=True, help="folder of content photos, or 'coco' (TFDS)"
    )
    parser.add_argument("--name", required=True, help="style name")
    parser.add_argument(
        "--output",
        type=output_folder,
        default=None,
        help="output folder (default runs/NAME)",
    )
    add_preset(parser)
    parser.add_argument(
        "--normalization",
        choices=NORMALIZATIONS,
        default="instance",
        help="after each convolution: instance norm (the paper's) or its "
        "learned scale and offset alone, no per-image statistics ('affine')",
    )
    parser.add_argument(
        "--steps", type=positive_int, default=20_000, help="training steps"
    )
    parser.add_argument(
        "--image-size",
        type=image_side,
        default=256,
        help="side of the square training crops",
    )
    parser.add_argument(
        "--batch-size", type=positive_int, default=4, help="images per step"
    )
    parser.add_argument(
        "--learning-rate", type=float, default=1e-3, help="Adam learning rate"
    )
    parser.add_argument(
        "--style-weight",
        type=float,
        default=None,
        help="weight of the style loss (default: StyleTrainer's)",
    )
    parser.add_argument(
        "--saturation-weight",
        type=float,
        default=None,
        help="penalty on pre-tanh outputs beyond 2, where pixels stick at pure "
        "white or black out of the loss's reach (StyleTrainer; default 1e6 with "
        "--normalization affine, which diverges without it, else 0)",
    )
    parser.add_argument(
        "--spike-weight",
        type=float,
        default=0.0,
        help="penalty on the upsampling stages' activations beyond 6 standard "
        "deviations before instance norm, where blob artifacts form "
        "(StyleTrainer; e.g. 1e6)",
    )
    parser.add_argument(
        "--checkpoint-every",
        type=positive_int,
        default=100,
        help="steps between checkpoints",
    )
    parser.add_argument(
        "--vgg19-weights",
        "--vgg-weights",
        dest="vgg19_weights",
        default="imagenet",
        help="VGG-19 of the perceptual loss: 'imagenet' or a conv .weights.h5 path",
    )


def run(args):
    from keras_style_aug.training import StyleTrainer

    extra = {}
    if args.style_weight is not None:
        extra["style_weight"] = args.style_weight
    trainer = StyleTrainer(
        args.style_image,
        args.content,
        name=args.name,
        network=args.preset,
        normalization=args.normalization,
        image_size=args.image_size,
        batch_size=args.batch_size,
        steps=args.steps,
        learning_rate=args.learning_rate,
        checkpoint_every=args.checkpoint_every,
        vgg_weights=args.vgg19_weights,
        output_dir=args.output,
        saturation_weight=args.saturation_weight,
        spike_weight=args.spike_weight,
        **extra,
    )
    entry = trainer.fit()
    print(
        f"wrote {trainer.output_dir / entry['file']}; final losses "
        f"{entry['final_losses']}"
    )
