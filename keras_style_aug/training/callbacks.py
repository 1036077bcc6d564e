"""Callbacks of `StyleTrainer`: wall time across resumed runs, a time limit,
and sample sheets at each checkpoint."""

import json
import math
import os
import shutil
import time
from pathlib import Path

import keras

from keras_style_aug.utils.files import write_text_atomically
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
            write_text_atomically(self.path, json.dumps({"wall_time_s": self.total}))


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
        steps = int(keras.ops.convert_to_numpy(self.model.optimizer.iterations))
        rows, labels = [list(self.images)], ["content"]
        for name in self.net.style_names or [None]:
            style = {} if name is None else {"style": name}
            stylized = self.net(self.images, **style)
            rows.append(list(keras.ops.convert_to_numpy(stylized)))
            labels.append(f"{name or ''} step {steps}".strip())
        sheet = contact_sheet(rows, row_labels=labels)
        save_image(sheet, self.folder / "latest.png")


class SafeBackupAndRestore(keras.callbacks.BackupAndRestore):
    """`BackupAndRestore` whose checkpoints survive a kill at any moment,
    belong to one configuration, and count steps, not epochs.

    Each checkpoint is written under a temporary name and renamed, the one
    before it kept as a fallback; `config.json` holds `fingerprint` (the
    settings that make a checkpoint meaningful). Resuming with other settings,
    or from a checkpoint no slot can load, is a `ValueError` that says which
    setting differs (or which file is bad) and how to start fresh.

    Training stops once the optimizer has taken `steps` steps in all (those
    of the runs before a resume included), also inside an epoch, and resumes
    at the step it stopped: an epoch cut short, by this limit or by
    `TimeLimit`, is not counted as whole. An epoch whose loss is NaN or
    infinite stops training with a `FloatingPointError` before its
    checkpoint is written, so the last finite one stays.
    """

    def __init__(self, backup_dir, fingerprint, steps):
        # The last checkpoint stays when training ends: a rerun with more
        # epochs trains on from it instead of starting over.
        super().__init__(backup_dir, double_checkpoint=True, delete_checkpoint=False)
        self.fingerprint = json.loads(json.dumps(fingerprint))
        self._config_path = Path(backup_dir) / "config.json"
        self.steps = int(steps)

    def on_train_begin(self, logs=None):
        if self._config_path.exists():
            saved = json.loads(self._config_path.read_text())
            differ = sorted(
                k
                for k in set(saved) | set(self.fingerprint)
                if saved.get(k) != self.fingerprint.get(k)
            )
            if differ:
                detail = "; ".join(
                    f"{k}: {saved.get(k)!r} in the checkpoint, "
                    f"{self.fingerprint.get(k)!r} now"
                    for k in differ
                )
                raise ValueError(
                    f"The checkpoint in {self.backup_dir} was made with other "
                    f"settings ({detail}). Rerun with the same settings to "
                    f"resume, or delete {self.backup_dir} (or pick another "
                    "output folder) to start fresh."
                )
        try:
            super().on_train_begin(logs)
        except Exception as first:
            if Path(self._prev_weights_path).exists():
                os.replace(self._prev_weights_path, self._weights_path)
                if Path(self._prev_training_metadata_path).exists():
                    os.replace(
                        self._prev_training_metadata_path, self._training_metadata_path
                    )
                try:
                    super().on_train_begin(logs)
                    return
                except Exception:
                    pass
            raise ValueError(
                f"The checkpoint in {self.backup_dir} cannot be read ({first}). "
                f"Delete {self.backup_dir} to start fresh."
            ) from None

    @staticmethod
    def steps_saved(backup_dir):
        """Steps done by the checkpoint in `backup_dir` (0 without one), read
        before training starts."""
        path = Path(backup_dir) / "training_metadata.json"
        try:
            return int(json.loads(path.read_text()).get("steps", 0))
        except (OSError, ValueError):
            return 0

    def _load_model(self):
        super()._load_model()
        # Counted from the restored step counter: no read of it per batch.
        self._steps_done = int(
            keras.ops.convert_to_numpy(self.model.optimizer.iterations)
        )
        self.model._initial_epoch = (
            self.params["epochs"]  # nothing left to train
            if self._steps_done >= self.steps
            else self._steps_done // self.params["steps"]
        )

    def on_epoch_end(self, epoch, logs=None):
        loss = (logs or {}).get("loss")
        if loss is not None and not math.isfinite(float(loss)):
            kept = (
                f"The checkpoint before them is kept in {self.backup_dir}; "
                "rerun to resume from it."
                if Path(self._weights_path).is_file()
                else "No checkpoint was written before them: a rerun starts over."
            )
            raise FloatingPointError(
                f"Training diverged: the loss was {float(loss)} over the steps "
                f"up to {self._steps_done}. {kept} Lower the learning rate (or "
                "check the content images for NaN) first."
            )
        super().on_epoch_end(epoch, logs)

    def on_train_batch_end(self, batch, logs=None):
        super().on_train_batch_end(batch, logs)
        self._steps_done += 1
        if self._steps_done >= self.steps:
            self.model.stop_training = True

    def _save_model(self):
        Path(self.backup_dir).mkdir(parents=True, exist_ok=True)
        if not self._config_path.exists():
            write_text_atomically(
                self._config_path, json.dumps(self.fingerprint, indent=2)
            )
        # The latest complete checkpoint stays in place until the new one
        # replaces it; a copy of it becomes the fallback.
        for path, previous in (
            (self._weights_path, self._prev_weights_path),
            (self._training_metadata_path, self._prev_training_metadata_path),
        ):
            if Path(path).exists():
                shutil.copyfile(path, previous + ".tmp")
                os.replace(previous + ".tmp", previous)
        tmp = self._weights_path + ".tmp.weights.h5"
        self.model.save_weights(filepath=tmp, overwrite=True)
        os.replace(tmp, self._weights_path)
        metadata = {
            "epoch": self._current_epoch,
            "batch": self._last_batch_seen,
            "steps": self._steps_done,
        }
        write_text_atomically(self._training_metadata_path, json.dumps(metadata))
