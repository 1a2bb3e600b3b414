"""MNIST-style normalisation of any bitmap into the 28x28 input both models expect.

MNIST digits were scaled to fit a 20x20 box keeping their aspect ratio (antialiased),
then placed in a 28x28 field with their centre of mass at the centre. The models only
know digits made that way, so a drawing must be made that way too: cropped to its ink,
given MNIST's stroke thickness, fitted into 20x20 and centred by mass.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from PIL import Image

from digitpad.core.preprocessing._geometry import fit_size, resampling_matrix
from digitpad.core.preprocessing._ink_crop import crop_to_ink
from digitpad.core.preprocessing._strokes import normalise_stroke_width

FIELD = 28
BOX = 20
# Where MNIST puts the centre of mass, in pixel indices of the 28x28 field (measured: the
# training digits average 14.00 +- 0.29 in both directions).
_CENTRE = 14.0
# A row of ones over a row of pixel indices: one above the other under a digit's rows,
# they give its mass per column and its mass times its row, per column.
_MOMENTS = np.stack([np.ones(FIELD), np.arange(FIELD)]).astype(np.float32)
_MOMENTS_T = np.ascontiguousarray(_MOMENTS.T)


@lru_cache(maxsize=512)
def _rows_and_moments(size_in: int, size_out: int) -> np.ndarray:
    """``resampling_matrix(size_in, size_out)`` with ``_MOMENTS``' two rows times it
    below: one product then resamples the rows and sums them for the centre of mass."""
    rows = resampling_matrix(size_in, size_out)
    stacked = np.vstack([rows, _MOMENTS[:, :size_out] @ rows])
    stacked.flags.writeable = False
    return stacked


# A plan holds only references to the matrices cached above: a few thousand shapes cost
# well under a megabyte.
@lru_cache(maxsize=4096)
def _fitting(shape: tuple[int, int], box: int) -> tuple[int, np.ndarray, np.ndarray, np.ndarray]:
    """What ``fit_into_box`` multiplies an ink array of ``shape`` by: the fitted height,
    ``_rows_and_moments``' matrix, the columns' matrix transposed and the moments'
    columns for the fitted width. A reading looks up one plan rather than its sizes and
    matrices one by one."""
    height, width = fit_size(shape, box)
    columns = resampling_matrix(shape[1], width)
    return height, _rows_and_moments(shape[0], height), columns.T, _MOMENTS_T[:width]


def fit_into_box(ink: np.ndarray, box: int = BOX) -> tuple[np.ndarray, tuple[float, ...]]:
    """Scale so the longer side is ``box`` pixels, keeping the aspect ratio; with the
    digit's total mass and its mass times its column and row (``centre_by_mass``).

    A tall thin "1" stays thin: only its height reaches the box. The sums come out of
    the same products as the digit (each numpy call costs microseconds on every reading).
    """
    height, rows, cols_t, moments = _fitting(ink.shape, box)
    fitted = rows @ ink @ cols_t
    (total, col_moment), (row_moment, _) = (fitted[height:] @ moments).tolist()
    return fitted[:height], (total, row_moment, col_moment)


def centre_by_mass(digit: np.ndarray, moments: tuple[float, ...]) -> np.ndarray | None:
    """Place ``digit`` (at most 20x20) in the 28x28 field with its centre of mass central,
    scaled so its peak is 255; None when it holds no ink. ``moments`` are its total
    mass and its mass times its row and column (``fit_into_box``'s).

    The shift is whole pixels, as in MNIST, so no extra blur is added; it is clamped so
    that no ink falls off the field. The digit is scaled as it is placed.
    """
    height, width = digit.shape
    peak = float(np.maximum.reduce(digit, axis=None))
    if peak <= 0.0:
        return None
    total, row_moment, col_moment = moments
    top = min(max(round(_CENTRE - row_moment / total), 0), FIELD - height)
    left = min(max(round(_CENTRE - col_moment / total), 0), FIELD - width)
    field = np.zeros((FIELD, FIELD), dtype=np.float32)
    placed = field[top : top + height, left : left + width]
    scale = np.float32(255.0 / peak)
    np.multiply(digit, scale, out=placed)
    # Rounding keeps the order, so no pixel comes out above the peak's own product:
    # only when that rounds above 255 does anything need clipping.
    if np.float32(peak) * scale > 255.0:
        np.minimum(placed, 255.0, out=placed)
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
    return centre_by_mass(*fit_into_box(normalise_stroke_width(crop, BOX)))
