"""Build the desktop packages once per test session, the way a release is built.

``packaging/build.py --venv`` makes a fresh virtual environment holding only ``.[bundle]``
(the app's runtime dependencies and PyInstaller, no TensorFlow), builds the one-folder
bundle there, then the tar.gz and the .deb. It takes a few minutes, so every packaging
test shares the one build.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from digitpad import __version__
from tests.packaging.built_packages import BuiltPackages

ROOT = Path(__file__).resolve().parents[2]
BUILD_SCRIPT = ROOT / "packaging" / "build.py"
BUILD_TIMEOUT_SECONDS = 1500


@pytest.fixture(scope="session")
def built_packages(tmp_path_factory: pytest.TempPathFactory) -> BuiltPackages:
    if not sys.platform.startswith("linux"):
        pytest.skip("the packaging tests build and inspect the Linux bundle")
    venv_dir = tmp_path_factory.mktemp("bundle-venv")
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, str(BUILD_SCRIPT), "--venv", str(venv_dir)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=BUILD_TIMEOUT_SECONDS,
    )
    seconds = time.perf_counter() - started
    assert result.returncode == 0, (
        f"build.py failed ({result.returncode}):\n{result.stdout[-4000:]}\n{result.stderr[-4000:]}"
    )
    dist = ROOT / "dist"
    deb = dist / f"digitpad_{__version__}_amd64.deb"
    return BuiltPackages(
        bundle=dist / "digitpad",
        archive=dist / f"digitpad-{__version__}-linux-x86_64.tar.gz",
        deb=deb if shutil.which("dpkg-deb") else None,
        seconds=seconds,
    )


@pytest.fixture
def python_free_env(tmp_path: Path) -> dict[str, str]:
    """An environment like a desktop without Python: nothing on PATH, a throwaway home.

    The empty home also keeps the user's own models and settings out of the run.
    """
    empty_bin = tmp_path / "empty-bin"
    empty_bin.mkdir()
    home = tmp_path / "home"
    home.mkdir()
    return {"PATH": str(empty_bin), "HOME": str(home), "LANG": "C.UTF-8"}


@pytest.fixture
def x_display() -> Iterator[str]:
    """A private Xvfb server's display name (``:N``); Xvfb picks a free number itself."""
    xvfb = shutil.which("Xvfb")
    if xvfb is None:
        pytest.skip("Xvfb is not installed (apt-get install xvfb)")
    read_fd, write_fd = os.pipe()
    server = subprocess.Popen(
        [xvfb, "-displayfd", str(write_fd), "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
        pass_fds=(write_fd,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write_fd)
    with os.fdopen(read_fd) as announced:
        number = announced.readline().strip()
    try:
        assert number, "Xvfb did not start"
        yield f":{number}"
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture
def wayland_display(tmp_path: Path) -> Iterator[dict[str, str]]:
    """A private headless weston compositor: the variables that point a client at it."""
    weston = shutil.which("weston")
    if weston is None:
        pytest.skip("weston is not installed (apt-get install weston)")
    runtime = tmp_path / "xdg-runtime"
    runtime.mkdir(mode=0o700)
    socket = runtime / "wayland-digitpad"
    server = subprocess.Popen(
        [weston, "--backend=headless-backend.so", f"--socket={socket.name}", "--idle-time=0"],
        env={**os.environ, "XDG_RUNTIME_DIR": str(runtime)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while not socket.exists() and server.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert socket.exists(), "weston did not start"
        yield {"XDG_RUNTIME_DIR": str(runtime), "WAYLAND_DISPLAY": socket.name}
    finally:
        server.terminate()
        server.wait(timeout=10)
