"""The settings file is screened before QSettings may open it.

PySide's QSettings turns an INI value ``@Variant(...PySide::PyObjectWrapper...)`` back
into a Python object with pickle *while it parses the file*, so constructing a QSettings
on a crafted ``digitpad.conf`` runs its code before any value is read. Only the file's
text can be judged, and a plain search for ``@Variant(`` is not enough: Qt unescapes
values first, so ``\\x40Variant(`` and ``\\100Variant(`` are ``@Variant(`` too.

``hostile_reason`` unescapes the text as Qt does (escape codes, greedy hex and octal
escapes truncated to 16 bits, line continuations, quotes dropped) and looks at every
place a value or a list element can start (conservatively after *every* comma). Any
``@`` form other than the plain-data ones digitpad writes (``@ByteArray``, ``@@``, and
Qt's ``@Rect``/``@Size``/``@Point``) makes the file hostile. A hostile, unreadable or
oversized file is moved aside as ``digitpad.conf.bad-<time>`` and the app starts with
defaults, keeping the evidence for the user without ever parsing it. A false alarm costs
a reset of a few preferences; a miss would run code.
"""

from __future__ import annotations

import contextlib
import re
import sys
import tempfile
import time
from pathlib import Path

from PySide6.QtCore import QSettings, QStandardPaths

from digitpad.core.files import UntrustedFileError, read_regular_file
from digitpad.ui.settings import APPLICATION, ORGANIZATION

# digitpad's settings are a few hundred bytes; anything bigger is not ours.
MAX_SETTINGS_BYTES = 256 * 1024
_SAFE_FORMS = ("@@", "@ByteArray(", "@Rect(", "@Size(", "@Point(")
_ESCAPE_CODES = {
    "a": "\a",
    "b": "\b",
    "f": "\f",
    "n": "\n",
    "r": "\r",
    "t": "\t",
    "v": "\v",
    '"': '"',
    "?": "?",
    "'": "'",
    "\\": "\\",
}
_HEX = re.compile(r"[0-9a-fA-F]*")
_OCTAL = re.compile(r"[0-7]*")


def settings_path() -> Path:
    """Where digitpad keeps its settings: ``~/.config/digitpad/digitpad.conf`` on Linux."""
    folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.GenericConfigLocation)
    return Path(folder) / ORGANIZATION / f"{APPLICATION}.conf"


def _unescape(text: str) -> str:
    """``text`` with Qt's INI escapes resolved and quotes dropped (``iniUnescapedStringList``)."""
    out: list[str] = []
    i = 0
    while i < len(text):
        char = text[i]
        i += 1
        if char == '"':
            continue
        if char != "\\" or i >= len(text):
            out.append(char)
            continue
        code = text[i]
        i += 1
        if code in _ESCAPE_CODES:
            out.append(_ESCAPE_CODES[code])
        elif code in "\r\n":  # line continuation
            if code == "\r" and text[i : i + 1] == "\n":
                i += 1
        elif code == "x":
            digits = _HEX.match(text, i).group()  # type: ignore[union-attr]
            i += len(digits)
            out.append(chr(int(digits or "0", 16) & 0xFFFF))
        elif code in "01234567":
            digits = code + _OCTAL.match(text, i).group()  # type: ignore[union-attr]
            i += len(digits) - 1
            out.append(chr(int(digits, 8) & 0xFFFF))
        else:
            out.append(code)
    return "".join(out)


def hostile_reason(text: str) -> str | None:
    """Why QSettings must not parse ``text``, or None when every value is plain data."""
    plain = _unescape(text)
    for line in plain.splitlines():
        _, _, value = line.partition("=")
        for element in (line, *value.split(",")):
            start = element.lstrip(" \t")
            if start.startswith("@") and not start.startswith(_SAFE_FORMS):
                kind = start[: start.find("(") + 1] if "(" in start else start[:12]
                return f"it holds a {kind!r} entry, which Qt would turn into an object"
    return None


def _move_aside(path: Path, reason: str) -> QSettings:
    """Keep the bad file as evidence, out of Qt's way, and start with defaults."""
    aside = path.with_name(f"{path.name}.bad-{time.strftime('%Y%m%d-%H%M%S')}")
    try:
        path.replace(aside)
    except OSError as error:
        # The file stays where it is, so it must not be opened: this session's choices
        # go to a throwaway file instead.
        scratch = Path(tempfile.mkdtemp(prefix="digitpad-settings-")) / path.name
        print(
            f"digitpad: ignoring the settings file {path}: {reason}; it could not be moved "
            f"aside ({error.strerror}), so settings are not kept this session",
            file=sys.stderr,
        )
        return QSettings(str(scratch), QSettings.Format.IniFormat)
    print(
        f"digitpad: the settings file {path} was set aside as {aside.name} ({reason}); "
        "starting with default settings",
        file=sys.stderr,
    )
    return QSettings(str(path), QSettings.Format.IniFormat)


def open_settings(path: Path | None = None) -> QSettings:
    """A QSettings on ``path`` (default ``settings_path()``), opened only after screening.

    A missing file is fine (Qt creates it on the first write); a file that is hostile,
    not a regular file, oversized or unreadable is moved aside first.
    """
    path = settings_path() if path is None else path
    try:
        text = read_regular_file(path, MAX_SETTINGS_BYTES).decode("utf-8", "replace")
    except UntrustedFileError as error:
        if error.missing:  # the first start: Qt writes the file on the first change
            with contextlib.suppress(OSError):
                path.parent.mkdir(parents=True, exist_ok=True)
        if error.missing or error.empty:
            return QSettings(str(path), QSettings.Format.IniFormat)
        return _move_aside(path, str(error))
    reason = hostile_reason(text)
    if reason is not None:
        return _move_aside(path, reason)
    return QSettings(str(path), QSettings.Format.IniFormat)
