"""How wide the canvas's scene is: square for a digit, wider as a number is written.

The scene is always ``SCENE_SIZE`` units high. A drawing starts square, exactly as a
single digit needs; when ink comes within ``EDGE`` of the right edge the scene widens by
``STEP`` (of its height) until the ink has room, up to ``MAX_WIDTH`` heights: room for
ten digits. An opened picture gets its own aspect ratio, within the same bounds, so a
wide photo of a number is not shrunk into a square. The width is derived from the
content, so undo, redo and clear shrink the scene back with the ink.
"""

from __future__ import annotations

from collections.abc import Sequence

from digitpad.core import Stroke
from digitpad.ui.canvas_history import CanvasContent

# Fractions of the scene height.
EDGE = 0.1
STEP = 0.5
MAX_WIDTH = 5.0


def ink_right(strokes: Sequence[Stroke]) -> float:
    """How far right the ink strokes reach (scene units; 0 for none)."""
    return max(
        (max(p.x for p in s.points) + s.width / 2 for s in strokes if s.points and not s.erase),
        default=0.0,
    )


def scene_width(content: CanvasContent, height: float, right: float | None = None) -> float:
    """The scene width (scene units) that ``content`` needs, for a scene ``height`` high.

    ``right`` is ``ink_right(content.strokes)`` when the caller knows it already (the
    canvas keeps it up to date stroke by stroke instead of rescanning every stroke).
    """
    widest = MAX_WIDTH * height
    if content.background is not None and content.background.height() > 0:
        aspect = content.background.width() / content.background.height()
        return min(max(aspect, 1.0), MAX_WIDTH) * height
    if right is None:
        right = ink_right(content.strokes)
    width = height
    while right > width - EDGE * height and width < widest:
        width = min(width + STEP * height, widest)
    return width
