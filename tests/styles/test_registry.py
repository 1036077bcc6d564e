import functools
import http.server
import json
import os
import shutil
import socket
import threading
import time

import keras
import numpy as np
import pytest

from keras_style_aug import styles
from keras_style_aug.layers import RandomStyleTransfer
from keras_style_aug.styles import registry


@pytest.fixture
def fake_manifest(tmp_path, monkeypatch, make_net):
    """A manifest with one style 'toy' whose file is served over HTTP."""
    served = tmp_path / "served"
    served.mkdir()
    good = served / "toy.weights.h5"
    make_net("toy", seed=5).save_weights(good)
    manifest = {
        "base_url": "http://127.0.0.1:9/",  # overridden by KSA_WEIGHTS_URL
        "styles": {"toy": {"file": "toy.weights.h5", "sha256": registry.sha256(good)}},
    }
    bundled = tmp_path / "bundled"
    bundled.mkdir()
    (bundled / "manifest.json").write_text(json.dumps(manifest))
    monkeypatch.setattr(registry, "_bundled_weights_dir", lambda: bundled)
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras_home"))
    monkeypatch.delenv("KSA_WEIGHTS_DIR", raising=False)
    return served


@pytest.fixture
def http_server(fake_manifest, monkeypatch):
    requests = []

    class Handler(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            requests.append(self.path)

    handler = functools.partial(Handler, directory=str(fake_manifest))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setenv("KSA_WEIGHTS_URL", f"http://127.0.0.1:{server.server_port}/")
    yield requests
    server.shutdown()


def test_download_is_fetched_cached_and_reused(http_server):
    net = styles.load("toy")
    assert net.name == "toy" and net.filters == (4, 8, 8)
    cached = registry.cache_dir() / "toy.weights.h5"
    assert cached.is_file()
    assert len(http_server) == 1
    again = styles.load("toy")
    assert len(http_server) == 1  # reused from the cache, no second request
    for w, v in zip(net.get_weights(), again.get_weights()):
        np.testing.assert_array_equal(w, v)


def test_tampered_download_is_refused_and_not_cached(http_server, fake_manifest):
    with open(fake_manifest / "toy.weights.h5", "r+b") as f:
        f.seek(2000)
        f.write(b"\xff" * 50)
    with pytest.raises(ValueError, match="but the manifest expects"):
        styles.load("toy")
    assert list(registry.cache_dir().iterdir()) == []  # no partial file either


def test_resolution_order_and_hash_check(fake_manifest, tmp_path, monkeypatch):
    user = tmp_path / "user"
    user.mkdir()
    shutil.copy(fake_manifest / "toy.weights.h5", user / "toy.weights.h5")
    monkeypatch.setenv("KSA_WEIGHTS_DIR", str(user))
    assert registry.resolve("toy") == user / "toy.weights.h5"
    (user / "toy.weights.h5").write_bytes(b"tampered")
    # KSA_WEIGHTS_DIR's copy: no advice to download (there may be no host).
    with pytest.raises(ValueError, match="style 'toy' has sha256.*another name"):
        styles.load("toy")


def test_user_styles_and_paths(tmp_path, monkeypatch, make_net, fake_manifest):
    user = tmp_path / "user"
    user.mkdir()
    make_net("mine").save_weights(user / "mine.weights.h5")
    monkeypatch.setenv("KSA_WEIGHTS_DIR", str(user))
    assert styles.available() == ["mine", "toy"]
    assert styles.load("mine").name == "mine"
    assert styles.load(str(user / "mine.weights.h5")).name == "mine"
    with pytest.raises(FileNotFoundError, match="does not exist"):
        styles.load(str(user / "missing.weights.h5"))
    with pytest.raises(ValueError, match=r"Unknown style 'nope'.*\['mine', 'toy'\]\."):
        styles.load("nope")
    # A mistyped folder was passed over without a word.
    monkeypatch.setenv("KSA_WEIGHTS_DIR", str(tmp_path / "usr"))
    with pytest.raises(ValueError, match=r"\['toy'\] \(KSA_WEIGHTS_DIR=.*usr is not a"):
        styles.load("mine")


def test_offline_download_failure_is_clear(fake_manifest, monkeypatch):
    monkeypatch.setenv("KSA_WEIGHTS_URL", "http://127.0.0.1:9/")
    with pytest.raises(OSError, match="Could not download style 'toy'"):
        styles.load("toy")


def test_a_host_that_never_answers_times_out(fake_manifest, monkeypatch):
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(1)  # accepts connections, never sends a byte
    monkeypatch.setenv(
        "KSA_WEIGHTS_URL", f"http://127.0.0.1:{silent.getsockname()[1]}/"
    )
    monkeypatch.setenv("KSA_DOWNLOAD_TIMEOUT", "0.5")
    try:
        with pytest.raises(OSError, match="timed out.*KSA_DOWNLOAD_TIMEOUT"):
            styles.load("toy")
    finally:
        silent.close()
    assert list(registry.cache_dir().iterdir()) == []


def refused_by_a_host(handler, monkeypatch, match):
    """`styles.load("toy")` from a local host answering with `handler`
    fails with an `OSError` matching `match` and caches nothing."""

    class Quiet(handler):
        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Quiet)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    monkeypatch.setenv("KSA_WEIGHTS_URL", f"http://127.0.0.1:{server.server_port}/")
    try:
        with pytest.raises(OSError, match=match):
            styles.load("toy")
    finally:
        server.shutdown()
    assert list(registry.cache_dir().iterdir()) == []


