"""`tanh_saturation`: how deep a network's output sits in the flat tails of
its `tanh`, where the perceptual loss can no longer reach it.

A transformation network maps its last convolution through `tanh`. Where that
pre-`tanh` value is large, the output is pure white (or black) and its gradient
is nearly zero. The white the shipped networks add lies at pre-`tanh` values
with medians of 1.9-3.8 per style (a tenth of it above 3.3-8.6); there the
loss's gradient on the pre-`tanh` values is 2-5% of what it is elsewhere,
though on the output pixels themselves it is as large as anywhere
(`results/blobs/RESULTS.md`). Training cannot remove what it cannot
see; penalizing the excess over `bound` keeps every pixel within its reach.

>>> import numpy as np
>>> float(tanh_saturation(np.array([[0.5, -2.0, 3.0, -4.0]]), bound=2.0))
1.25
"""

from keras import ops


def tanh_saturation(pre_tanh, bound=2.0):
    """Mean squared excess of `|pre_tanh|` over `bound` (0 inside it).

    `tanh(2) = 0.964`: the default leaves outputs up to 98% of the way to
    either end of the value range free of any cost.
    """
    excess = ops.relu(ops.abs(ops.cast(pre_tanh, "float32")) - bound)
    return ops.mean(ops.square(excess))
