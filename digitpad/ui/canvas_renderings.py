"""Pictures of recent canvas states, so undo and redo repaint a few strokes, not all.

Re-rendering every stroke made each undo step cost more the longer the drawing (28 ms a
step after 3,000 strokes, 3 ms after 10). The canvas keeps the pictures of its last few
states and of every ``CHECKPOINT``-th stroke count; a state is then drawn from the kept
picture of its longest prefix (same picture under it, its first strokes) plus the
strokes after it: at most ``CHECKPOINT`` strokes, however long the drawing.
"""

from __future__ import annotations

from PySide6.QtGui import QImage

from digitpad.core import Stroke
from digitpad.ui.canvas_history import MAX_UNDO_STEPS, CanvasContent

KEPT_RECENT = 4
CHECKPOINT = 25
# As far back as undo reaches, and the one it ends on: 10 pictures of about 1 MB each (4 MB
# on a high-DPI screen).
KEPT_CHECKPOINTS = MAX_UNDO_STEPS // CHECKPOINT + 2


def _same_ground(a: CanvasContent, b: CanvasContent) -> bool:
    return (
        a.background is b.background
        and a.background_dark == b.background_dark
        and a.background_paper == b.background_paper
    )


def _starts(content: CanvasContent, prefix: CanvasContent) -> bool:
    """Whether ``content`` is ``prefix`` with strokes added."""
    count = len(prefix.strokes)
    return (
        _same_ground(prefix, content)
        and count <= len(content.strokes)
        and content.strokes[:count] == prefix.strokes
    )


class Renderings:
    """Kept (content, picture) pairs; every picture matches the canvas's current size,
    scale and colours (the canvas forgets them all when any of those change)."""

    def __init__(self) -> None:
        self._kept: list[tuple[CanvasContent, QImage]] = []

    def __len__(self) -> int:
        return len(self._kept)

    def keep(self, content: CanvasContent, image: QImage) -> None:
        """Remember ``image`` as the picture of ``content`` (a shallow copy: Qt copies the
        pixels only if the canvas paints on its own picture afterwards)."""
        # Only states on the same line of history (undo or redo may reach them).
        self._kept = [
            (c, i)
            for c, i in self._kept
            if c is not content and (_starts(content, c) or _starts(c, content))
        ]
        self._kept.append((content, QImage(image)))
        recent = self._kept[-KEPT_RECENT:]
        older = [
            pair for pair in self._kept[:-KEPT_RECENT] if len(pair[0].strokes) % CHECKPOINT == 0
        ]
        self._kept = older[-KEPT_CHECKPOINTS:] + recent

    def clear(self) -> None:
        self._kept.clear()

    def closest(self, content: CanvasContent) -> tuple[QImage, tuple[Stroke, ...]] | None:
        """A kept picture to start ``content`` from, and the strokes still to paint on it;
        None when nothing kept is a prefix of it."""
        best: tuple[CanvasContent, QImage] | None = None
        for kept, image in self._kept:
            longer = best is None or len(kept.strokes) > len(best[0].strokes)
            if longer and _starts(content, kept):
                best = (kept, image)
        if best is None:
            return None
        return QImage(best[1]), content.strokes[len(best[0].strokes) :]
