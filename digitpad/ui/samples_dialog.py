""" "Your samples": every kept digit as a thumbnail, per digit, to look at, delete or export.

The digits are listed on the left with their counts; the right shows the chosen digit's
samples as a grid. Delete (the key or the button) removes the selected ones; Export
writes all of them through the store as MNIST IDX files, an NPZ file or a folder of PNGs.

Nothing slow happens on the GUI thread: the library reads the store on a worker, and
thumbnails are made on a worker a batch at a time (through the core's hardened picture
loader), so a store of a hundred thousand samples or a picture of 7000 x 7000 pixels
never freezes the window. A change (a correction, a deletion) adds or removes the items
it concerns; the thumbnails already made are kept.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QIcon, QImage, QKeySequence, QPixmap, QShortcut
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

from digitpad.core import Sample, SampleStore
from digitpad.core.personal import ExportFormat
from digitpad.ui.background_task import BackgroundTask, CancelledCallback, ProgressCallback
from digitpad.ui.sample_library import SampleLibrary, samples_text, thumbnail_image

THUMBNAIL_SIDE = 72
# Thumbnails made per worker run: the grid fills in steps, and closing waits for at most
# one picture.
THUMBNAIL_BATCH = 64
_Exported = tuple[list[Path], tuple[str, ...]]
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
        self._icons: dict[str, QIcon] = {}  # by sample id; a null icon: unreadable
        self._thumbnails: BackgroundTask | None = None
        self._export: BackgroundTask | None = None
        self._export_target: tuple[ExportFormat, Path] = ("npz", Path())
        self._stopped = False  # once stopped (closing), no worker starts again
        self._digit_chosen = False

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
        # Thousands of thumbnails: laid out a batch at a time, all of one size.
        self.grid.setUniformItemSizes(True)
        self.grid.setLayoutMode(QListView.LayoutMode.Batched)
        self.grid.setBatchSize(200)
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
        library.reload()  # what the command line added meanwhile shows up too

    # ----- what is shown ----------------------------------------------------------------
    def count(self, digit: int) -> int:
        return self._library.counts()[digit]

    def shown_digit(self) -> int:
        return max(0, self.digits.currentRow())

    def shown_samples(self) -> list[Sample]:
        """The samples in the grid, in order."""
        return [self.grid.item(row).data(SAMPLE_ROLE) for row in range(self.grid.count())]

    def refresh(self) -> None:
        """Show what the library knows (it tells when that changes)."""
        counts = self._library.counts()
        problems = self._library.problems
        for digit in range(10):
            item = self.digits.item(digit)
            read = self._library.has_read(digit)
            count = samples_text(counts[digit]) if read else "\N{HORIZONTAL ELLIPSIS}"
            item.setText(f"{digit}    {count}")
        root = self._library.store.root
        if not self._library.is_loaded():
            self.summary.setText(f"Reading your samples in {root}\N{HORIZONTAL ELLIPSIS}")
        else:
            text = f"{samples_text(sum(counts.values()))} in {root}"
            if problems:
                text += (
                    f". {len(problems)} file(s) could not be read and are left out: {problems[0]}"
                )
            self.summary.setText(text)
        if self._library.is_loaded() and not self._digit_chosen:
            self._digit_chosen = True  # opens on the first digit that has samples
            first = next((d for d in range(10) if counts[d]), 0)
            if first != self.shown_digit():
                self.digits.setCurrentRow(first)  # shows it
                return
        self._show_digit(self.shown_digit())

    def _show_digit(self, digit: int) -> None:
        """Make the grid hold ``digit``'s samples, touching only the items that change."""
        digit = max(0, digit)  # -1 while no row is current
        wanted = self._library.samples_of(digit)
        wanted_ids = {sample.id for sample in wanted}
        for row in reversed(range(self.grid.count())):
            if self.grid.item(row).data(SAMPLE_ROLE).id not in wanted_ids:
                self.grid.takeItem(row)
        shown = [sample.id for sample in self.shown_samples()]
        if shown != [sample.id for sample in wanted[: len(shown)]]:
            self.grid.clear()
            shown = []
        for sample in wanted[len(shown) :]:
            self.grid.addItem(self._item(sample))
        self._load_thumbnails()
        self.empty_hint.setText(
            f"No samples of {digit} yet: when a {digit} is misread, pick its bar or type "
            "it on the canvas; or use Handwriting > Teach Me Your Handwriting."
            if self._library.has_read(digit)
            else f"Reading your samples of {digit}\N{HORIZONTAL ELLIPSIS}"
        )
        self.empty_hint.setVisible(self.grid.count() == 0)
        self._update_buttons()

    def _item(self, sample: Sample) -> QListWidgetItem:
        item = QListWidgetItem()  # no text at all: the selection frames the picture only
        icon = self._icons.get(sample.id)
        if icon is not None:
            item.setIcon(icon)
        item.setData(SAMPLE_ROLE, sample)
        when = _local_time(sample.created)
        kind = "drawing" if sample.strokes is not None else "picture"
        item.setToolTip(f"A {sample.label}, {kind} kept {when}")
        item.setData(Qt.ItemDataRole.AccessibleTextRole, f"{sample.label}, {kind}, {when}")
        return item

    def _update_buttons(self) -> None:
        self.delete_button.setEnabled(bool(self.grid.selectedItems()))
        exporting = self._export is not None
        self.export_button.setEnabled(any(self._library.counts().values()) and not exporting)

    # ----- thumbnails, on a worker ------------------------------------------------------
    def _load_thumbnails(self) -> None:
        """Make the next batch of the grid's missing thumbnails on a worker."""
        if self._thumbnails is not None or self._stopped:
            return  # its end starts the next batch
        missing = [s for s in self.shown_samples() if s.id not in self._icons]
        batch = [(sample.id, sample.image) for sample in missing[:THUMBNAIL_BATCH]]
        if not batch:
            return

        def make(
            progress: ProgressCallback, cancelled: CancelledCallback
        ) -> list[tuple[str, QImage | None]]:
            made = []
            for sample_id, path in batch:
                if cancelled():
                    break
                made.append((sample_id, thumbnail_image(path, THUMBNAIL_SIDE)))
            return made

        task = self._thumbnails = BackgroundTask(make, self)
        task.succeeded.connect(self._on_thumbnails_made)
        task.finished.connect(self._on_thumbnails_finished)
        task.start_low_priority()

    def _on_thumbnails_made(self, made: list[tuple[str, QImage | None]]) -> None:
        for sample_id, image in made:
            pixmap = QPixmap() if image is None else QPixmap.fromImage(image)
            self._icons[sample_id] = QIcon(pixmap)
        for row in range(self.grid.count()):
            item = self.grid.item(row)
            icon = self._icons.get(item.data(SAMPLE_ROLE).id)
            if icon is not None and item.icon().isNull():
                item.setIcon(icon)

    def _on_thumbnails_finished(self) -> None:
        task, self._thumbnails = self._thumbnails, None
        if task is not None:
            task.deleteLater()
        self._load_thumbnails()

    def thumbnails_pending(self) -> bool:
        """Whether some shown samples still wait for their thumbnail."""
        return any(sample.id not in self._icons for sample in self.shown_samples())

    def stop(self) -> None:
        """Cancel the thumbnail worker and wait for it (one picture at most): nothing may
        outlive the dialog or the window."""
        self._stopped = True
        for task in (self._thumbnails, self._export):
            if task is not None:
                task.cancel()
                task.wait()

    def done(self, result: int) -> None:
        self.stop()
        super().done(result)

    # ----- actions ----------------------------------------------------------------------
    def delete_selected(self) -> None:
        selected = [item.data(SAMPLE_ROLE) for item in self.grid.selectedItems()]
        if not selected:
            return
        failures = self._library.remove(selected)  # ``changed`` refreshes the grid
        if failures:
            self.summary.setText(f"Could not delete {len(failures)}: {failures[0]}")

    def export(self, fmt: ExportFormat, out: str | Path) -> None:
        """Write every sample to ``out`` in ``fmt`` on a worker (a big store takes
        minutes); the summary line says how it goes and how it went."""
        if self._export is not None or self._stopped:
            return
        root = self._library.store.root

        def work(progress: ProgressCallback, cancelled: CancelledCallback) -> _Exported:
            store = SampleStore(root)  # its own, so ``problems`` are this export's
            return store.export(fmt, out, cancelled), store.problems

        task = self._export = BackgroundTask(work, self)
        self._export_target = (fmt, Path(out))
        task.succeeded.connect(self._on_exported)
        task.failed.connect(self._on_export_failed)
        task.finished.connect(self._on_export_finished)
        self.summary.setText(f"Exporting your samples to {out}\N{HORIZONTAL ELLIPSIS}")
        self.export_button.setEnabled(False)
        task.start_low_priority()

    def is_exporting(self) -> bool:
        return self._export is not None

    def _on_exported(self, result: _Exported) -> None:
        (fmt, out), (written, skipped) = self._export_target, result
        if fmt == "idx":
            text = f"Exported to {out}: {', '.join(path.name for path in written)}"
        elif fmt == "npz":
            text = f"Exported to {out}"
        else:
            text = f"Exported {len(written)} PNG files to {out}"
        self.summary.setText(text + (f" ({len(skipped)} unreadable left out)" if skipped else ""))

    def _on_export_failed(self, error: Exception) -> None:
        reason = error.strerror if isinstance(error, OSError) and error.strerror else error
        self.summary.setText(f"Could not export \N{EM DASH} {reason}")

    def _on_export_finished(self) -> None:
        task, self._export = self._export, None
        if task is not None:
            task.deleteLater()
        self._update_buttons()

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


def _local_time(created: datetime) -> str:
    """When a sample was kept, in local time; in UTC when local time cannot say it (an
    id from year 1 is before the start of time west of UTC)."""
    try:
        return created.astimezone().strftime("%Y-%m-%d %H:%M")
    except (OverflowError, ValueError, OSError):
        return created.strftime("%Y-%m-%d %H:%M UTC")
