"""NumPy ``.npz`` archives nobody vouches for: plain arrays of an expected kind only.

``np.load`` trusts an archive's headers: a 1 KB member may declare a header of
gigabytes, or shapes and compressed streams that decompress to gigabytes (the
neighbour cache's 3.9 MB bomb took 38 s and 4 GB), and its errors range from
``ValueError`` to ``MemoryError``. Here each wanted member's header is read with a
bounded length and parsed by a strict pattern (no ``eval``), its dtype and shape must
be the expected ones, and only the bytes those promise are decompressed, within a
total budget, so every failure is one ``UntrustedFileError`` and a bomb costs nothing.
"""

from __future__ import annotations

import io
import re
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING

import numpy as np

from digitpad.core.files._untrusted_files import (
    UntrustedFileError,
    first_line,
    read_regular_file,
)

if TYPE_CHECKING:
    import zipfile

_MAGIC = b"\x93NUMPY"
# numpy pads headers to 64 bytes and writes them well under this.
_MAX_HEADER_BYTES = 4096
_HEADER = re.compile(
    r"\{'descr': '(?P<descr>[<>|=][a-zA-Z]\d{0,4})', 'fortran_order': False, "
    r"'shape': \((?P<shape>(?:\d{1,12}(?:, \d{1,12})*,?)?)\), \} *\n"
)


@dataclass(frozen=True)
class NpzMember:
    """What one array must be: its dtype, and its shape with None for any length."""

    dtype: np.dtype
    shape: tuple[int | None, ...]

    def describe(self) -> str:
        dims = ", ".join("N" if size is None else str(size) for size in self.shape)
        return f"{self.dtype} ({dims})"


def _read_exactly(stream: IO[bytes], count: int, what: str) -> bytes:
    data = stream.read(count)
    if len(data) != count:
        raise UntrustedFileError(f"{what} is cut short")
    return data


def _header(stream: IO[bytes], name: str) -> tuple[np.dtype, tuple[int, ...]]:
    """A member's dtype and shape, read without trusting its declared header length."""
    if _read_exactly(stream, len(_MAGIC), name) != _MAGIC:
        raise UntrustedFileError(f"{name} is not a NumPy array")
    major = _read_exactly(stream, 2, name)[0]
    if major not in (1, 2, 3):
        raise UntrustedFileError(f"{name} has an unknown format version {major}")
    width = 2 if major == 1 else 4
    length = int.from_bytes(_read_exactly(stream, width, name), "little")
    if length > _MAX_HEADER_BYTES:
        raise UntrustedFileError(f"{name} declares a {length}-byte header")
    text = _read_exactly(stream, length, name).decode("latin-1")
    match = _HEADER.fullmatch(text)
    if match is None:
        raise UntrustedFileError(f"{name} is not a plain array")
    try:
        dtype = np.dtype(match["descr"])
    except (TypeError, ValueError):
        raise UntrustedFileError(f"{name} has an unknown type") from None
    shape = tuple(int(size) for size in match["shape"].replace(",", " ").split())
    return dtype, shape


def _fits(shape: tuple[int, ...], expected: tuple[int | None, ...]) -> bool:
    return len(shape) == len(expected) and all(
        want is None or size == want for size, want in zip(shape, expected, strict=True)
    )


def _member(
    archive: zipfile.ZipFile, key: str, expected: NpzMember, budget: int
) -> tuple[np.ndarray, int]:
    """One member's array and the bytes it took."""
    name = f"{key}.npy"
    try:
        info = archive.getinfo(name)
    except KeyError:
        raise UntrustedFileError(f"it has no array {key!r}") from None
    if info.file_size > budget + _MAX_HEADER_BYTES + 16:  # magic, version, header length
        raise UntrustedFileError(f"{key!r} would take {info.file_size} bytes (limit {budget})")
    with archive.open(name) as stream:
        dtype, shape = _header(stream, key)
        if dtype != expected.dtype or not _fits(shape, expected.shape):
            found = ", ".join(map(str, shape))
            raise UntrustedFileError(
                f"{key!r} is {dtype} ({found}), expected {expected.describe()}"
            )
        size = int(np.prod(shape, dtype=np.float64)) * dtype.itemsize
        if size > budget:
            raise UntrustedFileError(f"{key!r} would take {size} bytes (limit {budget})")
        data = _read_exactly(stream, size, repr(key))
    return np.frombuffer(data, dtype=dtype).reshape(shape), size


def read_npz_file(
    path: str | Path, members: Mapping[str, NpzMember], max_bytes: int
) -> dict[str, np.ndarray]:
    """The arrays ``members`` of the ``.npz`` file ``path``, each as described.

    ``max_bytes`` caps both the file and the arrays' total size once decompressed. The
    arrays are read-only. Other members of the archive are never read.

    Raises
    ------
    UntrustedFileError
        Not a regular file of at most ``max_bytes``, not a zip archive, a member
        missing, damaged, or of another dtype or shape, or too large once decompressed.
    """
    # Imported here: reading a picture (every ``digitpad predict``) never needs it, and
    # with what it brings (shutil, bz2, lzma) it costs milliseconds of start-up.
    import zipfile

    data = read_regular_file(path, max_bytes)
    arrays = {}
    budget = max_bytes
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for key, expected in members.items():
                arrays[key], size = _member(archive, key, expected, budget)
                budget -= size
    except UntrustedFileError:
        raise
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        zlib.error,
        EOFError,
        OSError,
        ValueError,  # a damaged header or CRC
        NotImplementedError,  # a compression zipfile lacks
        RuntimeError,  # an encrypted member
        OverflowError,
    ) as error:
        raise UntrustedFileError(
            f"it is not a readable .npz archive ({first_line(error)})"
        ) from None
    return arrays
