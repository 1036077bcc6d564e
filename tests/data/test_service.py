import keras
import numpy as np
import pytest

from keras_style_aug.data import stylize_with_service
from keras_style_aug.layers import RandomStyleTransfer

pytestmark = pytest.mark.skipif(
    keras.backend.backend() != "tensorflow", reason="tf.data service needs TensorFlow"
)


@pytest.fixture(scope="module")
def service():
    """An in-process dispatcher and two workers on loopback."""
    import tensorflow as tf

    ds = tf.data.experimental.service
    dispatcher = ds.DispatchServer()
    address = dispatcher.target.split("://")[1]
    workers = [
        ds.WorkerServer(ds.WorkerConfig(dispatcher_address=address)) for _ in range(2)
    ]
    yield dispatcher.target
    for worker in workers:
        worker._stop()
    dispatcher._stop()


def test_workers_stylize_each_batch_once(service, make_net):
    import tensorflow as tf

    images = np.random.default_rng(0).uniform(0, 255, (12, 16, 16, 3)).astype("float32")
    layer = RandomStyleTransfer(styles=[make_net("a")], rate=1.0, seed=0)
    ds = tf.data.Dataset.from_tensor_slices(images).batch(3)
    out = [b.numpy() for b in stylize_with_service(ds, layer, service)]
    got = np.concatenate(out)
    # distributed_epoch splits the source between workers, each of which
    # batches its share: every image exactly once, in batches of at most 3.
    assert len(got) == 12 and max(len(b) for b in out) <= 3
    direct = keras.ops.convert_to_numpy(make_net("a")(images))
    # Batches may arrive in any order across workers: match them as a set.
    order = [int(np.argmin(np.abs(direct - g).reshape(12, -1).mean(1))) for g in got]
    assert sorted(order) == list(range(12))
    np.testing.assert_allclose(got, direct[order], atol=0.05)


def test_class_styles_through_the_service(service, make_net):
    import tensorflow as tf

    images = np.random.default_rng(1).uniform(0, 255, (6, 16, 16, 3)).astype("float32")
    labels = np.array([0, 1, 0, 1, 0, 1])
    layer = RandomStyleTransfer(
        styles=[make_net("a")], class_styles={1: "a"}, rate=1.0, seed=0
    )
    ds = tf.data.Dataset.from_tensor_slices({"images": images, "labels": labels})
    for item in stylize_with_service(
        ds.batch(6), layer, service, processing_mode="parallel_epochs"
    ):
        changed = np.abs(item["images"].numpy() - images).reshape(6, -1).max(1) > 1
        np.testing.assert_array_equal(changed, labels == 1)


def test_image_label_pairs_keep_their_labels(service, make_net):
    # An (x, y) dataset, the usual Keras input, failed in `map` ("takes 1
    # positional argument but 2 were given").
    import tensorflow as tf

    images = np.random.default_rng(2).uniform(0, 255, (4, 16, 16, 3)).astype("float32")
    labels = np.array([0, 1, 0, 1])
    by_class = RandomStyleTransfer(
        styles=[make_net("a")], class_styles={1: "a"}, rate=1.0, seed=0
    )
    anyone = RandomStyleTransfer(styles=[make_net("a")], rate=1.0, seed=0)
    pairs = tf.data.Dataset.from_tensor_slices((images, labels)).batch(4)
    for layer, expected in ((by_class, labels == 1), (anyone, [True] * 4)):
        for x, y in stylize_with_service(
            pairs, layer, service, processing_mode="parallel_epochs"
        ):
            np.testing.assert_array_equal(y.numpy(), labels)
            changed = np.abs(x.numpy() - images).reshape(4, -1).max(1) > 1
            np.testing.assert_array_equal(changed, expected)


def test_bad_mode(service, make_net):
    import tensorflow as tf

    with pytest.raises(ValueError, match="processing_mode"):
        stylize_with_service(tf.data.Dataset.range(2), None, service, "round_robin")
