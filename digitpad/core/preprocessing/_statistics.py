"""numpy's median and percentile, to the last bit, without what they cost at start-up.

``np.percentile`` interpolates through ``np.unique``, and ``np.median`` of floats looks
for NaN, and both of those import ``numpy.ma`` on first use: 10 ms of every
``digitpad predict`` that reads a photo. ``np.median`` also partitions out each row's
largest value for that look. These pick the same order statistics with one partition
and combine them exactly as numpy does, for the values a picture gives (no NaN).
"""

from __future__ import annotations

import math

import numpy as np


def median(values: np.ndarray, axis: int | None = None) -> np.ndarray:
    """``np.median(values, axis)`` of float values without NaN, to the last bit: the
    middle values partitioned out and averaged as numpy does."""
    if axis is None:
        values, axis = values.ravel(), 0
    size = values.shape[axis]
    half = size // 2
    middle = (half - 1, half) if size % 2 == 0 else (half,)
    ordered = np.partition(values, middle, axis=axis)
    return np.mean(np.take(ordered, middle, axis=axis), axis=axis)


def percentile(values: np.ndarray, share: float) -> float:
    """``np.percentile(values, share)`` (linear) of values without NaN, to the last bit:
    the two order statistics around it, interpolated as numpy does."""
    flat = values.ravel()
    virtual = (flat.size - 1) * (share / 100)
    below = math.floor(virtual)
    if virtual >= flat.size - 1:
        return float(np.max(flat))
    gamma = virtual - below
    ordered = np.partition(flat, (below, below + 1))
    low, high = ordered[below], ordered[below + 1]
    step = high - low
    return float(high - step * (1 - gamma) if gamma >= 0.5 else low + step * gamma)
