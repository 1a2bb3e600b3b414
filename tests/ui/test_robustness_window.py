"""The Robustness window in the real app: real strokes, real models, a real worker thread."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QImage, QKeySequence
from PySide6.QtWidgets import QToolBar

from digitpad.core import TRANSFORMS, Recognizer, RobustnessReport
from digitpad.ui.model_input_view import ModelInputView
from digitpad.ui.robustness_dialog import RobustnessDialog
from tests.ui.input_events import ONE, SEVEN, mouse_stroke
from tests.ui.test_third_model import NAME, SHOWN, add_model

WORKER_TIMEOUT_MS = 10_000


def _draw_seven_and_open(qtbot, window) -> tuple[RobustnessDialog, RobustnessReport]:
    mouse_stroke(qtbot, window.canvas, SEVEN)
    window.commands.robustness.trigger()
    dialog = window.robustness
    assert dialog is not None
    # The sweep runs on a worker: nothing is on screen until its result comes back.
    assert dialog.report() is None
    with qtbot.waitSignal(dialog.reportReady, timeout=WORKER_TIMEOUT_MS) as ready:
        pass
    assert dialog.isVisible()
    return dialog, ready.args[0]


def _input_view_image(view: ModelInputView) -> QImage:
    return view.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)


def _expected_view(qtbot, model_input: np.ndarray, like: ModelInputView) -> QImage:
    view = ModelInputView()
    qtbot.addWidget(view)
    view.setFixedSize(like.size())
    view.set_model_input(model_input)
    return _input_view_image(view)


def test_opened_from_the_view_menu_the_toolbar_and_ctrl_r(window):
    action = window.commands.robustness
    view_menu = next(m for m in window.menuBar().actions() if m.text() == "&View").menu()
    assert action in view_menu.actions()
    assert action in window.findChild(QToolBar, "tools").actions()
    assert action.shortcut() == QKeySequence("Ctrl+R")


def test_the_sweep_is_of_what_the_models_saw(qtbot, window):
    dialog, report = _draw_seven_and_open(qtbot, window)

    np.testing.assert_array_equal(report.model_input, window.prediction().model_input)
    assert dialog.digit.value() == 7
    for transform in TRANSFORMS:
        plot = dialog.plots[transform.name]
        for name in ("dense", "cnn"):
            top, followed = plot.curves(name)
            probabilities = report.sweeps[transform.name].probabilities(name)
            np.testing.assert_allclose(top, probabilities.max(axis=1))
            np.testing.assert_allclose(followed, probabilities[:, 7])
    # At rest the bars are the window's own answer.
    assert dialog.slider.value() == TRANSFORMS[0].rest
    for name, bars in dialog.bars.items():
        np.testing.assert_allclose(
            bars.probabilities(), window.prediction().answers[name].probabilities, atol=1e-6
        )


def test_moving_the_slider_shows_the_changed_input_and_its_answers(qtbot, window):
    dialog, report = _draw_seven_and_open(qtbot, window)
    dialog.select_transform("turn")
    sweep = report.sweeps["turn"]
    at_rest = _input_view_image(dialog.input_view)
    assert at_rest == _expected_view(qtbot, report.model_input, dialog.input_view)

    dialog.slider.setFocus()
    for _ in range(6):  # six steps of 5 degrees
        qtbot.keyClick(dialog.slider, Qt.Key.Key_Right)

    index = sweep.transform.rest + 6
    assert dialog.slider.value() == index
    assert "+30" in dialog.amount.text()
    shown = _input_view_image(dialog.input_view)
    assert shown != at_rest
    assert shown == _expected_view(qtbot, sweep.predictions[index].model_input, dialog.input_view)
    for name, bars in dialog.bars.items():
        np.testing.assert_allclose(bars.probabilities(), sweep.probabilities(name)[index])
        assert (
            str(sweep.predictions[index].answers[name].digit) in dialog.answer_labels[name].text()
        )


def test_clicking_a_plot_picks_its_transform_and_amount(qtbot, window):
    dialog, report = _draw_seven_and_open(qtbot, window)
    plot = dialog.plots["shift_y"]
    assert not plot.is_selected()

    # The right edge of the plot's curves is the largest amount.
    qtbot.mouseClick(plot, Qt.MouseButton.LeftButton, pos=QPoint(plot.width() - 4, 60))

    assert dialog.transform() == "shift_y"
    assert plot.is_selected()
    assert not dialog.plots["shift_x"].is_selected()
    sweep = report.sweeps["shift_y"]
    assert dialog.slider.value() == len(sweep.transform.amounts) - 1
    for name, bars in dialog.bars.items():
        np.testing.assert_allclose(bars.probabilities(), sweep.probabilities(name)[-1])


def test_the_window_follows_the_drawing_and_clearing(qtbot, window):
    dialog, first = _draw_seven_and_open(qtbot, window)

    with qtbot.waitSignal(dialog.reportReady, timeout=WORKER_TIMEOUT_MS) as ready:
        window.canvas.clear()
        mouse_stroke(qtbot, window.canvas, ONE)
    second = ready.args[0]
    np.testing.assert_array_equal(second.model_input, window.prediction().model_input)
    assert not np.array_equal(second.model_input, first.model_input)
    assert dialog.digit.value() == window.prediction().answers["cnn"].digit

    window.canvas.clear()
    assert dialog.report() is None
    assert not dialog.slider.isEnabled()
    assert all(bars.probabilities() is None for bars in dialog.bars.values())
    dialog.stop()


def test_a_model_added_later_gets_its_curves_and_bars(qtbot, window):
    dialog, _ = _draw_seven_and_open(qtbot, window)
    add_model()
    three = Recognizer.from_default_locations()
    with qtbot.waitSignal(dialog.reportReady, timeout=WORKER_TIMEOUT_MS) as ready:
        window.set_recognizer(three)  # as after fine-tuning; the window reads again
    report = ready.args[0]
    assert list(dialog.bars) == ["dense", "cnn", NAME]
    sweep = report.sweeps["shift_x"]
    np.testing.assert_allclose(dialog.bars[NAME].probabilities(), sweep.probabilities(NAME)[6])
    assert SHOWN in dialog.answer_labels[NAME].text()
    top, _ = dialog.plots["shift_x"].curves(NAME)
    np.testing.assert_allclose(top, sweep.probabilities(NAME).max(axis=1))
