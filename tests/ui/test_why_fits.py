"""Why? fits a small screen (issue 21, items 4 and 11): the window never grows for it,
the canvas stays usable, closing it gives the room back, the heat maps are large, the
inner layers fold away, and the long tooltips wrap."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import QApplication, QToolTip

from digitpad.ui.canvas_layout import MIN_CANVAS_SIDE
from digitpad.ui.explanation_dock import MAX_WINDOW_SHARE
from digitpad.ui.explanation_panel import HEAT_MAP_SIDE
from tests.ui.input_events import THREE_BOTTOM, THREE_TOP, mouse_stroke

WORKER_TIMEOUT_MS = 30_000


def explain_a_three(qtbot, window) -> None:
    mouse_stroke(qtbot, window.canvas, THREE_TOP)
    with qtbot.waitSignal(window.explanations.runner.ready, timeout=WORKER_TIMEOUT_MS):
        mouse_stroke(qtbot, window.canvas, THREE_BOTTOM)
    qtbot.wait(50)  # the dock asks for its room once the layout has taken the result in


@pytest.mark.parametrize("size", [(1366, 740), (800, 600)])
def test_why_fits_the_window_and_closing_it_gives_the_room_back(qtbot, window, size):
    window.resize(*size)
    qtbot.waitUntil(lambda: window.size().toTuple() == size)
    window.toolbar_wrapping.update_rows()  # the rows as the window's width asks (once shown)
    qtbot.wait(50)
    canvas_before = window.canvas.height()

    qtbot.keyClick(window, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(window.explanations.isVisible)
    explain_a_three(qtbot, window)

    dock = window.explanations
    assert window.size().toTuple() == size  # the window did not grow
    assert dock.height() <= window.height() * MAX_WINDOW_SHARE + 1
    assert dock.height() >= 150  # the heat maps' row shows, at least most of it
    assert window.canvas.height() >= MIN_CANVAS_SIDE  # still a canvas to draw on
    for view in dock.panel.views.values():
        assert view.heat_map.width() == HEAT_MAP_SIDE
        assert not view.layers_box.isVisible()  # folded until asked for

    qtbot.mouseClick(dock.panel.layers_toggle, Qt.MouseButton.LeftButton)
    assert all(view.layers_box.isVisible() for view in dock.panel.views.values())
    qtbot.wait(50)
    assert window.size().toTuple() == size  # the layers scroll; the window stays
    assert dock.height() <= window.height() * MAX_WINDOW_SHARE + 1

    qtbot.keyClick(window, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not dock.isVisible())
    qtbot.waitUntil(lambda: window.canvas.height() == canvas_before)
    assert window.size().toTuple() == size


def test_the_heat_map_tooltip_wraps(qtbot, window):
    qtbot.keyClick(window, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    heat_map = window.explanations.panel.views["cnn"].heat_map
    qtbot.waitUntil(heat_map.isVisible)
    at = QPoint(10, 10)
    QApplication.sendEvent(
        heat_map, QHelpEvent(QHelpEvent.Type.ToolTip, at, heat_map.mapToGlobal(at))
    )
    qtbot.waitUntil(QToolTip.isVisible)
    tip = next(w for w in QApplication.topLevelWidgets() if w.inherits("QTipLabel"))
    assert "orange ink made the answer more likely" in QToolTip.text()
    assert tip.width() < 600  # wrapped into a paragraph, not one 1,400 px line
    assert tip.height() > 3 * tip.fontMetrics().height()
    QToolTip.hideText()
