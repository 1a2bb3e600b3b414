"""Where an opaque white canvas holds anything but white, found on its whole pixels.

A canvas as the app hands it over is a 280 x 280 RGBA array, opaque white around one
digit. Converting all 78,400 pixels to grey and then finding the ink in them costs more
than both models' runs; yet every pixel that is opaque white (all four bytes 255) is
grey 255 whatever the conversion, so only the box round the other pixels needs it.

Read as one 32-bit number, an opaque white pixel is ``0xFFFFFFFF``, the largest there
is, and an opaque pixel is at least ``0xFF000000`` on a little-endian machine (alpha is
the most significant byte). The first and last pixel that is not white bound the
rows, and one column-wise minimum over those rows tells which columns are all
white and, through its own minimum, whether every pixel is opaque.
"""

from __future__ import annotations

import sys

import numpy as np

_WHITE = 0xFFFFFFFF
_OPAQUE = 0xFF000000
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
    pixels = np.ascontiguousarray(array).view(np.uint32).reshape(-1)
    # The first and the last pixel that is not opaque white bound the rows; then the
    # columns of those rows only. numpy's search for a True stops at the first, but
    # copies a reversed array first: the last is found in the flags' bytes (memrchr).
    other = pixels != _WHITE
    first = int(other.argmax())
    if not other[first]:
        return 0, 0, 0, 0
    last = other.tobytes().rfind(1)
    top, bottom = first // width, last // width + 1
    columns = np.minimum.reduce(pixels[top * width : bottom * width].reshape(-1, width), 0)
    if int(columns.min()) < _OPAQUE:  # the rows outside are opaque white
        return None
    cols = np.flatnonzero(columns != _WHITE)
    return int(cols[0]), top, int(cols[-1]) + 1, bottom
