"""What the canvas holds, and the undo/redo history of it.

Each entry is an immutable snapshot (background image plus strokes), so undo and redo are
moving an index, and clearing or opening an image is as undoable as a stroke.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from PySide6.QtGui import QImage

from digitpad.core import Stroke


@dataclass(frozen=True)
class CanvasContent:
    """One state of the canvas.

    ``background`` is an opened or pasted picture, shown as it is; ``background_dark``
    says whether it is mostly dark (light ink on black, MNIST style), so strokes drawn
    over it take the colour that shows on it.
    """

    background: QImage | None = None
    background_dark: bool = False
    strokes: tuple[Stroke, ...] = ()

    @property
    def is_empty(self) -> bool:
        return self.background is None and not self.strokes

    def with_stroke(self, stroke: Stroke) -> CanvasContent:
        return replace(self, strokes=(*self.strokes, stroke))


class CanvasHistory:
    """A linear undo history: committing after an undo drops the redo branch."""

    def __init__(self) -> None:
        self._states: list[CanvasContent] = [CanvasContent()]
        self._index = 0

    @property
    def current(self) -> CanvasContent:
        return self._states[self._index]

    def commit(self, content: CanvasContent) -> None:
        del self._states[self._index + 1 :]
        self._states.append(content)
        self._index += 1

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
