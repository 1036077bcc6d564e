"""Files written whole or not at all."""

import os
from pathlib import Path


def write_text_atomically(path, text):
    """Writes `text` to a temporary file beside `path`, then renames it over
    `path`: a crash or Ctrl-C leaves the old file or the new one, never half
    of one."""
    path = Path(path)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text)
    os.replace(tmp, path)
