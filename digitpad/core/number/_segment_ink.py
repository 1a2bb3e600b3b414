"""Split a picture of a number into its digits, from its ink alone.

A picture keeps no strokes, so the digits are found in the ink: its connected parts,
joined when they lie over one another (a 5's hat apart from its body, an 8's loops that
do not meet). Then, as the best digit-string readers do, the models choose: every part
wide enough to hold two digits is over-cut into pieces along paths from top to bottom
through little ink; each run of neighbouring pieces (of one part, or of parts close
together: a 4 whose stem stands apart) is a candidate digit; all candidates are read in
one batch, and the reading of the whole number whose digits the models are surest of
wins. Everything is measured against the digit height (the tallest part), so the size
of the picture does not matter. The prices were chosen on the validation writers
(``python -m training.paper_eval --split validation`` and
``python -m benchmarks.numbers --writers validation``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from digitpad.core.preprocessing import grow_mask, label_parts, part_boxes, stroke_width

# Ink at or above this level (of the strongest stroke) counts for connectivity: the faint
# antialiased halo between two close digits must not join them.
CONNECT_LEVEL = 0.4
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
# Two tall parts that share at most this share of the shorter's rows stand one above the
# other: the digits of a number stand side by side, so they are one digit (an 8 whose
# loops do not meet read "00") when MARK_OVERLAP of the narrower lies over the other.
STACKED_ROWS = 0.25
# Parts further apart than this are different digits; closer ones may be one.
CLEAR_GAP = 0.2
# A part wider than this may be two digits (the models choose)...
MAYBE_TWO_WIDE = 0.6
# ...and one wider than this is cut without them (a wide 0 stays whole).
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
# A cut crosses no more ink than this share of the part's rows, whatever the stroke
# width: a filled block's strokes are as wide as it is, yet a cut through it parts no
# digits (it read "1111").
CUT_INK_SHARE = 0.6
# A cut's price per sideways step (pixels of ink), and how many places are tried.
_DRIFT = 0.05
_TRIES = 12
# Without the models, the cheapest of at most this many clear cuts of a part is taken.
CUT_CANDIDATES = 4
# Over-cutting for the models tries cuts through up to this many stroke widths of ink.
OVERCUT_STROKES = 4.0
OVERCUT_DRIFT = 0.5
# The models also read an over-cut along straighter paths (digits that overlap: a
# winding path goes round the overlap, a straight one through it), and the better
# reading of the two wins.
STRAIGHT_DRIFT = 0.05
# Over-cutting also tries paths found from the bottom up (``_pieces``): each starts at
# another place at the top, so digits that touch low (a foot running under the next
# digit) part there. Such an over-cut's best reading wins only by RISING_PRICE more (its
# pieces may fail to show what the others show: a wide "47" read as one 4 whose 4 the
# others cut out), and it cuts only parts wider than RISING_WIDE (wider than one digit
# may be) that the paths from the top cut too: the others it cut gained nothing and cost
# reads. Chosen on the validation writers, held on the train writers; 0.8 rather than
# 0.5 (one number more) keeps letters written beside a digit read as digits almost as
# before (``python -m training.paper_letters``).
RISING_PRICE = 0.8
RISING_WIDE = 0.9
# Two neighbouring pieces of one part, one across at least this share of the other's
# width, are also read in the other order (``_crossed``; the first MAX_CROSSED such pairs):
# digits that overlap leave a piece of one between pieces of the other. Only the
# straight over-cut's pieces are (the straight paths run through the overlap; the
# winding ones' swapped gained nothing on the validation writers and cost reads).
CROSSED_OVERLAP = 0.9
MAX_CROSSED = 2
# The kinds of over-cut: (drift, paths from the bottom up, also read with pieces swapped).
_OVER_CUTS = (
    (OVERCUT_DRIFT, False, False),
    (STRAIGHT_DRIFT, False, True),
    (OVERCUT_DRIFT, True, False),
)
# A piece of a cut part holds at least this much ink (of a digit height squared).
_PIECE_INK = 0.004
# With the models: a digit is one piece of ink or up to this many neighbouring ones...
MAX_PIECES = 6
# ...no wider than this (a whole part is always a candidate, however wide).
MAX_DIGIT_WIDE = 1.5
# The reading that wins has the best sum of its digits' log sureness, less these
# prices: per cut through ink kept between two digits, per gap closed inside one digit,
# per digit height of width beyond WIDE_FREE, and for a digit lower than
# PART_MIN_HEIGHT (a tail or a mark cut off). Set by hand on the validation writers:
# ``python -m training.fit_number_prices`` fits them jointly on the train writers, and
# its fits did not read the validation writers better (docs/how-it-works/numbers.md).
CUT_PRICE = 0.3
JOIN_PRICE = 0.1
WIDE_PRICE = 1.0
WIDE_FREE = 0.9
SHORT_PRICE = 2.0
# Each digit read earns this: a sum of log sureness alone favours fewer digits.
DIGIT_BONUS = 0.0
# A digit some model's rule calls no digit (already read half as sure), and one the
# models read as different digits, costs this more. Models that disagree on a piece of
# ink mostly see no one digit in it (a "74" read whole as a 7 by one model only, a "37"
# as an 8); the price was chosen on the validation writers and held on the train
# writers (photos' numbers read exactly, 0.4 to 0.7 alike; lone digits over-split as
# before: ``python -m training.paper_singles``).
REFUSED_PRICE = 0.0
DISAGREED_PRICE = 0.4
# How wide each digit is for its own height: the mean and spread of log(width / height)
# of the train writers' digits (``python -m training.digit_widths``). A candidate read
# as a digit unusually wide or narrow for that digit (an "84" read as one wide 8, half
# an 8 read as a 3) costs WIDTH_WEIGHT per squared spread beyond WIDTH_FREE spreads.
DIGIT_WIDTHS = (
    (-0.147, 0.215),
    (-1.093, 0.423),
    (-0.143, 0.235),
    (-0.318, 0.225),
    (-0.350, 0.260),
    (-0.204, 0.228),
    (-0.405, 0.241),
    (-0.298, 0.233),
    (-0.370, 0.236),
    (-0.424, 0.226),
)
WIDTH_WEIGHT = 0.3
WIDTH_FREE = 1.5
# A part lower than this that joins no digit is a stray mark (a speck of the paper, a
# stub of a ruled line, a fragment beside a digit), not a digit on its own: the models
# join it to a neighbour when that reads better, or it is dropped.
STRAY_HEIGHT = 0.35
# A piece cut from a part the models call no digit as a whole (a K, an M) stands as a
# digit only when every model's rule accepts it, every model reads the same digit and
# the models are at least this sure of it: cutting is how a letter becomes digits.
CUT_LETTER_SURE = 0.9
# A picture of one part that every model accepts whole, agrees on and reads at least this
# surely, swallowing no digit (``HIDDEN_PRICE``), is that one digit, however wide: a wide
# 0 read "67" and a 2 whose loop read as a "0" had pieces read surely too. Set on the
# validation writers (no number of 2-5 digits is read so; ``python -m
# training.paper_eval --split validation``).
LONE_SURE = 0.99
# A part wider than this is no lone letter (nor digit): that the models refuse it
# whole says nothing (digits joined by a ruled line or a shadow).
LETTER_WIDE = 1.5
# A digit read in several pieces of ink that some of them already make, as surely,
# while the rest reads as a digit of its own as surely (at least HIDDEN_SURE) and both
# stand this tall (of the digit height) (a "71" read as one wide 7, a "47" as a 4),
# costs HIDDEN_PRICE: its ink holds a digit more. A candidate narrower than HIDDEN_WIDE
# holds no two digits side by side. Set on the validation writers (``python -m
# training.paper_eval --split validation``; lone digits over-split: ``python -m
# training.paper_singles``).
HIDDEN_TALL = 0.7
HIDDEN_WIDE = 0.5
HIDDEN_SURE = 0.9
HIDDEN_PRICE = 0.5


class Prices(NamedTuple):
    """The split chooser's prices (see the constants above): what a reading's digits'
    log sureness is charged. ``training.fit_number_prices`` fits them jointly."""

    cut: float = CUT_PRICE
    join: float = JOIN_PRICE
    wide: float = WIDE_PRICE
    wide_free: float = WIDE_FREE
    short: float = SHORT_PRICE
    digit_bonus: float = DIGIT_BONUS
    refused: float = REFUSED_PRICE
    disagreed: float = DISAGREED_PRICE
    width_weight: float = WIDTH_WEIGHT
    width_free: float = WIDTH_FREE
    hidden: float = HIDDEN_PRICE


# The prices ``split_ink`` reads with.
PRICES = Prices()


class InkRead(NamedTuple):
    """What the models read in one candidate digit's ink.

    ``sure`` is how sure they are of ``digit`` (0..1); ``refused`` when some model's
    rule calls it no digit; ``agreed`` when every model reads ``digit``.
    """

    digit: int
    sure: float
    refused: bool = False
    agreed: bool = True


# Reads digits' ink, all in one batch.
Reader = Callable[[Sequence[np.ndarray]], Sequence[InkRead]]


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
                rows = min(a.y1, b.y1) - max(a.y0, b.y0)
                stacked = rows <= STACKED_ROWS * small.height
                if share >= (MARK_OVERLAP if is_mark or stacked else TALL_OVERLAP):
                    a.join(b)
                    parts.remove(b)
                    joined = True
                    break
            if joined:
                break
    return parts


def _cut_paths(
    mask: np.ndarray,
    height: float,
    stroke: float,
    strokes: float = VALLEY_STROKES,
    drift: float = _DRIFT,
) -> list[np.ndarray]:
    """Where a part may be cut: paths from top to bottom (one column per row) through
    little ink, cheapest first; empty when there is no clear cut.

    A cut runs from top to bottom through the least ink, drifting at most one column
    per row (a path, so it can pass between digits that touch at an angle or whose
    strokes overhang each other), at ``drift`` pixels of ink a sideways step. It crosses
    at most ``strokes`` stroke widths of ink (and ``CUT_INK_SHARE`` of the rows), sways
    at most ``MAX_SWAY`` and leaves at least ``PART_MIN_WIDTH`` each side.
    """
    rows, width = mask.shape
    lowest = max(1, round(PART_MIN_WIDTH * height))
    if width <= 2 * lowest:
        return []
    # cost[c]: ink crossed by the cheapest path from the top to column c of this row;
    # a small price per sideways step keeps paths straight where ink allows.
    ink = mask.astype(np.float32)
    cost = ink[0].copy()
    came = np.ones((rows, width), dtype=np.int8)
    # The row's costs between two impassable columns: each step's neighbours are views.
    padded = np.full(width + 2, np.inf)
    left, right, best = np.empty(width), np.empty(width), np.empty(width)
    for row in range(1, rows):
        padded[1:-1] = cost
        np.add(padded[:-2], drift, out=left)
        np.add(padded[2:], drift, out=right)
        np.minimum(np.minimum(left, cost, out=best), right, out=best)
        # The first of left, straight on and right that costs least (came is 1, right,
        # where neither of the others does).
        step = came[row]
        step[cost == best] = 0
        step[left == best] = -1
        cost = best + ink[row]
    tried: list[int] = []
    paths: list[np.ndarray] = []
    most = min(strokes * stroke, CUT_INK_SHARE * rows)
    for end in np.argsort(cost, kind="stable"):
        if cost[end] > most or len(tried) == _TRIES:
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
        if np.ptp(path) <= MAX_SWAY * height:  # between two digits, not across one
            paths.append(path)
    return paths


def _cuts(mask: np.ndarray, height: float, stroke: float) -> list[tuple[np.ndarray, np.ndarray]]:
    """Each clear cut of a part in two: its (left, right) masks, cheapest first; only
    cuts that leave a digit-sized part each side, side by side."""
    lowest = max(1, round(PART_MIN_WIDTH * height))
    columns = np.arange(mask.shape[1])[None, :]
    found: list[tuple[np.ndarray, np.ndarray]] = []
    for path in _cut_paths(mask, height, stroke):
        left_mask = mask & (columns <= path[:, None])
        right_mask = mask & (columns > path[:, None])
        if any(np.array_equal(left_mask, other) for other, _ in found):
            continue  # another end, the same cut: paths meet where the ink is thinnest
        if _digit_sized(left_mask, right_mask, height, lowest):
            found.append((left_mask, right_mask))
            if len(found) == CUT_CANDIDATES:
                break
    return found


def _pieces(
    mask: np.ndarray, height: float, stroke: float, drift: float, rising: bool = False
) -> list[np.ndarray]:
    """A part over-cut into pieces, left to right, along every clear cut: each digit
    of touching digits is one piece or a few neighbouring ones (the models choose).
    ``rising`` paths are found from the bottom up (see ``RISING_PRICE``)."""
    if rising:
        found = _cut_paths(mask[::-1], height, stroke, OVERCUT_STROKES, drift)
        paths = [path[::-1] for path in found]
    else:
        paths = _cut_paths(mask, height, stroke, OVERCUT_STROKES, drift)
    # Each path starts (ends, from the bottom up) at a different place.
    paths.sort(key=lambda path: int(path[0] if rising else path[-1]))
    columns = np.arange(mask.shape[1])[None, :]
    pieces = []
    done = np.zeros_like(mask)
    for path in paths:
        # Paths never cross: each runs at or right of the one before.
        left = mask & ~done & (columns <= path[:, None])
        if left.sum() >= _PIECE_INK * height * height:
            pieces.append(left)
            done |= left
    rest = mask & ~done
    if pieces and rest.sum() < _PIECE_INK * height * height:
        pieces[-1] = pieces[-1] | rest
    elif rest.any():
        pieces.append(rest)
    return pieces


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


def _find_regions(ink: np.ndarray) -> tuple[list[_Region], float, float] | None:
    """The ink's parts (joined where they lie over one another) left to right, the digit
    height and the stroke width; None without ink."""
    mask = ink >= CONNECT_LEVEL * float(ink.max(initial=0.0))
    if not mask.any():
        return None
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
    # Faint pencil breaks into many short parts: the digit height is that of the tallest
    # part once marks and broken strokes are joined.
    height = float(max(p.height for p in parts))
    stroke = stroke_width(mask.astype(np.float32))
    regions = sorted((_part_region(labels, part) for part in parts), key=lambda r: r.box[0])
    return regions, height, stroke


def split_ink(ink: np.ndarray, reader: Reader | None = None) -> list[InkDigit]:
    """The digits in a picture's ink (``ink_map``), left to right; empty without ink.

    Where the shapes leave it open (two parts close together, a part that may be
    several touching digits), ``reader`` decides: it reads digits' ink (as
    ``InkDigit.ink``, all in one call) and says for each which digit and how sure it is
    (0..1). Without it, close parts stay apart and only parts too wide for one digit
    are cut.
    """
    if reader is not None:
        return ink_candidates(ink, reader).choose()
    found = _find_regions(ink)
    if found is None:
        return []
    regions, height, stroke = found
    pieces = [piece for r in regions for piece in _split_region(r, height, stroke)]
    return _ink_digits(ink, pieces)


def _ink_digits(ink: np.ndarray, found: Sequence[_Region]) -> list[InkDigit]:
    digits = [InkDigit(region.ink(ink), region.box) for region in found]
    return sorted(digits, key=lambda d: _across(d.box))


def _across(box: tuple[int, int, int, int]) -> float:
    """Where a digit's box stands from left to right: its middle."""
    return (box[0] + box[2]) / 2.0


