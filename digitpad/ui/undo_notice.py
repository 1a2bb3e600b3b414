"""A short-lived note that something was done, with an Undo button beside it.

Used for "Saved as a 7 in your samples": the action has already happened (nothing asks
first), and undoing it is one click away for a while.
"""

from __future__ import annotations

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from digitpad.ui.accessibility import announce_to_screen_readers

SHOWN_FOR_MS = 12_000
TINT_ALPHA = 0.16  # the highlight colour, faint: noticed, not alarming


class UndoNotice(QWidget):
    """A message and an Undo button, hidden again after ``SHOWN_FOR_MS``.

    Signals
    -------
    undoRequested
        The Undo button was pressed; the notice hides itself.
    """

    undoRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._label = QLabel()
        self.undo_button = QPushButton("&Undo")
        self.undo_button.setToolTip("Take back what was just done")
        self.undo_button.clicked.connect(self._on_undo_clicked)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SHOWN_FOR_MS)
        self._timer.timeout.connect(self.dismiss)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 1, 2, 1)
        layout.addWidget(self._label)
        layout.addWidget(self.undo_button)
        self.setAccessibleName("Notice")
        self.hide()

    def text(self) -> str:
        """The message shown, or "" when the notice is hidden."""
        return "" if self.isHidden() else self._label.text()

    def show_message(self, message: str, undoable: bool = True) -> None:
        """Show ``message`` (with Undo when ``undoable``) and restart the timer."""
        self._label.setText(message)
        self.undo_button.setVisible(undoable)
        self.show()
        announce_to_screen_readers(self, message)
        self._timer.start()

    def dismiss(self) -> None:
        self._timer.stop()
        self.hide()

    def _on_undo_clicked(self) -> None:
        self.dismiss()
        self.undoRequested.emit()

    def paintEvent(self, event: QPaintEvent) -> None:
        tint = QColor(self.palette().color(QPalette.ColorRole.Highlight))
        tint.setAlphaF(TINT_ALPHA)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setPen(tint.darker(150))
        painter.setBrush(tint)
        painter.drawRoundedRect(self.rect().adjusted(1, 1, -1, -1), 4, 4)
        painter.end()
