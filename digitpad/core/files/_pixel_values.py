"""Pixel values of any numeric type onto 0..255, the one scale every picture is read on."""

from __future__ import annotations

import numpy as np


def to_uint8(values: np.ndarray) -> np.ndarray:
    """Integer or float pixel values onto 0..255 using their type's natural range."""
    if values.dtype == np.uint8:
        return values
    if values.dtype == np.bool_:
        return values.astype(np.uint8) * np.uint8(255)
    if values.dtype.kind in "ui":
        top = 255.0 if values.size == 0 or values.max() <= 255 else 65535.0
        scaled = values.astype(np.float32) * np.float32(255.0 / top)
        return np.rint(scaled.clip(0, 255)).astype(np.uint8)
    return _float_to_uint8(values)


def _float_to_uint8(values: np.ndarray) -> np.ndarray:
    """``to_uint8`` of float values: NaN as 0, the rest clipped to 0..255 (before the
    cast to float32: a float64 beyond its range would overflow), then 0..1 scaled up.

    Every candidate digit of a photo's number passes here, so each step writes into one
    fresh array: ``fmax`` and ``fmin`` drop NaN as ``nan_to_num`` and clip do, in two
    passes rather than eight.
    """
    scaled = np.fmax(values, 0.0)  # a fresh array of the same float type; NaN -> 0
    np.fmin(scaled, 255.0, out=scaled)
    scaled = scaled.astype(np.float32, copy=False)
    if scaled.size and float(scaled.max()) <= 1.0:
        np.multiply(scaled, np.float32(255.0), out=scaled)
    return np.rint(scaled, out=scaled).astype(np.uint8)
