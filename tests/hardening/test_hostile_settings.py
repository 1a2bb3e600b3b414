"""A settings file written by someone else: defaults, never a crash, never code.

digitpad's settings are JSON of plain values; the old INI file (``digitpad.conf``) is
never opened. Real files throughout: an INI file holding a pickled object that would
create a marker file when unpickled (written by PySide's own QSettings, as the old
geometry code did), in every disguise that got past the old screen, each proven to run
code in a bare QSettings first; and JSON settings files of every wrong kind.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from digitpad.ui.main_window import MainWindow
from digitpad.ui.settings import BRUSH_SIZE_RANGE, DEFAULT_BRUSH_SIZE, AppSettings, ResultsView
from digitpad.ui.settings_file import MAX_SETTINGS_BYTES, SettingsFile, settings_path


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


# Every form of the pickled entry that the old screen was attacked with; the last five
# got past it and ran code in the real `digitpad` command.
DISGUISES = {
    "plain": lambda text: text,
    "hex-escape": lambda text: text.replace("=@Variant(", "=\\x40Variant("),
    "long-hex-escape": lambda text: text.replace("=@Variant(", "=\\x10040Variant("),
    "octal-escape": lambda text: text.replace("=@Variant(", "=\\100Variant("),
    "quoted": lambda text: re.sub(r"=(@Variant\(.*\))$", r'="\1"', text, flags=re.MULTILINE),
    "list-element": lambda text: text.replace("=@Variant(", "=a, @Variant("),
    "unknown-escape-z": lambda text: text.replace("=@Variant(", "=\\z@Variant("),
    "unknown-escape-percent": lambda text: text.replace("=@Variant(", "=\\%@Variant("),
    "empty-hex-escape": lambda text: text.replace("=@Variant(", "=\\x@Variant("),
    "quoted-key-with-equals": lambda text: text.replace(
        "geometry=@Variant(", '"geo=metry"=@Variant('
    ),
    "escaped-equals-in-key": lambda text: text.replace(
        "geometry=@Variant(", "geo\\=metry=@Variant("
    ),
}


def _hostile_conf(tmp_path: Path, marker: Path, disguise: str) -> Path:
    """The disguised file as ``digitpad.conf`` where the old digitpad read its settings."""
    text = DISGUISES[disguise](_write_pickled_conf(tmp_path / "written.conf", marker))
    conf = Path(os.environ["XDG_CONFIG_HOME"]) / "digitpad" / "digitpad.conf"
    conf.parent.mkdir(parents=True, exist_ok=True)
    conf.write_text(text, encoding="utf-8", errors="surrogateescape")
    return conf


@pytest.mark.parametrize("disguise", DISGUISES)
def test_each_disguise_really_runs_code_in_a_bare_qsettings(tmp_path, marker, disguise):
    """The cases are real: Qt itself unpickles every one of them (in a child process)."""
    conf = _hostile_conf(tmp_path, marker, disguise)
    reader = (
        "from PySide6.QtCore import QSettings as S; import sys; "
        "S(sys.argv[1], S.Format.IniFormat).allKeys()"
    )
    subprocess.run([sys.executable, "-c", reader, str(conf)], check=True, timeout=60)
    assert marker.exists(), "the disguised entry is harmless to Qt: the case proves nothing"


@pytest.mark.parametrize("disguise", DISGUISES)
def test_the_real_command_runs_no_code_from_any_disguise(tmp_path, marker, disguise):
    """The real entry point, in its own process, with the hostile INI where it used to look."""
    conf = _hostile_conf(tmp_path, marker, disguise)
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
    assert conf.exists(), "the old file is left alone, neither parsed nor moved"
    assert settings_path().parent == conf.parent


def test_a_pickle_in_the_json_file_is_only_text(tmp_path, marker):
    """Whatever a JSON string holds, it stays a string: there is no form that means code."""
    text = _write_pickled_conf(tmp_path / "written.conf", marker)
    payload = text.split("geometry=", 1)[1].strip()
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"format": 1, "values": {"window/geometry": payload}}))
    settings = AppSettings(SettingsFile(path))
    assert settings.window_geometry() is None  # not base64: ignored
    assert not marker.exists()


def _settings_with(path: Path, values: object) -> AppSettings:
    path.write_text(json.dumps({"format": 1, "values": values}))
    return AppSettings(SettingsFile(path))


@pytest.mark.parametrize(
    ("stored", "expected"),
    [
        (100000, BRUSH_SIZE_RANGE[1]),
        (-50, BRUSH_SIZE_RANGE[0]),
        ("big", DEFAULT_BRUSH_SIZE),
        ([1, 2], DEFAULT_BRUSH_SIZE),
        (True, DEFAULT_BRUSH_SIZE),
        (18.5, DEFAULT_BRUSH_SIZE),
        ("30", 30),
        (999999999999999999, BRUSH_SIZE_RANGE[1]),
    ],
)
def test_brush_size_is_type_checked_and_clamped(tmp_path, stored, expected):
    settings = _settings_with(tmp_path / "s.json", {"canvas/brush_size": stored})
    assert settings.brush_size() == expected


def test_wrong_kinds_of_values_give_defaults(tmp_path):
    settings = _settings_with(
        tmp_path / "s.json",
        {
            "files/recent": "abc",
            "window/geometry": "not base64 !",
            "results/headline_model": {"name": "cnn"},
            "results/view": ["a", "b"],
        },
    )
    assert settings.recent_files() == []
    assert settings.window_geometry() is None
    assert settings.headline_model("cnn") == "cnn"
    assert settings.results_view() is ResultsView.ALL


def test_recent_files_are_capped_and_only_text(tmp_path):
    entries = [f"/pictures/{n}.png" for n in range(50)]
    settings = _settings_with(tmp_path / "s.json", {"files/recent": [*entries[:3], 7, *entries]})
    assert settings.recent_files() == []  # a list with a number in it is not a list of paths
    settings = _settings_with(tmp_path / "s.json", {"files/recent": entries})
    assert settings.recent_files()[:2] == [Path("/pictures/0.png"), Path("/pictures/1.png")]
    assert len(settings.recent_files()) == 8


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"[" * 100_000 + b"]" * 100_000, "levels deep"),
        (b'{"format": 1, "values": {"canvas/brush_size": ' + b"9" * 400 + b"}}", "not valid"),
        (b'{"format": 1, "values": {"canvas/brush_size": NaN}}', "not valid"),
        (b"[geometry]\nx=1\n", "not valid JSON"),
        (b'["a list"]', "not a digitpad settings file"),
        (b"{" + b" " * (MAX_SETTINGS_BYTES + 1) + b"}", "too large (limit 256 KB)"),
    ],
)
def test_an_unusable_file_is_set_aside_with_a_reason(content, reason, capsys):
    path = settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    settings = AppSettings(SettingsFile(path))
    assert settings.brush_size() == DEFAULT_BRUSH_SIZE
    error = capsys.readouterr().err
    assert reason in error
    assert "set aside" in error
    (aside,) = path.parent.glob("settings.json.bad-*")
    assert aside.read_bytes() == content
    settings.set_brush_size(12)
    settings.sync()
    assert AppSettings(SettingsFile(path)).brush_size() == 12


def test_a_named_pipe_does_not_hang_the_start(tmp_path):
    path = tmp_path / "settings.json"
    os.mkfifo(path)
    settings = AppSettings(SettingsFile(path))
    assert settings.brush_size() == DEFAULT_BRUSH_SIZE


def test_a_full_disk_loses_no_setting_and_says_so(tmp_path, capsys):
    """A real full file system (a 64 KB tmpfs filled up); the session keeps its choice."""
    folder = tmp_path / "config"
    folder.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(folder)], capture_output=True
    )
    if mounted.returncode != 0:
        pytest.skip("mounting a tmpfs needs root")
    try:
        path = folder / "settings.json"
        settings = AppSettings(SettingsFile(path))
        settings.set_brush_size(12)
        filler = folder / "filler"
        with contextlib.suppress(OSError), filler.open("wb") as stream:
            stream.write(b"\0" * 128 * 1024)
        settings.set_brush_size(30)
        assert "could not save the settings" in capsys.readouterr().err
        assert settings.brush_size() == 30
        assert AppSettings(SettingsFile(path)).brush_size() == 12  # the old file, whole
        filler.unlink()
        settings.sync()  # still pending: written now that there is room
        assert AppSettings(SettingsFile(path)).brush_size() == 30
    finally:
        subprocess.run(["umount", str(folder)], check=True)


def test_the_window_opens_on_garbage_and_saves_geometry_as_text(qtbot, recognizer, tmp_path):
    path = tmp_path / "s.json"
    settings = _settings_with(
        path, {"window/geometry": "garbage", "files/recent": 5, "canvas/brush_size": -50}
    )
    window = MainWindow(recognizer, settings)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    assert window.canvas.brush_size() == BRUSH_SIZE_RANGE[0]
    window.commands.recent_menu.aboutToShow.emit()  # builds the menu from the settings
    window.close()
    stored = json.loads(path.read_text())["values"]
    assert isinstance(stored["window/geometry"], str)
    reopened = AppSettings(SettingsFile(path)).window_geometry()
    assert reopened is not None
    assert reopened.startswith(b"\x01\xd9\xd0\xcb")  # Qt's saveGeometry() magic
