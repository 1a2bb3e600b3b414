"""Real input for the app's tests: digit shapes and mouse and pen strokes built from events.

Shapes are in scene units (the canvas scene is 280 x 280), so they draw the same digit
whatever size the canvas has on screen. The shapes and the mouse drag live in
``benchmarks.hand_input``, which the README screenshots draw with too.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QEvent, QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QInputDevice, QPointingDevice, QTabletEvent
from PySide6.QtWidgets import QApplication, QWidget

from benchmarks.hand_input import (
    ONE,
    SEVEN,
    THREE_BOTTOM,
    THREE_TOP,
    TWO,
    ZERO,
    ScenePoints,
    bezier,
    drag_to,
    ellipse,
    line,
    polyline,
)
from digitpad.ui.canvas import DrawingCanvas

__all__ = [
    "ONE",
    "SEVEN",
    "THREE_BOTTOM",
    "THREE_TOP",
    "TWO",
    "ZERO",
    "ScenePoints",
    "bezier",
    "drag_to",
    "ellipse",
    "line",
    "mouse_stroke",
    "mouse_strokes_at",
    "pen_device",
    "pen_stroke",
    "polyline",
    "rest_pen",
    "write_digit",
]


def mouse_stroke(qtbot, canvas: DrawingCanvas, points: ScenePoints) -> None:
    """Drag the left mouse button through ``points`` (scene units) and wait for the stroke."""
    positions = [canvas.map_from_scene(x, y) for x, y in points]
    with qtbot.waitSignal(canvas.strokeFinished, timeout=2000):
        qtbot.mousePress(canvas, Qt.MouseButton.LeftButton, pos=positions[0].toPoint())
        for position in positions[1:]:
            drag_to(canvas, position)
        qtbot.mouseRelease(canvas, Qt.MouseButton.LeftButton, pos=positions[-1].toPoint())


def mouse_strokes_at(qtbot, canvas: DrawingCanvas, strokes: Sequence[Sequence[QPointF]]) -> None:
    """Drag the mouse through each stroke's widget ``positions``, one stroke after another
    with no pause, as a hand does within one digit."""
    for positions in strokes:
        with qtbot.waitSignal(canvas.strokeFinished, timeout=2000):
            qtbot.mousePress(canvas, Qt.MouseButton.LeftButton, pos=positions[0].toPoint())
            for position in positions[1:]:
                drag_to(canvas, position)
            qtbot.mouseRelease(canvas, Qt.MouseButton.LeftButton, pos=positions[-1].toPoint())


def write_digit(qtbot, canvas: DrawingCanvas, strokes: Sequence[ScenePoints]) -> None:
    """Write one digit's strokes (scene units) where they are on screen when the digit
    starts: a person aims every stroke at the ink they see, so the scene must not move or
    rescale before the digit is done (asserted)."""
    scene = canvas.scene_rect()
    on_screen = [[canvas.map_from_scene(x, y) for x, y in points] for points in strokes]
    for positions in on_screen:
        mouse_strokes_at(qtbot, canvas, [positions])
        assert canvas.scene_rect() == scene, "the canvas rescaled in the middle of a digit"


def rest_pen(qtbot, canvas: DrawingCanvas) -> None:
    """Lift the pen between digits, long enough for the canvas to make room."""
    qtbot.waitUntil(canvas.is_scene_settled, timeout=3000)


def pen_device(eraser: bool = False) -> QPointingDevice:
    capabilities = QInputDevice.Capability.Position | QInputDevice.Capability.Pressure
    return QPointingDevice(
        "test eraser" if eraser else "test pen",
        2 if eraser else 1,
        QInputDevice.DeviceType.Stylus,
        QPointingDevice.PointerType.Eraser if eraser else QPointingDevice.PointerType.Pen,
        capabilities,
        1,
        2,
    )


def _tablet_event(
    kind: QEvent.Type, device: QPointingDevice, canvas: DrawingCanvas, at: QPointF, pressure: float
) -> QTabletEvent:
    held = (
        Qt.MouseButton.NoButton if kind == QEvent.Type.TabletRelease else Qt.MouseButton.LeftButton
    )
    button = (
        Qt.MouseButton.NoButton if kind == QEvent.Type.TabletMove else Qt.MouseButton.LeftButton
    )
    return QTabletEvent(
        kind, device, at, canvas.mapToGlobal(at), pressure, 0.0, 0.0, 0.0, 0.0, 0.0,
        Qt.KeyboardModifier.NoModifier, button, held,
    )  # fmt: skip


def pen_stroke(
    qtbot,
    canvas: DrawingCanvas,
    points: ScenePoints,
    pressure: float | Sequence[float],
    eraser: bool = False,
) -> None:
    """Draw ``points`` with a pen (or its eraser end) at the given pressure(s)."""
    device = pen_device(eraser)
    positions = [canvas.map_from_scene(x, y) for x, y in points]
    pressures = [pressure] * len(positions) if isinstance(pressure, float | int) else pressure
    with qtbot.waitSignal(canvas.strokeFinished, timeout=2000):
        kinds = [QEvent.Type.TabletPress] + [QEvent.Type.TabletMove] * (len(positions) - 1)
        for kind, position, level in zip(kinds, positions, pressures, strict=True):
            event = _tablet_event(kind, device, canvas, position, float(level))
            QApplication.sendEvent(canvas, event)
            assert event.isAccepted(), "the canvas must accept pen events"
        release = _tablet_event(QEvent.Type.TabletRelease, device, canvas, positions[-1], 0.0)
        QApplication.sendEvent(canvas, release)


def drop_file(window: QWidget, target: QWidget, path: Path) -> bool:
    """Drag ``path`` onto ``window`` over ``target`` and drop it, with real drag-and-drop
    events; whether the window accepted the drag."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    centre = target.geometry().center()
    enter = QDragEnterEvent(
        centre,
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(window, enter)
    drop = QDropEvent(
        QPointF(centre),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(window, drop)
    return enter.isAccepted()