def test_a_download_cut_short_leaves_no_partial_file(fake_manifest, monkeypatch):
    data = (fake_manifest / "toy.weights.h5").read_bytes()

    class Truncating(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data[: len(data) // 2])  # then the connection drops

    refused_by_a_host(Truncating, monkeypatch, "Could not download style 'toy'")


def test_no_download_host_is_a_clear_error(fake_manifest, monkeypatch):
    manifest = json.loads(
        (registry._bundled_weights_dir() / "manifest.json").read_text()
    )
    manifest["base_url"] = None
    (registry._bundled_weights_dir() / "manifest.json").write_text(json.dumps(manifest))
    monkeypatch.delenv("KSA_WEIGHTS_URL", raising=False)
    with pytest.raises(OSError, match="no download host is set.*KSA_WEIGHTS_URL"):
        styles.load("toy")


def test_the_shipped_manifest_names_no_host_that_does_not_exist():
    assert styles.manifest()["base_url"] is None


def test_mismatched_file_names_the_style(tmp_path, make_net, fake_manifest):
    path = tmp_path / "odd.weights.h5"
    keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)]).save_weights(path)
    with pytest.raises(ValueError, match="Style 'odd'.*fit no TransformerNet"):
        RandomStyleTransfer(styles=[str(path)])


def test_shipped_manifest_matches_files():
    entries = styles.manifest()["styles"]
    folder = registry._bundled_weights_dir()
    for name, entry in entries.items():
        if "taken_from" in entry:  # no file: a row of a multi-style network
            assert "file" not in entry, name
            assert name in entries[entry["taken_from"]]["styles"], name
            continue
        path = folder / entry["file"]
        assert path.is_file(), f"{name}: {path} missing"
        assert registry.sha256(path) == entry["sha256"], name


def test_a_style_taken_out_of_a_network_stylizes_as_its_row():
    (name, source), *_ = (
        (n, e["taken_from"])
        for n, e in styles.manifest()["styles"].items()
        if "taken_from" in e
    )
    single, multi = styles.load(name), styles.load(source)
    assert single.name == name and single.style_names is None
    assert registry.resolve(name) == registry.resolve(source)
    x = np.random.default_rng(1).uniform(0, 255, (2, 24, 24, 3)).astype("float32")
    expected = np.asarray(multi(x, style=name))
    np.testing.assert_array_equal(np.asarray(single(x)), expected)
    other = next(s for s in multi.style_names if s != name)
    assert np.abs(np.asarray(multi(x, style=other)) - expected).mean() > 1


def test_every_shipped_style_changes_an_image():
    x = np.random.default_rng(0).uniform(0, 255, (1, 32, 32, 3)).astype("float32")
    for name in styles.manifest()["styles"]:
        layer = RandomStyleTransfer(styles=[name], rate=1.0)
        y = keras.ops.convert_to_numpy(layer(x))
        assert np.abs(y - x).mean() > 5, name


