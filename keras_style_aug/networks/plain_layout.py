"""The network's stages as the paper draws them (``architecture.forward``
runs them with ``layout="plain"``).

Kept as the reference that the phase layout must match (tests), and as the
naive build the benchmark measures the phase layout against.
"""

from keras_style_aug.networks import phase_layout
from keras_style_aug.networks.phase_layout import normalize
from keras_style_aug.networks.phase_layout import reflect_conv


class PlainLayout:
    """Every stage a reflection-padded convolution, then instance norm (or,
    with `normalization="affine"`, its scale and offset alone).

    With a list as `upsampling_norms`, the two upsampling stages append their
    activations as instance norm sees them, normalized (`normalize`).
    """

    def __init__(
        self, b, style_weights, dtype, upsampling_norms=None, normalization="instance"
    ):
        self.b, self.style_weights, self.dtype = b, style_weights, dtype
        self.upsampling_norms = upsampling_norms
        self.normalization = normalization

    def _conv_norm(self, x, w, stride=1, relu=True, upsampling=False):
        x = reflect_conv(self.b, x, w["kernel"], self.dtype, stride)
        if upsampling and self.upsampling_norms is not None:
            self.upsampling_norms.append(normalize(self.b, x))
        return phase_layout.norm_function(self.normalization)(
            self.b, x, w["scale"], w["offset"], self.style_weights, relu=relu
        )

    def conv_in(self, x, w):
        return self._conv_norm(x, w)

    def down1(self, x, w):
        return self._conv_norm(x, w, stride=2)

    down2 = down1

    def residual_conv(self, x, w, relu):
        return self._conv_norm(x, w, relu=relu)

    def up1(self, x, w):
        x = self.b.numpy.repeat(self.b.numpy.repeat(x, 2, axis=1), 2, axis=2)
        return self._conv_norm(x, w, upsampling=True)

    up2 = up1

    def conv_out(self, x, w):
        x = reflect_conv(self.b, x, w["kernel"], self.dtype)
        return x + self.b.cast(w["bias"], self.dtype)
