"""Pillow's C conversions and reductions on numpy arrays, in place of its Image objects.

Pillow converts a canvas to grey and area-averages a crop in C, in microseconds; the
``Image`` objects around those calls (``frombuffer`` builds two, ``tobytes`` runs an
encoder) cost as much again on every reading. Its C images can map a numpy buffer
directly (``map_buffer``, what ``frombuffer`` does inside), so the conversion writes
into a numpy array and the reduced crop is pasted into one, with no ``Image`` at all.
The pixels are Pillow's own, bit for bit. ``map_buffer`` is no public name: a Pillow
without it gets the same pixels through the public ``Image`` calls, only slower.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from PIL import Image
from PIL import _imaging as pillow_core  # what Image.core is

_MAP_BUFFER = getattr(pillow_core, "map_buffer", None)


def _mapped(buffer: np.ndarray, mode: str, size: tuple[int, int], stride: int = 0) -> Any:
    """A Pillow C image of ``mode`` and ``size`` (width, height) over ``buffer``, whose
    rows are ``stride`` bytes apart (0: packed)."""
    assert _MAP_BUFFER is not None
    return _MAP_BUFFER(buffer, size, "raw", 0, (mode, stride, 1))


def grey_values(
    buffer: np.ndarray, mode: str, size: tuple[int, int], stride: int = 0
) -> np.ndarray:
    """Pillow's conversion to luminance ("L") of the ``mode`` pixels in ``buffer``, whose
    rows are ``stride`` bytes apart (0: packed), as a new ``(height, width)`` uint8
    array. RGBA is read in place; RGB, which Pillow keeps four bytes a pixel, is copied in.
    """
    width, height = size
    if _MAP_BUFFER is None:
        converted = Image.frombuffer(mode, size, buffer, "raw", mode, stride, 1).convert("L")
        return np.asarray(converted).copy()
    if mode == "RGBA":
        source = _mapped(buffer, mode, size, stride)
    else:
        source = Image.frombuffer(mode, size, buffer, "raw", mode, stride, 1).im
    values = np.empty((height, width), np.uint8)
    convert_into = getattr(source, "convert_into", None)
    if convert_into is None:  # an older Pillow's core: the conversion, copied out
        converted = Image.frombuffer(mode, size, buffer, "raw", mode, stride, 1).convert("L")
        values[...] = np.frombuffer(converted.tobytes(), np.uint8).reshape(height, width)
    else:
        convert_into(_mapped(values, "L", size))
    return values


def rgb_image_grey_values(image: Image.Image) -> np.ndarray | None:
    """Pillow's conversion to luminance of an "RGB" image (a photo as ``load_image``
    gives it), written straight into a new ``(height, width)`` uint8 array; None for
    any other mode, an empty image, or a Pillow without ``map_buffer``.

    ``image.convert("L")`` and reading its bytes out (``tobytes``, then joined) make
    three copies of a photo's 3 megapixels where this makes one, in memory touched for
    the first time in a command's one reading: 5-10 ms of ``digitpad predict``.
    """
    width, height = image.size
    if image.mode != "RGB" or width == 0 or height == 0 or _MAP_BUFFER is None:
        return None
    image.load()
    convert_into = getattr(image.im, "convert_into", None)
    if convert_into is None:  # an older Pillow's core
        return None
    values = np.empty((height, width), np.uint8)
    convert_into(_mapped(values, "L", (width, height)))
    return values


def reduced_values(values: np.ndarray, factor: int, box: tuple[int, int, int, int]) -> np.ndarray:
    """``Image.reduce(factor, box)`` of the contiguous uint8 array ``values`` (each
    ``factor`` x ``factor`` block of ``box`` averaged), as a new uint8 array."""
    values = np.ascontiguousarray(values)
    if _MAP_BUFFER is None:
        return np.asarray(Image.fromarray(values).reduce(factor, box)).copy()
    height, width = values.shape
    reduced = _mapped(values, "L", (width, height)).reduce((factor, factor), box)
    out_width, out_height = reduced.size
    out = np.empty((out_height, out_width), np.uint8)
    _mapped(out, "L", (out_width, out_height)).paste(reduced, (0, 0, out_width, out_height))
    return out
