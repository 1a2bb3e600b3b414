"""Your own handwriting, kept as labelled samples on disk for fine-tuning and export.

The store is a plain folder anyone can read (``<root>/<digit>/<id>.png``, plus
``<id>.json`` holding the strokes of a drawing), so samples outlive any version of the
app. Ids are UTC timestamps, so they sort by creation time. Every file is written
atomically; every file is read through the hardened door (regular files of bounded size,
JSON of bounded depth and numbers, strokes within ``check_strokes``' bounds), so a
damaged, hostile or stray file is skipped with a one-line reason in ``problems``, never
a hang or a crash. Label folders that are links lead outside the store and are left alone.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import stat
import struct
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path
from typing import Any, Literal, TypeGuard

import numpy as np
from PIL import Image

from digitpad.core.files import (
    MAX_FILE_BYTES,
    TEMP_PREFIX,
    ImageLoadError,
    UntrustedFileError,
    atomic_open,
    atomic_write_bytes,
    load_image,
    open_regular_file,
    read_json_file,
)
from digitpad.core.paths import user_data_dir
from digitpad.core.preprocessing import (
    MAX_DRAWING_POINTS,
    MAX_STROKE_POINTS,
    check_strokes,
    preprocess_bitmap,
    render_for_model,
)
from digitpad.core.types import Point, Stroke

STROKES_FORMAT_VERSION = 1
_ID_TIME = "%Y%m%dT%H%M%S%f"
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
ExportFormat = Literal["idx", "npz", "folder"]
EXPORT_FORMATS: tuple[ExportFormat, ...] = ("idx", "npz", "folder")
# MNIST's file names, so tools that read MNIST find them (magic numbers 2051 and 2049).
IDX_IMAGES, IDX_LABELS = "images-idx3-ubyte", "labels-idx1-ubyte"
# The most points a drawing may have (20,000) take about 0.6 MB written as the store does.
MAX_STROKES_BYTES = 2 * 1024 * 1024
# A temporary file this old is left by a write that was killed: no write takes an hour.
STALE_TEMP_SECONDS = 3600.0


class SampleError(Exception):
    """A sample cannot be added, found, read or exported; the message says why in one line."""


@dataclass(frozen=True)
class Sample:
    """One labelled digit of yours: its picture, and its strokes when it was drawn."""

    id: str
    label: int
    image: Path
    strokes: tuple[Stroke, ...] | None
    created: datetime


def default_samples_dir() -> Path:
    """``<user data>/samples``: the one store the window and the command line share."""
    return user_data_dir() / "samples"


def _new_id() -> str:
    return f"{datetime.now(UTC).strftime(_ID_TIME)}-{secrets.token_hex(3)}"


def _created(sample_id: str) -> datetime:
    """The time in an id (``_ID_TIME``); ``ValueError`` if it holds none."""
    stamp = sample_id.split("-")[0]
    digits = stamp[:8] + stamp[9:]
    if len(stamp) != 21 or stamp[8] != "T" or not (digits.isascii() and digits.isdigit()):
        raise ValueError(f"{sample_id!r} is not a sample id")
    # Read by hand: strptime costs a quarter of listing a big store.
    year, month, day = int(stamp[0:4]), int(stamp[4:6]), int(stamp[6:8])
    hour, minute, second = int(stamp[9:11]), int(stamp[11:13]), int(stamp[13:15])
    return datetime(year, month, day, hour, minute, second, int(stamp[15:21]), tzinfo=UTC)


def _check_label(label: int) -> int:
    if isinstance(label, bool) or not isinstance(label, int | np.integer) or not 0 <= label <= 9:
        raise SampleError(f"label {label!r} is not a digit 0-9")
    return int(label)


def strokes_to_json(strokes: Sequence[Stroke]) -> list[dict[str, Any]]:
    """Strokes as plain JSON data: width, erase and ``[x, y, pressure]`` points."""
    return [
        {
            "width": stroke.width,
            "erase": stroke.erase,
            "points": [[p.x, p.y, p.pressure] for p in stroke.points],
        }
        for stroke in strokes
    ]


def _is_number(value: object) -> TypeGuard[int | float]:
    return isinstance(value, int | float) and not isinstance(value, bool)


def strokes_from_json(data: Any) -> tuple[Stroke, ...]:
    """The inverse of ``strokes_to_json``; ``ValueError`` for anything malformed or out
    of ``check_strokes``' bounds (counts are checked before any point is built)."""
    if not isinstance(data, list):
        raise ValueError("strokes are not a list")
    if len(data) > MAX_DRAWING_POINTS:
        raise ValueError(f"{len(data)} strokes are too many (limit {MAX_DRAWING_POINTS})")
    strokes = []
    for item in data:
        if not isinstance(item, dict) or not isinstance(item.get("points"), list):
            raise ValueError("a stroke is not an object with points")
        if len(item["points"]) > MAX_STROKE_POINTS:
            raise ValueError(
                f"a stroke of {len(item['points'])} points is too long (limit {MAX_STROKE_POINTS})"
            )
        points = []
        for point in item["points"]:
            if not (isinstance(point, list) and len(point) == 3 and all(map(_is_number, point))):
                raise ValueError("a point is not [x, y, pressure]")
            points.append(Point(float(point[0]), float(point[1]), float(point[2])))
        width, erase = item.get("width"), item.get("erase", False)
        if not _is_number(width) or not isinstance(erase, bool):
            raise ValueError("a stroke's width is not a number or its erase not true/false")
        strokes.append(Stroke(tuple(points), float(width), erase))
    check_strokes(strokes)
    return tuple(strokes)


