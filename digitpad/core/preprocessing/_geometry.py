"""Small geometric operations on ink arrays shared by the preprocessing steps."""

from __future__ import annotations

from functools import lru_cache
from itertools import pairwise

import numpy as np


def ink_bounds(mask: np.ndarray) -> tuple[slice, slice]:
    """Row and column slices of the bounding box of ``mask`` (which must hold a True)."""
    rows = np.flatnonzero(mask.any(axis=1))
    cols = np.flatnonzero(mask.any(axis=0))
    return slice(int(rows[0]), int(rows[-1]) + 1), slice(int(cols[0]), int(cols[-1]) + 1)


def fit_size(shape: tuple[int, ...], longest: int) -> tuple[int, int]:
    """(height, width) that scales ``shape`` so its longer side is ``longest``, aspect kept."""
    height, width = shape[:2]
    scale = longest / max(height, width)
    return max(1, round(height * scale)), max(1, round(width * scale))


@lru_cache(maxsize=512)
def _resampling_matrix(size_in: int, size_out: int) -> np.ndarray:
    """Weights ``(size_out, size_in)`` that resample one axis.

    Shrinking averages the exact area each output pixel covers (a box filter, as MNIST's
    antialiased scaling did); enlarging interpolates linearly between pixel centres.
    """
    weights = np.zeros((size_out, size_in), dtype=np.float64)
    scale = size_in / size_out
    if size_out <= size_in:
        edges = np.arange(size_out + 1) * scale
        for out, (start, stop) in enumerate(pairwise(edges)):
            first, last = int(np.floor(start)), min(int(np.ceil(stop)), size_in)
            covered = np.arange(first, last)
            overlap = np.minimum(covered + 1, stop) - np.maximum(covered, start)
            weights[out, first:last] = overlap / scale
    else:
        centres = (np.arange(size_out) + 0.5) * scale - 0.5
        left = np.clip(np.floor(centres).astype(int), 0, size_in - 1)
        right = np.minimum(left + 1, size_in - 1)
        fraction = np.clip(centres - left, 0.0, 1.0)
        rows = np.arange(size_out)
        np.add.at(weights, (rows, left), 1.0 - fraction)
        np.add.at(weights, (rows, right), fraction)
    return weights.astype(np.float32)


def resize_ink(ink: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    """Resize float ink to ``size`` (height, width) with two small matrix products.

    Separable resampling as matrices is exact area averaging and, for images this small,
    faster than a round trip through Pillow.
    """
    if ink.shape == size:
        return ink
    rows = _resampling_matrix(ink.shape[0], size[0])
    cols = _resampling_matrix(ink.shape[1], size[1])
    return rows @ ink @ cols.T
