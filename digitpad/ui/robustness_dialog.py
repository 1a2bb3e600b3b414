"""The Robustness window: how each model's answer moves when the drawing is changed.

digitpad centres and scales every drawing before the models see it, which hides how
they cope with a digit that is moved, turned, resized, thinned or noisy. This window
takes the current model input and varies one of those at a time (the core's
``sweep_robustness``, on a ``BackgroundTask``): a small plot per change shows every
model's probabilities across the range, and a slider shows the changed input and each
model's bars at one amount.
"""

from __future__ import annotations

from functools import partial

import numpy as np
from PySide6.QtCore import QEvent, QObject, QSignalBlocker, Qt, Signal
from PySide6.QtGui import QColor, QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QSlider,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from digitpad.core import TRANSFORMS, Prediction, Recognizer, RobustnessReport, sweep_robustness
from digitpad.ui.background_task import BackgroundTask, CancelledCallback, ProgressCallback
from digitpad.ui.model_input_view import ModelInputView
from digitpad.ui.probability_bars import ProbabilityBars
from digitpad.ui.robustness_plot import RobustnessPlot, model_colours

PLOT_COLUMNS = 3
INTRO = (
    "The models only ever see drawings centred and scaled like MNIST's. Here the picture "
    "they saw is changed one way at a time. Solid lines: the probability of the digit each "
    "model reads; dashed: the probability of the digit followed. Click a plot or move the "
    "slider to see the changed picture and the answers."
)


def _swatch(colour: QColor) -> str:
    """A small square of a model's colour, for rich-text labels."""
    return f"<span style='color:{colour.name()}'>&#9632;</span> "


