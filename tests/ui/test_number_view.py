"""Writing a number in the window: real pen digits drawn with mouse events, read whole."""

from __future__ import annotations

import pytest
from PIL import Image
from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QGuiApplication, QMouseEvent
from PySide6.QtWidgets import QApplication

from benchmarks.numbers import place_digit
from digitpad.core import samples_dir
from digitpad.ui.canvas import SCENE_SIZE
from tests.shared_data import pendigits
from tests.ui.input_events import TWO, mouse_stroke
from training.pendigits import PenDigit, split_by_writer

HEIGHT = 120.0  # digit height in scene units: four digits fill a canvas grown once


@pytest.fixture(scope="module")
def writer() -> list[PenDigit]:
    """One held-out pendigits writer's digits."""
    return [d for d in split_by_writer(pendigits(), "test") if d.writer == 5]


def write(qtbot, window, writer: list[PenDigit], number: str) -> list[tuple[float, float]]:
    """Write ``number`` digit by digit with the mouse; returns each digit's x span."""
    spans, left = [], 20.0
    for label in map(int, number):
        digit = next(d for d in writer if d.label == label)
        strokes = place_digit(digit, HEIGHT, left, 200.0, 12.0)
        for stroke in strokes:
            mouse_stroke(qtbot, window.canvas, [(p.x, p.y) for p in stroke.points])
        xs = [p.x for s in strokes for p in s.points]
        spans.append((min(xs), max(xs)))
        left = max(xs) + 30.0
    return spans


