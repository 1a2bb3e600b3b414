"""Help > Keyboard Shortcuts: every key the window answers to, in one table.

The menu commands' keys are read from the actions themselves (so the list cannot drift
from what the keys do); the keys that are not menu commands (the digit keys that keep a
drawing as a sample, the bars' arrows) are listed after them.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

OTHER_KEYS = (
    ("0 \N{EN DASH} 9 on the canvas", "Keep the drawing as that digit in your samples"),
    ("0 \N{EN DASH} 9 on a model's bars", "Keep the drawing as that digit in your samples"),
    ("\N{UPWARDS ARROW} \N{DOWNWARDS ARROW} on a model's bars", "Pick a digit; it is named"),
    ("Enter or Space on a model's bars", "Keep the drawing as the digit picked"),
    ("Tab, Shift+Tab", "Move between the canvas, the bars and the toolbar buttons"),
)


def _typed(key: str, first: bool) -> bool:
    """Whether a person types ``key``: the first of an action's keys, a combination or a
    plain key, not the media keys some keyboards have ("Open", "Undo", "F14")."""
    return first or "+" in key or (len(key) <= 3 and not key.startswith("F1"))


def shortcut_rows(actions: Iterable[QAction]) -> list[tuple[str, str]]:
    """(keys, what they do) for every action that has a shortcut, in menu wording."""
    rows = []
    for action in actions:
        native = [k.toString(QKeySequence.SequenceFormat.NativeText) for k in action.shortcuts()]
        keys = [key for number, key in enumerate(native) if _typed(key, number == 0)]
        if keys:
            text = action.text().replace("&", "").rstrip("\N{HORIZONTAL ELLIPSIS}.")
            rows.append((", ".join(keys), text))
    return [*rows, *OTHER_KEYS]


class ShortcutsDialog(QDialog):
    """A read-only table of keys and what they do."""

    def __init__(self, actions: Iterable[QAction], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keyboard Shortcuts")
        rows = shortcut_rows(actions)
        self.table = QTableWidget(len(rows), 2)
        self.table.setHorizontalHeaderLabels(["Keys", "Does"])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAccessibleName("Keyboard shortcuts")
        for row, cells in enumerate(rows):
            for column, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.resize(620, 520)

    def rows(self) -> list[tuple[str, str]]:
        """The table's text, row by row."""
        cells = [[self.table.item(r, c) for c in range(2)] for r in range(self.table.rowCount())]
        return [(keys.text(), does.text()) for keys, does in cells if keys and does]


def window_actions_with_keys(window: QWidget) -> list[QAction]:
    """The window's actions, in creation order (the menus' order)."""
    return window.findChildren(QAction, options=Qt.FindChildOption.FindDirectChildrenOnly)
