import keras
import numpy as np

from keras_style_aug.losses import norm_spikes


def test_penalty_is_the_mean_squared_excess_over_the_bound_per_stage():
    rng = np.random.default_rng(0)
    stages = [rng.normal(0, 4, (2, 8, 8, 4, 3)), rng.normal(0, 2, (2, 16, 16, 1, 5))]
    stages = [z.astype("float32") for z in stages]
    expected = np.mean([np.mean(np.maximum(np.abs(z) - 5, 0) ** 2) for z in stages])
    got = float(keras.ops.convert_to_numpy(norm_spikes(stages, bound=5.0)))
    np.testing.assert_allclose(got, expected, rtol=1e-5)
    assert expected > 0
    inside = [np.clip(z, -5, 5) for z in stages]
    assert float(keras.ops.convert_to_numpy(norm_spikes(inside, bound=5.0))) == 0.0
