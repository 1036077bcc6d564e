import keras
import numpy as np
import pytest

from keras_style_aug.losses import tanh_saturation


def test_penalty_is_the_squared_excess_over_the_bound():
    pre = np.random.default_rng(0).normal(0, 3, (2, 8, 8, 3)).astype("float32")
    excess = np.maximum(np.abs(pre) - 2.5, 0)
    got = float(keras.ops.convert_to_numpy(tanh_saturation(pre, bound=2.5)))
    np.testing.assert_allclose(got, np.mean(excess**2), rtol=1e-5)
    assert float(tanh_saturation(np.clip(pre, -2.5, 2.5), bound=2.5)) == 0.0


@pytest.mark.skipif(
    keras.backend.backend() != "tensorflow", reason="gradients taken with TF"
)
def test_penalty_reaches_values_that_tanh_no_longer_moves():
    # At pre-tanh 8 the output's own gradient is ~1e-7; the penalty's is not.
    import tensorflow as tf

    pre = tf.constant([[8.0, 0.0, -9.0, 1.0]])
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(pre)
        output = tf.reduce_sum(tf.tanh(pre))
        penalty = tanh_saturation(pre, bound=2.0)
    np.testing.assert_allclose(tape.gradient(output, pre)[0, ::2], 0, atol=1e-6)
    np.testing.assert_allclose(
        tape.gradient(penalty, pre), [[2 * 6 / 4, 0, -2 * 7 / 4, 0]], rtol=1e-6
    )
