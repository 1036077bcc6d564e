"""TensorFlow Datasets, loaded so that a machine without network says what
to pass instead of ending in a `requests` traceback."""


def load_or_say_instead(name, instead, **kwargs):
    """`tfds.load(name, **kwargs)`; if it fails (offline: requests', urllib's
    or tfds' own errors), an `OSError` that names `instead`, e.g. "--data-dir
    photos/"."""
    import tensorflow_datasets as tfds

    try:
        return tfds.load(name, **kwargs)
    except Exception as e:
        raise OSError(
            f"Could not load TFDS {name} ({type(e).__name__}; offline?). "
            f"Pass {instead}."
        ) from e
