"""The "Why?" dock in the real window: real strokes, real models, a real worker thread."""

from __future__ import annotations

import hashlib
import json
import shutil
import threading
from pathlib import Path
from unittest.mock import create_autospec

import numpy as np
import pytest
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtWidgets import QApplication, QToolBar

from digitpad.core import (
    Explainer,
    Neighbour,
    Recognizer,
    bundled_models_dir,
    load_reference_digits,
)
from digitpad.ui.explanation_dock import ExplanationDock
from digitpad.ui.explanation_panel import NeighbourStrip
from digitpad.ui.explanation_runner import ExplanationResult, ExplanationRunner
from digitpad.ui.settings import AppSettings
from digitpad.ui.settings_file import SettingsFile
from tests.model_files import without_extra_outputs
from tests.ui.input_events import (
    SEVEN,
    THREE_BOTTOM,
    THREE_TOP,
    drag_to,
    mouse_stroke,
    pen_stroke,
)

WORKER_TIMEOUT_MS = 30_000  # the first explanation also indexes the reference digits


pytestmark = pytest.mark.usefixtures("shared_user_cache")  # indexes built once


def _show_why(qtbot, window) -> ExplanationDock:
    window.commands.explain.trigger()
    dock = window.explanations
    qtbot.waitUntil(dock.isVisible)
    return dock


def _draw_three_and_wait(qtbot, window) -> ExplanationResult:
    dock = window.explanations
    mouse_stroke(qtbot, window.canvas, THREE_TOP)
    with qtbot.waitSignal(dock.runner.ready, timeout=WORKER_TIMEOUT_MS) as ready:
        mouse_stroke(qtbot, window.canvas, THREE_BOTTOM)
    result = ready.args[0]
    assert result is dock.result()
    return result


def test_the_dock_is_toggled_from_the_view_menu_and_the_toolbar(qtbot, window):
    action = window.commands.explain
    view_menu = next(m for m in window.menuBar().actions() if m.text() == "&View").menu()
    toolbar = window.findChild(QToolBar, "tools")

    assert action in view_menu.actions()
    assert action in toolbar.actions()
    assert not window.explanations.isVisible()
    action.trigger()
    qtbot.waitUntil(window.explanations.isVisible)
    action.trigger()
    qtbot.waitUntil(lambda: not window.explanations.isVisible())


def test_after_a_stroke_each_model_shows_why_it_read_a_three(qtbot, window):
    dock = _show_why(qtbot, window)

    result = _draw_three_and_wait(qtbot, window)

    assert window.prediction().model_input is not None
    np.testing.assert_array_equal(result.model_input, window.prediction().model_input)
    assert list(result.explanations) == ["dense", "cnn"]
    for name, view in dock.panel.views.items():
        explanation = result.explanations[name]
        assert explanation.digit == 3
        assert view.heat_map.has_input()
        assert view.answer.text().startswith("Reads 3")
        labels = view.neighbours.labels()
        assert len(labels) == 5
        assert labels.count(3) >= 3, labels
        assert not view.missing.isVisible()
    dense, cnn = dock.panel.views["dense"], dock.panel.views["cnn"]
    assert {n: v.tile_count() for n, v in dense.layers.items()} == {
        "hidden_1": 128,
        "hidden_2": 128,
    }
    assert {n: v.tile_count() for n, v in cnn.layers.items()} == {"conv_1": 32, "conv_2": 64}
    assert "Explained in" in dock.panel.status.text()


def test_the_heat_map_lies_over_the_drawing_on_the_canvas(qtbot, window):
    dock = _show_why(qtbot, window)
    _draw_three_and_wait(qtbot, window)

    overlay = dock.overlay
    assert dock.overlay_choice.currentData() == window.headline_model(), "the same default"
    assert overlay.has_heat_map()
    assert overlay.testAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
    field = overlay.scene_rect()
    points = np.array(THREE_TOP + THREE_BOTTOM)
    drawn = QRectF(QPointF(*points.min(axis=0)), QPointF(*points.max(axis=0)))
    # The 28x28 field is the 20-pixel box around the ink plus a margin: it holds the digit.
    assert field.contains(drawn)
    assert field.width() < 2 * max(drawn.width(), drawn.height())

    dock.overlay_choice.setCurrentIndex(dock.overlay_choice.findData(""))
    assert not overlay.has_heat_map()
    dock.overlay_choice.setCurrentIndex(dock.overlay_choice.findData("dense"))
    assert overlay.has_heat_map()


