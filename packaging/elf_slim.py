"""Smaller shared libraries for the bundle, without changing what the loader maps.

Three things in the collected libraries are never read at run time: symbol tables (the
loader reads only the dynamic ones), DWARF, and the zero pages ``patchelf`` leaves where
auditwheel moved a library's dynamic section (Pillow's libXau: 2 MB of zeros around 8 KB
of code). ``strip --strip-unneeded`` drops the first two, but binutils re-lays out some
patchelf'd files into ones glibc refuses to load ("ELF load command address/offset not
page-aligned": numpy's OpenBLAS). So every stripped copy is checked here the way the
loader checks it, and where strip broke it the symbol table is dropped by hand instead:
its bytes zeroed, its section emptied, and whole zero pages that no section or segment
covers cut out, every file offset behind them moved down by the same multiple of 64 KiB
(the largest page size of any Linux), so each segment keeps its address modulo the page.

Run by packaging/build.py over the bundle PyInstaller wrote (``strip=True`` in the spec
would run strip on OpenBLAS too); ``tests/packaging`` checks the result loads and runs
(self-test, window on X11, explain, fine-tune) and that no library kept a symbol table.
"""

from __future__ import annotations

import shutil
import struct
import subprocess
from pathlib import Path
from typing import NamedTuple

_ELF64_LITTLE = b"\x7fELF\x02\x01"
_PT_LOAD = 1
_SHT_NULL, _SHT_SYMTAB, _SHT_NOBITS = 0, 2, 8
_SHF_ALLOC = 0x2
# A cut's length: a multiple of every page size Linux runs with (4, 16 and 64 KiB).
_CUT_UNIT = 0x10000
_PROGRAM_HEADER = struct.Struct("<IIQQQQQQ")
_SECTION_HEADER = struct.Struct("<IIQQQQIIQQ")


class _Layout(NamedTuple):
    """Where the ELF header points: the program and section header tables."""

    phoff: int
    phnum: int
    shoff: int
    shnum: int
    shstrndx: int


def _layout(data: bytes | bytearray) -> _Layout | None:
    if len(data) < 64 or data[:6] != _ELF64_LITTLE:
        return None
    phoff, shoff = struct.unpack_from("<QQ", data, 0x20)
    phentsize, phnum, shentsize, shnum, shstrndx = struct.unpack_from("<HHHHH", data, 0x36)
    if phentsize != _PROGRAM_HEADER.size or (shnum and shentsize != _SECTION_HEADER.size):
        return None
    return _Layout(phoff, phnum, shoff, shnum, shstrndx)


def _program_headers(data: bytes | bytearray, layout: _Layout) -> list[list[int]]:
    return [
        list(_PROGRAM_HEADER.unpack_from(data, layout.phoff + index * _PROGRAM_HEADER.size))
        for index in range(layout.phnum)
    ]


def _section_headers(data: bytes | bytearray, layout: _Layout) -> list[list[int]]:
    return [
        list(_SECTION_HEADER.unpack_from(data, layout.shoff + index * _SECTION_HEADER.size))
        for index in range(layout.shnum)
    ]


def loadable(data: bytes | bytearray) -> bool:
    """Whether glibc would map this file's segments: each one's file offset and address
    agree modulo its alignment, a power of two of at least a page (as ``_dl_map_object``
    checks); True for files that are not 64-bit little-endian ELF."""
    layout = _layout(data)
    if layout is None:
        return True
    for p_type, _flags, offset, vaddr, _paddr, _filesz, _memsz, align in _program_headers(
        data, layout
    ):
        if p_type != _PT_LOAD:
            continue
        if align < 0x1000 or align & (align - 1) or (vaddr - offset) % align:
            return False
    return True


def has_symbol_table(data: bytes | bytearray) -> bool:
    """Whether the file still carries a ``.symtab`` (or is no ELF file at all: False)."""
    layout = _layout(data)
    return layout is not None and any(
        header[1] == _SHT_SYMTAB for header in _section_headers(data, layout)
    )


