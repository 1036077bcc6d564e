import json

from keras_style_aug import benchmark
from keras_style_aug.cli.main import main


def test_benchmark_cli_writes_every_suite(tmp_path, assets, capsys):
    out = tmp_path / "bench.json"
    code = main(["benchmark", "--preset", "lite", "--sizes", "67", "--batch-sizes",
                 "1", "--policies", "float32", "--vgg16-weights",
                 str(assets / "weights" / "vgg16_imagenet_notop.weights.h5"),
                 "--overhead-size", "32", "--overhead-batch", "2", "--repeats", "1",
                 "--output", str(out)])
    assert code == 0
    results = json.loads(out.read_text())
    assert results["machine"]["backend"] in ("tensorflow", "jax", "torch")
    (row,) = results["table1"]
    assert row["size"] == 67 and row["paper_seconds"] == sum(
        benchmark.PAPER_TABLE1[67]) / 5
    assert row["speedup"] == row["paper_seconds"] / row["seconds"]
    rates = {r["rate"]: r["relative_to_rate_1"] for r in results["rate_cost"]}
    assert rates[1.0] == 1.0 and rates[0.0] < 0.2  # rate 0 skips the network
    assert [r["rate"] for r in results["training_overhead"]] == [None, 0.5, 1.0]
    assert "### table1" in capsys.readouterr().out
    (layout,) = results["layouts"]
    assert layout["speedup"] == (layout["phase_images_per_s"]
                                 / layout["plain_images_per_s"])
    full, lite = results["presets"]
    assert lite["parameters"] < full["parameters"] / 4
    assert lite["relative_to_full"] == lite["images_per_s"] / full["images_per_s"]
    mixed = {r["set-up"]: r for r in results["mixed_batches"]}
    separate = mixed["6 separate networks, a random one per image "
                     "(RandomStyleTransfer)"]["parameters"]
    one = mixed["1 single-style network"]["parameters"]
    shared = mixed["6-style network, a random mix per image"]["parameters"]
    assert separate == 6 * one and one < shared < 1.01 * one


def test_throughput_of_an_unbuilt_network():
    from keras_style_aug.networks import TransformerNet

    net = TransformerNet(filters=(4, 8, 8), residual_blocks=1)
    rows = benchmark.throughput(net, (1, 2), size=16, repeats=1)
    assert [r["batch"] for r in rows] == [1, 2]
    assert all(r["images_per_s"] > 0 for r in rows)
