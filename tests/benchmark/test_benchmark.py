import json

import numpy as np
import pytest

from keras_style_aug import benchmark
from keras_style_aug.cli.main import main
from keras_style_aug.networks import TransformerNet


def test_benchmark_cli_writes_every_suite(tmp_path, capsys):
    out = tmp_path / "bench.json"
    code = main(
        [
            "benchmark",
            "--preset",
            "lite",
            "--sizes",
            "16",
            "--size",
            "16",
            "--batch-sizes",
            "2",
            "--policies",
            "float32",
            "--suites",
            *[s for s in benchmark.SUITES if s != "training_overhead"],
            "--repeats",
            "1",
            "--output",
            str(out),
        ]
    )
    assert code == 0
    results = json.loads(out.read_text())
    suites = set(benchmark.SUITES) - {"training_overhead"}
    assert suites <= set(results) and "training_overhead" not in results
    assert not [s for s in suites if "error" in results[s][0]]
    assert "### table1" in capsys.readouterr().out
    (row,) = results["table1"]
    assert row["size"] == 16 and row["paper_seconds"] is None and row["seconds"] > 0
    rows = results["rate_cost"]
    rates = {r["rate"]: r for r in rows if r["networks"] == 1}
    assert set(rates) == {1.0, 0.5, 0.25, 0.0}  # no timing compared: a busy
    assert rates[1.0]["relative_to_rate_1"] == 1.0  # machine may reorder them
    assert [r["networks"] for r in rows if r["rate"] == 0.5] == [1, 2, 3]
    full, lite = results["presets"]
    assert lite["parameters"] < full["parameters"] / 4
    stage_rows = results["stage_times"]
    assert [r["stage"] for r in stage_rows] == [
        "conv_in", "down1", "down2", "residual blocks", "up1", "up2", "conv_out",
        "whole network (one call)",
    ]  # fmt: skip
    assert sum(r["share"] for r in stage_rows[:-1]) == pytest.approx(1.0)
    assert all(r["milliseconds"] > 0 and r["tflop_per_s"] > 0 for r in stage_rows)
    mixed = {r["set-up"]: r for r in results["mixed_batches"]}
    separate = mixed[
        "6 separate networks, a random one per image (RandomStyleTransfer)"
    ]["parameters"]
    one = mixed["1 single-style network"]["parameters"]
    shared = mixed["6-style network, a random mix per image"]["parameters"]
    assert separate == 6 * one and one < shared < 1.05 * one  # norms only


def test_throughput_of_an_unbuilt_network():
    from keras_style_aug.networks import TransformerNet

    net = TransformerNet(filters=(4, 8, 8), residual_blocks=1)
    rows = benchmark.throughput(net, (1, 2), size=16, repeats=1)
    assert [r["batch"] for r in rows] == [1, 2]
    assert all(r["images_per_s"] > 0 for r in rows)
    assert np.isfinite([r["images_per_s"] for r in rows]).all()


def test_training_overhead_times_each_variant_against_the_plain_step():
    (row,) = benchmark.training_overhead(
        None, batch_sizes=(2,), sizes=(32,), repeats=1,
        variants=("none", "keras flip+translation", "style lite"),
    )  # fmt: skip
    assert (row["size"], row["batch"], row["rate"]) == (32, 2, 0.5)
    for variant in ("none", "keras flip+translation", "style lite"):
        assert row[f"{variant} s/step"] > 0
    assert {"keras flip+translation vs none", "style lite vs none"} <= set(row)


def test_stylize_can_return_each_stylized_images_mean():
    from keras_style_aug.benchmark.timing import Stylize
    from keras_style_aug.benchmark.timing import device_images
    from keras_style_aug.layers import RandomStyleTransfer
    from keras_style_aug.networks import TransformerNet

    net = TransformerNet(filters=(4, 8, 8), residual_blocks=1)
    layer = RandomStyleTransfer(styles=[net], rate=1.0, seed=0)  # deterministic
    x = device_images(3, 16)
    images = np.asarray(Stylize(layer).predict_on_batch(x))
    means = np.asarray(Stylize(layer, per_image_mean=True).predict_on_batch(x))
    assert images.shape == (3, 16, 16, 3) and means.shape == (3,)
    np.testing.assert_allclose(means, images.mean(axis=(1, 2, 3)), rtol=1e-5)
    assert np.ptp(means) > 0  # three different images, three different means


def test_stage_flops_add_up_to_the_papers_network():
    from keras_style_aug.benchmark.network_suites import stage_flops
    from keras_style_aug.networks import TransformerNet

    flops = stage_flops(TransformerNet.from_preset("full"), 224)
    # 15.4 GFLOP per image at 224x224 (the GPU-speed issue's count), 60% of
    # it in the five residual blocks.
    assert sum(flops.values()) == pytest.approx(15.4e9, rel=0.005)
    assert flops["residual blocks"] / sum(flops.values()) == pytest.approx(
        0.6, abs=0.01
    )
    assert (
        stage_flops(TransformerNet.from_preset("full"), 112)["up2"] * 4
        == (flops["up2"])
    )


def test_a_run_cut_short_keeps_the_suites_it_finished(tmp_path, monkeypatch):
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt  # Ctrl-C, or the device's timeout

    monkeypatch.setattr(benchmark, "stage_times", interrupted)
    out = tmp_path / "bench.json"
    with pytest.raises(KeyboardInterrupt):
        benchmark.run(
            [TransformerNet.from_preset("lite")],
            batch_sizes=(2,),
            policies=("float32",),
            repeats=1,
            suites=("presets", "stage_times"),
            size=16,
            output=out,
        )
    results = json.loads(out.read_text())
    assert set(results) == {"machine", "presets"}
    assert [r["preset"] for r in results["presets"]] == ["full", "lite"]
    assert list(tmp_path.iterdir()) == [out]  # no temporary file left
