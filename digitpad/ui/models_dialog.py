"""The Models dialog: what each loaded model is, and why any model failed to load."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from digitpad.core import Recognizer, user_models_dir

COLUMNS = ("Model", "Architecture", "Parameters", "Test accuracy", "File")


class ModelsDialog(QDialog):
    """Lists the recogniser's models with their metadata, then the failures with reasons."""

    def __init__(self, recognizer: Recognizer, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Models")
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setAccessibleName("Loaded models")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        for model in recognizer.onnx_models:
            meta = model.metadata
            accuracy = meta.accuracy if meta is not None else None
            self._add_row(
                model.display_name,
                meta.architecture if meta is not None else "(no metadata)",
                f"{meta.parameters:,}" if meta is not None else "",
                "" if accuracy is None else f"{accuracy:.2%}",
                str(model.path),
            )
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)

        self.failures_label = QLabel(self._failures_html(recognizer))
        self.failures_label.setWordWrap(True)
        self.failures_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.failures_label.setAccessibleName("Models that failed to load")
        where = QLabel(
            f"Extra or retrained models can be dropped into {escape(str(user_models_dir()))}"
        )
        where.setWordWrap(True)
        where.setEnabled(False)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(self.failures_label)
        layout.addWidget(where)
        layout.addWidget(buttons)
        self.resize(900, 300)

    def _add_row(self, *cells: str) -> None:
        row = self.table.rowCount()
        self.table.insertRow(row)
        for column, text in enumerate(cells):
            item = QTableWidgetItem(text)
            item.setToolTip(text)
            self.table.setItem(row, column, item)

    def row_texts(self) -> list[list[str]]:
        """Every cell's text, row by row (what a person reads in the table)."""
        return [
            [self.table.item(row, col).text() for col in range(self.table.columnCount())]
            for row in range(self.table.rowCount())
        ]

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
