"""Where the personal models in use live: one folder per fine-tune, named by a pointer.

A fine-tune writes every model of a set into a new folder under
``<user models>/personal/`` and only then replaces the pointer ``current.json`` (one
atomic rename), so a full disk, a kill or a power cut leaves the old set or the new
one, never half of each. Loading reads the pointer and adds the folder it names.
"""

from __future__ import annotations

import re
from pathlib import Path

from digitpad.core.files import UntrustedFileError, read_json_file
from digitpad.core.recognition._model import ModelLoadError

PERSONAL_DIR = "personal"
POINTER_FILE = "current.json"
POINTER_FORMAT = 1
# A set's folder name: what ``personal_set_name`` makes, nothing a pointer could abuse.
_SET_NAME = re.compile(r"set-[0-9A-Za-z-]{1,64}")
_MAX_POINTER_BYTES = 4096


def personal_set_folder(models_dir: Path) -> Path | None:
    """The folder of the personal models in use under ``models_dir``; None without any.

    Raises
    ------
    ModelLoadError
        The pointer exists but is not one (a pipe, a huge or nested file, a name that
        leaves the folder) or names a set that is not there.
    """
    pointer = models_dir / PERSONAL_DIR / POINTER_FILE
    try:
        document = read_json_file(pointer, _MAX_POINTER_BYTES)
    except UntrustedFileError as error:
        if error.missing:
            return None
        raise ModelLoadError(f"the personal models' pointer {error}") from None
    folder = document.get("folder") if isinstance(document, dict) else None
    if (
        not isinstance(document, dict)
        or document.get("format_version") != POINTER_FORMAT
        or not isinstance(folder, str)
        or not _SET_NAME.fullmatch(folder)
    ):
        raise ModelLoadError("the personal models' pointer is not one digitpad wrote")
    path = pointer.parent / folder
    if path.is_symlink() or not path.is_dir():
        raise ModelLoadError(f"the personal models' folder {folder} is missing")
    return path


def is_set_name(name: str) -> bool:
    """Whether ``name`` is a personal set's folder name."""
    return _SET_NAME.fullmatch(name) is not None
