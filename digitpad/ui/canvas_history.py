"""What the canvas holds, and the undo/redo history of it.

Each entry is an immutable snapshot (background image plus strokes), so undo and redo are
moving an index, and clearing or opening an image is as undoable as a stroke.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from PySide6.QtGui import QColor, QImage

from digitpad.core import Stroke

Span = tuple[float, float]


def stroke_span(stroke: Stroke) -> Span | None:
    """The x range (scene units) a stroke's ink covers, pen width included; None for an
    eraser stroke or an empty one (they add no ink)."""
    if stroke.erase or not stroke.points:
        return None
    xs = [point.x for point in stroke.points]
    return min(xs) - stroke.width / 2, max(xs) + stroke.width / 2


def merge_span(spans: tuple[Span, ...], new: Span) -> tuple[Span, ...]:
    """``spans`` (sorted, disjoint) with ``new`` merged in: what overlaps it becomes one."""
    left, right = new
    kept: list[Span] = []
    for span in spans:
        if span[1] < left or span[0] > right:
            kept.append(span)
        else:
            left, right = min(left, span[0]), max(right, span[1])
    kept.append((left, right))
    return tuple(sorted(kept))


def ink_spans(strokes: tuple[Stroke, ...]) -> tuple[Span, ...]:
    """The x ranges the ink covers, overlapping strokes merged: written digits side by
    side give one span each (a digit's strokes overlap across)."""
    spans: tuple[Span, ...] = ()
    for stroke in strokes:
        span = stroke_span(stroke)
        if span is not None:
            spans = merge_span(spans, span)
    return spans


@dataclass(frozen=True)
class CanvasContent:
    """One state of the canvas.

    ``background`` is an opened or pasted picture, shown as it is; ``background_dark``
    says whether it is mostly dark (light ink on black, MNIST style), so strokes drawn
    over it take the colour that shows on it; ``background_paper`` is its paper colour
    (the core's ``picture_paper``), which fills the canvas around a picture that is not
    the canvas's shape and which the eraser paints.

    ``spans`` are the x ranges the ink covers (``ink_spans``), kept up to date stroke by
    stroke, so asking how far the ink reaches costs the same after thousands of strokes.
    """

    background: QImage | None = None
    background_dark: bool = False
    background_paper: QColor | None = None
    strokes: tuple[Stroke, ...] = ()
    spans: tuple[Span, ...] = field(default=(), compare=False)

    def __post_init__(self) -> None:
        if self.strokes and not self.spans:
            object.__setattr__(self, "spans", ink_spans(self.strokes))

    @property
    def is_empty(self) -> bool:
        return self.background is None and not self.strokes

    @property
    def ink_right(self) -> float:
        """How far right the ink reaches (scene units; 0 for none)."""
        return max((span[1] for span in self.spans), default=0.0)

    def with_stroke(self, stroke: Stroke) -> CanvasContent:
        span = stroke_span(stroke)
        spans = self.spans if span is None else merge_span(self.spans, span)
        return replace(self, strokes=(*self.strokes, stroke), spans=spans)


# Undo reaches this many steps back, and the pictures the history holds together stay
# under this many bytes (each opened picture is up to 1024 x 1024 x 4 = 4 MB): older steps
# are forgotten first, so opening pictures all day cannot exhaust memory.
MAX_UNDO_STEPS = 200
MAX_HISTORY_BYTES = 64 * 1024 * 1024
_REFERENCE_BYTES = 8  # one stroke in one state's tuple (the strokes themselves are shared)


def history_bytes(states: list[CanvasContent]) -> int:
    """Memory the states hold: each distinct picture once, plus their stroke tuples."""
    pictures = {s.background.cacheKey(): s.background for s in states if s.background is not None}
    return sum(p.sizeInBytes() for p in pictures.values()) + _REFERENCE_BYTES * sum(
        len(s.strokes) for s in states
    )


class CanvasHistory:
    """A linear undo history: committing after an undo drops the redo branch.

    Bounded by ``max_steps`` and ``max_bytes``: the oldest states go first, never the
    current one.
    """

    def __init__(self, max_steps: int = MAX_UNDO_STEPS, max_bytes: int = MAX_HISTORY_BYTES) -> None:
        self._states: list[CanvasContent] = [CanvasContent()]
        self._index = 0
        self._max_steps = max_steps
        self._max_bytes = max_bytes

    @property
    def current(self) -> CanvasContent:
        return self._states[self._index]

    def commit(self, content: CanvasContent) -> None:
        del self._states[self._index + 1 :]
        self._states.append(content)
        self._index += 1
        excess = len(self._states) - 1 - self._max_steps
        if excess > 0:
            self._forget_oldest(excess)
        while self._index > 0 and history_bytes(self._states) > self._max_bytes:
            self._forget_oldest(1)

    def _forget_oldest(self, count: int) -> None:
        del self._states[:count]
        self._index -= count

    def __len__(self) -> int:
        """How many states are kept (the current one included)."""
        return len(self._states)

    def can_undo(self) -> bool:
        return self._index > 0

    def can_redo(self) -> bool:
        return self._index < len(self._states) - 1

    def undo(self) -> bool:
        """Step back one state; False when there is nothing to undo."""
        if not self.can_undo():
            return False
        self._index -= 1
        return True

    def redo(self) -> bool:
        """Step forward one state; False when there is nothing to redo."""
        if not self.can_redo():
            return False
        self._index += 1
        return True
