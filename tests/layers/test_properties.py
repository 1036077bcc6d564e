"""Properties of `RandomStyleTransfer` and `TransformerNet` over random
inputs (hypothesis): any batch size (0 and 1 included), odd sizes, dtypes,
value ranges, NaN and infinite pixels and settings, eager and traced. The
output keeps the input's shape, comes back in the layer's dtype, is finite at
every pixel where the input is, leaves unstylized images as they were and stylizes at
most `ceil(rate * n)` images; or the input is refused with a `ValueError` or
`TypeError` that names the argument."""

import math

import keras
import numpy as np
import pytest
from hypothesis import HealthCheck
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from keras_style_aug import RandomStyleTransfer
from tests.conftest import toy_net

NET = toy_net("toy", seed=1)
RANGES = [(0, 255), (0, 1), (-1, 1)]
# The same examples on every run (CI must not draw a new one by chance), and
# no example database written into the checkout.
EXAMPLES = settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)


@st.composite
def batches(draw, max_side=96):
    n = draw(st.integers(0, 4))
    height = draw(st.integers(8, max_side))
    width = draw(st.integers(8, max_side))
    value_range = draw(st.sampled_from(RANGES))
    dtype = draw(st.sampled_from(["float32", "float16", "uint8"]))
    if dtype == "uint8":
        value_range = (0, 255)
    low, high = value_range
    rng = np.random.default_rng(draw(st.integers(0, 2**16)))
    images = rng.uniform(low, high, (n, height, width, 3))
    special = draw(st.sampled_from([None, np.nan, np.inf, -np.inf]))
    if special is not None and n and dtype != "uint8":
        images[0, 0, 0, 0] = special
    return images.astype(dtype), value_range


def check_output(images, out, layer):
    out = keras.ops.convert_to_numpy(out)
    assert out.shape == images.shape
    assert keras.backend.standardize_dtype(out.dtype) == layer.compute_dtype
    x = images.astype("float32")
    # Per pixel: colour preservation mixes a pixel's channels.
    finite = np.isfinite(x).all(axis=-1)
    assert np.isfinite(out[finite]).all()
    changed = [
        not np.array_equal(o[np.isfinite(i)], i[np.isfinite(i)], equal_nan=True)
        for i, o in zip(x, out.astype("float32"))
    ]
    # Untouched images come back exactly; at most ceil(rate * n) change.
    assert sum(changed) <= math.ceil(layer.rate * len(images))


@EXAMPLES
@given(
    data=batches(),
    rate=st.floats(0, 1),
    strength=st.floats(0, 1),
    preserve_color=st.booleans(),
)
def test_the_layer_keeps_shape_dtype_finiteness_and_untouched_images(
    data, rate, strength, preserve_color
):
    images, value_range = data
    layer = RandomStyleTransfer(
        styles=[NET],
        rate=rate,
        strength=strength,
        preserve_color=preserve_color,
        value_range=value_range,
        seed=0,
    )
    check_output(images, layer(images), layer)
    inference = keras.ops.convert_to_numpy(layer(images, training=False))
    np.testing.assert_array_equal(inference, images.astype(layer.compute_dtype))


def check_traced(trace, data, rate):
    """The layer called inside `trace` (tf.function, jax.jit)."""
    images, value_range = data
    layer = RandomStyleTransfer(
        styles=[NET], rate=rate, value_range=value_range, seed=0
    )
    check_output(images, trace(lambda x: layer(x))(images), layer)


@pytest.mark.skipif(keras.backend.backend() != "tensorflow", reason="tf.function")
@settings(max_examples=12, deadline=None, derandomize=True, database=None)
@given(data=batches(max_side=40), rate=st.floats(0, 1))
def test_the_layer_traced_by_tf_function(data, rate):
    import tensorflow as tf

    check_traced(tf.function, data, rate)


@EXAMPLES
@given(
    rate=st.one_of(st.floats(allow_nan=True), st.text(max_size=3), st.none()),
    strength=st.one_of(st.floats(allow_nan=True), st.tuples(st.floats(), st.floats())),
)
def test_settings_are_used_or_refused_by_name(rate, strength):
    try:
        layer = RandomStyleTransfer(styles=[NET], rate=rate, strength=strength)
    except (ValueError, TypeError) as e:
        assert "`rate`" in str(e) or "`strength`" in str(e)
        return
    assert 0 <= layer.rate <= 1 and 0 <= layer.strength[0] <= layer.strength[1] <= 1


@EXAMPLES
@given(data=batches(max_side=64))
def test_the_network_keeps_shape_and_finiteness(data):
    images, value_range = data
    x = images.astype("float32")
    if value_range != (0, 255):
        x = (x - value_range[0]) / (value_range[1] - value_range[0]) * 255
    out = keras.ops.convert_to_numpy(NET(x))
    assert out.shape == x.shape
    if np.isfinite(x).all():
        assert np.isfinite(out).all() and (out >= 0).all() and (out <= 255).all()


@pytest.mark.skipif(keras.backend.backend() != "jax", reason="jax.jit")
@settings(max_examples=6, deadline=None, derandomize=True, database=None)
@given(data=batches(max_side=24), rate=st.floats(0, 1))
def test_the_layer_traced_by_jax_jit(data, rate):
    import jax

    check_traced(jax.jit, data, rate)
