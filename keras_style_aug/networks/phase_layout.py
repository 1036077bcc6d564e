"""The transformation network's forward pass in an exact, faster layout.

The paper's network spends most of its time in its full-resolution layers: two
9x9 convolutions with 3 input or output channels and a 3x3 convolution after a
nearest-neighbour upsampling. Each is computed here, weight for weight, on a
half-resolution grid whose channels hold the four sub-pixel phases
(space-to-depth by 2), where convolutions have 4x the channels and 1/4 the
positions, a shape accelerators run far closer to their peak:

- a stride-1 9x9 convolution is a 5x5 convolution from the input's phases to
  the output's phases;
- nearest upsampling by 2 followed by a 3x3 convolution is one 2x2
  convolution at the low resolution that writes the four output phases, each
  phase read at its own offset: of the 3x3 taps on the upsampled map, each
  output phase sees only 2x2 distinct low-resolution pixels, so this does
  4/9 of the multiply-adds of the 3x3 (the "sub-pixel" form, 3x3 at low
  resolution, does all of them); reflection padding of the upsampled map
  equals edge padding of the low-resolution one;
- a stride-2 3x3 convolution of a map held as phases is a 2x2 convolution.

Reflection padding of a map held as phases is reflection on one side and
symmetric padding on the other, phase by phase. The kernels are re-laid out
from the stored ones on every call by an einsum with constant 0/1 tensors, so
gradients reach the stored weights and training uses this layout too.
``plain_layout.py`` holds the plain layout; tests check that both agree.
The order of the stages is in ``architecture.forward``.
"""

import numpy as np

from keras_style_aug.constants import NORMALIZATIONS

_EPSILON = 1e-5


def _phase_taps_9():
    """[d, c, a, u] = 1 where the 9-tap kernel's tap u links input phase c at
    cell offset d (0..4, padded by 2 cells) to output phase a."""
    t = np.zeros((5, 2, 2, 9), "float32")
    for d in range(5):
        for c in range(2):
            for a in range(2):
                u = 2 * d + c - a
                if 0 <= u < 9:
                    t[d, c, a, u] = 1
    return t


def _phase_taps_stride2():
    """[d, c, u] = 1 where tap u of a stride-2 3x3 kernel reads phase c of
    cell offset d (0..1, padded by one cell at the start)."""
    t = np.zeros((2, 2, 3), "float32")
    for d in range(2):
        for c in range(2):
            u = 2 * d + c - 1
            if 0 <= u < 3:
                t[d, c, u] = 1
    return t


