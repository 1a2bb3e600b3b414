"""The ink of one picture cropped to its box, by the quickest way that reads it exactly.

Most readings are of a canvas as the app hands it over: an opaque white RGBA array
round one digit. Such a canvas is read from the box round what is not white
(``non_white_box``): outside it every pixel is grey 255, so the whole picture's reading
(``_ink``'s: clean or not, background, noise, the ink's box) follows from the box's
without converting or reading the rest. Any other picture, or a canvas not clean beyond
doubt, is read the general way (``_reading_values``); both give the same crop, bit for
bit (tests/core/test_reading_fast_paths.py).
"""

from __future__ import annotations

import numpy as np
from PIL import Image

from digitpad.core.preprocessing._canvas_box import (
    Box,
    box_border,
    clean_beside_white,
    non_white_box,
)
from digitpad.core.preprocessing._ink import (
    DETAIL,
    _find_ink_in,
    _Found,
    _plain_inside,
    _reading_values,
)
from digitpad.core.preprocessing._pillow_buffers import grey_values, reduced_values

_NO_VALUES = np.zeros((0, 0), np.uint8)


def _white_canvas_reading(
    image: np.ndarray | Image.Image,
) -> tuple[np.ndarray, _Found | None] | None:
    """``_reading_values`` of an opaque white RGBA canvas read from the box round what is
    not opaque white (``non_white_box``): that box's grey values and the ink found in
    them, its box counted from their corner; None for any other picture, and for a
    canvas the general way must read (not clean beyond doubt: ``clean_beside_white``).

    Outside the box every pixel is grey 255, so the whole picture's reading follows
    from the box's without converting or reading the rest: ``_plain_inside`` when the
    picture's border is all white, else ``looks_clean`` and ``_find_ink``'s.
    """
    if isinstance(image, Image.Image):
        return None
    array = np.asarray(image)
    if array.ndim != 3:  # a grey picture: the general way has no conversion to spare
        return None
    array = np.ascontiguousarray(array)
    box = non_white_box(array)
    if box is None:
        return None
    x0, y0, x1, y1 = box
    shape = (array.shape[0], array.shape[1])
    if x0 == x1:  # all white: no ink
        return _NO_VALUES, None
    values = _box_grey(array, box)
    if x0 == 0 or y0 == 0 or x1 == shape[1] or y1 == shape[0]:
        border = box_border(values, box, shape)
        if np.count_nonzero(border != 255):
            return _clean_canvas_ink(values, box, shape, border)
    settled, found = _plain_inside(values, 255, shape)
    return (values, found) if settled else None


def _box_grey(array: np.ndarray, box: Box) -> np.ndarray:
    """The grey values of ``box`` on a contiguous RGBA array, read in place (a stride of
    the array's width) when the buffer from the box's first pixel on holds all its rows."""
    x0, y0, x1, y1 = box
    width = array.shape[1]
    start, size = (y0 * width + x0) * 4, (x1 - x0, y1 - y0)
    if start + (y1 - y0) * width * 4 > array.size:  # the box ends in the last row
        pixels, stride = np.ascontiguousarray(array[y0:y1, x0:x1]).reshape(-1), 0
    else:
        pixels, stride = array.reshape(-1)[start:], width * 4
    return grey_values(pixels, "RGBA", size, stride)


def _clean_canvas_ink(
    values: np.ndarray,
    box: Box,
    shape: tuple[int, int],
    border: np.ndarray,
) -> tuple[np.ndarray, _Found | None] | None:
    """``_white_canvas_reading`` of a canvas whose drawing reaches its border: the
    general way finds it clean (``looks_clean``) and reads it with ``_find_ink``; None
    when it may not be clean."""
    if not clean_beside_white(values, box, shape, border):
        return None
    return values, _find_ink_in(values, border)


def crop_to_ink(image: np.ndarray | Image.Image) -> np.ndarray | None:
    """The ink of a picture as float32 (0 none, 1 the strongest stroke), cropped to its
    bounding box; ``None`` when nothing stands out from the background.

    The background level is the median of the picture's border, where people rarely
    write; ink is the distance from it, so dark-on-light and light-on-dark both work.
    Ink fainter than the noise floor is zeroed and does not count for the box. Crops
    longer than ``2 * DETAIL`` pixels come back area-averaged (see ``DETAIL``).
    """
    values, found = _white_canvas_reading(image) or _reading_values(image)
    if values is None or found is None:
        return None
    table, box = found
    crop = values[box[1] : box[3], box[0] : box[2]]
    factor = max(crop.shape) // DETAIL
    if factor <= 1:
        # np.take on a contiguous copy is about twice as fast as fancy indexing a view;
        # every pixel that made the box stands above the noise floor, so ink is there.
        return np.take(table, np.ascontiguousarray(crop))
    ink = np.take(table, reduced_values(values, factor, box))  # the crop's blocks
    # A few isolated specks can average away below the noise floor in the reduced crop.
    return ink if ink.any() else None
