"""The samples dialogs with a big or hostile store: read off the GUI thread, kept up to
date without re-reading, thumbnails through the hardened loader, old ids west of UTC."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator

import numpy as np
import pytest
from PIL import Image
from PySide6.QtCore import Qt

from digitpad.core import SampleStore
from tests.ui.input_events import SEVEN, mouse_stroke
from tests.ui.samples_waiting import wait_for_samples, wait_for_thumbnails
from tests.ui.test_teach_and_samples import add_drawings


@pytest.fixture
def store() -> SampleStore:
    return SampleStore()


@pytest.fixture
def west_of_utc() -> Iterator[None]:
    """Local time in New York (UTC-5), where year 1 starts before the clock can say."""
    before = os.environ.get("TZ")
    os.environ["TZ"] = "America/New_York"
    time.tzset()
    try:
        yield
    finally:
        if before is None:
            del os.environ["TZ"]
        else:
            os.environ["TZ"] = before
        time.tzset()


def test_a_sample_from_year_one_shows_west_of_utc(qtbot, window, store, west_of_utc):
    folder = store.root / "2"
    folder.mkdir(parents=True)
    Image.new("L", (28, 28), 255).save(folder / "00010101T000000000000-abcdef.png")

    dialog = window.handwriting.show_samples_dialog()
    wait_for_samples(qtbot, window.handwriting.library)

    assert dialog.digits.item(2).text().endswith("1 sample")
    assert dialog.shown_digit() == 2
    assert dialog.grid.item(0).toolTip() == "A 2, picture kept 1-01-01 00:00 UTC"


def test_the_store_is_read_on_a_worker_while_the_dialog_is_already_shown(qtbot, window, store):
    add_drawings(store, [4, 4])

    dialog = window.handwriting.show_samples_dialog()

    assert dialog.summary.text().startswith("Reading your samples in")
    assert window.handwriting.library.is_reading()
    wait_for_samples(qtbot, window.handwriting.library)
    assert dialog.summary.text().startswith("2 samples in")
    assert dialog.shown_digit() == 4


def test_a_correction_updates_the_open_dialog_without_reading_the_store(
    qtbot, window, store, monkeypatch
):
    add_drawings(store, [7, 7])
    dialog = window.handwriting.show_samples_dialog()
    wait_for_samples(qtbot, window.handwriting.library)
    wait_for_thumbnails(qtbot, dialog)
    first = dialog.grid.item(0)
    reads = []
    original = SampleStore.samples
    monkeypatch.setattr(
        SampleStore, "samples", lambda self, *a: reads.append(1) or original(self, *a)
    )

    mouse_stroke(qtbot, window.canvas, SEVEN)
    qtbot.keyClick(window.canvas, Qt.Key.Key_7)

    assert dialog.grid.count() == 3
    assert dialog.grid.item(0) is first, "the items shown stay; the new one is added"
    assert dialog.digits.item(7).text().endswith("3 samples")
    wait_for_thumbnails(qtbot, dialog)
    assert not dialog.grid.item(2).icon().isNull()
    assert reads == []


def test_thumbnails_of_huge_pictures_go_through_the_hardened_loader(qtbot, window, store):
    folder = store.root / "1"
    folder.mkdir(parents=True)
    huge = np.full((7000, 7000), 255, np.uint8)
    huge[500:6500, 3000:4000] = 0
    Image.fromarray(huge).save(folder / "20260101T000000000000-abcdef.png")
    (folder / "20260101T000000000001-abcdef.png").write_bytes(b"\x89PNG\r\n\x1a\n damaged")

    dialog = window.handwriting.show_samples_dialog()
    wait_for_samples(qtbot, window.handwriting.library)
    wait_for_thumbnails(qtbot, dialog, timeout_ms=60_000)  # 49 MP decoded in a child

    big, damaged = (dialog.grid.item(row).icon() for row in range(2))
    size = big.availableSizes()[0]
    assert max(size.width(), size.height()) == 72
    assert damaged.isNull(), "an unreadable picture gets no thumbnail, and no crash"


def test_closing_the_window_while_the_store_is_read_stops_the_reader(qtbot, window, store):
    add_drawings(store, [1] * 30)
    library = window.handwriting.library
    window.handwriting.show_samples_dialog()
    assert library.is_reading()

    window.close()

    assert not library.is_reading()
