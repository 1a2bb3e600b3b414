"""load_image on files a hostile user would pick: nothing hangs, runs or crashes.

Every case is a real file system object (a named pipe, a device, a socket, a symlink
loop, a sparse multi-gigabyte file, a PostScript program) and must end in one
``ImageLoadError`` line that names the path once.
"""

from __future__ import annotations

import os
import socket
import threading
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw

from digitpad.core import ImageLoadError, load_image, preprocess_bitmap
from digitpad.core.files import MAX_FILE_BYTES, MAX_SIDE
from tests.hardening.unprivileged import run_unprivileged

posix_only = pytest.mark.skipif(os.name != "posix", reason="POSIX file system objects")


def _refusal(path: Path | str) -> str:
    """load_image's one-line refusal, asserted to come back within 5 s (no hang)."""
    outcome: list[BaseException | object] = []

    def read() -> None:
        try:
            outcome.append(load_image(path))
        except BaseException as error:  # handed to the test thread below
            outcome.append(error)

    worker = threading.Thread(target=read, daemon=True)
    worker.start()
    worker.join(timeout=5)
    assert not worker.is_alive(), f"load_image({path}) hung"
    (result,) = outcome
    assert isinstance(result, ImageLoadError), result
    message = str(result)
    assert "\n" not in message
    assert message.count(str(path)) == 1
    return message


@posix_only
def test_named_pipe_is_refused_unread(tmp_path):
    pipe = tmp_path / "p.png"
    os.mkfifo(pipe)
    assert "named pipe" in _refusal(pipe)


@posix_only
def test_device_is_refused_unread():
    assert "device" in _refusal("/dev/zero")


@posix_only
def test_socket_is_refused(tmp_path):
    path = tmp_path / "s"
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind(str(path))
        assert "cannot be read" in _refusal(path)
    finally:
        server.close()


@posix_only
def test_symlink_loop(tmp_path):
    (tmp_path / "a.png").symlink_to(tmp_path / "b.png")
    (tmp_path / "b.png").symlink_to(tmp_path / "a.png")
    assert "symbolic links" in _refusal(tmp_path / "a.png")


def test_an_empty_name_is_not_the_current_folder():
    with pytest.raises(ImageLoadError, match="no file name given"):
        load_image("")


def test_name_too_long(tmp_path):
    assert "too long" in _refusal(tmp_path / ("x" * 300 + ".png"))


def test_path_through_a_file(tmp_path):
    (tmp_path / "file.png").write_bytes(b"x")
    assert "Not a directory" in _refusal(tmp_path / "file.png" / "inner.png")


@posix_only
def test_folder_without_search_permission(reachable_tmp):
    """Run as an ordinary user (root drops to nobody: root ignores permission bits)."""
    folder = reachable_tmp / "locked"
    folder.mkdir()
    Image.new("L", (8, 8)).save(folder / "digit.png")
    Image.new("L", (8, 8)).save(reachable_tmp / "open.png")
    folder.chmod(0)
    try:
        refusal = run_unprivileged(lambda: _refusal(folder / "digit.png"))
        # The same user reads the picture beside the folder: only the lock stops it.
        control = run_unprivileged(lambda: str(load_image(reachable_tmp / "open.png").size))
    finally:
        folder.chmod(0o700)
    assert "Permission denied" in refusal
    assert control == "(8, 8)"


def test_oversized_file_is_refused_before_reading(tmp_path):
    path = tmp_path / "huge.png"
    with path.open("wb") as file:  # sparse: no disk space used
        file.truncate(MAX_FILE_BYTES + 1)
    assert "too large" in _refusal(path)


def test_postscript_never_reaches_ghostscript(tmp_path, monkeypatch):
    """An EPS whose program loops forever is refused; a ``gs`` on PATH never runs."""
    marker = tmp_path / "ghostscript-ran"
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake_gs = bin_dir / "gs"
    fake_gs.write_text(f"#!/bin/sh\ntouch {marker}\nsleep 60\n")
    fake_gs.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    eps = tmp_path / "loop.png"
    eps.write_bytes(b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 10 10\n{ } loop\n")
    assert "PostScript" in _refusal(eps)
    assert not marker.exists()


def _digit(mode: str, size: tuple[int, int] = (120, 90)) -> Image.Image:
    image = Image.new("L", size, 255)
    draw = ImageDraw.Draw(image)
    width, height = size
    draw.line(
        [
            (width * 0.25, height * 0.15),
            (width * 0.75, height * 0.15),
            (width * 0.4, height * 0.85),
        ],
        fill=0,
        width=max(3, width // 20),
    )
    return (
        image.convert(mode)
        if mode != "I;16"
        else Image.fromarray(np.asarray(image).astype(np.uint16) * 257)
    )


@pytest.mark.parametrize(("mode", "suffix"), [("I;16", ".png"), ("F", ".tiff"), ("I", ".tiff")])
def test_deep_pictures_come_back_as_eight_bit(tmp_path, mode, suffix):
    picture = _digit(mode)
    if mode == "F":
        picture = Image.fromarray(np.asarray(_digit("L"), dtype=np.float32) / 255.0)
    path = tmp_path / f"deep{suffix}"
    picture.save(path)
    loaded = load_image(path)
    assert loaded.mode == "L"
    # Ink dark on white paper, as drawn: Pillow's own clipping would make it all white.
    assert loaded.getextrema() == (0, 255)
    assert preprocess_bitmap(loaded) is not None


@pytest.mark.parametrize("suffix", [".jpg", ".png"])
def test_big_pictures_are_reduced_while_loading(tmp_path, suffix):
    path = tmp_path / f"big{suffix}"
    _digit("RGB", (3000, 2000)).save(path)
    loaded = load_image(path)
    assert max(loaded.size) == MAX_SIDE
    assert loaded.size[0] / loaded.size[1] == pytest.approx(1.5, rel=0.01)
    assert preprocess_bitmap(loaded) is not None
