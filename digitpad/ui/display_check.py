"""Before Qt starts: is there a display, and can Qt's platform plugin load?

Without either, ``QApplication`` aborts the process (SIGABRT) with Qt's own advice, which
names ``xcb-cursor0`` whatever is really missing. This check runs first and says in one
line what is missing: no ``DISPLAY``/``WAYLAND_DISPLAY``, a display nobody answers on, or
the system libraries the platform plugin needs, with their Debian/Ubuntu packages.

The plugin file itself is loaded with ``dlopen`` (as Qt will load it a moment later), so
libraries a bundle carries are found through the plugin's own search path and only
libraries that are really missing are reported.

What the check cannot foresee (a server that answers the probe, then refuses Qt) still
ends in Qt's fatal error; ``qt_start_failures_in_one_line`` turns that, too, into one line
and exit status 1 instead of Qt's multi-line advice and an abort.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import socket
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path

# The libraries Qt's xcb and wayland platform plugins link, with the Debian/Ubuntu
# package that holds each. Every package here is also in the .deb's Depends
# (packaging/debian_package.py DEB_DEPENDS; a test checks it).
PLATFORM_LIBRARIES: Mapping[str, Mapping[str, str]] = {
    "xcb": {
        "libxcb.so.1": "libxcb1",
        "libX11.so.6": "libx11-6",
        "libX11-xcb.so.1": "libx11-xcb1",
        "libxcb-cursor.so.0": "libxcb-cursor0",
        "libxcb-icccm.so.4": "libxcb-icccm4",
        "libxcb-image.so.0": "libxcb-image0",
        "libxcb-keysyms.so.1": "libxcb-keysyms1",
        "libxcb-randr.so.0": "libxcb-randr0",
        "libxcb-render.so.0": "libxcb-render0",
        "libxcb-render-util.so.0": "libxcb-render-util0",
        "libxcb-shape.so.0": "libxcb-shape0",
        "libxcb-shm.so.0": "libxcb-shm0",
        "libxcb-sync.so.1": "libxcb-sync1",
        "libxcb-util.so.1": "libxcb-util1",
        "libxcb-xfixes.so.0": "libxcb-xfixes0",
        "libxcb-xkb.so.1": "libxcb-xkb1",
        "libxkbcommon.so.0": "libxkbcommon0",
        "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
        "libGL.so.1": "libgl1",
        "libEGL.so.1": "libegl1",
        "libfontconfig.so.1": "libfontconfig1",
        "libfreetype.so.6": "libfreetype6",
        "libglib-2.0.so.0": "libglib2.0-0",
        "libdbus-1.so.3": "libdbus-1-3",
    },
    "wayland": {
        "libwayland-client.so.0": "libwayland-client0",
        "libwayland-cursor.so.0": "libwayland-cursor0",
        "libwayland-egl.so.1": "libwayland-egl1",
        "libxkbcommon.so.0": "libxkbcommon0",
        "libEGL.so.1": "libegl1",
        "libfontconfig.so.1": "libfontconfig1",
        "libfreetype.so.6": "libfreetype6",
        "libglib-2.0.so.0": "libglib2.0-0",
        "libdbus-1.so.3": "libdbus-1-3",
    },
}
_NEEDS_SERVER = {"xcb": "DISPLAY", "wayland": "WAYLAND_DISPLAY"}


def chosen_platform(environ: Mapping[str, str]) -> str | None:
    """The Qt platform plugin that will start (``xcb``, ``wayland``, ``offscreen``, ...).

    None when there is no display at all and the user chose no platform.
    """
    requested = environ.get("QT_QPA_PLATFORM", "").strip()
    if requested:
        return requested.split(";")[0].split(":")[0].strip() or None
    if environ.get("WAYLAND_DISPLAY") and (
        environ.get("XDG_SESSION_TYPE") == "wayland" or not environ.get("DISPLAY")
    ):
        return "wayland"
    if environ.get("DISPLAY"):
        return "xcb"
    return None


def _loads(library: str) -> bool:
    try:
        ctypes.CDLL(library)
    except OSError:
        return False
    return True


def missing_libraries(platform: str, plugin: Path | None) -> list[str]:
    """Libraries the platform plugin needs and cannot find, as ``soname (package)``.

    Empty when the plugin file loads (or is not where Qt keeps it, so Qt will report).
    """
    if plugin is None or not plugin.is_file():
        return []
    try:
        ctypes.CDLL(str(plugin))
    except OSError as error:
        first = Path(str(error).split(":")[0].strip()).name  # "libx.so.1: cannot open ..."
        known = PLATFORM_LIBRARIES.get(platform, {})
        missing = [lib for lib in known if not _loads(lib)]
        if first not in missing and first != plugin.name:
            missing.insert(0, first)
        return [f"{lib} ({known[lib]})" if lib in known else lib for lib in missing]
    return []


# How long the X server may take to accept the probe's connection.
_PROBE_SECONDS = 3.0


def _x_server_answers(display_name: str) -> bool:
    """Whether the X server named ``display_name`` (``DISPLAY``) can be reached.

    A local display is found by its socket file, without connecting: an X server with no
    other client (Xvfb in CI, no window manager) resets when its last client leaves, and
    a probe connection closed just before Qt connects made Qt's connection fail on about
    every second start ("could not connect to display", then an abort). Only a server
    without that file (abstract socket only) or on another host is connected to. A name
    in a form this does not know is left for Qt to judge.
    """
    host, _, screen = display_name.rpartition(":")
    number = screen.split(".")[0]
    if not number.isdigit():
        return True
    host = host.rpartition("/")[2]  # "tcp/host" or "host/unix" forms
    try:
        if host in ("", "unix"):
            if Path(f"/tmp/.X11-unix/X{number}").exists():
                return True
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
                probe.settimeout(_PROBE_SECONDS)
                return probe.connect_ex(f"\0/tmp/.X11-unix/X{number}") == 0
        with socket.create_connection((host, 6000 + int(number)), timeout=_PROBE_SECONDS):
            return True
    except OSError:
        return False


def _plugin_file(platform: str, environ: Mapping[str, str]) -> Path | None:
    """The platform plugin Qt will load: from ``QT_PLUGIN_PATH`` first, as Qt looks."""
    from PySide6.QtCore import QLibraryInfo  # QtCore needs no display

    folders = [*environ.get("QT_PLUGIN_PATH", "").split(os.pathsep)]
    folders.append(QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath))
    for folder in filter(None, folders):
        plugin = Path(folder) / "platforms" / f"libq{platform}.so"
        if plugin.is_file():
            return plugin
    return None  # Qt will say so itself


@contextlib.contextmanager
def qt_start_failures_in_one_line() -> Iterator[None]:
    """While Qt starts its platform: hold back Qt's platform warnings, and answer a fatal
    error (no display after all) with digitpad's one line and exit status 1."""
    from PySide6.QtCore import QMessageLogContext, QtMsgType, qInstallMessageHandler

    held: list[str] = []

    def handler(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
        if kind == QtMsgType.QtFatalMsg:
            display = os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY") or "?"
            print(
                f"digitpad: cannot open a window: Qt could not start on the display "
                f"{display!r} ({message.splitlines()[0].strip()})",
                file=sys.stderr,
                flush=True,
            )
            os._exit(1)  # before Qt aborts with its own advice
        if (context.category or "").startswith("qt.qpa"):
            held.append(message)  # said again below if Qt starts after all
        else:
            print(message, file=sys.stderr)

    previous = qInstallMessageHandler(handler)
    try:
        yield
    finally:
        qInstallMessageHandler(previous)
        for message in held:
            print(message, file=sys.stderr)


def display_problem(environ: Mapping[str, str] | None = None) -> str | None:
    """One line saying why no window can open here, or None when Qt can start.

    Only Linux needs the check; elsewhere the system always has its one platform.
    """
    if not sys.platform.startswith("linux"):
        return None
    environ = os.environ if environ is None else environ
    platform = chosen_platform(environ)
    if platform is None:
        return (
            "digitpad: no display to open the window on (neither DISPLAY nor "
            "WAYLAND_DISPLAY is set); start it from a desktop session, or read images with "
            "'digitpad predict FILE...'"
        )
    variable = _NEEDS_SERVER.get(platform)
    if variable is not None and not environ.get(variable):
        return f"digitpad: the {platform} platform needs {variable}, which is not set"
    missing = missing_libraries(platform, _plugin_file(platform, environ))
    if missing:
        packages = [entry.split("(")[1].rstrip(")") for entry in missing if "(" in entry]
        advice = (
            f"; install them with: sudo apt-get install {' '.join(packages)}" if packages else ""
        )
        return (
            f"digitpad: cannot open a window: Qt's {platform} platform needs system libraries "
            f"that are missing: {', '.join(missing)}{advice}"
        )
    if platform == "xcb" and not _x_server_answers(environ.get("DISPLAY", "")):
        return f"digitpad: cannot connect to the X display {environ.get('DISPLAY')!r}"
    return None
