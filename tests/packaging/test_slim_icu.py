"""The bundle's smaller ICU data library, rebuilt from the installed PySide6's and loaded
by the real Qt in a child process (packaging/slim_icu.py)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import PySide6
import pytest

from tests.packaging.packaging_modules import packaging_module

QT_LIB = Path(PySide6.__file__).parent / "Qt" / "lib"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not sys.platform.startswith("linux") or shutil.which("icupkg") is None,
        reason="rebuilt on Linux with ICU's icupkg",
    ),
]

CHILD = """
from PySide6.QtCore import QCollator, QLocale, QStringDecoder, QTimeZone
from PySide6.QtGui import QGuiApplication

app = QGuiApplication([])
print(QLocale("en_US").toUpper("straße"))
print(sorted(["b", "A", "a", "B"], key=QCollator(QLocale("en_US")).sortKey))
print(QLocale("en_US").toString(1234567.5, "f", 1))
print(QStringDecoder("windows-1252").isValid())
berlin = QTimeZone(b"Europe/Berlin")
standard, long_name = QTimeZone.TimeType.StandardTime, QTimeZone.NameType.LongName
print(berlin.displayName(standard, long_name, QLocale("en_US")))
"""


def _slim_icu() -> ModuleType:
    return packaging_module("slim_icu")


def test_an_english_ui_finds_all_it_asks_icu_for_in_the_slim_data(tmp_path):
    (full,) = QT_LIB.glob("libicudata.so.*")
    slim = _slim_icu().slim_icu_data(full, tmp_path)
    assert slim is not None
    assert slim.stat().st_size < full.stat().st_size / 4

    def run(library_dir: Path | None) -> list[str]:
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
        if library_dir is not None:  # found before the RUNPATH of Qt's own libraries
            env["LD_LIBRARY_PATH"] = str(library_dir)
        done = subprocess.run(
            [sys.executable, "-c", CHILD], env=env, capture_output=True, text=True, check=True
        )
        return done.stdout.splitlines()

    assert (
        run(slim.parent)
        == run(None)
        == [
            "STRASSE",
            "['a', 'A', 'b', 'B']",
            "1,234,567.5",
            "True",
            "Central European Standard Time",
        ]
    )


@pytest.mark.parametrize(
    ("item", "size", "stays"),
    [
        ("root.res", 0, True),
        ("en_GB.res", 0, True),
        ("coll/ucadata.icu", 0, True),
        ("zoneinfo64.res", 0, True),
        ("zone/en.res", 0, True),
        ("cnvalias.icu", 0, True),
        ("ibm-5348_P100-1997.cnv", 3_000, True),  # windows-1252
        ("de.res", 0, False),
        ("curr/sr_Latn_BA.res", 0, False),
        ("coll/zh.res", 0, False),
        ("brkitr/cjdict.dict", 0, False),
        ("brkitr/word.brk", 0, False),  # Qt breaks text itself, it never calls ubrk_*
        ("unames.icu", 0, False),
        ("curr/en.res", 0, False),
        ("translit/root.res", 0, False),
        ("ibm-943_P15A-2003.cnv", 200_000, False),  # Shift-JIS
    ],
)
def test_other_languages_and_encodings_are_what_is_left_out(item, size, stays):
    assert _slim_icu().kept(item, size) is stays