def _phase_taps_upsample():
    """[e, a, u] = 1 where tap u of a 3x3 kernel on the x2 upsampled map reads
    tap e (0..1) of output phase a's 2x2 window, which starts at
    low-resolution offset a (0..1, the map padded by one)."""
    t = np.zeros((2, 2, 3), "float32")
    for a in range(2):
        for u in range(3):
            t[(a + u - 1) // 2 + 1 - a, a, u] = 1
    return t


_TAPS_9 = _phase_taps_9()
_TAPS_STRIDE2 = _phase_taps_stride2()
_TAPS_UPSAMPLE = _phase_taps_upsample()


def kernel_9x9_to_phases(b, kernel):
    """(9, 9, I, O) -> (5, 5, 4I, 4O): phases in, phases out."""
    t = b.convert_to_tensor(_TAPS_9)
    k = b.numpy.einsum("dcau,efgv,uvio->decfiago", t, t, kernel)
    shape = kernel.shape
    return b.numpy.reshape(k, (5, 5, 4 * shape[2], 4 * shape[3]))


def kernel_stride2_to_phases(b, kernel):
    """(3, 3, I, O) stride 2 -> (2, 2, 4I, O) over the input's phases."""
    t = b.convert_to_tensor(_TAPS_STRIDE2)
    k = b.numpy.einsum("dcu,efv,uvio->decfio", t, t, kernel)
    shape = kernel.shape
    return b.numpy.reshape(k, (2, 2, 4 * shape[2], shape[3]))


def kernel_upsample_to_phases(b, kernel, taps=_TAPS_UPSAMPLE):
    """(3, 3, I, O) after x2 upsampling -> (K, K, I, 4O) writing phases,
    `K` the window of `taps` (`[window offset, phase, tap]`; 2 here)."""
    t = b.convert_to_tensor(taps)
    k = b.numpy.einsum("dau,egv,uvio->deiago", t, t, kernel)
    shape, size = kernel.shape, taps.shape[0]
    return b.numpy.reshape(k, (size, size, shape[2], 4 * shape[3]))


def space_to_depth(b, x):
    """(N, H, W, C) -> (N, H/2, W/2, 4C), channels ordered (row phase,
    column phase, channel)."""
    n, h, w, c = b.shape(x)
    x = b.numpy.reshape(x, (n, h // 2, 2, w // 2, 2, c))
    x = b.numpy.transpose(x, (0, 1, 3, 2, 4, 5))
    return b.numpy.reshape(x, (n, h // 2, w // 2, 4 * c))


def depth_to_space(b, x):
    """Inverse of `space_to_depth`."""
    n, h, w, c4 = b.shape(x)
    c = c4 // 4
    x = b.numpy.reshape(x, (n, h, w, 2, 2, c))
    x = b.numpy.transpose(x, (0, 1, 3, 2, 4, 5))
    return b.numpy.reshape(x, (n, 2 * h, 2 * w, c))


def extend(b, x, axis, before, after):
    """Pads `axis` with copies of the rows `before` (indices from the start)
    and `after` (negative indices from the end): slices and a concatenation,
    which every backend and exporter handles."""

    def row(i):
        index = [slice(None)] * 4
        index[axis] = slice(i, i + 1 if i != -1 else None)
        return x[tuple(index)]

    parts = [row(i) for i in before] + [x] + [row(i) for i in after]
    return b.numpy.concatenate(parts, axis=axis)


def pad_symmetric_1(b, x, both_sides=True):
    """Symmetric (edge) padding by one on the two spatial axes."""
    after = [-1] if both_sides else []
    x = extend(b, x, 1, [0], after)
    return extend(b, x, 2, [0], after)


def pad_reflect_phases(b, x):
    """Reflection padding by 4 of a full-resolution map held as phases
    `(N, H/2, W/2, 4C)`: 2 cells on each side, phase by phase."""
    c = x.shape[-1] // 4
    # Phase 0 rows: reflect before, symmetric after; phase 1: the converse.
    modes = {0: ([2, 1], [-1, -2]), 1: ([1, 0], [-2, -3])}
    planes = []
    for row_phase in range(2):
        for col_phase in range(2):
            i = 2 * row_phase + col_phase
            plane = x[..., i * c : (i + 1) * c]
            plane = extend(b, plane, 1, *modes[row_phase])
            planes.append(extend(b, plane, 2, *modes[col_phase]))
    return b.numpy.concatenate(planes, axis=-1)


def style_affine(b, scale, offset, style_weights, channels):
    """The norm's scale and offset, shaped `(N or 1, 1, 1, 1, C)` to
    broadcast over `(N, H, W, phases, C)`: each image's mix of the style rows
    (conditional instance norm, `(S, C)` rows) or the single-style `(C,)`."""
    if style_weights is not None:
        scale = b.numpy.matmul(style_weights, scale)
        offset = b.numpy.matmul(style_weights, offset)
    shape = (-1, 1, 1, 1, channels)
    return b.numpy.reshape(scale, shape), b.numpy.reshape(offset, shape)


def normalize(b, x, phases=1):
    """`(N, H, W, phases * C)` -> float32 `(N, H, W, phases, C)`, each channel
    of each image at zero mean and unit variance over positions and phases
    (instance normalization before the scale and offset)."""
    n, h, w, c4 = b.shape(x)
    x32 = b.numpy.reshape(b.cast(x, "float32"), (n, h, w, phases, c4 // phases))
    mean = b.numpy.mean(x32, axis=(1, 2, 3), keepdims=True)
    var = b.numpy.mean(b.numpy.square(x32 - mean), axis=(1, 2, 3), keepdims=True)
    return (x32 - mean) / b.numpy.sqrt(var + _EPSILON)


def instance_norm(b, x, scale, offset, style_weights, phases=1, relu=True):
    """Instance normalization over positions (and phases) of each channel,
    then the (per-style) scale and offset; statistics in float32."""
    n, h, w, c4 = b.shape(x)
    c = c4 // phases
    y = normalize(b, x, phases)
    scale, offset = style_affine(b, scale, offset, style_weights, c)
    y = y * scale + offset
    if relu:
        y = b.nn.relu(y)
    return b.numpy.reshape(b.cast(y, x.dtype), (n, h, w, c4))


def affine_norm(b, x, scale, offset, style_weights, phases=1, relu=True):
    """`instance_norm` without its statistics: the (per-style) scale and
    offset alone, on `x`'s dtype (`normalization="affine"`)."""
    n, h, w, c4 = b.shape(x)
    c = c4 // phases
    scale, offset = style_affine(b, scale, offset, style_weights, c)
    y = b.numpy.reshape(x, (n, h, w, phases, c))
    y = y * b.cast(scale, x.dtype) + b.cast(offset, x.dtype)
    y = b.nn.relu(y) if relu else y
    return b.numpy.reshape(y, (n, h, w, c4))


def norm_function(normalization):
    """The function a stage normalizes with, `instance_norm` or
    `affine_norm`, looked up when the stage runs."""
    if normalization == "instance":
        return instance_norm
    if normalization == "affine":
        return affine_norm
    raise ValueError(
        f"Unknown normalization {normalization!r}; choose one of {NORMALIZATIONS}."
    )


def upsample_conv(b, x, kernel, dtype):
    """Nearest x2 upsampling, reflection padding and a 3x3 convolution of
    `(N, H, W, I)`, as `(N, H, W, 4O)` phases: one 2x2 convolution over the
    edge-padded map gives every phase at `H + 1` offsets, and phase
    `(row, column)` keeps the `H x W` of them that start at `(row, column)`
    (static slices: the map's sides may be unknown while tracing)."""
    out = kernel.shape[3]
    y = conv(b, pad_symmetric_1(b, x), kernel_upsample_to_phases(b, kernel), dtype)
    first = {0: slice(None, -1), 1: slice(1, None)}  # H of the H + 1 offsets
    phases = [
        y[:, first[row], first[col], (2 * row + col) * out : (2 * row + col + 1) * out]
        for row in range(2)
        for col in range(2)
    ]
    return b.numpy.concatenate(phases, axis=-1)


def conv(b, x, kernel, dtype, stride=1):
    return b.nn.conv(x, b.cast(kernel, dtype), strides=stride, padding="valid")


def reflect_conv(b, x, kernel, dtype, stride=1):
    pad = kernel.shape[0] // 2
    x = b.numpy.pad(x, [[0, 0], [pad, pad], [pad, pad], [0, 0]], mode="reflect")
    return conv(b, x, kernel, dtype, stride)


class PhaseLayout:
    """The network's stages in the phase layout (see the module docstring).

    Between `conv_in` and `down1`, and between `up2` and `conv_out`, the
    full-resolution map is held as phases `(N, H/2, W/2, 4C)`.

    With a list as `upsampling_norms`, the two upsampling stages append their
    activations as instance norm sees them, normalized (`normalize`).
    `normalization` is `"instance"` or `"affine"` (`norm_function`).
    """

    def __init__(
        self, b, style_weights, dtype, upsampling_norms=None, normalization="instance"
    ):
        self.b, self.style_weights, self.dtype = b, style_weights, dtype
        self.upsampling_norms = upsampling_norms
        self.normalization = normalization

    def _norm(self, x, w, relu=True, phases=1):
        return norm_function(self.normalization)(
            self.b,
            x,
            w["scale"],
            w["offset"],
            self.style_weights,
            phases=phases,
            relu=relu,
        )

    def conv_in(self, x, w):
        """9x9 over the phases of the reflection-padded input."""
        b = self.b
        x = b.numpy.pad(x, [[0, 0], [4, 4], [4, 4], [0, 0]], mode="reflect")
        x = conv(
            b, space_to_depth(b, x), kernel_9x9_to_phases(b, w["kernel"]), self.dtype
        )
        return self._norm(x, w, phases=4)

    def down1(self, x, w):
        """Stride-2 3x3 of the full-resolution map = 2x2 over its phases."""
        b = self.b
        x = pad_symmetric_1(b, x, both_sides=False)
        x = conv(b, x, kernel_stride2_to_phases(b, w["kernel"]), self.dtype)
        return self._norm(x, w)

    def down2(self, x, w):
        x = reflect_conv(self.b, x, w["kernel"], self.dtype, stride=2)
        return self._norm(x, w)

    def residual_conv(self, x, w, relu):
        return self._norm(
            reflect_conv(self.b, x, w["kernel"], self.dtype), w, relu=relu
        )

    def _upsample_conv(self, x, w):
        """Nearest x2 upsampling + 3x3 as one 2x2 convolution (phases)."""
        x = upsample_conv(self.b, x, w["kernel"], self.dtype)
        if self.upsampling_norms is not None:
            self.upsampling_norms.append(normalize(self.b, x, phases=4))
        return self._norm(x, w, phases=4)

    def up1(self, x, w):
        return depth_to_space(self.b, self._upsample_conv(x, w))

    def up2(self, x, w):
        return self._upsample_conv(x, w)  # stays in phases for conv_out

    def conv_out(self, x, w):
        """9x9 from phases to phases, then back to full resolution."""
        b = self.b
        x = conv(
            b,
            pad_reflect_phases(b, x),
            kernel_9x9_to_phases(b, w["kernel"]),
            self.dtype,
        )
        x = x + b.cast(b.numpy.tile(w["bias"], [4]), self.dtype)
        return depth_to_space(b, x)
