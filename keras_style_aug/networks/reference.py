"""The transformation network in the paper's plain layout.

Kept as the reference that ``phase_layout.forward`` must match (tests), and as
the naive build the benchmark measures the phase layout against. Takes and
returns what ``phase_layout.forward`` does.
"""

from keras_style_aug.networks.phase_layout import instance_norm
from keras_style_aug.networks.phase_layout import reflect_conv


def forward(b, x, params, residual_blocks, style_weights, dtype):
    """Pre-`tanh` output, every layer computed as the paper draws it."""
    it = iter(params)

    def layer(x, stride=1, relu=True):
        kernel, scale, offset = next(it), next(it), next(it)
        x = reflect_conv(b, x, kernel, dtype, stride)
        return instance_norm(b, x, scale, offset, style_weights, relu=relu)

    x = layer(x)
    x = layer(x, stride=2)
    x = layer(x, stride=2)
    for _ in range(residual_blocks):
        x = x + layer(layer(x), relu=False)
    for _ in range(2):
        x = b.numpy.repeat(b.numpy.repeat(x, 2, axis=1), 2, axis=2)
        x = layer(x)
    kernel, bias = next(it), next(it)
    return reflect_conv(b, x, kernel, dtype) + b.cast(bias, dtype)
