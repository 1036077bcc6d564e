"""Find, verify and load trained style networks by name.

A style name resolves, in order, to
1. an explicit path to a ``.weights.h5`` file;
2. ``$KSA_WEIGHTS_DIR/<file>``;
3. the repository's ``weights/<file>`` (source checkouts);
4. the Keras cache, ``$KERAS_HOME/keras_style_aug/<file>`` (``~/.keras`` by default);
5. a download from ``$KSA_WEIGHTS_URL`` or the manifest's ``base_url`` (for
   styles the wheel does not carry), checked against the manifest's sha256
   before it is cached.

The shipped styles install with the package (``keras_style_aug/weights/``), so
a wheel stylizes with no network access. A manifest entry with ``taken_from``
and no file of its own is one style of that multi-style network
(``TransformerNet.single_style``): ``wave`` is ``paintings6``'s wave row, the
same outputs from the same file, unless ``$KSA_WEIGHTS_DIR`` holds a
``wave.weights.h5`` of your own. Files of styles listed in
``weights/manifest.json`` are checked against their sha256 wherever they are
found. A download has connect and read timeouts (``$KSA_DOWNLOAD_TIMEOUT``
seconds, 30 by default) and a bound on its whole time
(``$KSA_DOWNLOAD_TOTAL_TIMEOUT``, 600), is written under a temporary name and
renamed once its sha256 matches, so an interrupted one leaves nothing behind
(a killed one's partial file is removed by a later download).

>>> from keras_style_aug import styles
>>> net = styles.load("paintings6")  # installed with the package, sha256 checked
>>> net.style_names[:2], net.filters
(('wave', 'starry_night'), (32, 64, 128))
"""

import hashlib
import json
import os
import tempfile
import time
import urllib.request
from pathlib import Path

from keras_style_aug.networks import TransformerNet

_PACKAGE_DIR = Path(__file__).resolve().parent.parent
_WEIGHTS_SUFFIX = ".weights.h5"


def _bundled_weights_dir():
    """`weights/` of a source checkout, else the copy installed in the wheel."""
    for folder in (_PACKAGE_DIR.parent / "weights", _PACKAGE_DIR / "weights"):
        if (folder / "manifest.json").is_file():
            return folder
    raise FileNotFoundError(
        "keras_style_aug's weights/manifest.json is missing: reinstall the package."
    )


def manifest():
    """The parsed `weights/manifest.json`: `base_url` and `styles` by name."""
    with open(_bundled_weights_dir() / "manifest.json") as f:
        return json.load(f)


def cache_dir():
    """Where downloaded styles are kept: `$KERAS_HOME/keras_style_aug`."""
    keras_home = os.environ.get("KERAS_HOME") or os.path.join(
        os.path.expanduser("~"), ".keras"
    )
    return Path(keras_home) / "keras_style_aug"


def _user_dir():
    env = os.environ.get("KSA_WEIGHTS_DIR")
    return Path(env) if env else None


def available():
    """Names of the styles that `load()` accepts, sorted.

    The manifest's styles plus any `NAME.weights.h5` in `$KSA_WEIGHTS_DIR`.
    """
    names = set(manifest()["styles"])
    user = _user_dir()
    if user and user.is_dir():
        names.update(
            p.name[: -len(_WEIGHTS_SUFFIX)] for p in user.glob("*" + _WEIGHTS_SUFFIX)
        )
    return sorted(names)


def single_style_names():
    """The names in `available()` that are single-style networks."""
    entries = manifest()["styles"]
    user = _user_dir()

    def multi(name):
        entry = entries.get(name)
        if entry is None and user is not None:
            entry = _sidecar_entry(user / (name + _WEIGHTS_SUFFIX))
        return bool((entry or {}).get("styles"))

    return [n for n in available() if not multi(n)]


