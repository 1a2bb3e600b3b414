"""The drawing canvas driven by real mouse and pen events."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from digitpad.ui.canvas import DrawingCanvas
from digitpad.ui.qimage_convert import qimage_to_gray_array
from tests.ui.input_events import SEVEN, line, mouse_stroke, pen_stroke

HORIZONTAL = line((40, 140), (240, 140))
VERTICAL = line((140, 40), (140, 240))


@pytest.fixture
def canvas(qtbot) -> DrawingCanvas:
    widget = DrawingCanvas()
    widget.resize(400, 400)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def ink(canvas: DrawingCanvas) -> np.ndarray:
    """Ink per pixel of the 280 x 280 bitmap the models read (1 = black ink)."""
    return 1.0 - qimage_to_gray_array(canvas.render_bitmap()) / 255.0


def ink_thickness(canvas: DrawingCanvas, column: int = 140) -> int:
    """How many pixels of ink a vertical cut through the canvas crosses."""
    return int(np.count_nonzero(ink(canvas)[:, column] > 0.5))


def test_mouse_drag_records_one_stroke_through_the_points(qtbot, canvas):
    mouse_stroke(qtbot, canvas, SEVEN)

    assert len(canvas.strokes) == 1
    stroke = canvas.strokes[0]
    assert not stroke.erase
    assert len(stroke.points) > 20
    first, last = stroke.points[0], stroke.points[-1]
    assert (first.x, first.y) == pytest.approx(SEVEN[0], abs=1.5)
    assert (last.x, last.y) == pytest.approx(SEVEN[-1], abs=1.5)
    assert ink(canvas)[55, 140] > 0.9  # on the top bar of the 7
    assert ink(canvas)[200, 60] == 0.0  # far from it


def test_stroke_signals_move_while_drawing_and_finish_once(qtbot, canvas):
    moved, finished, changed = [], [], []
    canvas.strokeMoved.connect(lambda: moved.append(1))
    canvas.strokeFinished.connect(lambda: finished.append(1))
    canvas.changed.connect(lambda: changed.append(1))

    mouse_stroke(qtbot, canvas, HORIZONTAL)

    assert len(moved) > 10
    assert finished == [1]
    assert changed == [1]


def test_a_fast_stroke_with_few_samples_leaves_no_gaps(qtbot, canvas):
    mouse_stroke(qtbot, canvas, [(40, 140), (140, 140), (240, 140)])

    row = ink(canvas)[140, 40:241]
    assert np.all(row > 0.9)


def test_undo_and_redo_go_stroke_by_stroke(qtbot, canvas):
    mouse_stroke(qtbot, canvas, HORIZONTAL)
    mouse_stroke(qtbot, canvas, VERTICAL)

    with qtbot.waitSignal(canvas.changed):
        canvas.undo()
    assert len(canvas.strokes) == 1
    assert ink(canvas)[60, 140] == 0.0  # the vertical stroke is gone
    assert ink(canvas)[140, 60] > 0.9  # the horizontal one stays

    canvas.redo()
    assert len(canvas.strokes) == 2
    assert ink(canvas)[60, 140] > 0.9
    assert not canvas.can_redo()


def test_a_new_stroke_after_undo_drops_the_redo_branch(qtbot, canvas):
    mouse_stroke(qtbot, canvas, HORIZONTAL)
    canvas.undo()
    mouse_stroke(qtbot, canvas, VERTICAL)

    assert not canvas.can_redo()
    canvas.redo()
    assert [s.points[0].y for s in canvas.strokes] == pytest.approx([40], abs=1)


def test_clear_empties_the_canvas_emits_cleared_and_can_be_undone(qtbot, canvas):
    mouse_stroke(qtbot, canvas, HORIZONTAL)

    with qtbot.waitSignal(canvas.cleared):
        canvas.clear()
    assert canvas.is_empty()
    assert ink(canvas).max() == 0.0

    canvas.undo()
    assert len(canvas.strokes) == 1


def test_eraser_tool_rubs_out_ink(qtbot, canvas):
    mouse_stroke(qtbot, canvas, HORIZONTAL)
    canvas.set_eraser(True)

    mouse_stroke(qtbot, canvas, VERTICAL)

    assert canvas.strokes[-1].erase
    assert ink(canvas)[140, 140] == 0.0  # erased where the strokes cross
    assert ink(canvas)[140, 60] > 0.9  # untouched elsewhere
    canvas.undo()
    assert ink(canvas)[140, 140] > 0.9


def test_pen_pressure_sets_the_stroke_width(qtbot, canvas):
    pen_stroke(qtbot, canvas, HORIZONTAL, pressure=1.0)
    heavy = ink_thickness(canvas)
    canvas.clear()

    pen_stroke(qtbot, canvas, HORIZONTAL, pressure=0.2)
    light = ink_thickness(canvas)

    assert canvas.strokes[0].points[1].pressure == pytest.approx(0.2)
    assert heavy >= 1.8 * light > 0


def test_pressure_varying_along_a_stroke_varies_its_width(qtbot, canvas):
    pressures = np.linspace(0.1, 1.0, len(HORIZONTAL))

    pen_stroke(qtbot, canvas, HORIZONTAL, pressure=list(pressures))

    assert ink_thickness(canvas, column=60) < ink_thickness(canvas, column=220)


def test_pen_eraser_end_erases_even_with_the_brush_selected(qtbot, canvas):
    mouse_stroke(qtbot, canvas, HORIZONTAL)
    assert not canvas.is_eraser()

    pen_stroke(qtbot, canvas, VERTICAL, pressure=1.0, eraser=True)

    assert canvas.strokes[-1].erase
    assert ink(canvas)[140, 140] == 0.0
    assert ink(canvas)[140, 60] > 0.9


def test_the_stroke_in_progress_is_in_the_bitmap_before_release(qtbot, canvas):
    start = canvas.map_from_scene(40, 140).toPoint()
    qtbot.mousePress(canvas, Qt.MouseButton.LeftButton, pos=start)
    assert canvas.is_drawing()
    assert ink(canvas)[140, 40] > 0.5
    qtbot.mouseRelease(canvas, Qt.MouseButton.LeftButton, pos=start)
    assert not canvas.is_drawing()


def test_strokes_keep_their_place_when_the_canvas_is_resized(qtbot, canvas):
    mouse_stroke(qtbot, canvas, HORIZONTAL)
    before = ink(canvas)

    canvas.resize(600, 600)

    np.testing.assert_array_equal(ink(canvas), before)


def test_brush_size_sets_the_width_of_new_strokes(qtbot, canvas):
    canvas.set_brush_size(30)
    mouse_stroke(qtbot, canvas, HORIZONTAL)

    assert canvas.strokes[0].width == 30
    assert 27 <= ink_thickness(canvas) <= 33


def test_a_finger_on_a_touch_screen_draws(qtbot, canvas):
    finger = QTest.createTouchDevice()
    points = [canvas.map_from_scene(x, y).toPoint() for x, y in HORIZONTAL]

    with qtbot.waitSignal(canvas.strokeFinished):
        QTest.touchEvent(canvas, finger).press(0, points[0], canvas).commit()
        for point in points[1:]:
            QTest.touchEvent(canvas, finger).move(0, point, canvas).commit()
        QTest.touchEvent(canvas, finger).release(0, points[-1], canvas).commit()

    assert len(canvas.strokes) == 1
    assert ink(canvas)[140, 40:241].min() > 0.9


def test_the_cursor_is_a_ring_as_wide_as_the_brush(canvas):
    canvas.set_brush_size(10)
    small = canvas.cursor().pixmap().deviceIndependentSize().width()
    canvas.set_brush_size(30)
    large = canvas.cursor().pixmap().deviceIndependentSize().width()
    canvas.set_eraser(True)
    eraser = canvas.cursor().pixmap().deviceIndependentSize().width()

    scale = canvas.map_from_scene(280, 0).x() - canvas.map_from_scene(0, 0).x()
    assert large - small == pytest.approx(20 * scale / 280, abs=1.5)
    assert eraser > large