def test_nothing_is_explained_while_a_stroke_is_being_drawn(qtbot, window):
    dock = _show_why(qtbot, window)
    canvas = window.canvas
    positions = [canvas.map_from_scene(x, y) for x, y in SEVEN]
    requests = dock.runner.started

    qtbot.mousePress(canvas, Qt.MouseButton.LeftButton, pos=positions[0].toPoint())
    for position in positions[1:]:
        drag_to(canvas, position)
    qtbot.wait(300)  # live predictions run on their timer meanwhile

    assert not window.prediction().nothing_drawn, "the live prediction ran"
    assert dock.runner.started == requests
    assert dock.result() is None
    with qtbot.waitSignal(dock.runner.ready, timeout=WORKER_TIMEOUT_MS):
        qtbot.mouseRelease(canvas, Qt.MouseButton.LeftButton, pos=positions[-1].toPoint())
    assert dock.runner.started == requests + 1
    assert dock.result() is not None


def test_a_new_stroke_hides_the_old_heat_map_until_its_own_is_ready(qtbot, window):
    dock = _show_why(qtbot, window)
    _draw_three_and_wait(qtbot, window)
    assert dock.overlay.has_heat_map()
    canvas = window.canvas

    start = canvas.map_from_scene(40, 250)
    qtbot.mousePress(canvas, Qt.MouseButton.LeftButton, pos=start.toPoint())
    drag_to(canvas, canvas.map_from_scene(60, 250))
    assert not dock.overlay.has_heat_map(), "a heat map of the old drawing is stale"
    with qtbot.waitSignal(dock.runner.ready, timeout=WORKER_TIMEOUT_MS):
        qtbot.mouseRelease(canvas, Qt.MouseButton.LeftButton, pos=start.toPoint())
    assert dock.overlay.has_heat_map()
    assert len(canvas.strokes) == 3, "the overlay never took the stroke's events"


def test_while_hidden_the_dock_computes_nothing(qtbot, window):
    mouse_stroke(qtbot, window.canvas, SEVEN)

    assert window.explanations.runner.started == 0
    with qtbot.waitSignal(window.explanations.runner.ready, timeout=WORKER_TIMEOUT_MS):
        window.commands.explain.trigger()  # shown: the drawing already there is explained
    assert window.explanations.result().explanations["cnn"].digit == 7


def test_clearing_empties_the_explanations(qtbot, window):
    dock = _show_why(qtbot, window)
    _draw_three_and_wait(qtbot, window)

    window.commands.clear.trigger()

    assert not dock.overlay.has_heat_map()
    for view in dock.panel.views.values():
        assert not view.heat_map.has_input()
        assert view.neighbours.labels() == []
    assert dock.panel.status.text().startswith("Draw a digit")


def test_every_view_explains_itself_in_a_tooltip(qtbot, window):
    dock = _show_why(qtbot, window)
    _draw_three_and_wait(qtbot, window)

    for view in dock.panel.views.values():
        assert "ink" in view.heat_map.toolTip()
        assert "training digits" in view.neighbours.toolTip()
        for layer in view.layers.values():
            assert len(layer.toolTip().split()) > 12, layer.accessibleName()
        assert "labelled 3" in view.neighbours.thumbnails[0].toolTip()


def test_only_the_latest_request_is_shown(qtbot, recognizer):
    explainer = Explainer.default(recognizer.loaded_models)
    runner = ExplanationRunner(explainer)
    first = np.zeros((28, 28), np.float32)
    first[6:22, 13:15] = 255  # a one
    second = np.zeros((28, 28), np.float32)
    second[6:8, 8:20] = 255
    second[8:22, 17:19] = 255  # a seven-ish hook
    shown: list[ExplanationResult] = []
    runner.ready.connect(shown.append)

    runner.request(first)
    runner.request(second)
    assert runner.wait(WORKER_TIMEOUT_MS)
    qtbot.waitUntil(lambda: len(shown) == 1)
    QApplication.processEvents()

    assert len(shown) == 1
    np.testing.assert_array_equal(shown[0].model_input, second)


def _models_without_extra_outputs(folder: Path) -> Path:
    """A copy of the shipped dense model with only its contract output (so without the
    "not a digit" rule that reads its features, which would no longer fit it)."""
    folder.mkdir()
    without_extra_outputs(bundled_models_dir() / "dense.onnx", folder / "dense.onnx")
    document = json.loads((bundled_models_dir() / "dense.json").read_text())
    document.pop("extra_outputs", None)
    document.pop("not_a_digit", None)
    document["sha256"] = hashlib.sha256((folder / "dense.onnx").read_bytes()).hexdigest()
    (folder / "dense.json").write_text(json.dumps(document))
    shutil.copy(bundled_models_dir() / "cnn.onnx", folder / "cnn.onnx")
    shutil.copy(bundled_models_dir() / "cnn.json", folder / "cnn.json")
    return folder


