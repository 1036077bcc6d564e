import json

import keras
import numpy as np
import pytest

from keras_style_aug.losses import norm_spikes
from keras_style_aug.networks import TransformerNet
from keras_style_aug.training import StyleTrainer
from keras_style_aug.training.content_data import ContentBatches
from keras_style_aug.training.style_model import StyleModel

rng = np.random.default_rng(0)
CONTENT = rng.uniform(0, 255, (6, 32, 32, 3)).astype("uint8")
STYLE = rng.uniform(0, 255, (32, 32, 3)).astype("uint8")


def tiny_trainer(tmp_path, steps, style=STYLE, normalization="instance", **kwargs):
    keras.utils.set_random_seed(0)
    names = list(style) if isinstance(style, dict) else None
    net = TransformerNet(
        filters=(8, 16, 16),
        residual_blocks=1,
        name="toy",
        style_names=names,
        normalization=normalization,
    )
    kwargs.setdefault("checkpoint_every", steps)
    kwargs.setdefault("vgg_weights", None)
    kwargs.setdefault("image_size", 32)
    kwargs.setdefault("style_layers", ("conv1_2", "conv2_2"))
    return StyleTrainer(
        style,
        kwargs.pop("content", CONTENT),
        name="toy",
        network=net,
        batch_size=2,
        steps=steps,
        output_dir=tmp_path,
        verbose=0,
        content_layers=("conv2_2",),
        **kwargs,
    )


def test_twenty_steps_lower_the_loss(tmp_path, monkeypatch):
    trainer = tiny_trainer(tmp_path, steps=20, learning_rate=1e-2)
    x = CONTENT[:4].astype("float32")
    before = float(trainer.loss(trainer.net(x), x)["total"])
    calls = []
    call = StyleModel.call
    monkeypatch.setattr(StyleModel, "call", lambda *a: calls.append(1) or call(*a))
    entry = trainer.fit()
    after = float(trainer.loss(trainer.net(x), x)["total"])
    assert after < 0.5 * before
    if keras.backend.backend() == "tensorflow":
        # Built once, the step traced once (Adam's slots made before fit: a
        # step that creates them is traced twice).
        assert len(calls) == 2
    # Outputs: weights, manifest entry, sample sheet.
    assert (tmp_path / "toy.weights.h5").is_file()
    saved = json.loads((tmp_path / "toy.json").read_text())
    assert saved == entry and entry["steps"] == 20 and entry["image_size"] == 32
    assert set(entry["final_losses"]) == {"content", "style", "tv", "total"}
    assert entry["backend"] == keras.backend.backend() and entry["wall_time_s"] > 0
    assert (tmp_path / "samples" / "latest.png").is_file()
    reloaded = TransformerNet.from_weights_file(tmp_path / "toy.weights.h5")
    np.testing.assert_allclose(
        keras.ops.convert_to_numpy(reloaded(x)),
        keras.ops.convert_to_numpy(trainer.net(x)),
        atol=2.0,
    )  # float16 storage


def test_two_styles_in_one_network_both_improve(tmp_path, vgg19_weights):
    keras.utils.set_random_seed(0)
    stripes = np.stack([(np.sin(np.arange(32) / 2.0) > 0) * 255.0] * 32)
    stripes = np.repeat(stripes[..., None], 3, axis=-1).astype("uint8")
    styles = {"vertical": stripes, "horizontal": stripes.transpose(1, 0, 2)}
    net = TransformerNet(
        filters=(8, 16, 16), residual_blocks=1, name="pair", style_names=list(styles)
    )
    trainer = StyleTrainer(
        styles,
        CONTENT,
        name="pair",
        network=net,
        image_size=32,
        batch_size=4,
        steps=60,
        checkpoint_every=30,
        learning_rate=1e-2,
        style_weight=1e-4,
        tv_weight=0.0,
        vgg_weights=vgg19_weights,
        output_dir=tmp_path,
        verbose=0,
        content_layers=("conv2_2",),
    )
    x = CONTENT.astype("float32")

    def total(style, target):
        index = np.full(len(x), target, "int32")
        return float(trainer.loss(net(x, style=style), x, index)["total"])

    before = [total(i, i) for i in range(2)]
    entry = trainer.fit()
    after = [total(i, i) for i in range(2)]
    assert after[0] < 0.9 * before[0] and after[1] < 0.9 * before[1]
    # Each style's row learned its own target, not the other's.
    assert total(0, 0) < total(1, 0) and total(1, 1) < total(0, 1)
    assert entry["styles"] == ["vertical", "horizontal"]
    from keras_style_aug import styles as registry

    loaded = registry.load(tmp_path / "pair.weights.h5")  # names from pair.json
    assert loaded.style_names == ("vertical", "horizontal")


