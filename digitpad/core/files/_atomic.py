"""Writes that survive a crash: a file is either its old self or its complete new self.

Samples and personal models are written to a temporary file in the same folder, flushed
to disk, then renamed over the target with ``os.replace`` (atomic on POSIX and Windows).
A crash or an exception mid-write leaves at most a stray ``.tmp`` file, never a torn one.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

# Temporary files start with this, so folder scans can skip them.
TEMP_PREFIX = ".tmp-"


@contextlib.contextmanager
def atomic_open(path: Path) -> Iterator[BinaryIO]:
    """A binary stream whose content replaces ``path`` only when the block ends cleanly."""
    path.parent.mkdir(parents=True, exist_ok=True)
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


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` atomically."""
    with atomic_open(path) as stream:
        stream.write(data)


def atomic_write_with(path: Path, write: Callable[[BinaryIO], object]) -> None:
    """Replace ``path`` atomically with whatever ``write(stream)`` writes."""
    with atomic_open(path) as stream:
        write(stream)