def test_a_model_without_extra_outputs_says_what_it_cannot_show(qtbot, make_window, tmp_path):
    bare = Recognizer.from_folders([_models_without_extra_outputs(tmp_path / "models")])
    assert not bare.failures, bare.failures
    window = make_window(bare)
    dock = _show_why(qtbot, window)

    result = _draw_three_and_wait(qtbot, window)

    dense = dock.panel.views["dense"]
    assert result.explanations["dense"].digit == 3
    assert dense.heat_map.has_input(), "the heat map needs only the probabilities"
    assert dense.neighbours.labels() == []
    assert dense.layers == {}
    assert dense.missing.isVisible()
    assert "features" in dense.missing.text()
    assert dock.panel.views["cnn"].neighbours.labels()
    window.commands.clear.trigger()
    assert not dense.missing.isVisible(), "nothing drawn, nothing to excuse"


def test_replacing_the_models_rebuilds_the_dock(qtbot, window, recognizer):
    dock = _show_why(qtbot, window)
    _draw_three_and_wait(qtbot, window)
    only_cnn = Recognizer([m for m in recognizer.loaded_models if m.name == "cnn"])

    with qtbot.waitSignal(dock.runner.ready, timeout=WORKER_TIMEOUT_MS) as ready:
        window.set_recognizer(only_cnn)

    assert list(dock.panel.views) == ["cnn"]
    assert list(ready.args[0].explanations) == ["cnn"]
    assert [dock.overlay_choice.itemData(i) for i in range(dock.overlay_choice.count())] == [
        "",
        "cnn",
    ]


def test_the_panel_stays_open_in_the_next_window(qtbot, make_window):
    first = make_window()
    _show_why(qtbot, first)
    first.close()

    second = make_window()

    assert second.commands.explain.isChecked()
    assert second.explanations.isVisible()
    second.commands.explain.trigger()
    second.close()
    assert not make_window().explanations.isVisible()


@pytest.mark.parametrize("stored", ['"yes please"', "2", '""', '"@Variant(junk)"', "[true]", "1"])
def test_an_odd_stored_value_leaves_the_panel_closed(settings_file, stored):
    settings_file.write_text(f'{{"format": 1, "values": {{"explanations/shown": {stored}}}}}')
    settings = AppSettings(SettingsFile(settings_file))

    assert settings.explanations_shown() is False


def test_a_pen_stroke_is_explained_when_the_pen_lifts(qtbot, window):
    dock = _show_why(qtbot, window)
    started = dock.runner.started

    with qtbot.waitSignal(dock.runner.ready, timeout=WORKER_TIMEOUT_MS) as ready:
        pen_stroke(qtbot, window.canvas, SEVEN, pressure=0.8)

    assert dock.runner.started == started + 1, "one explanation per stroke, none while drawing"
    assert ready.args[0].explanations["cnn"].digit == 7


def test_look_alikes_with_another_label_stand_out(qtbot):
    reference = load_reference_digits()
    rows = [int(np.flatnonzero(reference.labels == label)[0]) for label in (7, 2, 7, 1, 7)]
    neighbours = tuple(
        Neighbour(
            index=int(reference.indices[row]),
            label=int(reference.labels[row]),
            distance=1.0 + number,
            image=reference.images[row],
        )
        for number, row in enumerate(rows)
    )
    strip = NeighbourStrip()
    qtbot.addWidget(strip)

    strip.set_neighbours(neighbours, answer=7)

    assert strip.labels() == [7, 2, 7, 1, 7]
    assert strip.stressed_labels() == [2, 1]
    assert "2, 7, 1" in strip.accessibleDescription()
    strip.set_neighbours(())
    assert strip.labels() == []


def test_explaining_runs_on_a_worker_thread_never_the_gui_thread(qtbot):
    threads: list[threading.Thread] = []
    fake = create_autospec(Explainer, instance=True)
    fake.is_prepared.return_value = True
    fake.explain.side_effect = lambda image: threads.append(threading.current_thread()) or {}
    runner = ExplanationRunner(fake)

    with qtbot.waitSignal(runner.ready, timeout=WORKER_TIMEOUT_MS) as ready:
        runner.request(np.full((28, 28), 255, np.float32))

    assert threads
    assert threads[0] is not threading.main_thread()
    assert ready.args[0].explanations == {}
    assert runner.wait(WORKER_TIMEOUT_MS)


def test_once_asked_the_window_prepares_every_set_of_models_it_is_given(qtbot, window, recognizer):
    assert not window.explanations.runner.explainer.is_prepared()
    window.prepare_explanations()  # as the app does once the window is shown
    qtbot.waitUntil(window.explanations.runner.explainer.is_prepared, timeout=WORKER_TIMEOUT_MS)

    only_cnn = Recognizer([m for m in recognizer.loaded_models if m.name == "cnn"])
    window.set_recognizer(only_cnn)  # as after a fine-tune wrote a personal model

    qtbot.waitUntil(window.explanations.runner.explainer.is_prepared, timeout=WORKER_TIMEOUT_MS)
    assert [m.name for m in window.explanations.runner.explainer.models] == ["cnn"]