class RobustnessDialog(QDialog):
    """Plots of every transform, a slider over the chosen one, the changed input and bars.

    Signals
    -------
    reportReady(RobustnessReport)
        A new sweep is on screen.
    """

    reportReady = Signal(object)

    def __init__(self, recognizer: Recognizer, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Robustness: change the drawing, watch the answers")
        self._recognizer = recognizer
        self._report: RobustnessReport | None = None
        self._latest: np.ndarray | None = None  # the model input on the canvas
        self._generation = 0  # bumped per request: older results are not shown
        self._shown_generation = -1  # the request whose sweep is on screen
        self._running: tuple[BackgroundTask, int] | None = None
        self._queued = False
        self._transform = TRANSFORMS[0].name
        self._colours = model_colours([m.name for m in recognizer.loaded_models])

        intro = QLabel(INTRO)
        intro.setWordWrap(True)
        self.status = QLabel()
        self.digit = QSpinBox()
        self.digit.setRange(0, 9)
        self.digit.setAccessibleName("Digit followed by the dashed lines")
        self.digit.setToolTip("The digit the dashed lines follow: what the drawing really is")
        digit_label = QLabel("Follow &digit:")
        digit_label.setBuddy(self.digit)
        self.legend = QLabel()
        top = QHBoxLayout()
        top.addWidget(digit_label)
        top.addWidget(self.digit)
        top.addSpacing(16)
        top.addWidget(self.legend, 1)
        top.addWidget(self.status)

        self.plots: dict[str, RobustnessPlot] = {}
        grid = QGridLayout()
        grid.setSpacing(6)
        for index, transform in enumerate(TRANSFORMS):
            plot = RobustnessPlot(transform.label)
            plot.amountPicked.connect(partial(self._on_amount_picked, transform.name))
            self.plots[transform.name] = plot
            grid.addWidget(plot, index // PLOT_COLUMNS, index % PLOT_COLUMNS)

        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setAccessibleName("Amount of the change")
        self.slider.setPageStep(1)
        self.slider.setTickPosition(QSlider.TickPosition.TicksBelow)
        self.amount = QLabel()
        self.amount.setMinimumWidth(220)
        slider_row = QHBoxLayout()
        slider_row.addWidget(self.amount)
        slider_row.addWidget(self.slider, 1)

        self.input_view = ModelInputView()
        self.input_view.setFixedSize(150, 150)
        self.input_view.setToolTip("The changed 28 x 28 picture the models read at this amount")
        below = QHBoxLayout()
        below.addWidget(self.input_view)
        self._answers = QWidget()  # a column of bars per model, rebuilt when models change
        below.addWidget(self._answers, 1)
        self.bars: dict[str, ProbabilityBars] = {}
        self.answer_labels: dict[str, QLabel] = {}
        self._build_answers()

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(top)
        layout.addLayout(grid, 1)
        layout.addLayout(slider_row)
        layout.addLayout(below)
        self._show_legend()
        self.slider.valueChanged.connect(self._on_slider_value_changed)
        self.digit.valueChanged.connect(self._on_digit_value_changed)
        if parent is not None:
            parent.installEventFilter(self)  # the window's Close waits for the worker
        self.resize(960, 680)
        self._show_report(None)

    # ----- state for callers and tests ----------------------------------------------
    def report(self) -> RobustnessReport | None:
        """The sweep on screen (None: nothing drawn, or not computed yet)."""
        return self._report

    def transform(self) -> str:
        """The transform the slider moves through."""
        return self._transform

    def is_busy(self) -> bool:
        return self._running is not None

    def set_recognizer(self, recognizer: Recognizer) -> None:
        """Read with these models from now on (after fine-tuning or going back)."""
        self._recognizer = recognizer
        self._colours = model_colours([m.name for m in recognizer.loaded_models])
        if list(self.bars) != list(self._colours):
            self._build_answers()

    def _build_answers(self) -> None:
        """A label and bars per loaded model, side by side."""
        old = self._answers.layout()
        if old is not None:
            QWidget().setLayout(old)  # the usual way to drop a layout and its widgets
        row = QHBoxLayout(self._answers)
        row.setContentsMargins(0, 0, 0, 0)
        self.bars, self.answer_labels = {}, {}
        for model in self._recognizer.loaded_models:
            column = QVBoxLayout()
            label = QLabel(model.display_name)
            bars = ProbabilityBars()
            self.answer_labels[model.name], self.bars[model.name] = label, bars
            column.addWidget(label)
            column.addWidget(bars)
            column.addStretch(1)
            row.addLayout(column, 1)

    def show_prediction(self, prediction: Prediction) -> None:
        """Follow the window's drawing: sweep its model input (now, if the window is shown)."""
        model_input = prediction.model_input
        self._latest = None if model_input is None else np.array(model_input, copy=True)
        self._generation += 1
        if self._latest is None:
            self._show_report(None)
            return
        if self.isVisible():
            self._request()

    def select_transform(self, name: str) -> None:
        """Let the slider move through ``name``'s amounts, starting at the unchanged input."""
        self._pick(name, None)

    def stop(self) -> None:
        """Wait for the worker: its thread must not outlive the dialog or the window."""
        if self._running is not None:
            self._running[0].wait()

    # ----- the worker -----------------------------------------------------------------
    def _request(self) -> None:
        """Sweep the latest input; while one sweep runs, the newest request waits its turn."""
        if self._running is not None:
            self._queued = True
            return
        if self._latest is None:
            return
        self._queued = False
        recognizer, model_input = self._recognizer, self._latest

        def work(progress: ProgressCallback, cancelled: CancelledCallback) -> RobustnessReport:
            return sweep_robustness(recognizer, model_input)

        task = BackgroundTask(work, self)
        self._running = (task, self._generation)
        task.succeeded.connect(self._on_task_succeeded)
        task.failed.connect(self._on_task_failed)
        task.finished.connect(self._on_task_finished)
        self.status.setText("Computing\N{HORIZONTAL ELLIPSIS}")
        task.start_low_priority()

    def _is_current(self) -> bool:
        return self._running is not None and self._running[1] == self._generation

    def _on_task_succeeded(self, report: RobustnessReport) -> None:
        if self._running is not None and self._is_current():
            self._shown_generation = self._running[1]
            self._show_report(report)

    def _on_task_failed(self, error: Exception) -> None:
        if self._is_current():
            self.status.setText(f"Could not compute: {type(error).__name__}: {error}")

    def _on_task_finished(self) -> None:
        running, self._running = self._running, None
        if running is not None:
            running[0].deleteLater()
        if self._queued:
            self._request()

    # ----- showing --------------------------------------------------------------------
    def _show_legend(self) -> None:
        names = {m.name: m.display_name for m in self._recognizer.loaded_models}
        swatches = "  ".join(
            f"{_swatch(colour)}{names.get(name, name)}" for name, colour in self._colours.items()
        )
        self.legend.setText(f"{swatches} &nbsp; solid: top answer &nbsp; dashed: followed digit")

    def _show_report(self, report: RobustnessReport | None) -> None:
        self._report = report
        self.status.setText("" if report is not None else "Draw a digit to explore.")
        if report is not None:
            self.status.setText(
                "; ".join(f"{name} failed: {why}" for name, why in report.errors.items())
            )
            rest = next(iter(report.sweeps.values()))
            answers = rest.predictions[rest.transform.rest].answers
            if answers:
                with QSignalBlocker(self.digit):
                    self.digit.setValue(next(iter(answers.values())).digit)
        self._show_legend()
        self._pick(self._transform, None)
        if report is not None:
            self.reportReady.emit(report)

    def _pick(self, name: str, index: int | None) -> None:
        """Move the slider to ``name``'s amount ``index`` (None: the unchanged input)."""
        self._transform = name
        transform = next(t for t in TRANSFORMS if t.name == name)
        for other, plot in self.plots.items():
            sweep = None if self._report is None else self._report.sweeps.get(other)
            plot.set_sweep(sweep, self.digit.value(), self._colours)
            plot.set_selected(other == name)
            plot.set_position(None)
        with QSignalBlocker(self.slider):
            self.slider.setRange(0, len(transform.amounts) - 1)
            self.slider.setValue(transform.rest if index is None else index)
        self.slider.setEnabled(self._report is not None)
        self._show_amount(self.slider.value())

    def _show_amount(self, index: int) -> None:
        transform = next(t for t in TRANSFORMS if t.name == self._transform)
        amount = transform.amounts[index]
        self.amount.setText(f"{transform.label}: {amount:+g} {transform.unit}")
        self.plots[self._transform].set_position(index)
        sweep = None if self._report is None else self._report.sweeps[self._transform]
        prediction = None if sweep is None else sweep.predictions[index]
        self.input_view.set_model_input(None if prediction is None else prediction.model_input)
        for name, bars in self.bars.items():
            answer = None if prediction is None else prediction.answers.get(name)
            bars.set_probabilities(None if answer is None else answer.probabilities)
            shown = self._display_name(name)
            colour = self._colours.get(name)
            swatch = (
                "" if colour is None else f"<span style='color:{colour.name()}'>&#9632;</span> "
            )
            reading = "" if answer is None else f" reads {answer.digit} ({answer.confidence:.0%})"
            self.answer_labels[name].setText(f"{swatch}<b>{shown}</b>{reading}")

    def _display_name(self, name: str) -> str:
        for model in self._recognizer.loaded_models:
            if model.name == name:
                return model.display_name
        return name

    def _on_amount_picked(self, name: str, index: int) -> None:
        self._pick(name, index)
        self.slider.setFocus()  # the arrow keys go on from the picked amount

    def _on_slider_value_changed(self, index: int) -> None:
        self._show_amount(index)

    def _on_digit_value_changed(self, _digit: int) -> None:
        self._pick(self._transform, self.slider.value())

    # ----- events ---------------------------------------------------------------------
    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._latest is not None and self._shown_generation != self._generation:
            self._request()

    def done(self, result: int) -> None:
        self.stop()
        super().done(result)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # The event type first: the window also sends events while it is being deleted.
        if event.type() == QEvent.Type.Close and watched is self.parent():
            self.stop()
        return super().eventFilter(watched, event)
