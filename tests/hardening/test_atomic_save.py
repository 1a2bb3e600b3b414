"""Saving over a drawing on a full disk or a read-only folder keeps the old file whole.

Real file systems: a 64 KB tmpfs filled to the brim, and one mounted read-only (root
only, as mounting needs it), plus the missing-folder case anyone can run.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image

from digitpad.ui.main_window import MainWindow
from digitpad.ui.settings import AppSettings
from digitpad.ui.settings_file import SettingsFile
from tests.hardening.tmpfs import mounted_tmpfs, needs_mounts
from tests.ui.input_events import mouse_stroke, polyline

SEVEN = polyline((60, 60), (220, 60), (120, 230))


@pytest.fixture
def window(qtbot, recognizer, tmp_path) -> MainWindow:
    settings = AppSettings(SettingsFile(tmp_path / "settings.json"))
    window = MainWindow(recognizer, settings)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    mouse_stroke(qtbot, window.canvas, SEVEN)
    return window


@pytest.fixture
def small_disk(tmp_path) -> Iterator[Path]:
    with mounted_tmpfs(tmp_path / "disk", "64k") as folder:
        yield folder


def _old_drawing(folder: Path) -> tuple[Path, bytes]:
    path = folder / "digit.png"
    Image.new("L", (20, 20), 255).save(path)
    return path, path.read_bytes()


def _fill(descriptor: int) -> None:
    while True:
        os.write(descriptor, b"\0" * 1024)


@needs_mounts
def test_a_full_disk_keeps_the_old_file(window, small_disk):
    path, before = _old_drawing(small_disk)
    descriptor = os.open(small_disk / "filler", os.O_WRONLY | os.O_CREAT)
    try:
        with pytest.raises(OSError, match="No space left"):
            _fill(descriptor)
    finally:
        os.close(descriptor)
    assert not window.save_drawing(path)
    assert path.read_bytes() == before
    assert "No space left on device" in window.banner.text()
    assert sorted(p.name for p in small_disk.iterdir()) == ["digit.png", "filler"]


@needs_mounts
def test_a_read_only_folder_keeps_the_old_file(window, small_disk):
    path, before = _old_drawing(small_disk)
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    assert not window.save_drawing(path)
    assert path.read_bytes() == before
    assert "Read-only file system" in window.banner.text()


def test_saving_replaces_the_file_whole(window, tmp_path):
    path, before = _old_drawing(tmp_path)
    assert window.save_drawing(path)
    with Image.open(path) as saved:
        assert saved.size == (280, 280)
    assert path.read_bytes() != before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith("digit")] == ["digit.png"]


def test_a_missing_folder_gives_the_reason(window, tmp_path):
    assert not window.save_drawing(tmp_path / "gone" / "digit.png")
    assert "No such file or directory" in window.banner.text()