@dataclass(frozen=True)
class _OverCut:
    """One over-cut of a picture's parts: its pieces, their parts, the candidate digits
    and what the models read in each."""

    pieces: list[_Region]
    owner: list[int]
    spans: dict[tuple[int, int], tuple[_Region, int]]
    read: dict[tuple[int, int], InkRead]
    # What its best reading pays to win over the others' (``RISING_PRICE``).
    price: float = 0.0


@dataclass(frozen=True)
class InkCandidates:
    """A picture's candidate digits, every one read once: the reading can be chosen
    again with other prices without reading again (fitting the prices)."""

    ink: np.ndarray
    regions: list[_Region]
    height: float
    over_cuts: tuple[_OverCut, ...]

    def best(self, prices: Prices = PRICES) -> list[tuple[_Region, InkRead]]:
        """The best reading's digits left to right (as chosen), each with its read."""
        if not self.over_cuts:
            return []
        readings = [
            (*_best_reading(self.regions, cut, self.height, prices), cut)
            for cut in self._competing()
        ]
        _, keys, cut = max(readings, key=lambda reading: reading[0] - reading[2].price)
        return [(cut.spans[key][0], cut.read[key]) for key in keys]

    def score(self, prices: Prices = PRICES) -> float:
        """The best reading's score: its digits' summed log sureness less its prices
        (``_best_reading``, and its over-cut's ``price``); 0 without ink."""
        return max(
            (
                _best_reading(self.regions, cut, self.height, prices)[0] - cut.price
                for cut in self._competing()
            ),
            default=0.0,
        )

    def score_of(self, text: str, prices: Prices = PRICES) -> float | None:
        """The best score of a reading whose digits (the models' consensus, in their
        pieces' order) make ``text``; None when no split of the candidates reads it.

        Why a number was misread: when ``score_of`` its true text is below ``score``,
        the right digits were among the candidates and lost on the prices; when None,
        the split that reads them was never a candidate.
        """
        found = [
            (_best_path(cut, *_scores(self.regions, cut, self.height, prices), prices, text), cut)
            for cut in self._competing()
        ]
        return max(
            (reading[0] - cut.price for reading, cut in found if reading is not None),
            default=None,
        )

    def _competing(self) -> list[_OverCut]:
        """The over-cuts whose readings compete: the dearer kinds part touching digits,
        so a letter (a part the models refuse whole, alone) is read only by the plain
        ones."""
        if not self.over_cuts:
            return []
        letters = bool(_letters(self.regions, self.over_cuts[0], self.height))
        return [cut for cut in self.over_cuts if not (letters and cut.price)]

    def choose(self, prices: Prices = PRICES) -> list[InkDigit]:
        """The digits the models read best with ``prices``, as ``split_ink`` gives them."""
        return _ink_digits(self.ink, [region for region, _ in self.best(prices)])

    def digits(self, prices: Prices = PRICES) -> str:
        """The number the best reading's digits make (the models' consensus digits,
        left to right by centre, as ``choose`` orders them)."""
        chosen = sorted(self.best(prices), key=lambda r: _across(r[0].box))
        return "".join(str(read.digit) for _, read in chosen)