@pytest.mark.parametrize("weight", [0.0, 1e6])
def test_only_the_saturation_penalty_frees_a_saturated_output(tmp_path, weight):
    # conv_out's bias at 6: every output pixel deep in tanh's flat tail
    # (pure white), where the perceptual loss has almost no gradient.
    trainer = tiny_trainer(tmp_path, steps=20, saturation_weight=weight)
    trainer.net.build()
    bias = next(v for v in trainer.net.weights if v.path.endswith("conv_out_bias"))
    bias.assign(np.full(bias.shape, 6.0, "float32"))
    x = CONTENT[:4].astype("float32")

    def saturated():
        pre = keras.ops.convert_to_numpy(trainer.net(x, with_pre_tanh=True)[1])
        return float(np.mean(np.abs(pre) > 3))

    assert saturated() > 0.99
    entry = trainer.fit()
    if weight:
        assert saturated() < 0.2
        assert entry["saturation_weight"] == weight
        assert "saturation" in entry["final_losses"]
    else:
        assert saturated() > 0.9  # the loss alone cannot move it
        assert "saturation_weight" not in entry


def test_the_spike_penalty_lowers_the_upsampling_stages_spikes(tmp_path):
    x = CONTENT[:4].astype("float32")
    spikes = {}
    for weight in (0.0, 1e4):
        trainer = tiny_trainer(
            tmp_path / str(weight), steps=20, spike_weight=weight, spike_bound=2.0
        )
        norms = trainer.net(x, with_upsampling_norms=True)[1]
        before = float(keras.ops.convert_to_numpy(norm_spikes(norms, 2.0)))
        entry = trainer.fit()
        norms = trainer.net(x, with_upsampling_norms=True)[1]
        spikes[weight] = float(keras.ops.convert_to_numpy(norm_spikes(norms, 2.0)))
        assert ("spikes" in entry["final_losses"]) == bool(weight)
        assert entry.get("spike_weight") == (weight or None)
    assert before > 0
    assert spikes[1e4] < 0.5 * spikes[0.0]


class _Crash(keras.callbacks.Callback):
    def on_epoch_end(self, epoch, logs=None):
        self.weights = [w.copy() for w in self.model.net.get_weights()]
        raise KeyboardInterrupt


class _Start(keras.callbacks.Callback):
    def on_train_begin(self, logs=None):
        self.iterations = int(self.model.optimizer.iterations.numpy())
        self.weights = self.model.net.get_weights()
        opt_vars = [v.numpy() for v in self.model.optimizer.variables]
        self.moment_norm = sum(float(np.abs(v).sum()) for v in opt_vars[2:])


@pytest.mark.parametrize(
    "style", [STYLE, {"a": STYLE, "b": 255 - STYLE}], ids=["one style", "two styles"]
)
def test_kill_and_resume_restores_steps_and_optimizer(tmp_path, style):
    crash = _Crash()
    with pytest.raises(KeyboardInterrupt):
        tiny_trainer(tmp_path, steps=6, style=style, checkpoint_every=3).fit(
            callbacks=[crash]
        )
    assert (tmp_path / "checkpoint").is_dir()
    start = _Start()
    entry = tiny_trainer(tmp_path, steps=6, style=style, checkpoint_every=3).fit(
        callbacks=[start]
    )
    assert start.iterations == 3  # resumed after the first checkpoint
    assert start.moment_norm > 0  # Adam moments restored, not fresh zeros
    for w, v in zip(crash.weights, start.weights):
        np.testing.assert_array_equal(w, v)
    assert entry["steps"] == 6
    assert (tmp_path / "checkpoint").is_dir()  # kept: a run can be extended


