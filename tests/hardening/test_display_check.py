"""No display or missing system libraries: one line naming what is missing, exit 1.

The library cases hide real libraries from a real ``digitpad`` process (a private mount
namespace with /dev/null bound over them), so they need root and ``unshare``; the
agreement between the README's apt line, the .deb's Depends and the check's own list
needs nothing.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from digitpad.ui.display_check import PLATFORM_LIBRARIES, chosen_platform, display_problem

ROOT = Path(__file__).resolve().parents[2]
linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux platforms")


def _deb_depends() -> tuple[str, ...]:
    spec = importlib.util.spec_from_file_location(
        "debian_package", ROOT / "packaging" / "debian_package.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return tuple(module.DEB_DEPENDS)


def test_readme_apt_line_is_the_debs_depends():
    (line,) = re.findall(r"`sudo apt-get install ([^`]+)`", (ROOT / "README.md").read_text())
    assert line.split() == list(_deb_depends())


def test_every_library_the_check_names_is_in_the_debs_depends():
    packages = {p for libraries in PLATFORM_LIBRARIES.values() for p in libraries.values()}
    assert packages <= set(_deb_depends())


@pytest.mark.parametrize(
    ("environ", "platform"),
    [
        ({}, None),
        ({"DISPLAY": ":0"}, "xcb"),
        ({"WAYLAND_DISPLAY": "wayland-0"}, "wayland"),
        ({"DISPLAY": ":0", "WAYLAND_DISPLAY": "w", "XDG_SESSION_TYPE": "wayland"}, "wayland"),
        ({"QT_QPA_PLATFORM": "offscreen"}, "offscreen"),
        ({"QT_QPA_PLATFORM": "xcb:nograb;wayland", "WAYLAND_DISPLAY": "w"}, "xcb"),
    ],
)
def test_the_platform_qt_will_start(environ, platform):
    assert chosen_platform(environ) == platform


@linux_only
def test_xcb_without_display_says_so():
    assert display_problem({"QT_QPA_PLATFORM": "xcb"}) == (
        "digitpad: the xcb platform needs DISPLAY, which is not set"
    )


def _digitpad(environ: dict[str, str], hide: tuple[str, ...] = ()) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "digitpad"]
    if hide:
        binds = " && ".join(f"mount --bind /dev/null {path}" for path in hide)
        command = ["unshare", "-m", "sh", "-c", f'{binds} && exec "$@"', "sh", *command]
    return subprocess.run(command, env=environ, capture_output=True, text=True, timeout=60)


def _without_display() -> dict[str, str]:
    variables = ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")
    return {k: v for k, v in os.environ.items() if k not in variables}


@linux_only
def test_no_display_is_one_line_and_exit_1():
    finished = _digitpad(_without_display())
    assert finished.returncode == 1
    assert finished.stdout == ""
    (line,) = finished.stderr.splitlines()
    assert "no display" in line
    assert "DISPLAY" in line


@linux_only
@pytest.mark.skipif(os.geteuid() != 0 or shutil.which("unshare") is None, reason="root + unshare")
def test_missing_xcb_libraries_are_named_with_their_packages():
    found = [
        str(next(iter(sorted(Path("/usr/lib/x86_64-linux-gnu").glob(f"{lib}*")))))
        for lib in ("libxcb-icccm.so.4", "libxcb-keysyms.so.1")
        if any(Path("/usr/lib/x86_64-linux-gnu").glob(f"{lib}*"))
    ]
    if len(found) != 2:
        pytest.skip("the xcb libraries are not installed where Debian keeps them")
    # A display that exists or not does not matter: the libraries are checked first.
    finished = _digitpad({**_without_display(), "DISPLAY": ":99"}, hide=tuple(found))
    assert finished.returncode == 1
    (line,) = finished.stderr.splitlines()
    assert "libxcb-icccm.so.4 (libxcb-icccm4), libxcb-keysyms.so.1 (libxcb-keysyms1)" in line
    assert line.endswith("sudo apt-get install libxcb-icccm4 libxcb-keysyms1")
