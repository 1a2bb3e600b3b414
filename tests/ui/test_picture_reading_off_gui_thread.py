"""The window reads opened pictures on a worker thread: it stays usable while a photo is
read, shows the newest picture's reading only, says so when a reading fails, and gives
the answer ``digitpad predict`` gives."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from digitpad.cli import main as cli_main
from digitpad.ui.number_view import PictureJob
from tests.ui.input_events import SEVEN, drop_file, mouse_stroke

PAPER = Path(__file__).resolve().parents[1] / "data" / "paper"
NUMBER = PAPER / "ruled-3-seed1.jpg"  # reads 276


@pytest.fixture
def held_readings(monkeypatch) -> Iterator[threading.Event]:
    """Picture readings wait on the worker until the returned event is set."""
    release = threading.Event()
    real_read = PictureJob.read

    def held(job: PictureJob, recognizer):
        assert threading.current_thread() is not threading.main_thread()
        release.wait(timeout=20)
        return real_read(job, recognizer)

    monkeypatch.setattr(PictureJob, "read", held)
    yield release
    release.set()


def test_the_window_answers_input_while_a_dropped_photo_is_read(qtbot, window, held_readings):
    window.show()
    assert drop_file(window, window.canvas, NUMBER)
    # The file is loaded, put on the canvas, and its reading started on a worker.
    qtbot.waitUntil(lambda: window.canvas.content.background is not None, timeout=20000)
    assert window.picture_reader.is_busy()
    assert window.busy_indicator.isVisible()

    # While the worker holds the reading, the GUI thread still takes keys.
    window.activateWindow()
    window.canvas.setFocus()
    qtbot.keyClick(window.canvas, Qt.Key.Key_E)
    assert window.canvas.is_eraser()
    qtbot.keyClick(window.canvas, Qt.Key.Key_B)
    assert not window.canvas.is_eraser()
    assert window.picture_reader.is_busy()
    assert window.number.number_text("cnn") == ""  # nothing read yet

    with qtbot.waitSignal(window.pictureRead, timeout=20000):
        held_readings.set()
    assert window.number.number_text("cnn") == "276"
    assert len(window.number.boxes.scene_boxes()) == 3
    assert not window.busy_indicator.isVisible()


def test_a_drawing_made_while_a_picture_is_read_is_not_overwritten(
    qtbot, window, held_readings, tmp_path
):
    window.show()
    window.open_image_file_in_background(NUMBER)
    qtbot.waitUntil(lambda: window.picture_reader.is_busy(), timeout=20000)

    window.commands.clear.trigger()
    mouse_stroke(qtbot, window.canvas, SEVEN)
    assert window.prediction().answers["cnn"].digit == 7
    held_readings.set()
    assert window.picture_reader.wait(20000)  # the late answer arrived, and was dropped

    assert window.prediction().answers["cnn"].digit == 7
    assert window.number.number_text("cnn") == ""
    assert window.number.boxes.scene_boxes() == []


def test_a_reading_that_fails_is_said_in_the_banner(qtbot, window, monkeypatch):
    def broken(job: PictureJob, recognizer):
        raise RuntimeError("the models went away")

    monkeypatch.setattr(PictureJob, "read", broken)
    window.show()
    window.open_image_file_in_background(NUMBER)
    qtbot.waitUntil(lambda: "the models went away" in window.banner.text(), timeout=20000)
    assert not window.busy_indicator.isVisible()


def test_a_photo_read_in_the_background_gives_predicts_answer(qtbot, window, capsys):
    photo = PAPER / "shadow-1-seed1.jpg"
    with qtbot.waitSignal(window.pictureRead, timeout=20000):
        window.open_image_file_in_background(photo)

    assert cli_main(["predict", "--json", str(photo)]) == 0
    in_cli = json.loads(capsys.readouterr().out)["predictions"]
    in_window = window.prediction().answers
    assert {name: answer.digit for name, answer in in_window.items()} == {
        name: answer["digit"] for name, answer in in_cli.items()
    }
    assert len(window.number.boxes.scene_boxes()) == 1  # its digit outlined
