"""An inline message strip over the top of the window: errors a person can read and close.

Used instead of modal message boxes so a failed open never interrupts drawing, and
tests can read the message without a dialog blocking them. It floats over the content
(``float_over``) rather than taking a row of the layout, so showing it never pushes the
canvas down or shrinks it.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAccessible, QAccessibleEvent, QColor, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QToolButton, QWidget

ERROR_TINT = QColor(214, 48, 49)
TINT_STRENGTH = 0.28
MARGIN = 8  # from the edges of the widget it floats over


def _blend(base: QColor, tint: QColor, amount: float) -> QColor:
    return QColor.fromRgbF(
        base.redF() + (tint.redF() - base.redF()) * amount,
        base.greenF() + (tint.greenF() - base.greenF()) * amount,
        base.blueF() + (tint.blueF() - base.blueF()) * amount,
    )


class MessageBanner(QFrame):
    """A closable one-line error message, tinted red over the current palette.

    An error goes away when it is closed (its button, reachable with Tab) or, unless it
    was shown as ``lasting``, at the next successful action (``dismiss_passing``).
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._lasting = False
        self._host: QWidget | None = None
        self._label = QLabel()
        self._label.setWordWrap(True)
        self._label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.close_button = QToolButton()
        self.close_button.setText("✕")
        self.close_button.setAutoRaise(True)
        self.close_button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.close_button.setToolTip("Close this message")
        self.close_button.setAccessibleName("Close message")
        self.close_button.clicked.connect(self._on_close_clicked)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 6, 6)
        layout.addWidget(self._label, 1)
        layout.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignTop)
        self.setAccessibleName("Message")
        self.hide()

    def float_over(self, host: QWidget) -> None:
        """Show over the top of ``host`` (as its child), following its size."""
        self._host = host
        self.setParent(host)
        host.installEventFilter(self)
        self._place()

    def text(self) -> str:
        """The message shown, or "" when the banner is hidden."""
        return "" if self.isHidden() else self._label.text()

    def show_error(self, message: str, lasting: bool = False) -> None:
        """Show ``message``; a ``lasting`` one stays until closed (e.g. a model failed)."""
        self._lasting = lasting
        self._label.setText(message)
        self.setAccessibleDescription(message)
        self._place()
        self.show()
        self.raise_()
        QAccessible.updateAccessibility(QAccessibleEvent(self, QAccessible.Event.Alert))

    def dismiss(self) -> None:
        if self.close_button.hasFocus() and self._host is not None:
            self._host.window().setFocus()  # do not leave the focus on a hidden button
        self._label.clear()
        self._lasting = False
        self.hide()

    def dismiss_passing(self) -> None:
        """Something worked: an error about an earlier attempt is no longer news."""
        if not self._lasting:
            self.dismiss()

    def _on_close_clicked(self) -> None:
        self.dismiss()

    def _place(self) -> None:
        if self._host is None:
            return
        width = max(1, self._host.width() - 2 * MARGIN)
        layout = self.layout()
        wraps = layout is not None and layout.hasHeightForWidth()
        height = layout.totalHeightForWidth(width) if layout is not None and wraps else -1
        self.setGeometry(MARGIN, MARGIN, width, height if height > 0 else self.sizeHint().height())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # The event's kind first: Qt still sends events while the host is being destroyed,
        # after this object's Python attributes are gone.
        if event.type() == QEvent.Type.Resize and watched is getattr(self, "_host", None):
            self._place()
        return False

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        window = self.palette().color(QPalette.ColorRole.Window)
        painter.setPen(_blend(window, ERROR_TINT, 0.6))
        # Opaque: it floats over the canvas, whose drawing must not show through.
        painter.setBrush(_blend(window, ERROR_TINT, TINT_STRENGTH))
        painter.drawRoundedRect(self.rect().adjusted(1, 1, -1, -1), 5, 5)
        painter.end()
