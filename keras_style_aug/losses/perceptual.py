"""Content, style (Gram) and total-variation losses on a frozen VGG-19.

The paper names VGG layers ``conv3_3``; Keras names them ``block3_conv3``. Both
are accepted. Keras's VGG convolutions include their ReLU, so ``conv3_3`` is the
usual ``relu3_3`` feature map.

Example (a random-weight VGG keeps the example offline):

>>> import numpy as np
>>> from keras_style_aug.losses import PerceptualLoss
>>> style = np.random.uniform(0, 255, (64, 64, 3)).astype("float32")
>>> loss = PerceptualLoss(style, vgg_weights=None)
>>> x = np.random.uniform(0, 255, (2, 32, 32, 3)).astype("float32")
>>> sorted(loss(x, x))
['content', 'style', 'total', 'tv']
>>> float(loss(x, x)["content"])
0.0
"""

import os
import warnings

import keras
import numpy as np
from keras import ops

from keras_style_aug.layers.style_options import check_value_range
from keras_style_aug.layers.vgg_preprocessing import caffe_preprocess
from keras_style_aug.utils.images import load_image
from keras_style_aug.utils.vgg import vgg_conv_base

# Paper name -> Keras name for every VGG-19 convolution.
VGG19_LAYERS = {
    f"conv{block}_{i}": f"block{block}_conv{i}"
    for block, convs in ((1, 2), (2, 2), (3, 4), (4, 4), (5, 4))
    for i in range(1, convs + 1)
}


def keras_layer_name(name):
    """`conv3_3` or `block3_conv3` -> `block3_conv3`; unknown names raise."""
    if name in VGG19_LAYERS:
        return VGG19_LAYERS[name]
    if name in VGG19_LAYERS.values():
        return name
    raise ValueError(
        f"Unknown VGG-19 layer {name!r}. Valid names: "
        f"{', '.join(VGG19_LAYERS)} (or their Keras names "
        f"{', '.join(VGG19_LAYERS.values())})."
    )


def gram_matrix(features):
    """Eq. (3): `(N, H, W, C)` features -> `(N, C, C)` Gram matrices / (C*H*W)."""
    features = ops.cast(features, "float32")
    shape = ops.shape(features)
    n, h, w, c = shape[0], shape[1], shape[2], shape[3]
    flat = ops.reshape(features, (n, h * w, c))
    gram = ops.matmul(ops.transpose(flat, (0, 2, 1)), flat)
    return gram / ops.cast(c * h * w, "float32")


def build_vgg19_features(layer_names, weights="imagenet"):
    """A frozen VGG-19 conv base returning the given layers' feature maps.

    Args:
        layer_names: paper or Keras layer names.
        weights: `"imagenet"` (downloads), a path to a `.weights.h5` conv
            base, or `None` for random weights (tests).
    """
    names = [keras_layer_name(n) for n in layer_names]
    vgg = vgg_conv_base("vgg19", weights, (None, None, 3))
    vgg.trainable = False
    outputs = [vgg.get_layer(n).output for n in names]
    return keras.Model(vgg.input, outputs, name="vgg19_features")


