"""Writes that survive a crash: a file is either its old self or its complete new self.

Samples and personal models are written to a temporary file in the same folder, flushed
to disk, then renamed over the target with ``os.replace`` (atomic on POSIX and Windows).
A crash or an exception mid-write leaves at most a stray ``.tmp`` file, never a torn one.
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

# Temporary files start with this, so folder scans can skip them.
TEMP_PREFIX = ".tmp-"


def _shared_temporary(path: Path) -> tuple[int, str]:
    """A new temporary file beside ``path`` with the mode a plain write would give it.

    The mode of the file it will replace, or for a new file what the umask leaves of
    0666 (``mkstemp`` makes every file owner-only, which exported data has no reason to be).
    """
    try:
        kept: int | None = stat.S_IMODE(os.stat(path).st_mode)
    except OSError:
        kept = None
    import secrets  # imported by writes only (see atomic_open)

    while True:
        temporary = str(path.parent / f"{TEMP_PREFIX}{secrets.token_hex(6)}{path.suffix}")
        try:
            descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        except FileExistsError:
            continue
        if kept is not None and hasattr(os, "fchmod"):  # POSIX; Windows has no modes
            os.fchmod(descriptor, kept)
        return descriptor, temporary


@contextlib.contextmanager
def atomic_open(path: Path, *, shared: bool = False) -> Iterator[BinaryIO]:
    """A binary stream whose content replaces ``path`` only when the block ends cleanly.

    ``shared`` files are meant for other programs and people: they keep the mode of the
    file they replace (a new one gets the umask's), where others are owner-only.
    """
    # Imported by writes only: a reading (every ``digitpad predict``) never writes, and
    # secrets and tempfile (with shutil, bz2, lzma) cost milliseconds of start-up.
    import tempfile

    path.parent.mkdir(parents=True, exist_ok=True)
    if shared:
        descriptor, temporary = _shared_temporary(path)
    else:
        descriptor, temporary = tempfile.mkstemp(
            prefix=TEMP_PREFIX, suffix=path.suffix, dir=path.parent
        )
    try:
        with os.fdopen(descriptor, "wb") as stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def atomic_write_bytes(path: Path, data: bytes, *, shared: bool = False) -> None:
    """Replace ``path`` with ``data`` atomically (``shared``: see ``atomic_open``)."""
    with atomic_open(path, shared=shared) as stream:
        stream.write(data)


def atomic_write_with(path: Path, write: Callable[[BinaryIO], object]) -> None:
    """Replace ``path`` atomically with whatever ``write(stream)`` writes."""
    with atomic_open(path) as stream:
        write(stream)
