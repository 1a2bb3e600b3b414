"""Personal models on disk: saved as one set, found, and removed again.

A fine-tune's models are written into a new folder under ``<user models>/personal/``
and become the set in use only when the pointer naming that folder is replaced
(``personal_set_folder``): a full disk or a kill leaves the old set or the new one,
never half of each. Older versions wrote ``<name>.onnx`` then ``<name>.json`` straight
into the user models folder; a set they left half-written (a model file without its
metadata, or metadata of another model file) is recognised here, so it can be reported
and removed, and it is tidied away once a new set is saved.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import tempfile
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path

from digitpad.core.files import (
    TEMP_PREFIX,
    UntrustedFileError,
    atomic_write_bytes,
    read_json_file,
    read_regular_file,
)
from digitpad.core.paths import bundled_models_dir, user_models_dir
from digitpad.core.personal._onnx_weights import OnnxFormatError, read_onnx_graph
from digitpad.core.recognition import (
    MAX_METADATA_BYTES,
    MAX_MODEL_BYTES,
    PERSONAL_DIR,
    POINTER_FILE,
    POINTER_FORMAT,
    ModelLoadError,
    bundled_model_names,
    is_set_name,
    personal_set_folder,
)

# The metadata key that marks a model digitpad fine-tuned (the bundled file it came from).
METADATA_KEY = "fine_tuned_from"
# What ``reset_personal_models`` names when it removed files no model name describes.
LEFTOVERS = "what an interrupted fine-tune left"


def _marked(json_path: Path) -> dict[str, object] | None:
    """The metadata at ``json_path`` if it marks a fine-tuned model, else None."""
    try:
        document = read_json_file(json_path, MAX_METADATA_BYTES)
    except UntrustedFileError:
        return None
    return document if isinstance(document, dict) and METADATA_KEY in document else None


def _set_folder(models_dir: Path) -> Path | None:
    try:
        return personal_set_folder(models_dir)
    except ModelLoadError:
        return None


def _json_files(folder: Path) -> list[Path]:
    try:
        return sorted(p for p in folder.glob("*.json") if not p.name.startswith(TEMP_PREFIX))
    except OSError:
        return []


def personal_model_names(models_dir: Path | None = None) -> tuple[str, ...]:
    """Models digitpad fine-tuned (marked in their metadata) that are in use: those of
    the current set, and those an older version saved straight into ``models_dir``."""
    folder = models_dir or user_models_dir()
    current = _set_folder(folder)
    paths = [*_json_files(folder), *(_json_files(current) if current is not None else [])]
    return tuple(sorted({path.stem for path in paths if _marked(path) is not None}))


def is_fine_tuned_copy(model_path: Path, bundled_path: Path) -> bool:
    """Whether ``model_path`` is the bundled model's graph with other weights: a model
    file an older version's fine-tune wrote before it was killed (never the bundled file
    itself, which someone may have copied there)."""
    try:
        data = read_regular_file(model_path, MAX_MODEL_BYTES)
        original = read_regular_file(bundled_path, MAX_MODEL_BYTES)
        if data == original:
            return False
        return read_onnx_graph(original).with_weights(read_onnx_graph(data).weights()) == data
    except (UntrustedFileError, OnnxFormatError, KeyError, ValueError):
        return False


def legacy_files(models_dir: Path, bundled_dir: Path | None = None) -> dict[str, list[Path]]:
    """Per model name, the files an older version's fine-tune left in ``models_dir``:
    its marked metadata and ``<name>.onnx``, or a bundled model's ``.onnx``
    with no metadata that is a fine-tuned copy of it."""
    bundled = bundled_dir or bundled_models_dir()
    found: dict[str, list[Path]] = {}
    for json_path in _json_files(models_dir):
        if _marked(json_path) is not None:  # older versions wrote <name>.onnx beside it
            found[json_path.stem] = [json_path, json_path.with_suffix(".onnx")]
    for name in bundled_model_names(bundled):
        orphan = models_dir / f"{name}.onnx"
        if (
            name not in found
            and not orphan.with_suffix(".json").exists()
            and is_fine_tuned_copy(orphan, bundled / f"{name}.onnx")
        ):
            found[name] = [orphan]
    return found


def _write_synced(path: Path, data: bytes) -> None:
    with path.open("xb") as stream:
        stream.write(data)
        stream.flush()
        os.fsync(stream.fileno())


def _sync_folder(folder: Path) -> None:
    """Flush a folder's entries (renames) to disk, where the platform allows it."""
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