def hover(canvas, position: QPointF) -> None:
    """Move the mouse over the canvas with no button held."""
    move = QMouseEvent(
        QEvent.Type.MouseMove,
        position,
        canvas.mapToGlobal(position),
        Qt.MouseButton.NoButton,
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(canvas, move)


def test_a_written_number_is_read_whole_with_a_box_per_digit(qtbot, window, writer) -> None:
    spans = write(qtbot, window, writer, "1984")

    number = window.number
    assert number.isVisible()
    assert window.canvas.scene_rect().width() > SCENE_SIZE  # the canvas grew to the right
    reading = number.reading()
    assert len(reading.digits) == 4
    assert number.numbers.text().startswith("Dense: ")
    assert f"CNN: {reading.number('cnn')}" in number.numbers.text()
    assert all(len(reading.number(model)) == 4 for model in reading.models)
    # Each digit reads as its own strokes drawn alone (the models are not under test).
    for digit in reading.digits:
        own = [s for s in window.canvas.strokes if digit.box[0] <= s.points[0].x <= digit.box[2]]
        alone = window.recognizer().predict_strokes(own)
        assert digit.prediction.answers == alone.answers
    for digit, (left, right) in zip(reading.digits, spans, strict=True):
        assert digit.box[0] <= left < right <= digit.box[2]
    # The bars follow the last digit written until another is picked.
    assert window.prediction() is reading.digits[3].prediction
    assert number.chip(3).isChecked()


def test_hovering_or_clicking_a_digit_shows_its_bars(qtbot, window, writer) -> None:
    write(qtbot, window, writer, "1984")
    reading = window.number.reading()

    box = reading.digits[1].box
    centre = window.canvas.map_from_scene((box[0] + box[2]) / 2, (box[1] + box[3]) / 2)
    with qtbot.waitSignal(window.predictionChanged) as shown:
        hover(window.canvas, centre)
    assert shown.args[0] is reading.digits[1].prediction
    assert window.results.prediction() is reading.digits[1].prediction
    assert window.number.boxes.box_at(centre) == 1

    qtbot.mouseClick(window.number.chip(2), Qt.MouseButton.LeftButton)
    assert window.results.prediction() is reading.digits[2].prediction
    assert window.number.selected() == 2
    assert window.number.focused_digit() is reading.digits[2]
    # Leaving the canvas goes back to the picked digit's bars.
    QApplication.sendEvent(window.canvas, QEvent(QEvent.Type.Leave))
    assert window.results.prediction() is reading.digits[2].prediction


def test_copy_puts_the_headline_models_number_on_the_clipboard(qtbot, window, writer) -> None:
    write(qtbot, window, writer, "40")
    window.set_headline_model("cnn")
    window.commands.copy_digit.trigger()
    assert QGuiApplication.clipboard().text() == window.number.reading().number("cnn")
    assert len(QGuiApplication.clipboard().text()) == 2


def test_uncertain_digits_are_marked(qtbot, window, writer) -> None:
    write(qtbot, window, writer, "40")
    # A scribble beside the number: no model is sure what it is.
    mouse_stroke(
        qtbot, window.canvas, [(300 + 6 * i, 90 + (40 if i % 2 else 0)) for i in range(12)]
    )
    reading = window.number.reading()
    unsure = reading.uncertain(window.headline_model())
    assert unsure, "a zigzag should not be read surely as a digit"
    for index in unsure:
        assert window.number.chip(index).text().endswith("?")
    assert "?</span>" in window.number.numbers.text()


def test_one_digit_works_as_before_and_clearing_hides_the_number(qtbot, window) -> None:
    mouse_stroke(qtbot, window.canvas, TWO)
    assert not window.number.isVisible()
    assert window.canvas.scene_rect().width() == SCENE_SIZE
    assert window.prediction().answers["cnn"].digit == 2
    window.commands.copy_digit.trigger()
    assert QGuiApplication.clipboard().text() == "2"

    window.canvas.clear()
    assert not window.number.isVisible()
    assert not window.number.boxes.isVisible()


def test_the_canvas_grows_as_a_number_is_written_and_undo_shrinks_it(qtbot, window, writer):
    assert window.canvas.scene_rect().width() == SCENE_SIZE
    write(qtbot, window, writer, "407")
    grown = window.canvas.scene_rect().width()
    assert grown > SCENE_SIZE
    # Everything written stays inside the scene, with room to go on.
    right = max(p.x for s in window.canvas.strokes for p in s.points)
    assert right < grown
    while window.canvas.can_undo():
        window.canvas.undo()
    assert window.canvas.scene_rect().width() == SCENE_SIZE
    assert not window.number.isVisible()


def test_an_opened_picture_of_a_number_gets_boxes_on_its_digits(qtbot, window) -> None:
    path = samples_dir() / "number-1984.png"
    assert window.open_image_file(path)
    qtbot.waitUntil(lambda: window.number.isVisible(), timeout=5000)
    reading = window.number.reading()
    assert len(reading.digits) == 4
    with Image.open(path) as picture:
        width, height = picture.size
    # The scene takes the picture's shape, so the picture fills it: boxes scale with it.
    scene = window.canvas.scene_rect()
    assert scene.width() / scene.height() == pytest.approx(width / height, 0.01)
    scale = scene.height() / height
    for digit, (box, _) in zip(reading.digits, window.number.boxes.scene_boxes(), strict=True):
        assert box.left() == pytest.approx(digit.box[0] * scale, abs=1.0)
        assert box.right() == pytest.approx(digit.box[2] * scale, abs=1.0)
    assert [window.number.chip(i).text().rstrip("?") for i in range(4)] == list(
        reading.number(window.headline_model())
    )


def test_the_chips_show_the_headline_models_digits(qtbot, window, writer) -> None:
    write(qtbot, window, writer, "27450")
    for model in ("dense", "cnn"):
        window.set_headline_model(model)
        reading = window.number.reading()
        chips = [window.number.chip(i).text() for i in range(len(reading.digits))]
        assert [c.rstrip("?") for c in chips] == list(reading.number(model))
        unsure = set(reading.uncertain(model))
        assert [c.endswith("?") for c in chips] == [i in unsure for i in range(len(chips))]
        shown = window.number.boxes.scene_boxes()
        assert [flag for _, flag in shown] == [i in unsure for i in range(len(chips))]
