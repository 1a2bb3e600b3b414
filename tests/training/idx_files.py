"""Hand-made IDX files for the data-loading tests."""

from __future__ import annotations

import struct

import numpy as np


def idx_bytes(array: np.ndarray, magic: int) -> bytes:
    """``array`` (uint8) encoded as an IDX file with the given magic number."""
    header = struct.pack(f">I{array.ndim}I", magic, *array.shape)
    return header + np.ascontiguousarray(array, dtype=np.uint8).tobytes()
