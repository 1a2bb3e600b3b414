"""The Handwriting menu and what stands behind it, attached to the main window.

Correcting a reading (pick a bar or type the digit), teaching session, the samples
dialog, fine-tuning and going back to the original models all share one
``SampleLibrary``; after fine-tuning (or undoing it) the window is handed a freshly
loaded recogniser, so its panels read "Dense (yours)" / "CNN (yours)".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QMenu, QMessageBox

from digitpad.core import (
    Recognizer,
    SampleStore,
    personal_model_names,
    reset_personal_models,
)
from digitpad.ui.correction import ReadingCorrection
from digitpad.ui.fine_tune_dialog import FineTuneDialog
from digitpad.ui.sample_library import SampleLibrary
from digitpad.ui.samples_dialog import SamplesDialog
from digitpad.ui.settings import AppSettings
from digitpad.ui.teach_dialog import TeachDialog
from digitpad.ui.undo_notice import UndoNotice

if TYPE_CHECKING:
    from digitpad.ui.main_window import MainWindow

DialogT = TypeVar("DialogT", bound=QDialog)
RESET_QUESTION = (
    "Go back to the models digitpad came with? Your fine-tuned models are deleted; your "
    "samples are kept, so you can fine-tune again at any time."
)


@dataclass
class HandwritingActions:
    teach: QAction
    samples: QAction
    fine_tune: QAction
    use_originals: QAction
    menu: QMenu


def _build_actions(window: MainWindow) -> HandwritingActions:
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
    menus = window.menuBar()
    help_menu = next((a for a in menus.actions() if "Help" in a.text().replace("&", "")), None)
    if help_menu is None:
        menus.addMenu(actions.menu)
    else:
        menus.insertMenu(help_menu, actions.menu)
    return actions


class Handwriting(QObject):
    """Teaching digitpad your handwriting, wired into ``window``.

    Parameters
    ----------
    window
        The main window: its canvas, result panels, banner, status bar and menus.
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
    """

    modelsReloaded = Signal()

    def __init__(
        self,
        window: MainWindow,
        settings: AppSettings,
        store: SampleStore | None = None,
        load_recognizer: Callable[[], Recognizer] = Recognizer.from_default_locations,
    ) -> None:
        super().__init__(window)
        self._window = window
        self._settings = settings
        self._load_recognizer = load_recognizer
        self._dialogs: dict[type[QDialog], QDialog] = {}
        self.library = SampleLibrary(store or SampleStore(), self)
        self.notice = UndoNotice()
        window.statusBar().addPermanentWidget(self.notice)
        self.correction = ReadingCorrection(
            window.canvas, self.library, self.notice, self, window.number.focused_digit
        )
        self.correction.failed.connect(window.banner.show_error)
        self.actions = _build_actions(window)
        self.actions.teach.triggered.connect(self.show_teach_dialog)
        self.actions.samples.triggered.connect(self.show_samples_dialog)
        self.actions.fine_tune.triggered.connect(self.show_fine_tune_dialog)
        self.actions.use_originals.triggered.connect(self._on_use_originals_triggered)
        self._attach_bars()
        window.installEventFilter(self)

    def _attach_bars(self) -> None:
        for panel in self._window.results.panels.values():
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
        def make() -> FineTuneDialog:
            dialog = FineTuneDialog(self.library, self._window)
            dialog.modelsChanged.connect(self.reload_models)
            return dialog

        return self._open(FineTuneDialog, make)

    # ----- models -----------------------------------------------------------------------
    def reload_models(self) -> None:
        """Load the models again (bundled, then the user's) and read with them."""
        self._window.set_recognizer(self._load_recognizer())
        self._attach_bars()
        self.modelsReloaded.emit()

    def use_original_models(self) -> None:
        """Delete the personal models and read with the bundled ones again."""
        try:
            reset_personal_models()
        except OSError as error:
            self._window.banner.show_error(
                f"Could not remove your fine-tuned models — {error.strerror or error}"
            )
            return
        self.reload_models()
        self._window.statusBar().showMessage("Using the original models again", 4000)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # A fine-tune, a read of the store or thumbnails still being made when the window
        # closes are cancelled and waited for: no thread may outlive the window (nor
        # write models after it).
        # The event type first: the window also sends events while it is being deleted,
        # when this object's Python attributes may already be gone.
        if event.type() == QEvent.Type.Close and watched is self._window:
            self.library.stop()
            for dialog in list(self._dialogs.values()):
                if isinstance(dialog, FineTuneDialog | SamplesDialog):
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