def ink_candidates(ink: np.ndarray, reader: Reader) -> InkCandidates:
    """Every candidate digit of a picture's ink (``ink_map``), read in one batch by
    ``reader``; ``InkCandidates.choose`` picks the digits (``split_ink`` with a reader)."""
    found = _find_regions(ink)
    if found is None:
        return InkCandidates(ink, [], 1.0, ())
    regions, height, stroke = found
    over_cuts = _read_over_cuts(ink, regions, height, stroke, reader)
    return InkCandidates(ink, regions, height, over_cuts)


def _read_over_cuts(
    ink: np.ndarray, regions: list[_Region], height: float, stroke: float, reader: Reader
) -> tuple[_OverCut, ...]:
    """Every part wide enough to hold two digits over-cut along its clear cuts, several
    ways, and every candidate read, as the best digit-string readers do.

    The over-cuts go along winding paths, along straight ones (``STRAIGHT_DRIFT``) and
    along winding ones found from the bottom up (``RISING_PRICE``), the straight one
    also with pieces that lie across each other swapped (``_crossed``); each run of neighbouring
    pieces is a candidate digit (``_candidates``), and the candidates of all over-cuts
    are read in one batch. The best of their best readings wins
    (``InkCandidates.best``).
    """
    over_cuts = []
    # The paths from the bottom up part only what those from the top part too: a part
    # they leave whole is one digit (or a letter), and reading it cut costs reads.
    cut_parts: set[int] = set()
    for drift, rising, swapped in _OVER_CUTS:
        pieces, owner = _over_cut(regions, height, stroke, drift, cut_parts if rising else None)
        cut_parts |= {part for part in owner if owner.count(part) > 1}
        for order in [pieces, *(_crossed(pieces, owner) if swapped else [])]:
            spans = _candidates(regions, order, owner, height)
            over_cuts.append((order, owner, spans, RISING_PRICE if rising else 0.0))
    # A candidate over-cuts share (a part none cuts, the same piece) is read once.
    unique = {
        _identity(region): region for _, _, spans, _ in over_cuts for region, _ in spans.values()
    }
    found = dict(zip(unique, reader([region.ink(ink) for region in unique.values()]), strict=True))
    return tuple(
        _OverCut(
            pieces,
            owner,
            spans,
            {key: found[_identity(region)] for key, (region, _) in spans.items()},
            price,
        )
        for pieces, owner, spans, price in over_cuts
    )


