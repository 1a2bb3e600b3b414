"""How large a drawing may be: the limits strokes read from a file must keep.

The canvas records a few hundred points per digit in a scene 280 units tall, with
brushes up to 80 units wide. A strokes file can claim anything: coordinates of 1e308,
an eraser a million units wide, a million points. The rasteriser survives such values
but would spend seconds on them, so a drawing that leaves these bounds is refused when
it is read, with a one-line reason, long before it is drawn.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from digitpad.core.types import Stroke

# Canvas units: the scene is 280 tall and a written number a few thousand wide.
MAX_COORDINATE = 1e6
# Canvas units: the widest brush is 40 and the eraser twice that.
MAX_STROKE_WIDTH = 1000.0
# A slow stroke on a fast tablet records a few thousand points; a digit a few hundred.
MAX_STROKE_POINTS = 10_000
MAX_DRAWING_POINTS = 20_000
# Ink points times the points of later erasers: the eraser test compares each pair (its
# cost, about 0.1 us a pair per curve piece). A digit rubbed out a few times needs ~1e5.
MAX_ERASE_PAIRS = 2_000_000


def check_strokes(strokes: Sequence[Stroke]) -> None:
    """Refuse a drawing the rasteriser should not be asked to draw.

    Raises
    ------
    ValueError
        A coordinate, pressure or width that is not finite or out of bounds, or too
        many points in one stroke or in the drawing; the message says which, in one line.
    """
    total = ink = pairs = 0
    for stroke in strokes:
        if not (math.isfinite(stroke.width) and 0.0 < stroke.width <= MAX_STROKE_WIDTH):
            raise ValueError(
                f"stroke width {stroke.width:g} is not between 0 and {MAX_STROKE_WIDTH:g}"
            )
        count = len(stroke.points)
        if count > MAX_STROKE_POINTS:
            raise ValueError(f"a stroke of {count} points is too long (limit {MAX_STROKE_POINTS})")
        total += count
        if total > MAX_DRAWING_POINTS:
            raise ValueError(f"the drawing has more than {MAX_DRAWING_POINTS} points")
        if stroke.erase:
            pairs += ink * count
            if pairs > MAX_ERASE_PAIRS:
                raise ValueError("its erasers cross too many points to be drawn in time")
        else:
            ink += count
        for point in stroke.points:
            if not (abs(point.x) <= MAX_COORDINATE and abs(point.y) <= MAX_COORDINATE):
                raise ValueError(
                    f"point ({point.x:g}, {point.y:g}) is outside the drawing area "
                    f"(limit {MAX_COORDINATE:g})"
                )
            if not math.isfinite(point.pressure):
                raise ValueError(f"pressure {point.pressure} is not a number")
