"""The Keras model `StyleTrainer` fits: the transformation network under a
fixed perceptual loss, a teacher's outputs and penalties on its own
activations."""

import keras

from keras_style_aug.losses.perceptual import total_variation
from keras_style_aug.losses.saturation import tanh_saturation
from keras_style_aug.losses.spikes import norm_spikes


class _Frozen:
    """A network called without being tracked: its weights stay out of the
    trained model's variables and checkpoints, and get no gradient."""

    def __init__(self, net):
        self.net = net

    def __call__(self, images, styles):
        out = self.net(images) if styles is None else self.net(images, style=styles)
        return keras.ops.stop_gradient(out)


# Penalties on the network's own activations, by `StyleTrainer`'s argument
# prefix (`saturation_weight`, `saturation_bound`, ...): the loss term they
# report, its function of `(activations, bound)`, and which of the network's
# extra outputs it reads (0: pre-`tanh`, 1: the upsampling stages' norms).
PENALTIES = {
    "saturation": ("saturation", tanh_saturation, 0),
    "spike": ("spikes", norm_spikes, 1),
}


class StyleModel(keras.Model):
    """The transformation network, trained against a fixed perceptual loss
    and, with a teacher, against the teacher's outputs; `penalties` maps
    names of `PENALTIES` to `(weight, bound)`."""

    def __init__(
        self, net, loss, teacher=None, teacher_weight=0.0, penalties=None, **kwargs
    ):
        super().__init__(**kwargs)
        self.net = net
        self._perceptual = loss  # plain object: VGG weights stay out of checkpoints
        self._vgg_terms = loss.content_weight > 0 or loss.style_weight > 0
        self._teacher = _Frozen(teacher) if teacher is not None else None
        self._teacher_weight = float(teacher_weight)
        self._penalties = dict(penalties or {})
        terms = ("content", "style", "tv") if self._vgg_terms else ("tv",)
        terms += ("teacher",) if teacher is not None else ()
        terms += tuple(PENALTIES[name][0] for name in self._penalties)
        self.trackers = {k: keras.metrics.Mean(name=f"{k}_loss") for k in terms}

    def call(self, inputs):
        """`(stylized, pre_tanh)`, and the upsampling stages' normalized
        activations when their spikes are penalized."""
        images, style = (
            (inputs["images"], inputs["styles"])
            if isinstance(inputs, dict)  # multi-style: images and style indices
            else (inputs, None)
        )
        return self.net(
            images,
            style=style,
            with_pre_tanh=True,
            with_upsampling_norms="spike" in self._penalties,
        )

    def compute_loss(
        self, x=None, y=None, y_pred=None, sample_weight=None, training=True
    ):
        images, styles = (
            (x["images"], x["styles"]) if isinstance(x, dict) else (x, None)
        )
        y_pred, *activations = y_pred
        if self._vgg_terms:
            losses = dict(self._perceptual(y_pred, images, styles))
        else:  # distillation alone: no VGG pass
            tv = total_variation(y_pred, self._perceptual.value_range)
            losses = {"tv": tv, "total": self._perceptual.tv_weight * tv}
        if self._teacher is not None:
            target = self._teacher(images, styles)
            losses["teacher"] = keras.ops.mean(
                keras.ops.square(
                    keras.ops.cast(y_pred, "float32")
                    - keras.ops.cast(target, "float32")
                )
            )
            losses["total"] = losses["total"] + self._teacher_weight * losses["teacher"]
        for name, (weight, bound) in self._penalties.items():
            term, penalty, output = PENALTIES[name]
            losses[term] = penalty(activations[output], bound)
            losses["total"] = losses["total"] + weight * losses[term]
        for key, tracker in self.trackers.items():
            tracker.update_state(losses[key])
        return losses["total"]

    @property
    def metrics(self):
        return super().metrics + list(self.trackers.values())
