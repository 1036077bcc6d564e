"""`StyleTrainer`'s fit loop: Keras `fit` in checkpointed epochs that a
rerun resumes, with sample pictures, a wall clock and a time limit."""

import math

import keras
import numpy as np

from keras_style_aug.training.callbacks import SafeBackupAndRestore
from keras_style_aug.training.callbacks import SampleWriter
from keras_style_aug.training.callbacks import TimeLimit
from keras_style_aug.training.callbacks import WallClock
from keras_style_aug.training.content_data import ContentBatches
from keras_style_aug.training.style_model import StyleModel
from keras_style_aug.utils.optimizer import build_optimizer


def fit_with_checkpoints(trainer, callbacks=()):
    """Trains `trainer`'s network (or resumes it from its checkpoint).

    Returns `(steps done, final losses, wall-clock seconds of every run)`;
    the final losses are `None` when the checkpoint already held every step
    asked for."""
    trainer.output_dir.mkdir(parents=True, exist_ok=True)
    model = StyleModel(
        trainer.net,
        trainer.loss,
        teacher=trainer.teacher,
        teacher_weight=trainer.teacher_weight,
        penalties=trainer.penalties,
        name="style_model",
    )
    model.compile(optimizer=keras.optimizers.Adam(trainer.learning_rate))
    first = trainer.samples[:1]
    if trainer.style_names:
        first = {"images": first, "styles": np.zeros((1,), "int32")}
    model(first)  # BackupAndRestore needs a built model
    build_optimizer(model)
    epochs = math.ceil(trainer.steps / trainer.checkpoint_every)
    checkpoint = trainer.output_dir / "checkpoint"
    # Not the batches trained on before. Read from the checkpoint's
    # metadata before `fit`: Keras fetches the first batches before the
    # callbacks restore the checkpoint.
    start_step = SafeBackupAndRestore.steps_saved(checkpoint)
    batches = trainer.batches
    if isinstance(batches, ContentBatches):
        batches.resume_after(start_step)
    elif start_step:  # a dataset: read on after the images trained on
        batches = trainer._read_dataset(start_step=start_step)
    clock = WallClock(checkpoint / "wall_time.json")
    history = model.fit(
        batches,
        epochs=epochs,
        steps_per_epoch=trainer.checkpoint_every,
        shuffle=isinstance(batches, ContentBatches),  # a dataset: its order
        verbose=trainer.verbose,
        callbacks=[
            SafeBackupAndRestore(str(checkpoint), trainer.fingerprint(), trainer.steps),
            clock,
            SampleWriter(trainer.net, trainer.samples, trainer.output_dir / "samples"),
            *([TimeLimit(trainer.time_limit_s)] if trainer.time_limit_s else []),
            *callbacks,
        ],
    )
    steps_done = int(keras.ops.convert_to_numpy(model.optimizer.iterations))
    logs = history.history
    if not logs:
        return steps_done, None, clock.total
    final = {key: float(logs[f"{key}_loss"][-1]) for key in model.trackers}
    final["total"] = float(logs["loss"][-1])
    return steps_done, final, clock.total