class PerceptualLoss:
    """The paper's loss network: content, Gram style and TV losses.

    Args:
        style_image: `(H, W, 3)` style image in `value_range` (or a path to
            one, e.g. `styles.painting_path("udnie")`), or a list of
            them (any sizes) for a multi-style network: then call the loss with
            `style_index`, one style per image.
        content_layers: paper names, default `("conv3_3",)`.
        style_layers: default `("conv1_2", "conv2_2", "conv3_3", "conv4_3")`.
        content_weight: weight of the content loss.
        style_weight: weight of the Gram-matrix style loss.
        tv_weight: weight of the total variation loss.
        vgg_weights: `"imagenet"`, a path to VGG-19 conv weights, or `None`.
        value_range: pixel range of the images the loss sees.

    Calling it on `(stylized, content)` batches returns a dict of scalar
    losses: `content` (eq. 2, summed over content layers), `style` (squared
    Frobenius distance of Gram matrices, summed over style layers), `tv`, and
    their weighted `total`.
    """

    def __init__(
        self,
        style_image,
        content_layers=("conv3_3",),
        style_layers=("conv1_2", "conv2_2", "conv3_3", "conv4_3"),
        content_weight=1.0,
        style_weight=1.0,
        tv_weight=0.0,
        vgg_weights="imagenet",
        value_range=(0, 255),
    ):
        self.content_layers = [keras_layer_name(n) for n in content_layers]
        self.style_layers = [keras_layer_name(n) for n in style_layers]
        if not self.content_layers or not self.style_layers:
            raise ValueError(
                "PerceptualLoss needs at least one content layer and one style "
                "layer, e.g. content_layers=('conv3_3',)."
            )
        weights = {"content": content_weight, "style": style_weight, "tv": tv_weight}
        for term, weight in weights.items():
            if not 0 <= float(weight) < float("inf"):  # negative: trains uphill
                raise ValueError(
                    f"`{term}_weight` must be a finite number >= 0; received "
                    f"{weight!r}."
                )
        self.content_weight = float(content_weight)
        self.style_weight = float(style_weight)
        self.tv_weight = float(tv_weight)
        self.value_range = check_value_range(value_range)  # (255, 0), (0, 0)
        self._content_checked = False
        self._layers = list(dict.fromkeys(self.content_layers + self.style_layers))
        # A layer of block b lies behind b - 1 halving poolings.
        deepest = max(self._layers, key=lambda n: int(n[5]))
        self.min_side = 2 ** (int(deepest[5]) - 1)
        self.features = build_vgg19_features(self._layers, weights=vgg_weights)
        self.multi_style = isinstance(style_image, (list, tuple))
        images = list(style_image) if self.multi_style else [style_image]
        if not images:
            raise ValueError("`style_image` is an empty list: pass style images.")
        grams = [[] for _ in self.style_layers]
        for image in images:
            if isinstance(image, (str, os.PathLike)):  # a painting's file
                path, image = image, load_image(image)
                if image is None:
                    raise ValueError(f"`style_image` {path} is not a readable image.")
            style = ops.convert_to_tensor(image, "float32")
            if len(style.shape) != 3 or style.shape[-1] != 3:
                raise ValueError(
                    "`style_image` must be an RGB image of shape (H, W, 3) or a "
                    f"list of them; received shape {tuple(style.shape)}."
                )
            if min(style.shape[:2]) < self.min_side:  # failed in VGG's pooling
                raise ValueError(
                    f"`style_image` of {style.shape[0]}x{style.shape[1]} pixels is "
                    f"too small for VGG-19's {deepest!r}, which needs "
                    f"{self.min_side}x{self.min_side} at least. "
                    "Pass the painting at a larger size."
                )
            if not np.isfinite(ops.convert_to_numpy(style)).all():  # NaN targets
                raise ValueError(
                    "`style_image` holds NaN or infinite pixel values: pass a "
                    f"painting in value_range {self.value_range}."
                )
            self._warn_if_unit_scale(style, "`style_image`")
            style_features = self._extract(style[None])
            for rows, name in zip(grams, self.style_layers):
                rows.append(ops.convert_to_numpy(gram_matrix(style_features[name])))
        # One (S, C, C) stack of target Grams per style layer.
        self.style_grams = [np.concatenate(rows) for rows in grams]

    def _warn_if_unit_scale(self, images, what):
        """0..1 images under a 0..255 `value_range` look black to VGG: warns.
        Returns whether the values could be looked at (not traced)."""
        try:
            high = float(ops.convert_to_numpy(ops.max(images)))
        except Exception:  # traced: no values here
            return False
        if self.value_range[1] > 1 and 0 < high <= 1:
            warnings.warn(
                f"{what} has values up to {high:.3g}, but value_range="
                f"{self.value_range}: VGG-19 sees it nearly black. Multiply "
                "0..1 images by 255, or pass value_range=(0, 1).",
                stacklevel=3,
            )
        return True

    def _check_call(self, stylized, content, style_index):
        """Shapes that fit, known before VGG-19 runs (they failed inside
        its layers: a concatenation, a pooling, a gather)."""
        shapes = [tuple(stylized.shape), tuple(content.shape)]
        for name, shape in zip(("stylized", "content"), shapes):
            if len(shape) != 4 or shape[-1] not in (3, None):
                raise ValueError(
                    f"`{name}` must be (N, H, W, 3) images; received shape {shape}."
                )
            if any(side is not None and side < self.min_side for side in shape[1:3]):
                raise ValueError(
                    f"`{name}` images of {shape[1]}x{shape[2]} pixels are too "
                    f"small for the loss's VGG-19 layers, which need "
                    f"{self.min_side}x{self.min_side} at least."
                )
        if None not in shapes[0] + shapes[1] and shapes[0] != shapes[1]:
            raise ValueError(
                f"`stylized` {shapes[0]} and `content` {shapes[1]} must have the "
                "same shape: one content image per stylized image, same size."
            )
        if style_index is None:
            return
        if not self.multi_style:
            raise ValueError(
                "This PerceptualLoss holds one style: call it without `style_index`."
            )
        count = len(self.style_grams[0])
        try:
            values = np.asarray(ops.convert_to_numpy(style_index))
        except Exception:  # traced: checked when it runs, not here
            return
        if values.shape != shapes[0][:1] or ((values < 0) | (values >= count)).any():
            raise ValueError(
                f"`style_index` must hold one style index per image, from 0 to "
                f"{count - 1}; received {values.tolist()[:8]} for "
                f"{shapes[0][0]} images."
            )

    def _extract(self, images):
        outputs = self.features(caffe_preprocess(images, self.value_range))
        if not isinstance(outputs, (list, tuple)):
            outputs = [outputs]
        return dict(zip(self._layers, outputs))

    def __call__(self, stylized, content, style_index=None):
        """Losses of `stylized` against `content`; `style_index` `(N,)` picks
        each image's style of a multi-style loss."""
        if self.multi_style and style_index is None:
            raise ValueError(
                f"This PerceptualLoss holds {len(self.style_grams[0])} styles: "
                "pass `style_index`, one style per image."
            )
        self._check_call(stylized, content, style_index)
        if not self._content_checked:  # once: not a host sync on every step
            self._content_checked = self._warn_if_unit_scale(content, "`content`")
        both = ops.concatenate([stylized, content], axis=0)
        feats = self._extract(both)
        n = ops.shape(stylized)[0]
        content_loss = 0.0
        for name in self.content_layers:
            f = ops.cast(feats[name], "float32")
            content_loss += ops.mean(ops.square(f[:n] - f[n:]))
        style_loss = 0.0
        for name, target in zip(self.style_layers, self.style_grams):
            target = ops.convert_to_tensor(target, "float32")
            if style_index is not None:
                target = ops.take(target, ops.cast(style_index, "int32"), axis=0)
            gram = gram_matrix(feats[name][:n])
            style_loss += ops.mean(ops.sum(ops.square(gram - target), axis=(1, 2)))
        tv = total_variation(stylized, self.value_range)
        total = (
            self.content_weight * content_loss
            + self.style_weight * style_loss
            + self.tv_weight * tv
        )
        return {
            "content": content_loss,
            "style": style_loss,
            "tv": tv,
            "total": total,
        }


def total_variation(images, value_range=(0, 255)):
    """Mean squared difference of neighbouring pixels, images scaled to [0, 1]."""
    low, high = value_range
    x = (ops.cast(images, "float32") - low) / (high - low)
    dh = ops.mean(ops.square(x[:, 1:, :, :] - x[:, :-1, :, :]))
    dw = ops.mean(ops.square(x[:, :, 1:, :] - x[:, :, :-1, :]))
    return dh + dw
