"""Connected parts of a mask, for finding digits and telling writing from the rest.

Written for speed in numpy: runs of a row are joined with the runs they touch in the
next row, so the Python loop is over runs (a few per row), not pixels.
"""

from __future__ import annotations

import numpy as np


def _runs(mask: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Horizontal runs of True: row, first column, column after the last (row-major)."""
    padded = np.zeros((mask.shape[0], mask.shape[1] + 2), dtype=np.int8)
    padded[:, 1:-1] = mask
    # Each row steps up where a run starts and down after it ends, in turn: every other
    # step (row-major) is a start, the ones between are the ends.
    rows, columns = np.nonzero(np.diff(padded, axis=1))
    return rows[::2], columns[::2], columns[1::2]


def label_parts(mask: np.ndarray) -> tuple[np.ndarray, int]:
    """Label the 8-connected parts of ``mask``: (labels 1..count, 0 background; count).

    Runs of a row are joined with the runs they touch in the next row, so the Python
    loop is over runs (a few per row), not pixels.
    """
    rows, run_starts, run_ends = _runs(mask)
    # Python ints: the loop below compares thousands of them, numpy's scalars cost more.
    starts, ends = run_starts.tolist(), run_ends.tolist()
    parent = list(range(len(rows)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    row_first = np.searchsorted(rows, np.arange(mask.shape[0] + 1))
    for row in range(mask.shape[0] - 1):
        a, a_end = int(row_first[row]), int(row_first[row + 1])
        b, b_end = a_end, int(row_first[row + 2])
        while a < a_end and b < b_end:
            # Diagonal neighbours touch: runs overlap when each starts before the other
            # ends plus one.
            if starts[a] <= ends[b] and starts[b] <= ends[a]:
                ra, rb = root(a), root(b)
                if ra != rb:
                    parent[max(ra, rb)] = min(ra, rb)
            if ends[a] < ends[b]:
                a += 1
            else:
                b += 1
    # Parts are numbered in the order their first runs come (row-major); every run's
    # pixels get its part's number at once.
    names: dict[int, int] = {}
    run_names = [names.setdefault(root(run), len(names) + 1) for run in range(len(rows))]
    lengths = run_ends - run_starts
    firsts = np.repeat(rows * mask.shape[1] + run_starts - np.cumsum(lengths) + lengths, lengths)
    labels = np.zeros(mask.shape, dtype=np.int32)
    labels.reshape(-1)[firsts + np.arange(firsts.size)] = np.repeat(
        np.array(run_names, dtype=np.int32), lengths
    )
    return labels, len(names)


def part_boxes(labels: np.ndarray, count: int) -> np.ndarray:
    """Each label's box from its extreme pixels: (count, 4) ints ``x0, y0, x1, y1``
    (``x1``, ``y1`` exclusive), row ``i`` for label ``i + 1``."""
    rows, cols = np.nonzero(labels)
    names = labels[rows, cols] - 1
    top, left = np.full(count, labels.shape[0]), np.full(count, labels.shape[1])
    bottom, right = np.zeros(count, int), np.zeros(count, int)
    np.minimum.at(top, names, rows)
    np.minimum.at(left, names, cols)
    np.maximum.at(bottom, names, rows)
    np.maximum.at(right, names, cols)
    return np.stack((left, top, right + 1, bottom + 1), axis=1)


def grow_mask(mask: np.ndarray) -> np.ndarray:
    """``mask`` widened by one pixel in every direction (3x3 dilation).

    The square is a row of three then a column of three: four ORs rather than nine.
    """
    height, width = mask.shape
    padded = np.zeros((height + 2, width + 2), mask.dtype)
    padded[1:-1, 1:-1] = mask
    across = padded[:, :-2] | padded[:, 1:-1]
    across |= padded[:, 2:]
    grown = across[:-2] | across[1:-1]
    grown |= across[2:]
    return grown
