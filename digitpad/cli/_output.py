"""Terminal output that never ends in a traceback.

A command's output may go to a pipe that closes early (``| head -1``), a full disk
(``> /dev/full``) or a terminal that cannot show a file's name (a name that is not
UTF-8, a strict ASCII locale). Each ends in at most one line on stderr and an exit code.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import re
import sys
from collections.abc import Callable
from typing import Any

EXIT_FAILED = 1
EXIT_INTERRUPTED = 130
_WRITE_ERRORS = {errno.ENOSPC, errno.EIO, errno.EFBIG, errno.EBADF, getattr(errno, "EDQUOT", -1)}
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def display_path(path: str) -> str:
    """``path`` as printable text: bytes that are not UTF-8 and control characters escaped.

    File names are bytes on POSIX; Python hands undecodable ones over as lone surrogates,
    which no encoder can write. They come out as ``\\xff``, as ``ls -b`` shows them, and a
    newline in a name cannot break a one-line message.
    """
    text = os.fsencode(path).decode("utf-8", "backslashreplace")
    return _CONTROL.sub(lambda match: f"\\x{ord(match.group()):02x}", text)


def json_rows(values: Any) -> list[list[float]]:
    """A 2-D array (a 28 x 28 input, a heat map) as JSON's nested lists of floats."""
    return [[float(v) for v in row] for row in values]


def print_json_line(document: object) -> None:
    """``document`` as one line of strict JSON (never NaN), flushed at once for a pipe."""
    print(json.dumps(document, ensure_ascii=False, allow_nan=False), flush=True)


def _tolerant_streams() -> None:
    """Characters the terminal's encoding lacks are escaped instead of raising."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            with contextlib.suppress(ValueError, OSError):
                reconfigure(errors="backslashreplace")


def _silence_stdout() -> None:
    """Point the real stdout at /dev/null, so the interpreter's own final flush of what
    is still buffered cannot fail again ("Exception ignored ... BrokenPipeError")."""
    try:
        descriptor = sys.stdout.fileno()
    except (AttributeError, ValueError, OSError):  # a test's capture object: nothing to do
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, descriptor)
    finally:
        os.close(devnull)


def run_guarded(command: Callable[[], int]) -> int:
    """Run ``command`` (returns an exit code) so that writing its output cannot crash.

    A closed stdout ends the command quietly; any other write error (a full disk, an I/O
    error) is one line on stderr; Ctrl+C is exit code 130 without a traceback.
    """
    _tolerant_streams()
    try:
        code = command()
        sys.stdout.flush()
        return code
    except BrokenPipeError:
        _silence_stdout()
        return EXIT_FAILED
    except KeyboardInterrupt:
        _silence_stdout()
        return EXIT_INTERRUPTED
    except OSError as error:  # commands turn their own file errors into messages
        _silence_stdout()
        what = "cannot write the output: " if error.errno in _WRITE_ERRORS else ""
        with contextlib.suppress(OSError):
            print(f"digitpad: {what}{error.strerror or error}", file=sys.stderr)
        return EXIT_FAILED
