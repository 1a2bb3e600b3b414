"""Opening files nobody vouches for: regular files of sane size only, never blocking.

Image files and user models arrive from anywhere. A path may name a folder, a named
pipe (opening it for reading waits for a writer forever), a device (``/dev/zero`` never
ends), a socket, a symlink loop or a multi-gigabyte file. Each is refused here, before a
byte is read, with a one-line reason the caller puts after the file's name.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path
from typing import BinaryIO

_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
_CHUNK = 1 << 20
_NOT_REGULAR = (
    (stat.S_ISDIR, "is a folder, not a file"),
    (stat.S_ISFIFO, "is a named pipe, not a file"),
    (stat.S_ISSOCK, "is a socket, not a file"),
    (stat.S_ISCHR, "is a device, not a file"),
    (stat.S_ISBLK, "is a device, not a file"),
)


class UntrustedFileError(Exception):
    """A file cannot be read safely; ``str(error)`` is a one-line reason without the path.

    ``missing`` and ``empty`` tell the two cases callers often treat as normal.
    """

    def __init__(self, reason: str, *, missing: bool = False, empty: bool = False) -> None:
        super().__init__(reason)
        self.missing = missing
        self.empty = empty


def first_line(error: BaseException) -> str:
    """An exception's message as one line (its type name when it has none)."""
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


def os_reason(error: OSError) -> str:
    """The operating system's reason for ``error``, in words (no path, one line)."""
    if error.errno == errno.ENOENT:
        return "file not found"
    if error.errno == errno.EISDIR:
        return "is a folder, not a file"
    return f"cannot be read ({error.strerror or first_line(error)})"


def _megabytes(size: int) -> str:
    """A size in words: "3 MB", "1.2 MB", "256 KB" (never "0 MB" for a small limit)."""
    megabytes = size / (1024 * 1024)
    if megabytes >= 10:
        return f"{megabytes:.0f} MB"
    if megabytes >= 1:
        return f"{megabytes:.1f} MB"
    return f"{max(1, round(size / 1024))} KB"


def open_regular_file(path: str | Path, max_bytes: int) -> BinaryIO:
    """Open ``path`` for binary reading if it is a non-empty regular file of ``max_bytes``
    or fewer.

    The kind and size are checked on the opened descriptor (``fstat``), so the file
    cannot be swapped between the check and the read; ``O_NONBLOCK`` makes opening a
    named pipe return at once. Symlinks to regular files are followed.

    Raises
    ------
    UntrustedFileError
        Missing, unreadable (permissions, name too long, symlink loop), not a regular
        file, empty, or larger than ``max_bytes``.
    """
    try:
        descriptor = os.open(path, _OPEN_FLAGS)
    except OSError as error:
        missing = error.errno == errno.ENOENT
        raise UntrustedFileError(os_reason(error), missing=missing) from None
    except ValueError:  # a NUL byte in the name
        raise UntrustedFileError("the name is not a valid file name") from None
    try:
        info = os.fstat(descriptor)
        for is_kind, reason in _NOT_REGULAR:
            if is_kind(info.st_mode):
                raise UntrustedFileError(reason)
        if not stat.S_ISREG(info.st_mode):
            raise UntrustedFileError("is not a regular file")
        if info.st_size == 0:
            raise UntrustedFileError("the file is empty", empty=True)
        if info.st_size > max_bytes:
            raise UntrustedFileError(
                f"{_megabytes(info.st_size)} is too large (limit {_megabytes(max_bytes)})"
            )
        return os.fdopen(descriptor, "rb")
    except BaseException:
        os.close(descriptor)
        raise


def read_regular_file(path: str | Path, max_bytes: int) -> bytes:
    """The whole content of a regular file of at most ``max_bytes``, read in chunks.

    A file that grows past the limit while it is read is refused as well.
    """
    with open_regular_file(path, max_bytes) as file:
        chunks = []
        total = 0
        try:
            while chunk := file.read(_CHUNK):
                total += len(chunk)
                if total > max_bytes:
                    raise UntrustedFileError(f"grew past {_megabytes(max_bytes)} while being read")
                chunks.append(chunk)
        except OSError as error:
            raise UntrustedFileError(os_reason(error)) from None
        return b"".join(chunks)
