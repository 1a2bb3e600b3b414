"""Give a drawing MNIST's stroke thickness before it is shrunk into the 20x20 box.

People draw with brushes far thinner or thicker than the pen MNIST's writers used; after
scaling, a hairline fades to grey and a marker fills the box with a blob. The stroke
width is estimated as ``2 * area / perimeter`` of the ink (exact for a long band) and,
when it falls outside what MNIST's digits show, grown with a grey-level dilation or
thinned with an erosion to just inside that range (``_INSIDE`` from its edge). Pulling
only that far, rather than to MNIST's median, keeps the change small for a stroke just
outside the range.
"""

from __future__ import annotations

import math

import numpy as np

from digitpad.core.preprocessing._geometry import fit_size, ink_bounds, resize_ink
from digitpad.core.preprocessing._statistics import percentile

# Stroke widths of MNIST digits in pixels of the 28x28 field, measured with
# stroke_width() on 10,000 MNIST training digits: the 2.5th and 97.5th percentiles
# (the median is 1.9).
MNIST_WIDTH_LOW = 1.15
MNIST_WIDTH_HIGH = 3.3
# How far inside the range a corrected stroke aims (box pixels): one dilation step at
# the working size moves the width by 0.5, so half a pixel keeps the result inside.
_INSIDE = 0.5
# Dilation and erosion run at this size (longer side, pixels): detailed enough for a
# one-pixel step to be a small fraction of a stroke, small enough to stay fast.
_WORKING_SIZE = 80
# The four diagonal neighbours, as slices of an array padded by one pixel.
_CORNERS = tuple((slice(r, r - 2 or None), slice(c, c - 2 or None)) for r in (0, 2) for c in (0, 2))


def stroke_width(ink: np.ndarray) -> float:
    """Mean stroke width in pixels as ``2 * area / perimeter`` of ink (0..1, 1 full ink).

    The area is the ink's total (a faint, shrunk hairline adds up to the thin line it
    was); the perimeter is that of the ink above half its peak.
    """
    peak = float(np.maximum.reduce(ink, axis=None)) if ink.size else 0.0
    if peak <= 0.0:
        return 0.0
    # The mask inside a frame of False: each edge between it and the frame is one of
    # the outer edges, so two comparisons count every edge (each numpy call costs
    # microseconds on every reading). Read flat, a pixel's right neighbour is the next
    # one and the one below it a row further on; the frame's columns keep a row's end
    # from meeting the next row's start.
    height, width = ink.shape
    framed = np.zeros((height + 2, width + 2), np.bool_)
    np.greater_equal(ink, 0.5 * peak, out=framed[1:-1, 1:-1])
    flat, row = framed.reshape(-1), width + 2
    edges = np.count_nonzero(flat[1:] != flat[:-1]) + np.count_nonzero(flat[row:] != flat[:-row])
    return 2.0 * float(np.add.reduce(ink, axis=None)) / edges


def _grow(ink: np.ndarray, steps: int, combine: np.ufunc) -> np.ndarray:
    """Grey-level dilation (``np.maximum``) or erosion (``np.minimum``) by ``steps`` pixels.

    Alternating the 3x3 square with the plus-shaped neighbourhood approximates a disc, so
    strokes thicken evenly in every direction instead of turning square.
    """
    pad = steps if combine is np.maximum else 0
    # One frame of empty pixels round the (dilation: widened) ink, for every step: each
    # step's result is written back inside it.
    padded = np.zeros((ink.shape[0] + 2 * pad + 2, ink.shape[1] + 2 * pad + 2), ink.dtype)
    centre = padded[1:-1, 1:-1]
    centre[pad : pad + ink.shape[0], pad : pad + ink.shape[1]] = ink
    result = centre.copy()
    for step in range(steps):
        if step:
            centre[...] = result
        result = combine(centre, padded[:-2, 1:-1])
        combine(result, padded[2:, 1:-1], out=result)
        combine(result, padded[1:-1, :-2], out=result)
        combine(result, padded[1:-1, 2:], out=result)
        if step % 2 == 1:
            for corner in _CORNERS:
                combine(result, padded[corner], out=result)
    return result


def _steps_to_target(width: float, longest: float, target: float, box: int) -> int:
    """Pixels to add (or remove, negative) on each side of every stroke.

    Growing strokes by r also grows the bounding box by 2r, which changes the scale into
    the box; solving ``(width + 2r) * box / (longest + 2r) = target`` accounts for it.
    Growth rounds up, as the antialiased edges it adds count for less than full ink.
    """
    share = target / box
    steps = (share * longest - width) / (2.0 * (1.0 - share))
    return math.ceil(steps) if steps > 0 else round(steps)


def normalise_stroke_width(ink: np.ndarray, box: int) -> np.ndarray:
    """Return ``ink`` (cropped to its bounds, peak 1) with MNIST-like strokes at ``box``.

    Drawings whose strokes are within MNIST's range are returned untouched, so an MNIST
    digit passes through unchanged.
    """
    width = stroke_width(ink)
    if width <= 0.0:  # no ink at all: nothing to thicken or thin
        return ink
    width_in_box = width * box / max(ink.shape)
    if MNIST_WIDTH_LOW <= width_in_box <= MNIST_WIDTH_HIGH:
        return ink
    target = min(max(width_in_box, MNIST_WIDTH_LOW + _INSIDE), MNIST_WIDTH_HIGH - _INSIDE)
    working = resize_ink(ink, fit_size(ink.shape, _WORKING_SIZE))
    # The width measured at full resolution, in working pixels: a hairline shrunk to the
    # working size blurs into a wider, fainter line that would measure too wide.
    scale = max(working.shape) / max(ink.shape)
    steps = _steps_to_target(width * scale, max(working.shape), target, box)
    if steps == 0:
        return ink
    if steps > 0:
        # A hairline shrunk to the working size is a faint grey line; dilation would only
        # widen the grey. Stretch the strokes' typical level to full ink first, as a
        # wider pen would have drawn them.
        drawn = working[working > 0.1 * float(working.max())]
        level = percentile(drawn, 90) if drawn.size else 0.0
        if level > 0.0:
            working = np.minimum(working / np.float32(level), 1.0)
    working = _grow(working, abs(steps), np.maximum if steps > 0 else np.minimum)
    peak = float(working.max())
    if peak <= 0.0:
        return ink
    return working[ink_bounds(working >= 0.1 * peak)] * np.float32(1.0 / peak)
