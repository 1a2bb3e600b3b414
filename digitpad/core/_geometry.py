"""Small array operations on ink images shared by the preprocessing steps."""

from __future__ import annotations

import numpy as np
from PIL import Image


def ink_bounds(mask: np.ndarray) -> tuple[slice, slice]:
    """Row and column slices of the bounding box of ``mask`` (which must hold a True)."""
    rows = np.flatnonzero(mask.any(axis=1))
    cols = np.flatnonzero(mask.any(axis=0))
    return slice(int(rows[0]), int(rows[-1]) + 1), slice(int(cols[0]), int(cols[-1]) + 1)


def resize_ink(ink: np.ndarray, width: int, height: int) -> np.ndarray:
    """Antialiased resize of float ink: area averaging down (as MNIST did), bicubic up."""
    if ink.shape == (height, width):
        return ink
    shrinking = width <= ink.shape[1] and height <= ink.shape[0]
    resample = Image.Resampling.BOX if shrinking else Image.Resampling.BICUBIC
    source = Image.fromarray(np.ascontiguousarray(ink, dtype=np.float32))
    return np.asarray(source.resize((width, height), resample)).clip(0.0, None)


def fit_size(shape: tuple[int, ...], longest: int) -> tuple[int, int]:
    """(width, height) that scales ``shape`` so its longer side is ``longest``, aspect kept."""
    height, width = shape[:2]
    scale = longest / max(height, width)
    return max(1, round(width * scale)), max(1, round(height * scale))
