"""Correcting a reading: a bar clicked, or a digit typed on the canvas, keeps the drawing
as a sample of that digit, with Undo."""

from __future__ import annotations

import json

import pytest
from PIL import Image, ImageDraw
from PySide6.QtCore import Qt

from digitpad.core import SampleStore
from digitpad.core.personal import strokes_to_json
from digitpad.ui.probability_bars import ProbabilityBars
from tests.ui.input_events import ONE, SEVEN, ZERO, mouse_stroke


@pytest.fixture
def store() -> SampleStore:
    """The store the window uses: ``<user data>/samples`` in the test's sandbox home."""
    return SampleStore()


def click_bar(qtbot, bars: ProbabilityBars, digit: int) -> None:
    qtbot.mouseClick(bars, Qt.MouseButton.LeftButton, pos=bars.row_rect(digit).center().toPoint())


def kept_files(store: SampleStore, digit: int) -> list[str]:
    folder = store.root / str(digit)
    return sorted(path.suffix for path in folder.iterdir()) if folder.is_dir() else []


def test_clicking_a_bar_keeps_the_drawing_as_that_digit(qtbot, window, store):
    mouse_stroke(qtbot, window.canvas, SEVEN)
    assert window.prediction().answers["cnn"].digit == 7

    click_bar(qtbot, window.results.panels["cnn"].bars, 1)

    [sample] = store.samples()
    assert sample.label == 1
    assert kept_files(store, 1) == [".json", ".png"]
    document = json.loads(sample.image.with_suffix(".json").read_text())
    assert document["label"] == 1
    assert document["strokes"] == strokes_to_json(window.canvas.strokes)
    assert sample.strokes == window.canvas.strokes
    assert window.handwriting.notice.text() == "Saved as a 1 in your samples"
    assert window.handwriting.notice.undo_button.isVisible()


def test_the_dense_panel_bars_correct_too(qtbot, window, store):
    mouse_stroke(qtbot, window.canvas, ZERO)

    click_bar(qtbot, window.results.panels["dense"].bars, 8)

    assert [s.label for s in store.samples()] == [8]
    assert window.handwriting.notice.text() == "Saved as an 8 in your samples"


def test_typing_a_digit_on_the_canvas_keeps_the_drawing(qtbot, window, store):
    mouse_stroke(qtbot, window.canvas, ONE)
    window.canvas.setFocus()

    qtbot.keyClick(window.canvas, Qt.Key.Key_4)

    [sample] = store.samples()
    assert sample.label == 4
    assert sample.strokes == window.canvas.strokes
    assert window.handwriting.notice.text() == "Saved as a 4 in your samples"


def test_a_keypad_digit_works_and_ctrl_digit_does_not(qtbot, window, store):
    mouse_stroke(qtbot, window.canvas, ONE)

    qtbot.keyClick(window.canvas, Qt.Key.Key_9, Qt.KeyboardModifier.ControlModifier)
    assert store.samples() == []
    qtbot.keyClick(window.canvas, Qt.Key.Key_2, Qt.KeyboardModifier.KeypadModifier)
    assert [s.label for s in store.samples()] == [2]


def test_undo_in_the_message_removes_the_sample(qtbot, window, store):
    mouse_stroke(qtbot, window.canvas, SEVEN)
    click_bar(qtbot, window.results.panels["cnn"].bars, 1)
    [sample] = store.samples()

    qtbot.mouseClick(window.handwriting.notice.undo_button, Qt.MouseButton.LeftButton)

    assert store.samples() == []
    assert not sample.image.exists()
    assert not sample.image.with_suffix(".json").exists()
    assert window.handwriting.notice.text() == "Removed that 1 from your samples"
    assert not window.handwriting.notice.undo_button.isVisible()
    assert window.canvas.strokes, "undoing the sample leaves the drawing alone"


def test_picking_another_digit_for_the_same_drawing_moves_it(qtbot, window, store):
    mouse_stroke(qtbot, window.canvas, SEVEN)
    click_bar(qtbot, window.results.panels["cnn"].bars, 1)
    click_bar(qtbot, window.results.panels["cnn"].bars, 1)
    assert [s.label for s in store.samples()] == [1]
    assert window.handwriting.notice.text() == "Already saved as a 1 in your samples"

    qtbot.keyClick(window.canvas, Qt.Key.Key_7)

    assert [s.label for s in store.samples()] == [7]
    assert window.handwriting.notice.text() == "Saved as a 7 in your samples (no longer a 1)"
    mouse_stroke(qtbot, window.canvas, ONE)  # a changed drawing is a new sample
    qtbot.keyClick(window.canvas, Qt.Key.Key_7)
    assert [s.label for s in store.samples()] == [7, 7]