def test_a_resumed_run_draws_other_batches(tmp_path, monkeypatch):
    drawn = []
    draw = ContentBatches.__getitem__

    def recorded(self, index):
        batch = draw(self, index)
        drawn.append(np.array(batch[0]))
        return batch

    monkeypatch.setattr(ContentBatches, "__getitem__", recorded)
    with pytest.raises(KeyboardInterrupt):
        tiny_trainer(tmp_path, steps=4, checkpoint_every=2).fit(callbacks=[_Crash()])
    before = drawn[:2]
    drawn.clear()
    tiny_trainer(tmp_path, steps=4, checkpoint_every=2).fit()
    # Steps 3 and 4 get batches of their own, not steps 1 and 2's again.
    assert len(before) == len(drawn[:2]) == 2
    assert not all(np.array_equal(a, b) for a, b in zip(before, drawn))


def test_a_resumed_run_reads_a_dataset_on_from_where_it_stopped(tmp_path, monkeypatch):
    tf = pytest.importorskip("tensorflow")
    from keras_style_aug.training import content_data

    # Five images, each one flat grey value: a batch's values name its images.
    flat = np.arange(5, dtype="uint8")[:, None, None, None] * np.ones((1, 32, 32, 3))
    values = tf.data.Dataset.from_tensor_slices(flat.astype("uint8"))

    def firsts(batches, n):
        return [list(np.asarray(x)[:, 0, 0, 0]) for x, _ in batches.take(n)]

    run = content_data.tf_dataset_batches(values, 32, 2)
    assert firsts(run, 4) == [[0, 1], [2, 3], [4, 0], [1, 2]]
    resumed = content_data.tf_dataset_batches(values, 32, 2, start_step=3)
    assert firsts(resumed, 2) == [[1, 2], [3, 4]]  # the run's 4th and 5th
    styled = content_data.tf_dataset_batches(values, 32, 2, num_styles=7)
    later = content_data.tf_dataset_batches(values, 32, 2, num_styles=7, start_step=1)
    indices = [np.asarray(x["styles"]) for x, _ in styled.take(2)]
    np.testing.assert_array_equal(next(iter(later))[0]["styles"], indices[1])

    if keras.backend.backend() != "tensorflow":
        return
    starts = []
    build = content_data.tf_dataset_batches

    def recorded(*args, start_step=0, **kwargs):
        starts.append(start_step)
        return build(*args, start_step=start_step, **kwargs)

    monkeypatch.setattr(content_data, "tf_dataset_batches", recorded)
    with pytest.raises(KeyboardInterrupt):
        tiny_trainer(tmp_path, steps=4, checkpoint_every=2, content=values).fit(
            callbacks=[_Crash()]
        )
    assert starts == [0]
    tiny_trainer(tmp_path, steps=4, checkpoint_every=2, content=values).fit()
    assert starts == [0, 0, 2]  # built, then rebuilt after the 2 steps trained


def test_a_finished_run_is_extended_not_restarted(tmp_path):
    first = tiny_trainer(tmp_path, steps=4, checkpoint_every=2).fit()
    weights = (tmp_path / "toy.weights.h5").read_bytes()
    again = tiny_trainer(tmp_path, steps=4, checkpoint_every=2).fit()
    assert again == first  # nothing more to train: the saved result
    assert (tmp_path / "toy.weights.h5").read_bytes() == weights
    start = _Start()
    longer = tiny_trainer(tmp_path, steps=6, checkpoint_every=2).fit(callbacks=[start])
    assert start.iterations == 4  # trained on from the finished run
    assert longer["steps"] == 6 and longer["wall_time_s"] > first["wall_time_s"]


def test_a_learning_rate_schedule_is_followed_recorded_and_resumed(tmp_path):
    # Rate 0 at step 0, then a warmup: the first step must leave the network
    # as it was, the steps after it (resumed from the checkpoint) move it.
    schedule = keras.optimizers.schedules.CosineDecay(
        0.0, 4, warmup_target=1e-3, warmup_steps=2
    )
    trainer = tiny_trainer(
        tmp_path, steps=1, checkpoint_every=1, learning_rate=schedule
    )
    begin = _Start()
    entry = trainer.fit(callbacks=[begin])
    start = begin.weights
    assert len(start) == len(trainer.net.get_weights()) > 0
    for w, v in zip(start, trainer.net.get_weights()):
        np.testing.assert_array_equal(w, v)
    recorded = json.loads((tmp_path / "toy.json").read_text())["learning_rate"]
    assert recorded == entry["learning_rate"]
    assert recorded["class_name"] == "CosineDecay"
    assert recorded["config"]["warmup_target"] == 1e-3
    longer = tiny_trainer(tmp_path, steps=3, checkpoint_every=1, learning_rate=schedule)
    resumed = _Start()
    assert longer.fit(callbacks=[resumed])["steps"] == 3
    assert resumed.iterations == 1
    moved = [np.abs(w - v).max() for w, v in zip(start, longer.net.get_weights())]
    assert max(moved) > 0
    other = keras.optimizers.schedules.CosineDecay(0.0, 8, warmup_target=1e-3)
    with pytest.raises(ValueError, match="other settings.*learning_rate"):
        tiny_trainer(tmp_path, steps=4, checkpoint_every=1, learning_rate=other).fit()


