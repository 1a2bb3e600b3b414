"""Decoding a big picture in a short-lived child process with resource limits.

Pillow can reduce a JPEG while it decodes it (DCT scaling), but every other format (PNG,
TIFF, BMP, WebP, ...) is decoded whole, at up to 4 bytes a pixel, before it can be
reduced: 200 MB for a 50-megapixel PNG. Trusted desktop tools decode such untrusted
pictures out of process (GNOME's glycin loaders, browsers' sandboxed decoders), so that
the memory is given back the moment the decoder exits and a decoder that crashes or runs
away takes nothing else with it. This module is both halves:

* the parent (``decode_in_child``) hands the open file to a child as its standard input
  and reads back the reduced picture: one line of magic, one line of JSON (mode, size,
  palette and transparency) and the raw pixel bytes, all checked before use. Nothing
  from the child is unpickled or evaluated.
* the child (``child_main``) caps its own address space, processor time and file size,
  then decodes with exactly the code ``load_image`` runs in process, so both read every
  file the same.

The child is this interpreter with ``-c`` (``child_command``); in a frozen bundle, where
``sys.executable`` is the app itself, it is the app with the hidden first argument
``CHILD_ARGUMENT``, which ``packaging/digitpad_main.py`` dispatches on before anything
else.
"""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from PIL import Image

from digitpad.core.files._untrusted_files import first_line

# The hidden first argument that makes a frozen digitpad a picture decoder.
CHILD_ARGUMENT = "--digitpad-decode-picture-child"
_MAGIC = b"digitpad-picture 1\n"
_MAX_HEADER_BYTES = 4096
_MAX_REASON_CHARS = 300
_BOOTSTRAP = (
    "import sys; from digitpad.core.files._picture_child_main import child_main; "
    "sys.exit(child_main(sys.argv[1:]))"
)
# Variables that decide where the child's code comes from are kept; every other
# PYTHON* one goes (PYTHONINSPECT would turn the child into a prompt reading the
# picture as code).
_KEPT_PYTHON_VARIABLES = (
    "PYTHONPATH",
    "PYTHONHOME",
    "PYTHONUSERBASE",
    "PYTHONNOUSERSITE",
    "PYTHONPLATLIBDIR",
)


@dataclass(frozen=True)
class ChildLimits:
    """What one decoding child may use before it is stopped.

    ``memory_mb`` is address space, measured at 50 megapixels (the most ``load_image``
    accepts): PNG, TIFF and BMP peak at 0.4 GB (200 MB of pixels on top of the ~180 MB
    the interpreter, numpy and the core's libraries map), WebP at 0.95 GB and JPEG 2000
    at 1.1 GB; the limit leaves room for those and stops a decoder that asks for more.
    The times are far beyond a real decode (a 50 MP PNG takes 1-2 s of processor time,
    JPEG 2000 about 5 s) but bound a decoder that never ends.
    """

    memory_mb: int = 2048
    cpu_seconds: int = 30
    timeout_seconds: float = 60.0


DEFAULT_LIMITS = ChildLimits()


class PictureChildError(Exception):
    """The child could not hand back a picture; ``str(error)`` is a one-line reason."""


def child_command(limits: ChildLimits, max_side: int) -> list[str]:
    """The argv that starts a decoding child, for a frozen app or an interpreter."""
    arguments = [CHILD_ARGUMENT, str(limits.memory_mb), str(limits.cpu_seconds), str(max_side)]
    if getattr(sys, "frozen", False):
        return [sys.executable, *arguments]
    # -P: the current folder is not searched first, so a stray PIL/ or numpy.py in the
    # user's folder is never imported by the child.
    return [sys.executable, "-P", "-c", _BOOTSTRAP, *arguments]


