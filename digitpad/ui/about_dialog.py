"""The About box: version, what the app does and which models it is running."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from digitpad import __version__
from digitpad.core import ModelMetadata
from digitpad.ui.icons import app_icon


def _networks(count: int) -> str:
    """``one neural network``, ``3 neural networks``: what the About text says is running."""
    if count == 0:
        return "the neural networks"
    return "one neural network" if count == 1 else f"{count} neural networks"


def about_html(models: tuple[ModelMetadata, ...]) -> str:
    """The About text as rich text."""
    if models:
        rows = "".join(
            f"<li>{escape(m.display_name)}: {m.parameters:,} parameters"
            + ("" if m.accuracy is None else f", {m.accuracy:.2%} right on the MNIST test set")
            + "</li>"
            for m in models
        )
        model_text = f"<p>Models:</p><ul>{rows}</ul>"
    else:
        model_text = "<p>No model is loaded.</p>"
    return (
        f"<h2>digitpad {escape(__version__)}</h2>"
        f"<p>Draw a digit or open an image and watch {_networks(len(models))} "
        "trained on MNIST read it live.</p>"
        f"{model_text}<p>Help &gt; Models has the details. MIT licence.</p>"
    )


class AboutDialog(QDialog):
    """A small non-blocking About box (``open()`` it; tests read ``text()``)."""

    def __init__(self, models: tuple[ModelMetadata, ...], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("About digitpad")
        icon = QLabel()
        icon.setPixmap(app_icon().pixmap(64, 64))
        icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        self._text = QLabel(about_html(models))
        self._text.setWordWrap(True)
        self._text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._text.setAccessibleName("About digitpad")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(icon)
        row.addWidget(self._text, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(buttons)
        self.setMinimumWidth(420)

    def text(self) -> str:
        return self._text.text()