def test_content_from_folder_and_tf_dataset(tmp_path):
    from PIL import Image

    tf = pytest.importorskip("tensorflow")

    folder = tmp_path / "photos"
    folder.mkdir()
    for i, im in enumerate(CONTENT[:3]):
        Image.fromarray(im).resize((40, 36)).save(folder / f"{i}.jpg")
    (folder / "notes.txt").write_text("ignored")
    trainer = tiny_trainer(tmp_path / "a", steps=2, content=str(folder))
    assert trainer.batches.images.shape == (3, 32, 32, 3)
    ds = tf.data.Dataset.from_tensor_slices(CONTENT)
    if keras.backend.backend() == "tensorflow":
        entry = tiny_trainer(tmp_path / "b", steps=2, content=ds).fit()
        assert entry["steps"] == 2
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(ValueError, match="No readable images"):
        tiny_trainer(tmp_path / "c", steps=2, content=str(empty))


def test_coco_content_path_under_tfds_mock(tmp_path):
    tfds = pytest.importorskip("tensorflow_datasets")
    if keras.backend.backend() != "tensorflow":
        pytest.skip("tf.data content needs the TensorFlow backend")
    with tfds.testing.mock_data(
        num_examples=4, policy=tfds.testing.MockPolicy.USE_CODE
    ):
        trainer = tiny_trainer(tmp_path, steps=2, content="coco")
        entry = trainer.fit()
    assert entry["steps"] == 2 and np.isfinite(entry["final_losses"]["total"])


def test_coco_offline_says_to_pass_a_folder(tmp_path, monkeypatch):
    tfds = pytest.importorskip("tensorflow_datasets")

    def offline(*args, **kwargs):  # after TFDS's retries, a traceback was all
        raise ConnectionError("Failed to resolve 'images.cocodataset.org'")

    monkeypatch.setattr(tfds, "load", offline)
    with pytest.raises(OSError, match=r"coco/2017 \(ConnectionError; offline\?\)"):
        tiny_trainer(tmp_path, steps=2, content="coco")


def test_an_affine_network_trains_and_its_file_says_so(tmp_path):
    trainer = tiny_trainer(
        tmp_path, steps=20, learning_rate=1e-2, normalization="affine"
    )
    x = CONTENT[:4].astype("float32")
    before = float(trainer.loss(trainer.net(x), x)["total"])
    entry = trainer.fit()
    # With the saturation penalty it trains with by default, more slowly.
    assert float(trainer.loss(trainer.net(x), x)["total"]) < 0.75 * before
    assert entry["network"]["normalization"] == "affine"
    assert entry["saturation_weight"] == 1e6
    reloaded = TransformerNet.from_weights_file(tmp_path / "toy.weights.h5")
    assert reloaded.normalization == "affine"
    np.testing.assert_allclose(
        keras.ops.convert_to_numpy(reloaded(x)),
        keras.ops.convert_to_numpy(trainer.net(x)),
        atol=2.0,
    )  # float16 storage


