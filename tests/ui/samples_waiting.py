"""Waiting for the window's read of the samples store, which runs on a worker."""

from __future__ import annotations

from digitpad.ui.sample_library import SampleLibrary
from digitpad.ui.samples_dialog import SamplesDialog


def wait_for_samples(qtbot, library: SampleLibrary) -> None:
    """Until the library's read of the store is in."""
    qtbot.waitUntil(lambda: library.is_loaded() and not library.is_reading())


def wait_for_thumbnails(qtbot, dialog: SamplesDialog, timeout_ms: int = 5000) -> None:
    """Until every sample in the dialog's grid has its thumbnail (or is known unreadable)."""
    qtbot.waitUntil(lambda: not dialog.thumbnails_pending(), timeout=timeout_ms)
