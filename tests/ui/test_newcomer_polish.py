"""What a newcomer tripped over: the status line, the error banner, keyboard use, small
windows, the entry point's name."""

from __future__ import annotations

import subprocess
import sys

from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QToolBar, QWidget

from digitpad.core import Recognizer
from digitpad.ui.canvas_layout import MIN_CANVAS_SIDE
from digitpad.ui.settings import ResultsView
from tests.ui.conftest import app_settings
from tests.ui.input_events import SEVEN, mouse_stroke


def test_clearing_the_canvas_clears_the_status_line(qtbot, window):
    mouse_stroke(qtbot, window.canvas, SEVEN)
    assert window.statusBar().currentMessage().startswith("Predicted in")

    qtbot.keyClick(window.canvas, Qt.Key.Key_Escape)

    assert window.canvas.is_empty()
    assert window.statusBar().currentMessage() == ""


def test_an_old_show_both_setting_means_show_all(tmp_path):
    settings_file = tmp_path / "settings.json"
    settings_file.write_text('{"format": 1, "values": {"results/view": "both"}}')
    assert app_settings(settings_file).results_view() is ResultsView.ALL


def test_gui_help_names_the_gui_command():
    result = subprocess.run(
        [sys.executable, "-c", "from digitpad.ui.app import run; run()", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert result.stdout.startswith("usage: digitpad-gui")


def test_the_error_banner_floats_over_the_canvas_without_moving_it(qtbot, window, tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("eggs, milk\n")
    canvas_before = window.canvas.geometry()

    assert not window.open_image_file(notes)

    assert window.banner.isVisible()
    assert window.banner.text() == (
        "digitpad can't open notes.txt: not a picture digitpad can read "
        "(it reads PNG, JPEG, GIF, BMP, TIFF, WebP, ...)."
    )
    assert window.canvas.geometry() == canvas_before
    banner_corner = window.banner.mapTo(window, QPoint(0, 0))
    canvas_area = QRect(window.canvas.mapTo(window, QPoint(0, 0)), window.canvas.size())
    assert canvas_area.contains(banner_corner)  # over the canvas, not above it
    assert window.banner.width() > window.canvas.width() * 0.9


def test_the_banner_goes_at_the_next_stroke(qtbot, window, tmp_path):
    window.open_image_file(tmp_path / "gone.png")
    assert "file not found" in window.banner.text()

    mouse_stroke(qtbot, window.canvas, SEVEN)

    assert window.banner.text() == ""


def test_the_banner_closes_from_the_keyboard(qtbot, window, tmp_path):
    window.open_image_file(tmp_path / "gone.png")
    window.banner.close_button.setFocus()
    assert window.banner.close_button.hasFocus()

    qtbot.keyClick(window.banner.close_button, Qt.Key.Key_Space)

    assert window.banner.text() == ""
    assert window.banner.isHidden()


def test_a_model_that_failed_stays_reported_while_drawing(qtbot, make_window, tmp_path):
    window = make_window(Recognizer.from_folders([tmp_path], ("dense",)))
    assert "No model could be loaded" in window.banner.text()

    mouse_stroke(qtbot, window.canvas, SEVEN)

    assert "No model could be loaded" in window.banner.text()


def _toolbars(window) -> list[QToolBar]:
    return window.findChildren(QToolBar)


def _buttons(window) -> list[QWidget]:
    return [
        toolbar.widgetForAction(action)
        for toolbar in _toolbars(window)
        for action in toolbar.actions()
        if action.isVisible() and not action.isSeparator()
    ]


def test_at_the_minimum_size_the_toolbars_wrap_and_every_control_shows(qtbot, window):
    window.resize(window.minimumSizeHint())
    qtbot.waitUntil(lambda: window.toolbar_wrapping.rows() > 1)
    # no overflow menu: every button is on screen once the toolbars are laid out again
    qtbot.waitUntil(lambda: all(button.isVisible() for button in _buttons(window)))

    central = window.centralWidget().geometry()
    for toolbar in _toolbars(window):
        assert window.rect().contains(toolbar.geometry())
        assert not toolbar.geometry().intersects(central)  # nothing covers the answers

    window.resize(1280, 900)
    qtbot.waitUntil(lambda: window.toolbar_wrapping.rows() == 1)


def test_the_canvas_takes_all_the_height_it_can(qtbot, window):
    window.resize(1280, 900)
    qtbot.waitUntil(lambda: window.canvas.width() > 700)
    body = window.centralWidget().contentsRect()
    assert window.canvas.width() == window.canvas.height()  # square: a digit's scene
    assert window.canvas.height() >= body.height() - 30
    assert window.results.width() >= window.results.minimumSizeHint().width()


def test_tab_reaches_every_toolbar_button_and_the_canvas(qtbot, window):
    window.activateWindow()
    window.canvas.setFocus()
    reached = set()
    for _ in range(60):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        reached.add(QApplication.focusWidget())
    missing = [b.text() for b in _buttons(window) if b.isEnabled() and b not in reached]
    assert missing == []
    assert window.canvas in reached
    assert window.brush_slider in reached


def test_keyboard_focus_is_visible_on_the_canvas_and_the_toolbar(qtbot, window):
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    clear_button = next(b for b in _buttons(window) if b.text() == "Clear")
    unfocused_button = clear_button.grab()
    clear_button.setFocus()
    qtbot.waitUntil(clear_button.hasFocus)
    focused_button, unfocused_canvas = clear_button.grab(), window.canvas.grab()

    window.canvas.setFocus()
    qtbot.waitUntil(window.canvas.hasFocus)
    highlight = window.canvas.palette().color(QPalette.ColorRole.Highlight)
    edge = window.canvas.map_from_scene(0, 140).toPoint() - QPoint(1, 0)
    assert window.canvas.grab().toImage().pixelColor(edge) == highlight
    assert unfocused_canvas.toImage().pixelColor(edge) != highlight
    assert focused_button.toImage() != unfocused_button.toImage()


def test_the_canvas_keeps_its_scenes_size_at_the_minimum(qtbot, window):
    window.resize(window.minimumSizeHint())
    qtbot.waitUntil(lambda: window.size() == window.minimumSizeHint())
    qtbot.waitUntil(lambda: window.canvas.width() == MIN_CANVAS_SIDE)
    assert window.canvas.height() >= MIN_CANVAS_SIDE


def test_in_a_tall_narrow_window_the_answers_go_below_a_bigger_canvas(qtbot, window):
    window.resize(800, 1000)
    qtbot.waitUntil(lambda: window.canvas.width() > 700)
    canvas_bottom = window.canvas.mapTo(window, QPoint(0, window.canvas.height())).y()
    assert window.results.mapTo(window, QPoint(0, 0)).y() >= canvas_bottom
    beside = 800 - window.results.minimumSizeHint().width() - 16 - 24  # margins, spacing
    assert min(window.canvas.width(), window.canvas.height()) > beside

    window.resize(1280, 800)  # wide again: side by side
    qtbot.waitUntil(lambda: window.canvas.width() == window.canvas.height())
    assert window.results.mapTo(window, QPoint(0, 0)).x() > window.canvas.width()


def test_exit_at_once_still_runs_exit_handlers_and_flushes():
    code = (
        "import atexit, sys; atexit.register(lambda: print('handlers ran'));"
        "print('pending output', end=''); sys.stdout.write('');"
        "from digitpad.ui.app import exit_at_once; exit_at_once(3)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 3
    assert result.stdout == "pending outputhandlers ran\n"
