import keras
import numpy as np
import pytest

from keras_style_aug.classifiers import BASELINES
from keras_style_aug.classifiers import PAPER_TRAINING
from keras_style_aug.classifiers import baseline_augmentation
from keras_style_aug.classifiers import build_vgg16_classifier


def test_structure_with_real_vgg16_weights(vgg16_weights):
    model = build_vgg16_classifier(
        (64, 64, 3), weights=vgg16_weights, dense_units=32, trainable_blocks=1
    )
    # Conv weights are those of the file.
    reference = keras.applications.VGG16(
        include_top=False, weights=vgg16_weights, input_shape=(64, 64, 3)
    )
    np.testing.assert_array_equal(
        model.get_layer("block3_conv2").get_weights()[0],
        reference.get_layer("block3_conv2").get_weights()[0],
    )
    # Head: flatten -> dense(32, relu) -> dropout -> dense(1, sigmoid).
    assert model.get_layer("dense").units == 32
    assert model.get_layer("dense").activation is keras.activations.relu
    assert model.get_layer("prediction").activation is keras.activations.sigmoid
    assert model.output.shape == (None, 1)
    # Only block 5 and the head train.
    trainable = {lab.name for lab in model.layers if lab.trainable and lab.weights}
    assert trainable == {
        "block5_conv1",
        "block5_conv2",
        "block5_conv3",
        "dense",
        "prediction",
    }
    # Caffe preprocessing inside: RGB 0..255 in, VGG features as Keras's own.
    x = np.random.default_rng(0).uniform(0, 255, (1, 64, 64, 3)).astype("float32")
    inner = keras.Model(model.input, model.get_layer("block5_pool").output)
    expected = reference(keras.applications.vgg16.preprocess_input(x.copy()))
    np.testing.assert_allclose(
        np.asarray(inner(x)), np.asarray(expected), rtol=1e-4, atol=1e-3
    )


def test_trainable_blocks_and_paper_defaults():
    frozen = build_vgg16_classifier((32, 32, 3), weights=None, trainable_blocks=0)
    assert {w.path.split("/")[0] for w in frozen.trainable_weights} == {
        "dense",
        "prediction",
    }
    full = build_vgg16_classifier((32, 32, 3), weights=None)
    assert len(full.trainable_weights) == 2 * 13 + 4
    assert PAPER_TRAINING == {"learning_rate": 1e-5, "batch_size": 20, "epochs": 30}
    assert float(full.optimizer.learning_rate) == pytest.approx(1e-5)
    with pytest.raises(ValueError, match="trainable_blocks"):
        build_vgg16_classifier((32, 32, 3), weights=None, trainable_blocks=6)


def test_wrong_channels_and_weights_files_that_do_not_fit(vgg19_weights, tmp_path):
    with pytest.raises(ValueError, match=r"`input_shape` must be \(height, width, 3\)"):
        build_vgg16_classifier((32, 32, 4), weights=None)
    corrupt = tmp_path / "vgg16.weights.h5"
    corrupt.write_bytes(b"not an HDF5 file")
    # A file of the wrong network (when the VGG-19 weights are a local file).
    for path in (corrupt, vgg19_weights)[: 1 if vgg19_weights == "imagenet" else 2]:
        with pytest.raises(ValueError, match="does not hold VGG16 conv weights"):
            build_vgg16_classifier((32, 32, 3), weights=str(path))


def test_model_with_style_augmentation_saves_and_reloads(tmp_path, make_net):
    from keras_style_aug.layers import RandomStyleTransfer

    model = build_vgg16_classifier(
        (32, 32, 3),
        weights=None,
        dense_units=4,
        trainable_blocks=0,
        augmentation=RandomStyleTransfer(styles=[make_net("a")], rate=0.5),
    )
    model.save(tmp_path / "m.keras")
    again = keras.saving.load_model(tmp_path / "m.keras")
    x = np.random.default_rng(0).uniform(0, 255, (2, 32, 32, 3)).astype("float32")
    np.testing.assert_allclose(
        again.predict(x, verbose=0), model.predict(x, verbose=0), rtol=1e-5
    )