def _identity(region: _Region) -> tuple[tuple[int, int, int, int], bytes]:
    return region.box, np.packbits(region.mask).tobytes()


def _best_reading(
    regions: list[_Region], cut: _OverCut, height: float, prices: Prices
) -> tuple[float, list[tuple[int, int]]]:
    """The best reading of one over-cut: its score and its digits' candidates.

    The reading with the best sum of its digits' log sureness wins, less a price for
    each cut kept through ink, each gap closed, each too wide or too low digit, each
    digit unusually wide for the digit read and each digit that swallows another
    (``_hides_a_digit``); a stray mark is dropped or joined. A part the models call no
    digit as a whole (a letter) is cut only into pieces they all accept and agree on,
    surely (``CUT_LETTER_SURE``): as on the strokes path, a K's stem must not stand as a
    "1" beside its arms read as a "6". Beside a digit the models accept
    (``_beside_a_digit``) such a part is touching digits of a number and is cut freely.
    """
    score, strays = _scores(regions, cut, height, prices)
    found = _best_path(cut, score, strays, prices)
    assert found is not None  # every piece is a candidate digit or a stray
    return found


def _scores(
    regions: list[_Region], cut: _OverCut, height: float, prices: Prices
) -> tuple[dict[tuple[int, int], float], set[tuple[int, int]]]:
    """Each candidate digit's score, its log sureness less its prices, and the stray
    marks (``_best_reading``). A candidate that may not stand as a digit has no score.
    Apart from the path so that any reading of the candidates can be priced (why a
    number was misread: ``python -m training.paper_eval``'s failures)."""
    pieces, owner, spans, read = cut.pieces, cut.owner, cut.spans, cut.read
    whole = {owner[first]: (first, end) for first, end in _whole_parts(owner)}
    refused = _letters(regions, cut, height)
    strays = {
        (first, end)
        for first, end in whole.values()
        if end - first == 1 and _height(pieces[first]) < STRAY_HEIGHT * height
    }
    lone = _lone_digit(regions, cut, height)
    score = {}
    for key, found in read.items():
        if lone and key not in whole.values():
            continue  # one part read surely whole: its pieces are no digits
        region, gaps = spans[key]
        if _cuts_a_letter(key, owner, whole, refused) and not _surely_a_digit(found):
            continue
        if key in strays:
            continue  # a stray is dropped or joined, never a digit alone
        x0, y0, x1, y1 = region.box
        wide = (x1 - x0) / height - prices.wide_free
        penalty = prices.join * gaps + prices.wide * max(0.0, wide)
        unusual = _unusual_width(found.digit, (x1 - x0) / (y1 - y0), prices.width_free)
        penalty += prices.width_weight * unusual
        if y1 - y0 < PART_MIN_HEIGHT * height:
            penalty += prices.short  # a tail or a mark, not a digit
        penalty += prices.refused * found.refused + prices.disagreed * (not found.agreed)
        penalty += prices.hidden * _hides_a_digit(key, cut, height)
        score[key] = float(np.log(max(found.sure, 1e-6))) + prices.digit_bonus - penalty
    return score, strays


