"""Split a drawing of a number into its digits, from its strokes.

People write a number digit by digit, left to right, and finish a digit before starting
the next; some digits take two strokes (a 5's hat, a 4's or a 7's second stroke, an 8 in
two loops, a 9's stem). So the strokes are walked in the order they were drawn and each
one either continues the digit being written or starts a new one. A stroke continues the
digit when it lies over it (its middle inside the digit's span), or touches it while
lying mostly above or below it, or is a small mark (a hat, a bar) over it. Everything is
measured against the digit height, so the size of the writing does not matter. A stroke
added later to an earlier digit (a 7 crossed at the end) joins that digit when it is a
small mark lying well inside it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from digitpad.core.preprocessing import pressure_width, smooth_polyline, surviving_ink_points
from digitpad.core.types import Point, Stroke

# Reads strokes as one digit: which digit, and how sure the models are (0..1).
Reader = Callable[[Sequence[Stroke]], tuple[int, float]]

# All fractions below are of the digit height (the tallest stroke).
# A stroke whose middle lies this far inside the digit's right edge lies over it.
INSIDE_MARGIN = 0.15
# ...or this far left of its left edge (a hat drawn leftwards past the stem).
LEFT_SLACK = 0.1
# Strokes closer than this touch (pen samples are up to a tenth of a second apart).
TOUCH_DISTANCE = 0.08
# A touching stroke continues the digit when this share of its width lies over it.
TOUCH_OVERLAP = 0.5
# A stroke starting this far right of the digit starts the next digit.
CLEAR_GAP = 0.2
# A stroke that passes this close across the end of the digit's last stroke (within a
# band this high), from this far above it to this far below, finishes the digit.
END_REACH = 0.15
END_BAND = 0.08
END_SPAN = (0.05, 0.2)
# ...where it ended between these heights (from the top, of both strokes' height).
END_LEVELS = (0.3, 0.8)
# An undecided stroke joins when the digit then reads at least this surely, and this
# much more surely than without it (chosen on pendigits' validation writers).
JOINED_SURENESS = 0.8
JOIN_GAIN = 0.1
# ...or, read as the same digit as without it, at least this much more surely.
SAME_GAIN = 0.02
# A mark lower than this (hat, bar, flag) belongs to the digit it overlaps...
SMALL_HEIGHT = 0.45
# ...when this share of its width lies over the digit.
SMALL_OVERLAP = 0.3


@dataclass(frozen=True)
class StrokeDigit:
    """One digit of a drawing: its strokes (erasers included) and its box.

    ``box`` is ``(x0, y0, x1, y1)`` in the drawing's units, pen width included.
    """

    strokes: tuple[Stroke, ...]
    box: tuple[float, float, float, float]


@dataclass(frozen=True)
class _Piece:
    """One ink stroke as it survives the erasers after it."""

    index: int
    path: np.ndarray  # (M, 2) dense points along the stroke
    pen: float

    @property
    def low(self) -> np.ndarray:
        return self.path.min(axis=0)

    @property
    def high(self) -> np.ndarray:
        return self.path.max(axis=0)


def _pieces(strokes: Sequence[Stroke]) -> list[_Piece]:
    """The ink strokes that something survives of, each as a dense path."""
    pieces = []
    for index, stroke in enumerate(strokes):
        if stroke.erase or not stroke.points:
            continue
        path = smooth_polyline(stroke.points)
        erasers = [s for s in strokes[index + 1 :] if s.erase and s.points]
        if erasers:
            dense = Stroke(tuple(Point(float(x), float(y)) for x, y in path), stroke.width)
            path = surviving_ink_points((dense, *erasers))
        if len(path):
            pen = max(pressure_width(stroke.width, p.pressure) for p in stroke.points)
            pieces.append(_Piece(index, path, pen))
    return pieces


class _Digit:
    """Pieces gathered into one digit so far, with their joint horizontal span."""

    def __init__(self, piece: _Piece) -> None:
        self.pieces = [piece]
        self.x0, self.x1 = float(piece.low[0]), float(piece.high[0])

    def add(self, piece: _Piece) -> None:
        self.pieces.append(piece)
        self.x0 = min(self.x0, float(piece.low[0]))
        self.x1 = max(self.x1, float(piece.high[0]))

    def touches(self, piece: _Piece, reach: float) -> bool:
        """Whether ``piece``'s path comes within ``reach`` of one of this digit's paths.

        Only the points of each path near the other's box are compared, so the pairs
        stay few however long the strokes are.
        """
        theirs = _near(piece.path, *self._box(), reach)
        for mine in self.pieces:
            near = _near(mine.path, piece.low, piece.high, reach)
            if len(near) and len(theirs):
                gaps = ((near[:, None, :] - theirs[None, :, :]) ** 2).sum(axis=2)
                if float(gaps.min()) <= reach * reach:
                    return True
        return False

    def _box(self) -> tuple[np.ndarray, np.ndarray]:
        low = np.min([p.low for p in self.pieces], axis=0)
        high = np.max([p.high for p in self.pieces], axis=0)
        return low, high


def _near(path: np.ndarray, low: np.ndarray, high: np.ndarray, reach: float) -> np.ndarray:
    """The points of ``path`` within ``reach`` of the box ``low``-``high``."""
    inside = np.all((path >= low - reach) & (path <= high + reach), axis=1)
    return path[inside]


def _overlap(digit: _Digit, piece: _Piece) -> float:
    return min(digit.x1, float(piece.high[0])) - max(digit.x0, float(piece.low[0]))


def _continues(digit: _Digit, piece: _Piece, height: float) -> bool | None:
    """Whether ``piece``, drawn right after ``digit``'s strokes, is part of that digit:
    True or False when the shapes say so, None when only reading them can tell."""
    overlap = _overlap(digit, piece)
    touching = digit.touches(piece, TOUCH_DISTANCE * height)
    marks = _is_small(piece, height) or all(_is_small(p, height) for p in digit.pieces)
    if overlap <= 0.0:
        if marks and touching:
            return True
        return None if -overlap < CLEAR_GAP * height else False
    width = float(piece.high[0] - piece.low[0]) + 1e-6
    middle = float(piece.low[0] + piece.high[0]) / 2.0
    if digit.x0 - LEFT_SLACK * height <= middle <= digit.x1 - INSIDE_MARGIN * height:
        return True
    narrower = min(width, digit.x1 - digit.x0 + 1e-6)
    if marks and overlap >= SMALL_OVERLAP * narrower:
        return True
    if touching and overlap >= TOUCH_OVERLAP * width:
        return True
    return True if _crosses_end(digit, piece, height) else None


def _crosses_end(digit: _Digit, piece: _Piece, height: float) -> bool:
    """Whether ``piece`` runs down past where the digit's first stroke ended, from well
    above it to well below: a 4's stem through the end of its bar, even drawn a little
    apart. No digit a number goes on with starts like that.
    """
    if len(digit.pieces) != 1:
        return False  # a 4's stem is its second stroke (a crossed 7's bar ends mid-height too)
    end = digit.pieces[0].path[-1]
    top = min(float(digit.pieces[0].low[1]), float(piece.low[1]))
    bottom = max(float(digit.pieces[0].high[1]), float(piece.high[1]))
    if not END_LEVELS[0] <= (end[1] - top) / max(bottom - top, 1e-6) <= END_LEVELS[1]:
        return False  # a 4's bar ends around its middle, not at its top or its bottom
    above, below = end[1] - END_SPAN[0] * height, end[1] + END_SPAN[1] * height
    if piece.low[1] > above or piece.high[1] < below:
        return False
    level = np.abs(piece.path[:, 1] - end[1]) <= END_BAND * height
    return bool(level.any()) and float(np.abs(piece.path[level, 0] - end[0]).min()) <= (
        END_REACH * height
    )


def _is_small(piece: _Piece, height: float) -> bool:
    return float(piece.high[1] - piece.low[1]) < SMALL_HEIGHT * height


def _late_mark(digit: _Digit, piece: _Piece, height: float) -> bool:
    """A small mark added to an earlier digit: it lies well inside that digit's span."""
    middle = float(piece.low[0] + piece.high[0]) / 2.0
    inside = digit.x0 + INSIDE_MARGIN * height <= middle <= digit.x1 - INSIDE_MARGIN * height
    return inside and _is_small(piece, height)