def test_normalization_builds_a_preset_and_must_agree_with_a_network(tmp_path):
    trainer = StyleTrainer(
        STYLE,
        CONTENT,
        network="lite",
        normalization="affine",
        vgg_weights=None,
        image_size=32,
        output_dir=tmp_path,
    )
    assert trainer.net.normalization == "affine"
    assert trainer.net.filters == (16, 32, 64)
    # Without statistics it trains with the saturation penalty unless told.
    assert trainer.penalties == {"saturation": (1e6, 2.0)}
    assert trainer.settings["network"]["normalization"] == "affine"
    told = StyleTrainer(
        STYLE,
        CONTENT,
        network=TransformerNet.from_preset("lite", normalization="affine"),
        saturation_weight=0.0,
        vgg_weights=None,
        image_size=32,
        output_dir=tmp_path,
    )
    assert told.penalties == {}
    with pytest.raises(ValueError, match="normalization='instance'.*affine"):
        StyleTrainer(
            STYLE,
            CONTENT,
            network=TransformerNet.from_preset("lite"),
            normalization="affine",
            vgg_weights=None,
            image_size=32,
            output_dir=tmp_path,
        )
    with pytest.raises(ValueError, match="`normalization` must be one of"):
        StyleTrainer(STYLE, CONTENT, network="lite", normalization="batch")


def test_bad_arguments(tmp_path):
    with pytest.raises(ValueError, match="steps"):
        tiny_trainer(tmp_path, steps=0)
    # 0..1 photos look black to VGG-19: trained on, without a word.
    with pytest.warns(UserWarning, match="takes photos in 0..255"):
        tiny_trainer(tmp_path, steps=2, content=CONTENT / 255.0)
    # 2.7 trained 2 steps; "10" failed in a comparison with '<'.
    for steps in (2.7, "10", True):
        with pytest.raises(ValueError, match=r"`steps` must be a whole number >= 1"):
            tiny_trainer(tmp_path, steps=steps)
    with pytest.raises(ValueError, match="content"):
        tiny_trainer(tmp_path, steps=2, content=np.zeros((2, 8, 8)))
    with pytest.raises(ValueError, match="saturation_weight"):
        tiny_trainer(tmp_path, steps=2, saturation_weight=-1.0)
    with pytest.raises(ValueError, match="`learning_rate` must be > 0"):
        tiny_trainer(tmp_path, steps=2, learning_rate=-1e-3)
    # Failed at the first checkpoint, inside the network, after training.
    with pytest.raises(ValueError, match=r"`sample_images` must be \(N, H, W, 3\)"):
        tiny_trainer(tmp_path, steps=2, sample_images=np.zeros((2, 5, 5, 3)))
    # Under 8 pixels VGG-19's pooling failed inside Keras (MaxPooling2D).
    with pytest.raises(ValueError, match=r"`image_size` must be a whole number >= 8"):
        tiny_trainer(tmp_path, steps=2, image_size=4)
    # Arrays are used as they are: their size must be the one recorded.
    with pytest.raises(ValueError, match="16x16 but image_size=32"):
        tiny_trainer(tmp_path, steps=2, content=CONTENT[:, :16, :16])
    nan = CONTENT.astype("float32")
    nan[0, 0, 0, 0] = np.nan
    with pytest.raises(ValueError, match="`content` holds NaN"):
        tiny_trainer(tmp_path, steps=2, content=nan)
    # A conv5 layer (Gatys's style layers) needs 16 pixels: 8 failed in fit.
    with pytest.raises(ValueError, match=r"image_size=8 is too small.*16x16"):
        tiny_trainer(
            tmp_path,
            steps=2,
            image_size=8,
            content=CONTENT[:, :8, :8],
            style_layers=("conv1_1", "conv5_1"),
        )
    with pytest.raises(ValueError, match="missing.jpg does not exist"):
        tiny_trainer(tmp_path, steps=2, style=str(tmp_path / "missing.jpg"))
    # "" wrote a hidden ".weights.h5"; "a:b" would load as style b of "a";
    # "a/b" failed in Keras's layer-name check.
    for bad in ("", ".hidden", "my:style", "a/b"):
        with pytest.raises(ValueError, match="`name` names the style and its file"):
            StyleTrainer(STYLE, CONTENT, name=bad, image_size=32, vgg_weights=None)


def test_an_empty_dataset_is_refused_by_name(tmp_path):
    tf = pytest.importorskip("tensorflow")
    if keras.backend.backend() != "tensorflow":
        pytest.skip("tf.data content: the TensorFlow backend")
    empty = tf.data.Dataset.from_tensor_slices(np.zeros((0, 32, 32, 3), "float32"))
    with pytest.raises(ValueError, match="`content` is an empty tf.data.Dataset"):
        tiny_trainer(tmp_path, steps=2, content=empty)  # was a bare StopIteration


