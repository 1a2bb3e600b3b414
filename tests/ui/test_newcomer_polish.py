"""What a newcomer tripped over: the status line, the error banner, keyboard use, small
windows, the entry point's name."""

from __future__ import annotations

import subprocess
import sys

from PySide6.QtCore import Qt

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
    settings_file = tmp_path / "old.conf"
    settings_file.write_text("[results]\nview=both\n")
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
