"""The six public-domain paintings the shipped styles were trained on.

They install with the package, so a style of your own can start from one of
them with no download.

>>> from keras_style_aug.styles import painting_path, paintings
>>> paintings()
['abstract', 'shipwreck', 'starry_night', 'the_scream', 'udnie', 'wave']
>>> painting_path("udnie").name
'udnie.jpg'
"""

from pathlib import Path

FOLDER = Path(__file__).resolve().parent / "paintings"

# Style name (as in the shipped networks) -> file in `paintings/`.
FILES = {
    "abstract": "composition_vii.jpg",
    "shipwreck": "the_shipwreck_of_the_minotaur.jpg",
    "starry_night": "starry_night.jpg",
    "the_scream": "the_scream.jpg",
    "udnie": "udnie.jpg",
    "wave": "wave.jpg",
}


def paintings():
    """Names of the shipped paintings, sorted."""
    return sorted(FILES)


def painting_path(name):
    """Path of a shipped painting, by the name of the style trained on it.

    Raises `ValueError` naming the known paintings for any other name."""
    if name not in FILES:
        raise ValueError(
            f"Unknown painting {name!r}; the package ships {paintings()}. "
            "For a painting of your own, pass its file path instead."
        )
    return FOLDER / FILES[name]
