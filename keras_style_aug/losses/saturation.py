"""`tanh_saturation`: how deep a network's output sits in the flat tails of
its `tanh`, where the perceptual loss can no longer reach it.

A transformation network maps its last convolution through `tanh`. Where that
pre-`tanh` value is large, the output is pure white (or black) and its gradient
is nearly zero, so training cannot change such pixels any more; penalizing
the excess over `bound` keeps every pixel within the loss's reach.

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
