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
def resampling_matrix(size_in: int, size_out: int) -> np.ndarray:
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
    rows = resampling_matrix(ink.shape[0], size[0])
    cols = resampling_matrix(ink.shape[1], size[1])
    return rows @ ink @ cols.T


# The middle of a 28-pixel axis in pixel-centre coordinates: turns and scalings pivot here.
FIELD_CENTRE = 13.5


def sample_affine(images: np.ndarray, matrices: np.ndarray, shifts: np.ndarray) -> np.ndarray:
    """Each of ``images`` ``(N, H, W)`` resampled through its own affine map (float32).

    For an output pixel at ``p`` (x, y), the value is read bilinearly at
    ``matrices[i] @ (p - FIELD_CENTRE - shifts[i]) + FIELD_CENTRE`` in the source, so
    ``matrices`` ``(N, 2, 2)`` is the output-to-input map and ``shifts`` ``(N, 2)`` moves
    the result by (x, y) pixels. Outside the source reads as background (0). The
    identity map with whole-pixel shifts copies pixels exactly.
    """
    count, height, width = images.shape
    rows, cols = np.mgrid[0:height, 0:width].astype(np.float32) - FIELD_CENTRE
    out_x = cols[None] - shifts[:, 0, None, None]
    out_y = rows[None] - shifts[:, 1, None, None]
    src_x = (
        matrices[:, 0, 0, None, None] * out_x + matrices[:, 0, 1, None, None] * out_y + FIELD_CENTRE
    )
    src_y = (
        matrices[:, 1, 0, None, None] * out_x + matrices[:, 1, 1, None, None] * out_y + FIELD_CENTRE
    )
    x0, y0 = np.floor(src_x).astype(np.int64), np.floor(src_y).astype(np.int64)
    fx, fy = (src_x - x0).astype(np.float32), (src_y - y0).astype(np.float32)
    padded = np.pad(np.asarray(images, dtype=np.float32), ((0, 0), (1, 2), (1, 2)))
    # The four neighbours are read with one flat index each (np.take on the whole padded
    # stack): three index arrays into a 3-D array cost about twice as much.
    stride = padded.shape[2]
    first = np.arange(count)[:, None, None] * padded.shape[1] * stride
    top_row = first + np.clip(y0 + 1, 0, height + 2) * stride
    next_row = first + np.clip(y0 + 2, 0, height + 2) * stride
    left, right = np.clip(x0 + 1, 0, width + 2), np.clip(x0 + 2, 0, width + 2)
    flat = padded.ravel()
    top = np.take(flat, top_row + left) * (1 - fx) + np.take(flat, top_row + right) * fx
    bottom = np.take(flat, next_row + left) * (1 - fx) + np.take(flat, next_row + right) * fx
    return (top * (1 - fy) + bottom * fy).astype(np.float32)
