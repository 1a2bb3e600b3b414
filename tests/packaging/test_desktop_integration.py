"""The icon and desktop entry that put digitpad in a desktop's application menu."""

from __future__ import annotations

import configparser
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

ROOT = Path(__file__).resolve().parents[2]
ICONS = ROOT / "assets" / "icons"
DESKTOP_ENTRY = ROOT / "assets" / "digitpad.desktop"
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def _pixels(path: Path) -> np.ndarray:
    with Image.open(path) as image:
        return np.asarray(image.convert("RGBA"), dtype=np.int16)


def test_committed_icon_pngs_are_current_renders_of_the_svg(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, str(ROOT / "packaging" / "render_icons.py"), "--out", str(tmp_path)],
        check=True,
        capture_output=True,
    )
    for size in ICON_SIZES:
        committed = _pixels(ICONS / f"digitpad-{size}.png")
        fresh = _pixels(tmp_path / f"digitpad-{size}.png")
        assert committed.shape == (size, size, 4)
        # Antialiasing may differ by a shade between Qt versions; a stale PNG differs a lot.
        difference = np.abs(committed - fresh)
        assert difference.mean() < 1.0, f"digitpad-{size}.png is stale: run render_icons.py"
        assert committed[size // 2, size // 2, 3] == 255  # an opaque tile ...
        assert committed[0, 0, 3] == 0  # ... with clear rounded corners


def test_desktop_entry_launches_digitpad_with_its_icon() -> None:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # desktop entry keys are case-sensitive
    parser.read(DESKTOP_ENTRY, encoding="utf-8")
    entry = parser["Desktop Entry"]
    assert entry["Type"] == "Application"
    assert entry["Name"] == "digitpad"
    assert entry["GenericName"] == "Handwritten Digit Recognizer"
    assert entry["Exec"] == "digitpad %f"
    assert entry["Terminal"] == "false"
    assert (ICONS / f"{entry['Icon']}.svg").is_file()
    assert {"Education", "ArtificialIntelligence"} <= set(entry["Categories"].split(";"))
    assert "image/png" in entry["MimeType"].split(";")


def test_desktop_entry_passes_the_freedesktop_validator() -> None:
    validator = shutil.which("desktop-file-validate")
    if validator is None:
        pytest.skip("desktop-file-validate is not installed (apt-get install desktop-file-utils)")
    result = subprocess.run([validator, str(DESKTOP_ENTRY)], capture_output=True, text=True)
    errors = [line for line in result.stdout.splitlines() if ": error:" in line]
    assert errors == []
    assert result.returncode == 0, result.stdout
