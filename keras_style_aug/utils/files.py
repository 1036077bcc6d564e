"""Files written whole or not at all."""

import contextlib
from pathlib import Path


@contextlib.contextmanager
def replaced_atomically(path):
    """Yields a temporary path beside `path` to write; renames it over
    `path` when the block ends, and removes it if the block fails: a crash
    or Ctrl-C leaves the old file or the new one, never half of one."""
    path = Path(path)
    tmp = path.with_name(path.name + ".tmp")
    try:
        yield tmp
        tmp.replace(path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_text_atomically(path, text):
    """Writes `text` to `path` whole or not at all."""
    with replaced_atomically(path) as tmp:
        tmp.write_text(text)
