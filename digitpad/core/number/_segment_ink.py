"""Split a picture of a number into its digits, from its ink alone.

A picture keeps no strokes, so the digits are found in the ink: its connected parts,
joined when they lie over one another (a 5's hat apart from its body, an 8's loops that
do not meet) or when the left one reads as a digit only with its neighbour (a 4 whose
stem stands apart); a part wide enough to hold two digits is cut where they touch,
along the path from top to bottom through the least ink, when both sides read as
digits. Everything is measured against the digit height (the tallest part), so the size
of the picture does not matter. The thresholds were chosen on pendigits' validation
writers (``python -m benchmarks.numbers --writers validation``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from digitpad.core.preprocessing import grow_mask, label_parts, part_boxes, stroke_width

# Ink at or above this level (of the strongest stroke) counts for connectivity: the faint
# antialiased halo between two close digits must not join them.
CONNECT_LEVEL = 0.3
# Lengths below are in digit heights. Parts no bigger than this that overlap no digit
# are specks.
SPECK_SIZE = 0.12
# At most this many parts are looked at (the biggest): twice the ten digits a number
# may have, each of up to three parts.
MAX_PARTS = 60
# A part lower than this is a mark (hat, bar, loop) that joins the digit it lies over...
MARK_HEIGHT = 0.55
# ...when this share of its width lies over that digit; two tall parts join only when
# this much of the narrower lies over the other.
MARK_OVERLAP = 0.3
TALL_OVERLAP = 0.75
# Parts further apart than this are different digits; closer ones join when the left
# one reads surely with the right one, and clearly more surely than alone.
CLEAR_GAP = 0.2
JOINED_SURENESS = 0.8
JOIN_GAIN = 0.1
# A part wider than this may be two digits: it is cut when its sides read as digits
# (each at least this surely) more surely than the whole, on average by this much...
MAYBE_TWO_WIDE = 0.6
CUT_SURENESS = 0.6
CUT_GAIN = 0.15
# ...or, wider than this, at least as surely as the whole (a wide 0 stays whole).
TWO_DIGITS_WIDE = 1.05
# Each side of a cut is at least this wide and this tall.
PART_MIN_WIDTH = 0.15
PART_MIN_HEIGHT = 0.5
# A cut crosses at most this many stroke widths of ink...
VALLEY_STROKES = 2.6
# ...sways at most this much from side to side, and leaves two sides that overlap across
# by at most this share of the narrower and share this share of the shorter's rows.
MAX_SWAY = 0.35
CUT_OVERLAP = 0.5
SIDE_BY_SIDE = 0.6
# A cut's price per sideways step (pixels of ink), and how many places are tried.
_DRIFT = 0.05
_TRIES = 12
# The models choose among at most this many clear cuts of a part.
CUT_CANDIDATES = 4


# Reads a digit's ink: which digit, and how sure the models are (0..1).
Reader = Callable[[np.ndarray], tuple[int, float]]


@dataclass(frozen=True)
class InkDigit:
    """One digit of a picture: its ink alone (others' ink zeroed) and its box.

    ``ink`` is float32 (0 none, 1 full), the size of ``box`` = ``(x0, y0, x1, y1)`` in the
    picture's pixels (``x1``, ``y1`` exclusive).
    """

    ink: np.ndarray
    box: tuple[int, int, int, int]


@dataclass
class _Part:
    """Ink parts joined into one candidate digit: their labels and joint box."""

    labels: set[int]
    x0: int
    y0: int
    x1: int
    y1: int

    @property
    def width(self) -> int:
        return self.x1 - self.x0

    @property
    def height(self) -> int:
        return self.y1 - self.y0

    def overlap(self, other: _Part) -> int:
        return min(self.x1, other.x1) - max(self.x0, other.x0)

    def join(self, other: _Part) -> None:
        self.labels |= other.labels
        self.x0, self.y0 = min(self.x0, other.x0), min(self.y0, other.y0)
        self.x1, self.y1 = max(self.x1, other.x1), max(self.y1, other.y1)


def _parts(labels: np.ndarray, count: int) -> list[_Part]:
    """One part per label 1..count, with its box from the label's extreme pixels."""
    boxes = part_boxes(labels, count)
    return [_Part({i + 1}, *(int(v) for v in boxes[i])) for i in range(count)]


def _join_overlapping(parts: list[_Part], height: float) -> list[_Part]:
    """Join parts lying over one another until no pair qualifies, left to right."""
    parts = sorted(parts, key=lambda p: p.x0)
    joined = True
    while joined:
        joined = False
        for i, a in enumerate(parts):
            for b in parts[i + 1 :]:
                overlap = a.overlap(b)
                if overlap <= 0:
                    continue
                small = min((a, b), key=lambda p: p.height)
                narrow = min(a.width, b.width)
                is_mark = small.height < MARK_HEIGHT * height
                share = overlap / max(small.width if is_mark else narrow, 1)
                if share >= (MARK_OVERLAP if is_mark else TALL_OVERLAP):
                    a.join(b)
                    parts.remove(b)
                    joined = True
                    break
            if joined:
                break
    return parts


def _cuts(mask: np.ndarray, height: float, stroke: float) -> list[tuple[np.ndarray, np.ndarray]]:
    """Where a part may be cut in two: each candidate's (left, right) masks, cheapest
    first; empty when there is no clear cut.

    A cut runs from top to bottom through the least ink, drifting at most one column
    per row (a path, so it can pass between digits that touch at an angle or whose
    strokes overhang each other). It must cross at most ``VALLEY_STROKES`` stroke
    widths of ink and leave a digit-sized part (wide and tall enough) each side.
    """
    rows, width = mask.shape
    lowest = max(1, round(PART_MIN_WIDTH * height))
    if width <= 2 * lowest:
        return []
    # cost[c]: ink crossed by the cheapest path from the top to column c of this row;
    # a small price per sideways step keeps paths straight where ink allows.
    ink = mask.astype(np.float32)
    cost = ink[0].copy()
    came = np.zeros((rows, width), dtype=np.int8)
    for row in range(1, rows):
        left = np.concatenate(([np.inf], cost[:-1])) + _DRIFT
        right = np.concatenate((cost[1:], [np.inf])) + _DRIFT
        options = np.stack((left, cost, right))
        choice = np.argmin(options, axis=0)
        came[row] = choice.astype(np.int8) - 1
        cost = options[choice, np.arange(width)] + ink[row]
    tried: list[int] = []
    found: list[tuple[np.ndarray, np.ndarray]] = []
    for end in np.argsort(cost, kind="stable"):
        if cost[end] > VALLEY_STROKES * stroke or len(tried) == _TRIES:
            break
        # Cheap ends crowd together (a tail cut off anywhere costs the same); each try
        # is a different place.
        if not lowest <= end < width - lowest or any(abs(end - t) < lowest for t in tried):
            continue
        tried.append(int(end))
        path = np.empty(rows, dtype=int)
        path[-1] = end
        for row in range(rows - 1, 0, -1):
            path[row - 1] = path[row] + came[row, path[row]]
        if np.ptp(path) > MAX_SWAY * height:
            continue  # a cut runs down between two digits, not across one
        columns = np.arange(width)[None, :]
        left_mask = mask & (columns <= path[:, None])
        right_mask = mask & (columns > path[:, None])
        if any(np.array_equal(left_mask, other) for other, _ in found):
            continue  # another end, the same cut: paths meet where the ink is thinnest
        if _digit_sized(left_mask, right_mask, height, lowest):
            found.append((left_mask, right_mask))
            if len(found) == CUT_CANDIDATES:
                break
    return found


def _digit_sized(left: np.ndarray, right: np.ndarray, height: float, narrowest: int) -> bool:
    """Whether both sides of a cut are digit-sized and side by side, not one over the
    other (a cut across one digit)."""
    if not left.any() or not right.any():
        return False
    if any(
        _ink_extent(side, 1) < PART_MIN_HEIGHT * height or _ink_extent(side, 0) < narrowest
        for side in (left, right)
    ):
        return False
    left_cols, right_cols = np.flatnonzero(left.any(axis=0)), np.flatnonzero(right.any(axis=0))
    overlap = left_cols[-1] - right_cols[0] + 1
    narrower = min(_ink_extent(left, 0), _ink_extent(right, 0))
    left_rows, right_rows = np.flatnonzero(left.any(axis=1)), np.flatnonzero(right.any(axis=1))
    beside = min(left_rows[-1], right_rows[-1]) - max(left_rows[0], right_rows[0]) + 1
    shorter = min(_ink_extent(left, 1), _ink_extent(right, 1))
    return overlap <= CUT_OVERLAP * narrower and beside >= SIDE_BY_SIDE * shorter


def _ink_extent(mask: np.ndarray, axis: int) -> int:
    """How many rows (``axis`` 1) or columns (``axis`` 0) the ink spans."""
    filled = np.flatnonzero(mask.any(axis=axis))
    return int(filled[-1] - filled[0] + 1) if filled.size else 0


@dataclass(frozen=True)
class _Region:
    """A candidate digit: which pixels of its box are its ink, and the box."""

    mask: np.ndarray
    box: tuple[int, int, int, int]

    @classmethod
    def of(cls, mask: np.ndarray, x0: int, y0: int) -> _Region | None:
        """The region of ``mask`` (placed at x0, y0) trimmed to its ink; None if empty."""
        rows = np.flatnonzero(mask.any(axis=1))
        cols = np.flatnonzero(mask.any(axis=0))
        if not rows.size:
            return None
        trimmed = mask[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1]
        box = (x0 + int(cols[0]), y0 + int(rows[0]), x0 + int(cols[-1]) + 1, y0 + int(rows[-1]) + 1)
        return cls(trimmed, box)

    def join(self, other: _Region) -> _Region:
        x0, y0 = min(self.box[0], other.box[0]), min(self.box[1], other.box[1])
        x1, y1 = max(self.box[2], other.box[2]), max(self.box[3], other.box[3])
        mask = np.zeros((y1 - y0, x1 - x0), dtype=bool)
        for region in (self, other):
            bx0, by0, bx1, by1 = region.box
            mask[by0 - y0 : by1 - y0, bx0 - x0 : bx1 - x0] |= region.mask
        return _Region(mask, (x0, y0, x1, y1))

    def ink(self, ink: np.ndarray) -> np.ndarray:
        """This region's ink, faint edges included: everything within one pixel of its
        connected ink, nothing of a neighbour's."""
        x0, y0, x1, y1 = self.box
        return (ink[y0:y1, x0:x1] * grow_mask(self.mask)).astype(np.float32)


def _part_region(labels: np.ndarray, part: _Part) -> _Region:
    own = np.isin(labels[part.y0 : part.y1, part.x0 : part.x1], list(part.labels))
    return _Region(own, (part.x0, part.y0, part.x1, part.y1))


def split_ink(ink: np.ndarray, reader: Reader | None = None) -> list[InkDigit]:
    """The digits in a picture's ink (``ink_map``), left to right; empty without ink.

    Where the shapes leave it open (two parts close together, a part that may be two
    touching digits), ``reader`` decides: it reads a digit's ink (as ``InkDigit.ink``)
    and says which digit and how sure it is (0..1). Without it, close parts stay apart
    and only parts too wide for one digit are cut.
    """
    mask = ink >= CONNECT_LEVEL * float(ink.max(initial=0.0))
    if not mask.any():
        return []
    labels, count = label_parts(mask)
    parts = _parts(labels, count)
    height = float(max(p.height for p in parts))
    # Specks go first, and only the biggest parts are kept: a noisy or busy picture
    # must not turn into thousands of "digits" (nor take minutes joining them).
    speck = SPECK_SIZE * height
    parts = [p for p in parts if max(p.width, p.height) > speck] or parts
    if len(parts) > MAX_PARTS:
        sizes = np.bincount(labels.ravel(), minlength=count + 1)
        parts = sorted(parts, key=lambda p: -int(sizes[min(p.labels)]))[:MAX_PARTS]
    parts = _join_overlapping(parts, height)
    stroke = stroke_width(mask.astype(np.float32))

    def read(region: _Region) -> tuple[int, float]:
        assert reader is not None
        return reader(region.ink(ink))

    regions = [_part_region(labels, part) for part in parts]
    if reader is not None:
        regions = _join_close(regions, height, read)
    found = []
    for region in regions:
        found.extend(_split_region(region, height, stroke, read if reader else None))
    digits = [InkDigit(region.ink(ink), region.box) for region in found]
    return sorted(digits, key=lambda d: (d.box[0] + d.box[2]) / 2.0)


def _join_close(
    regions: list[_Region], height: float, read: Callable[[_Region], tuple[int, float]]
) -> list[_Region]:
    """Join a part to its left neighbour when that neighbour reads as a digit only with it."""
    regions = sorted(regions, key=lambda r: r.box[0])
    joined = regions[:1]
    for region in regions[1:]:
        last = joined[-1]
        if region.box[0] - last.box[2] < CLEAR_GAP * height:
            # As with strokes: the left part was an unfinished digit (a 4 without its
            # stem) when with the right part it reads surely, and clearly more surely.
            both = last.join(region)
            if read(both)[1] >= max(JOINED_SURENESS, read(last)[1] + JOIN_GAIN):
                joined[-1] = both
                continue
        joined.append(region)
    return joined


def _split_region(
    region: _Region,
    height: float,
    stroke: float,
    read: Callable[[_Region], tuple[int, float]] | None,
) -> list[_Region]:
    """``region`` cut at clear valleys into digits: always when it is too wide for one
    digit, and when it is merely wide if its two sides read as digits more surely.

    With a reader the models choose among the candidate cuts: the one whose sides they
    read most surely (the surer of its two sides' least sure) wins, as the best
    digit-string readers do; without one, the cheapest cut.
    """
    width = region.box[2] - region.box[0]
    if width < MAYBE_TWO_WIDE * height or (read is None and width < TWO_DIGITS_WIDE * height):
        return [region]
    x0, y0 = region.box[:2]
    sides = []
    for left_mask, right_mask in _cuts(region.mask, height, stroke):
        left, right = _Region.of(left_mask, x0, y0), _Region.of(right_mask, x0, y0)
        if left is not None and right is not None:
            sides.append((left, right))
            if read is None:
                break
    if not sides:
        return [region]
    left, right = sides[0]
    if read is not None:
        sureness = [(read(a)[1], read(b)[1]) for a, b in sides]
        best = max(range(len(sides)), key=lambda i: (min(sureness[i]), sum(sureness[i])))
        left, right = sides[best]
        # Too wide for most digits, yet a wide 0 or 2 is one: the sides must read as
        # digits at least as surely as the whole (clearly more surely when merely wide).
        gain = 0.0 if width >= TWO_DIGITS_WIDE * height else CUT_GAIN
        surest = sureness[best]
        if min(surest) < CUT_SURENESS or sum(surest) / 2 < read(region)[1] + gain:
            return [region]
    return [*_split_region(left, height, stroke, read), *_split_region(right, height, stroke, read)]
