"""Where an opaque white canvas holds anything but white, found on its whole pixels.

A canvas as the app hands it over is a 280 x 280 RGBA array, opaque white around one
digit. Converting all 78,400 pixels to grey and then finding the ink in them costs more
than both models' runs; yet every pixel that is opaque white (all four bytes 255) is
grey 255 whatever the conversion, so only the box round the other pixels needs it.

Read as one 32-bit number, an opaque white pixel is ``0xFFFFFFFF``, the largest there
is, and an opaque pixel is at least ``0xFF000000`` on a little-endian machine (alpha is
the most significant byte). The first and last pixel that is not white bound the
rows, and one column-wise AND over those rows tells which columns are all white (their
AND is white) and, through its minimum, whether every pixel is opaque (an AND is at
least ``0xFF000000`` only if each of its pixels is).
"""

from __future__ import annotations

import sys

import numpy as np

from digitpad.core.preprocessing._writing import (
    CLEAN_CROSSINGS,
    CLEAN_FLAT_SHARE,
    CLEAN_LEVELS,
    CLEAN_LINE_SHARE,
)

_WHITE = 0xFFFFFFFF
_OPAQUE = 0xFF000000
# One or two opaque white pixels read as one number.
_PAIR_TYPES = {1: np.uint32, 2: np.uint64}
_PAIR_WHITE = {1: np.uint32(_WHITE), 2: np.uint64(0xFFFFFFFFFFFFFFFF)}
# Pictures thinner than this have no inside apart from their border: the general way.
_MIN_SIDE = 3

# (x0, y0, x1, y1), end exclusive; empty (x0 == x1) when every pixel is opaque white.
Box = tuple[int, int, int, int]


def non_white_box(array: np.ndarray) -> Box | None:
    """The box round every pixel of an opaque RGBA uint8 array ``(H, W, 4)`` that is not
    opaque white; None for any other array (some pixel not opaque, another shape or
    type, a big-endian machine), which the general way reads."""
    if (
        array.ndim != 3
        or array.shape[2] != 4
        or array.dtype != np.uint8
        or sys.byteorder != "little"
        or min(array.shape[:2]) < _MIN_SIDE
    ):
        return None
    width = array.shape[1]
    # The first and the last pixel that is not opaque white bound the rows; then the
    # columns of those rows only. numpy's search for a True stops at the first, but
    # copies a reversed array first: the last is found in the flags' bytes (memrchr).
    # Rows of an even width are read two pixels at a time (half the flags to write and
    # search, half the numbers to combine); a pair never spans two rows.
    pair = 2 if width % 2 == 0 else 1
    pixels = np.ascontiguousarray(array).reshape(-1).view(_PAIR_TYPES[pair])
    other = pixels != _PAIR_WHITE[pair]
    first = int(other.argmax())
    if not other[first]:
        return 0, 0, 0, 0
    last = other.tobytes().rfind(1)
    top, bottom = first * pair // width, last * pair // width + 1
    # A column's pixels ANDed together are opaque white only if each one is, and opaque
    # (alpha 255) only if each one is: one AND per pair of columns answers both.
    step = width // pair
    band = pixels[top * step : bottom * step].reshape(-1, step)
    columns = np.bitwise_and.reduce(band, 0).view(np.uint32)
    if int(np.minimum.reduce(columns)) < _OPAQUE:  # the rows outside are opaque white
        return None
    cols = (columns != _WHITE).nonzero()[0]
    return int(cols[0]), top, int(cols[-1]) + 1, bottom


def box_border(values: np.ndarray, box: Box, shape: tuple[int, int]) -> np.ndarray:
    """The border of a grey picture of ``shape`` that holds ``values`` in ``box`` and
    255 everywhere else, in ``_ink._border``'s order (top row, bottom row, then the
    left and right columns without their corners)."""
    height, width = shape
    x0, y0, x1, y1 = box
    border = np.full(2 * width + 2 * (height - 2), 255, np.uint8)
    if y0 == 0:
        border[x0:x1] = values[0]
    if y1 == height:
        border[width + x0 : width + x1] = values[-1]
    first, stop = max(y0, 1), min(y1, height - 1)  # the box's rows among the side rows
    if stop > first:
        inner = values[first - y0 : stop - y0]
        left = 2 * width + first - 1
        if x0 == 0:
            border[left : left + stop - first] = inner[:, 0]
        if x1 == width:
            right = left + height - 2
            border[right : right + stop - first] = inner[:, -1]
    return border


def clean_beside_white(
    values: np.ndarray, box: Box, shape: tuple[int, int], border: np.ndarray
) -> bool:
    """Whether ``looks_clean`` surely holds for a grey picture of ``shape`` holding
    ``values`` in ``box`` and 255 elsewhere, whose ``border`` is ``box_border``'s; False
    when it may not (the general way then decides).

    When more than half the picture is 255 and so is its border's median, 255 is its
    flat tone, and it is clean unless marks run off its edges as ruled lines do
    (``CLEAN_CROSSINGS`` runs on its sides, counted here whatever their length) or a row
    or column is off the paper nearly all along in two places (``CLEAN_LINE_SHARE``; runs
    of such rows or columns, thin or not, leave the picture to the general way). A
    shadow along a side is looked for only when no grey level holds half the picture;
    here 255 does.
    """
    height, width = shape
    x0, y0, x1, y1 = box
    size = height * width
    middle = border.size // 2
    if int(np.partition(border, middle)[middle]) != 255:
        return False
    # The pixels outside the box are white: when they alone are more than half, the
    # box's own white pixels need no counting.
    white = size - values.size
    if _at_most_half(white, size):
        white += int(np.count_nonzero(values == 255))
        if _at_most_half(white, size):
            return False
    if min(height, width) < 8:
        return True
    paper = 255 - 6 * CLEAN_LEVELS  # darker than this is off the paper
    # A row's share of off-paper pixels reaches CLEAN_LINE_SHARE only in a box as wide;
    # ruled paper has two runs of such rows at least (a digit's bar or stem makes one).
    for axis, side in ((1, width), (0, height)):
        long = values.shape[axis] / side >= CLEAN_LINE_SHARE
        if long and _runs(_counts(values < paper, axis) / side >= CLEAN_LINE_SHARE) >= 2:
            return False
    sides = (
        values[0] if y0 == 0 else None,
        values[-1] if y1 == height else None,
        values[:, 0] if x0 == 0 else None,
        values[:, -1] if x1 == width else None,
    )
    return sum(_runs(side < paper) for side in sides if side is not None) < CLEAN_CROSSINGS


def _at_most_half(white: int, size: int) -> bool:
    """Whether ``white`` pixels of ``size`` are too few for white to be the flat tone."""
    return 2 * white <= size or white < CLEAN_FLAT_SHARE * size


def _counts(flags: np.ndarray, axis: int) -> np.ndarray:
    """``np.count_nonzero(flags, axis=axis)``: summed as bytes into 16-bit counts where
    they fit, several times quicker than numpy's count along an axis."""
    if flags.shape[axis] >= 1 << 16:
        return np.count_nonzero(flags, axis=axis)
    return np.add.reduce(flags.view(np.uint8), axis=axis, dtype=np.uint16)


def _runs(flags: np.ndarray) -> int:
    """How many runs of True ``flags`` holds, whatever their length."""
    return int(flags[0]) + int(np.count_nonzero(flags[1:] & ~flags[:-1]))