def _best_path(
    cut: _OverCut,
    score: dict[tuple[int, int], float],
    strays: set[tuple[int, int]],
    prices: Prices,
    text: str | None = None,
) -> tuple[float, list[tuple[int, int]]] | None:
    """The reading of the best summed score: each piece in one digit or a dropped
    stray, less ``prices.cut`` for each cut through ink kept between two digits.

    With ``text``, only readings whose digits make ``text`` (in their pieces' order);
    None when no split of the candidates reads it.
    """
    pieces, owner = cut.pieces, cut.owner
    digits = None if text is None else [int(digit) for digit in text]
    # best[(j, n)]: the best score of pieces 0..j-1 read as n digits (n counted only for
    # ``text``) or dropped as strays, where its last digit (or stray) starts, and
    # whether that is kept.
    best: dict[tuple[int, int], tuple[float, int, bool]] = {(0, 0): (0.0, -1, True)}
    counts = range(1 if digits is None else len(digits) + 1)
    for end in range(1, len(pieces) + 1):
        for count in counts:
            if (end - 1, end) in strays and (end - 1, count) in best:
                best[(end, count)] = (best[(end - 1, count)][0], end - 1, False)
        for first in range(end):
            if (first, end) not in score:
                continue
            for count, after in _counts(digits, cut.read[(first, end)].digit):
                if (first, count) not in best:
                    continue
                total = best[(first, count)][0] + score[(first, end)]
                if first > 0 and owner[first] == owner[first - 1]:
                    total -= prices.cut  # a cut through ink stays between two digits
                if (end, after) not in best or total > best[(end, after)][0]:
                    best[(end, after)] = (total, first, True)
    last = (len(pieces), 0 if digits is None else len(digits))
    if last not in best:
        return None
    chosen = []
    end, count = last
    while end > 0:
        _, first, kept = best[(end, count)]
        if kept:
            chosen.append((first, end))
            count -= digits is not None
        end = first
    return best[last][0], chosen[::-1]


