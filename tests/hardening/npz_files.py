"""Hostile ``.npz`` archives, built byte by byte: huge headers, bombs, wrong arrays.

Shared by the hostile-file tests, the short fuzz run and the long one.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from pathlib import Path

import numpy as np

MAGIC = b"\x93NUMPY"


def npy_header(descr: str, shape: tuple[int, ...], version: int = 1, pad: int = 0) -> bytes:
    """A ``.npy`` header as numpy writes it (``pad`` extra spaces before the newline)."""
    text = f"{{'descr': '{descr}', 'fortran_order': False, 'shape': {shape!r}, }}"
    body = (text + " " * (64 - (len(text) + 11) % 64 + pad) + "\n").encode("latin-1")
    length = struct.pack("<H", len(body)) if version == 1 else struct.pack("<I", len(body))
    return MAGIC + bytes([version, 0]) + length + body


def npz_bytes(members: dict[str, bytes], compress: bool = True) -> bytes:
    """A zip archive of ``<name>.npy`` members with exactly these bytes."""
    buffer = io.BytesIO()
    method = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
    with zipfile.ZipFile(buffer, "w", method) as archive:
        for name, data in members.items():
            archive.writestr(f"{name}.npy", data)
    return buffer.getvalue()


def array_member(array: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    np.save(buffer, array, allow_pickle=False)
    return buffer.getvalue()


def huge_header_member() -> bytes:
    """A version 2 header that declares 4 GB of header and holds a few bytes."""
    return MAGIC + bytes([2, 0]) + struct.pack("<I", 0xFFFFFFF0) + b"{'descr': " + b" " * 700


def bomb_npz(name: str, descr: str, shape: tuple[int, ...], zeros: int) -> bytes:
    """A member whose header promises ``shape`` and whose data is ``zeros`` zero bytes,
    deflated (about a thousandth of the size): ``np.load`` decompresses it all."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    chunk = bytes(1 << 20)
    header = npy_header(descr, shape)
    parts = [compressor.compress(header)]
    parts += [compressor.compress(chunk) for _ in range(zeros >> 20)]
    parts.append(compressor.flush())
    raw = b"".join(parts)
    size = len(header) + (zeros >> 20 << 20)
    crc = zlib.crc32(header)
    for _ in range(zeros >> 20):
        crc = zlib.crc32(chunk, crc)
    return _zip_with_deflated(f"{name}.npy", raw, size, crc)


def _zip_with_deflated(name: str, raw: bytes, size: int, crc: int) -> bytes:
    """One deflated member written by hand (zipfile would need the whole data)."""
    encoded = name.encode()
    local = struct.pack(
        "<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0, crc, len(raw), size, len(encoded), 0
    )
    central = struct.pack(
        "<IHHHHHHIIIHHHHHII",
        0x02014B50,
        20,
        20,
        0,
        8,
        0,
        0,
        crc,
        len(raw),
        size,
        len(encoded),
        0,
        0,
        0,
        0,
        0,
        0,
    )
    start = len(local) + len(encoded) + len(raw)
    directory = central + encoded
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 1, 1, len(directory), start, 0)
    return local + encoded + raw + directory + end


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path