def digit_height(pieces: Sequence[_Piece]) -> float:
    """The height of one digit: the tallest stroke, or half the widest if all are flat."""
    heights = [float(p.high[1] - p.low[1]) for p in pieces]
    widths = [float(p.high[0] - p.low[0]) for p in pieces]
    return max(max(heights), 0.5 * max(widths), max(p.pen for p in pieces), 1e-6)


def split_strokes(strokes: Sequence[Stroke], reader: Reader | None = None) -> list[StrokeDigit]:
    """The digits of a drawing, left to right; empty when no ink survives.

    Where the shapes leave it open whether a stroke continues a digit (a 4's stem drawn
    a little apart, or the next digit written close), ``reader`` decides: it reads a set
    of strokes as one digit and says how sure it is (0..1). The stroke joins when the
    digit so far was unfinished (see ``finishes``). Without ``reader``, such a stroke
    starts a new digit.

    Each digit keeps its ink strokes in drawing order plus every eraser stroke, so
    rendering the digit's strokes rubs out exactly what the canvas shows rubbed out.
    """
    pieces = _pieces(strokes)
    if not pieces:
        return []
    height = digit_height(pieces)
    erased = [i for i, s in enumerate(strokes) if s.erase and s.points]
    digits: list[_Digit] = []

    def read(*group: _Piece) -> tuple[int, float]:
        assert reader is not None
        return reader(tuple(strokes[i] for i in sorted([p.index for p in group] + erased)))

    def finishes(digit: _Digit, piece: _Piece) -> bool:
        """Whether ``piece`` finishes an unfinished digit: with it the digit reads surely,
        clearly more surely than without (or as the same digit, a little more surely),
        and not merely as ``piece`` reads alone (then it is the next digit)."""
        alone, joined = read(*digit.pieces), read(*digit.pieces, piece)
        if joined[1] < JOINED_SURENESS:
            return False
        own = read(piece)
        if own[0] == joined[0] and own[1] >= joined[1] - SAME_GAIN:
            return False
        if joined[0] == alone[0]:
            return joined[1] > alone[1] + SAME_GAIN
        return joined[1] >= alone[1] + JOIN_GAIN

    for piece in pieces:
        verdict = _continues(digits[-1], piece, height) if digits else False
        if verdict is None and reader is not None:
            verdict = finishes(digits[-1], piece)
        if verdict:
            digits[-1].add(piece)
            continue
        earlier = [d for d in digits[:-1] if _late_mark(d, piece, height)]
        if earlier:
            earlier[-1].add(piece)
        else:
            digits.append(_Digit(piece))
    result = []
    for digit in sorted(digits, key=lambda d: (d.x0 + d.x1) / 2.0):
        indices = sorted([p.index for p in digit.pieces] + erased)
        points = np.concatenate([p.path for p in digit.pieces])
        pen = max(p.pen for p in digit.pieces) / 2.0
        low, high = points.min(axis=0) - pen, points.max(axis=0) + pen
        box = (float(low[0]), float(low[1]), float(high[0]), float(high[1]))
        result.append(StrokeDigit(tuple(strokes[i] for i in indices), box))
    return result


