""" "Your samples": every kept digit as a thumbnail, per digit, to look at, delete or export.

The digits are listed on the left with their counts; the right shows the chosen digit's
samples as a grid. Delete (the key or the button) removes the selected ones; Export
writes all of them through the store as MNIST IDX files, an NPZ file or a folder of PNGs.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QIcon, QKeySequence, QPixmap, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from digitpad.core import Sample, SampleError
from digitpad.core.personal import ExportFormat
from digitpad.ui.sample_library import SampleLibrary, samples_text

THUMBNAIL_SIDE = 72
SAMPLE_ROLE = Qt.ItemDataRole.UserRole
# What each export format writes, and whether it asks for a file (else a folder).
EXPORTS: dict[ExportFormat, tuple[str, bool]] = {
    "idx": ("MNIST &IDX Files (Images + Labels)…", False),
    "npz": ("&NPZ File…", True),
    "folder": ("&Folder of PNGs per Digit…", False),
}


class SamplesDialog(QDialog):
    """Shows the samples in a ``SampleLibrary`` and keeps up with its changes."""

    def __init__(self, library: SampleLibrary, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Your Samples")
        self._library = library
        self._samples: list[Sample] = []

        self.digits = QListWidget()
        self.digits.setAccessibleName("Digits")
        self.digits.setMaximumWidth(150)
        for digit in range(10):
            self.digits.addItem(QListWidgetItem(str(digit)))
        self.grid = QListWidget()
        self.grid.setViewMode(QListView.ViewMode.IconMode)
        self.grid.setIconSize(QSize(THUMBNAIL_SIDE, THUMBNAIL_SIDE))
        self.grid.setGridSize(QSize(THUMBNAIL_SIDE + 16, THUMBNAIL_SIDE + 16))
        self.grid.setResizeMode(QListView.ResizeMode.Adjust)
        self.grid.setMovement(QListView.Movement.Static)
        self.grid.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.grid.setAccessibleName("Samples of the chosen digit")
        self.grid.setMinimumSize(5 * (THUMBNAIL_SIDE + 16) + 24, 3 * (THUMBNAIL_SIDE + 16))
        self.empty_hint = QLabel()
        self.empty_hint.setWordWrap(True)
        self.empty_hint.setEnabled(False)  # the palette's dimmer text: a hint, not data
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.delete_button = QPushButton("&Delete")
        self.delete_button.setToolTip("Delete the selected samples (Delete)")
        self.export_button = QToolButton()
        self.export_button.setText("&Export")
        self.export_button.setToolTip("Write every sample for use in other tools")
        self.export_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        export_menu = QMenu(self.export_button)
        for fmt, (text, _) in EXPORTS.items():
            export_menu.addAction(text).triggered.connect(
                lambda _=False, chosen=fmt: self._on_export_triggered(chosen)
            )
        self.export_button.setMenu(export_menu)
        self.delete_shortcut = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.grid)
        self.delete_shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)

        panes = QHBoxLayout()
        panes.addWidget(self.digits)
        shown = QVBoxLayout()
        shown.addWidget(self.grid, 1)
        shown.addWidget(self.empty_hint)
        panes.addLayout(shown, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.delete_button)
        buttons.addWidget(self.export_button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(panes, 1)
        layout.addWidget(self.summary)
        layout.addLayout(buttons)

        self.digits.currentRowChanged.connect(self._show_digit)
        self.grid.itemSelectionChanged.connect(self._update_buttons)
        self.delete_button.clicked.connect(self.delete_selected)
        self.delete_shortcut.activated.connect(self.delete_selected)
        library.changed.connect(self.refresh)
        self.refresh()
        self.digits.setCurrentRow(next((d for d in range(10) if self.count(d)), 0))

    # ----- what is shown ----------------------------------------------------------------
    def count(self, digit: int) -> int:
        return sum(1 for sample in self._samples if sample.label == digit)

    def shown_digit(self) -> int:
        return max(0, self.digits.currentRow())

    def shown_samples(self) -> list[Sample]:
        """The samples in the grid, in order."""
        return [self.grid.item(row).data(SAMPLE_ROLE) for row in range(self.grid.count())]

    def refresh(self) -> None:
        """Read the store again and show it."""
        self._samples = self._library.samples()
        problems = self._library.problems
        for digit in range(10):
            item = self.digits.item(digit)
            item.setText(f"{digit}    {samples_text(self.count(digit))}")
        total = len(self._samples)
        text = f"{samples_text(total)} in {self._library.store.root}"
        if problems:
            text += f". {len(problems)} file(s) could not be read and are left out: {problems[0]}"
        self.summary.setText(text)
        self._show_digit(self.shown_digit())

    def _show_digit(self, digit: int) -> None:
        digit = max(0, digit)  # -1 while no row is current
        self.grid.clear()
        for sample in self._samples:
            if sample.label != digit:
                continue
            item = QListWidgetItem()  # no text at all: the selection frames the picture only
            item.setIcon(QIcon(_thumbnail(sample.image)))
            item.setData(SAMPLE_ROLE, sample)
            when = sample.created.astimezone().strftime("%Y-%m-%d %H:%M")
            kind = "drawing" if sample.strokes is not None else "picture"
            item.setToolTip(f"A {sample.label}, {kind} kept {when}")
            item.setData(Qt.ItemDataRole.AccessibleTextRole, f"{sample.label}, {kind}, {when}")
            self.grid.addItem(item)
        self.empty_hint.setText(
            f"No samples of {digit} yet: when a {digit} is misread, pick its bar or type "
            "it on the canvas; or use Handwriting > Teach Me Your Handwriting."
        )
        self.empty_hint.setVisible(self.grid.count() == 0)
        self._update_buttons()

    def _update_buttons(self) -> None:
        self.delete_button.setEnabled(bool(self.grid.selectedItems()))
        self.export_button.setEnabled(bool(self._samples))

    # ----- actions ----------------------------------------------------------------------
    def delete_selected(self) -> None:
        selected = [item.data(SAMPLE_ROLE) for item in self.grid.selectedItems()]
        if not selected:
            return
        failures = self._library.remove(selected)  # ``changed`` refreshes the grid
        if failures:
            self.summary.setText(f"Could not delete {len(failures)}: {failures[0]}")

    def export(self, fmt: ExportFormat, out: str | Path) -> bool:
        """Write every sample to ``out`` in ``fmt``; the summary line says how it went."""
        try:
            written = self._library.store.export(fmt, out)
        except (SampleError, OSError) as error:
            reason = error.strerror if isinstance(error, OSError) and error.strerror else error
            self.summary.setText(f"Could not export \N{EM DASH} {reason}")
            return False
        if fmt == "idx":
            text = f"Exported to {out}: {', '.join(path.name for path in written)}"
        elif fmt == "npz":
            text = f"Exported to {out}"
        else:
            text = f"Exported {len(written)} PNG files to {out}"
        skipped = self._library.problems
        self.summary.setText(text + (f" ({len(skipped)} unreadable left out)" if skipped else ""))
        return True

    def _on_export_triggered(self, fmt: ExportFormat) -> None:
        text, asks_for_file = EXPORTS[fmt]
        title = f"Export Samples as {text.replace('&', '').rstrip('…')}"
        start = Path.home() / "samples.npz" if asks_for_file else Path.home()
        dialog = QFileDialog(self, title, str(start))
        if asks_for_file:
            dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
            dialog.setNameFilter("NumPy archive (*.npz)")
            dialog.setDefaultSuffix("npz")
        else:
            dialog.setFileMode(QFileDialog.FileMode.Directory)
            dialog.setOption(QFileDialog.Option.ShowDirsOnly, True)
        if dialog.exec() and dialog.selectedFiles():
            self.export(fmt, dialog.selectedFiles()[0])
        dialog.deleteLater()


def _thumbnail(path: Path) -> QPixmap:
    pixmap = QPixmap(str(path))
    if pixmap.isNull():
        return pixmap
    return pixmap.scaled(
        THUMBNAIL_SIDE,
        THUMBNAIL_SIDE,
        Qt.AspectRatioMode.KeepAspectRatio,
        Qt.TransformationMode.SmoothTransformation,
    )
