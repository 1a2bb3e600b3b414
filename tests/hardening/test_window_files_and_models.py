"""The window reads files as the command line does, off the GUI thread, and shows why a
model gave no answer while the other keeps answering."""

from __future__ import annotations

import json

import numpy as np
import pytest
from PIL import Image, ImageDraw

from digitpad.cli import main as cli_main
from digitpad.core import Recognizer, bundled_models_dir, user_models_dir
from digitpad.ui.main_window import MainWindow
from digitpad.ui.settings import AppSettings
from digitpad.ui.settings_file import SettingsFile
from tests.hardening.broken_models import write_broken_model, write_metadata
from tests.ui.input_events import SEVEN, mouse_stroke


def _window(qtbot, recognizer: Recognizer, tmp_path) -> MainWindow:
    settings = AppSettings(SettingsFile(tmp_path / "settings.json"))
    window = MainWindow(recognizer, settings)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def _seven(size=(160, 120)) -> np.ndarray:
    image = Image.new("L", size, 255)
    ImageDraw.Draw(image).line([(40, 15), (120, 15), (65, 105)], fill=0, width=9)
    return np.asarray(image)


@pytest.mark.parametrize("kind", ["16-bit PNG", "float TIFF"])
def test_deep_pictures_read_the_same_in_the_window_and_the_cli(
    qtbot, recognizer, tmp_path, capsys, kind
):
    if kind == "16-bit PNG":
        path = tmp_path / "seven.png"
        Image.fromarray(_seven().astype(np.uint16) * 257).save(path)
    else:
        path = tmp_path / "seven.tiff"
        Image.fromarray(_seven().astype(np.float32) / 255.0).save(path)
    window = _window(qtbot, recognizer, tmp_path)
    assert window.open_image_file(path)
    in_window = window.prediction()
    assert cli_main(["predict", "--json", str(path)]) == 0
    in_cli = json.loads(capsys.readouterr().out)
    for name, answer in in_window.answers.items():
        assert answer.digit == in_cli["predictions"][name]["digit"] == 7
        np.testing.assert_allclose(
            answer.probabilities, in_cli["predictions"][name]["probabilities"], atol=1e-6
        )


def test_a_picture_is_read_off_the_gui_thread_with_a_busy_indicator(qtbot, recognizer, tmp_path):
    path = tmp_path / "big.jpg"
    Image.fromarray(_seven((3200, 2400))).save(path, quality=90)
    window = _window(qtbot, recognizer, tmp_path)
    with qtbot.waitSignal(window.pictureRead, timeout=20000):
        window.open_image_file_in_background(path)
        # Back on the event loop at once: nothing shown yet, the indicator is.
        assert window.canvas.content.background is None
        assert window.busy_indicator.isVisible()
    assert not window.busy_indicator.isVisible()
    assert window.canvas.content.background.width() == 1024
    assert window.prediction().answers["cnn"].digit == 7


def test_only_the_last_requested_picture_is_shown(qtbot, recognizer, tmp_path):
    first, last = tmp_path / "first.png", tmp_path / "last.png"
    Image.fromarray(_seven()).save(first)
    Image.fromarray(255 - _seven()).save(last)
    window = _window(qtbot, recognizer, tmp_path)
    with qtbot.waitSignal(window.picture_loader.loaded) as shown:
        window.open_image_file_in_background(first)
        window.open_image_file_in_background(last)
    assert shown.args[0] == last
    qtbot.waitUntil(lambda: not window.picture_loader.is_busy())
    assert window.canvas.content.background_dark


def test_a_failing_file_in_the_background_says_why(qtbot, recognizer, tmp_path):
    window = _window(qtbot, recognizer, tmp_path)
    with qtbot.waitSignal(window.picture_loader.failed):
        window.open_image_file_in_background(tmp_path / "gone.png")
    assert "file not found" in window.banner.text()


def test_the_panel_says_why_a_model_gave_no_answer(qtbot, tmp_path):
    folder = user_models_dir()
    folder.mkdir(parents=True)
    write_broken_model(folder / "cnn.onnx", "negative")
    write_metadata(folder, "cnn")
    recognizer = Recognizer.from_folders([bundled_models_dir(), folder])
    window = _window(qtbot, recognizer, tmp_path)
    mouse_stroke(qtbot, window.canvas, SEVEN)
    panels = window.results.panels
    assert panels["dense"].prediction() is not None
    assert panels["cnn"].prediction() is None
    assert "negative probability" in panels["cnn"].error()
    assert panels["cnn"].confidence_text().startswith("no answer: gave a negative probability")
    window.set_headline_model("cnn")
    assert window.results.headline.text() == "cnn gave no answer for this drawing"
