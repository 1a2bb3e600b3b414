"""The Models and About dialogs, the theme and the app's entry point."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image, ImageDraw
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

from digitpad import __version__
from digitpad.core import Recognizer, bundled_models_dir
from digitpad.ui.app import SHOWN_MARKER
from digitpad.ui.theme import Theme, apply_theme, is_dark, theme_for_scheme, theme_from_environment
from tests.ui.input_events import SEVEN, mouse_stroke


@pytest.fixture
def half_broken_recognizer(tmp_path: Path) -> Recognizer:
    """The real dense model beside a CNN whose files are damaged."""
    for suffix in (".json", ".onnx"):
        shutil.copy(bundled_models_dir() / f"dense{suffix}", tmp_path)
    (tmp_path / "cnn.json").write_text("{ this is not json")
    (tmp_path / "cnn.onnx").write_bytes(b"\x00" * 64)
    return Recognizer.from_folders([tmp_path], ("dense", "cnn"))


def test_models_dialog_lists_each_model_with_its_metadata(window, recognizer):
    dialog = window.show_models_dialog()

    rows = dialog.row_texts()
    assert [row[0] for row in rows] == ["Dense", "CNN"]
    for row, meta in zip(rows, recognizer.model_metadata, strict=True):
        assert row[1] == meta.architecture
        assert row[2] == f"{meta.parameters:,}"
        assert row[3] == f"{meta.accuracy:.2%} (MNIST test set)"
        assert row[4].endswith(meta.onnx_file)
    assert dialog.failures_label.text() == "Every model loaded."
    dialog.close()


def test_models_dialog_shows_a_failed_model_and_why(make_window, half_broken_recognizer):
    window = make_window(half_broken_recognizer)
    assert list(window.results.panels) == ["dense"]
    assert "Could not load the cnn model" in window.banner.text()

    dialog = window.show_models_dialog()

    assert [row[0] for row in dialog.row_texts()] == ["Dense"]
    failures = dialog.failures_label.text()
    assert "cnn.json" in failures
    assert "not valid JSON" in failures
    dialog.close()


def test_a_window_without_any_model_says_so(make_window, tmp_path):
    nothing = Recognizer.from_folders([tmp_path], ("dense", "cnn"))
    window = make_window(nothing)

    assert "No model could be loaded" in window.banner.text()
    assert window.results.headline.text() == "No model is loaded"


def test_about_names_the_version_and_the_models(window):
    dialog = window.show_about_dialog()
    assert __version__ in dialog.text()
    assert "Dense" in dialog.text()
    assert "CNN" in dialog.text()
    dialog.close()


def test_dark_theme_darkens_the_palette_and_the_canvas_follows(qtbot, window, monkeypatch):
    app = QApplication.instance()
    palette, style = app.palette(), app.style().name()
    monkeypatch.setenv("DIGITPAD_THEME", "dark")
    try:
        apply_theme(app, theme_from_environment())
        assert is_dark(app.palette())
        canvas = window.canvas
        qtbot.waitUntil(lambda: is_dark(canvas.palette()))  # palettes propagate by event
        canvas_image = canvas.grab().toImage()
        base = canvas.palette().color(QPalette.ColorRole.Base)
        assert canvas_image.pixelColor(canvas.width() // 2, 20) == base
        mouse_stroke(qtbot, canvas, SEVEN)
        ink_at = canvas.map_from_scene(140, 55).toPoint()
        assert canvas.grab().toImage().pixelColor(ink_at).lightness() > 200  # light ink
    finally:
        app.setStyle(style)
        app.setPalette(palette)


def test_a_dark_system_scheme_with_a_light_palette_gets_the_dark_palette(qapp):
    from PySide6.QtCore import Qt

    light, dark = (
        QPalette(QColor("black"), QColor("white")),
        QPalette(QColor("white"), QColor("#222")),
    )
    assert theme_for_scheme(Qt.ColorScheme.Dark, light) is Theme.DARK
    assert theme_for_scheme(Qt.ColorScheme.Dark, dark) is None
    assert theme_for_scheme(Qt.ColorScheme.Light, dark) is Theme.LIGHT
    assert theme_for_scheme(Qt.ColorScheme.Unknown, light) is None


def test_theme_from_environment_ignores_nonsense(monkeypatch):
    monkeypatch.setenv("DIGITPAD_THEME", "purple")
    assert theme_from_environment() is Theme.SYSTEM
    monkeypatch.setenv("DIGITPAD_THEME", " Light ")
    assert theme_from_environment() is Theme.LIGHT


def run_app(*args: str, home: Path) -> subprocess.CompletedProcess:
    """Start the real entry point in its own process, with settings kept under ``home``."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "HOME": str(home)}
    env["XDG_CONFIG_HOME"] = str(home / "config")
    env["XDG_DATA_HOME"] = str(home / "data")
    code = "import sys; from digitpad.ui.app import main; sys.exit(main(sys.argv[1:]))"
    return subprocess.run(
        [sys.executable, "-c", code, *args, "--quit-when-shown"],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        check=False,
    )