def _counts(digits: list[int] | None, read: int) -> list[tuple[int, int]]:
    """How many digits a reading may hold before and after a digit read as ``read``:
    any (counted as 0) without ``digits``, else each place ``read`` takes in them."""
    if digits is None:
        return [(0, 0)]
    return [(n, n + 1) for n, digit in enumerate(digits) if digit == read]


def _letters(regions: list[_Region], cut: _OverCut, height: float) -> set[int]:
    """The parts the models call no digit as a whole, no wider than a letter
    (``LETTER_WIDE``), unless some part beside them is a digit (``_beside_a_digit``)."""
    whole = {cut.owner[first]: (first, end) for first, end in _whole_parts(cut.owner)}
    if _beside_a_digit(regions, whole, cut.read, height):
        return set()
    return {
        part
        for part, key in whole.items()
        if cut.read[key].refused
        and regions[part].box[2] - regions[part].box[0] <= LETTER_WIDE * height
    }


def _beside_a_digit(
    regions: list[_Region],
    whole: dict[int, tuple[int, int]],
    read: dict[tuple[int, int], InkRead],
    height: float,
) -> bool:
    """Whether some part of the picture is a digit that every model accepts and agrees
    on, digit-tall: then a part the models refuse whole is written among digits (two
    touching digits of a number), not a lone letter, and may be cut like any other."""
    return any(
        not read[key].refused
        and read[key].agreed
        and _height(regions[part]) >= PART_MIN_HEIGHT * height
        for part, key in whole.items()
    )