def test_a_diverged_run_stops_and_keeps_the_last_finite_checkpoint(tmp_path):
    tf = pytest.importorskip("tensorflow")
    if keras.backend.backend() != "tensorflow":
        pytest.skip("tf.data content: the TensorFlow backend")
    tiny_trainer(tmp_path, steps=2, checkpoint_every=2).fit()
    kept = (tmp_path / "checkpoint" / "latest.weights.h5").read_bytes()
    result = (tmp_path / "toy.weights.h5").read_bytes()
    # NaN pixels from a stream (not checkable up front), trained on further.
    nan = tf.data.Dataset.from_tensor_slices(np.full((4, 32, 32, 3), np.nan, "float32"))
    with pytest.raises(FloatingPointError, match="diverged.*loss was nan"):
        tiny_trainer(tmp_path, steps=4, checkpoint_every=2, content=nan).fit()
    assert (tmp_path / "checkpoint" / "latest.weights.h5").read_bytes() == kept
    assert (tmp_path / "toy.weights.h5").read_bytes() == result
    # Diverged before any checkpoint: the message promised one all the same.
    with pytest.raises(FloatingPointError, match="No checkpoint was written before"):
        tiny_trainer(tmp_path / "fresh", steps=2, content=nan).fit()


def test_time_limit_stops_early_and_records_the_steps_done(tmp_path):
    trainer = tiny_trainer(tmp_path, steps=50, checkpoint_every=10, time_limit_s=1e-3)
    entry = trainer.fit()
    assert entry["steps"] == 1  # the limit passed during the first step
    assert (tmp_path / "toy.weights.h5").is_file()
    assert json.loads((tmp_path / "toy.json").read_text())["steps"] == 1


class _Steps(keras.callbacks.Callback):
    """The optimizer's step counter after every batch of a run."""

    def on_train_begin(self, logs=None):
        self.seen = []

    def on_train_batch_end(self, batch, logs=None):
        self.seen.append(int(self.model.optimizer.iterations.numpy()))


def test_steps_that_are_no_whole_number_of_checkpoints(tmp_path):
    # 5 steps, a checkpoint every 2: the third epoch stops after one step.
    steps = _Steps()
    first = tiny_trainer(tmp_path, steps=5, checkpoint_every=2).fit(callbacks=[steps])
    assert steps.seen == [1, 2, 3, 4, 5] and first["steps"] == 5
    weights = (tmp_path / "toy.weights.h5").read_bytes()
    again = tiny_trainer(tmp_path, steps=5, checkpoint_every=2).fit(callbacks=[steps])
    assert steps.seen == [] and again == first  # no step beyond the 5
    assert (tmp_path / "toy.weights.h5").read_bytes() == weights
    longer = tiny_trainer(tmp_path, steps=8, checkpoint_every=2).fit(callbacks=[steps])
    assert steps.seen == [6, 7, 8] and longer["steps"] == 8


def test_a_run_stopped_by_its_time_limit_resumes_where_it_stopped(tmp_path):
    cut = tiny_trainer(tmp_path, steps=6, checkpoint_every=3, time_limit_s=1e-3)
    assert cut.fit()["steps"] == 1  # inside the first epoch of 3 steps
    steps = _Steps()
    entry = tiny_trainer(tmp_path, steps=6, checkpoint_every=3).fit(callbacks=[steps])
    # Not from "epoch 1" (step 3): the two steps left of the cut epoch count.
    assert steps.seen == [2, 3, 4, 5, 6] and entry["steps"] == 6


def interrupted_run(tmp_path, **kwargs):
    with pytest.raises(KeyboardInterrupt):
        tiny_trainer(tmp_path, steps=6, checkpoint_every=3, **kwargs).fit(
            callbacks=[_Crash()]
        )
    assert (tmp_path / "checkpoint" / "latest.weights.h5").is_file()


def test_resuming_with_other_settings_is_refused(tmp_path):
    interrupted_run(tmp_path)
    for change, named in [
        ({"style": 255 - STYLE}, "style_images_sha256"),
        ({"learning_rate": 0.01}, "learning_rate"),
        ({"tv_weight": 1.0}, "tv_weight"),
        ({"normalization": "affine"}, "normalization"),
    ]:
        with pytest.raises(ValueError, match=f"other settings.*{named}.*delete"):
            tiny_trainer(tmp_path, steps=6, checkpoint_every=3, **change).fit()
    assert not (tmp_path / "toy.json").exists()  # nothing written with new settings