def test_main_opens_the_window_with_an_image_and_returns_zero(tmp_path):
    picture = Image.new("L", (120, 120), 255)
    ImageDraw.Draw(picture).line([(60, 15), (60, 105)], fill=0, width=10)
    picture.save(tmp_path / "one.png")

    opened = run_app(str(tmp_path / "one.png"), home=tmp_path)
    missing = run_app(str(tmp_path / "missing.png"), "--theme", "dark", home=tmp_path)

    assert opened.returncode == 0, opened.stderr
    assert SHOWN_MARKER in opened.stdout
    assert missing.returncode == 0, missing.stderr  # a bad file is a message, not a crash
    assert SHOWN_MARKER in missing.stdout


def test_the_leak_fixture_fails_a_test_that_leaks_a_window(pytester):
    pytester.makeconftest((Path(__file__).parents[1] / "conftest.py").read_text())
    pytester.makepyfile(
        """
        from PySide6.QtWidgets import QWidget

        def test_leaks(qtbot):
            test_leaks.widget = QWidget()
            test_leaks.widget.show()

        def test_does_not_leak(qtbot):
            widget = QWidget()
            qtbot.addWidget(widget)
            widget.show()
        """
    )
    result = pytester.runpytest_subprocess()
    result.assert_outcomes(passed=2, errors=1)
    result.stdout.fnmatch_lines(["*test leaked top-level widgets: QWidget*"])


HIGH_DPI_PROBE = """
from PySide6.QtWidgets import QApplication
app = QApplication([])
from digitpad.ui.canvas import DrawingCanvas
from tests.ui.input_events import drag_to
from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QMouseEvent
canvas = DrawingCanvas()
canvas.resize(300, 300)
canvas.show()
app.processEvents()
def click(kind, at):
    QApplication.sendEvent(canvas, QMouseEvent(kind, at, canvas.mapToGlobal(at),
        Qt.MouseButton.LeftButton, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier))
click(QEvent.Type.MouseButtonPress, QPointF(40, 50))
drag_to(canvas, QPointF(250, 230))
click(QEvent.Type.MouseButtonRelease, QPointF(250, 230))
image = canvas.grab().toImage()
# A picture drawn at 1x and blown up has every pixel doubled; a 2x one has detail between.
split = sum(image.pixel(x, y) != image.pixel(x + 1, y)
            for y in range(0, image.height()) for x in range(0, image.width() - 1, 2))
print(canvas.devicePixelRatioF(), image.width(), split)
"""


def test_on_a_high_dpi_screen_the_canvas_draws_at_device_resolution():
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "QT_SCALE_FACTOR": "2"}
    probe = subprocess.run(
        [sys.executable, "-c", HIGH_DPI_PROBE], capture_output=True, text=True, env=env, check=True
    )
    ratio, width, split_pixel_pairs = probe.stdout.split()
    assert (float(ratio), int(width)) == (2.0, 600)
    assert int(split_pixel_pairs) > 100  # anti-aliased edges resolved per device pixel
