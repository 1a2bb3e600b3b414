"""The settings file: JSON of plain values, so no reader can turn it into code.

digitpad used to keep its settings in Qt's INI format, and PySide's QSettings turns an
INI entry ``@Variant(...PySide::PyObjectWrapper...)`` back into a Python object with
pickle *while it parses the file*: a crafted ``digitpad.conf`` ran code before any value
was read, and a screen in front of QSettings could only hope to unescape the text as Qt
does (it missed five disguises). Here the file is JSON read through the core's hardened
door (regular file, size cap, bounded depth, finite numbers) and only str, int, bool and
lists of str are kept, so there is nothing to screen. The old ``digitpad.conf`` is never
opened. A file that cannot be used is moved aside as ``settings.json.bad-<time>`` (the
evidence stays for the user) and digitpad starts with defaults.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from digitpad.core import user_config_dir
from digitpad.core.files import UntrustedFileError, atomic_write_bytes, read_json_file

# digitpad's settings are a few hundred bytes; anything bigger is not ours.
MAX_SETTINGS_BYTES = 256 * 1024
FORMAT_VERSION = 1
_MAX_LIST = 64
_MAX_TEXT = 4096

PlainValue = str | int | bool | list[str]


def settings_path() -> Path:
    """Where digitpad keeps its settings: ``~/.config/digitpad/settings.json`` on Linux."""
    return user_config_dir() / "settings.json"


def _plain(value: object) -> PlainValue | None:
    """``value`` if it is one of the kinds digitpad stores, else None (dropped)."""
    if isinstance(value, bool | int):
        return value
    if isinstance(value, str):
        return value if len(value) <= _MAX_TEXT else None
    if not isinstance(value, list) or len(value) > _MAX_LIST:
        return None
    texts = [item for item in value if isinstance(item, str) and len(item) <= _MAX_TEXT]
    return texts if len(texts) == len(value) else None


class SettingsFile:
    """The settings as a dictionary of plain values, read once, written on every change.

    Writing through (one small atomic write, a few milliseconds) means a crash loses no
    choice and a second window or launch reads the first one's choices at once.

    Parameters
    ----------
    path
        The JSON file (``settings_path()`` for the user's settings; tests pass a
        temporary one). It need not exist.
    """

    def __init__(self, path: Path | None = None) -> None:
        self.path = settings_path() if path is None else path
        self._values: dict[str, PlainValue] = {}
        self._dirty = False
        self._writable = True
        self._read()

    def _read(self) -> None:
        try:
            document = read_json_file(self.path, MAX_SETTINGS_BYTES)
        except UntrustedFileError as error:
            if not error.missing:
                self._set_aside(str(error))
            return
        values = document.get("values") if isinstance(document, dict) else None
        if not isinstance(values, dict):
            self._set_aside("it is not a digitpad settings file")
            return
        for key, value in values.items():
            if (plain := _plain(value)) is not None:
                self._values[key] = plain

    def _set_aside(self, reason: str) -> None:
        """Keep the unusable file as evidence, out of the way, and start with defaults."""
        aside = self.path.with_name(f"{self.path.name}.bad-{time.strftime('%Y%m%d-%H%M%S')}")
        try:
            self.path.replace(aside)
        except OSError as error:
            # The file stays where it is; overwriting it would destroy the evidence.
            self._writable = False
            print(
                f"digitpad: ignoring the settings file {self.path}: {reason}; it could not be "
                f"moved aside ({error.strerror}), so settings are not kept this session",
                file=sys.stderr,
            )
            return
        print(
            f"digitpad: the settings file {self.path} was set aside as {aside.name} ({reason}); "
            "starting with default settings",
            file=sys.stderr,
        )

    def value(self, key: str) -> PlainValue | None:
        """The stored value for ``key``, or None when there is none."""
        return self._values.get(key)

    def set_value(self, key: str, value: PlainValue) -> None:
        """Remember ``value`` and write the file if it changed."""
        plain = _plain(value)
        if plain is None:
            raise TypeError(f"settings hold str, int, bool or lists of str, not {value!r}")
        if self._values.get(key) != plain:
            self._values[key] = plain
            self._dirty = True
            self.sync()

    def remove(self, key: str) -> None:
        if self._values.pop(key, None) is not None:
            self._dirty = True
            self.sync()

    def sync(self) -> None:
        """Write pending values now, in one step (a crash leaves the old file or the new).

        A failed write (a full disk, a read-only folder) is said in one line; the values
        stay in memory and the next change or ``sync`` tries again.
        """
        if not (self._dirty and self._writable):
            return
        document = {"format": FORMAT_VERSION, "values": dict(sorted(self._values.items()))}
        data = json.dumps(document, indent=2).encode() + b"\n"
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write_bytes(self.path, data)
        except OSError as error:
            print(
                f"digitpad: could not save the settings to {self.path} "
                f"({error.strerror or error}); they are kept until digitpad closes",
                file=sys.stderr,
            )
            return
        self._dirty = False