def test_resuming_with_other_vgg_weights_is_refused(tmp_path, vgg19_weights):
    interrupted_run(tmp_path)  # with random VGG weights
    with pytest.raises(ValueError, match="other settings.*vgg_weights.*delete"):
        tiny_trainer(
            tmp_path, steps=6, checkpoint_every=3, vgg_weights=vgg19_weights
        ).fit()


class _CrashAt(keras.callbacks.Callback):
    def __init__(self, epoch):
        super().__init__()
        self.epoch = epoch

    def on_epoch_end(self, epoch, logs=None):
        if epoch == self.epoch:
            raise KeyboardInterrupt


def test_a_checkpoint_cut_short_falls_back_or_says_what_to_do(tmp_path):
    with pytest.raises(KeyboardInterrupt):  # after the second checkpoint
        tiny_trainer(tmp_path, steps=9, checkpoint_every=3).fit(callbacks=[_CrashAt(1)])
    latest = tmp_path / "checkpoint" / "latest.weights.h5"
    good = latest.read_bytes()
    latest.write_bytes(good[:500])  # a write cut short
    start = _Start()  # two slots: the run resumes from the first checkpoint
    with pytest.raises(KeyboardInterrupt):
        tiny_trainer(tmp_path, steps=9, checkpoint_every=3).fit(
            callbacks=[start, _CrashAt(1)]
        )
    assert start.iterations == 3
    for backup in (tmp_path / "checkpoint").glob("*.bkp"):
        backup.unlink()  # one slot left, and it is cut short
    latest.write_bytes(latest.read_bytes()[:500])
    with pytest.raises(ValueError, match="cannot be read.*Delete"):
        tiny_trainer(tmp_path, steps=9, checkpoint_every=3).fit()


def toy_teacher(names=None):
    keras.utils.set_random_seed(7)
    teacher = TransformerNet(
        filters=(8, 16, 16), residual_blocks=1, name="teacher", style_names=names
    )
    teacher.build()
    return teacher


def test_distillation_alone_moves_the_network_to_its_teacher(tmp_path, monkeypatch):
    styles = {"a": STYLE, "b": 255 - STYLE}
    teacher = toy_teacher(list(styles))
    frozen = [w.copy() for w in teacher.get_weights()]
    trainer = tiny_trainer(
        tmp_path,
        steps=30,
        style=styles,
        learning_rate=1e-2,
        content_weight=0.0,
        style_weight=0.0,
        teacher=teacher,
    )
    # With content and style weights 0 the VGG-19 pass is skipped.
    monkeypatch.setattr(trainer.loss, "features", None)
    x = CONTENT.astype("float32")

    def distance():
        return np.mean(
            [
                np.mean(np.square(trainer.net(x, style=s) - teacher(x, style=s)))
                for s in ("a", "b")
            ]
        )

    before = distance()
    entry = trainer.fit()
    assert distance() < 0.75 * before
    assert set(entry["final_losses"]) == {"teacher", "tv", "total"}
    assert entry["teacher"]["name"] == "teacher" and entry["teacher_weight"] == 30.0
    for kept, now in zip(frozen, teacher.get_weights()):
        np.testing.assert_array_equal(kept, now)  # the teacher is not trained


def test_teacher_with_perceptual_loss_and_bad_teachers(tmp_path):
    trainer = tiny_trainer(tmp_path, steps=2, teacher=toy_teacher())
    entry = trainer.fit()
    assert set(entry["final_losses"]) == {"content", "style", "tv", "teacher", "total"}
    with pytest.raises(ValueError, match="`teacher` holds styles"):
        tiny_trainer(tmp_path, steps=2, teacher=toy_teacher(["a", "b"]))
    with pytest.raises(ValueError, match="`teacher` must be a trained TransformerNet"):
        tiny_trainer(tmp_path, steps=2, teacher="paintings6")
    with pytest.raises(ValueError, match="`teacher_weight` must be > 0"):
        tiny_trainer(tmp_path, steps=2, teacher=toy_teacher(), teacher_weight=0)
