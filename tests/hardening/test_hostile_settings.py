"""A settings file written by someone else: defaults, never a crash, never code.

Real files throughout: a conf holding a pickled object that would create a marker file
when unpickled (written by PySide's own QSettings, as the old geometry code did), the
same entry disguised with Qt's escapes, and hand-edited values of every wrong kind.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QByteArray, QSettings

from digitpad.ui.main_window import MainWindow
from digitpad.ui.settings import BRUSH_SIZE_RANGE, DEFAULT_BRUSH_SIZE, AppSettings, ResultsView
from digitpad.ui.settings_file import hostile_reason, open_settings, settings_path


class _CreatesMarker:
    """Pickled by QSettings.setValue; unpickling it opens (creates) ``marker``."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (open, (str(self.marker), "w"))


def _write_pickled_conf(path: Path, marker: Path) -> str:
    writer = QSettings(str(path), QSettings.Format.IniFormat)
    writer.setValue("canvas/brush_size", 30)
    writer.setValue("window/geometry", _CreatesMarker(marker))
    writer.sync()
    del writer
    text = path.read_text(encoding="utf-8", errors="surrogateescape")
    assert "@Variant(" in text
    assert "PyObjectWrapper" in text
    return text


@pytest.fixture
def marker(tmp_path: Path) -> Path:
    return tmp_path / "code-ran"


DISGUISES = {
    "plain": lambda text: text,
    "hex-escape": lambda text: text.replace("=@Variant(", "=\\x40Variant("),
    "long-hex-escape": lambda text: text.replace("=@Variant(", "=\\x10040Variant("),
    "octal-escape": lambda text: text.replace("=@Variant(", "=\\100Variant("),
    "quoted": lambda text: re.sub(r"=(@Variant\(.*\))$", r'="\1"', text, flags=re.MULTILINE),
    "list-element": lambda text: text.replace("=@Variant(", "=a, @Variant("),
}


@pytest.mark.parametrize("disguise", DISGUISES)
def test_the_screen_catches_what_qt_would_unpickle(tmp_path, marker, disguise):
    """Each disguise really runs code in a bare QSettings (in a child process), and the
    screen refuses every one."""
    text = DISGUISES[disguise](_write_pickled_conf(tmp_path / "written.conf", marker))
    conf = tmp_path / "digitpad.conf"
    conf.write_text(text, encoding="utf-8", errors="surrogateescape")
    assert hostile_reason(text) is not None
    reader = (
        "from PySide6.QtCore import QSettings as S; import sys; "
        "S(sys.argv[1], S.Format.IniFormat).allKeys()"
    )
    subprocess.run([sys.executable, "-c", reader, str(conf)], check=True, timeout=60)
    assert marker.exists(), "the disguised entry is harmless to Qt: the case proves nothing"


@pytest.mark.parametrize("disguise", DISGUISES)
def test_a_pickled_entry_never_runs_and_the_file_is_set_aside(tmp_path, marker, disguise, capsys):
    conf = settings_path()
    conf.parent.mkdir(parents=True)
    text = _write_pickled_conf(tmp_path / "written.conf", marker)
    conf.write_text(DISGUISES[disguise](text), encoding="utf-8", errors="surrogateescape")
    settings = AppSettings(open_settings())
    assert settings.brush_size() == DEFAULT_BRUSH_SIZE  # defaults, not the file's 30
    assert settings.window_geometry() is None
    settings.set_brush_size(12)
    settings.sync()
    assert not marker.exists()
    (aside,) = conf.parent.glob("digitpad.conf.bad-*")
    assert "PyObjectWrapper" in aside.read_text(errors="replace")
    assert "@Variant" not in conf.read_text()
    assert "set aside" in capsys.readouterr().err


def test_the_app_starts_with_defaults_and_runs_no_code(tmp_path, marker):
    """The real entry point, in its own process, on a hostile conf."""
    home = Path(os.environ["XDG_CONFIG_HOME"])
    conf = home / "digitpad" / "digitpad.conf"
    conf.parent.mkdir(parents=True)
    _write_pickled_conf(conf, marker)
    finished = subprocess.run(
        [sys.executable, "-m", "digitpad", "--quit-when-shown"],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert finished.returncode == 0, finished.stderr
    assert "window shown" in finished.stdout
    assert not marker.exists()
    assert list(conf.parent.glob("digitpad.conf.bad-*"))


def test_plain_files_pass_the_screen():
    text = (
        '[files]\nrecent=/home/me@host/a.png, "/b, c.png"\n'
        "[window]\ngeometry=@ByteArray(\\x1\\xd9\\xd0\\xcb\\0@Variant(\\0)\n"
        "[canvas]\nbrush_size=18\nnote=@@Variant(not a variant)\n"
    )
    assert hostile_reason(text) is None


def _settings_with(path: Path, text: str) -> AppSettings:
    path.write_text(text)
    return AppSettings(open_settings(path))


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("brush_size=100000", BRUSH_SIZE_RANGE[1]),
        ("brush_size=-50", BRUSH_SIZE_RANGE[0]),
        ("brush_size=big", DEFAULT_BRUSH_SIZE),
        ("brush_size=1, 2", DEFAULT_BRUSH_SIZE),
        ("brush_size=@ByteArray(18)", DEFAULT_BRUSH_SIZE),
        ("brush_size=99999999999999999999999999", BRUSH_SIZE_RANGE[1]),
    ],
)
def test_brush_size_is_type_checked_and_clamped(tmp_path, line, expected):
    assert _settings_with(tmp_path / "s.conf", f"[canvas]\n{line}\n").brush_size() == expected


def test_wrong_kinds_of_values_give_defaults(tmp_path):
    settings = _settings_with(
        tmp_path / "s.conf",
        "[files]\nrecent=@ByteArray(abc)\n[window]\ngeometry=garbage\n"
        "[results]\nheadline_model=@ByteArray(cnn)\nview=a, b\n",
    )
    assert settings.recent_files() == []
    assert settings.window_geometry() is None
    assert settings.headline_model("cnn") == "cnn"
    assert settings.results_view() is ResultsView.ALL


def test_recent_files_are_capped_and_only_text(tmp_path):
    entries = ", ".join(f"/pictures/{n}.png" for n in range(50))
    settings = _settings_with(tmp_path / "s.conf", f"[files]\nrecent={entries}\n")
    assert settings.recent_files()[:2] == [Path("/pictures/0.png"), Path("/pictures/1.png")]
    assert len(settings.recent_files()) == 8


def test_the_window_opens_on_garbage_and_saves_geometry_as_bytes(qtbot, recognizer, tmp_path):
    conf = tmp_path / "s.conf"
    settings = _settings_with(
        conf,
        "[window]\ngeometry=garbage\n[files]\nrecent=@ByteArray(abc)\n[canvas]\nbrush_size=-50\n",
    )
    window = MainWindow(recognizer, settings)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    assert window.canvas.brush_size() == BRUSH_SIZE_RANGE[0]
    window.commands.recent_menu.aboutToShow.emit()  # builds the menu from the settings
    window.close()
    text = conf.read_text()
    assert "geometry=@ByteArray(" in text
    assert "@Variant" not in text
    assert isinstance(
        QSettings(str(conf), QSettings.Format.IniFormat).value("window/geometry"), QByteArray
    )
