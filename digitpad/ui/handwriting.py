"""The Handwriting menu and what stands behind it, attached to the main window.

Correcting a reading (pick a bar or type the digit), teaching session, the samples
dialog, fine-tuning and going back to the original models all share one
``SampleLibrary``; after fine-tuning (or undoing it) the window is handed a freshly
loaded recogniser, so its panels read "Dense (yours)" / "CNN (yours)".

The fine-tune is the window's (``FineTuneJob``), not its dialog's: closing the dialog
leaves it running, with its progress in the status bar. Models written into the user's
folder from elsewhere (``digitpad fine-tune`` in a terminal) are noticed and loaded, and
the status bar says so. The window hands in the parts it uses (``WindowParts``), so this
module never imports the window.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QMainWindow, QMenu, QMessageBox, QProgressBar

from digitpad.core import (
    FineTuneError,
    FineTuneReport,
    Recognizer,
    SampleStore,
    personal_model_names,
    reset_personal_models,
)
from digitpad.ui.canvas import DrawingCanvas
from digitpad.ui.correction import ReadingCorrection
from digitpad.ui.fine_tune_dialog import PROGRESS_STEPS, FineTuneDialog
from digitpad.ui.fine_tune_job import FineTuneJob
from digitpad.ui.message_banner import MessageBanner
from digitpad.ui.models_watcher import ModelsFolderWatcher
from digitpad.ui.number_view import NumberView
from digitpad.ui.results_pane import ResultsPane
from digitpad.ui.sample_library import SampleLibrary
from digitpad.ui.samples_dialog import SamplesDialog
from digitpad.ui.settings import AppSettings
from digitpad.ui.teach_dialog import TeachDialog
from digitpad.ui.undo_notice import UndoNotice

DialogT = TypeVar("DialogT", bound=QDialog)
RESET_QUESTION = (
    "Go back to the models digitpad came with? Your fine-tuned models are deleted; your "
    "samples are kept, so you can fine-tune again at any time."
)
FINE_TUNE_TIP = (
    "Fine-tuning on your samples: {stage}. Handwriting > Fine-Tune on Your Samples shows "
    "it, with Cancel."
)


@dataclass(frozen=True)
class WindowParts:
    """What teaching and fine-tuning use of the main window, handed in by the window."""

    canvas: DrawingCanvas
    banner: MessageBanner
    results: ResultsPane
    number: NumberView
    help_menu: QMenu  # the Handwriting menu goes before it
    set_recognizer: Callable[[Recognizer], None]


@dataclass
class HandwritingActions:
    teach: QAction
    samples: QAction
    fine_tune: QAction
    use_originals: QAction
    menu: QMenu


def _build_actions(window: QMainWindow, help_menu: QMenu) -> HandwritingActions:
    def action(text: str, tip: str) -> QAction:
        made = QAction(text, window)
        made.setToolTip(tip)
        made.setStatusTip(tip)
        return made

    actions = HandwritingActions(
        teach=action("&Teach Me Your Handwriting…", "Draw each digit a few times for the models"),
        samples=action("Your &Samples…", "See, delete and export the digits you kept"),
        fine_tune=action("&Fine-Tune on Your Samples…", "Train both models on your samples"),
        use_originals=action("Use the &Original Models", "Go back to the bundled models"),
        menu=QMenu("Hand&writing", window),
    )
    actions.menu.addActions([actions.teach, actions.samples])
    actions.menu.addSeparator()
    actions.menu.addActions([actions.fine_tune, actions.use_originals])
    window.menuBar().insertMenu(help_menu.menuAction(), actions.menu)
    return actions


class Handwriting(QObject):
    """Teaching digitpad your handwriting, wired into ``window``.

    Parameters
    ----------
    window
        The main window: its status bar and menu bar, and its closing.
    parts
        The window's canvas, result panels, banner, Help menu and how to give it models.
    settings
        Remembers the teaching session's count per digit.
    store
        Where samples live (default: ``<user data>/samples``).
    load_recognizer
        Loads the models after fine-tuning or undoing it.

    Signals
    -------
    modelsReloaded
        The window now reads with a freshly loaded recogniser.
    undoChanged
        What Undo would take back changed (a sample was kept, or taken back).
    """

    modelsReloaded = Signal()
    undoChanged = Signal()

    def __init__(
        self,
        window: QMainWindow,
        parts: WindowParts,
        settings: AppSettings,
        store: SampleStore | None = None,
        load_recognizer: Callable[[], Recognizer] = Recognizer.from_default_locations,
    ) -> None:
        super().__init__(window)
        self._window = window
        self._parts = parts
        self._settings = settings
        self._load_recognizer = load_recognizer
        self._dialogs: dict[type[QDialog], QDialog] = {}
        self.library = SampleLibrary(store or SampleStore(), self)
        self.notice = UndoNotice()
        window.statusBar().addPermanentWidget(self.notice)
        self.fine_tune_job = FineTuneJob(self)
        self.models_watcher = ModelsFolderWatcher(parent=self)
        self.models_watcher.changed.connect(self._on_models_folder_changed)
        self.fine_tune_progress = QProgressBar()
        self._build_fine_tune_progress()
        self.correction = ReadingCorrection(
            parts.canvas, self.library, self.notice, self, parts.number.focused_digit
        )
        self.correction.failed.connect(parts.banner.show_error)
        # Undo takes back the last thing done: a kept sample until the canvas changes.
        self._sample_is_last = False
        self.correction.kept.connect(self._on_correction_kept)
        parts.canvas.changed.connect(self._on_canvas_changed)
        self.actions = _build_actions(window, parts.help_menu)
        self.actions.teach.triggered.connect(self.show_teach_dialog)
        self.actions.samples.triggered.connect(self.show_samples_dialog)
        self.actions.fine_tune.triggered.connect(self.show_fine_tune_dialog)
        self.actions.use_originals.triggered.connect(self._on_use_originals_triggered)
        self._attach_bars()
        window.installEventFilter(self)

    # ----- undo -------------------------------------------------------------------------
    def can_undo_sample(self) -> bool:
        """Whether keeping a sample is the last thing done (so Undo takes it back)."""
        return self._sample_is_last and self.correction.last_sample() is not None

    def undo_sample(self) -> bool:
        """Take back the sample just kept; False when that was not the last thing done."""
        if not self.can_undo_sample():
            return False
        self._sample_is_last = False
        self.correction.undo()
        self.undoChanged.emit()
        return True

    def _on_correction_kept(self) -> None:
        self._sample_is_last = True
        self.undoChanged.emit()

    def _on_canvas_changed(self) -> None:
        if self._sample_is_last:
            self._sample_is_last = False
            self.undoChanged.emit()

    def _build_fine_tune_progress(self) -> None:
        """A small bar in the status bar while a fine-tune runs (its dialog may be closed)."""
        bar = self.fine_tune_progress
        bar.setRange(0, PROGRESS_STEPS)
        bar.setMaximumWidth(160)
        bar.setFormat("Fine-tuning %p%")
        bar.setAccessibleName("Fine-tuning progress")
        bar.hide()
        self._window.statusBar().addPermanentWidget(bar)
        job = self.fine_tune_job
        job.started.connect(self._on_fine_tune_started)
        job.progressed.connect(self._on_fine_tune_progressed)
        job.succeeded.connect(self._on_fine_tune_succeeded)
        job.failed.connect(self._on_fine_tune_failed)
        job.finished.connect(bar.hide)

    def _attach_bars(self) -> None:
        for panel in self._parts.results.panels.values():
            self.correction.attach(panel.bars)
        self.actions.use_originals.setEnabled(bool(personal_model_names()))

    # ----- dialogs ----------------------------------------------------------------------
    def _open(self, kind: type[DialogT], make: Callable[[], DialogT]) -> DialogT:
        """Show the one dialog of ``kind``: made on first use, raised while it is open."""
        dialog = self._dialogs.get(kind)
        if not isinstance(dialog, kind):
            dialog = made = make()
            dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

            def forget() -> None:
                if self._dialogs.get(kind) is made:
                    del self._dialogs[kind]

            # Closed means gone (it is deleted soon): the next call makes a fresh one.
            dialog.finished.connect(forget)
            dialog.destroyed.connect(forget)
            self._dialogs[kind] = dialog
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()
        return dialog

    def show_teach_dialog(self) -> TeachDialog:
        def make() -> TeachDialog:
            dialog = TeachDialog(self.library, self._settings, self._window)
            dialog.fineTuneRequested.connect(self.show_fine_tune_dialog)
            return dialog

        return self._open(TeachDialog, make)

    def show_samples_dialog(self) -> SamplesDialog:
        return self._open(SamplesDialog, lambda: SamplesDialog(self.library, self._window))

    def show_fine_tune_dialog(self) -> FineTuneDialog:
        # The job reloads the models when it succeeds, whether the dialog is open or not.
        def make() -> FineTuneDialog:
            dialog = FineTuneDialog(self.library, self._window, job=self.fine_tune_job)
            dialog.finished.connect(self._on_fine_tune_dialog_finished)
            return dialog

        return self._open(FineTuneDialog, make)

    def _on_fine_tune_dialog_finished(self) -> None:
        if self.fine_tune_job.is_running() and not self.fine_tune_job.is_cancelled():
            self._window.statusBar().showMessage(
                "Fine-tuning goes on; Handwriting > Fine-Tune on Your Samples shows it", 6000
            )

    def _fine_tune_dialog_shown(self) -> bool:
        dialog = self._dialogs.get(FineTuneDialog)
        return dialog is not None and dialog.isVisible()

    def _on_fine_tune_started(self) -> None:
        self.fine_tune_progress.setValue(0)
        self.fine_tune_progress.show()

    def _on_fine_tune_progressed(self, fraction: float, stage: str) -> None:
        self.fine_tune_progress.setValue(round(fraction * PROGRESS_STEPS))
        self.fine_tune_progress.setToolTip(FINE_TUNE_TIP.format(stage=stage))

    def _on_fine_tune_succeeded(self, report: FineTuneReport) -> None:
        self.reload_models()
        shown = " and ".join(model.display_name for model in report.models)
        self._window.statusBar().showMessage(f"Fine-tuned: now reading with {shown}", 8000)

    def _on_models_folder_changed(self) -> None:
        if self.fine_tune_job.is_running():
            return  # this window's own fine-tune is writing: it reloads when done
        recognizer = self.reload_models()
        shown = ", ".join(m.display_name for m in recognizer.model_metadata)
        self._window.statusBar().showMessage(
            f"Your models folder changed: now reading with {shown}", 10_000
        )

    def _on_fine_tune_failed(self, error: Exception) -> None:
        if self._fine_tune_dialog_shown():
            return  # the dialog says why
        if isinstance(error, FineTuneError):
            reason = str(error)
            self._parts.banner.show_error(f"Fine-tuning stopped: {reason}.")
        else:
            self._parts.banner.show_error(
                f"Fine-tuning failed \N{EM DASH} {type(error).__name__}: {error}"
            )

    # ----- models -----------------------------------------------------------------------
    def reload_models(self) -> Recognizer:
        """Load the models again (bundled, then the user's) and read with them."""
        recognizer = self._load_recognizer()
        self._parts.set_recognizer(recognizer)
        self.models_watcher.acknowledge()
        self._attach_bars()
        self.modelsReloaded.emit()
        return recognizer

    def use_original_models(self) -> None:
        """Delete the personal models and read with the bundled ones again."""
        try:
            reset_personal_models()
        except OSError as error:
            self._parts.banner.show_error(
                f"Could not remove your fine-tuned models — {error.strerror or error}"
            )
            return
        self.reload_models()
        self._window.statusBar().showMessage("Using the original models again", 4000)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # A fine-tune still running when the window closes is cancelled (it writes
        # nothing after that) without holding the closing up: ``FineTuneJob.shut_down``.
        # A read of the store or thumbnails still being made are cancelled and waited for
        # (each stops within one sample): no thread may outlive the window.
        # The event type first: the window also sends events while it is being deleted,
        # when this object's Python attributes may already be gone.
        if event.type() == QEvent.Type.Close and watched is self._window:
            self.fine_tune_job.shut_down()
            self.library.stop()
            for dialog in list(self._dialogs.values()):
                if isinstance(dialog, SamplesDialog):
                    dialog.stop()
        return super().eventFilter(watched, event)

    def _on_use_originals_triggered(self) -> None:
        answer = QMessageBox.question(
            self._window,
            "Use the Original Models",
            RESET_QUESTION,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.use_original_models()