def _new_set_name() -> str:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    return f"set-{stamp}-{secrets.token_hex(3)}"


def save_personal_models(
    files: Mapping[str, bytes], models_dir: Path, bundled_dir: Path | None = None
) -> Path:
    """Write ``files`` (name -> content) as the new set of personal models; its folder.

    Staged in a temporary folder, renamed to the set's name, then made current by
    replacing the pointer. Older sets and an older version's files are removed after.

    Raises
    ------
    OSError
        The set could not be written (a full disk, no permission): the set in use is
        unchanged and nothing of the new one is left behind.
    """
    personal = models_dir / PERSONAL_DIR
    personal.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f"{TEMP_PREFIX}set-", dir=personal))
    final = personal / _new_set_name()
    try:
        for name, data in files.items():
            _write_synced(staging / name, data)
        _sync_folder(staging)
        os.rename(staging, final)
        _sync_folder(personal)
        pointer = {"format_version": POINTER_FORMAT, "folder": final.name}
        atomic_write_bytes(personal / POINTER_FILE, (json.dumps(pointer) + "\n").encode())
    except BaseException:
        for unfinished in (staging, final):
            shutil.rmtree(unfinished, ignore_errors=True)
        raise
    _remove_stale(models_dir, keep=final, bundled_dir=bundled_dir)
    return final


def _remove_entry(path: Path) -> None:
    """Remove a file, a link (never what it points to) or a whole real folder."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink(missing_ok=True)


def _remove_stale(
    models_dir: Path, keep: Path | None, bundled_dir: Path | None, current: Path | None = None
) -> list[str]:
    """Delete every set but ``keep``, unfinished ones and an older version's files.

    Returns the names of the older version's models removed, and ``LEFTOVERS`` when a
    set other than ``current`` was removed. Best effort: a file that cannot be removed
    stays (it is ignored, or reported when models load).
    """
    removed = []
    personal = models_dir / PERSONAL_DIR
    try:
        entries = list(personal.iterdir()) if personal.is_dir() else []
    except OSError:
        entries = []
    for entry in entries:
        stale = is_set_name(entry.name) or entry.name.startswith(TEMP_PREFIX)
        if stale and entry != keep:
            try:
                _remove_entry(entry)
            except OSError:
                continue
            if entry != current:
                removed.append(LEFTOVERS)
    for name, paths in legacy_files(models_dir, bundled_dir).items():
        try:
            for path in paths:  # the metadata first: never a model that looks bundled
                path.unlink(missing_ok=True)
        except OSError:
            continue
        removed.append(name)
    return removed


def reset_personal_models(
    models_dir: Path | None = None, bundled_dir: Path | None = None
) -> tuple[str, ...]:
    """Remove the fine-tuned models (and only those): the bundled ones apply again.

    Returns the names removed (and ``LEFTOVERS`` for an unfinished or damaged set).
    Other models in the folder (retrained ones a person put there) are left alone. The
    pointer goes first, so a crash part-way leaves the bundled models in use.

    Raises
    ------
    OSError
        The pointer cannot be removed (a read-only folder).
    """
    folder = models_dir or user_models_dir()
    current = _set_folder(folder)
    names = set(_json_stems(current)) if current is not None else set()
    pointer = folder / PERSONAL_DIR / POINTER_FILE
    if pointer.is_symlink() or pointer.exists():
        pointer.unlink()
        if current is None:
            names.add(LEFTOVERS)
    names.update(_remove_stale(folder, keep=None, bundled_dir=bundled_dir, current=current))
    with contextlib.suppress(OSError):  # only when empty: nothing a person put there goes
        (folder / PERSONAL_DIR).rmdir()
    return tuple(sorted(names))


def _json_stems(folder: Path) -> list[str]:
    return [path.stem for path in _json_files(folder) if _marked(path) is not None]
