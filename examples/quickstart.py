"""Quickstart: the paper's classifier with style augmentation inside it,
trained for a few steps on the bundled cat/dog photos.

    python examples/quickstart.py            # about a minute on 2 CPU cores
"""

import keras
import numpy as np

from keras_style_aug import RandomStyleTransfer
from keras_style_aug import build_vgg16_classifier
from keras_style_aug.assets import asset_path
from keras_style_aug.data import load_class_folders

SIZE, PER_CLASS, STEPS = 64, 16, 4

data = load_class_folders(asset_path("cats_vs_dogs", "train"), SIZE, PER_CLASS)
# The recipe measured to help (README, "Does it help?"): a flip, then random
# styles on a quarter of the photos.
augment = keras.Sequential(
    [
        keras.layers.RandomFlip("horizontal", seed=0),
        RandomStyleTransfer(styles=["paintings4"], rate=0.25, seed=0),
    ]
)
model = build_vgg16_classifier(
    (SIZE, SIZE, 3),
    weights=str(asset_path("weights", "vgg16_imagenet_notop.weights.h5")),
    augmentation=augment,  # runs in training only; the identity at inference
    trainable_blocks=0,
)
history = model.fit(
    data.images, data.labels, batch_size=8, epochs=1, steps_per_epoch=STEPS, verbose=2
)
accuracy = np.mean((model.predict(data.images, verbose=0)[:, 0] > 0.5) == data.labels)
print(f"loss {history.history['loss'][-1]:.3f}, training-set accuracy {accuracy:.2f}")
