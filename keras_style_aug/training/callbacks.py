"""Callbacks of `StyleTrainer`: wall time across resumed runs, a time limit,
and sample sheets at each checkpoint."""

import json
import time
from pathlib import Path

import keras
import numpy as np

from keras_style_aug.utils.images import contact_sheet
from keras_style_aug.utils.images import save_image


class WallClock(keras.callbacks.Callback):
    """Adds up training wall time across resumed runs."""

    def __init__(self, path):
        super().__init__()
        self.path = Path(path)
        self.before = 0.0
        if self.path.exists():
            self.before = json.loads(self.path.read_text())["wall_time_s"]
        self.start = time.time()

    @property
    def total(self):
        return self.before + time.time() - self.start

    def on_epoch_end(self, epoch, logs=None):
        if self.path.parent.exists():
            self.path.write_text(json.dumps({"wall_time_s": self.total}))

    def on_train_end(self, logs=None):
        self.path.unlink(missing_ok=True)


class TimeLimit(keras.callbacks.Callback):
    """Stops training once `seconds` have passed since it started."""

    def __init__(self, seconds):
        super().__init__()
        self.seconds = seconds

    def on_train_begin(self, logs=None):
        self.deadline = time.time() + self.seconds

    def on_train_batch_end(self, batch, logs=None):
        if time.time() > self.deadline:
            self.model.stop_training = True


class SampleWriter(keras.callbacks.Callback):
    """Saves a contact sheet of the current stylization at each checkpoint."""

    def __init__(self, net, images, folder):
        super().__init__()
        self.net, self.images, self.folder = net, images, Path(folder)

    def on_epoch_end(self, epoch, logs=None):
        steps = (epoch + 1) * self.params["steps"]
        rows, labels = [list(self.images)], ["content"]
        for name in self.net.style_names or [None]:
            style = {} if name is None else {"style": name}
            rows.append(list(np.asarray(self.net(self.images, **style))))
            labels.append(f"{name or ''} step {steps}".strip())
        sheet = contact_sheet(rows, row_labels=labels)
        save_image(sheet, self.folder / "latest.png")
