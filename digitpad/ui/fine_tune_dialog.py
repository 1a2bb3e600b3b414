"""Fine-tuning both models on your samples: a worker thread, a progress bar, Cancel, and
the before/after figures when it is done.

The training is the core's ``fine_tune``; it runs on a ``BackgroundTask`` so the window
keeps drawing and reading while it works. When it has written the personal models,
``modelsChanged`` tells the window to load them.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from digitpad.core import MIN_SAMPLES, FineTuneError, FineTuneReport, fine_tune
from digitpad.ui.background_task import BackgroundTask, CancelledCallback, ProgressCallback
from digitpad.ui.sample_library import SampleLibrary, samples_text

PROGRESS_STEPS = 1000
COLUMNS = ("Model", "Your samples (held out)", "MNIST digits", "Took")
# ``fine_tune``'s shape: a store in, keyword ``progress`` and ``cancelled``, a report out.
Tune = Callable[..., FineTuneReport]


def _percent_change(before: float, after: float) -> str:
    return f"{before:.1%} \N{RIGHTWARDS ARROW} {after:.1%}"


class FineTuneDialog(QDialog):
    """Start, watch and cancel a fine-tune; then see what it changed.

    Signals
    -------
    modelsChanged
        New personal models were written: the window should load them.
    """

    modelsChanged = Signal()

    def __init__(
        self, library: SampleLibrary, parent: QWidget | None = None, tune: Tune = fine_tune
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Fine-Tune on Your Samples")
        self._library = library
        self._tune = tune
        self._task: BackgroundTask | None = None
        self.report: FineTuneReport | None = None

        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.progress = QProgressBar()
        self.progress.setRange(0, PROGRESS_STEPS)
        self.progress.setAccessibleName("Fine-tuning progress")
        self.stage = QLabel()
        self.stage.setWordWrap(True)
        self.results = QTableWidget(0, len(COLUMNS))
        self.results.setHorizontalHeaderLabels(COLUMNS)
        self.results.verticalHeader().hide()
        self.results.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.results.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.results.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.results.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.results.setAccessibleName("Accuracy before and after fine-tuning")
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.start_button = QPushButton("&Start")
        self.start_button.setDefault(True)
        self.cancel_button = QPushButton("&Cancel")
        self.close_button = QPushButton("C&lose")

        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.start_button)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.close_button)
        layout = self._layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.progress)
        layout.addWidget(self.stage)
        layout.addWidget(self.results)
        layout.addWidget(self.note)
        layout.addStretch(1)
        layout.addLayout(buttons)
        self.resize(600, 200)

        self.start_button.clicked.connect(self.start)
        self.cancel_button.clicked.connect(self.cancel)
        self.close_button.clicked.connect(self.reject)
        library.changed.connect(self._show_intro)
        self._show_intro()
        library.reload()
        self._set_running(False)
        self.results.hide()

    def is_running(self) -> bool:
        return self._task is not None

    def worker(self) -> BackgroundTask | None:
        """The thread fine-tuning now, if any."""
        return self._task

    def _show_intro(self) -> None:
        if not self._library.is_loaded():
            self.intro.setText("Reading your samples\N{HORIZONTAL ELLIPSIS}")
            return
        counts = self._library.counts()
        total = sum(counts.values())
        missing = [str(digit) for digit, count in counts.items() if count == 0]
        text = (
            f"Trains both models on your {samples_text(total)}, here on this machine, starting "
            "from the original models each time. It takes a minute or so; you can keep "
            "drawing meanwhile."
        )
        if total < MIN_SAMPLES:
            text += f" It needs at least {MIN_SAMPLES} samples; 5 of each digit works best."
        elif missing:
            text += f" You have no samples of {', '.join(missing)} yet."
        self.intro.setText(text)

    # ----- running ----------------------------------------------------------------------
    def start(self) -> None:
        """Start fine-tuning on a worker thread (nothing happens if it is running)."""
        if self._task is not None:
            return
        store, tune = self._library.store, self._tune

        def work(progress: ProgressCallback, cancelled: CancelledCallback) -> FineTuneReport:
            return tune(store, progress=progress, cancelled=cancelled)

        self.report = None
        self.results.hide()
        self.note.clear()
        self.progress.setValue(0)
        self.stage.setText("Starting\N{HORIZONTAL ELLIPSIS}")
        task = self._task = BackgroundTask(work, self)
        task.progressed.connect(self._on_progressed)
        task.succeeded.connect(self._on_succeeded)
        task.failed.connect(self._on_failed)
        task.finished.connect(self._on_finished)
        self._set_running(True)
        task.start_low_priority()

    def cancel(self) -> None:
        """Ask the worker to stop; the dialog says so once it has."""
        if self._task is not None:
            self._task.cancel()
            self.stage.setText("Cancelling\N{HORIZONTAL ELLIPSIS}")
            self.cancel_button.setEnabled(False)

    def stop(self) -> None:
        """Cancel and wait for the worker: nothing may outlive the dialog or the window."""
        task = self._task
        if task is not None:
            task.cancel()
            task.wait()

    def _set_running(self, running: bool) -> None:
        self.start_button.setVisible(not running)
        self.start_button.setText("&Start Again" if self.report is not None else "&Start")
        self.cancel_button.setVisible(running)
        self.cancel_button.setEnabled(running)
        self.progress.setVisible(running or self.report is not None)

    def _on_progressed(self, fraction: float, text: str) -> None:
        self.progress.setValue(round(min(max(fraction, 0.0), 1.0) * PROGRESS_STEPS))
        self.stage.setText(text)

    def _on_succeeded(self, report: FineTuneReport) -> None:
        self.report = report
        self.progress.setValue(PROGRESS_STEPS)
        self.stage.setText("Done: the window now reads with your models.")
        self._show_report(report)
        self.modelsChanged.emit()

    def _on_failed(self, error: Exception) -> None:
        if isinstance(error, FineTuneError):
            reason = str(error)
            self.stage.setText(reason[:1].upper() + reason[1:] + ".")
        else:
            self.stage.setText(f"Fine-tuning failed \N{EM DASH} {type(error).__name__}: {error}")

    def _on_finished(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.deleteLater()
        self._set_running(False)

    def _show_report(self, report: FineTuneReport) -> None:
        rows = report_rows(report)
        self.results.setRowCount(len(rows))
        for row, cells in enumerate(rows):
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                self.results.setItem(row, column, item)
        # As large as its cells: a few models never need a scroll bar.
        self.results.resizeColumnsToContents()
        header, frame = self.results.horizontalHeader(), 2 * self.results.frameWidth()
        self.results.setMinimumWidth(header.length() + frame)
        rows_height = sum(map(self.results.rowHeight, range(len(rows))))
        self.results.setFixedHeight(header.height() + frame + rows_height)
        self.results.show()
        self.note.setText(report_note(report))
        # Grow to show the table and the note whole (a dialog does not grow by itself).
        self._layout.activate()
        width = max(self.width(), self._layout.minimumSize().width())
        self.resize(width, max(self.height(), self._layout.totalHeightForWidth(width)))

    def done(self, result: int) -> None:
        self.stop()
        super().done(result)


def report_rows(report: FineTuneReport) -> list[tuple[str, ...]]:
    """Per model: name, your samples before -> after, MNIST before -> after, seconds."""
    return [
        (
            model.display_name,
            _percent_change(model.yours_before, model.yours_after),
            _percent_change(model.mnist_before, model.mnist_after),
            f"{model.seconds:.0f} s",
        )
        for model in report.models
    ]


def report_note(report: FineTuneReport) -> str:
    """How the figures were measured, and anything left out."""
    note = (
        f"Your samples: each read by a model that did not train on it "
        f"({report.yours_method}). MNIST: {report.mnist_method}, to show nothing was "
        f"forgotten. Trained on {report.samples_used} samples in {report.seconds:.0f} s."
    )
    if report.skipped:
        note += f" Left out: {report.skipped[0]}" + (
            f" (and {len(report.skipped) - 1} more)" if len(report.skipped) > 1 else ""
        )
    return note