def _hides_a_digit(key: tuple[int, int], cut: _OverCut, height: float) -> bool:
    """Whether candidate ``key`` (pieces first..end-1) reads as a digit that some of its
    pieces already make as surely, while its other pieces make a digit of their own that
    the models read as surely, both tall: the candidate swallows a digit
    (``HIDDEN_PRICE``). A 1 with a flag and a foot, read surer whole than as its flag,
    stays one."""
    first, end = key
    found = cut.read[key]
    x0, _, x1, _ = cut.spans[key][0].box
    if x1 - x0 < HIDDEN_WIDE * height:
        return False  # too narrow to hold two digits side by side
    for middle in range(first + 1, end):
        for own, rest in (((first, middle), (middle, end)), ((middle, end), (first, middle))):
            if own not in cut.read or rest not in cut.read:
                continue
            same, other = cut.read[own], cut.read[rest]
            if (
                same.digit == found.digit
                and not same.refused
                and same.sure >= max(HIDDEN_SURE, found.sure)
                and not other.refused
                and other.sure >= max(HIDDEN_SURE, found.sure)
                and min(_height(cut.spans[own][0]), _height(cut.spans[rest][0]))
                >= HIDDEN_TALL * height
            ):
                return True
    return False


def _height(region: _Region) -> int:
    return region.box[3] - region.box[1]


def _unusual_width(digit: int, aspect: float, free: float) -> float:
    """How unusual ``aspect`` (width / height) is for ``digit``: squared spreads of the
    train writers' log aspect beyond ``free`` (``WIDTH_FREE``)."""
    mean, spread = DIGIT_WIDTHS[digit]
    beyond = max(0.0, (np.log(max(aspect, 1e-3)) - mean) / spread - free)
    return float(beyond * beyond)


def _whole_parts(owner: list[int]) -> list[tuple[int, int]]:
    """Each part's run of pieces ``(first, end)``."""
    runs = []
    for first, part in enumerate(owner):
        if first == 0 or owner[first - 1] != part:
            end = first
            while end < len(owner) and owner[end] == part:
                end += 1
            runs.append((first, end))
    return runs


def _cuts_a_letter(
    key: tuple[int, int],
    owner: list[int],
    whole: dict[int, tuple[int, int]],
    refused: set[int],
) -> bool:
    """Whether candidate ``key`` holds only some pieces of a part that the models call
    no digit as a whole."""
    first, end = key
    return any(
        owner[i] in refused and not (first <= whole[owner[i]][0] and whole[owner[i]][1] <= end)
        for i in (first, end - 1)
    )