def _child_environment() -> dict[str, str]:
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("PYTHON") or key in _KEPT_PYTHON_VARIABLES
    }
    environment["OPENBLAS_NUM_THREADS"] = "1"
    environment["OMP_NUM_THREADS"] = "1"
    if getattr(sys, "frozen", False):
        # A new instance of the bundle, not a continuation of this one (PyInstaller).
        environment["PYINSTALLER_RESET_ENVIRONMENT"] = "1"
    else:
        # The child imports the very digitpad this process runs, installed or not.
        package_root = str(Path(__file__).resolve().parents[2])
        search_path = environment.get("PYTHONPATH")
        environment["PYTHONPATH"] = (
            package_root if not search_path else package_root + os.pathsep + search_path
        )
    return environment


def decode_in_child(file: BinaryIO, max_side: int) -> Image.Image:
    """The picture in ``file`` (from its start), decoded and reduced by a child process.

    A real file is handed over as the child's standard input (nothing is copied); a
    stream already in memory is written to it through a pipe. The child runs under
    ``DEFAULT_LIMITS``.

    Raises
    ------
    PictureChildError
        The file cannot be decoded (the child's reason), or the child crashed, was
        stopped by a limit or timed out, or answered something unexpected.
    """
    limits = DEFAULT_LIMITS
    file.seek(0)
    try:
        descriptor: int | None = file.fileno()
    except (OSError, AttributeError, io.UnsupportedOperation):
        descriptor = None
    try:
        process = subprocess.Popen(
            child_command(limits, max_side),
            stdin=subprocess.PIPE if descriptor is None else descriptor,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=_child_environment(),
        )
    except OSError as error:
        raise PictureChildError(
            f"the picture decoder could not be started ({first_line(error)})"
        ) from None
    timed_out = threading.Event()

    def stop() -> None:
        timed_out.set()
        process.kill()

    watchdog = threading.Timer(limits.timeout_seconds, stop)
    watchdog.daemon = True
    watchdog.start()
    with process:  # on the way out: its pipes closed, the child reaped
        try:
            reply = _exchange(process, None if descriptor is not None else file, max_side)
            process.wait()  # the child may still be tidying up after its last byte
        finally:
            watchdog.cancel()
            if process.poll() is None:  # never leave one running, whatever went wrong
                process.kill()
    if timed_out.is_set():
        raise PictureChildError(
            f"decoding took longer than {limits.timeout_seconds:.0f} s, so it was stopped"
        )
    if process.returncode != 0:
        raise PictureChildError(_death_reason(process.returncode, limits))
    return _picture_from_reply(reply, max_side)


def _exchange(process: subprocess.Popen[bytes], source: BinaryIO | None, max_side: int) -> bytes:
    """Send the stream (if any), then read the reply, at most what a picture can need."""
    assert process.stdout is not None
    if source is not None:
        assert process.stdin is not None
        try:
            while chunk := source.read(1 << 20):
                process.stdin.write(chunk)
            process.stdin.close()
        except OSError:  # the child died or stopped reading: its exit status says why
            pass
    limit = len(_MAGIC) + _MAX_HEADER_BYTES + 4096 + max_side * max_side * 4
    reply = process.stdout.read(limit + 1)
    if len(reply) > limit:
        raise PictureChildError("the picture decoder sent back more than a picture")
    return reply


def _death_reason(returncode: int, limits: ChildLimits) -> str:
    if returncode < 0:
        number = -returncode
        if number == getattr(signal, "SIGXCPU", None):
            return (
                f"decoding used more than {limits.cpu_seconds} s of processor time, "
                "so it was stopped"
            )
        try:
            name = signal.Signals(number).name
        except ValueError:
            name = f"signal {number}"
        return f"the picture decoder crashed on this file ({name})"
    return f"the picture decoder failed on this file (exit status {returncode})"


