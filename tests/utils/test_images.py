import numpy as np
from PIL import Image

from keras_style_aug.utils.images import contact_sheet
from keras_style_aug.utils.images import load_image

CELL = 120
WHITE = [np.full((8, 8, 3), 255, "uint8")] * 3


def header(sheet):
    return sheet[: sheet.shape[0] - CELL]


def test_a_long_column_label_wraps_inside_its_column():
    short = contact_sheet([WHITE], column_labels=["a", "b", "c"], cell=CELL)
    long_label = "affine only everywhere, saturation penalty"
    sheet = contact_sheet([WHITE], column_labels=["a", long_label, "c"], cell=CELL)
    assert header(short).shape[0] == 18
    assert header(sheet).shape[0] == 18 + 12  # two lines, none cut short
    ink = (header(sheet) < 128).any(axis=(0, 2))
    assert ink[CELL : 2 * CELL - 4].sum() > 50  # the long label is drawn
    assert not ink[2 * CELL - 4 : 2 * CELL + 4].any()  # and ends in its column
    rows = np.flatnonzero((header(sheet)[:, CELL : 2 * CELL] < 128).any(axis=(1, 2)))
    assert rows.max() > 18  # its last words sit on the second line


def test_no_labels_no_header():
    assert contact_sheet([WHITE], cell=CELL).shape == (CELL, 3 * CELL, 3)


def test_a_photos_exif_orientation_is_applied(tmp_path):
    # A phone photo stored landscape with "rotate 90 CW" in EXIF (tag 0x0112
    # = 6) shows portrait; it was loaded, stylized and written sideways.
    stored = np.zeros((40, 60, 3), "uint8")
    stored[:, :10] = 255  # the stored image's left edge: the top once upright
    exif = Image.Exif()
    exif[0x0112] = 6
    Image.fromarray(stored).save(tmp_path / "phone.jpg", exif=exif, quality=95)
    image = load_image(tmp_path / "phone.jpg")
    assert image.shape == (60, 40, 3)
    assert image[:8].mean() > 200 and image[-40:].mean() < 30
    assert load_image(tmp_path / "phone.jpg", size=20).shape == (30, 20, 3)