def _lone_digit(regions: list[_Region], cut: _OverCut, height: float) -> bool:
    """Whether the picture is one part that every model accepts whole, agrees on and
    reads at least ``LONE_SURE`` surely, swallowing no digit (``_hides_a_digit``): that
    one digit."""
    if len(regions) != 1:
        return False
    key = (0, len(cut.pieces))
    found = cut.read[key]
    return (
        not found.refused
        and found.agreed
        and found.sure >= LONE_SURE
        and not _hides_a_digit(key, cut, height)
    )


def _surely_a_digit(read: InkRead) -> bool:
    """Whether every model accepts, agrees on and is sure of a candidate's digit."""
    return not read.refused and read.agreed and read.sure >= CUT_LETTER_SURE


def _over_cut(
    regions: list[_Region],
    height: float,
    stroke: float,
    drift: float,
    rising: set[int] | None = None,
) -> tuple[list[_Region], list[int]]:
    """Every part cut into pieces where it may hold several digits, left to right, and
    the part each piece comes from; with ``rising``, along paths from the bottom up and
    only those parts (``RISING_PRICE``)."""
    pieces: list[_Region] = []
    owner: list[int] = []
    for index, region in enumerate(regions):
        x0, y0 = region.box[:2]
        if rising is None:
            wide = region.box[2] - x0 >= MAYBE_TWO_WIDE * height
        else:
            wide = index in rising and region.box[2] - x0 >= RISING_WIDE * height
        cut = _pieces(region.mask, height, stroke, drift, rising is not None) if wide else []
        found = [_Region.of(piece, x0, y0) for piece in cut]
        kept = [piece for piece in found if piece is not None] if len(cut) > 1 else [region]
        pieces.extend(kept)
        owner.extend([index] * len(kept))
    return pieces, owner


def _crossed(pieces: list[_Region], owner: list[int]) -> list[list[_Region]]:
    """The over-cut's pieces in other orders: two neighbours of one part swapped where
    one lies across the other (``CROSSED_OVERLAP``). Digits that overlap leave a piece of
    one between pieces of the other, and a candidate digit is a run of neighbouring
    pieces."""
    orders = []
    for i in range(len(pieces) - 1):
        a, b = pieces[i].box, pieces[i + 1].box
        across = min(a[2], b[2]) - max(a[0], b[0])
        if owner[i] == owner[i + 1] and across >= CROSSED_OVERLAP * min(a[2] - a[0], b[2] - b[0]):
            orders.append([*pieces[:i], pieces[i + 1], pieces[i], *pieces[i + 2 :]])
    return orders[:MAX_CROSSED]


def _candidates(
    regions: list[_Region], pieces: list[_Region], owner: list[int], height: float
) -> dict[tuple[int, int], tuple[_Region, int]]:
    """The candidate digits: ``(i, j)`` -> pieces i..j-1 as one region, and how many gaps
    between parts it closes. Each whole part is one, however wide; so is each run of up
    to ``MAX_PIECES`` neighbouring pieces no wider than ``MAX_DIGIT_WIDE``, whose parts
    lie closer than ``CLEAR_GAP``."""
    spans: dict[tuple[int, int], tuple[_Region, int]] = {}
    for index, region in enumerate(regions):
        own = [i for i, part in enumerate(owner) if part == index]
        spans[(own[0], own[-1] + 1)] = (region, 0)
    for first, start in enumerate(pieces):
        joined, gaps, right = start, 0, start.box[2]
        spans.setdefault((first, first + 1), (joined, 0))
        for last in range(first + 1, min(len(pieces), first + MAX_PIECES)):
            piece = pieces[last]
            if owner[last] != owner[last - 1]:
                if piece.box[0] - right >= CLEAR_GAP * height:
                    break
                gaps += 1
            right = max(right, piece.box[2])
            joined = joined.join(piece)
            if joined.box[2] - joined.box[0] > MAX_DIGIT_WIDE * height:
                break
            spans.setdefault((first, last + 1), (joined, gaps))
    return spans


def _split_region(region: _Region, height: float, stroke: float) -> list[_Region]:
    """``region`` cut at clear valleys into digits where it is too wide for one digit
    (without the models: the cheapest cut)."""
    if region.box[2] - region.box[0] < TWO_DIGITS_WIDE * height:
        return [region]
    x0, y0 = region.box[:2]
    for left_mask, right_mask in _cuts(region.mask, height, stroke):
        left, right = _Region.of(left_mask, x0, y0), _Region.of(right_mask, x0, y0)
        if left is not None and right is not None:
            return [*_split_region(left, height, stroke), *_split_region(right, height, stroke)]
    return [region]
