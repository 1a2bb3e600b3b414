"""A third model needs no code: dropped into the user's models folder, it gets its own
panel, headline choice, About line and command-line column, all from its metadata."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from digitpad.cli import main
from digitpad.core import Recognizer, bundled_models_dir, samples_dir, user_models_dir
from tests.ui.input_events import SEVEN, mouse_stroke

NAME, SHOWN = "dense_yours", "Dense (yours)"


def add_model(accuracy: float | None = None) -> Path:
    """Copy the shipped dense model into the user's (sandboxed) folder under a new name."""
    folder = user_models_dir()
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(bundled_models_dir() / "dense.onnx", folder / f"{NAME}.onnx")
    document = json.loads((bundled_models_dir() / "dense.json").read_text())
    document.update(name=NAME, display_name=SHOWN, display_order=2, onnx_file=f"{NAME}.onnx")
    if accuracy is not None:
        document["evaluation"]["accuracy"] = accuracy
    (folder / f"{NAME}.json").write_text(json.dumps(document))
    return folder


@pytest.fixture
def three_models() -> Recognizer:
    add_model()
    recognizer = Recognizer.from_default_locations()
    assert [m.name for m in recognizer.model_metadata] == ["dense", "cnn", NAME]
    return recognizer


def test_window_shows_a_panel_and_a_choice_per_model(qtbot, make_window, three_models):
    window = make_window(three_models)
    assert list(window.results.panels) == ["dense", "cnn", NAME]
    assert all(panel.isVisible() for panel in window.results.panels.values())
    headline_choices = [action.text() for action in window.commands.headline.actions()]
    assert headline_choices == ["Dense", "CNN", SHOWN]
    assert window.headline_model() == "cnn"  # still the most accurate

    mouse_stroke(qtbot, window.canvas, SEVEN)
    assert set(window.prediction().answers) == {"dense", "cnn", NAME}
    window.set_headline_model(NAME)
    assert SHOWN in window.results.headline.text()

    window.commands.show_all.trigger()  # only the headline model's panel stays
    assert [n for n, p in window.results.panels.items() if p.isVisible()] == [NAME]
    about = window.show_about_dialog()
    assert "3 neural networks" in about.text()
    assert SHOWN in about.text()
    about.close()


def test_the_most_accurate_model_is_the_headline_by_default(make_window):
    add_model(accuracy=0.9999)
    window = make_window(Recognizer.from_default_locations())
    assert window.headline_model() == NAME


def test_the_command_line_prints_a_column_per_model(capsys):
    add_model()
    seven = str(samples_dir() / "digit-7.png")
    assert main(["predict", seven]) == 0
    header, row = capsys.readouterr().out.splitlines()
    assert re.split(r"\s{2,}", header.strip()) == ["file", "Dense", "CNN", SHOWN]
    cells = row.split()
    assert cells[0] == seven
    assert cells[1::2] == ["7", "7", "7"]  # each model's digit, its confidence beside it