def test_multi_style_files_load_with_their_names(
    tmp_path, monkeypatch, make_net, fake_manifest
):
    user = tmp_path / "user"
    user.mkdir()
    make_net("duo", style_names=["x", "y"]).save_weights(user / "duo.weights.h5")
    make_net("solo").save_weights(user / "solo.weights.h5")
    monkeypatch.setenv("KSA_WEIGHTS_DIR", str(user))
    assert styles.load("duo").style_names == ("style_0", "style_1")  # no sidecar
    (user / "duo.json").write_text('{"styles": ["x", "y"]}')
    assert styles.load("duo").style_names == ("x", "y")
    assert "duo" in styles.available()
    assert "duo" not in styles.single_style_names()
    assert "solo" in styles.single_style_names()


def test_one_style_of_a_multi_style_network_by_the_command_lines_spelling():
    # "paintings6:shipwreck" works in `keras-style-aug stylize --style`; in
    # the layer and `load` it was an unknown style.
    multi = styles.load("paintings6_lite")
    single = styles.load("paintings6_lite:shipwreck")
    assert single.name == "paintings6_lite:shipwreck" and single.style_names is None
    x = np.random.default_rng(2).uniform(0, 255, (2, 24, 24, 3)).astype("float32")
    np.testing.assert_array_equal(
        np.asarray(single(x)), np.asarray(multi(x, style="shipwreck"))
    )
    layer = RandomStyleTransfer(styles=["paintings6_lite:shipwreck", "wave"])
    assert layer.style_names == ["paintings6_lite:shipwreck", "wave"]
    by_class = RandomStyleTransfer(class_styles={1: "paintings6_lite:shipwreck"})
    assert by_class.style_names == ["paintings6_lite:shipwreck"]
    with pytest.raises(ValueError, match="holds the styles.*received style='nope'"):
        styles.load("paintings6_lite:nope")
    with pytest.raises(ValueError, match="'wave' is a single-style network"):
        styles.load("wave:shipwreck")


def test_a_trickling_host_is_bounded_in_total_time(fake_manifest, monkeypatch):
    # Each read arrived before the read timeout, so a host sending a few
    # bytes a second was never timed out.
    class Trickling(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Length", "100000")
            self.end_headers()
            for _ in range(400):
                self.wfile.write(b"x" * 8)
                self.wfile.flush()
                time.sleep(0.01)

    monkeypatch.setenv("KSA_DOWNLOAD_TOTAL_TIMEOUT", "0.3")
    refused_by_a_host(Trickling, monkeypatch, "KSA_DOWNLOAD_TOTAL_TIMEOUT=0.3")


@pytest.mark.parametrize("value", ["-1", "abc", "0", "inf"])
def test_a_timeout_that_is_no_number_of_seconds_is_named(
    fake_manifest, monkeypatch, value
):
    monkeypatch.setenv("KSA_WEIGHTS_URL", "http://127.0.0.1:9/")
    monkeypatch.setenv("KSA_DOWNLOAD_TIMEOUT", value)
    with pytest.raises(ValueError, match=f"KSA_DOWNLOAD_TIMEOUT='{value}'.*positive"):
        styles.load("toy")


def test_a_partial_download_left_by_a_killed_process_is_removed(
    fake_manifest, monkeypatch, http_server
):
    registry.cache_dir().mkdir(parents=True, exist_ok=True)
    stale = registry.cache_dir() / "toy.weights.h5.abc123.part"
    stale.write_bytes(b"half")
    os.utime(stale, (time.time() - 7200,) * 2)  # SIGKILL two hours ago
    styles.load("toy")
    assert not stale.exists()


def test_a_users_own_file_comes_before_a_shipped_style_of_that_name(
    tmp_path, monkeypatch, make_net
):
    # The README puts KSA_WEIGHTS_DIR first; "wave" (a style of paintings6)
    # came from paintings6 all the same.
    user = tmp_path / "user"
    user.mkdir()
    make_net("wave", seed=7).save_weights(user / "wave.weights.h5")
    (user / "mine.json").write_text("[1, 2]")  # a sidecar of another shape
    make_net("mine").save_weights(user / "mine.weights.h5")
    monkeypatch.setenv("KSA_WEIGHTS_DIR", str(user))
    own = styles.load("wave")
    assert own.filters == (4, 8, 8) and own.source == "wave"
    assert styles.load("mine").style_names is None
