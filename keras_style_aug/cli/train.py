"""Train a style network for one painting (checkpoints; rerun to resume)."""

from keras_style_aug.training import StyleTrainer


def add_arguments(parser):
    parser.add_argument("--style-image", required=True, help="the painting")
    parser.add_argument(
        "--content", required=True, help="folder of content photos, or 'coco' (TFDS)"
    )
    parser.add_argument("--name", required=True, help="style name")
    parser.add_argument(
        "--output", default=None, help="output folder (default runs/NAME)"
    )
    parser.add_argument("--network", default="full", choices=["full", "lite"])
    parser.add_argument("--steps", type=int, default=20_000)
    parser.add_argument("--image-size", type=int, default=256)
    parser.add_argument("--batch-size", type=int, default=4)
    parser.add_argument("--learning-rate", type=float, default=1e-3)
    parser.add_argument("--style-weight", type=float, default=None)
    parser.add_argument("--checkpoint-every", type=int, default=100)
    parser.add_argument(
        "--vgg-weights",
        default="imagenet",
        help="'imagenet' or a VGG-19 conv .weights.h5 path",
    )


def run(args):
    extra = {}
    if args.style_weight is not None:
        extra["style_weight"] = args.style_weight
    trainer = StyleTrainer(
        args.style_image,
        args.content,
        name=args.name,
        network=args.network,
        image_size=args.image_size,
        batch_size=args.batch_size,
        steps=args.steps,
        learning_rate=args.learning_rate,
        checkpoint_every=args.checkpoint_every,
        vgg_weights=args.vgg_weights,
        output_dir=args.output,
        **extra,
    )
    entry = trainer.fit()
    print(
        f"wrote {trainer.output_dir / entry['file']}; final losses "
        f"{entry['final_losses']}"
    )
