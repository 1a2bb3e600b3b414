"""How wide the canvas's scene is: square for a digit, wider as a number is written.

The scene is always ``SCENE_SIZE`` units high. A drawing starts square, exactly as a
single digit needs. Once a number is being written (two digits side by side, or a first
one at the left leaving room for more) the scene keeps ``ROOM_AHEAD`` of its height free
to the right of the ink, room for the next digit before the pen gets there; a single
digit keeps only ``EDGE``. It widens by ``STEP`` heights at a time, up to ``MAX_WIDTH``
heights (room for a dozen digits written half the canvas high), so a long number rescales
the drawing a few times, not at every digit. When the canvas applies a new width is the
canvas's business (between digits, never under the pen); this module only says which.

An opened picture gets its own aspect ratio, within the same bounds, so a wide photo of a
number is not shrunk into a square. The width follows from the content alone, so undo,
redo and clear shrink the scene back with the ink.
"""

from __future__ import annotations

from digitpad.ui.canvas_history import CanvasContent

# Fractions of the scene height.
EDGE = 0.1
ROOM_AHEAD = 0.7  # a digit written half the canvas high, the gap before it, and some
STEP = 1.0
MAX_WIDTH = 8.0
# A lone digit written within this share of the scene's left edge starts a number (a digit
# meant alone is drawn nearer the middle).
NUMBER_START = (0.15, 0.4)


def writing_a_number(content: CanvasContent, height: float) -> bool:
    """Whether the ink looks like the start of a number rather than one digit: digits
    side by side, or one small digit hugging the left edge of the scene."""
    spans = content.spans
    if len(spans) != 1:
        return len(spans) >= 2
    left, right = spans[0]
    return left < NUMBER_START[0] * height and right < NUMBER_START[1] * height


def scene_width(content: CanvasContent, height: float) -> float:
    """The scene width (scene units) that ``content`` needs, for a scene ``height`` high."""
    widest = MAX_WIDTH * height
    if content.background is not None and content.background.height() > 0:
        aspect = content.background.width() / content.background.height()
        return min(max(aspect, 1.0), MAX_WIDTH) * height
    room = (ROOM_AHEAD if writing_a_number(content, height) else EDGE) * height
    right = content.ink_right
    width = height
    while right > width - room and width < widest:
        width = min(width + STEP * height, widest)
    return width