def entangled(first: Sequence[Stroke], second: Sequence[Stroke]) -> bool:
    """Whether two groups of strokes might be one drawing rather than two digits side
    by side: their inks touch, or one lies over the other for ``SMALL_OVERLAP`` of the
    narrower's width (a B's bowls on its stem, a K's arms, the bars of a #, a face's
    eyes inside its outline). Digits of a number written tight touch too."""
    ours, theirs = _pieces(first), _pieces(second)
    if not ours or not theirs:
        return False
    height = digit_height([*ours, *theirs])
    digit = _Digit(ours[0])
    for piece in ours[1:]:
        digit.add(piece)
    if any(digit.touches(piece, TOUCH_DISTANCE * height) for piece in theirs):
        return True
    x0 = min(float(p.low[0]) for p in theirs)
    x1 = max(float(p.high[0]) for p in theirs)
    overlap = min(digit.x1, x1) - max(digit.x0, x0)
    return overlap >= SMALL_OVERLAP * max(min(digit.x1 - digit.x0, x1 - x0), 1e-6)


def joined_at_both_ends(first: Sequence[Stroke], second: Sequence[Stroke]) -> bool:
    """Whether a stroke of one group starts and ends on the other's ink, one end high
    and the other low (``END_SPAN_HEIGHT`` apart): a B's bowls drawn from the top of its
    stem to its foot, or the stem drawn after, from the bowls' top end to their bottom
    end. Digits written tight touch at one place, not like that."""
    ours, theirs = _pieces(first), _pieces(second)
    if not ours or not theirs:
        return False
    height = digit_height([*ours, *theirs])
    reach = END_TOUCH * height

    def ends_on(piece: _Piece, others: Sequence[_Piece]) -> bool:
        ends = piece.path[[0, -1]]
        if abs(float(ends[0, 1] - ends[1, 1])) < END_SPAN_HEIGHT * height:
            return False  # not from top to bottom, as a B's bowls and its stem run
        ink = np.concatenate([p.path for p in others])
        gaps = ((ends[:, None, :] - ink[None, :, :]) ** 2).sum(axis=2).min(axis=1)
        return bool((gaps <= reach * reach).all())

    return any(ends_on(p, theirs) for p in ours) or any(ends_on(p, ours) for p in theirs)


# A stroke's end lies on other ink this close (of the digit height)...
END_TOUCH = 0.1
# ...and a stroke joined at both ends has them this far apart, of the digit height.
END_SPAN_HEIGHT = 0.6