def _png_bytes(picture: np.ndarray | Image.Image) -> bytes:
    image = picture if isinstance(picture, Image.Image) else Image.fromarray(np.asarray(picture))
    buffer = BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


class _UnreadableFileError(Exception):
    """One file of a sample cannot be read: which file, and why in one line."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"{path}: {reason}")


def _remove_if_stale(path: Path) -> None:
    """Delete a temporary file that a killed write left behind (not one being written)."""
    with contextlib.suppress(OSError):
        info = path.lstat()
        if stat.S_ISREG(info.st_mode) and time.time() - info.st_mtime > STALE_TEMP_SECONDS:
            path.unlink()


def _check_replaceable(path: Path) -> None:
    """Refuse to put a file where a named pipe, a device or a folder is."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return  # nothing there (or a dangling link): the write makes a new file
    if not stat.S_ISREG(mode):
        kind = "a folder" if stat.S_ISDIR(mode) else "not a regular file"
        raise SampleError(f"{path} is {kind}; it was not replaced")


class SampleStore:
    """Labelled samples in ``root`` (default ``<user data>/samples``), one folder per digit."""

    def __init__(self, root: Path | None = None) -> None:
        self.root = default_samples_dir() if root is None else Path(root)
        self._problems: tuple[str, ...] = ()

    @property
    def problems(self) -> tuple[str, ...]:
        """Why files were skipped by the last ``samples()`` (one line each)."""
        return self._problems

    def _path(self, label: int, sample_id: str, suffix: str) -> Path:
        return self.root / str(label) / f"{sample_id}{suffix}"

    def _label_folder(self, label: int) -> Path | None:
        """``root/<label>`` when it is a real folder of the store (not a link elsewhere)."""
        folder = self.root / str(label)
        return folder if folder.is_dir() and not folder.is_symlink() else None

    def add_drawing(
        self, label: int, strokes: Sequence[Stroke], picture: np.ndarray | Image.Image
    ) -> Sample:
        """Keep a drawing: its strokes (what the models read) and its picture (to show).

        Raises
        ------
        SampleError
            The label is not 0-9 or the strokes leave no ink.
        """
        label = _check_label(label)
        strokes = tuple(strokes)
        try:
            check_strokes(strokes)
        except ValueError as error:
            raise SampleError(f"the drawing cannot be kept: {error}") from None
        if render_for_model(strokes) is None:
            raise SampleError("nothing drawn: the drawing has no ink")
        sample_id = _new_id()
        document = {
            "format_version": STROKES_FORMAT_VERSION,
            "label": label,
            "strokes": strokes_to_json(strokes),
        }
        # The JSON first: a crash in between leaves a stray JSON (reported), never a
        # drawing that silently lost its strokes.
        image_path = self._path(label, sample_id, ".png")
        strokes_path = image_path.with_suffix(".json")
        try:
            atomic_write_bytes(strokes_path, json.dumps(document).encode())
            try:
                atomic_write_bytes(image_path, _png_bytes(picture))
            except BaseException:
                strokes_path.unlink(missing_ok=True)
                raise
        except OSError as error:
            raise _write_error(error, image_path.parent) from None
        return Sample(sample_id, label, image_path, strokes, _created(sample_id))

    def add_picture(self, label: int, path: str | Path) -> Sample:
        """Copy a picture of one digit in, as PNG, after the same checks every image gets.

        Raises
        ------
        SampleError
            The label is not 0-9, the file is not a readable image, or it holds no ink.
        """
        label = _check_label(label)
        try:
            image = load_image(path)
        except ImageLoadError as error:
            raise SampleError(str(error)) from None
        if preprocess_bitmap(image) is None:
            raise SampleError(f"{path}: nothing drawn (no ink found)")
        sample_id = _new_id()
        image_path = self._path(label, sample_id, ".png")
        try:
            atomic_write_bytes(image_path, _png_bytes(image))
        except OSError as error:
            raise _write_error(error, image_path.parent) from None
        return Sample(sample_id, label, image_path, None, _created(sample_id))

    def remove(self, sample_id: str) -> None:
        """Delete one sample (its picture and strokes). ``SampleError`` if there is none."""
        found = []
        if sample_id and not any(c in sample_id for c in "/\\*?["):
            folders = [f for f in map(self._label_folder, range(10)) if f is not None]
            found = [f / f"{sample_id}{s}" for f in folders for s in (".png", ".json")]
            found = [path for path in found if path.is_symlink() or path.exists()]
        if not found:
            raise SampleError(f"no sample with id {sample_id!r}")
        for path in sorted(found, key=lambda p: p.suffix != ".png"):  # the picture first
            path.unlink(missing_ok=True)

    def clear(self) -> int:
        """Delete every sample; returns how many there were."""
        samples = self.samples()
        for sample in samples:
            self.remove(sample.id)
        return len(samples)

    def _read(self, label: int, image: Path) -> Sample:
        try:
            with open_regular_file(image, MAX_FILE_BYTES) as stream:
                if stream.read(len(_PNG_SIGNATURE)) != _PNG_SIGNATURE:
                    raise ValueError("not a PNG file")
        except UntrustedFileError as error:
            raise _UnreadableFileError(image, str(error)) from None
        sample_id = image.stem
        created = _created(sample_id)
        strokes = None
        strokes_path = image.with_suffix(".json")
        try:
            document = read_json_file(strokes_path, MAX_STROKES_BYTES)
        except UntrustedFileError as error:
            if not error.missing:
                raise _UnreadableFileError(strokes_path, str(error)) from None
        else:
            if not isinstance(document, dict):
                raise ValueError("strokes file is not a JSON object")
            if document.get("format_version") != STROKES_FORMAT_VERSION:
                raise ValueError(f"strokes format {document.get('format_version')!r} unknown")
            if document.get("label") != label:
                raise ValueError(f"strokes file says label {document.get('label')!r}")
            strokes = strokes_from_json(document.get("strokes"))
        return Sample(sample_id, label, image, strokes, created)

    def samples(
        self, cancelled: Callable[[], bool] | None = None, labels: Iterable[int] = range(10)
    ) -> list[Sample]:
        """Every readable sample, oldest first; skipped files are listed in ``problems``.

        ``cancelled()`` is asked between files: when it answers True, the samples read
        so far are returned (a worker that is told to stop stops at once). ``labels``
        limits the reading to those digits' folders (a big store is read a digit at a
        time). Temporary files left by a killed write are deleted on the way.
        """
        found: list[Sample] = []
        problems: list[str] = []
        for label in labels:
            folder = self.root / str(label)
            if folder.is_symlink():
                problems.append(f"{folder}: a link, not a folder of the store, skipped")
                continue
            if not folder.is_dir():
                continue
            try:
                paths = sorted(folder.iterdir())
            except OSError as error:
                problems.append(f"{folder}: {error.strerror or error}, skipped")
                continue
            for path in paths:
                if cancelled is not None and cancelled():
                    break
                if path.name.startswith(TEMP_PREFIX):
                    _remove_if_stale(path)  # a killed write; the sample it was for is intact
                    continue
                if path.suffix == ".json":
                    if not path.with_suffix(".png").exists():
                        problems.append(f"{path}: strokes without their picture, skipped")
                    continue
                if path.suffix != ".png":
                    problems.append(f"{path}: not a sample file, skipped")
                    continue
                try:
                    found.append(self._read(label, path))
                except _UnreadableFileError as error:
                    problems.append(f"{error}, skipped")
                except (OSError, ValueError, TypeError) as error:
                    problems.append(f"{path}: {error}, skipped")
        self._problems = tuple(problems)
        return sorted(found, key=lambda sample: sample.id)

    def counts(self) -> dict[int, int]:
        """How many samples each digit 0-9 has (every digit present, 0 when none)."""
        counts = dict.fromkeys(range(10), 0)
        for sample in self.samples():
            counts[sample.label] += 1
        return counts

    @staticmethod
    def model_input(sample: Sample) -> np.ndarray:
        """The 28x28 float32 picture the models are given for ``sample``.

        A drawing is read from its strokes, as the window reads the canvas; a picture
        from its PNG. ``SampleError`` when the file cannot be read or holds no ink.
        """
        if sample.strokes is not None:
            try:
                check_strokes(sample.strokes)
                bitmap = render_for_model(sample.strokes)
            except (ValueError, OverflowError) as error:
                raise SampleError(f"{sample.image}: {error}") from None
            model_input = None if bitmap is None else preprocess_bitmap(bitmap)
        else:
            try:
                model_input = preprocess_bitmap(load_image(sample.image))
            except ImageLoadError as error:
                raise SampleError(str(error)) from None
        if model_input is None:
            raise SampleError(f"{sample.image}: nothing drawn (no ink found)")
        return model_input

    def export(
        self, fmt: ExportFormat, out: str | Path, cancelled: Callable[[], bool] | None = None
    ) -> list[Path]:
        """Write every sample as the models see it (28x28, ink bright, uint8).

        ``idx``: folder ``out`` with MNIST's ``images-idx3-ubyte`` and
        ``labels-idx1-ubyte``; ``npz``: file ``out`` with ``images``, ``labels``, ``ids``;
        ``folder``: ``out/<digit>/<id>.png``. Returns the files written. Unreadable
        samples are skipped and listed in ``problems``. When ``cancelled()`` answers True
        (it is asked between samples), ``SampleError`` is raised and nothing is written.
        """
        if fmt not in EXPORT_FORMATS:
            raise SampleError(f"unknown export format {fmt!r} (one of {', '.join(EXPORT_FORMATS)})")
        samples = self.samples(cancelled)
        problems = list(self._problems)
        kept, images = [], []
        for sample in samples:
            if cancelled is not None and cancelled():
                raise SampleError("the export was cancelled; nothing was written")
            try:
                images.append(np.rint(self.model_input(sample)).astype(np.uint8))
                kept.append(sample)
            except SampleError as error:
                problems.append(f"{error}, skipped")
        self._problems = tuple(problems)
        if not kept:
            raise SampleError("no samples to export")
        pixels = np.stack(images)
        labels = np.array([s.label for s in kept], dtype=np.uint8)
        out = Path(out)
        if out.exists() and fmt != "npz" and not out.is_dir():
            raise SampleError(f"{out} exists and is not a folder")
        if fmt == "idx":
            count = len(kept)
            images_path, labels_path = out / IDX_IMAGES, out / IDX_LABELS
            for path in (images_path, labels_path):
                _check_replaceable(path)
            header = struct.pack(">IIII", 2051, count, 28, 28)
            atomic_write_bytes(images_path, header + pixels.tobytes(), shared=True)
            idx_labels = struct.pack(">II", 2049, count) + labels.tobytes()
            atomic_write_bytes(labels_path, idx_labels, shared=True)
            return [images_path, labels_path]
        if fmt == "npz":
            _check_replaceable(out)
            ids = np.array([s.id for s in kept])
            # Written through a stream: given a name, numpy would add ".npz" to it.
            with atomic_open(out, shared=True) as stream:
                np.savez_compressed(stream, images=pixels, labels=labels, ids=ids)
            return [out]
        paths = [out / str(sample.label) / f"{sample.id}.png" for sample in kept]
        for path in paths:
            _check_replaceable(path)
        for path, image in zip(paths, pixels, strict=True):
            atomic_write_bytes(path, _png_bytes(image), shared=True)
        return paths


def _write_error(error: OSError, folder: Path) -> SampleError:
    """A write that failed, in one line that says where and why (a full disk included)."""
    return SampleError(f"could not write the sample in {folder}: {error.strerror or error}")