def without_symbol_table(data: bytes) -> bytes:
    """``data`` with its ``.symtab`` and that table's string table emptied and zeroed,
    then the zero pages that leaves (and any patchelf left) cut out."""
    buffer = bytearray(data)
    layout = _layout(buffer)
    if layout is None:
        return data
    sections = _section_headers(buffer, layout)
    dropped = set()
    for index, header in enumerate(sections):
        if header[1] == _SHT_SYMTAB and not header[2] & _SHF_ALLOC:
            dropped.add(index)
            strings = header[6]
            if strings != layout.shstrndx and not sections[strings][2] & _SHF_ALLOC:
                dropped.add(strings)
    linked = {header[6] for index, header in enumerate(sections) if index not in dropped}
    if not dropped or dropped & linked:
        return data  # a kept section still points at one of them: leave the file whole
    for index in dropped:
        offset, size = sections[index][4], sections[index][5]
        buffer[offset : offset + size] = bytes(size)
        sections[index] = [sections[index][0], _SHT_NULL, 0, 0, 0, 0, 0, 0, 0, 0]
        _SECTION_HEADER.pack_into(
            buffer, layout.shoff + index * _SECTION_HEADER.size, *sections[index]
        )
    return without_zero_pages(bytes(buffer))


def _covered_ranges(data: bytes | bytearray, layout: _Layout) -> list[tuple[int, int]]:
    """The file ranges something points at: headers, segments, sections with bytes."""
    ranges = [
        (0, 64),
        (layout.phoff, layout.phoff + layout.phnum * _PROGRAM_HEADER.size),
        (layout.shoff, layout.shoff + layout.shnum * _SECTION_HEADER.size),
    ]
    for header in _program_headers(data, layout):
        ranges.append((header[2], header[2] + header[5]))
    for header in _section_headers(data, layout):
        if header[1] not in (_SHT_NULL, _SHT_NOBITS):
            ranges.append((header[4], header[4] + header[5]))
    return sorted(start_end for start_end in ranges if start_end[1] > start_end[0])


def _zero_gaps(data: bytes, layout: _Layout) -> list[tuple[int, int]]:
    """Whole ``_CUT_UNIT`` blocks of zeros that nothing covers, as (start, end)."""
    gaps = []
    reached = 0
    for start, end in [*_covered_ranges(data, layout), (len(data), len(data))]:
        first = -(-reached // _CUT_UNIT) * _CUT_UNIT
        last = start // _CUT_UNIT * _CUT_UNIT
        if last > first and not any(data[first:last]):
            gaps.append((first, last))
        reached = max(reached, end)
    return gaps


def without_zero_pages(data: bytes) -> bytes:
    """``data`` without the uncovered zero blocks; offsets behind each cut move down by
    its length, and a segment whose old alignment that length breaks gets 64 KiB's."""
    layout = _layout(data)
    if layout is None:
        return data
    gaps = _zero_gaps(data, layout)
    if not gaps:
        return data

    def moved(offset: int) -> int:
        return offset - sum(end - start for start, end in gaps if offset >= end)

    buffer = bytearray(data)
    programs = _program_headers(buffer, layout)
    sections = _section_headers(buffer, layout)
    for index, header in enumerate(programs):
        header[2] = moved(header[2])
        if header[0] == _PT_LOAD and header[7] and (header[3] - header[2]) % header[7]:
            header[7] = _CUT_UNIT
        _PROGRAM_HEADER.pack_into(buffer, layout.phoff + index * _PROGRAM_HEADER.size, *header)
    for index, header in enumerate(sections):
        header[4] = moved(header[4])
        _SECTION_HEADER.pack_into(buffer, layout.shoff + index * _SECTION_HEADER.size, *header)
    struct.pack_into("<QQ", buffer, 0x20, moved(layout.phoff), moved(layout.shoff))
    kept = bytearray()
    reached = 0
    for start, end in gaps:
        kept += buffer[reached:start]
        reached = end
    kept += buffer[reached:]
    return bytes(kept)


def slim_library(source: Path, target: Path) -> bool:
    """Write a smaller copy of ``source`` to ``target``; False (nothing written) when no
    byte could go or the result would not load."""
    original = source.read_bytes()
    if _layout(original) is None:
        return False
    slim = original
    strip = shutil.which("strip")
    if has_symbol_table(original) and strip is not None:
        target.write_bytes(original)
        subprocess.run([strip, "--strip-unneeded", str(target)], check=True)
        stripped = target.read_bytes()
        slim = stripped if loadable(stripped) else without_symbol_table(original)
    slim = without_zero_pages(slim)
    if len(slim) >= len(original) or not loadable(slim):
        target.unlink(missing_ok=True)
        return False
    target.write_bytes(slim)
    target.chmod(source.stat().st_mode & 0o777)
    return True


def slim_folder(folder: Path) -> int:
    """Slim every ELF file below ``folder`` in place (symlinks left alone); bytes saved."""
    saved = 0
    for path in sorted(folder.rglob("*")):
        if path.is_symlink() or not path.is_file():
            continue
        slim = path.with_name(path.name + ".slim")
        if slim_library(path, slim):
            saved += path.stat().st_size - slim.stat().st_size
            slim.replace(path)
    return saved
