"""MNIST-style normalisation of any bitmap into the 28x28 input both models expect.

MNIST digits were scaled to fit a 20x20 box keeping their aspect ratio (antialiased),
then placed in a 28x28 field with their centre of mass at the centre. The models only
know digits made that way, so a drawing must be made that way too: cropped to its ink,
given MNIST's stroke thickness, fitted into 20x20 and centred by mass.
"""

from __future__ import annotations

import numpy as np
from PIL import Image

from digitpad.core.preprocessing._geometry import fit_size, resize_ink
from digitpad.core.preprocessing._ink_crop import crop_to_ink
from digitpad.core.preprocessing._strokes import normalise_stroke_width

FIELD = 28
BOX = 20
# Where MNIST puts the centre of mass, in pixel indices of the 28x28 field (measured: the
# training digits average 14.00 +- 0.29 in both directions).
_CENTRE = 14.0
_INDICES = np.arange(FIELD, dtype=np.float32)


def fit_into_box(ink: np.ndarray, box: int = BOX) -> np.ndarray:
    """Scale so the longer side is ``box`` pixels, keeping the aspect ratio.

    A tall thin "1" stays thin: only its height reaches the box.
    """
    return resize_ink(ink, fit_size(ink.shape, box))


def centre_by_mass(digit: np.ndarray) -> np.ndarray:
    """Place ``digit`` (at most 20x20) in the 28x28 field with its centre of mass central.

    The shift is whole pixels, as in MNIST, so no extra blur is added; it is clamped so
    that no ink falls off the field.
    """
    height, width = digit.shape
    row_mass, col_mass = digit.sum(axis=1), digit.sum(axis=0)
    total = float(row_mass.sum())
    mass_row = float(row_mass @ _INDICES[:height]) / total
    mass_col = float(col_mass @ _INDICES[:width]) / total
    top = min(max(round(_CENTRE - mass_row), 0), FIELD - height)
    left = min(max(round(_CENTRE - mass_col), 0), FIELD - width)
    field = np.zeros((FIELD, FIELD), dtype=np.float32)
    field[top : top + height, left : left + width] = digit
    return field


def preprocess_bitmap(image: np.ndarray | Image.Image) -> np.ndarray | None:
    """Normalise any picture of one digit into the models' 28x28 input, MNIST's way.

    Parameters
    ----------
    image
        A Pillow image in any mode, or an array ``(H, W)`` / ``(H, W, 1-4)`` (uint8 0..255,
        uint16, or float 0..1 / 0..255). Dark-on-light and light-on-dark both work;
        transparent pixels count as background.

    Returns
    -------
    numpy.ndarray or None
        ``(28, 28)`` float32, 0..255, ink bright with its peak at 255; ``None`` when the
        picture holds no ink, so that nothing drawn never gets a guess.
    """
    crop = crop_to_ink(image)
    if crop is None:
        return None
    crop = normalise_stroke_width(crop, BOX)
    field = centre_by_mass(fit_into_box(crop))
    peak = float(field.max())
    if peak <= 0.0:
        return None
    field *= np.float32(255.0 / peak)
    return np.minimum(field, 255.0, out=field)