def sha256(path):
    """Hex sha256 of a file."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def is_path(name_or_path):
    text = str(name_or_path)
    return text.endswith(".h5") or os.sep in text or "/" in text


def style_name(path):
    """The style name a weights file stands for: its name less `.weights.h5`."""
    name = Path(path).name
    for suffix in (_WEIGHTS_SUFFIX, ".h5"):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


def _source(entry):
    """The multi-style network a shipped single style is taken out of."""
    return entry.get("taken_from") if entry and "file" not in entry else None


def resolve(name_or_path):
    """Local path of a style's weights file, downloading it if need be (for a
    style taken out of a multi-style network, that network's file)."""
    if is_path(name_or_path):
        path = Path(name_or_path)
        if not path.is_file():
            raise FileNotFoundError(
                f"Style weights file {path} does not exist. Pass an existing "
                f"`.weights.h5` file or one of the style names {available()}."
            )
        return path
    name = str(name_or_path)
    entries = manifest()["styles"]
    entry = entries.get(name)
    source = _source(entry)
    if source:
        return resolve(source)
    filename = entry["file"] if entry else name + _WEIGHTS_SUFFIX
    folders = [_user_dir(), _bundled_weights_dir(), cache_dir()]
    for folder in folders:
        if folder is not None and (folder / filename).is_file():
            path = folder / filename
            if entry:
                _check_hash(name, path, entry["sha256"])
            return path
    if entry is None:
        user = _user_dir()
        hint = (
            f" (KSA_WEIGHTS_DIR={user} is not a folder)"
            if user and not user.is_dir()
            else ""
        )
        raise ValueError(
            f"Unknown style {name!r}. Available styles: {available()}{hint}. "
            "Pass a name from that list or a path to a `.weights.h5` file."
        )
    return _download(name, entry)


def _check_hash(name, path, expected):
    actual = sha256(path)
    if actual == expected:
        return
    user = _user_dir()
    if user is not None and path.parent == user:  # no host to download from
        advice = (
            f"If it is a network of your own, give it another name (e.g. "
            f"my_{path.name}) and load it by that name; to use the shipped "
            f"{name!r}, move it out of KSA_WEIGHTS_DIR."
        )
    else:
        advice = (
            "The file is corrupt or from another version: delete it and call "
            f"keras_style_aug.styles.load({name!r}) again."
        )
    raise ValueError(
        f"Weights file {path} for style {name!r} has sha256 {actual}, but the "
        f"manifest expects {expected}. {advice}"
    )


def _download(name, entry):
    base_url = os.environ.get("KSA_WEIGHTS_URL") or manifest().get("base_url")
    folder = cache_dir()
    if not base_url:
        raise OSError(
            f"Style {name!r} is listed in the manifest but its file "
            f"{entry['file']} is not installed, and no download host is set "
            "(the manifest's base_url is empty). Set KSA_WEIGHTS_URL to a "
            f"mirror that serves {entry['file']}, or copy the file into "
            f"KSA_WEIGHTS_DIR or {folder}."
        )
    url = base_url.rstrip("/") + "/" + entry["file"]
    folder.mkdir(parents=True, exist_ok=True)
    timeout = _seconds("KSA_DOWNLOAD_TIMEOUT", 30)
    deadline = time.monotonic() + _seconds("KSA_DOWNLOAD_TOTAL_TIMEOUT", 600)
    _remove_stale_parts(folder, entry["file"])
    handle, partial = tempfile.mkstemp(
        prefix=entry["file"] + ".", suffix=".part", dir=folder
    )
    partial = Path(partial)
    try:
        digest = hashlib.sha256()
        with os.fdopen(handle, "wb") as out:
            with urllib.request.urlopen(url, timeout=timeout) as response:
                expected = response.headers.get("Content-Length")
                received = 0
                for block in iter(lambda: response.read1(1 << 16), b""):
                    digest.update(block)
                    out.write(block)
                    received += len(block)
                    if time.monotonic() > deadline:
                        raise TimeoutError(
                            f"{received} bytes in KSA_DOWNLOAD_TOTAL_TIMEOUT="
                            f"{os.environ.get('KSA_DOWNLOAD_TOTAL_TIMEOUT', 600)}"
                            " seconds"
                        )
        if expected is not None and received != int(expected):
            raise ConnectionError(
                f"the connection closed after {received} of {expected} bytes"
            )
        if digest.hexdigest() != entry["sha256"]:
            raise ValueError(
                f"The download of style {name!r} from {url} has sha256 "
                f"{digest.hexdigest()}, but the manifest expects "
                f"{entry['sha256']}; nothing was cached. Check KSA_WEIGHTS_URL, "
                "or place a good copy in KSA_WEIGHTS_DIR."
            )
        target = folder / entry["file"]
        os.replace(partial, target)
        return target
    except ValueError:
        raise
    except Exception as e:
        raise OSError(
            f"Could not download style {name!r} from {url} ({type(e).__name__}: "
            f"{e}). Without network access, copy {entry['file']} into "
            f"KSA_WEIGHTS_DIR or {folder}; for a stalled host, "
            "KSA_DOWNLOAD_TIMEOUT sets the timeout in seconds."
        ) from None
    finally:
        partial.unlink(missing_ok=True)


