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
    else:
        # Clipped before the cast: a float64 beyond float32's range would overflow.
        scaled = np.clip(np.nan_to_num(values), 0.0, 255.0).astype(np.float32, copy=False)
        if scaled.size and float(scaled.max()) <= 1.0:
            scaled = scaled * np.float32(255.0)
    return np.rint(scaled.clip(0, 255)).astype(np.uint8)
