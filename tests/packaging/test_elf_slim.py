"""The bundle's smaller shared libraries (packaging/elf_slim.py), made from the very wheels'
libraries the bundle collects and loaded for real with ctypes."""

from __future__ import annotations

import ctypes
import shutil
import struct
import sys
from pathlib import Path
from types import ModuleType

import numpy
import PIL
import pytest

from tests.packaging.packaging_modules import packaging_module

PILLOW_LIBS = Path(PIL.__file__).parent.parent / "pillow.libs"
NUMPY_LIBS = Path(numpy.__file__).parent.parent / "numpy.libs"

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux") or shutil.which("strip") is None,
    reason="the Linux bundle's libraries, slimmed with binutils' strip",
)


def _elf_slim() -> ModuleType:
    return packaging_module("elf_slim")


def _wheel_library(folder: Path, prefix: str) -> Path:
    found = sorted(folder.glob(f"{prefix}*.so*"))
    if not found:
        pytest.skip(f"no {prefix} in {folder} (not a manylinux wheel)")
    return found[0]


def _slim_copy_among_its_siblings(library: Path, tmp_path: Path) -> Path:
    """The slimmed library in a copy of its folder, so its $ORIGIN RPATH still finds the
    libraries it needs (and never the originals)."""
    folder = tmp_path / library.parent.name
    shutil.copytree(library.parent, folder)
    slim = folder / library.name
    slim.unlink()
    assert _elf_slim().slim_library(library, slim)
    return slim


def test_pillows_libxau_loses_patchelfs_two_megabytes_of_zeros_and_still_works(
    tmp_path: Path,
) -> None:
    original = _wheel_library(PILLOW_LIBS, "libXau")
    slim = _slim_copy_among_its_siblings(original, tmp_path)
    assert original.stat().st_size > 2_000_000
    assert slim.stat().st_size < 100_000
    xau = ctypes.CDLL(str(slim))
    xau.XauFileName.restype = ctypes.c_char_p
    assert xau.XauFileName()  # the authority file's path: code and data both mapped right


def test_numpys_openblas_loses_its_symbol_table_and_still_computes(tmp_path: Path) -> None:
    """strip itself leaves this library unloadable; elf_slim cuts the table out by hand."""
    original = _wheel_library(NUMPY_LIBS, "libscipy_openblas")
    slim = _slim_copy_among_its_siblings(original, tmp_path)
    elf_slim = _elf_slim()
    assert elf_slim.has_symbol_table(original.read_bytes())
    assert not elf_slim.has_symbol_table(slim.read_bytes())
    assert original.stat().st_size - slim.stat().st_size > 500_000
    openblas = ctypes.CDLL(str(slim))
    openblas.scipy_openblas_get_config64_.restype = ctypes.c_char_p
    assert openblas.scipy_openblas_get_config64_().startswith(b"OpenBLAS")
    dot = openblas.scipy_cblas_ddot64_
    dot.restype = ctypes.c_double
    size = ctypes.c_int64
    dot.argtypes = [size, ctypes.c_void_p, size, ctypes.c_void_p, size]
    values = (ctypes.c_double * 3)(1.0, 2.0, 3.0)
    assert dot(3, values, 1, values, 1) == 14


def test_a_segment_whose_offset_and_address_disagree_is_not_loadable() -> None:
    library = _wheel_library(PILLOW_LIBS, "libXau").read_bytes()
    elf_slim = _elf_slim()
    assert elf_slim.loadable(library)
    (phoff,) = struct.unpack_from("<Q", library, 0x20)
    broken = bytearray(library)
    for index in range(struct.unpack_from("<H", library, 0x38)[0]):
        entry = phoff + index * 56
        if struct.unpack_from("<I", broken, entry)[0] == 1:  # the first PT_LOAD
            (offset,) = struct.unpack_from("<Q", broken, entry + 8)
            struct.pack_into("<Q", broken, entry + 8, offset + 0x800)
            break
    assert not elf_slim.loadable(bytes(broken))
    assert elf_slim.loadable(b"#!/bin/sh\n")  # not ELF: nothing to check