def _picture_from_reply(reply: bytes, max_side: int) -> Image.Image:
    """The picture the child described, or ``PictureChildError`` if anything is off."""
    unexpected = PictureChildError("the picture decoder sent back something unexpected")
    if not reply.startswith(_MAGIC):
        raise unexpected
    header_line, newline, payload = reply[len(_MAGIC) :].partition(b"\n")
    if not newline or len(header_line) > _MAX_HEADER_BYTES:
        raise unexpected
    try:
        header = json.loads(header_line)
    except ValueError:
        raise unexpected from None
    if not isinstance(header, dict):
        raise unexpected
    if "error" in header:
        reason = header["error"]
        if not isinstance(reason, str):
            raise unexpected
        printable = "".join(c if c.isprintable() else " " for c in reason)
        raise PictureChildError(printable[:_MAX_REASON_CHARS] or "the image cannot be read")
    try:
        return _rebuild(header, payload, max_side)
    except (KeyError, TypeError, ValueError):
        raise unexpected from None


def _rebuild(header: dict[str, object], payload: bytes, max_side: int) -> Image.Image:
    mode, width, height = header["mode"], header["width"], header["height"]
    if not isinstance(mode, str) or mode not in Image.MODES:
        raise ValueError("mode")
    if not (isinstance(width, int) and isinstance(height, int)):
        raise TypeError("size")
    if not (0 < width <= max_side and 0 < height <= max_side):
        raise ValueError("size")
    palette_mode, palette_bytes = header.get("palette_mode"), header.get("palette_bytes", 0)
    if not isinstance(palette_bytes, int) or not 0 <= palette_bytes <= 1024:
        raise ValueError("palette")
    row_bytes = len(Image.new(mode, (width, 1)).tobytes())
    if len(payload) != palette_bytes + row_bytes * height:
        raise ValueError("length")
    image = Image.frombytes(mode, (width, height), payload[palette_bytes:])
    if palette_mode is not None:
        if palette_mode not in ("RGB", "RGBA") or mode not in ("P", "PA"):
            raise ValueError("palette")
        image.putpalette(payload[:palette_bytes], palette_mode)
    if "transparency" in header:
        image.info["transparency"] = _transparency_from_json(header["transparency"])
    return image


# Pillow keeps a transparent colour as an index or grey level (int), an RGB triple
# (tuple) or, for palettes, one alpha byte per entry (bytes); JSON keeps them apart.
def _transparency_to_json(value: object) -> dict[str, object]:
    if isinstance(value, int):
        return {"int": value}
    if isinstance(value, bytes):
        return {"bytes": list(value)}
    if isinstance(value, tuple) and all(isinstance(v, int) for v in value):
        return {"tuple": list(value)}
    raise ValueError(f"unexpected transparency {type(value).__name__}")


def _transparency_from_json(value: object) -> int | bytes | tuple[int, ...]:
    if not isinstance(value, dict) or len(value) != 1:
        raise ValueError("transparency")
    ((kind, content),) = value.items()
    if kind == "int" and isinstance(content, int) and 0 <= content <= 0xFFFF:
        return content
    if kind in ("bytes", "tuple") and isinstance(content, list) and len(content) <= 256:
        if not all(isinstance(v, int) and 0 <= v <= 0xFFFF for v in content):
            raise ValueError("transparency")
        return bytes(content) if kind == "bytes" else tuple(content)
    raise ValueError("transparency")


def _reply_for(image: Image.Image) -> bytes:
    header: dict[str, object] = {"mode": image.mode, "width": image.width, "height": image.height}
    palette = b""
    if image.mode in ("P", "PA") and image.palette is not None:
        palette_mode = image.palette.mode
        palette = bytes(image.getpalette(palette_mode) or [])
        header["palette_mode"] = palette_mode
        header["palette_bytes"] = len(palette)
    if "transparency" in image.info:
        header["transparency"] = _transparency_to_json(image.info["transparency"])
    return _MAGIC + json.dumps(header).encode() + b"\n" + palette + image.tobytes()


def _error_reply(reason: str) -> bytes:
    return _MAGIC + json.dumps({"error": reason}).encode() + b"\n"