def _seconds(variable, default):
    """A positive number of seconds from the environment variable."""
    text = os.environ.get(variable, str(default))
    try:
        seconds = float(text)
    except ValueError:
        seconds = float("nan")
    if not seconds > 0 or seconds == float("inf"):
        raise ValueError(
            f"{variable}={text!r} is not a number of seconds: set it to a "
            f"positive number (default {default}) or unset it."
        )
    return seconds


def _remove_stale_parts(folder, filename):
    """Partial downloads of `filename` left by a killed process (Ctrl-C
    removes its own; SIGKILL cannot): those older than an hour."""
    for part in folder.glob(filename + ".*.part"):
        try:
            if time.time() - part.stat().st_mtime > 3600:
                part.unlink()
        except OSError:
            pass


def one_style(net, style):
    """Style `style` of the multi-style network `net` as a single-style
    network named `NETWORK:STYLE`, the name `load` takes it by."""
    return net.single_style(style, name=f"{net.name}:{style}")


def _sidecar_entry(path):
    """The `NAME.json` StyleTrainer wrote beside a weights file, if any."""
    sidecar = Path(path).with_name(style_name(path) + ".json")
    try:
        entry = json.loads(sidecar.read_text())
    except (OSError, ValueError):
        return {}
    return entry if isinstance(entry, dict) else {}


def load(name_or_path):
    """A `TransformerNet` with the weights of a named style or weights file.

    The network's `source` records what it was loaded from (the name, or the
    file's absolute path), so a `RandomStyleTransfer` config can load it again.

    A multi-style network (its manifest entry lists `styles`) comes back with
    its `style_names`; a style taken out of one (`taken_from`) as a
    single-style network, as does `"NETWORK:STYLE"` (the command line's
    spelling; the network keeps that name, so `class_styles` and the
    selector's choices name it the same way).

    Args:
        name_or_path: a name from `available()`, `"NETWORK:STYLE"` for one
            style of a multi-style network (e.g. `"paintings6_lite:udnie"`),
            or a path to a `.weights.h5` file written by
            `TransformerNet.save_weights()` or `StyleTrainer`.
    """
    net = _load(name_or_path)
    text = str(name_or_path)
    net.source = os.path.abspath(text) if is_path(text) else text
    return net


def _load(name_or_path):
    """`load` before it records the source."""
    entries = manifest()["styles"]
    user = _user_dir()
    own = user / (str(name_or_path) + _WEIGHTS_SUFFIX) if user else None
    if own and own.is_file() and _source(entries.get(str(name_or_path))):
        name_or_path = own  # the user's file before a shipped style's row
    if not is_path(name_or_path):
        network, colon, style = str(name_or_path).partition(":")
        if colon:
            return one_style(_load(network), style)
        source = _source(entries.get(str(name_or_path)))
        if source:
            return _load(source).single_style(str(name_or_path))
    path = resolve(name_or_path)
    name = style_name(path) if is_path(name_or_path) else str(name_or_path)
    entry = entries.get(name) or _sidecar_entry(path)
    try:
        return TransformerNet.from_weights_file(
            path, name=name, style_names=entry.get("styles")
        )
    except ValueError as e:
        raise ValueError(f"Style {name!r}: {e}") from None