@pytest.mark.parametrize("name", BASELINES + ("flip",))
def test_baseline_augmentations_change_images_and_keep_labels(name):
    import tensorflow as tf

    rng = np.random.default_rng(0)
    images = rng.uniform(0, 255, (4, 32, 32, 3)).astype("float32")
    labels = np.array([0, 1, 1, 0])
    layer = baseline_augmentation(name, seed=1)
    ds = (
        tf.data.Dataset.from_tensor_slices((images, labels))
        .batch(4)
        .map(lambda x, y: (layer(x, training=True), y))
    )
    out, out_labels = next(iter(ds))
    np.testing.assert_array_equal(out_labels.numpy(), labels)
    diff = np.abs(out.numpy() - images).mean()
    if name == "none":
        assert diff == 0
    else:
        assert diff > 1
        np.testing.assert_allclose(
            layer(images, training=False).numpy(), images, atol=1e-3
        )
    for wrong in ("mirror", "pan+pan", "pan+"):
        with pytest.raises(ValueError, match="Unknown baseline"):
            baseline_augmentation(wrong)


def test_class_styles_inside_a_stack_make_a_label_aware_model(make_net):
    # Found only on the layer itself before: the stack's model failed in fit
    # ("RandomStyleTransfer with `class_styles` needs the labels").
    from keras_style_aug.classifiers import LabelAwareClassifier
    from keras_style_aug.classifiers import with_labels
    from keras_style_aug.layers import RandomStyleTransfer

    stack = keras.Sequential(
        [
            keras.layers.RandomFlip("horizontal", seed=0),
            RandomStyleTransfer(
                styles=[make_net("a")], class_styles={1: "a"}, rate=1.0, seed=0
            ),
        ]
    )
    model = build_vgg16_classifier(
        (32, 32, 3), weights=None, dense_units=4, trainable_blocks=0, augmentation=stack
    )
    assert isinstance(model, LabelAwareClassifier)
    x = np.random.default_rng(0).uniform(0, 255, (4, 32, 32, 3)).astype("float32")
    y = np.array([0, 1, 0, 1], "float32")
    history = model.fit(with_labels(x, y), y, batch_size=4, epochs=1, verbose=0)
    assert np.isfinite(history.history["loss"][0])


def test_a_label_aware_model_refuses_to_train_on_images_alone(make_net):
    # model.fit(images, labels) trained without the augmentation, silently;
    # a dict without labels failed with a KeyError inside the model.
    from keras_style_aug.classifiers import with_labels
    from keras_style_aug.layers import RandomStyleTransfer

    layer = RandomStyleTransfer(styles=[make_net("a")], class_styles={1: "a"})
    model = build_vgg16_classifier(
        (32, 32, 3), weights=None, dense_units=4, trainable_blocks=0, augmentation=layer
    )
    x = np.random.default_rng(0).uniform(0, 255, (4, 32, 32, 3)).astype("float32")
    y = np.array([0, 1, 0, 1], "float32")
    for wrong, named in ((x, "images alone"), ({"images": x}, r"\['images'\]")):
        with pytest.raises(ValueError, match=rf"with_labels.*received {named}"):
            model.fit(wrong, y, batch_size=4, epochs=1, verbose=0)
    if keras.backend.backend() == "tensorflow":
        import tensorflow as tf

        dataset = tf.data.Dataset.from_tensor_slices((x, y)).batch(4)
        with pytest.raises(ValueError, match="received images alone"):
            model.fit(dataset, epochs=1, verbose=0)
        # A generator is seen only when the step is traced; a fit after the
        # error still trains (the failed trace stayed cached, and failed
        # again). On JAX, Keras has freed the weights by then (the model is
        # lost, as on any error inside an epoch there).
        with pytest.raises(ValueError, match="received images alone"):
            model.fit(((x, y) for _ in range(2)), steps_per_epoch=1, verbose=0)
    model.fit(with_labels(x, y), y, 4, 1, verbose=0)  # positional batch, epochs
    predicted = model.predict(x, verbose=0)
    np.testing.assert_allclose(model.predict(with_labels(x, y), verbose=0), predicted)
    assert model.evaluate(x, y, verbose=0)[0] >= 0  # validation: images alone


def test_input_sizes_and_augmentations_the_classifier_cannot_take():
    # Both failed inside Keras: a Flatten of an unknown size, a str called.
    with pytest.raises(ValueError, match="fixed height and width of 32 pixels"):
        build_vgg16_classifier((None, None, 3), weights=None)
    with pytest.raises(ValueError, match="fixed height and width of 32 pixels"):
        build_vgg16_classifier((16, 16, 3), weights=None)
    with pytest.raises(TypeError, match="`augmentation` must be a Keras layer"):
        build_vgg16_classifier((32, 32, 3), weights=None, augmentation="flip")
