"""The canvas makes room for a number between digits, never under the pen (issue 21,
items 1 and 2): written with real mouse events at the window's default size."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPointF, Qt

from benchmarks.numbers import place_digit
from digitpad.core import Point, Stroke
from digitpad.ui.canvas import SCENE_SIZE
from digitpad.ui.canvas_growth import scene_width
from digitpad.ui.canvas_history import CanvasContent
from tests.shared_data import pendigits
from tests.ui.input_events import drag_to, mouse_strokes_at, rest_pen, write_digit
from training.pendigits import PenDigit, split_by_writer

HEIGHT = 120.0  # a digit written a little under half the canvas high


@pytest.fixture(scope="module")
def writer() -> list[PenDigit]:
    """One held-out pendigits writer's digits."""
    return [d for d in split_by_writer(pendigits(), "test") if d.writer == 5]


def write_number(qtbot, window, writer: list[PenDigit], number: str) -> None:
    left = 20.0
    for label in map(int, number):
        digit = next(d for d in writer if d.label == label)
        strokes = place_digit(digit, HEIGHT, left, 200.0, 12.0)
        write_digit(qtbot, window.canvas, [[(p.x, p.y) for p in s.points] for s in strokes])
        right = max(p.x + s.width / 2 for s in strokes for p in s.points)
        # Never clipped: every digit was written inside the scene shown.
        assert right <= window.canvas.scene_rect().width()
        rest_pen(qtbot, window.canvas)
        left = right + 30.0


def test_a_twelve_digit_number_reads_right_at_the_default_size(qtbot, window, writer):
    assert window.size().width() == 1000  # the default size (no saved geometry)
    write_number(qtbot, window, writer, "071149628305")

    reading = window.number.reading()
    assert reading.number("cnn") == "071149628305"
    canvas = window.canvas
    assert canvas.scene_rect().width() >= 6 * SCENE_SIZE
    assert canvas.height() >= 150  # still a size to write on


def test_the_scene_waits_for_the_pen_to_rest_before_it_grows(qtbot, window):
    canvas = window.canvas
    # A 5 near the right edge, its body first, then its hat: the hat lands on the body.
    body = [(200.0, 120.0), (198.0, 170.0), (240.0, 165.0), (262.0, 200.0), (240.0, 240.0)]
    hat = [(202.0, 122.0), (262.0, 118.0)]
    on_screen = [[canvas.map_from_scene(x, y) for x, y in s] for s in (body, hat)]
    mouse_strokes_at(qtbot, canvas, on_screen[:1])
    assert not canvas.is_scene_settled()  # the ink wants more room...
    assert canvas.scene_rect().width() == SCENE_SIZE  # ...but the pen may come back

    mouse_strokes_at(qtbot, canvas, on_screen[1:])
    hat_start = canvas.strokes[-1].points[0]
    assert hat_start.x == pytest.approx(202.0, abs=1.0)  # where the person aimed it
    with qtbot.waitSignal(canvas.sceneResized, timeout=3000):
        pass  # the pen rests: now the scene grows
    assert canvas.scene_rect().width() > SCENE_SIZE
    assert canvas.is_scene_settled()


def test_undo_and_clear_give_the_room_back_at_once(qtbot, window, writer):
    write_number(qtbot, window, writer, "4071")
    assert window.canvas.scene_rect().width() > SCENE_SIZE
    window.canvas.clear()
    assert window.canvas.scene_rect().width() == SCENE_SIZE
    window.canvas.undo()
    assert window.canvas.scene_rect().width() > SCENE_SIZE


def test_undo_and_redo_from_kept_pictures_show_what_a_full_repaint_shows(qtbot, window):
    canvas = window.canvas
    for row in range(30):  # more strokes than the pictures kept between checkpoints
        y = 30.0 + 7 * row
        mouse_strokes_at(
            qtbot, canvas, [[canvas.map_from_scene(x, y + (x % 20)) for x in range(40, 230, 6)]]
        )
    for steps in (1, 3, 9, 27):
        for _ in range(steps):
            canvas.undo()
        shown = canvas.grab().toImage()
        canvas._forget_renderings()  # what painting every stroke again gives
        assert canvas.grab().toImage() == shown
        canvas.redo()
        shown = canvas.grab().toImage()
        canvas._forget_renderings()
        assert canvas.grab().toImage() == shown


def test_a_press_beside_the_paper_of_a_wide_canvas_draws_nothing(qtbot, window, writer):
    write_number(qtbot, window, writer, "40")
    canvas = window.canvas
    paper = canvas.map_from_scene(0.0, 0.0)
    assert paper.x() > 20  # the canvas widget is wider than the scene shown
    strokes = len(canvas.strokes)
    beside = [QPointF(paper.x() - 15, paper.y() + 40 + 5 * i) for i in range(10)]

    qtbot.mousePress(canvas, Qt.MouseButton.LeftButton, pos=beside[0].toPoint())
    for position in beside[1:]:
        drag_to(canvas, position)
    qtbot.mouseRelease(canvas, Qt.MouseButton.LeftButton, pos=beside[-1].toPoint())

    assert len(canvas.strokes) == strokes


@pytest.mark.parametrize(
    ("xs", "wider"),
    [
        ([(110.0, 170.0)], False),  # one digit in the middle: stays square
        ([(60.0, 120.0)], False),  # left of the middle, still one digit
        ([(20.0, 90.0)], True),  # hugging the left edge: a number begins
        ([(60.0, 110.0), (150.0, 200.0)], True),  # two digits side by side
        ([(90.0, 262.0)], True),  # ink near the right edge
    ],
)
def test_when_the_scene_widens(xs, wider):
    strokes = tuple(Stroke((Point(left, 100.0), Point(right, 180.0)), 0.0) for left, right in xs)
    assert (scene_width(CanvasContent(strokes=strokes), SCENE_SIZE) > SCENE_SIZE) is wider