def test_an_empty_canvas_keeps_nothing_and_says_why(qtbot, window, store):
    click_bar(qtbot, window.results.panels["cnn"].bars, 3)
    qtbot.keyClick(window.canvas, Qt.Key.Key_3)

    assert store.samples() == []
    assert window.handwriting.notice.text().startswith("Draw a digit first")


def test_an_opened_picture_is_kept_as_a_picture(qtbot, window, store, tmp_path):
    picture = Image.new("L", (300, 400), 255)
    ImageDraw.Draw(picture).line([(160, 60), (145, 340)], fill=0, width=26)
    picture.save(tmp_path / "one.png")
    assert window.open_image_file(tmp_path / "one.png")
    qtbot.keyClick(window.canvas, Qt.Key.Key_1)

    [sample] = store.samples()
    assert (sample.label, sample.strokes) == (1, None)
    assert kept_files(store, 1) == [".png"]
    assert SampleStore.model_input(sample).shape == (28, 28)


def test_a_store_that_cannot_be_written_gives_a_message_not_a_crash(qtbot, window, store):
    store.root.parent.mkdir(parents=True, exist_ok=True)
    store.root.write_text("a file where the samples folder should be")
    mouse_stroke(qtbot, window.canvas, SEVEN)

    qtbot.keyClick(window.canvas, Qt.Key.Key_7)

    assert window.banner.text().startswith("Could not keep the drawing as a 7")
    assert store.root.is_file()


def test_the_bars_show_they_can_be_clicked(window):
    bars = window.results.panels["cnn"].bars

    assert bars.is_choosable()
    assert bars.cursor().shape() == Qt.CursorShape.PointingHandCursor
    assert "Click a digit" in bars.toolTip()
    assert "keep this drawing" in bars.accessibleName()
    assert bars.focusPolicy() == Qt.FocusPolicy.StrongFocus


def test_bars_on_their_own_are_not_clickable_and_emit_nothing(qtbot):
    bars = ProbabilityBars()
    qtbot.addWidget(bars)
    bars.show()
    with qtbot.assertNotEmitted(bars.digitChosen):
        click_bar(qtbot, bars, 2)
    assert bars.cursor().shape() != Qt.CursorShape.PointingHandCursor


def test_the_bars_are_picked_with_the_keyboard_too(qtbot, window, store):
    mouse_stroke(qtbot, window.canvas, SEVEN)
    bars = window.results.panels["dense"].bars
    bars.setFocus()

    for key in (Qt.Key.Key_Down, Qt.Key.Key_Down, Qt.Key.Key_Return):
        qtbot.keyClick(bars, key)
    assert [s.label for s in store.samples()] == [1]
    qtbot.keyClick(bars, Qt.Key.Key_5)
    assert [s.label for s in store.samples()] == [5]


def test_a_drag_off_a_row_is_not_a_click(qtbot):
    bars = ProbabilityBars()
    qtbot.addWidget(bars)
    bars.set_choosable(True)
    bars.show()
    with qtbot.assertNotEmitted(bars.digitChosen):
        qtbot.mousePress(bars, Qt.MouseButton.LeftButton, pos=bars.row_rect(2).center().toPoint())
        qtbot.mouseRelease(bars, Qt.MouseButton.LeftButton, pos=bars.row_rect(6).center().toPoint())
    with qtbot.waitSignal(bars.digitChosen) as chosen:
        click_bar(qtbot, bars, 6)
    assert chosen.args == [6]


def test_in_a_written_number_only_the_digit_whose_bars_show_is_kept(qtbot, window, store):
    from tests.shared_data import pendigits
    from tests.ui.test_number_view import write
    from training.pendigits import split_by_writer

    writer = [d for d in split_by_writer(pendigits(), "test") if d.writer == 5]
    write(qtbot, window, writer, "17")
    last = window.number.focused_digit()
    assert window.number.is_number()
    assert last is not None

    click_bar(qtbot, window.results.panels["cnn"].bars, 4)

    [sample] = store.samples()
    assert sample.label == 4
    assert sample.strokes == last.strokes
    assert len(sample.strokes) < len(window.canvas.strokes)
    assert window.handwriting.notice.text() == "Saved that digit as a 4 in your samples"
    with Image.open(sample.image) as picture:  # the digit alone, framed
        assert picture.width < 280
    window.number.select(0)
    qtbot.keyClick(window.canvas, Qt.Key.Key_1)
    first = window.number.focused_digit()
    assert first is not None
    assert sorted(s.label for s in store.samples()) == [1, 4]
    assert {s.strokes for s in store.samples()} == {first.strokes, last.strokes}
