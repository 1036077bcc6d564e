"""`norm_spikes`: how far a network's upsampling stages concentrate a
channel's energy in a few positions before instance norm.

Blobs a trained network paints can sit at such spikes: the "droplet"
StyleGAN2 traced to instance norm, one strong spike making a channel's
variance, so that normalizing scales everything else down. Penalizing
normalized activations beyond `bound` takes that mechanism away.

>>> import numpy as np
>>> z = np.array([[0.5, -7.0, 8.0, 1.0]])
>>> float(norm_spikes([z, np.zeros((1, 4))], bound=6.0))
0.625
"""

from keras import ops


def norm_spikes(normalized, bound=6.0):
    """Mean over `normalized` (a list of activations at unit variance per
    channel, e.g. `TransformerNet(..., with_upsampling_norms=True)`'s) of the
    mean squared excess of `|z|` over `bound` (0 inside it).

    A Gaussian channel passes 6 standard deviations at 2 positions in a
    billion: the default leaves ordinary features free of any cost.
    """
    terms = [
        ops.mean(ops.square(ops.relu(ops.abs(ops.cast(z, "float32")) - bound)))
        for z in normalized
    ]
    return ops.mean(ops.stack(terms))
