"""Saving a picture so that a failure never costs the file that was there before.

The PNG is encoded in memory (by Pillow), written to a temporary file beside the target and renamed
over it only when every byte is on disk (the core's ``atomic_write_bytes``); a full
disk, a read-only folder or a crash mid-write leaves the old file as it was. A failure
is reported with the operating system's own reason.
"""

from __future__ import annotations

import errno
import io
import os
from pathlib import Path

from PIL import Image
from PySide6.QtGui import QImage

from digitpad.core.files import atomic_write_bytes
from digitpad.ui.qimage_convert import qimage_to_rgba_array


def _png_bytes(image: QImage) -> bytes:
    """The picture as PNG bytes (RGB, as Qt writes an opaque image)."""
    buffer = io.BytesIO()
    Image.fromarray(qimage_to_rgba_array(image)).convert("RGB").save(buffer, "PNG")
    return buffer.getvalue()


def _default_mode() -> int:
    """Permissions a newly created file gets here (0o666 less the umask)."""
    umask = os.umask(0o022)
    os.umask(umask)
    return 0o666 & ~umask


def save_png_atomically(image: QImage, path: Path) -> str | None:
    """Write ``image`` as a PNG to ``path``; None when saved, else why not (one line).

    The saved file keeps the permissions of the file it replaces (a new one gets the
    usual ones, not the temporary file's private 0600).
    """
    if not path.parent.is_dir():
        return os.strerror(errno.ENOENT)
    try:
        mode = path.stat().st_mode & 0o777 if path.exists() else _default_mode()
        atomic_write_bytes(path, _png_bytes(image))
        os.chmod(path, mode)
    except OSError as error:
        return error.strerror or str(error)
    return None
