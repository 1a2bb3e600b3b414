"""Fine-tuning both models on your samples: a progress bar, Cancel, and the before/after
figures when it is done.

The training is the core's ``fine_tune``, run by a ``FineTuneJob`` on a worker thread so
the window keeps drawing and reading while it works. The job belongs to the window when
the window hands one in: closing the dialog then leaves it running (Cancel stops it). When
it has written the personal models, ``modelsChanged`` tells the window to load them.
"""

from __future__ import annotations

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
from digitpad.ui.background_task import BackgroundTask
from digitpad.ui.fine_tune_job import FineTuneJob, Tune
from digitpad.ui.sample_library import SampleLibrary, samples_text

PROGRESS_STEPS = 1000
COLUMNS = ("Model", "Your samples (held out)", "MNIST digits", "Took")
GOES_ON = "Closing this window does not stop it: the status bar shows how it is going."


def _percent_change(before: float, after: float) -> str:
    return f"{before:.1%} \N{RIGHTWARDS ARROW} {after:.1%}"


class FineTuneDialog(QDialog):
    """Start, watch and cancel a fine-tune; then see what it changed.

    Signals
    -------
    modelsChanged
        New personal models were written: the window should load them.

    Parameters
    ----------
    job
        The window's fine-tune, which outlives the dialog; without one the dialog makes
        its own, and closing the dialog stops it.
    """

    modelsChanged = Signal()

    def __init__(
        self,
        library: SampleLibrary,
        parent: QWidget | None = None,
        tune: Tune = fine_tune,
        job: FineTuneJob | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Fine-Tune on Your Samples")
        self._library = library
        self._tune = tune
        self._owns_job = job is None
        self.job = FineTuneJob(self) if job is None else job
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
        self.job.progressed.connect(self._on_progressed)
        self.job.succeeded.connect(self._on_succeeded)
        self.job.failed.connect(self._on_failed)
        self.job.finished.connect(self._on_finished)
        self._show_intro()
        library.reload()
        self.results.hide()
        self._set_running(self.job.is_running())
        if self.job.is_running():  # opened again while it runs: where it has got to
            self._on_progressed(*self.job.progress())
            if self.job.is_cancelled():
                self._show_cancelling()

    def is_running(self) -> bool:
        return self.job.is_running()

    def worker(self) -> BackgroundTask | None:
        """The thread fine-tuning now, if any."""
        return self.job.worker()

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
        if not self._owns_job:
            text += " " + GOES_ON
        if total < MIN_SAMPLES:
            text += f" It needs at least {MIN_SAMPLES} samples; 5 of each digit works best."
        elif missing:
            text += f" You have no samples of {', '.join(missing)} yet."
        self.intro.setText(text)

    # ----- running ----------------------------------------------------------------------
    def start(self) -> None:
        """Start fine-tuning on a worker thread (nothing happens if it is running)."""
        if self.job.is_running():
            return
        self.report = None
        self.results.hide()
        self.note.clear()
        self.progress.setValue(0)
        self.stage.setText("Starting\N{HORIZONTAL ELLIPSIS}")
        self.job.start(self._library.store, self._tune)
        self._set_running(True)

    def cancel(self) -> None:
        """Ask the worker to stop; the dialog says so once it has."""
        if self.job.is_running():
            self.job.cancel()
            self._show_cancelling()

    def _show_cancelling(self) -> None:
        self.stage.setText("Cancelling\N{HORIZONTAL ELLIPSIS}")
        self.cancel_button.setEnabled(False)

    def stop(self) -> None:
        """Cancel and wait for the worker (the window closes while it runs)."""
        self.job.stop()

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
        if self._owns_job:  # nobody else would show it: it ends with the dialog
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
