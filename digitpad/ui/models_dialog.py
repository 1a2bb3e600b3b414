"""The Models dialog: what each loaded model is, and why any model failed to load."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from digitpad.core import OnnxModel, Recognizer, user_models_dir
from digitpad.core.recognition import ACCURACY_CHECK_KEY

FIELDS = ("Architecture", "Parameters", "Test accuracy", "File")


def model_facts(model: OnnxModel) -> tuple[str, str, str, str]:
    """The values shown for one model, in the order of ``FIELDS``."""
    meta = model.metadata
    if meta is None:
        return ("(no metadata)", "", "", str(model.path))
    accuracy = "not recorded" if meta.accuracy is None else f"{meta.accuracy:.2%} (MNIST test set)"
    check = meta.raw.get(ACCURACY_CHECK_KEY)
    if isinstance(check, dict):  # a claim the model did not live up to when it loaded
        measured = check.get("measured")
        read = "could not be checked" if measured is None else f"reads {measured:.1%}"
        accuracy = f"claims {check.get('claimed', 0):.2%} but {read} of the reference digits"
    return (meta.architecture, f"{meta.parameters:,}", accuracy, str(model.path))


def _selectable(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class ModelsDialog(QDialog):
    """One box per loaded model with its metadata, then the failures with their reasons."""

    def __init__(self, recognizer: Recognizer, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Models")
        self._rows: list[list[str]] = []
        layout = QVBoxLayout(self)
        for model in recognizer.loaded_models:
            facts = model_facts(model)
            self._rows.append([model.display_name, *facts])
            box = QGroupBox(model.display_name)
            box.setAccessibleName(f"{model.display_name} model")
            form = QFormLayout(box)
            form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
            for field, value in zip(FIELDS, facts, strict=True):
                form.addRow(f"{field}:", _selectable(value))
            layout.addWidget(box)

        self.failures_label = _selectable(self._failures_html(recognizer))
        self.failures_label.setAccessibleName("Models that failed to load")
        where = QLabel(
            f"Extra or retrained models can be dropped into {escape(str(user_models_dir()))}"
        )
        where.setWordWrap(True)
        where.setEnabled(False)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(self.failures_label)
        layout.addWidget(where)
        layout.addStretch(1)
        layout.addWidget(buttons)
        self.setMinimumWidth(620)

    def row_texts(self) -> list[list[str]]:
        """Each model's name followed by the values shown for ``FIELDS``."""
        return [list(row) for row in self._rows]

    @staticmethod
    def _failures_html(recognizer: Recognizer) -> str:
        if not recognizer.failures:
            return "Every model loaded."
        items = "".join(
            f"<li><b>{escape(failure.path.name)}</b> ({escape(str(failure.path.parent))}): "
            f"{escape(failure.reason)}</li>"
            for failure in recognizer.failures
        )
        return f"<b>Could not load:</b><ul>{items}</ul>"
